/**
 * `expertLr` (within): the planned peak learning rates against εopt of each expert's
 * batch, εopt(B) = 2·εmax / (√(Bnoise/B) + √(B/Bnoise)) (Hunyuan eq. 1): B for the shared
 * expert, B·k/n for each specialized expert (§2.2.4). The finding's value is the deviation
 * of the rate furthest off.
 *
 * detail: sharedLr, optimalSharedLr, sharedDeviation, specializedLr, optimalSpecializedLr,
 * specializedDeviation (those the plan gives), batchOverNoise.
 *
 * @example B = 32M, Bnoise = 128M, εmax = 3e-4, 16 experts: εopt(shared) = 2.4e-4
 */
import { defineCheck } from './types.js';

export const expertLrCheck = defineCheck({
  id: 'expertLr',
  kind: 'within',
  needs: {
    optimalLr: 'training.lr.max, training.lr.noiseTokens and training.batchTokens (for εopt)',
    plannedLr: 'training.lr.shared or training.lr.specialized (the planned rates)',
    experts: "model.experts (for the specialized experts' batch B·k/n)",
  },
  label: 'expert learning rates vs εopt',
  help: 'shared and specialized learning rates vs εopt of their batches',
  limit: { description: "Planned shared and specialized learning rates within `within` of εopt of each expert's batch (Hunyuan eq. 1, §2.2.4)" },
  measure({ plan, derived }) {
    const { lr } = plan.training;
    if (derived.optimalSharedLr === undefined || derived.batchOverNoise === undefined) return { missing: ['optimalLr'] };
    if (lr?.shared === undefined && lr?.specialized === undefined) return { missing: ['plannedLr'] };
    if (lr.specialized !== undefined && derived.optimalSpecializedLr === undefined) return { missing: ['experts'] };
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
  },
  describe({ finding, out, format: { sci, percent, trimNumber } }) {
    const d = finding.detail;
    const n = (key: string) => d[key] as number;
    const signed = (fraction: number) => percent(Math.abs(fraction) < 5e-6 ? 0 : fraction, 3, true);
    const parts: string[] = [];
    const fixes: string[] = [];
    for (const expert of ['shared', 'specialized'] as const) {
      const planned = d[`${expert}Lr`];
      if (planned === undefined) continue;
      const optimal = n(`optimal${expert === 'shared' ? 'Shared' : 'Specialized'}Lr`);
      const deviation = n(`${expert}Deviation`);
      parts.push(`${expert} ${sci(planned, 4)} vs εopt ${sci(optimal, 4)} (${signed(deviation)})`);
      if (Math.abs(deviation) > finding.limit) fixes.push(`training.lr.${expert} ≈ ${sci(optimal, 3)}`);
    }
    return {
      details: `${parts.join('; ')}; B/Bnoise ${trimNumber(n('batchOverNoise'), 4)}`,
      ...(out ? { hint: `set ${fixes.join(' and ')} (εopt of each expert's batch, Hunyuan eq. 1); or widen limits.expertLr.within` } : {}),
    };
  },
});
