import { describe, expect, it } from 'vitest';
import { flopsCheck } from '../../../src/core/checks/flops.js';
import { C, empty, expectLevels, only, skippedNeeds, withLimit, words } from './support.js';

describe('flops', () => {
  it('C = 9.59·N·D + 2.3e8·D against max: pass, warn, fail, strict, off', () => expectLevels('flops', 4e24, 3e24, C));

  it('needs N and D', () => {
    expect(skippedNeeds(only(withLimit('flops', 1, 'error', empty)).finding)).toEqual(['size']);
    expect(flopsCheck.needs.size).toMatch(/model\.activatedParams.*training\.tokens/);
  });

  it('says which D (and N) would fit the limit', () => {
    const { finding } = only(withLimit('flops', 3e24));
    // D = 3e24 / (9.59·52e9 + 2.3e8), N = (3e24/7e12 − 2.3e8) / 9.59
    expect(finding.detail.tokensAtLimit).toBeCloseTo(3e24 / (9.59 * 52e9 + 2.3e8), -3);
    expect(finding.detail.paramsAtLimit).toBeCloseTo((3e24 / 7e12 - 2.3e8) / 9.59, -1);
    const text = words(finding);
    expect(text.details).toBe('52B params × 7T tokens, law hunyuan');
    expect(text.hint).toBe('at 52B params at most 6.013T tokens fit; at 7T tokens at most 44.67B params; or raise limits.flops.max');
  });
});
