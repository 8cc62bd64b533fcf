import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitPowerLaw } from '../../../src/core/fit/power-law.js';

describe('fitPowerLaw', () => {
  it('recovers the Hunyuan-Large isoFLOP fit from points on it (§2.3.1)', () => {
    const c = [1e18, 1e19, 1e20, 1e21];
    const fit = fitPowerLaw(
      c.map(Math.log),
      c.map((x) => Math.log(5.9e-3 * x ** 0.5305)),
    );
    expect(fit?.exponent).toBeCloseTo(0.5305, 12);
    expect(fit?.coefficient).toBeCloseTo(5.9e-3, 14);
    expect(fit?.r2).toBeCloseTo(1, 12);
    expect(fit?.points).toBe(4);
  });

  it('recovers any exact power law (property, seeded)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.integer({ min: 2, max: 12 }),
        (exponent, logCoefficient, n) => {
          const x = Array.from({ length: n }, (_, i) => Math.log(1e17) + i * 1.1);
          const fit = fitPowerLaw(
            x,
            x.map((v) => logCoefficient + exponent * v),
          );
          expect(Math.abs((fit?.exponent as number) - exponent)).toBeLessThan(1e-11);
          expect(Math.abs((fit?.logCoefficient as number) - logCoefficient)).toBeLessThan(1e-8);
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });

  it('gives R² = 1 − SSres/SStot and skips non-finite points', () => {
    // y = 0, 1, 1, 3 at x = 0..3: slope 0.9, SSres 0.7, SStot 4.75
    const fit = fitPowerLaw([0, 1, 2, 3, 4], [0, 1, 1, 3, Number.NaN]);
    expect(fit?.exponent).toBeCloseTo(0.9, 12);
    expect(fit?.r2).toBeCloseTo(1 - 0.7 / 4.75, 12);
    expect(fit?.points).toBe(4);
  });

  it('needs two distinct budgets', () => {
    expect(fitPowerLaw([1], [2])).toBeUndefined();
    expect(fitPowerLaw([1, 1], [2, 3])).toBeUndefined();
    expect(fitPowerLaw([1, 2], [Number.NaN, 3])).toBeUndefined();
    expect(Number.isNaN(fitPowerLaw([1, 2], [1, 3])?.r2)).toBe(true);
  });
});
