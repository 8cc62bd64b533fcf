import { describe, expect, it } from 'vitest';
import { DENSE_COMPUTE, HUNYUAN_COMPUTE } from '../../../src/core/compute.js';
import { fitIsoflop } from '../../../src/core/fit/isoflop.js';
import { lawFromFit } from '../../../src/core/fit/law.js';
import { generateRuns } from '../../../examples/fit/generate.mjs';

describe('lawFromFit', () => {
  const rows = generateRuns({ seed: 4 });
  const options = { tolerance: 0.25, resamples: 200, seed: 1, confidence: 0.9 };

  it('writes a power allocation in raw FLOPs with intervals and the fitted range under `flops`', () => {
    const fit = fitIsoflop(
      rows.map((r) => ({ ...r, cmin: r.flops })),
      options,
    );
    const law = lawFromFit(fit, { name: 'fit-x', file: 'x.csv', runs: rows.length, budgetKind: 'flops', compute: DENSE_COMPUTE });
    expect(law.allocation).toEqual({
      kind: 'power',
      budget: 'flops',
      budgetUnitFlops: 1,
      params: {
        coefficient: fit.params.coefficient,
        exponent: fit.params.exponent,
        coefficientCi: fit.params.coefficientCi,
        exponentCi: fit.params.exponentCi,
      },
      tokens: {
        coefficient: fit.tokens.coefficient,
        exponent: fit.tokens.exponent,
        coefficientCi: fit.tokens.coefficientCi,
        exponentCi: fit.tokens.exponentCi,
      },
    });
    expect(law.compute).toEqual({ paramsTokens: 6, tokens: 0, paramsMeaning: 'activated' });
    expect(law.fittedRange?.flops).toEqual(fit.fittedRange.cmin);
    expect(law.fittedRange?.cmin).toBeUndefined();
    expect(law.source).toMatch(/raw C, no batch adjustment\); 90% bootstrap intervals from 200 resamples \(seed 1\)/);
    expect(law.title).toBe('Fitted from x.csv: 7 budgets, 63 of 63 runs');
  });

  it('says cmin when the runs carried a batch adjustment, and leaves out absent intervals', () => {
    const fit = fitIsoflop(
      rows.map((r) => ({ ...r, cmin: r.flops / 1.5 })),
      { ...options, resamples: 0 },
    );
    const law = lawFromFit(fit, { name: 'fit-y', file: 'y.csv', runs: 70, budgetKind: 'cmin', compute: HUNYUAN_COMPUTE });
    expect(law.allocation).toMatchObject({ budget: 'cmin' });
    expect(law.allocation?.kind === 'power' && 'exponentCi' in law.allocation.params).toBe(false);
    expect(law.fittedRange?.cmin?.[0]).toBeCloseTo((fit.budgets[0]?.flops as number) / 1.5, -10);
    expect(law.compute.paramsTokens).toBe(9.59);
    expect(law.source).not.toMatch(/bootstrap/);
  });
});
