import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoeplanError } from '../../src/core/errors.js';
import {
  batchOverNoiseForRatio,
  expertLearningRates,
  learningRateAtRatio,
  optimalLearningRate,
  peakSide,
  specializedOverShared,
} from '../../src/core/learning-rate.js';

const ratio = fc.double({ min: 1e-4, max: 1e4, noNaN: true });

describe('optimalLearningRate (Hunyuan eq. 1, Li et al. 2024 eq. 2)', () => {
  it('equals εmax at B = Bnoise', () => {
    expect(optimalLearningRate(16e6, 16e6, 3e-4)).toBe(3e-4);
    fc.assert(
      fc.property(fc.double({ min: 1e3, max: 1e10, noNaN: true }), fc.double({ min: 1e-6, max: 1, noNaN: true }), (noise, max) => {
        expect(optimalLearningRate(noise, noise, max) / max).toBeCloseTo(1, 12);
      }),
      { seed: 11 },
    );
  });

  it('matches the formula as written, 2εmax / (√(Bnoise/B) + √(B/Bnoise))', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e3, max: 1e9, noNaN: true }), fc.double({ min: 1e3, max: 1e9, noNaN: true }), (b, noise) => {
        const literal = (2 * 3e-4) / (Math.sqrt(noise / b) + Math.sqrt(b / noise));
        expect(optimalLearningRate(b, noise, 3e-4) / literal).toBeCloseTo(1, 10);
      }),
      { seed: 12 },
    );
  });

  it('never exceeds εmax, rises below the peak and falls above it', () => {
    fc.assert(
      fc.property(ratio, fc.double({ min: 1.001, max: 10, noNaN: true }), (x, k) => {
        expect(learningRateAtRatio(x, 1)).toBeLessThanOrEqual(1 + 1e-15);
        if (x * k <= 1) expect(learningRateAtRatio(x * k, 1)).toBeGreaterThan(learningRateAtRatio(x, 1));
        if (x >= 1) expect(learningRateAtRatio(x * k, 1)).toBeLessThan(learningRateAtRatio(x, 1));
      }),
      { seed: 13 },
    );
  });

  it('is symmetric in log B around Bnoise: εopt(x) = εopt(1/x)', () => {
    fc.assert(
      fc.property(ratio, (x) => {
        expect(learningRateAtRatio(x, 1) / learningRateAtRatio(1 / x, 1)).toBeCloseTo(1, 12);
      }),
      { seed: 14 },
    );
  });

  it('names the side of the peak', () => {
    expect(peakSide(0.25)).toBe('below');
    expect(peakSide(1)).toBe('at');
    expect(peakSide(4)).toBe('above');
  });
});

