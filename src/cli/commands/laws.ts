/**
 * `moeplan laws`: the scaling-law presets (or given law files) with their constants,
 * how each reads the budget, the range each was fitted on, and sources.
 */
import type { Command } from 'commander';
import { allocationBudgetKind, chinchillaClosedForm } from '../../core/allocation.js';
import { DEFAULT_LAW, type Law, PRESETS, type HyperparameterLaw, type PowerLaw, UNAVAILABLE_LAWS } from '../../core/laws/index.js';
import { sci, si, trimNumber } from '../../io/format.js';
import { resolveLaw } from '../../io/law-file.js';
import type { CommandDefinition } from '../command.js';
import type { Context } from '../context.js';
import { describeCriticalBatchLaw } from './cmin.js';
import { describeLossAllocation, describeLossFlops, describeLossModel } from '../loss-text.js';
import type { Row } from '../render.js';

const MEANING: Record<string, string> = {
  activated: 'N = activated parameters',
  'non-embedding': 'N = non-embedding parameters',
  'flops-per-token': 'N ≈ M/6, M = non-embedding FLOPs per token (an approximation)',
  'total-non-embedding': 'N = total non-embedding parameters, every expert counted',
};

/** A constant for a formula: `0.1715`, `3.2`, `5.9e-3`, `1.3e9`. */
export function constant(x: number): string {
  const magnitude = Math.abs(x);
  return magnitude >= 1e-2 && magnitude < 1e4 ? trimNumber(x, 5) : sci(x, 4);
}

/** `5.9e-3·Cmin^0.5305` */
function powerText(law: PowerLaw, x: string): string {
  return `${constant(law.coefficient)}·${x}^${trimNumber(law.exponent, 4)}`;
}

/** `0.292·C^0.3271` or `1.79·N^-0.713·D^0.307`. */
function hyperparameterText(law: HyperparameterLaw): string {
  if (law.budget === 'size') {
    return [constant(law.coefficient), law.paramsExponent !== 0 && `N^${trimNumber(law.paramsExponent, 4)}`, law.tokensExponent !== 0 && `D^${trimNumber(law.tokensExponent, 4)}`].filter(Boolean).join('·');
  }
  return powerText(law, law.budget === 'cmin' ? 'Cmin' : 'C');
}

/** The budget variable of a law's allocation as people read it: `Cmin`, `C`, `(Cmin/8.64e19)`. */
export function budgetSymbol(law: Law): string {
  const kind = allocationBudgetKind(law);
  const symbol = kind === 'cmin' ? 'Cmin' : 'C';
  const unit = law.allocation?.kind === 'power' ? law.allocation.budgetUnitFlops : 1;
  return unit === 1 ? symbol : `(${symbol}/${sci(unit, 3)})`;
}

/** The compute model as a formula: `C = 9.59·N·D + 2.3e8·D`. */
export function describeCompute(law: Law): string {
  const c = law.compute;
  return `C = ${trimNumber(c.paramsTokens, 6)}·N·D${c.tokens ? ` + ${sci(c.tokens, 4)}·D` : ''}`;
}

/** The allocation as formulas: `Nopt = 5.9e-3·Cmin^0.5305, Dopt = 3.2·Cmin^0.5`. */
export function describeAllocation(law: Law): string {
  const a = law.allocation;
  if (!a) return 'none (a compute model only)';
  const x = budgetSymbol(law);
  if (a.kind === 'power') {
    const n = a.paramsConversion ? `${a.paramsConversion.quantity.split(' ')[0]}opt` : 'Nopt';
    return `${n} = ${powerText(a.params, x)}, Dopt = ${powerText(a.tokens, x)}`;
  }
  if (!law.loss) return 'closed form of the loss (loss model missing)';
  const moe = describeLossAllocation(law);
  if (moe !== undefined || law.loss.kind !== 'chinchilla') return moe ?? '';
  const { G, a: pa, b } = chinchillaClosedForm(law.loss);
  const sixth = x === 'C' ? 'C/6' : `${x}/6`;
  return `Nopt = ${constant(G)}·(${sixth})^${trimNumber(pa, 4)}, Dopt = (${sixth})^${trimNumber(b, 4)} / ${constant(G)} (closed form of the loss)`;
}

