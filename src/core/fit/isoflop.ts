/**
 * The isoFLOP fit of Hunyuan-Large §2.3.1 (after Hoffmann et al. 2022, approach 2), from a
 * user's own runs:
 *
 * 1. group the runs into compute budgets (grouping.ts);
 * 2. per budget, a parabola of final loss in ln N and one in ln D; their vertices are the
 *    budget's Nopt and Dopt (parabola.ts). A budget with fewer than three runs, fewer than
 *    three sizes, or no minimum is dropped with the reason;
 * 3. across budgets, Nopt = Nc·Cmin^α and Dopt = Dc·Cmin^β by log-log least squares
 *    (power-law.ts), with R²;
 * 4. confidence intervals by the bootstrap: resample the runs of each budget with
 *    replacement (a seeded generator, random.ts), refit 2 and 3, and take percentiles.
 *
 * Cmin = C / (1 + B/Bcrit) (Hunyuan-Large eq. 3) is computed by the caller per run; the
 * budget's Cmin is its raw budget times the geometric mean of its runs' Cmin/C, so runs
 * are grouped by the compute they were planned at and regressed on the compute the
 * paper's law is written in. Without batch information Cmin = C and the law is in raw FLOPs.
 */
import { MoeplanError } from '../errors.js';
import { type Message, message } from '../messages.js';
import { type BudgetGroup, type Grouping, groupAutomatically, groupByBudgets } from './grouping.js';
import { type ParabolaFailure, type ParabolaFit, fitParabola, parabolaWorkspace } from './parabola.js';
import { type PowerLawFit, fitPowerLaw } from './power-law.js';
import { percentileInterval } from './quantile.js';
import { seededRandom } from './random.js';
import { extent } from '../extent.js';

/** One training run: activated parameters N, tokens D, final loss, compute C and Cmin (FLOPs). */
export interface FitRun {
  readonly params: number;
  readonly tokens: number;
  readonly loss: number;
  readonly flops: number;
  /** C / (1 + B/Bcrit); equal to `flops` when there is no batch adjustment. */
  readonly cmin: number;
}

export interface IsoflopOptions {
  /** Planned budgets (raw C, FLOPs). Without them the budgets are found from the runs. */
  readonly budgets?: readonly number[];
  /** Grouping tolerance as a ratio: 0.25 puts runs within ×/÷1.25 of a budget in it. */
  readonly tolerance: number;
  /** Bootstrap resamples (0: no intervals). */
  readonly resamples: number;
  readonly seed: number;
  /** Central interval level, e.g. 0.9. */
  readonly confidence: number;
  /** Add a linear term in ln(Cmin_run/Cmin_budget) to each parabola (see parabola.ts). */
  readonly offsetTerm?: boolean;
  /** Called now and then during the bootstrap. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BudgetOptimum {
  /** The budget's raw compute C, FLOPs. */
  readonly flops: number;
  /** The budget's Cmin, FLOPs (= flops without a batch adjustment). */
  readonly cmin: number;
  /** Indices of the runs fitted. */
  readonly members: readonly number[];
  /** Compute-optimal activated parameters at this budget: the vertex of the loss parabola in ln N. */
  readonly params: number;
  /** Compute-optimal tokens: the vertex of the loss parabola in ln D. */
  readonly tokens: number;
  /** Loss at the N vertex. */
  readonly loss: number;
  readonly paramsFit: Extract<ParabolaFit, { ok: true }>;
  readonly tokensFit: Extract<ParabolaFit, { ok: true }>;
  /** [min, max] of the runs' N and D. */
  readonly paramsRange: readonly [number, number];
  readonly tokensRange: readonly [number, number];
}

export interface DroppedBudget {
  readonly flops: number;
  readonly members: readonly number[];
  readonly failure: ParabolaFailure;
  /** Why, as a message. */
  readonly reason: Message;
}

export interface FittedPowerLaw extends PowerLawFit {
  readonly coefficientCi?: readonly [number, number];
  readonly exponentCi?: readonly [number, number];
  /**
   * Pointwise bootstrap interval of the law across the fitted budgets: at each budget of a
   * log-spaced grid, the percentile interval of coefficient·budget^exponent over the
   * resamples (for drawing a band around the line).
   */
  readonly band?: ReadonlyArray<{ readonly budget: number; readonly low: number; readonly high: number }>;
}

