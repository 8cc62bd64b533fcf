import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isMoeplanError } from '../../../src/core/errors.js';
import {
  COARSE_GRID,
  HOFFMANN_GRID,
  type ParametricGrid,
  closedFormAllocation,
  fitParametric,
  gridStarts,
  logNearOne,
  parametricLoss,
} from '../../../src/core/fit/parametric.js';
import { generateRuns } from '../../../examples/fit/generate.mjs';

// Hoffmann et al. 2022 §3.3 (approach 3): E 1.69, A 406.4, B 410.7, α 0.34, β 0.28.
const HOFFMANN = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
// A reduced grid for speed: the optimum must not depend on the start (see the fixture test).
const SMALL_GRID: ParametricGrid = { a: [5, 10], b: [5, 10], e: [0, 0.5], alpha: [0.5], beta: [0.5] };

function chinchillaRuns() {
  const lines = readFileSync(new URL('../../../examples/data/chinchilla-runs.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  return lines.slice(1).map((line) => {
    const [C, N, D, L] = line.split(',').map(Number) as [number, number, number, number];
    return { flops: C, params: N, tokens: D, loss: L };
  });
}

const relative = (x: number, y: number) => Math.abs(x / y - 1);

describe("Hoffmann's grid", () => {
  it('has 4,500 starts: a, b ∈ {0, 5, …, 25}, e ∈ {−1, −0.5, …, 1}, α, β ∈ {0, 0.5, …, 2}', () => {
    expect(HOFFMANN_GRID.a).toEqual([0, 5, 10, 15, 20, 25]);
    expect(HOFFMANN_GRID.b).toEqual([0, 5, 10, 15, 20, 25]);
    expect(HOFFMANN_GRID.e).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(HOFFMANN_GRID.alpha).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(HOFFMANN_GRID.beta).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(gridStarts(HOFFMANN_GRID)).toHaveLength(4500);
  });
});

describe('closedFormAllocation', () => {
  it("gives a = 0.28/0.62 = 14/31 from Hoffmann's rounded constants, within 0.01 of their Table 2 (a = 0.46, b = 0.54)", () => {
    const { a, b } = closedFormAllocation(HOFFMANN);
    expect(a).toBeCloseTo(14 / 31, 12);
    expect(b).toBeCloseTo(17 / 31, 12);
    expect(Math.abs(a - 0.46)).toBeLessThan(0.01);
    expect(Math.abs(b - 0.54)).toBeLessThan(0.01);
  });

  it('is the minimum of the loss along the isoFLOP line C = 6·N·D', () => {
    const { a, b, G } = closedFormAllocation(HOFFMANN);
    for (const C of [1e19, 1e21, 5.76e23]) {
      const N = G * (C / 6) ** a;
      const D = (C / 6) ** b / G;
      expect(relative(6 * N * D, C)).toBeLessThan(1e-12);
      const at = (n: number) => parametricLoss(HOFFMANN, n, C / (6 * n));
      for (const factor of [0.9, 0.99, 1.01, 1.1]) expect(at(N * factor)).toBeGreaterThan(at(N));
    }
  });

  it('has no exponents when α or β is not positive', () => {
    expect(Number.isNaN(closedFormAllocation({ ...HOFFMANN, beta: 0 }).a)).toBe(true);
  });
});

