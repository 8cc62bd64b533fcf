import type { Law } from './types.js';

/**
 * Joint MoE scaling law (Ludziejewski et al. 2025, "Joint MoE Scaling Laws: Mixture of
 * Experts Can Be Memory Efficient", arXiv 2502.05172).
 * - loss: eq. 1 / eq. 6, L(N_act, D, Ê) = a·Ê^δ·N_act^(α + γ·ln Ê) + b·Ê^ω·D^(β + ζ·ln Ê) + c,
 *   Table 3: a = 35.91, α = −0.1889, δ = −0.2285, γ = 0.0098, b = 35.98, β = −0.1775,
 *   ω = 0.5529, ζ = −0.0259, E_start = 2.0732, E_max = 290.4521, c = 1.3637. The signs are
 *   as printed (α, β negative); a secondary note with every sign flipped is wrong;
 * - Ê: eq. 4, 1/Ê = 1/(E − 1 + (1/E_start − 1/E_max)^−1) + 1/E_max, E experts (Switch, top-1);
 * - N_act: activated parameters **including** embedding and unembedding (appendix A.1,
 *   eq. 10); total N_total = 2·d·V + (4 + 9E)·n_blocks·d² (eq. 9);
 * - compute: F = 6·N_act·D (routing ignored);
 * - allocation: eq. 7 with the magnitudes α' = −μ, β' = −ν of the per-E exponents (the
 *   paper's G = (μm/(νn))^(1/(μ+ν)) with the signed values gives 1/G); reproduces Table 1
 *   to about 1% (F = 1e20, E = 1: 1.73e9 and 9.65e9 against 1.7B and 9.7B).
 *
 * Budget: raw training FLOPs. Fitted range (§3): over 280 runs up to 2.7B activated and
 * 5B total parameters, E ≤ 32 (the authors cap their rule of thumb at E ≤ 8); the paper
 * gives no compute range, so none is recorded.
 * Worked example (laws.md §4): L(1e9, 2e10, E = 8) = 2.50878, with E = 1 2.57760.
 */
export const jointMoe: Law = {
  name: 'joint-moe',
  title: 'Joint MoE scaling law (Ludziejewski et al. 2025), experts E ≤ 32',
  source: 'Ludziejewski et al. 2025 (arXiv 2502.05172), eq. 1/6, eq. 4, table 3; allocation eq. 7 with magnitudes',
  compute: { paramsTokens: 6, tokens: 0, paramsMeaning: 'activated' },
  modelKind: 'moe',
  allocation: { kind: 'loss', budget: 'flops' },
  loss: {
    kind: 'joint-moe',
    a: 35.91,
    alpha: -0.1889,
    delta: -0.2285,
    gamma: 0.0098,
    b: 35.98,
    beta: -0.1775,
    omega: 0.5529,
    zeta: -0.0259,
    eStart: 2.0732,
    eMax: 290.4521,
    c: 1.3637,
  },
  fittedRange: { experts: [1, 32] },
};
