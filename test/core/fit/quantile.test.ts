import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentileInterval, quantileSorted } from '../../../src/core/fit/quantile.js';

// Expected values from numpy.quantile (method "linear", Hyndman and Fan type 7).
describe('quantileSorted', () => {
  it('matches numpy.quantile', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    const sorted = [1, 1, 2, 3, 4, 5, 6, 9];
    expect(quantileSorted(sorted, 0.25)).toBeCloseTo(1.75, 14);
    expect(quantileSorted(sorted, 0.9)).toBeCloseTo(6.9, 14);
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted(sorted, 1)).toBe(9);
    expect(quantileSorted([7], 0.3)).toBe(7);
  });

  it('is NaN for an empty sample', () => {
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('lies between the order statistics it interpolates, and grows with q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const sorted = Float64Array.from(values).sort();
          const x = quantileSorted(sorted, q);
          expect(x).toBeGreaterThanOrEqual(sorted[0] as number);
          expect(x).toBeLessThanOrEqual(sorted[sorted.length - 1] as number);
          expect(quantileSorted(sorted, Math.min(1, q + 0.1))).toBeGreaterThanOrEqual(x - 1e-9);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('percentileInterval', () => {
  it('numpy: the 80% interval of 1..11 is [2, 10], unsorted input and non-finite values left out', () => {
    // (1 − 0.8)/2 is 0.09999999999999998 in binary, so the low end is 2 to the last bit or so.
    for (const values of [
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      [11, Number.NaN, 3, 1, 2, 10, 4, 5, Number.POSITIVE_INFINITY, 6, 7, 8, 9],
    ]) {
      const [low, high] = percentileInterval(values, 0.8);
      expect(low).toBeCloseTo(2, 12);
      expect(high).toBeCloseTo(10, 12);
    }
  });
});