describe('expert-specific rates (Hunyuan §2.2.4)', () => {
  it.each([
    [0.25, 0.3077],
    [1, 0.4706],
    [4, 1.0],
    [16, 2.125],
  ])('specialized/shared at x = %f, n = 16, k = 1 is %f (SPEC spot value)', (x, expected) => {
    const rates = expertLearningRates({ batchTokens: x * 16e6, noiseTokens: 16e6, maxLr: 3e-4, experts: 16 });
    expect(rates.specializedOverShared).toBeCloseTo(expected, 4);
    expect(rates.specialized / rates.shared).toBeCloseTo(expected, 4);
    expect(rates.batchOverNoise).toBeCloseTo(x, 12);
  });

  it('gives the shared expert εopt(B) and each specialized expert εopt(B·k/n)', () => {
    const rates = expertLearningRates({ batchTokens: 4e6, noiseTokens: 16e6, maxLr: 3e-4, experts: 16, topK: 2 });
    expect(rates.specializedBatchTokens).toBe(5e5);
    // εopt(B) = 2·εmax / (√(Bnoise/B) + √(B/Bnoise)), Hunyuan eq. 1, written out
    expect(rates.shared).toBeCloseTo((2 * 3e-4) / (Math.sqrt(16e6 / 4e6) + Math.sqrt(4e6 / 16e6)), 15); // 2.4e-4
    expect(rates.specialized).toBeCloseTo((2 * 3e-4) / (Math.sqrt(16e6 / 5e5) + Math.sqrt(5e5 / 16e6)), 15);
    expect(rates.shared).toBeCloseTo(2.4e-4, 15);
    expect(rates.specializedOverShared).toBeCloseTo(rates.specialized / rates.shared, 12);
  });

  it('rises monotonically in x from 1/√m to √m (m = n/k), crossing 1 at x = √m', () => {
    fc.assert(
      fc.property(ratio, fc.integer({ min: 2, max: 256 }), fc.integer({ min: 1, max: 8 }), (x, n, k) => {
        fc.pre(k < n);
        const m = n / k;
        const r = specializedOverShared(x, n, k);
        expect(r).toBeGreaterThan(1 / Math.sqrt(m) - 1e-12);
        expect(r).toBeLessThan(Math.sqrt(m) + 1e-12);
        expect(specializedOverShared(x * 1.5, n, k)).toBeGreaterThan(r);
        expect(specializedOverShared(Math.sqrt(m), n, k)).toBeCloseTo(1, 12);
      }),
      { seed: 15 },
    );
  });

  it('rejects a top-k larger than the number of experts', () => {
    expect(() => expertLearningRates({ batchTokens: 4e6, noiseTokens: 16e6, maxLr: 3e-4, experts: 4, topK: 5 })).toThrow(MoeplanError);
  });
});

describe('batchOverNoiseForRatio (the inverse)', () => {
  it('solves 0.31 at x = 0.260 read as specialized/shared and x = 61.5 read literally (n = 16)', () => {
    const down = batchOverNoiseForRatio({ targetRatio: 0.31, experts: 16 });
    expect(down.reading).toBe('specialized-over-shared');
    expect(down.solutions).toHaveLength(1);
    expect(down.solutions[0]).toBeCloseTo(0.26, 3);
    const literal = batchOverNoiseForRatio({ targetRatio: 0.31, experts: 16, reading: 'paper-literal' });
    expect(literal.solutions).toHaveLength(1);
    expect(literal.solutions[0]).toBeCloseTo(61.5, 1);
    // Literal reading: the specialized experts are scaled UP there.
    expect(specializedOverShared(literal.solutions[0] as number, 16)).toBeCloseTo(1 / 0.31, 10);
  });

  it('round-trips: the ratio at the solved x is the target, under both readings', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.integer({ min: 2, max: 128 }), fc.integer({ min: 1, max: 8 }), (x, n, k) => {
        fc.pre(k < n);
        const r = specializedOverShared(x, n, k);
        const solved = batchOverNoiseForRatio({ targetRatio: r, experts: n, topK: k });
        expect(solved.solutions).toHaveLength(1);
        expect(Math.abs((solved.solutions[0] as number) / x - 1)).toBeLessThan(1e-8);
        expect(specializedOverShared(solved.solutions[0] as number, n, k) / r).toBeCloseTo(1, 9);
        const literal = batchOverNoiseForRatio({ targetRatio: 1 / r, experts: n, topK: k, reading: 'paper-literal' });
        expect((literal.solutions[0] as number) / (solved.solutions[0] as number)).toBeCloseTo(1, 9);
      }),
      { seed: 16 },
    );
  });

  it('says plainly when the target is out of reach', () => {
    for (const target of [0.2, 4, 5]) {
      expect(() => batchOverNoiseForRatio({ targetRatio: target, experts: 16 })).toThrow(/ranges only over \(0\.25, 4\)/);
    }
    expect(() => batchOverNoiseForRatio({ targetRatio: 1, experts: 4, topK: 4 })).toThrow(/1 at every batch size/);
    try {
      batchOverNoiseForRatio({ targetRatio: 0.1, experts: 16, reading: 'paper-literal' });
      expect.unreachable();
    } catch (error) {
      expect((error as MoeplanError).code).toBe('NO_SOLUTION');
      expect((error as MoeplanError).message).toContain('εopt(B)/εopt(B·k/n)');
    }
  });
});
