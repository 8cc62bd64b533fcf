import { describe, expect, it } from 'vitest';
import { paramsForLaw } from '../../src/core/law-params.js';
import { PRESETS, PRESET_LIST } from '../../src/core/laws/index.js';

// Three counts far apart, so that a wrong pick cannot pass by accident.
const counts = { activatedParams: 1e9, activatedNonEmbeddingParams: 2e9, totalNonEmbeddingParams: 3e9 };
// What each convention counts (the law types' doc): independent of the function under test.
const COUNTED = {
  activated: counts.activatedParams,
  'non-embedding': counts.activatedNonEmbeddingParams,
  'flops-per-token': counts.activatedNonEmbeddingParams,
  'total-non-embedding': counts.totalNonEmbeddingParams,
} as const;

describe('paramsForLaw', () => {
  it.each(PRESET_LIST.map((law) => [law.name, law] as const))('%s takes the count of its own convention', (_name, law) => {
    const meaning = law.compute.paramsMeaning ?? 'activated';
    expect(paramsForLaw(counts, law)).toEqual({ params: COUNTED[meaning], meaning });
  });

  it('Kaplan and DeepSeek count non-embedding, Krajewski every expert, Hunyuan and Chinchilla activated', () => {
    expect(paramsForLaw(counts, PRESETS.kaplan!).params).toBe(2e9);
    expect(paramsForLaw(counts, PRESETS.deepseek!).params).toBe(2e9);
    expect(paramsForLaw(counts, PRESETS.krajewski!).params).toBe(3e9);
    expect(paramsForLaw(counts, PRESETS.hunyuan!).params).toBe(1e9);
    expect(paramsForLaw(counts, PRESETS.chinchilla!).params).toBe(1e9);
    expect(paramsForLaw(counts, { compute: { paramsTokens: 6, tokens: 0 } }).meaning).toBe('activated');
  });
});
