/**
 * The CLI: `run(argv, io)` parses the arguments with commander, runs one command and
 * resolves with the exit code. It never calls `process.exit`, so tests call it in-process.
 *
 * Exit codes: 0 success (a check with only warnings passes), 1 a check failed,
 * 2 usage or input error, 70 internal error (a bug: please report it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Help, Option } from 'commander';
import { MoeplanError, escapeControls, isMoeplanError } from '../core/errors.js';
import { decideColour, makeChalk } from './colour.js';
import type { CommandEntry } from './command.js';
import { COMMANDS, findCommand } from './commands/index.js';
import { type Context, SCHEMA_VERSION, flagName } from './context.js';
import { useStdin } from '../io/stdin.js';
import { renderError } from '../messages/index.js';
import { type CliIo, processIo } from './io.js';
import { guardLines, jsonText } from './report/escape.js';

declare const __MOEPLAN_VERSION__: string | undefined;
export const VERSION = typeof __MOEPLAN_VERSION__ === 'string' ? __MOEPLAN_VERSION__ : '0.0.0-dev';

export const EXIT = { ok: 0, checkFailed: 1, usage: 2, bug: 70 } as const;

/** The exit codes a command's help lists: exit 1 only where the command has a failure of its own (check). */
function exitCodesHelp(failure: string | undefined): string {
  return `Exit codes:
  0   success${failure ? ' (a check with only warnings passes)' : ''}${failure ? `\n  1   ${failure}` : ''}
  2   usage or input error (the message names the flag or field)
  70  a bug in moeplan (please report it with the command line)`;
}

/** The examples `moeplan --help` starts from: a first answer from each main command. */
const ROOT_EXAMPLES: ReadonlyArray<readonly [string, string]> = [
  ['moeplan budget --params 52B --tokens 7T', 'compute of the Hunyuan-Large run: 3.4924e24 FLOPs (6ND: 2.184e24)'],
  ['moeplan cmin --flops 3.49e24 --batch 32M --bcrit 64M', 'Cmin of a 3.49e24-FLOP run at half the critical batch: 2.33e24'],
  ['moeplan optimal --cmin 3.1e24 --law all', 'Nopt and Dopt under every preset law, side by side'],
  ['moeplan lr --batch 4M --noise 16M --lr-max 3e-4 --experts 16', 'learning rates of the shared and the specialized experts'],
  ['moeplan check examples/plans/hunyuan-large.yaml', 'check a training plan against budgets and laws (exit 1 when it fails)'],
];

