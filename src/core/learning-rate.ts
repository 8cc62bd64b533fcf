/**
 * Optimal Adam learning rates by batch size, and the expert-specific rates of an MoE layer
 * (Hunyuan-Large §2.2.4).
 *
 * With x = B/Bnoise, eq. 1 reads εopt = 2·εmax·√x / (1 + x): it rises with the batch while
 * B < Bnoise, peaks at εmax when B = Bnoise, and falls again above it.
 *
 * The shared expert sees every token of a batch of B tokens. With n specialized experts and
 * top-k routing, each specialized expert sees about B·k/n tokens (the load-balance loss
 * keeps the experts near equal), so its optimal rate is εopt(B·k/n). Writing m = n/k, the
 * two rates relate by
 *
 *   specialized/shared = εopt(B/m) / εopt(B) = √m·(1 + x) / (m + x),
 *
 * which rises monotonically from 1/√m (x → 0) through 1 (x = √m) to √m (x → ∞).
 *
 * The report says "εopt(B)/εopt(B/n) … is approximately 0.31" (n = 16) and that it "scales
 * down" the specialized experts. Both cannot hold literally: εopt(B)/εopt(B/n) = 0.31
 * means x ≈ 61.5, where the specialized rate is 3.23 × the shared one (scaled up), while
 * specialized/shared = 0.31 means x ≈ 0.260 (scaled down). moeplan therefore computes each
 * rate from eq. 1, always names a ratio by what it divides, and solves for x under either
 * reading on request (`specialized-over-shared`, the default, or `paper-literal`).
 */
import { MoeplanError } from './errors.js';
import type { Law } from './laws/types.js';
import { message } from './messages.js';

/**
 * Optimal Adam learning rate for a batch of B tokens:
 * εopt(B) = 2·εmax / (√(Bnoise/B) + √(B/Bnoise)).
 *
 * Source: Hunyuan-Large eq. 1; Li et al. 2024 ("Surge phenomenon") eq. 2.
 * Units: batch and noise scale in tokens (any common unit works: only B/Bnoise matters);
 * the result has the unit of `maxLr`.
 *
 * @param batchTokens B, tokens per optimizer step.
 * @param noiseTokens Bnoise, the gradient noise scale (≈ Kaplan's critical batch).
 * @param maxLr εmax, the largest optimal rate over all batch sizes.
 * @example optimalLearningRate(4e6, 16e6, 3e-4) // 2.4e-4 (x = 0.25: 2·3e-4·0.5/1.25)
 * @example optimalLearningRate(16e6, 16e6, 3e-4) // 3e-4 (the peak: B = Bnoise)
 */
export function optimalLearningRate(batchTokens: number, noiseTokens: number, maxLr: number): number {
  return learningRateAtRatio(batchTokens / noiseTokens, maxLr);
}

/**
 * εopt as a function of x = B/Bnoise: 2·εmax·√x / (1 + x) (Hunyuan eq. 1 rewritten).
 * Written this way it stays exact for x far from 1 (no √ of a huge and a tiny number).
 *
 * @example learningRateAtRatio(1, 3e-4) // 3e-4
 * @example learningRateAtRatio(4, 1) // 0.8
 */
export function learningRateAtRatio(batchOverNoise: number, maxLr: number): number {
  if (batchOverNoise === Number.POSITIVE_INFINITY) return 0;
  return (2 * maxLr * Math.sqrt(batchOverNoise)) / (1 + batchOverNoise);
}

/** Where a batch lies relative to the peak of eq. 1 (B = Bnoise). */
export type PeakSide = 'below' | 'at' | 'above';

/**
 * Which side of the peak B = Bnoise a batch lies on: `below` (a larger batch would raise
 * the optimal rate), `above` (a larger batch lowers it), or `at` (within `tolerance`,
 * relative, of the peak).
 *
 * @example peakSide(0.25) // 'below'
 * @example peakSide(1) // 'at'
 */
export function peakSide(batchOverNoise: number, tolerance = 1e-9): PeakSide {
  if (Math.abs(batchOverNoise - 1) <= tolerance) return 'at';
  return batchOverNoise < 1 ? 'below' : 'above';
}

/**
 * specialized/shared = εopt(B·k/n) / εopt(B) = √m·(1 + x)/(m + x), with m = n/k and
 * x = B/Bnoise (derived from Hunyuan eq. 1 and §2.2.4). Independent of εmax.
 *
 * Spot values for n = 16, k = 1: x = 0.25 → 0.3077, x = 1 → 0.4706, x = 4 → 1,
 * x = 16 → 2.125.
 *
 * @example specializedOverShared(0.25, 16) // 0.30769 (= 4·1.25/16.25)
 * @example specializedOverShared(16, 16) // 2.125
 */
