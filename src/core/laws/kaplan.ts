import type { Law } from './types.js';

/** One PF-day in FLOPs: 10^15 FLOP/s for 86,400 s. Kaplan et al. measure compute in it. */
export const PF_DAY_FLOPS = 8.64e19;

/**
 * Kaplan et al. 2020, "Scaling Laws for Neural Language Models" (arXiv 2001.08361).
 * - compute: C ≈ 6·N·D (§2.1), N non-embedding parameters;
 * - allocation: table 6 / eq. 1.7–1.8 and §6.1: Nopt = 1.3e9·Cmin^0.73, Dopt = 2e10·Cmin^0.27,
 *   Cmin in PF-days (1 PF-day = 8.64e19 FLOPs);
 * - critical batch: Bcrit = 2.0e6·Cmin^0.24 tokens (table 6); the loss form
 *   Bcrit(L) = B* / L^(1/αB) with B* = 2e8, αB = 0.21 (eq. 1.4) is moeplan's default for
 *   `--loss` anyway.
 *
 * Budget: Cmin. N is non-embedding parameters: moeplan reports it as such and does not
 * convert it (the embedding share depends on the vocabulary and width).
 * Closure: at the compute-efficient frontier Kaplan trains at B ≈ Bcrit, where C = 2·Cmin
 * (eq. 5.5), so 6·Nopt·Dopt / Cmin ≈ 1.8 is expected, not an inconsistency.
 * Fitted range: 768 to 1.5e9 non-embedding parameters, 22M to 23B tokens; Cmin about
 * 1e-8 to 1 PF-day (read off figures 1 and 14; approximate).
 */
export const kaplan: Law = {
  name: 'kaplan',
  title: 'Kaplan et al. 2020 (OpenAI), compute-efficient frontier',
  source: 'Kaplan et al. 2020 (arXiv 2001.08361), table 6, eq. 1.4 and §6.1',
  compute: { paramsTokens: 6, tokens: 0, paramsMeaning: 'non-embedding' },
  modelKind: 'dense',
  allocation: {
    kind: 'power',
    budget: 'cmin',
    budgetUnitFlops: PF_DAY_FLOPS,
    budgetUnitName: 'PF-days',
    params: { coefficient: 1.3e9, exponent: 0.73 },
    tokens: { coefficient: 2e10, exponent: 0.27 },
    closureNote: 'closure near 2 is expected: Kaplan trains at B ≈ Bcrit, where C = 2·Cmin',
  },
  criticalBatch: { kind: 'power', budget: 'cmin', budgetUnitFlops: PF_DAY_FLOPS, budgetUnitName: 'PF-days', coefficient: 2.0e6, exponent: 0.24 },
  fittedRange: { cmin: [1e-8 * PF_DAY_FLOPS, PF_DAY_FLOPS], params: [768, 1.5e9], tokens: [2.2e7, 2.3e10] },
};