export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const args = [...argv];
  const dashDash = args.indexOf('--');
  const noColorFlag = (dashDash === -1 ? args : args.slice(0, dashDash)).includes('--no-color');
  const outLevel = decideColour({ env: io.env, isTTY: io.stdout.isTTY, noColorFlag });
  const errLevel = decideColour({ env: io.env, isTTY: io.stderr.isTTY, noColorFlag });
  const chalk = makeChalk(outLevel);
  const errChalk = makeChalk(errLevel);
  let exitCode: number = EXIT.ok;
  // `-` as a file (check -, --config -, --law -) reads this run's stdin.
  useStdin(() => io.stdin);

  const makeContext = (json: boolean): Context => ({
    io,
    chalk,
    errChalk,
    colourLevel: outLevel,
    json,
    out: (text) => {
      io.stdout.write(guardLines(text));
    },
    warn: (message) => {
      io.stderr.write(`${errChalk.yellow('warning:')} ${guardLines(message)}\n`);
    },
    emitJson: (command, document) => {
      io.stdout.write(`${jsonText({ schemaVersion: SCHEMA_VERSION, command, ...document }, 2)}\n`);
    },
  });

  const program = new Command('moeplan');
  program
    .description('Plan Mixture-of-Experts and dense LLM training from published scaling laws.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => {
        io.stdout.write(s);
      },
      writeErr: (s) => {
        io.stderr.write(s);
      },
      getOutHasColors: () => outLevel > 0,
      getErrHasColors: () => errLevel > 0,
      // A stray argument is reported below, naming it. Commander quotes the argument it
      // refuses: escaped, so it cannot drive the terminal or start a workflow command.
      outputError: (s, write) => {
        if (!/too many arguments/.test(s)) write(errChalk.red(guardLines(escapeControls(s, '\n'))));
      },
    })
    .configureHelp({
      styleTitle: (s) => chalk.bold(s),
      styleCommandText: (s) => chalk.cyan(s),
      styleOptionText: (s) => chalk.green(s),
      sortSubcommands: false,
      // The usage line first, then the examples, then the description and the options.
      formatHelp: (cmd, helper) => {
        const text = Help.prototype.formatHelp.call(helper, cmd, helper);
        const examples = examplesOf.get(cmd);
        if (!examples) return text;
        const cut = text.indexOf('\n\n');
        const block = `${chalk.bold('Examples:')}\n${examplesText(examples, io)}`;
        return cut === -1 ? `${text}\n${block}\n` : `${text.slice(0, cut)}\n\n${block}${text.slice(cut)}`;
      },
    })
    .addHelpText('after', `\n${exitCodesHelp('a check failed (moeplan check)')}\n\nRun \`moeplan <command> --help\` for a command's examples and options.`);
  examplesOf.set(program, ROOT_EXAMPLES);

  // Every command is listed (for help and suggestions); only the one that runs is loaded
  // and configured.
  const requested = requestedCommand(args);
  for (const entry of COMMANDS) {
    const command = program.command(entry.name).description(entry.summary);
    if (entry !== requested) continue;
    const definition = await entry.load();
    command.exitOverride();
    command.configureOutput(program.configureOutput());
    command.configureHelp(program.configureHelp());
    command.showSuggestionAfterError(true);
    definition.configure(command);
    for (const option of [...command.options]) {
      const alias = option.long === undefined ? undefined : OPTION_ALIASES[option.long];
      if (alias) command.addOption(new Option(`${alias} <value>`).hideHelp());
    }
    const batch = command.options.some((option) => option.long === '--input');
    command.addOption(new Option('--json', `print one JSON document on stdout${batch ? ' (batch mode: one per line)' : ''}`));
    command.addOption(new Option('--no-color', 'no colour (also: NO_COLOR=1, TERM=dumb, or not a terminal)'));
    examplesOf.set(command, definition.examples);
    command.addHelpText('after', `${definition.notes ? `\n${definition.notes}\n` : ''}\n${exitCodesHelp(definition.failure)}`);
    command.action(async (...actionArgs: unknown[]) => {
      const cmd = actionArgs[actionArgs.length - 1] as Command;
      const options = withAliasesResolved(cmd.opts());
      exitCode = await definition.run(options, actionArgs.slice(0, -2), makeContext(options.json === true));
    });
  }

  if (args.length === 0) {
    io.stdout.write(shortHelp(COMMANDS, chalk));
    return EXIT.ok;
  }

  try {
    await program.parseAsync(args, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)) return EXIT.ok;
      const sub = requested ?? COMMANDS.find((c) => args.includes(c.name));
      if (error.code === 'commander.excessArguments') {
        const command = program.commands.find((c) => c.name() === sub?.name);
        io.stderr.write(`${errChalk.red(`error: ${strayArgument(args, command?.args ?? [], sub?.name ?? 'moeplan')}`)}\n`);
      }
      io.stderr.write(`${errChalk.dim(`hint: see \`moeplan ${sub ? `${sub.name} ` : ''}--help\``)}\n`);
      return EXIT.usage;
    }
    if (isMoeplanError(error)) {
      // An error the core threw with its message as data names its inputs as flags here.
      const { message, hint } = renderError(error, flagName);
      io.stderr.write(`${errChalk.red('error:')} ${guardLines(message)}\n`);
      if (hint) io.stderr.write(`${errChalk.dim(`hint: ${guardLines(hint)}`)}\n`);
      return EXIT.usage;
    }
    const bug = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`${errChalk.red('internal error (a bug in moeplan, please report it):')}\n${bug}\n`);
    return EXIT.bug;
  }
}

/**
 * The command that the arguments run: the first argument that is not an option
 * (`moeplan help <command>` shows that command's help). The root takes no option values,
 * so the first such argument is the command name.
 */
function requestedCommand(args: readonly string[]): CommandEntry | undefined {
  const first = args.find((arg) => !arg.startsWith('-'));
  if (first === undefined || first === '--') return undefined;
  if (first === 'help') {
    const next = args[args.indexOf(first) + 1];
    return next === undefined ? undefined : findCommand(next);
  }
  return findCommand(first);
}

/** Examples of each command for its help, set when the command is configured. */
const examplesOf = new WeakMap<Command, ReadonlyArray<readonly [string, string]>>();

/**
 * The examples as help shows them. They name files as `examples/…`; where the working
 * directory has no `examples/` folder (moeplan installed globally or as a dependency) the
 * shipped folder's path is shown instead, so that every example still runs as shown.
 */
function examplesText(examples: ReadonlyArray<readonly [string, string]>, io: CliIo): string {
  const shipped = io.examplesDir;
  const home = shipped !== undefined && !existsSync(join(io.cwd, 'examples')) ? shipped : undefined;
  const where = (line: string) => (home === undefined ? line : line.replace(/(^|\s)examples\//g, (_m, space: string) => `${space}${shellWord(`${home}/`)}`));
  return examples.map(([line, what]) => `  $ ${where(line)}\n      ${what}`).join('\n');
}

/** A path as one shell word: quoted when it holds anything but safe characters. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

/**
 * The message for an argument a command does not take: it names the stray word, and when
 * it follows a flag's value (`--tokens 7 T`), says how to write that value as one word.
 */
export function strayArgument(args: readonly string[], operands: readonly string[], command: string): string {
  const stray = operands.find((operand) => operand !== command) ?? operands[0] ?? '';
  const at = args.lastIndexOf(stray);
  const flag = at >= 2 ? args[at - 2] : undefined;
  const value = at >= 1 ? args[at - 1] : undefined;
  const shown = JSON.stringify(stray.length > 40 ? `${stray.slice(0, 37)}...` : stray);
  if (flag?.startsWith('--') && value !== undefined && !value.startsWith('-')) {
    return `unexpected argument ${shown} after ${flag} ${value}: a value is one word; write ${flag} ${value}${stray} (or quote it: ${flag} "${value} ${stray}")`;
  }
  return `unexpected argument ${shown}: \`moeplan ${command}\` takes options only; a value with a space in it must be quoted`;
}

