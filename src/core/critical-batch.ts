/**
 * The critical batch size and the minimum compute and steps it implies (Kaplan et al.
 * 2020 §5; used by Hunyuan-Large eq. 3). Pure functions; all batch sizes in tokens.
 *
 * Training at batch B costs more compute and fewer steps than necessary. With Bcrit the
 * critical batch, a run of C FLOPs and S steps could reach the same loss with
 *   Cmin = C / (1 + B/Bcrit)   (at B ≪ Bcrit, the least compute)
 *   Smin = S / (1 + Bcrit/B)   (at B ≫ Bcrit, the fewest steps).
 * At B = Bcrit a run spends twice the minimum of both.
 */
import type { Law } from './laws/types.js';

/** Kaplan et al. 2020 eq. 1.4: B* ≈ 2·10^8 tokens (appendix: 2.1·10^8), αB ≈ 0.21. */
export const KAPLAN_CRITICAL_BATCH = { bStar: 2e8, alphaB: 0.21 } as const;

/**
 * The constants of Bcrit(L) = B* / L^(1/αB) a law uses: its own when it states a
 * loss-based critical batch, else Kaplan's eq. 1.4 (Hunyuan eq. 3 takes Bcrit from Kaplan).
 *
 * @example lossCriticalBatchConstants(PRESETS.hunyuan) // { bStar: 2e8, alphaB: 0.21 }
 */
export function lossCriticalBatchConstants(law: Pick<Law, 'criticalBatch'> | undefined): { readonly bStar: number; readonly alphaB: number } {
  return law?.criticalBatch?.kind === 'loss' ? law.criticalBatch : KAPLAN_CRITICAL_BATCH;
}

/**
 * Critical batch size from the loss: Bcrit(L) = B* / L^(1/αB).
 *
 * Source: Kaplan et al. 2020 eq. 1.4 / 5.3. L in nats per token, result in tokens.
 *
 * @example criticalBatchFromLoss(1.9) // ≈ 9.41e6 tokens
 * @example criticalBatchFromLoss(2, { bStar: 2.1e8, alphaB: 0.21 }) // ≈ 7.74e6 tokens
 */
export function criticalBatchFromLoss(loss: number, constants: { bStar: number; alphaB: number } = KAPLAN_CRITICAL_BATCH): number {
  return constants.bStar / loss ** (1 / constants.alphaB);
}

/**
 * Inverse of {@link criticalBatchFromLoss}: the loss at which Bcrit is a given size,
 * L = (B* / Bcrit)^αB.
 *
 * @example lossForCriticalBatch(criticalBatchFromLoss(1.9)) // 1.9
 */
export function lossForCriticalBatch(criticalBatchTokens: number, constants: { bStar: number; alphaB: number } = KAPLAN_CRITICAL_BATCH): number {
  return (constants.bStar / criticalBatchTokens) ** constants.alphaB;
}

/**
 * Minimum compute: Cmin = C / (1 + B/Bcrit).
 *
 * Source: Hunyuan-Large eq. 3, Kaplan et al. 2020 eq. 5.5. C and Cmin in FLOPs, B and
 * Bcrit in tokens.
 *
 * @example minimumCompute(3.4924e24, 32e6, 64e6) // 2.3283e24
 */
export function minimumCompute(flops: number, batchTokens: number, criticalBatchTokens: number): number {
  return overOnePlusRatio(flops, batchTokens, criticalBatchTokens);
}

/**
 * x / (1 + a/b) for positive x, a, b, finite whenever the result is: when a/b overflows
 * (B = 1e300, Bcrit = 1e-10), the same quotient in logarithms, x·b/a / (1 + b/a).
 *
 * @example overOnePlusRatio(1e300, 1e300, 1e-10) // 1e-10 (the direct form gives 0)
 */
export function overOnePlusRatio(x: number, a: number, b: number): number {
  const ratio = a / b;
  if (ratio < Number.POSITIVE_INFINITY) return x / (1 + ratio);
  return Math.exp(Math.log(x) + Math.log(b) - Math.log(a) - Math.log1p(b / a));
}

/** x · (1 + a/b) for positive x, a, b, finite whenever the result is (the inverse of {@link overOnePlusRatio}). */
export function timesOnePlusRatio(x: number, a: number, b: number): number {
  const ratio = a / b;
  if (ratio < Number.POSITIVE_INFINITY) return x * (1 + ratio);
  return Math.exp(Math.log(x) + Math.log(a) - Math.log(b) + Math.log1p(b / a));
}

