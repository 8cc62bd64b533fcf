import type { Law } from './types.js';

/**
 * The dense rule of thumb C ≈ 6·N·D (Kaplan et al. 2020 §2.1; Hoffmann et al. 2022):
 * 2 FLOPs per parameter per token forward, 4 backward. A compute model only: it prices a
 * run but has no compute-optimal allocation of its own.
 */
export const dense: Law = {
  name: 'dense',
  title: 'Dense rule of thumb C = 6ND',
  source: 'Kaplan et al. 2020 §2.1; Hoffmann et al. 2022',
  compute: { paramsTokens: 6, tokens: 0, paramsMeaning: 'activated' },
  modelKind: 'dense',
};