/** How the law reads a budget, in words. */
export function describeBudget(law: Law): string {
  if (!law.allocation) return '—';
  const kind = allocationBudgetKind(law);
  const unit = law.allocation.kind === 'power' ? law.allocation.budgetUnitFlops : 1;
  const name = law.allocation.kind === 'power' ? law.allocation.budgetUnitName : undefined;
  const unitText = unit === 1 ? 'FLOPs' : name ? `${name} (${sci(unit)} FLOPs)` : `units of ${sci(unit)} FLOPs`;
  return kind === 'cmin'
    ? `minimum compute Cmin (eq. 3), in ${unitText}`
    : `raw training compute C, in ${unitText}; given only Cmin, moeplan uses it as C`;
}

function rangeText(range: readonly [number, number] | undefined, format: (x: number) => string): string | undefined {
  return range ? `${format(range[0])}–${format(range[1])}` : undefined;
}

/** Rows describing one law. */
export function lawRows(law: Law): Row[] {
  const rows: Row[] = [
    { label: 'compute', value: describeCompute(law), note: MEANING[law.compute.paramsMeaning ?? 'activated'] },
    { label: 'allocation', value: describeAllocation(law) },
  ];
  if (law.allocation) rows.push({ label: 'budget', value: describeBudget(law) });
  if (law.loss) {
    rows.push({ label: 'loss', value: describeLossModel(law.loss) });
    const flops = describeLossFlops(law.loss);
    if (flops) rows.push({ label: 'FLOPs', value: flops });
  }
  if (law.criticalBatch) rows.push({ label: 'critical batch', value: describeCriticalBatchLaw(law) });
  if (law.batchSize) rows.push({ label: 'batch size', value: `Bopt = ${hyperparameterText(law.batchSize)} tokens` });
  if (law.learningRate) rows.push({ label: 'learning rate', value: `ηopt = ${hyperparameterText(law.learningRate)}` });
  const r = law.fittedRange;
  if (r) {
    const parts = [
      rangeText(r.cmin, sci) && `Cmin ${rangeText(r.cmin, (x) => sci(x, 3))} FLOPs`,
      rangeText(r.flops, sci) && `C ${rangeText(r.flops, (x) => sci(x, 3))} FLOPs`,
      rangeText(r.params, si) && `N ${rangeText(r.params, si)}`,
      rangeText(r.tokens, si) && `D ${rangeText(r.tokens, si)}`,
      rangeText(r.granularity, String) && `G ${rangeText(r.granularity, String)}`,
      rangeText(r.experts, String) && `E ${rangeText(r.experts, String)}`,
    ].filter(Boolean);
    rows.push({ label: 'fitted on', value: parts.join(', ') });
  }
  rows.push({ label: 'source', value: law.source });
  return rows;
}

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
  const lines = UNAVAILABLE_LAWS.map((law) => `  ${law.name.padEnd(8)} ${law.title}; ${law.source}\n  ${' '.repeat(8)} ${ctx.chalk.dim(`not available: ${law.reason}`)}`);
  return `${ctx.chalk.bold('Known but not available (constants not verified from the paper)')}\n${lines.join('\n')}\n`;
}

export const lawsCommand: CommandDefinition = {
  examples: [
    ['moeplan laws', `every preset: ${Object.keys(PRESETS).map((n) => (n === DEFAULT_LAW ? `${n} (default)` : n)).join(', ')}; and the laws known but not available`],
    ['moeplan laws kaplan deepseek', 'only these'],
    ['moeplan laws law.json', 'check and show a law file (as written by `moeplan fit`)'],
    ['moeplan laws hunyuan --json', 'the law as data: the shape a law file has'],
  ],
  notes: `A law file is JSON with the same shape as \`moeplan laws NAME --json\` prints (one entry of
"laws"): name, source, compute, and optionally allocation, loss, criticalBatch, batchSize,
learningRate, fittedRange, metadata. Unknown keys are errors; a bad name or law file
exits with code 2.`,
  configure(command: Command) {
    command.argument('[laws...]', 'preset names or law files (default: all presets)');
  },
  async run(_options, args, ctx) {
    const names = (args[0] as string[] | undefined) ?? [];
    const laws = names.length === 0 ? Object.values(PRESETS) : await Promise.all(names.map((n) => resolveLaw(n, { cwd: ctx.io.cwd, field: 'law' })));
    if (ctx.json) {
      ctx.emitJson('laws', { default: DEFAULT_LAW, laws: laws.map((law) => ({ ...law })), ...(names.length === 0 ? { unavailable: UNAVAILABLE_LAWS } : {}) });
    } else {
      ctx.out(names.length === 0 ? `${render(laws, ctx)}\n${renderUnavailable(ctx)}` : render(laws, ctx));
    }
    return 0;
  },
};
