/**
 * `batchVsCritical` (max): the batch over the critical batch, B/Bcrit, at most `max`
 * (a ratio: 1 is a batch of Bcrit, Kaplan et al. 2020 §5). Bcrit is the plan's, or
 * Bcrit(L) = B* / L^(1/αB) from its loss (Kaplan eq. 1.4).
 *
 * detail: batchTokens, criticalBatchTokens, batchAtLimit (the largest B within the limit).
 *
 * @example B = 32M, Bcrit = 64M: actual 0.5
 */
import { defineCheck } from './types.js';

export const batchVsCriticalCheck = defineCheck({
  id: 'batchVsCritical',
  kind: 'max',
  needs: { batch: 'training.batchTokens, and training.criticalBatchTokens or training.loss' },
  label: 'batch / critical batch',
  help: 'batch B over critical batch Bcrit',
  limit: {
    description: 'Batch over critical batch B/Bcrit at most `max`',
    // A ratio, not a tolerance: 2 is twice the critical batch.
    max: { description: 'Largest allowed B/Bcrit (1 = the critical batch, 2 = twice it)', percent: true, describe: 'a ratio above 0, such as 0.5, 2 or 50%' },
  },
  measure({ plan, derived, limit }) {
    const { batchTokens } = plan.training;
    if (batchTokens === undefined || derived.criticalBatchTokens === undefined) return { missing: ['batch'] };
    return {
      actual: batchTokens / derived.criticalBatchTokens,
      detail: { batchTokens, criticalBatchTokens: derived.criticalBatchTokens, batchAtLimit: limit * derived.criticalBatchTokens },
    };
  },
  formatValue: (value, { trimNumber }) => trimNumber(value, 4),
  describe({ finding, out, plan, derived, format: { si, trimNumber } }) {
    const n = (key: string) => finding.detail[key] as number;
    const from = derived?.criticalBatchFrom === 'loss' ? ` (from loss ${trimNumber(plan?.training.loss ?? 0)})` : '';
    return {
      details: `B ${si(n('batchTokens'))} vs Bcrit ${si(n('criticalBatchTokens'))} tokens${from}`,
      ...(out ? { hint: `training.batchTokens at most ${si(n('batchAtLimit'))}; or raise limits.batchVsCritical.max` } : {}),
    };
  },
});
