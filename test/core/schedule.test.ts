import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MoeplanError } from '../../src/core/errors.js';
import { DECAY_SHAPES, learningRateAt, learningRateSchedule, sampleSchedule, schedulePhase } from '../../src/core/schedule.js';

const options = fc.record({
  peak: fc.double({ min: 1e-6, max: 1e-1, noNaN: true }),
  totalTokens: fc.double({ min: 1e8, max: 1e14, noNaN: true }),
  warmupFraction: fc.double({ min: 0.001, max: 0.2, noNaN: true }),
  annealFraction: fc.double({ min: 0.01, max: 0.2, noNaN: true }),
  annealFactor: fc.double({ min: 0, max: 0.2, noNaN: true }),
  decayFloor: fc.double({ min: 0.2, max: 1, noNaN: true }),
  decay: fc.constantFrom(...DECAY_SHAPES),
});

describe('learningRateSchedule (Hunyuan-Large §2.3.2)', () => {
  it('with the defaults: 1% warm-up, cosine to 30%, anneal over the final 5% to one tenth of the peak', () => {
    const s = learningRateSchedule({ peak: 3e-4, totalTokens: 7e12 });
    expect(s.warmupTokens).toBeCloseTo(7e10, -2);
    expect(s.annealStartTokens).toBeCloseTo(6.65e12, -2);
    expect(learningRateAt(s, 0)).toBe(0);
    expect(learningRateAt(s, 7e10)).toBeCloseTo(3e-4, 15);
    expect(learningRateAt(s, 6.65e12) / 9e-5).toBeCloseTo(1, 12);
    expect(learningRateAt(s, 7e12) / 3e-5).toBeCloseTo(1, 12);
    // Cosine: half-way through the decay, half-way between the peak and the floor.
    expect(learningRateAt(s, (7e10 + 6.65e12) / 2) / (3e-4 * 0.65)).toBeCloseTo(1, 12);
  });

  it('is continuous where the phases meet and ends at annealFactor × peak (property, seeded)', () => {
    fc.assert(
      fc.property(options, (o) => {
        const s = learningRateSchedule(o);
        const eps = s.totalTokens * 1e-9;
        for (const boundary of [s.warmupTokens, s.annealStartTokens]) {
          const before = learningRateAt(s, boundary - eps);
          const after = learningRateAt(s, boundary);
          expect(Math.abs(after - before) / o.peak).toBeLessThan(1e-5);
        }
        expect(learningRateAt(s, s.warmupTokens) / o.peak).toBeCloseTo(1, 9);
        expect(learningRateAt(s, s.annealStartTokens) / o.peak).toBeCloseTo(o.decayFloor, 9);
        expect(learningRateAt(s, s.totalTokens) / o.peak).toBeCloseTo(o.annealFactor, 9);
        expect(s.phases[0]?.endLr).toBe(s.phases[1]?.startLr);
        expect(s.phases[1]?.endLr).toBe(s.phases[2]?.startLr);
      }),
      { seed: 31, numRuns: 200 },
    );
  });

  it('rises in the warm-up and never rises after it', () => {
    fc.assert(
      fc.property(options, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (o, a, b) => {
        const s = learningRateSchedule(o);
        const [t1, t2] = [Math.min(a, b) * s.totalTokens, Math.max(a, b) * s.totalTokens];
        const [l1, l2] = [learningRateAt(s, t1), learningRateAt(s, t2)];
        if (t2 <= s.warmupTokens) expect(l2).toBeGreaterThanOrEqual(l1);
        if (t1 >= s.warmupTokens) expect(l2).toBeLessThanOrEqual(l1 * (1 + 1e-12));
        expect(l1).toBeLessThanOrEqual(o.peak * (1 + 1e-12));
      }),
      { seed: 32 },
    );
  });

  it('samples the asked number of evenly spaced points plus every phase boundary, in order, from 0 to the last token', () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 2, max: 500 }), (o, points) => {
        const s = learningRateSchedule(o);
        const sampled = sampleSchedule(s, points);
        const tokens = sampled.map((p) => p.tokens);
        expect(tokens).toContain(s.warmupTokens);
        expect(tokens).toContain(s.annealStartTokens);
        expect(sampled.length).toBeGreaterThanOrEqual(points);
        expect(sampled.length).toBeLessThanOrEqual(points + 2);
        for (let i = 1; i < tokens.length; i++) expect(tokens[i] as number).toBeGreaterThan(tokens[i - 1] as number);
        // The peak is a sampled point: the end of the warm-up.
        expect(Math.max(...sampled.map((p) => p.lr)) / o.peak).toBeCloseTo(1, 12);
        expect(sampled[0]?.tokens).toBe(0);
        expect(sampled.at(-1)?.tokens).toBe(o.totalTokens);
        expect((sampled.at(-1)?.lr as number) / o.peak).toBeCloseTo(o.annealFactor, 9);
        expect(sampled.at(-1)?.phase).toBe('anneal');
      }),
      { seed: 33 },
    );
  });

  it('names the middle phase stable, not decay, when the floor is the peak (--decay-floor 100%)', () => {
    for (const decay of DECAY_SHAPES) {
      const s = learningRateSchedule({ peak: 3e-4, totalTokens: 7e12, decay, decayFloor: 1 });
      expect(s.phases.map((p) => p.phase)).toEqual(['warmup', 'stable', 'anneal']);
      expect(schedulePhase(s, 3e12)).toBe('stable');
      expect(learningRateAt(s, 3e12)).toBe(3e-4);
    }
    const decaying = learningRateSchedule({ peak: 3e-4, totalTokens: 7e12, decayFloor: 0.999 });
    expect(decaying.phases[1]?.phase).toBe('decay');
  });

  it('takes the warm-up in tokens, and names each phase', () => {
    const s = learningRateSchedule({ peak: 1e-3, totalTokens: 1e12, warmupTokens: 2e10, decay: 'linear' });
    expect(schedulePhase(s, 1e10)).toBe('warmup');
    expect(schedulePhase(s, 2e10)).toBe('decay');
    expect(schedulePhase(s, 0.96e12)).toBe('anneal');
    expect(learningRateAt(s, 1e10)).toBeCloseTo(5e-4, 15);
  });

  it('rejects inconsistent options with errors naming them', () => {
    const fails = (o: Parameters<typeof learningRateSchedule>[0], field: string) => {
      try {
        learningRateSchedule(o);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(MoeplanError);
        expect((error as MoeplanError).field).toBe(field);
      }
    };
    fails({ peak: 1e-3, totalTokens: 1e12, decayFloor: 0.05 }, 'decayFloor');
    fails({ peak: 1e-3, totalTokens: 1e12, warmupFraction: 0.96 }, 'warmupTokens');
    fails({ peak: 1e-3, totalTokens: 1e12, annealFraction: 0 }, 'annealFraction');
    fails({ peak: 1e-3, totalTokens: 1e12, decay: 'exponential', decayFloor: 0, annealFactor: 0 }, 'decayFloor');
    fails({ peak: 0, totalTokens: 1e12 }, 'peak');
    expect(() => sampleSchedule(learningRateSchedule({ peak: 1e-3, totalTokens: 1e12 }), 1)).toThrow(/points/);
  });

  it('says what is wrong as data, naming its inputs by their option names', () => {
    try {
      learningRateSchedule({ peak: 1e-3, totalTokens: 1e12, warmupFraction: 0.96 });
      expect.unreachable();
    } catch (error) {
      expect((error as MoeplanError).data?.message).toEqual({
        code: 'schedule.no-decay-tokens',
        args: { warmupTokens: 0.96e12, totalTokens: 1e12, annealFraction: 0.05 },
      });
      expect((error as MoeplanError).message).toBe('warmupTokens (960B, 96% of the tokens) and annealFraction (5%) leave no tokens for the decay');
    }
  });
});
