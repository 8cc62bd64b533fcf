import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLine, solveLeastSquares } from '../../../src/core/fit/least-squares.js';

/** Column-major n×p matrix from rows. */
function matrix(rows: number[][]): Float64Array {
  const n = rows.length;
  const p = (rows[0] as number[]).length;
  const a = new Float64Array(n * p);
  rows.forEach((row, i) => {
    row.forEach((v, j) => {
      a[j * n + i] = v;
    });
  });
  return a;
}

describe('solveLeastSquares (Householder QR)', () => {
  it('solves an exactly determined line through three points', () => {
    const { coefficients, residualSumOfSquares } = solveLeastSquares(
      matrix([
        [1, 0],
        [1, 1],
        [1, 2],
      ]),
      new Float64Array([1, 3, 5]),
      3,
      2,
    );
    expect(coefficients?.[0]).toBeCloseTo(1, 12);
    expect(coefficients?.[1]).toBeCloseTo(2, 12);
    expect(residualSumOfSquares).toBeLessThan(1e-24);
  });

  it('gives the least-squares line and residual of a textbook example', () => {
    // y = 0, 1, 1, 3 at x = 0..3: slope 0.9, intercept -0.1, residuals 0.1, 0.2, -0.7, 0.4 → RSS 0.7
    const r = solveLeastSquares(
      matrix([
        [1, 0],
        [1, 1],
        [1, 2],
        [1, 3],
      ]),
      new Float64Array([0, 1, 1, 3]),
      4,
      2,
    );
    expect(r.coefficients?.[0]).toBeCloseTo(-0.1, 12);
    expect(r.coefficients?.[1]).toBeCloseTo(0.9, 12);
    expect(r.residualSumOfSquares).toBeCloseTo(0.7, 12);
  });

  it('recovers random polynomial coefficients from exact data (property, seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 4, max: 40 }), (coef, n) => {
        const rows = Array.from({ length: n }, (_, i) => {
          const t = -1 + (2 * i) / (n - 1);
          return [1, t, t * t];
        });
        const y = new Float64Array(rows.map((r) => r.reduce((s, v, j) => s + v * (coef[j] as number), 0)));
        const x = solveLeastSquares(matrix(rows), y, n, 3).coefficients as Float64Array;
        coef.forEach((c, j) => {
          expect(Math.abs((x[j] as number) - c)).toBeLessThan(1e-10);
        });
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('stays accurate where the normal equations lose digits (uncentred ln N around 20)', () => {
    // loss = 3 + 0.05·(u − 20)² with u = ln N in [19, 21]: columns 1, u, u² are nearly collinear.
    const us = Array.from({ length: 9 }, (_, i) => 19 + i / 4);
    const rows = us.map((u) => [1, u, u * u]);
    const y = us.map((u) => 3 + 0.05 * (u - 20) ** 2);
    const x = solveLeastSquares(matrix(rows), new Float64Array(y), 9, 3).coefficients as Float64Array;
    const vertex = -(x[1] as number) / (2 * (x[2] as number));
    expect(Math.abs(vertex - 20)).toBeLessThan(1e-8);
    // The normal equations on the same data, solved by Cramer's rule, are far less accurate.
    const ata = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((s, r) => s + (r[i] as number) * (r[j] as number), 0)));
    const aty = [0, 1, 2].map((i) => rows.reduce((s, r, k) => s + (r[i] as number) * (y[k] as number), 0));
    const det = (m: number[][]) =>
      m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
      m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
      m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
    const replace = (j: number) => ata.map((row, i) => row.map((v, k) => (k === j ? (aty[i] as number) : v)));
    const d = det(ata);
    const normalVertex = -(det(replace(1)) / d) / (2 * (det(replace(2)) / d));
    expect(Math.abs(normalVertex - 20)).toBeGreaterThan(Math.abs(vertex - 20));
  });

  it('reports a rank-deficient matrix instead of dividing by zero', () => {
    // two identical t values only: 1, t, t² are dependent
    const r = solveLeastSquares(
      matrix([
        [1, 1, 1],
        [1, 1, 1],
        [1, 2, 4],
        [1, 2, 4],
      ]),
      new Float64Array([1, 1, 2, 2]),
      4,
      3,
    );
    expect(r.coefficients).toBeUndefined();
    expect(solveLeastSquares(matrix([[1, 2]]), new Float64Array([1]), 1, 2).coefficients).toBeUndefined();
  });
});

describe('fitLine', () => {
  it('fits y = 1 + 2x exactly, and skips points whose y is not finite', () => {
    const line = fitLine([0, 1, 2, 3], [1, 3, 5, Number.NaN])!;
    expect(line.slope).toBe(2);
    expect(line.intercept).toBe(1);
    expect(line.count).toBe(3);
    expect(line.residualSumOfSquares).toBe(0);
  });

  it('matches the textbook sums on a noisy line (Σ worked out by hand)', () => {
    // x̄ = 2, ȳ = 2; Sxx = 10, Sxy = 9 → slope 0.9, intercept 0.2; residuals 0.8, −1.1, 0.0, 0.1, 0.2 → RSS 1.9
    const line = fitLine([0, 1, 2, 3, 4], [1, 0, 2, 3, 4])!;
    expect(line.slope).toBeCloseTo(0.9, 14);
    expect(line.intercept).toBeCloseTo(0.2, 14);
    expect(line.residualSumOfSquares).toBeCloseTo(1.9, 13);
  });

  it('has no answer with one point or with every x equal', () => {
    expect(fitLine([1], [2])).toBeUndefined();
    expect(fitLine([3, 3, 3], [1, 2, 3])).toBeUndefined();
  });
});
