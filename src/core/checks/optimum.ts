/**
 * What `paramsVsOptimal` and `tokensVsOptimal` share: N or D against the law's Nopt or
 * Dopt at the plan's Cmin (at C for a law of raw compute), two-sided within a tolerance,
 * with the value that would meet it when it does not.
 */
import { allocationBudgetKind } from '../allocation.js';
import { countName } from '../law-params.js';
import type { Law } from '../laws/types.js';
import { derivePlan } from './derive.js';
import { NEEDS_SIZE } from './flops.js';
import type { CheckDefinition, CheckInput, CheckWords, DescribeInput, Measure, Plan } from './types.js';

type Field = 'activatedParams' | 'tokens';

const NEEDS = {
  size: NEEDS_SIZE,
  cmin: `${NEEDS_SIZE}, training.batchTokens, and training.criticalBatchTokens or training.loss (for Cmin)`,
} as const;

/**
 * detail: activatedParams (or tokens), optimalParams (optimalTokens), budget (the Cmin or
 * C used), cmin, low, high (the allowed range at this budget), suggestedParams
 * (suggestedTokens) when out of limit.
 */
function measureOptimum(field: Field, { plan, law, derived, limit }: CheckInput): Measure {
  if (!law.allocation) return { noAllocation: true };
  if (!derived.optimal) return { missing: [allocationBudgetKind(law) === 'flops' ? 'size' : 'cmin'] };
  const params = field === 'activatedParams';
  const value = (params ? plan.model.activatedParams : plan.training.tokens) as number;
  const optimum = params ? derived.optimal.params : derived.optimal.tokens;
  const deviation = value / optimum - 1;
  const suggested = Math.abs(deviation) > limit ? withinAfterChange(plan, law, field, deviation, limit) : undefined;
  return {
    actual: deviation,
    detail: {
      [params ? 'activatedParams' : 'tokens']: value,
      [params ? 'optimalParams' : 'optimalTokens']: optimum,
      // The compute the law's allocation was evaluated at: Cmin, or C for a law of raw compute.
      budget: derived.optimal.budget,
      ...(derived.cmin !== undefined ? { cmin: derived.cmin } : {}),
      low: optimum * (1 - limit),
      high: optimum * (1 + limit),
      ...(suggested !== undefined ? { [params ? 'suggestedParams' : 'suggestedTokens']: suggested } : {}),
    },
  };
}

function describeOptimum(field: Field, { finding, out, derived, paramsFrom, format: { si, sci, percent } }: DescribeInput): CheckWords {
  const d = finding.detail;
  const n = (key: string) => d[key] as number;
  const params = field === 'activatedParams';
  const value = params ? n('activatedParams') : n('tokens');
  const optimum = params ? n('optimalParams') : n('optimalTokens');
  const suggested = d[params ? 'suggestedParams' : 'suggestedTokens'];
  const what = params ? 'Nopt' : 'Dopt';
  // A law of raw compute (Chinchilla, DeepSeek) is evaluated at C, not at Cmin.
  const budget = `${derived?.optimal?.budgetKind === 'flops' ? 'C' : 'Cmin'} ${sci(n('budget'), 4)}`;
  // N from a model config: the hint names the field the plan uses, and the count the law takes.
  const config = params ? paramsFrom : undefined;
  const count = config ? `${countName(config.meaning)} params` : '';
  const path = params ? 'model.activatedParams' : 'training.tokens';
  const within = `would be within ±${percent(finding.limit)} (${what} moves with ${budget.split(' ')[0]})`;
  const fix =
    suggested !== undefined
      ? config
        ? `a ${config.field} with ${si(suggested)} ${count} ${within}`
        : `${path} ${si(suggested)} ${within}`
      : config
        ? `bring the ${count} of ${config.field} within ${si(n('low'))}–${si(n('high'))}`
        : `bring ${path} within ${si(n('low'))}–${si(n('high'))}`;
  return {
    details: `${si(value)} ${params ? 'params' : 'tokens'} vs ${what} ${si(optimum)} at ${budget}`,
    ...(out ? { hint: `${fix}; or widen limits.${finding.id}.within` } : {}),
  };
}

/** The parts of an optimum check that do not depend on which of N and D it is about. */
export function optimumCheck(field: Field): Pick<CheckDefinition, 'kind' | 'needs' | 'measure' | 'describe'> {
  return {
    kind: 'within',
    needs: NEEDS,
    measure: (input) => measureOptimum(field, input),
    describe: (input) => describeOptimum(field, input),
  };
}

/**
 * The value of `field` (N or D), everything else in the plan unchanged, at which the
 * deviation from the optimum is exactly at the nearer edge of ±within. The optimum moves
 * with the change (Cmin depends on N and D), so this is solved by bisection in log space
 * on the scale factor; the deviation grows with N (or D) for every law whose allocation
 * exponent is below 1. `undefined` when no scale in [1e-6, 1e6] reaches the edge.
 *
 * @example withinAfterChange(hunyuanPlan, PRESETS.hunyuan, 'tokens', 0.4336, 0.3) // ≈ 5.75e12
 */
export function withinAfterChange(plan: Plan, law: Law, field: Field, deviation: number, within: number): number | undefined {
  const value = field === 'activatedParams' ? plan.model.activatedParams : plan.training.tokens;
  if (value === undefined) return undefined;
  const target = deviation > 0 ? within : -within;
  const deviationAt = (scale: number): number => {
    const changed: Plan =
      field === 'activatedParams'
        ? { ...plan, model: { ...plan.model, activatedParams: value * scale } }
        : { ...plan, training: { ...plan.training, tokens: value * scale } };
    const derived = derivePlan(changed, law);
    if (!derived.optimal) return Number.NaN;
    const optimum = field === 'activatedParams' ? derived.optimal.params : derived.optimal.tokens;
    return (value * scale) / optimum - 1;
  };
  let low = deviation > 0 ? -6 : 0; // log10 of the scale
  let high = deviation > 0 ? 0 : 6;
  const f = (logScale: number) => deviationAt(10 ** logScale) - target;
  try {
    if (!(f(low) <= 0 && f(high) >= 0)) return undefined;
    for (let i = 0; i < 100; i++) {
      const mid = (low + high) / 2;
      if (f(mid) < 0) low = mid;
      else high = mid;
    }
  } catch {
    return undefined;
  }
  // The inner edge, so that the suggestion passes rather than sitting on the boundary.
  return value * 10 ** (deviation > 0 ? low : high);
}
