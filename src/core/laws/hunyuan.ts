import type { Law } from './types.js';

/**
 * Hunyuan-Large (Sun et al. 2024, arXiv 2411.02265).
 * - compute: eq. 2, C ≈ 9.59·N·D + 2.3·10^8·D (N activated parameters);
 * - allocation: §2.3.1 isoFLOP fits, Nopt = 5.9·10^-3·Cmin^0.5305 and Dopt = 3.2·Cmin^0.50;
 * - critical batch: Kaplan eq. 1.4 as used in eq. 3, B* ≈ 2·10^8 tokens, αB ≈ 0.21;
 * - fitted on 10M–1B activated parameters and 10B–100B tokens (§2.3.1), Cmin ≈ 10^18–10^21.
 */
export const hunyuan: Law = {
  name: 'hunyuan',
  title: 'Hunyuan-Large (Tencent 2024), MoE',
  source: 'Hunyuan-Large technical report (arXiv 2411.02265), eq. 2 and §2.3.1',
  compute: { paramsTokens: 9.59, tokens: 2.3e8, paramsMeaning: 'activated', equation: 'eq. 2' },
  modelKind: 'moe',
  allocation: {
    kind: 'power',
    budget: 'cmin',
    budgetUnitFlops: 1,
    params: { coefficient: 5.9e-3, exponent: 0.5305 },
    tokens: { coefficient: 3.2, exponent: 0.5 },
  },
  criticalBatch: { kind: 'loss', bStar: 2e8, alphaB: 0.21 },
  fittedRange: { cmin: [1e18, 1e21], params: [1e7, 1e9], tokens: [1e10, 1e11] },
};