describe('fitParametric on runs from a known law', () => {
  it('recovers each constant within 1e-3 without noise', () => {
    const runs = generateRuns({ noise: 0, spread: 0.08, law: HOFFMANN, round: true });
    const fit = fitParametric(runs, { resamples: 0, seed: 1, confidence: 0.9, grid: SMALL_GRID });
    for (const key of ['E', 'A', 'B', 'alpha', 'beta'] as const) expect(relative(fit.loss[key], HOFFMANN[key])).toBeLessThan(1e-3);
    expect(fit.objective).toBeLessThan(1e-12);
    expect(fit.r2).toBeGreaterThan(0.999999);
    expect(fit.starts).toBe(8);
  });

  it('covers each constant and the allocation exponents with its interval under noise (seeded)', () => {
    const runs = generateRuns({ seed: 3, noise: 0.005, spread: 0.08, law: HOFFMANN });
    const fit = fitParametric(runs, { resamples: 60, seed: 1, confidence: 0.95, grid: SMALL_GRID });
    // Nopt ∝ C^a and Dopt ∝ C^b with a = β/(α+β), b = α/(α+β) (Hoffmann 2022 eq. 4)
    const truth = { ...HOFFMANN, a: 0.28 / (0.34 + 0.28), b: 0.34 / (0.34 + 0.28) };
    expect(fit.bootstrap.used).toBe(60);
    for (const key of ['E', 'A', 'B', 'alpha', 'beta', 'a', 'b'] as const) {
      const [lo, hi] = (fit.intervals as NonNullable<typeof fit.intervals>)[key];
      expect(lo).toBeLessThan(hi);
      expect(lo).toBeLessThanOrEqual(truth[key]);
      expect(hi).toBeGreaterThanOrEqual(truth[key]);
    }
  });

  it('is deterministic for a seed, and another seed gives other intervals', () => {
    const runs = generateRuns({ seed: 2, noise: 0.01, law: HOFFMANN }).slice(0, 40);
    const options = { resamples: 8, seed: 5, confidence: 0.9, grid: SMALL_GRID };
    const one = fitParametric(runs, options);
    expect(fitParametric(runs, options)).toEqual(one);
    expect(fitParametric(runs, { ...options, seed: 6 }).intervals).not.toEqual(one.intervals);
  });

  it('needs five runs, and positive finite values', () => {
    const runs = generateRuns({ noise: 0, law: HOFFMANN });
    const fail = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return isMoeplanError(error) ? error.code : 'not a MoeplanError';
      }
      return 'no error';
    };
    expect(fail(() => fitParametric(runs.slice(0, 4), { resamples: 0, seed: 1, confidence: 0.9 }))).toBe('TOO_FEW_RUNS');
    expect(fail(() => fitParametric([...runs.slice(0, 5), { params: 1e9, tokens: 1e10, loss: 0 }], { resamples: 0, seed: 1, confidence: 0.9 }))).toBe(
      'INVALID_INPUT',
    );
  });
});

describe('fitParametric on the Chinchilla runs against the numpy/scipy reference', () => {
  // test/fixtures/parametric-chinchilla-reference.json: bench/parametric_reference.py with
  // the full 4,500-start grid (the command is in the file).
  const fixture = () => JSON.parse(readFileSync(new URL('../../fixtures/parametric-chinchilla-reference.json', import.meta.url), 'utf8'));
  const runs = chinchillaRuns();

  it.each([
    ['a reduced grid of 8 starts', SMALL_GRID],
    ['the coarse grid (--starts coarse)', COARSE_GRID],
  ])('reaches the reference optimum to 1e-6 from %s, starts other than the one that won there', (_name, grid) => {
    const reference = fixture();
    expect(reference.starts).toBe(4500);
    const fit = fitParametric(runs, { resamples: 0, seed: 1, confidence: 0.9, grid });
    for (const key of ['E', 'A', 'B', 'alpha', 'beta'] as const) expect(relative(fit.loss[key], reference.point[key])).toBeLessThan(1e-6);
    expect(relative(fit.allocation.a, reference.point.a)).toBeLessThan(1e-6);
    expect(relative(fit.allocation.G, reference.point.G)).toBeLessThan(1e-6);
    expect(relative(fit.objective, reference.objective)).toBeLessThan(1e-9);
    expect(relative(fit.r2, reference.r2)).toBeLessThan(1e-9);
    expect(fit.gradientNorm).toBeLessThan(1e-10);
  });

  it('gives bootstrap intervals like the reference (different random streams: within a quarter of the width)', () => {
    const reference = fixture();
    const fit = fitParametric(runs, { resamples: 100, seed: 1, confidence: 0.9, grid: SMALL_GRID });
    for (const key of ['alpha', 'beta', 'a', 'b', 'E'] as const) {
      const [lo, hi] = (fit.intervals as NonNullable<typeof fit.intervals>)[key];
      const [rlo, rhi] = reference.intervals[key] as [number, number];
      const width = rhi - rlo;
      expect(Math.abs(lo - rlo)).toBeLessThan(0.25 * width);
      expect(Math.abs(hi - rhi)).toBeLessThan(0.25 * width);
    }
  });
});

describe('logNearOne', () => {
  it('is Math.log within 3 ulp (7e-16 relative) on (0.8, 1.25)', () => {
    for (let i = 1; i < 20000; i++) {
      const q = 0.8 + (0.45 * i) / 20000;
      const exact = Math.log(q);
      expect(Math.abs(logNearOne(q) - exact)).toBeLessThanOrEqual(7e-16 * Math.abs(exact));
    }
    expect(logNearOne(1)).toBe(0);
  });
});
