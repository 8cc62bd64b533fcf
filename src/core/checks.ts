/**
 * Checks of a training plan against budgets and a scaling law: the pure core of
 * `moeplan check`. A plan (numbers only; reading and validating files is `io/plan-file.ts`)
 * and a law go in, findings `{ id, status, actual, limit, … }` come out. No I/O, no text
 * for people beyond the reason a check was skipped.
 *
 * The derived quantities, in order:
 *   C      = law compute model (Hunyuan eq. 2: 9.59·N·D + 2.3e8·D)        [FLOPs]
 *   Bcrit  = training.criticalBatchTokens, or B* / L^(1/αB) (Kaplan eq. 1.4)  [tokens]
 *   Cmin   = C / (1 + B/Bcrit) (Hunyuan eq. 3)                               [FLOPs]
 *   Nopt, Dopt = the law's allocation at Cmin (Hunyuan §2.3.1)
 *   εopt   = 2·εmax / (√(Bnoise/B) + √(B/Bnoise)) of each expert's batch (Hunyuan eq. 1, §2.2.4)
 *   GPU-hours, days, cost (SPEC §6)
 *
 * Each limit is one check whose `id` is the limit's key in the plan. A `max` check passes
 * when actual ≤ max; a `within` check passes when |value/optimum − 1| ≤ within (both
 * bounds inclusive). Out of limit, the check fails at level `error` and warns at level
 * `warn` (or fails under `strict`). A check whose inputs the plan lacks, or whose level is
 * `off`, is skipped with the reason: never passed.
 */
import { paramsForBudget, trainingFlops, tokensForBudget } from './compute.js';
import { KAPLAN_CRITICAL_BATCH, criticalBatchFromLoss, minimumCompute } from './critical-batch.js';
import { MoeplanError } from './errors.js';
import { type OptimalAllocation, allocationBudgetKind, optimalAllocation } from './allocation.js';
import { trainingTime } from './hardware.js';
import type { Law } from './laws/types.js';
import { expertLearningRates, optimalLearningRate } from './learning-rate.js';

