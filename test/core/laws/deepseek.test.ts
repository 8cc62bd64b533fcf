import { describe, expect, it } from 'vitest';
import { optimalAllocation } from '../../../src/core/allocation.js';
import { paramsForLaw } from '../../../src/core/law-params.js';
import { PRESETS } from '../../../src/core/laws/index.js';
import { relDiff } from '../../helpers/cli.js';

const law = PRESETS.deepseek!;

describe('deepseek', () => {
  it('eq. 4 worked example at C = 1e20: Mopt = 5.25127e9 FLOPs/token, Dopt = 1.90453e10 tokens; N ≈ M/6', () => {
    const at = optimalAllocation(law, 1e20);
    expect(relDiff(at.native!.value, 5.25127e9)).toBeLessThan(1e-5);
    expect(relDiff(at.tokens, 1.90453e10)).toBeLessThan(1e-5);
    expect(relDiff(at.params, 5.25127e9 / 6)).toBeLessThan(1e-5);
    expect(at.native!.approximate).toBe(true);
  });

  it('takes the non-embedding count from a model (M excludes the vocabulary)', () => {
    expect(paramsForLaw({ activatedParams: 10, activatedNonEmbeddingParams: 7, totalNonEmbeddingParams: 30 }, law).params).toBe(7);
  });
});