export function specializedOverShared(batchOverNoise: number, experts: number, topK = 1): number {
  const m = experts / topK;
  if (batchOverNoise === Number.POSITIVE_INFINITY) return Math.sqrt(m);
  return (Math.sqrt(m) * (1 + batchOverNoise)) / (m + batchOverNoise);
}

/**
 * B·k/n: the share of a batch that each of n specialized experts sees with top-k routing
 * (Hunyuan-Large §2.2.4); in tokens, or as a fraction of Bnoise when given B/Bnoise.
 *
 * @example perExpertBatch(4e6, 16) // 250000
 * @example perExpertBatch(0.25, 16, 2) // 0.03125
 */
export function perExpertBatch(batch: number, experts: number, topK = 1): number {
  return (batch * topK) / experts;
}

export interface ExpertLearningRateInput {
  /** B, tokens per optimizer step (what the shared expert sees). */
  readonly batchTokens: number;
  /** Bnoise, the gradient noise scale in tokens. */
  readonly noiseTokens: number;
  /** εmax of eq. 1. */
  readonly maxLr: number;
  /** n, the number of specialized (routed) experts. */
  readonly experts: number;
  /** k, the specialized experts each token is routed to (default 1). */
  readonly topK?: number;
}

export interface ExpertLearningRates {
  /** The shared expert's rate εopt(B). */
  readonly shared: number;
  /** Each specialized expert's rate εopt(B·k/n). */
  readonly specialized: number;
  /** specialized / shared (never the reverse: see the module comment). */
  readonly specializedOverShared: number;
  /** x = B/Bnoise for the shared expert. */
  readonly batchOverNoise: number;
  /** B·k/n, the effective batch of each specialized expert, in tokens. */
  readonly specializedBatchTokens: number;
}

/**
 * The shared and specialized expert rates of an MoE layer (Hunyuan-Large §2.2.4 with eq. 1):
 * shared = εopt(B), specialized = εopt(B·k/n).
 *
 * @example
 * expertLearningRates({ batchTokens: 4e6, noiseTokens: 16e6, maxLr: 3e-4, experts: 16 })
 * // { shared: 2.4e-4, specialized: 7.385e-5, specializedOverShared: 0.3077,
 * //   batchOverNoise: 0.25, specializedBatchTokens: 250000 }
 */
export function expertLearningRates(input: ExpertLearningRateInput): ExpertLearningRates {
  const topK = input.topK ?? 1;
  checkExperts(input.experts, topK);
  for (const [key, value] of [
    ['batchTokens', input.batchTokens],
    ['noiseTokens', input.noiseTokens],
    ['maxLr', input.maxLr],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new MoeplanError('OUT_OF_RANGE', message('input.not-positive', { input: key, value }), { field: key });
    }
  }
  const specializedBatchTokens = perExpertBatch(input.batchTokens, input.experts, topK);
  const shared = optimalLearningRate(input.batchTokens, input.noiseTokens, input.maxLr);
  const specialized = optimalLearningRate(specializedBatchTokens, input.noiseTokens, input.maxLr);
  const batchOverNoise = input.batchTokens / input.noiseTokens;
  return {
    shared,
    specialized,
    specializedOverShared: specializedOverShared(batchOverNoise, input.experts, topK),
    batchOverNoise,
    specializedBatchTokens,
  };
}

/**
 * How a target ratio is read:
 * - `specialized-over-shared`: εopt(B·k/n) / εopt(B), the factor applied to the shared rate
 *   to get the specialized one (below 1 scales the specialized experts down, as the report
 *   says it does);
 * - `paper-literal`: εopt(B) / εopt(B·k/n), the expression the report writes.
 */
export type RatioReading = 'specialized-over-shared' | 'paper-literal';

export const RATIO_READINGS: readonly RatioReading[] = ['specialized-over-shared', 'paper-literal'];

export interface RatioSolve {
  readonly reading: RatioReading;
  readonly targetRatio: number;
  /** Every x = B/Bnoise at which the ratio, so read, equals the target; ascending. */
  readonly solutions: readonly number[];
  /** The open interval of ratios this reading can reach for these n and k. */
  readonly range: readonly [number, number];
}