/**
 * Inverse of {@link minimumCompute}: the compute C a run at batch B spends to match a
 * minimum compute, C = Cmin · (1 + B/Bcrit).
 *
 * @example flopsForMinimumCompute(2.3283e24, 32e6, 64e6) // 3.4924e24
 */
export function flopsForMinimumCompute(cmin: number, batchTokens: number, criticalBatchTokens: number): number {
  return timesOnePlusRatio(cmin, batchTokens, criticalBatchTokens);
}

/**
 * Minimum steps: Smin = S / (1 + Bcrit/B).
 *
 * Source: Kaplan et al. 2020 eq. 5.4. S = D/B optimiser steps at batch B tokens.
 *
 * @example minimumSteps(218750, 32e6, 64e6) // 72916.67 (7T tokens at 32M per step)
 */
export function minimumSteps(steps: number, batchTokens: number, criticalBatchTokens: number): number {
  return overOnePlusRatio(steps, criticalBatchTokens, batchTokens);
}

/**
 * Inverse of {@link minimumSteps}: S = Smin · (1 + Bcrit/B).
 *
 * @example stepsForMinimumSteps(72916.67, 32e6, 64e6) // 218750
 */
export function stepsForMinimumSteps(minSteps: number, batchTokens: number, criticalBatchTokens: number): number {
  return minSteps * (1 + criticalBatchTokens / batchTokens);
}

/**
 * The batch size at which a run of C FLOPs has a given minimum compute:
 * B = Bcrit · (C/Cmin − 1). Has an answer only for C > Cmin (otherwise `undefined`).
 *
 * @example batchForMinimumCompute(3.4924e24, 2.3283e24, 64e6) // ≈ 32e6
 */
export function batchForMinimumCompute(flops: number, cmin: number, criticalBatchTokens: number): number | undefined {
  const ratio = flops / cmin - 1;
  return ratio > 0 ? criticalBatchTokens * ratio : undefined;
}

/**
 * Critical batch as a power of compute, Bcrit = k · (X/unit)^e (Kaplan table 6:
 * Bcrit = 2.0e6 · Cmin^0.24 tokens, Cmin in PF-days).
 *
 * @example criticalBatchFromCompute(8.64e19, { coefficient: 2e6, exponent: 0.24, budgetUnitFlops: 8.64e19 }) // 2e6
 */
export function criticalBatchFromCompute(budgetFlops: number, law: { coefficient: number; exponent: number; budgetUnitFlops: number }): number {
  return law.coefficient * (budgetFlops / law.budgetUnitFlops) ** law.exponent;
}

/**
 * Minimum compute when Bcrit itself grows with Cmin (Kaplan table 6: Bcrit = 2.0e6·Cmin^0.24
 * tokens, Cmin in PF-days): solves Cmin·(1 + B/Bcrit(Cmin)) = C for Cmin.
 *
 * The left side grows strictly with Cmin when the exponent is below 1, so the root is
 * unique; it is found by bisection on log Cmin in (0, C]. Returns Cmin and the Bcrit at it.
 *
 * @example minimumComputeWithCriticalBatchLaw(1e21, 1e6, { coefficient: 2e6, exponent: 0.24, budgetUnitFlops: 8.64e19 })
 * // { cmin: ≈ 7.72e20, criticalBatchTokens: ≈ 3.38e6 }
 */
export function minimumComputeWithCriticalBatchLaw(
  flops: number,
  batchTokens: number,
  law: { coefficient: number; exponent: number; budgetUnitFlops: number },
): { cmin: number; criticalBatchTokens: number } {
  const spend = (cmin: number) => flopsForMinimumCompute(cmin, batchTokens, criticalBatchFromCompute(cmin, law));
  let low = Math.log(flops) - 700;
  let high = Math.log(flops);
  for (let i = 0; i < 200 && high - low > 1e-15; i++) {
    const mid = (low + high) / 2;
    if (spend(Math.exp(mid)) > flops) high = mid;
    else low = mid;
  }
  const cmin = Math.exp((low + high) / 2);
  return { cmin, criticalBatchTokens: criticalBatchFromCompute(cmin, law) };
}
