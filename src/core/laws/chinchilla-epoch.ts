import type { Law } from './types.js';

/**
 * The Epoch AI replication of Chinchilla approach 3 (Besiroglu, Erdil, Barnett, You 2024,
 * "Chinchilla Scaling: A replication attempt", arXiv 2404.10102), refitted on data
 * reconstructed from Hoffmann et al. figure 4: E = 1.8172, A = 482.01, B = 2085.43,
 * α = 0.3478, β = 0.3658 (their eq. 3). Same closed form and compute model as
 * `chinchilla` (C = 6·N·D; budget is raw C).
 *
 * Fitted range: the same Chinchilla runs (approximate, see `chinchilla`).
 */
export const chinchillaEpoch: Law = {
  name: 'chinchilla-epoch',
  title: 'Chinchilla replication (Besiroglu et al. 2024, Epoch AI)',
  source: 'Besiroglu et al. 2024 (arXiv 2404.10102), eq. 3',
  compute: { paramsTokens: 6, tokens: 0, paramsMeaning: 'activated' },
  modelKind: 'dense',
  allocation: { kind: 'loss', budget: 'flops' },
  loss: { kind: 'chinchilla', E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 },
  fittedRange: { flops: [6e18, 3e21], params: [7e7, 1.6e10], tokens: [5e9, 5e11] },
};