/**
 * Solve x = B/Bnoise for a target expert learning-rate ratio (inverse of
 * {@link specializedOverShared}).
 *
 * With m = n/k and r the ratio read as specialized/shared, √m·(1 + x) = r·(m + x) gives
 * x = (r·m − √m) / (√m − r). The ratio is monotone in x for every m > 1, so each reading has
 * at most one solution; `solutions` is still an array so that callers handle "none" and
 * "one" alike. The paper-literal reading solves with r = 1/target. Both readings reach
 * exactly the open interval (1/√m, √m); outside it there is no batch size with that ratio,
 * and with m = 1 (k = n) the ratio is 1 at every batch size.
 *
 * @example batchOverNoiseForRatio({ targetRatio: 0.31, experts: 16 }).solutions // [0.2602]
 * @example batchOverNoiseForRatio({ targetRatio: 0.31, experts: 16, reading: 'paper-literal' }).solutions // [61.50]
 * @throws MoeplanError `NO_SOLUTION` when the target is out of reach.
 */
export function batchOverNoiseForRatio(input: {
  readonly targetRatio: number;
  readonly experts: number;
  readonly topK?: number;
  readonly reading?: RatioReading;
}): RatioSolve {
  const topK = input.topK ?? 1;
  const reading = input.reading ?? 'specialized-over-shared';
  checkExperts(input.experts, topK);
  const target = input.targetRatio;
  if (!(Number.isFinite(target) && target > 0)) {
    throw new MoeplanError('OUT_OF_RANGE', message('input.not-positive', { input: 'targetRatio', value: target }), { field: 'targetRatio' });
  }
  const m = input.experts / topK;
  const root = Math.sqrt(m);
  const range: [number, number] = [1 / root, root];
  if (m === 1) {
    throw new MoeplanError('NO_SOLUTION', message('lr.equal-top-k', { experts: input.experts, reading }), { hint: message('lr.equal-top-k.hint', {}) });
  }
  // Always solve the specialized/shared form.
  const r = reading === 'paper-literal' ? 1 / target : target;
  const solution = (r * m - root) / (root - r);
  if (!(r > range[0] && r < range[1]) || !(solution > 0) || !Number.isFinite(solution)) {
    throw new MoeplanError('NO_SOLUTION', message('lr.ratio-out-of-reach', { reading, target, experts: input.experts, topK, low: range[0], high: range[1] }), {
      hint: message('lr.ratio-out-of-reach.hint', { low: range[0], high: range[1] }),
    });
  }
  return { reading, targetRatio: target, solutions: [solution], range };
}

/** The other reading of a ratio. */
export function otherReading(reading: RatioReading): RatioReading {
  return reading === 'paper-literal' ? 'specialized-over-shared' : 'paper-literal';
}

function checkExperts(experts: number, topK: number): void {
  if (!(Number.isInteger(experts) && experts >= 1)) {
    throw new MoeplanError('OUT_OF_RANGE', message('input.not-whole-at-least', { input: 'experts', value: experts, min: 1 }), { field: 'experts' });
  }
  if (!(Number.isInteger(topK) && topK >= 1 && topK <= experts)) {
    throw new MoeplanError('OUT_OF_RANGE', message('lr.top-k-out-of-range', { value: topK, experts }), { field: 'topK' });
  }
}

/**
 * A law's optimal batch size and peak learning rate at a training compute C, when it has
 * them (DeepSeek LLM eq. 1: Bopt = 0.2920·C^0.3271 tokens, ηopt = 0.3118·C^−0.1250).
 * `undefined` for a law without batch-size and learning-rate laws, or whose laws are
 * written in Cmin (the caller would have to say how Cmin was found).
 *
 * Units: C in FLOPs, Bopt in tokens; ηopt is the peak rate of their schedule.
 *
 * @example batchAndRateFromCompute(PRESETS.deepseek, 1e20) // { batchTokens: 1.017e6, lr: 9.86e-4, extrapolation: false }
 */
export function batchAndRateFromCompute(
  law: Law,
  flops: number,
): { readonly batchTokens: number; readonly lr: number; readonly extrapolation: boolean; readonly range?: readonly [number, number] } | undefined {
  const { batchSize, learningRate } = law;
  if (!batchSize || !learningRate || batchSize.budget !== 'flops' || learningRate.budget !== 'flops') return undefined;
  const range = law.fittedRange?.flops;
  return {
    batchTokens: batchSize.coefficient * flops ** batchSize.exponent,
    lr: learningRate.coefficient * flops ** learningRate.exponent,
    extrapolation: range !== undefined && (flops < range[0] || flops > range[1]),
    ...(range ? { range } : {}),
  };
}