export interface IsoflopFit {
  readonly grouping: 'budgets' | 'auto';
  readonly groups: readonly BudgetGroup[];
  readonly leftOut: Grouping['leftOut'];
  readonly budgets: readonly BudgetOptimum[];
  readonly dropped: readonly DroppedBudget[];
  /** Nopt = coefficient · Cmin^exponent. */
  readonly params: FittedPowerLaw;
  /** Dopt = coefficient · Cmin^exponent. */
  readonly tokens: FittedPowerLaw;
  readonly bootstrap: {
    readonly resamples: number;
    /** Resamples that gave both power laws. */
    readonly used: number;
    /** Resamples in which at least one budget had no optimum (fitted on the remaining budgets). */
    readonly lostBudget: number;
    readonly seed: number;
    readonly confidence: number;
  };
  /** Ranges of the kept budgets' Cmin and of their runs' N and D. */
  readonly fittedRange: { readonly cmin: readonly [number, number]; readonly params: readonly [number, number]; readonly tokens: readonly [number, number] };
}

/**
 * Fit Nopt = Nc·Cmin^α and Dopt = Dc·Cmin^β to runs (Hunyuan-Large §2.3.1).
 * Throws `MoeplanError` (`TOO_FEW_BUDGETS`) when fewer than two budgets give an optimum.
 *
 * @example
 * // runs from L = E + A/N^α + B/D^β around three budgets → exponent ≈ β/(α+β)
 * fitIsoflop(runs, { tolerance: 0.25, resamples: 1000, seed: 1, confidence: 0.9 }).params.exponent
 */
export function fitIsoflop(runs: readonly FitRun[], options: IsoflopOptions): IsoflopFit {
  const logFlops = runs.map((r) => Math.log(r.flops));
  const grouping =
    options.budgets && options.budgets.length > 0
      ? groupByBudgets(logFlops, options.budgets, options.tolerance)
      : groupAutomatically(logFlops, options.tolerance);
  const logParams = Float64Array.from(runs, (r) => Math.log(r.params));
  const logTokens = Float64Array.from(runs, (r) => Math.log(r.tokens));
  const loss = Float64Array.from(runs, (r) => r.loss);
  const offset = new Float64Array(runs.length);

  const budgets: BudgetOptimum[] = [];
  const dropped: DroppedBudget[] = [];
  for (const group of grouping.groups) {
    const m = group.members;
    if (m.length === 0) {
      dropped.push({ flops: group.flops, members: m, failure: 'too-few-runs', reason: message('fit.dropped.no-runs', {}) });
      continue;
    }
    const meanLogRatio = m.reduce((s, i) => s + Math.log((runs[i] as FitRun).cmin / (runs[i] as FitRun).flops), 0) / m.length;
    const cmin = group.flops * Math.exp(meanLogRatio);
    for (const i of m) offset[i] = Math.log((runs[i] as FitRun).cmin) - Math.log(cmin);
    const z = options.offsetTerm ? offset : undefined;
    const byParams = fitParabola(logParams, loss, m, m.length, z);
    const byTokens = fitParabola(logTokens, loss, m, m.length, z);
    if (!byParams.ok || !byTokens.ok) {
      const failure = (!byParams.ok ? byParams.failure : (byTokens as { failure: ParabolaFailure }).failure) as ParabolaFailure;
      dropped.push({
        flops: group.flops,
        members: m,
        failure,
        reason: message('fit.dropped.parabola', { failure, against: !byParams.ok ? 'params' : 'tokens', runs: m.length }),
      });
      continue;
    }
    budgets.push({
      flops: group.flops,
      cmin,
      members: m,
      params: Math.exp(byParams.logVertex),
      tokens: Math.exp(byTokens.logVertex),
      loss: byParams.minimumLoss,
      paramsFit: byParams,
      tokensFit: byTokens,
      paramsRange: range(m.map((i) => (runs[i] as FitRun).params)),
      tokensRange: range(m.map((i) => (runs[i] as FitRun).tokens)),
    });
  }

  if (budgets.length < 2) {
    throw new MoeplanError(
      'TOO_FEW_BUDGETS',
      message('fit.too-few-budgets', { found: budgets.length, dropped: dropped.map(({ flops, reason }) => ({ flops, reason })) }),
      {
        hint: grouping.groups.length < 2 ? message('fit.too-few-budgets.one-budget', {}) : message('fit.too-few-budgets.bracket', {}),
      },
    );
  }

  const logCmin = Float64Array.from(budgets, (b) => Math.log(b.cmin));
  const paramsLaw = fitPowerLaw(
    logCmin,
    Float64Array.from(budgets, (b) => b.paramsFit.logVertex),
  );
  const tokensLaw = fitPowerLaw(
    logCmin,
    Float64Array.from(budgets, (b) => b.tokensFit.logVertex),
  );
  if (!paramsLaw || !tokensLaw) {
    throw new MoeplanError('TOO_FEW_BUDGETS', message('fit.same-budget', {}), { hint: message('fit.same-budget.hint', {}) });
  }

  const boot = bootstrap(budgets, logCmin, logParams, logTokens, loss, options.offsetTerm ? offset : undefined, options);
  const level = options.confidence;
  const [lowBudget, highBudget] = extent(logCmin);
  const withCi = (law: PowerLawFit, exponents: Float64Array, logCoefficients: Float64Array): FittedPowerLaw => {
    if (boot.used === 0) return law;
    const predicted = new Float64Array(exponents.length);
    const band = Array.from({ length: 17 }, (_, g) => {
      const u = lowBudget + ((highBudget - lowBudget) * g) / 16;
      for (let k = 0; k < exponents.length; k++) predicted[k] = (logCoefficients[k] as number) + (exponents[k] as number) * u;
      const [low, high] = percentileInterval(predicted, level);
      return { budget: Math.exp(u), low: Math.exp(low), high: Math.exp(high) };
    });
    return {
      ...law,
      exponentCi: percentileInterval(exponents, level),
      coefficientCi: percentileInterval(logCoefficients, level).map(Math.exp) as [number, number],
      band,
    };
  };

  const allMembers = budgets.flatMap((b) => b.members);
  return {
    grouping: options.budgets && options.budgets.length > 0 ? 'budgets' : 'auto',
    groups: grouping.groups,
    leftOut: grouping.leftOut,
    budgets,
    dropped,
    params: withCi(paramsLaw, boot.paramsExponent, boot.paramsLogCoefficient),
    tokens: withCi(tokensLaw, boot.tokensExponent, boot.tokensLogCoefficient),
    bootstrap: { resamples: options.resamples, used: boot.used, lostBudget: boot.lostBudget, seed: options.seed, confidence: level },
    fittedRange: {
      cmin: range(budgets.map((b) => b.cmin)),
      params: range(allMembers.map((i) => (runs[i] as FitRun).params)),
      tokens: range(allMembers.map((i) => (runs[i] as FitRun).tokens)),
    },
  };
}

