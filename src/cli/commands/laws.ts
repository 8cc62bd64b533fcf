/**
 * `moeplan laws`: the scaling-law presets (or given law files) with their constants,
 * how each reads the budget, the range each was fitted on, and sources.
 */
import type { Command } from 'commander';
import { DEFAULT_LAW, type Law, PRESETS, UNAVAILABLE_LAWS } from '../../core/laws/index.js';
import { MoeplanError } from '../../core/errors.js';
import { resolveLaw } from '../../io/law-file.js';
import type { CommandDefinition } from '../command.js';
import type { Context } from '../context.js';
import { lawRows } from '../law-text.js';

function render(laws: readonly Law[], ctx: Context): string {
  return laws
    .map((law) => {
      const title = `${law.name}${law.name === DEFAULT_LAW ? ' (default)' : ''} · ${law.title}`;
      const rows = lawRows(law);
      const width = Math.max(...rows.map((r) => r.label.length));
      const lines = rows.map((r) => `  ${r.label.padEnd(width)}  ${r.value}${r.note ? `  ${ctx.chalk.dim(`(${r.note})`)}` : ''}`);
      return `${ctx.chalk.bold(title)}\n${lines.join('\n')}\n`;
    })
    .join('\n');
}

function renderUnavailable(ctx: Context): string {
  const lines = UNAVAILABLE_LAWS.map(
    (law) => `  ${law.name.padEnd(8)} ${law.title}; ${law.source}\n  ${' '.repeat(8)} ${ctx.chalk.dim(`not available: ${law.reason}`)}`,
  );
  return `${ctx.chalk.bold('Known but not available (constants not verified from the paper)')}\n${lines.join('\n')}\n`;
}

export const lawsCommand: CommandDefinition = {
  examples: [
    [
      'moeplan laws',
      `every preset: ${Object.keys(PRESETS)
        .map((n) => (n === DEFAULT_LAW ? `${n} (default)` : n))
        .join(', ')}; and the laws known but not available`,
    ],
    ['moeplan laws kaplan deepseek', 'only these'],
    ['moeplan laws law.json', 'check and show a law file (as written by `moeplan fit`)'],
    ['moeplan laws hunyuan --json', 'the law as data, with the default and the unavailable laws around it'],
    ['moeplan laws hunyuan --law-file > my-law.json', 'the preset as a law file, to edit into your own law'],
  ],
  notes: `A law file is JSON with the shape \`moeplan laws NAME --law-file\` prints (one entry of
the "laws" array of --json): name, source, compute, and optionally allocation, loss, criticalBatch, batchSize,
learningRate, fittedRange, metadata. Unknown keys are errors; a bad name or law file
exits with code 2.`,
  configure(command: Command) {
    command.argument('[laws...]', 'preset names or law files (default: all presets)');
    command.option('--law-file', 'print the one law named as a law file (JSON that --law and `moeplan laws` read back)');
  },
  async run(options, args, ctx) {
    const names = (args[0] as string[] | undefined) ?? [];
    const laws = names.length === 0 ? Object.values(PRESETS) : await Promise.all(names.map((n) => resolveLaw(n, { cwd: ctx.io.cwd, field: 'law' })));
    if (options.lawFile === true) {
      if (laws.length !== 1) {
        throw new MoeplanError('INVALID_INPUT', `--law-file prints one law; ${names.length === 0 ? 'no law was named' : `${names.length} were named`}`, {
          field: '--law-file',
          hint: 'e.g. moeplan laws hunyuan --law-file > my-law.json',
        });
      }
      ctx.out(`${JSON.stringify(laws[0], null, 2)}\n`);
      return 0;
    }
    if (ctx.json) {
      ctx.emitJson('laws', { default: DEFAULT_LAW, laws: laws.map((law) => ({ ...law })), ...(names.length === 0 ? { unavailable: UNAVAILABLE_LAWS } : {}) });
    } else {
      ctx.out(names.length === 0 ? `${render(laws, ctx)}\n${renderUnavailable(ctx)}` : render(laws, ctx));
    }
    return 0;
  },
};
