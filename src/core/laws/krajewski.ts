import type { Law } from './types.js';

/** The expansion rate E of the fit (Krajewski et al. 2024, Table 1). */
const EXPERTS = 64;

/**
 * Fine-grained MoE (Krajewski et al. 2024, "Scaling Laws for Fine-Grained Mixture of
 * Experts", arXiv 2402.07871v1).
 * - loss: eq. 9, L(N, D, G) = c + (g/G^γ + a)/N^α + b/D^β with Table 1's MoE row (E = 64):
 *   a = 18.1, α = 0.115, b = 30.8, β = 0.147, g = 2.1, γ = 0.58, c = 0.47;
 * - N is the **total** number of non-embedding parameters (§5), every expert counted; the
 *   activated count is N_act = 12·N/(8E + 4) (FFN 8E·d², attention 4d² per block). G is the
 *   granularity d_ff/d_expert: G > 1 means smaller experts, the activated count unchanged;
 * - FLOPs: eq. 10 / appendix E eq. 11, F = (12·d²·c_f + d·E·G·c_r)·D·n_blocks with c_f = 6,
 *   c_r = 14 and the compute-optimal shape d = 64·n_blocks (embeddings excluded). The linear
 *   `compute` below is its first term only, 6·N_act·D = 6·12/(8E + 4)·N·D (router left out);
 * - allocation: the minimum of eq. 9 under eq. 10, G from powers of two (Table 2 picks 8–64).
 *
 * Budget: raw training FLOPs. Fitted range (§4–§6): over 100 runs of 129M–3.7B total
 * parameters, 16B–130B tokens, G ∈ {1, 2, 4, 8, 16}, E = 64; the compute range is derived
 * from those ends as 6·N_act·D (2.9e17–6.7e19 FLOPs), so Table 2 is extrapolation.
 * Worked example (laws.md §1): L(1e9, 1e10, G = 8) = 3.24149, with G = 1 3.37723.
 */
export const krajewski: Law = {
  name: 'krajewski',
  title: 'Fine-grained MoE (Krajewski et al. 2024), E = 64',
  source: 'Krajewski et al. 2024 (arXiv 2402.07871v1), eq. 9 and table 1 (MoE, E = 64); FLOPs eq. 10 / appendix E eq. 11',
  compute: { paramsTokens: (6 * 12) / (8 * EXPERTS + 4), tokens: 0, paramsMeaning: 'total-non-embedding' },
  modelKind: 'moe',
  allocation: { kind: 'loss', budget: 'flops' },
  loss: {
    kind: 'fine-grained-moe',
    a: 18.1,
    alpha: 0.115,
    b: 30.8,
    beta: 0.147,
    g: 2.1,
    gamma: 0.58,
    c: 0.47,
    experts: EXPERTS,
    flops: { perActiveParam: 6, routing: 14, widthPerBlock: 64 },
  },
  fittedRange: { flops: [2.9e17, 6.7e19], params: [1.29e8, 3.7e9], tokens: [1.6e10, 1.3e11], granularity: [1, 16], experts: [64, 64] },
};
