/**
 * A law in words and formulas, for `moeplan laws` and the commands that show a law
 * (`optimal`, `cmin`): its compute model, allocation, budget, critical batch, fitted range.
 */
import { allocationBudgetKind, chinchillaClosedForm } from '../core/allocation.js';
import type { HyperparameterLaw, Law, PowerLaw } from '../core/laws/index.js';
import { sci, si, trimNumber } from '../io/format.js';
import { describeLossAllocation, describeLossFlops, describeLossModel } from './loss-text.js';
import type { Row } from './render.js';

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
    return [
      constant(law.coefficient),
      law.paramsExponent !== 0 && `N^${trimNumber(law.paramsExponent, 4)}`,
      law.tokensExponent !== 0 && `D^${trimNumber(law.tokensExponent, 4)}`,
    ]
      .filter(Boolean)
      .join('·');
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

/** The compute model in short, as in running text: `6ND`, `9.59ND + 2.3e8D`. */
export function computeShort(law: Law): string {
  const c = law.compute;
  return `${trimNumber(c.paramsTokens, 6)}ND${c.tokens ? ` + ${sci(c.tokens, 4)}D` : ''}`;
}

/** The compute model's name for labels: where the law states it (`eq. 2`), else its short formula (`6ND`). */
export function computeLabel(law: Law): string {
  return law.compute.equation ?? computeShort(law);
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
  return kind === 'cmin' ? `minimum compute Cmin (eq. 3), in ${unitText}` : `raw training compute C, in ${unitText}; given only Cmin, moeplan uses it as C`;
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

/** `Bcrit = 2e6·(Cmin / 8.64e19)^0.24` or `Bcrit(L) = 2e8 / L^(1/0.21)`. */
export function describeCriticalBatchLaw(law: Law): string {
  const cb = law.criticalBatch;
  if (!cb) return 'none';
  if (cb.kind === 'loss') return `Bcrit(L) = ${sci(cb.bStar, 3)} / L^(1/${cb.alphaB}) tokens`;
  const x =
    cb.budgetUnitFlops === 1
      ? (cb.budget ?? 'cmin') === 'cmin'
        ? 'Cmin'
        : 'C'
      : `(${(cb.budget ?? 'cmin') === 'cmin' ? 'Cmin' : 'C'}/${sci(cb.budgetUnitFlops, 3)})`;
  return `Bcrit = ${sci(cb.coefficient, 3)}·${x}^${cb.exponent} tokens`;
}
