import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitParabola, parabolaLoss } from '../../../src/core/fit/parabola.js';

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('fitParabola', () => {
  it('finds the vertex of an exact parabola in ln N (property, seeded)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: Math.log(1e6), max: Math.log(1e11), noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: 1.5, max: 5, noNaN: true }),
        fc.integer({ min: 3, max: 15 }),
        fc.double({ min: -0.8, max: 0.8, noNaN: true }),
        (vertex, curvature, minimum, n, shift) => {
          // sizes over ±1.5 in ln N around a centre shifted from the vertex
          const x = all(n).map((i) => vertex + shift + -1.5 + (3 * i) / (n - 1));
          const loss = x.map((u) => minimum + curvature * (u - vertex) ** 2);
          const fit = fitParabola(x, loss, all(n), n);
          expect(fit.ok).toBe(true);
          if (!fit.ok) return;
          expect(Math.abs(fit.logVertex - vertex)).toBeLessThan(1e-7);
          expect(Math.abs(fit.minimumLoss - minimum)).toBeLessThan(1e-9);
          expect(fit.curvature / (2 * curvature)).toBeCloseTo(1, 7);
          expect(parabolaLoss(fit, vertex + 0.3)).toBeCloseTo(minimum + curvature * 0.09, 9);
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });

  it('uses only the indexed runs', () => {
    const x = [1e7, 1e8, 1e9, 1e10, 1e11].map(Math.log);
    const loss = [3, 2, 3, -50, 99];
    const fit = fitParabola(x, loss, [0, 1, 2], 3);
    expect(fit.ok && Math.exp(fit.logVertex)).toBeCloseTo(1e8, -1);
  });

  it('gives a reason instead of an optimum for degenerate budgets', () => {
    const x = [1e7, 1e8, 1e9].map(Math.log);
    expect(fitParabola(x, [3, 2.9], [0, 1], 2)).toMatchObject({ ok: false, failure: 'too-few-runs' });
    expect(fitParabola([x[0]!, x[0]!, x[1]!, x[1]!], [3, 3.1, 2.9, 2.95], [0, 1, 2, 3], 4)).toMatchObject({ ok: false, failure: 'too-few-sizes' });
    expect(fitParabola([x[1]!, x[1]!, x[1]!], [3, 3.1, 2.9], [0, 1, 2], 3)).toMatchObject({ ok: false, failure: 'too-few-sizes' });
    // concave: loss highest in the middle
    expect(fitParabola(x, [3, 3.5, 3], [0, 1, 2], 3)).toMatchObject({ ok: false, failure: 'not-convex' });
    // all losses equal: flat, not a minimum made of rounding noise
    // (with these values rounding leaves c2 ≈ +3e-16 and a "vertex" inside the range)
    const u7 = all(7).map((i) => 17 + 2 * 0.13 + i * (0.2 + 2 * 0.07));
    expect(
      fitParabola(
        u7,
        u7.map(() => 2 + 2 * 0.6180339887),
        all(7),
        7,
      ),
    ).toMatchObject({ ok: false, failure: 'not-convex' });
    // a straight line: no minimum
    expect(fitParabola(x, [3, 2.9, 2.8], [0, 1, 2], 3)).toMatchObject({ ok: false, failure: 'not-convex' });
    // nearly straight: a minimum far beyond the sizes tried
    const u = all(5).map((i) => 18 + i * 0.5);
    const far = u.map((v) => 3 - 0.2 * (v - 18) + 0.001 * (v - 18) ** 2);
    expect(fitParabola(u, far, all(5), 5)).toMatchObject({ ok: false, failure: 'far-outside' });
  });

  it('flags a vertex outside the sampled range but within one width of it', () => {
    const u = all(5).map((i) => 18 + i * 0.5); // range 18..20
    const loss = u.map((v) => 3 + 0.1 * (v - 20.6) ** 2);
    const fit = fitParabola(u, loss, all(5), 5);
    expect(fit.ok && fit.inRange).toBe(false);
    expect(fit.ok && fit.logVertex).toBeCloseTo(20.6, 9);
  });

  it('with the offset term, recovers the vertex at the budget from runs off the budget', () => {
    // loss = 3 + 0.1·(u − 19)² − 0.3·z, with z = ln(C_run/C_budget) varying by run
    const u = all(9).map((i) => 18 + i * 0.25);
    const z = [0.05, -0.07, 0.02, 0.08, -0.03, -0.06, 0.04, 0.01, -0.02];
    const loss = u.map((v, i) => 3 + 0.1 * (v - 19) ** 2 - 0.3 * (z[i] as number) - 0.2 * (z[i] as number) * (v - 19));
    const plain = fitParabola(u, loss, all(9), 9);
    const withOffset = fitParabola(u, loss, all(9), 9, z);
    expect(plain.ok && withOffset.ok).toBe(true);
    if (!plain.ok || !withOffset.ok) return;
    expect(Math.abs(withOffset.logVertex - 19)).toBeLessThan(Math.abs(plain.logVertex - 19));
    expect(withOffset.offsetSlope).toBeLessThan(0);
    // exact data without the interaction: exact vertex and slope
    const clean = u.map((v, i) => 3 + 0.1 * (v - 19) ** 2 - 0.3 * (z[i] as number));
    const exact = fitParabola(u, clean, all(9), 9, z);
    expect(exact.ok && exact.logVertex).toBeCloseTo(19, 10);
    expect(exact.ok && exact.offsetSlope).toBeCloseTo(-0.3, 10);
    expect(exact.ok && exact.minimumLoss).toBeCloseTo(3, 10);
  });
});
