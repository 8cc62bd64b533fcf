import type { Law } from './types.js';

/**
 * Chinchilla (Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models",
 * arXiv 2203.15556), approach 3: the parametric loss L(N, D) = E + A/N^α + B/D^β (eq. 2)
 * with E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28 (§3.3), minimised under
 * C = 6·N·D (eq. 4 and appendix D.2): Nopt = G·(C/6)^a, Dopt = (C/6)^b / G,
 * G = (αA/(βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β).
 *
 * Budget: raw training compute C (Chinchilla has no critical-batch correction).
 * Fitted range: runs of 70M–16B parameters on 5B–500B tokens; the isoFLOP budgets span
 * 6e18–3e21 FLOPs (approximate; the paper gives the run grid in figures only).
 */
export const chinchilla: Law = {
  name: 'chinchilla',
  title: 'Chinchilla (Hoffmann et al. 2022), approach 3',
  source: 'Hoffmann et al. 2022 (arXiv 2203.15556), eq. 2 and §3.3 approach 3',
  compute: { paramsTokens: 6, tokens: 0, paramsMeaning: 'activated' },
  modelKind: 'dense',
  allocation: { kind: 'loss', budget: 'flops' },
  loss: { kind: 'chinchilla', E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 },
  fittedRange: { flops: [6e18, 3e21], params: [7e7, 1.6e10], tokens: [5e9, 5e11] },
};