function shortHelp(commands: readonly CommandEntry[], chalk: Context['chalk']): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `${chalk.bold('moeplan')} ${VERSION}: plan MoE and dense LLM training from published scaling laws

${chalk.bold('Try:')}
  $ moeplan budget --params 52B --tokens 7T
  $ moeplan optimal --cmin 3.1e24 --law all

${chalk.bold('Commands:')}
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`moeplan --help\` or \`moeplan <command> --help\` for more.
`;
}

/** Entry point of the bundled binary. */
export async function main(): Promise<void> {
  // `moeplan … | head`: when the reader goes away, stop quietly, as other tools do.
  // The exit code is the one reached so far (a batch that wrote an error row exits 2).
  // Any other failure to write (a full disk: > /dev/full) is an error, exit 2.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    try {
      process.stderr.write(
        `error: cannot write to standard output (${error.code ?? error.message})\nhint: check where the output goes (a full disk, a closed descriptor)\n`,
      );
    } finally {
      process.exit(EXIT.usage);
    }
  });
  process.exitCode = await run(process.argv.slice(2));
}

/**
 * Older spellings of options, kept working but not shown in help: one spelling per concept
 * (`--top-k`, as `topK` in JSON and plan files and `top-k` as a batch column).
 */
const OPTION_ALIASES: Readonly<Record<string, string>> = { '--top-k': '--topk' };

function withAliasesResolved(options: Record<string, unknown>): Record<string, unknown> {
  for (const [long, alias] of Object.entries(OPTION_ALIASES)) {
    const key = camel(long);
    const old = camel(alias);
    if (options[old] === undefined) continue;
    if (options[key] !== undefined) {
      throw new MoeplanError('INVALID_INPUT', `give ${long} or ${alias}, not both: they are one option`, { field: long });
    }
    options[key] = options[old];
    delete options[old];
  }
  return options;
}

function camel(long: string): string {
  return long.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
