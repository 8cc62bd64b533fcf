import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optimalTokensForBatch, tokensAtBatch } from '../../src/core/batch-tokens.js';
import { minimumCompute, minimumSteps } from '../../src/core/critical-batch.js';

describe('tokensAtBatch (Kaplan 2020 §5.1, E = Emin·(1 + B/Bcrit))', () => {
  it('at B = Bcrit a run needs twice the tokens, at B ≪ Bcrit the optimal tokens', () => {
    expect(tokensAtBatch(1e12, 8e6, 8e6)).toBe(2e12);
    expect(tokensAtBatch(1e12, 1, 1e12) / 1e12).toBeCloseTo(1, 11);
    expect(tokensAtBatch(4e12, 16e6, 8e6)).toBe(12e12);
  });

  it('agrees with eq. 5.4 and 5.5: (S/Smin − 1)(E/Emin − 1) = 1, and compute scales like tokens (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e9, max: 1e14, noNaN: true }),
        fc.double({ min: 1e4, max: 1e9, noNaN: true }),
        fc.double({ min: 1e4, max: 1e9, noNaN: true }),
        (emin, batch, bcrit) => {
          const tokens = tokensAtBatch(emin, batch, bcrit);
          const steps = tokens / batch;
          const smin = minimumSteps(steps, batch, bcrit);
          // Emin = Bcrit·Smin (the definition of Bcrit in Kaplan §5.1).
          expect((bcrit * smin) / emin).toBeCloseTo(1, 9);
          expect((steps / smin - 1) * (tokens / emin - 1)).toBeCloseTo(1, 9);
          // Cmin of the run at batch B is the compute of Emin tokens (C ∝ D at fixed N).
          const perToken = 4.2e11;
          expect(minimumCompute(perToken * tokens, batch, bcrit) / (perToken * emin)).toBeCloseTo(1, 9);
          expect(optimalTokensForBatch(tokens, batch, bcrit) / emin).toBeCloseTo(1, 12);
        },
      ),
      { seed: 516 },
    );
  });
});
