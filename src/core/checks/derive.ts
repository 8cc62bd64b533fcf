/**
 * What a plan implies under a law, computed once for all checks:
 *   C      = law compute model (Hunyuan eq. 2: 9.59·N·D + 2.3e8·D)        [FLOPs]
 *   Bcrit  = training.criticalBatchTokens, or B* / L^(1/αB) (Kaplan eq. 1.4)  [tokens]
 *   Cmin   = C / (1 + B/Bcrit) (Hunyuan eq. 3)                               [FLOPs]
 *   Nopt, Dopt = the law's allocation at Cmin (Hunyuan §2.3.1)
 *   εopt   = 2·εmax / (√(Bnoise/B) + √(B/Bnoise)) of each expert's batch (Hunyuan eq. 1, §2.2.4)
 *   GPU-hours, days, cost (SPEC §6)
 */
import { allocationBudgetKind, optimalAllocation } from '../allocation.js';
import { trainingFlops } from '../compute.js';
import { criticalBatchFromLoss, lossCriticalBatchConstants, minimumCompute } from '../critical-batch.js';
import { MoeplanError } from '../errors.js';
import { requireRepresentable } from '../finite.js';
import { trainingTime } from '../hardware.js';
import type { Law } from '../laws/types.js';
import { type PlanQuantity, message } from '../messages.js';
import { expertLearningRates, optimalLearningRate } from '../learning-rate.js';
import type { Plan, PlanDerived } from './types.js';

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
  if (law.compute.paramsMeaning === 'total-non-embedding') {
    // A plan states activated parameters; such a law's N, compute and optimum count every expert.
    throw new MoeplanError('INVALID_LAW', message('plan.total-params-law', { law: law.name }), {
      field: 'law',
      hint: message('plan.total-params-law.hint', { law: law.name }),
    });
  }
  const { activatedParams, experts, topK } = plan.model;
  const { tokens, batchTokens, loss, lr } = plan.training;
  const out: { -readonly [K in keyof PlanDerived]: PlanDerived[K] } = {};
  if (activatedParams !== undefined && tokens !== undefined) {
    out.flops = finite(trainingFlops(activatedParams, tokens, law.compute), 'flops');
  }
  if (plan.training.criticalBatchTokens !== undefined) {
    out.criticalBatchTokens = plan.training.criticalBatchTokens;
    out.criticalBatchFrom = 'plan';
  } else if (loss !== undefined) {
    out.criticalBatchTokens = finite(criticalBatchFromLoss(loss, lossCriticalBatchConstants(law)), 'criticalBatch');
    out.criticalBatchFrom = 'loss';
  }
  if (out.flops !== undefined && batchTokens !== undefined && out.criticalBatchTokens !== undefined) {
    out.cmin = finite(minimumCompute(out.flops, batchTokens, out.criticalBatchTokens), 'cmin');
  }
  if (law.allocation && out.flops !== undefined) {
    // A law of Cmin needs the batch and Bcrit; a law of raw compute C (Chinchilla, DeepSeek) does not.
    if (out.cmin !== undefined) out.optimal = optimalAllocation(law, out.cmin, { flops: out.flops });
    else if (allocationBudgetKind(law) === 'flops') out.optimal = optimalAllocation(law, out.flops, { flops: out.flops });
  }
  if (lr?.max !== undefined && lr.noiseTokens !== undefined && batchTokens !== undefined) {
    out.batchOverNoise = finite(batchTokens / lr.noiseTokens, 'batchOverNoise');
    if (experts !== undefined) {
      const rates = expertLearningRates({ batchTokens, noiseTokens: lr.noiseTokens, maxLr: lr.max, experts, topK: topK ?? 1 });
      out.optimalSharedLr = finite(rates.shared, 'sharedLr');
      out.optimalSpecializedLr = finite(rates.specialized, 'specializedLr');
    } else {
      out.optimalSharedLr = finite(optimalLearningRate(batchTokens, lr.noiseTokens, lr.max), 'lr');
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
    out.gpuHours = finite(time.gpuHours, 'gpuHours');
    if (time.days !== undefined) out.days = finite(time.days, 'days');
    if (time.cost !== undefined) out.cost = finite(time.cost, 'cost');
  }
  return out;
}

function finite(value: number, quantity: PlanQuantity): number {
  return requireRepresentable(value, message('quantity.of-plan', { quantity }), message('plan.magnitudes.hint', {}));
}
