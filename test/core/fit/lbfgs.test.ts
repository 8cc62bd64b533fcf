import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from '../../../src/core/fit/lbfgs.js';

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function (1, 1) from the textbook start (−1.2, 1)', () => {
    const rosenbrock = (x: Float64Array, g: Float64Array) => {
      const [a, b] = x as unknown as [number, number];
      g[0] = -400 * a * (b - a * a) - 2 * (1 - a);
      g[1] = 200 * (b - a * a);
      return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    };
    const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-10, relativeTolerance: 0 });
    expect(r.stop).toBe('gradient');
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(1, 8);
    expect(r.iterations).toBeLessThan(100);
  });

  it('minimises badly scaled convex quadratics to the gradient tolerance (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 5, maxLength: 5 }),
        (centre, logScale) => {
          const scale = logScale.map((s) => 10 ** s);
          const f = (x: Float64Array, g: Float64Array) => {
            let sum = 0;
            for (let i = 0; i < 5; i++) {
              const d = (x[i] as number) - (centre[i] as number);
              g[i] = 2 * (scale[i] as number) * d;
              sum += (scale[i] as number) * d * d;
            }
            return sum;
          };
          const r = minimizeLbfgs(f, [0, 0, 0, 0, 0], { gradientTolerance: 1e-9, relativeTolerance: 0, maxIterations: 5000 });
          expect(r.gradientNorm).toBeLessThanOrEqual(1e-9);
          for (let i = 0; i < 5; i++) expect(Math.abs((r.x[i] as number) - (centre[i] as number)) * (scale[i] as number)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('stops on a non-finite start without iterating', () => {
    const r = minimizeLbfgs(
      (_x, g) => {
        g[0] = 0;
        return Number.NaN;
      },
      [0],
    );
    expect(r.stop).toBe('not-finite');
    expect(r.iterations).toBe(0);
  });
});
