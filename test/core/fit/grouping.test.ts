import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupAutomatically, groupByBudgets } from '../../../src/core/fit/grouping.js';
import type { Message } from '../../../src/core/messages.js';
import { renderMessage } from '../../../src/messages/index.js';

/** A reason in words. */
const words = (reason: Message | undefined): string | undefined => (reason === undefined ? undefined : renderMessage(reason));

describe('groupByBudgets', () => {
  it('assigns runs to the nearest budget within the tolerance, symmetric in log C', () => {
    const flops = [1e19, 1.24e19, 1e19 / 1.24, 1.26e19, 1e19 / 1.26, 2.9e19, 1.8e19];
    const g = groupByBudgets(flops.map(Math.log), [3e19, 1e19], 0.25);
    expect(g.groups.map((x) => x.flops)).toEqual([1e19, 3e19]);
    expect(g.groups[0]?.members).toEqual([0, 1, 2]);
    expect(g.groups[1]?.members).toEqual([5]);
    expect(g.leftOut.map((l) => l.index)).toEqual([3, 4, 6]);
    expect(words(g.leftOut[0]?.reason)).toMatch(/C = 1\.26e19 is 26% above the nearest budget 1e19 \(tolerance 25%\)/);
    expect(words(g.leftOut[1]?.reason)).toMatch(/20\.6% below the nearest budget 1e19/);
    // 1.8e19 is nearer 3e19 than 1e19 in log C: ln(3/1.8) = 0.51 < ln 1.8 = 0.59
    expect(g.leftOut[2]?.nearest).toBe(3e19);
  });

  it('puts every run in exactly one place (property, seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 40, max: 50, noNaN: true }), { maxLength: 60 }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        (logFlops, tolerance) => {
          const g = groupByBudgets(logFlops, [1e18, 1e19, 1e20, 1e21], tolerance);
          const seen = [...g.groups.flatMap((x) => x.members), ...g.leftOut.map((l) => l.index)].sort((a, b) => a - b);
          expect(seen).toEqual(logFlops.map((_, i) => i));
          for (const group of g.groups)
            for (const i of group.members) expect(Math.abs((logFlops[i] as number) - Math.log(group.flops))).toBeLessThanOrEqual(Math.log1p(tolerance) + 1e-12);
        },
      ),
      { seed: 2, numRuns: 200 },
    );
  });
});

describe('groupAutomatically', () => {
  it('finds clusters of runs around budgets and leaves out strays', () => {
    const budgets = [6e18, 1e19, 3e19, 1e20];
    const factors = [0.9, 0.95, 1, 1.04, 1.1];
    const flops = [...budgets.flatMap((b) => factors.map((f) => b * f)), 3e21];
    const g = groupAutomatically(flops.map(Math.log), 0.25);
    const big = g.groups.filter((x) => x.members.length >= 3);
    expect(big.map((x) => x.members.length)).toEqual([5, 5, 5, 5]);
    const meanFactor = Math.exp(factors.map(Math.log).reduce((s, v) => s + v, 0) / 5);
    big.forEach((x, k) => {
      expect(x.flops / (budgets[k] as number)).toBeCloseTo(meanFactor, 10);
    });
    // the stray at 3e21 forms its own group of one (dropped later for too few runs)
    expect(g.groups.find((x) => x.members.includes(20))?.members).toEqual([20]);
  });

  it('keeps every run once, each within the tolerance of its group (property, seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 40, max: 46, noNaN: true }), { minLength: 1, maxLength: 80 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (logFlops, tolerance) => {
          const g = groupAutomatically(logFlops, tolerance);
          const seen = [...g.groups.flatMap((x) => x.members), ...g.leftOut.map((l) => l.index)].sort((a, b) => a - b);
          expect(seen).toEqual(logFlops.map((_, i) => i));
          for (const group of g.groups) {
            const centre = Math.log(group.flops);
            for (const i of group.members) expect(Math.abs((logFlops[i] as number) - centre)).toBeLessThanOrEqual(2 * Math.log1p(tolerance) + 1e-9);
          }
        },
      ),
      { seed: 4, numRuns: 150 },
    );
  });

  it('is empty for no runs', () => {
    expect(groupAutomatically([], 0.25)).toEqual({ groups: [], leftOut: [] });
  });
});
