import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DENSE_COMPUTE, HUNYUAN_COMPUTE, paramsForBudget, tokensForBudget, trainingFlops } from '../../src/core/compute.js';
import { MoeplanError } from '../../src/core/errors.js';

describe('trainingFlops (Hunyuan-Large eq. 2)', () => {
  it('prices the chosen run, N = 52e9 and D = 7e12, at 3.4924e24 FLOPs', () => {
    expect(trainingFlops(52e9, 7e12)).toBeCloseTo(3.4924e24, -20);
    expect(trainingFlops(52e9, 7e12) / 3.49237e24).toBeCloseTo(1, 12);
  });

  it('prices the isoFLOP optimum N = 58.1e9, D = 5.6e12 at 3.1215e24, and 6ND at 1.95e24', () => {
    expect(trainingFlops(58.1e9, 5.6e12) / 3.1215e24).toBeCloseTo(1, 4);
    expect(trainingFlops(58.1e9, 5.6e12, DENSE_COMPUTE) / 1.95e24).toBeCloseTo(1, 2);
  });

  it('gives 2.184e24 for the chosen run under 6ND', () => {
    expect(trainingFlops(52e9, 7e12, DENSE_COMPUTE) / 2.184e24).toBeCloseTo(1, 12);
  });

  it('is increasing in both N and D', () => {
    const positive = fc.double({ min: 1e6, max: 1e13, noNaN: true });
    fc.assert(
      fc.property(positive, positive, fc.double({ min: 1.001, max: 10, noNaN: true }), (n, d, k) => {
        expect(trainingFlops(n * k, d)).toBeGreaterThan(trainingFlops(n, d));
        expect(trainingFlops(n, d * k)).toBeGreaterThan(trainingFlops(n, d));
      }),
      { seed: 1 },
    );
  });

  it('is linear in D', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e6, max: 1e12, noNaN: true }), fc.double({ min: 1e9, max: 1e13, noNaN: true }), (n, d) => {
        expect(trainingFlops(n, 2 * d) / trainingFlops(n, d)).toBeCloseTo(2, 12);
      }),
      { seed: 2 },
    );
  });
});

describe('inverse solves', () => {
  const params = fc.double({ min: 1e6, max: 1e13, noNaN: true });
  const tokens = fc.double({ min: 1e8, max: 1e14, noNaN: true });
  for (const [label, model] of [
    ['hunyuan', HUNYUAN_COMPUTE],
    ['dense', DENSE_COMPUTE],
  ] as const) {
    it(`round-trips tokens from (C, N) under ${label}`, () => {
      fc.assert(
        fc.property(params, tokens, (n, d) => {
          expect(tokensForBudget(trainingFlops(n, d, model), n, model) / d).toBeCloseTo(1, 10);
        }),
        { seed: 3 },
      );
    });
    it(`round-trips params from (C, D) under ${label}`, () => {
      fc.assert(
        fc.property(params, tokens, (n, d) => {
          expect(paramsForBudget(trainingFlops(n, d, model), d, model) / n).toBeCloseTo(1, 6);
        }),
        { seed: 4 },
      );
    });
  }

  it('recovers D = 7e12 and N = 52e9 from the chosen run', () => {
    const c = trainingFlops(52e9, 7e12);
    expect(tokensForBudget(c, 52e9) / 7e12).toBeCloseTo(1, 12);
    expect(paramsForBudget(c, 7e12) / 52e9).toBeCloseTo(1, 12);
  });

  it('says plainly when the budget is too small for the tokens', () => {
    expect(() => paramsForBudget(1e20, 7e12)).toThrow(MoeplanError);
    expect(() => paramsForBudget(1e20, 7e12)).toThrow(/per-token term alone/);
  });
});