/**
 * Resample each budget's runs with replacement (same count), refit its two parabolas and
 * then the two power laws. A budget whose resample has no optimum is left out of that
 * resample's power laws; a resample with fewer than two budgets left gives NaN (ignored
 * by the percentiles). Draws are in a fixed order (resample, budget, run), so a seed
 * reproduces the intervals exactly.
 */
function bootstrap(
  budgets: readonly BudgetOptimum[],
  logCmin: Float64Array,
  logParams: Float64Array,
  logTokens: Float64Array,
  loss: Float64Array,
  offset: Float64Array | undefined,
  options: IsoflopOptions,
) {
  const total = Math.max(0, Math.floor(options.resamples));
  const paramsExponent = new Float64Array(total);
  const paramsLogCoefficient = new Float64Array(total);
  const tokensExponent = new Float64Array(total);
  const tokensLogCoefficient = new Float64Array(total);
  const random = seededRandom(options.seed);
  const largest = extent(budgets.map((b) => b.members.length))[1];
  const index = new Int32Array(largest);
  const workspace = parabolaWorkspace(largest);
  const vertexParams = new Float64Array(budgets.length);
  const vertexTokens = new Float64Array(budgets.length);
  let used = 0;
  let lostBudget = 0;
  const every = Math.max(1, Math.floor(total / 100));
  for (let k = 0; k < total; k++) {
    let lost = false;
    for (let b = 0; b < budgets.length; b++) {
      const members = (budgets[b] as BudgetOptimum).members;
      const n = members.length;
      for (let i = 0; i < n; i++) index[i] = members[random.int(n)] as number;
      const byParams = fitParabola(logParams, loss, index, n, offset, workspace);
      const byTokens = fitParabola(logTokens, loss, index, n, offset, workspace);
      vertexParams[b] = byParams.ok ? byParams.logVertex : Number.NaN;
      vertexTokens[b] = byTokens.ok ? byTokens.logVertex : Number.NaN;
      if (!byParams.ok || !byTokens.ok) lost = true;
    }
    if (lost) lostBudget++;
    const p = fitPowerLaw(logCmin, vertexParams);
    const t = fitPowerLaw(logCmin, vertexTokens);
    paramsExponent[k] = p ? p.exponent : Number.NaN;
    paramsLogCoefficient[k] = p ? p.logCoefficient : Number.NaN;
    tokensExponent[k] = t ? t.exponent : Number.NaN;
    tokensLogCoefficient[k] = t ? t.logCoefficient : Number.NaN;
    if (p && t) used++;
    if (options.onProgress && (k + 1) % every === 0) options.onProgress(k + 1, total);
  }
  return { paramsExponent, paramsLogCoefficient, tokensExponent, tokensLogCoefficient, used, lostBudget };
}

function range(values: readonly number[]): [number, number] {
  return extent(values);
}
