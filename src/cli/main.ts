/**
 * The CLI: `run(argv, io)` parses the arguments with commander, runs one command and
 * resolves with the exit code. It never calls `process.exit`, so tests call it in-process.
 *
 * Exit codes: 0 success (a check with only warnings passes), 1 a check failed,
 * 2 usage or input error, 70 internal error (a bug: please report it).
 */
import { Command, CommanderError, Option } from 'commander';
import { isMoeplanError } from '../core/errors.js';
import { decideColour, makeChalk } from './colour.js';
import type { CommandDefinition } from './command.js';
import { COMMANDS } from './commands/index.js';
import { type Context, SCHEMA_VERSION } from './context.js';
import { type CliIo, processIo } from './io.js';

declare const __MOEPLAN_VERSION__: string | undefined;
export const VERSION = typeof __MOEPLAN_VERSION__ === 'string' ? __MOEPLAN_VERSION__ : '0.0.0-dev';

export const EXIT = { ok: 0, checkFailed: 1, usage: 2, bug: 70 } as const;

const EXIT_CODES_HELP = `Exit codes:
  0  success (a check with only warnings passes)
  1  a check failed
  2  usage or input error (the message names the flag or field)`;

export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const args = [...argv];
  const dashDash = args.indexOf('--');
  const noColorFlag = (dashDash === -1 ? args : args.slice(0, dashDash)).includes('--no-color');
  const outLevel = decideColour({ env: io.env, isTTY: io.stdout.isTTY, noColorFlag });
  const errLevel = decideColour({ env: io.env, isTTY: io.stderr.isTTY, noColorFlag });
  const chalk = makeChalk(outLevel);
  const errChalk = makeChalk(errLevel);
  let exitCode: number = EXIT.ok;

  const makeContext = (json: boolean): Context => ({
    io,
    chalk,
    errChalk,
    colourLevel: outLevel,
    json,
    out: (text) => {
      io.stdout.write(text);
    },
    warn: (message) => {
      io.stderr.write(`${errChalk.yellow('warning:')} ${message}\n`);
    },
    emitJson: (command, document) => {
      io.stdout.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, command, ...document }, null, 2)}\n`);
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
      outputError: (s, write) => write(errChalk.red(s)),
    })
    .configureHelp({
      styleTitle: (s) => chalk.bold(s),
      styleCommandText: (s) => chalk.cyan(s),
      styleOptionText: (s) => chalk.green(s),
      sortSubcommands: false,
    })
    .addHelpText('before', `${chalk.bold('Examples:')}\n${examplesText(COMMANDS.slice(0, 5).map((c) => c.examples[0] as readonly [string, string]))}\n`)
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\nRun \`moeplan <command> --help\` for a command's examples and options.`);

  for (const definition of COMMANDS) {
    const command = program.command(definition.name).description(definition.summary);
    command.exitOverride();
    command.configureOutput(program.configureOutput());
    command.configureHelp(program.configureHelp());
    command.showSuggestionAfterError(true);
    definition.configure(command);
    command.addOption(new Option('--json', 'print one JSON document on stdout (batch mode: one per line)'));
    command.addOption(new Option('--no-color', 'no colour (also: NO_COLOR=1, TERM=dumb, or not a terminal)'));
    command.addHelpText('before', `${chalk.bold('Examples:')}\n${examplesText(definition.examples)}\n`);
    command.addHelpText('after', `${definition.notes ? `\n${definition.notes}\n` : ''}\n${EXIT_CODES_HELP}`);
    command.action(async (...actionArgs: unknown[]) => {
      const cmd = actionArgs[actionArgs.length - 1] as Command;
      const options = cmd.opts();
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
      const sub = COMMANDS.find((c) => args.includes(c.name));
      io.stderr.write(`${errChalk.dim(`hint: see \`moeplan ${sub ? `${sub.name} ` : ''}--help\``)}\n`);
      return EXIT.usage;
    }
    if (isMoeplanError(error)) {
      io.stderr.write(`${errChalk.red('error:')} ${error.message}\n`);
      if (error.hint) io.stderr.write(`${errChalk.dim(`hint: ${error.hint}`)}\n`);
      return EXIT.usage;
    }
    const bug = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`${errChalk.red('internal error (a bug in moeplan, please report it):')}\n${bug}\n`);
    return EXIT.bug;
  }
}

function examplesText(examples: ReadonlyArray<readonly [string, string]>): string {
  return examples.map(([line, what]) => `  $ ${line}\n      ${what}`).join('\n');
}

function shortHelp(commands: readonly CommandDefinition[], chalk: Context['chalk']): string {
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
  process.exitCode = await run(process.argv.slice(2));
}
