/**
 * findRoot (Brent's method) against known roots and against bisection: the same root to
 * the last bits, in far fewer evaluations.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findRoot } from '../../src/core/root.js';

/** Bisection to the last bit, the method findRoot replaces: the reference. */
function bisect(f: (x: number) => number, lo: number, hi: number): number {
  for (let i = 0; i < 2000; i++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe('findRoot', () => {
  it.each([
    ['cos x = x (the Dottie number)', (x: number) => Math.cos(x) - x, 0, 1, 0.7390851332151607],
    ['x³ = 2', (x: number) => x ** 3 - 2, 0, 2, Math.cbrt(2)],
    ['eˣ = 10', (x: number) => Math.exp(x) - 10, 0, 60, Math.LN10],
    ['a root at an end', (x: number) => x - 3, 3, 5, 3],
  ])('%s', (_name, f, lo, hi, root) => {
    expect(Math.abs(findRoot(f, lo, hi) - root)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(root));
  });

  it('finds what bisection finds, to a few ulps, for rising power laws like a loss slope, in a fraction of the evaluations', () => {
    let evaluations = 0;
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        fc.double({ min: 10, max: 50, noNaN: true }),
        (alpha, beta, scale, logFlops) => {
          // −α·A·N^−α + β·B·D^−β on D = C/(6N), in x = ln N: rises through 0 once.
          const slope = (x: number) => -alpha * scale * Math.exp(-alpha * x) + beta * 400 * Math.exp(-beta * (logFlops - Math.log(6) - x));
          const lo = 0;
          const hi = logFlops;
          if (!(slope(lo) < 0 && slope(hi) > 0)) return;
          const counted = (x: number) => {
            evaluations++;
            return slope(x);
          };
          const root = findRoot(counted, lo, hi);
          const reference = bisect(slope, lo, hi);
          expect(Math.abs(root - reference)).toBeLessThanOrEqual(8 * Number.EPSILON * Math.max(1, Math.abs(reference)));
        },
      ),
      { seed: 41, numRuns: 500 },
    );
    expect(evaluations / 500).toBeLessThan(20); // bisection: about 55 a root
  });

  it('is NaN without a sign change or with NaN at an end', () => {
    expect(findRoot((x) => x * x + 1, -1, 1)).toBeNaN();
    expect(findRoot(() => Number.NaN, 0, 1)).toBeNaN();
  });
});
