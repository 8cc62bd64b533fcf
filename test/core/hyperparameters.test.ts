import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optimalHyperparameters } from '../../src/core/hyperparameters.js';
import { PRESETS } from '../../src/core/laws/index.js';
import type { Law } from '../../src/core/laws/types.js';

const steplaw = PRESETS.steplaw as Law;
const deepseek = PRESETS.deepseek as Law;

describe('optimal batch size and learning rate from a law', () => {
  it("reproduces Step Law's worked example (laws.md §5: N = 1e9, D = 1e11)", () => {
    const at = optimalHyperparameters(steplaw, { params: 1e9, tokens: 1e11 });
    expect((at?.lr as number) / 1.6325e-3).toBeCloseTo(1, 4);
    expect((at?.batchTokens as number) / 1.10771e6).toBeCloseTo(1, 4);
    expect((at?.batchTokens as number) / 2048).toBeCloseTo(540.9, 1); // sequences of 2048
    expect(at?.missing).toEqual([]);
    expect(at?.extrapolation).toBe(false);
  });

  it("reproduces DeepSeek LLM's worked values (laws.md §6: C = 1e20, and the 7B model's C = 8.4557e22)", () => {
    const at = optimalHyperparameters(deepseek, { flops: 1e20 });
    expect((at?.lr as number) / 9.86e-4).toBeCloseTo(1, 3);
    expect((at?.batchTokens as number) / 1.01714e6).toBeCloseTo(1, 4);
    // 7B: M = 72·30·4096² + 12·30·4096·4096 = 4.2278e10 FLOPs per token, 2T tokens.
    const m = 72 * 30 * 4096 ** 2 + 12 * 30 * 4096 * 4096;
    expect(m / 4.2278e10).toBeCloseTo(1, 4);
    const seven = optimalHyperparameters(deepseek, { flops: m * 2e12 });
    expect((seven?.lr as number) / 4.246e-4).toBeCloseTo(1, 3);
    expect((seven?.batchTokens as number) / 9.223e6).toBeCloseTo(1, 3);
  });

  it('says which inputs are missing, and flags extrapolation', () => {
    expect(optimalHyperparameters(steplaw, { tokens: 7e12 })).toMatchObject({ missing: ['params'], extrapolation: true });
    expect(optimalHyperparameters(steplaw, { tokens: 7e12 })?.lr).toBeUndefined();
    expect(optimalHyperparameters(steplaw, { tokens: 7e12 })?.batchTokens).toBeGreaterThan(0);
    expect(optimalHyperparameters(deepseek, {})?.missing).toEqual(['flops']);
    expect(optimalHyperparameters(PRESETS.hunyuan as Law, { flops: 1e20 })).toBeUndefined();
  });

  it('Step Law scales as its exponents say (property): ×k tokens → η × k^0.307, B × k^0.571; ×k params → η × k^−0.713', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e7, max: 1e12, noNaN: true }),
        fc.double({ min: 1e9, max: 1e14, noNaN: true }),
        fc.double({ min: 1.1, max: 100, noNaN: true }),
        (n, d, k) => {
          const base = optimalHyperparameters(steplaw, { params: n, tokens: d });
          const moreTokens = optimalHyperparameters(steplaw, { params: n, tokens: d * k });
          const moreParams = optimalHyperparameters(steplaw, { params: n * k, tokens: d });
          expect((moreTokens?.lr as number) / (base?.lr as number) / k ** 0.307).toBeCloseTo(1, 9);
          expect((moreTokens?.batchTokens as number) / (base?.batchTokens as number) / k ** 0.571).toBeCloseTo(1, 9);
          expect((moreParams?.lr as number) / (base?.lr as number) / k ** -0.713).toBeCloseTo(1, 9);
          expect(moreParams?.batchTokens).toBe(base?.batchTokens);
        },
      ),
      { seed: 2503 },
    );
  });
});
