import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/core/fit/random.js';

describe('seededRandom', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const c = seededRandom(2);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('draws integers uniformly (chi-square over 10 cells, 100k draws)', () => {
    const random = seededRandom(42);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) counts[random.int(10)]++;
    const chi2 = counts.reduce((s, c) => s + (c - 10000) ** 2 / 10000, 0);
    // 9 degrees of freedom: the 99.9% point is 27.9
    expect(chi2).toBeLessThan(27.9);
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it('mixes small seeds (0 and 1 give unrelated first values)', () => {
    expect(Math.abs(seededRandom(0).next() - seededRandom(1).next())).toBeGreaterThan(1e-6);
  });
});