/** The checks, in the order they are described; each is the key of its limit in a plan. */
export const CHECK_IDS = ['flops', 'paramsVsOptimal', 'tokensVsOptimal', 'batchVsCritical', 'expertLr', 'gpuHours', 'days', 'cost'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** `error`: out of limit fails; `warn`: out of limit warns; `off`: not checked. */
export type CheckLevel = 'error' | 'warn' | 'off';
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** Whether a check bounds a value from above (`max`) or its distance from an optimum (`within`). */
export const CHECK_KINDS: Readonly<Record<CheckId, 'max' | 'within'>> = {
  flops: 'max',
  paramsVsOptimal: 'within',
  tokensVsOptimal: 'within',
  batchVsCritical: 'max',
  expertLr: 'within',
  gpuHours: 'max',
  days: 'max',
  cost: 'max',
};

export interface PlanLimit {
  /** The maximum (`max` checks) or the relative tolerance (`within` checks, 0.15 = ±15%). */
  readonly value: number;
  readonly level: CheckLevel;
}

/** A training plan with every quantity resolved to a number (base units). */
export interface Plan {
  readonly name: string;
  readonly model: {
    /** N, activated parameters. */
    readonly activatedParams?: number;
    /** n, specialized experts. */
    readonly experts?: number;
    /** k of top-k routing (default 1). */
    readonly topK?: number;
  };
  readonly training: {
    /** D, training tokens. */
    readonly tokens?: number;
    /** B, tokens per optimizer step. */
    readonly batchTokens?: number;
    /** Bcrit in tokens, if the plan states it. */
    readonly criticalBatchTokens?: number;
    /** Expected loss (nats per token), giving Bcrit by Kaplan eq. 1.4 when Bcrit is not stated. */
    readonly loss?: number;
    readonly lr?: {
      /** εmax of Hunyuan eq. 1. */
      readonly max?: number;
      /** Bnoise in tokens. */
      readonly noiseTokens?: number;
      /** Planned rate of the shared expert. */
      readonly shared?: number;
      /** Planned rate of the specialized experts. */
      readonly specialized?: number;
    };
  };
  readonly hardware: {
    readonly gpu?: string;
    /** Peak FLOP/s per accelerator. */
    readonly peakFlops?: number;
    readonly count?: number;
    /** Model FLOPs utilisation in (0, 1]. */
    readonly mfu?: number;
    /** Price per GPU-hour. */
    readonly price?: number;
  };
  /** The checks to run: limit per check id, in the plan's order. */
  readonly limits: Readonly<Partial<Record<CheckId, PlanLimit>>>;
}

/** What the plan implies, computed once for all checks. Absent where inputs are missing. */
export interface PlanDerived {
  /** C by the law's compute model, FLOPs. */
  readonly flops?: number;
  /** Bcrit in tokens, and where it came from. */
  readonly criticalBatchTokens?: number;
  readonly criticalBatchFrom?: 'plan' | 'loss';
  /** Cmin = C/(1 + B/Bcrit), FLOPs. */
  readonly cmin?: number;
  /** The law's Nopt and Dopt at Cmin (with closure and extrapolation). */
  readonly optimal?: OptimalAllocation;
  /** εopt of the shared expert (batch B) and of each specialized expert (batch B·k/n). */
  readonly optimalSharedLr?: number;
  readonly optimalSpecializedLr?: number;
  /** B/Bnoise. */
  readonly batchOverNoise?: number;
  readonly gpuHours?: number;
  readonly days?: number;
  readonly cost?: number;
}

/** The outcome of one check. */
export interface Finding {
  /** The key of the limit in the plan. */
  readonly id: CheckId;
  readonly status: CheckStatus;
  readonly level: CheckLevel;
  readonly kind: 'max' | 'within';
  /**
   * The number compared with the limit: the value itself for `max` checks; for `within`
   * checks the signed relative deviation value/optimum − 1 (for `expertLr`, that of the
   * rate furthest off). `null` when skipped.
   */
  readonly actual: number | null;
  /** The maximum, or the tolerance (0.15 = ±15%). */
  readonly limit: number;
  /**
   * How far past the limit: actual/limit − 1 for `max` (0.12 = 12% over), |actual| − limit
   * for `within` (0.134 = 13.4 percentage points outside). Negative inside the limit;
   * `null` when skipped.
   */
  readonly excess: number | null;
  /** Why the check was skipped. */
  readonly reason?: string;
  /** The numbers behind the check (see {@link checkPlan} for the keys of each check). */
  readonly detail: Readonly<Record<string, number>>;
}

export interface PlanCheck {
  /** True when no check failed (warnings allowed, unless `strict`). */
  readonly passed: boolean;
  readonly strict: boolean;
  readonly findings: readonly Finding[];
  readonly derived: PlanDerived;
}

/**
 * Derive what a plan implies under a law: C, Bcrit, Cmin, Nopt/Dopt, εopt, time and cost.
 *
 * Decisions: with `training.loss` and no stated Bcrit, the law's own loss-based critical
 * batch constants are used if it has them, else Kaplan's (B* = 2e8, αB = 0.21), because
 * Hunyuan eq. 3 takes Bcrit from Kaplan. A law with a compute-based critical batch only
 * (Bcrit as a power of Cmin) is not used here: Cmin itself depends on Bcrit.
 *
 * @example derivePlan(plan, PRESETS.hunyuan).cmin // 2.3283e24 for N = 52B, D = 7T, B = 32M, Bcrit = 64M
 */
export function derivePlan(plan: Plan, law: Law): PlanDerived {
  const { activatedParams, experts, topK } = plan.model;
  const { tokens, batchTokens, loss, lr } = plan.training;
  const out: { -readonly [K in keyof PlanDerived]: PlanDerived[K] } = {};
  if (activatedParams !== undefined && tokens !== undefined) {
    out.flops = finite(trainingFlops(activatedParams, tokens, law.compute), 'the training compute C');
  }
  if (plan.training.criticalBatchTokens !== undefined) {
    out.criticalBatchTokens = plan.training.criticalBatchTokens;
    out.criticalBatchFrom = 'plan';
  } else if (loss !== undefined) {
    const constants = law.criticalBatch?.kind === 'loss' ? law.criticalBatch : KAPLAN_CRITICAL_BATCH;
    out.criticalBatchTokens = finite(criticalBatchFromLoss(loss, constants), 'the critical batch Bcrit');
    out.criticalBatchFrom = 'loss';
  }
  if (out.flops !== undefined && batchTokens !== undefined && out.criticalBatchTokens !== undefined) {
    out.cmin = finite(minimumCompute(out.flops, batchTokens, out.criticalBatchTokens), 'the minimum compute Cmin');
  }
  if (law.allocation && out.flops !== undefined) {
    // A law of Cmin needs the batch and Bcrit; a law of raw compute C (Chinchilla, DeepSeek) does not.
    if (out.cmin !== undefined) out.optimal = optimalAllocation(law, out.cmin, { flops: out.flops });
    else if (allocationBudgetKind(law) === 'flops') out.optimal = optimalAllocation(law, out.flops, { flops: out.flops });
  }
  if (lr?.max !== undefined && lr.noiseTokens !== undefined && batchTokens !== undefined) {
    out.batchOverNoise = finite(batchTokens / lr.noiseTokens, 'B/Bnoise');
    if (experts !== undefined) {
      const rates = expertLearningRates({ batchTokens, noiseTokens: lr.noiseTokens, maxLr: lr.max, experts, topK: topK ?? 1 });
      out.optimalSharedLr = finite(rates.shared, 'the optimal shared-expert rate εopt(B)');
      out.optimalSpecializedLr = finite(rates.specialized, 'the optimal specialized-expert rate εopt(B·k/n)');
    } else {
      out.optimalSharedLr = finite(optimalLearningRate(batchTokens, lr.noiseTokens, lr.max), 'the optimal rate εopt(B)');
    }
  }
  const { peakFlops, mfu, count, price } = plan.hardware;
  if (out.flops !== undefined && peakFlops !== undefined && mfu !== undefined) {
    const time = trainingTime(out.flops, {
      peakFlops,
      mfu,
      ...(count !== undefined ? { count } : {}),
      ...(price !== undefined ? { pricePerGpuHour: price } : {}),
    });
    out.gpuHours = finite(time.gpuHours, 'the GPU-hours');
    if (time.days !== undefined) out.days = finite(time.days, 'the wall-clock days');
    if (time.cost !== undefined) out.cost = finite(time.cost, 'the cost');
  }
  return out;
}

/**
 * Run every check a plan sets a limit for.
 *
 * Checks and the numbers in each finding's `detail`:
 * - `flops` (max): C by the law's compute model. detail: flops, activatedParams, tokens,
 *   tokensAtLimit (the D that would use exactly `max`).
 * - `paramsVsOptimal` (within): N against Nopt at Cmin (at C for a law of raw compute).
 *   detail: activatedParams, optimalParams, budget (the Cmin or C used), cmin, low, high
 *   (the allowed range of N at this budget), suggestedParams (when out of limit).
 * - `tokensVsOptimal` (within): D against Dopt, likewise. detail: tokens, optimalTokens,
 *   budget, cmin, low, high, suggestedTokens.
 * - `batchVsCritical` (max): B/Bcrit. detail: batchTokens, criticalBatchTokens,
 *   batchAtLimit (the largest B within the limit).
 * - `expertLr` (within): each planned rate against εopt of its expert's batch. detail:
 *   sharedLr, optimalSharedLr, sharedDeviation, specializedLr, optimalSpecializedLr,
 *   specializedDeviation (those the plan gives), batchOverNoise.
 * - `gpuHours`, `days`, `cost` (max): detail: the value, and gpuHours, peakFlops, mfu,
 *   count, price where they apply.
 *
 * @example
 * const result = checkPlan(hunyuanPlan, PRESETS.hunyuan);
 * result.findings.find((f) => f.id === 'tokensVsOptimal') // { status: 'warn', actual: 0.4336, limit: 0.3, … }
 */
export function checkPlan(plan: Plan, law: Law, options: { strict?: boolean } = {}): PlanCheck {
  const strict = options.strict === true;
  const derived = derivePlan(plan, law);
  const findings: Finding[] = [];
  for (const [id, limit] of Object.entries(plan.limits) as [CheckId, PlanLimit | undefined][]) {
    if (!limit) continue;
    findings.push(runCheck(id, limit, plan, law, derived, strict));
  }
  return { passed: findings.every((f) => f.status !== 'fail'), strict, findings, derived };
}

type Measure = { actual: number; detail: Record<string, number> } | { missing: string };

function runCheck(id: CheckId, limit: PlanLimit, plan: Plan, law: Law, derived: PlanDerived, strict: boolean): Finding {
  const kind = CHECK_KINDS[id];
  const base = { id, level: limit.level, kind, limit: limit.value };
  if (limit.level === 'off') {
    return { ...base, status: 'skip', actual: null, excess: null, reason: 'turned off (level: off)', detail: {} };
  }
  const measured = measure(id, limit.value, plan, law, derived);
  if ('missing' in measured) {
    return { ...base, status: 'skip', actual: null, excess: null, reason: measured.missing, detail: {} };
  }
  const { actual, detail } = measured;
  const excess = kind === 'max' ? actual / limit.value - 1 : Math.abs(actual) - limit.value;
  representable(id, { actual, excess, ...detail });
  const inside = kind === 'max' ? actual <= limit.value : Math.abs(actual) <= limit.value;
  const status: CheckStatus = inside ? 'pass' : limit.level === 'warn' && !strict ? 'warn' : 'fail';
  return { ...base, status, actual, excess, detail };
}

const NEEDS_SIZE = 'model.activatedParams (or model.config) and training.tokens';
const NEEDS_CMIN = `${NEEDS_SIZE}, training.batchTokens, and training.criticalBatchTokens or training.loss (for Cmin)`;

function measure(id: CheckId, limitValue: number, plan: Plan, law: Law, derived: PlanDerived): Measure {
  const { activatedParams } = plan.model;
  const { tokens, batchTokens, lr } = plan.training;
  switch (id) {
    case 'flops': {
      if (derived.flops === undefined || activatedParams === undefined || tokens === undefined) return { missing: `needs ${NEEDS_SIZE}` };
      const paramsAtLimit = (limitValue / tokens - law.compute.tokens) / law.compute.paramsTokens;
      return {
        actual: derived.flops,
        detail: {
          flops: derived.flops,
          activatedParams,
          tokens,
          tokensAtLimit: tokensForBudget(limitValue, activatedParams, law.compute),
          ...(paramsAtLimit > 0 ? { paramsAtLimit: paramsForBudget(limitValue, tokens, law.compute) } : {}),
        },
      };
    }
    case 'paramsVsOptimal':
    case 'tokensVsOptimal': {
      if (!law.allocation) return { missing: `law ${law.name} has no compute-optimal allocation` };
      if (!derived.optimal) return { missing: `needs ${allocationBudgetKind(law) === 'flops' ? NEEDS_SIZE : NEEDS_CMIN}` };
      const params = id === 'paramsVsOptimal';
      const value = (params ? activatedParams : tokens) as number;
      const optimum = params ? derived.optimal.params : derived.optimal.tokens;
      const deviation = value / optimum - 1;
      const suggested = Math.abs(deviation) > limitValue ? withinAfterChange(plan, law, params ? 'activatedParams' : 'tokens', deviation, limitValue) : undefined;
      return {
        actual: deviation,
        detail: {
          [params ? 'activatedParams' : 'tokens']: value,
          [params ? 'optimalParams' : 'optimalTokens']: optimum,
          // The compute the law's allocation was evaluated at: Cmin, or C for a law of raw compute.
          budget: derived.optimal.budget,
          ...(derived.cmin !== undefined ? { cmin: derived.cmin } : {}),
          low: optimum * (1 - limitValue),
          high: optimum * (1 + limitValue),
          ...(suggested !== undefined ? { [params ? 'suggestedParams' : 'suggestedTokens']: suggested } : {}),
        },
      };
    }
    case 'batchVsCritical': {
      if (batchTokens === undefined || derived.criticalBatchTokens === undefined) {
        return { missing: 'needs training.batchTokens, and training.criticalBatchTokens or training.loss' };
      }
      return {
        actual: batchTokens / derived.criticalBatchTokens,
        detail: { batchTokens, criticalBatchTokens: derived.criticalBatchTokens, batchAtLimit: limitValue * derived.criticalBatchTokens },
      };
    }
    case 'expertLr': {
      if (derived.optimalSharedLr === undefined || derived.batchOverNoise === undefined) {
        return { missing: 'needs training.lr.max, training.lr.noiseTokens and training.batchTokens (for εopt)' };
      }
      if (lr?.shared === undefined && lr?.specialized === undefined) {
        return { missing: 'needs training.lr.shared or training.lr.specialized (the planned rates)' };
      }
      if (lr.specialized !== undefined && derived.optimalSpecializedLr === undefined) {
        return { missing: 'needs model.experts (for the specialized experts\' batch B·k/n)' };
      }
      const detail: Record<string, number> = { batchOverNoise: derived.batchOverNoise };
      const deviations: number[] = [];
      if (lr.shared !== undefined) {
        const deviation = lr.shared / derived.optimalSharedLr - 1;
        Object.assign(detail, { sharedLr: lr.shared, optimalSharedLr: derived.optimalSharedLr, sharedDeviation: deviation });
        deviations.push(deviation);
      }
      if (lr.specialized !== undefined && derived.optimalSpecializedLr !== undefined) {
        const deviation = lr.specialized / derived.optimalSpecializedLr - 1;
        Object.assign(detail, { specializedLr: lr.specialized, optimalSpecializedLr: derived.optimalSpecializedLr, specializedDeviation: deviation });
        deviations.push(deviation);
      }
      const actual = deviations.reduce((worst, d) => (Math.abs(d) > Math.abs(worst) ? d : worst), 0);
      return { actual, detail };
    }
    case 'gpuHours':
    case 'days':
    case 'cost': {
      const { peakFlops, mfu, count, price } = plan.hardware;
      const needs = [
        derived.flops === undefined && NEEDS_SIZE,
        peakFlops === undefined && 'hardware.gpu (or hardware.peakFlops)',
        mfu === undefined && 'hardware.mfu',
        id === 'days' && count === undefined && 'hardware.count',
        id === 'cost' && price === undefined && 'hardware.price',
      ].filter((x): x is string => typeof x === 'string');
      const value = derived[id];
      if (needs.length > 0 || value === undefined || derived.gpuHours === undefined || derived.flops === undefined) {
        return { missing: `needs ${joinAnd(needs)}` };
      }
      const scale = limitValue / value;
      return {
        actual: value,
        detail: {
          [id]: value,
          flops: derived.flops,
          gpuHours: derived.gpuHours,
          peakFlops: peakFlops as number,
          mfu: mfu as number,
          ...(count !== undefined ? { count } : {}),
          ...(price !== undefined ? { price } : {}),
          // What would meet the limit with everything else unchanged.
          flopsAtLimit: derived.flops * scale,
          ...(id === 'days' && count !== undefined ? { countAtLimit: Math.ceil(count / scale) } : {}),
          ...(id === 'cost' && price !== undefined ? { priceAtLimit: price * scale } : {}),
        },
      };
    }
  }
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
export function withinAfterChange(plan: Plan, law: Law, field: 'activatedParams' | 'tokens', deviation: number, within: number): number | undefined {
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

/**
 * Every number of a finding must be finite, and the values that would meet the limit
 * (`…AtLimit`, `suggested…`) positive: a plan whose quantities and limit are so far apart
 * that one overflows or underflows is an error with the reason, never a report of
 * Infinity or 0.
 */
function representable(id: CheckId, numbers: Readonly<Record<string, number>>): void {
  for (const [key, value] of Object.entries(numbers)) {
    const positive = key.endsWith('AtLimit') || key.startsWith('suggested');
    if (Number.isFinite(value) && (!positive || value > 0)) continue;
    const what = key === 'actual' ? 'the value checked' : key === 'excess' ? 'the excess over the limit' : key;
    throw new MoeplanError(
      Number.isFinite(value) ? 'UNDERFLOW' : 'OVERFLOW',
      `limits.${id}: ${what} is ${Number.isFinite(value) ? 'too small to represent (it rounds to 0)' : Number.isNaN(value) ? 'not a number (NaN)' : `too large to represent (${value})`}`,
      { field: `limits.${id}`, hint: "the plan's quantities and this limit are too far apart in magnitude; check their units and exponents" },
    );
  }
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function finite(value: number, what: string): number {
  if (!Number.isFinite(value) || value === 0) {
    throw new MoeplanError('OVERFLOW', `${what} of this plan is ${value === 0 ? 'too small to represent' : 'too large to represent'}`, {
      hint: 'check the magnitudes of the plan\'s quantities',
    });
  }
  return value;
}
