import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trainingFlops } from '../../src/core/compute.js';
import {
  KAPLAN_CRITICAL_BATCH,
  batchForMinimumCompute,
  criticalBatchFromCompute,
  criticalBatchFromLoss,
  flopsForMinimumCompute,
  lossForCriticalBatch,
  minimumCompute,
  minimumComputeWithCriticalBatchLaw,
  minimumSteps,
  stepsForMinimumSteps,
} from '../../src/core/critical-batch.js';
import { PRESETS } from '../../src/core/laws/index.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('criticalBatchFromLoss (Kaplan eq. 1.4)', () => {
  it('uses B* = 2e8 tokens and αB = 0.21 by default', () => {
    expect(KAPLAN_CRITICAL_BATCH).toEqual({ bStar: 2e8, alphaB: 0.21 });
    // At L = 1 nat the power term is 1, so Bcrit = B*.
    expect(criticalBatchFromLoss(1)).toBe(2e8);
    // Halving the loss multiplies Bcrit by 2^(1/0.21) ≈ 27.
    expect(criticalBatchFromLoss(1) / criticalBatchFromLoss(2)).toBeCloseTo(27.1, 1);
  });

  it('falls as the loss rises, and its inverse recovers the loss', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 8, noNaN: true }), fc.double({ min: 1.001, max: 2, noNaN: true }), (loss, k) => {
        expect(criticalBatchFromLoss(loss * k)).toBeLessThan(criticalBatchFromLoss(loss));
        expect(rel(lossForCriticalBatch(criticalBatchFromLoss(loss)), loss)).toBeLessThan(1e-12);
      }),
      { seed: 11 },
    );
  });
});

describe('minimumCompute and minimumSteps (Hunyuan eq. 3, Kaplan eq. 5.4/5.5)', () => {
  it('reproduces the SPEC plan: 52B × 7T at B = 32M, Bcrit = 64M has Cmin ≈ 2.33e24', () => {
    const c = trainingFlops(52e9, 7e12);
    expect(rel(minimumCompute(c, 32e6, 64e6), 2.33e24)).toBeLessThan(2e-3);
  });

  it('at B = Bcrit spends twice the minimum compute and twice the minimum steps', () => {
    expect(minimumCompute(1e24, 4e6, 4e6)).toBe(5e23);
    expect(minimumSteps(1000, 4e6, 4e6)).toBe(500);
  });

  it('Cmin < C and Smin < S, Cmin grows toward C as B shrinks, Smin toward S as B grows', () => {
    const pos = fc.double({ min: 1e3, max: 1e9, noNaN: true });
    fc.assert(
      fc.property(fc.double({ min: 1e15, max: 1e27, noNaN: true }), pos, pos, fc.double({ min: 1.01, max: 10, noNaN: true }), (c, b, bcrit, k) => {
        expect(minimumCompute(c, b, bcrit)).toBeLessThan(c);
        expect(minimumCompute(c, b / k, bcrit)).toBeGreaterThan(minimumCompute(c, b, bcrit));
        expect(minimumSteps(1e5, b * k, bcrit)).toBeGreaterThan(minimumSteps(1e5, b, bcrit));
      }),
      { seed: 12 },
    );
  });

  it('round-trips: flops, steps and batch from their minimum', () => {
    const pos = fc.double({ min: 1e3, max: 1e9, noNaN: true });
    fc.assert(
      fc.property(fc.double({ min: 1e15, max: 1e27, noNaN: true }), fc.double({ min: 1, max: 1e8, noNaN: true }), pos, pos, (c, s, b, bcrit) => {
        const cmin = minimumCompute(c, b, bcrit);
        expect(rel(flopsForMinimumCompute(cmin, b, bcrit), c)).toBeLessThan(1e-12);
        expect(rel(stepsForMinimumSteps(minimumSteps(s, b, bcrit), b, bcrit), s)).toBeLessThan(1e-12);
        expect(rel(batchForMinimumCompute(c, cmin, bcrit) as number, b)).toBeLessThan(1e-6);
      }),
      { seed: 13 },
    );
    expect(batchForMinimumCompute(1e24, 1e24, 1e6)).toBeUndefined();
  });
});

describe('minimumComputeWithCriticalBatchLaw (Kaplan table 6, Bcrit = 2e6·Cmin^0.24)', () => {
  const law = PRESETS.kaplan?.criticalBatch;
  if (law?.kind !== 'power') throw new Error('kaplan preset has a power critical-batch law');

  it('gives Bcrit = 2e6 tokens at Cmin = 1 PF-day', () => {
    expect(criticalBatchFromCompute(8.64e19, law)).toBeCloseTo(2e6, 6);
  });

  it('solves Cmin·(1 + B/Bcrit(Cmin)) = C', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e15, max: 1e26, noNaN: true }), fc.double({ min: 1e4, max: 1e9, noNaN: true }), (c, b) => {
        const { cmin, criticalBatchTokens } = minimumComputeWithCriticalBatchLaw(c, b, law);
        expect(rel(criticalBatchTokens, criticalBatchFromCompute(cmin, law))).toBeLessThan(1e-12);
        expect(rel(flopsForMinimumCompute(cmin, b, criticalBatchTokens), c)).toBeLessThan(1e-9);
      }),
      { seed: 14 },
    );
  });
});
