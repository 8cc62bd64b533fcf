import { describe, expect, it } from 'vitest';
import { base, empty, expectLevels, only, skippedNeeds, withLimit, words } from './support.js';

describe('batchVsCritical', () => {
  it('B/Bcrit = 32M/64M against max: pass, warn, fail, strict, off', () => expectLevels('batchVsCritical', 1, 0.4, 0.5));

  it('a bound is inclusive', () => {
    expect(only(withLimit('batchVsCritical', 0.5)).finding.status).toBe('pass');
  });

  it('needs B and Bcrit (or the loss)', () => {
    expect(skippedNeeds(only(withLimit('batchVsCritical', 1, 'error', empty)).finding)).toEqual(['batch']);
  });

  it('README: Bcrit from the loss by Kaplan eq. 1.4, and the largest batch within the limit', () => {
    const plan = { ...withLimit('batchVsCritical', 1), training: { ...base.training, batchTokens: 64e6, criticalBatchTokens: undefined, loss: 2 } };
    const { finding } = only(plan);
    expect(finding.actual).toBeCloseTo(64e6 / (2e8 / 2 ** (1 / 0.21)), 9);
    const text = words(finding, plan);
    expect(text.details).toBe('B 64M vs Bcrit 7.371M tokens (from loss 2)');
    expect(text.hint).toBe('training.batchTokens at most 7.371M; or raise limits.batchVsCritical.max');
  });
});
