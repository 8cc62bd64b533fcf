import { describe, expect, it } from 'vitest';
import { DOPT, base, empty, expectLevels, only, skippedNeeds, withLimit, words } from './support.js';

describe('tokensVsOptimal', () => {
  it('D against Dopt at Cmin: pass, warn, fail, strict, off', () => expectLevels('tokensVsOptimal', 0.5, 0.3, 7e12 / DOPT - 1));

  it('needs Cmin under a law of Cmin', () => {
    expect(skippedNeeds(only(withLimit('tokensVsOptimal', 1, 'error', empty)).finding)).toEqual(['cmin']);
  });

  it('is two-sided: too few tokens fail too', () => {
    const plan = { ...withLimit('tokensVsOptimal', 0.3), training: { ...base.training, tokens: 1e12 } }; // D/Dopt grows as √D: 1T is 46% below
    const f = only(plan).finding;
    expect(f.actual!).toBeLessThan(-0.3);
    expect(f.status).toBe('fail');
  });

  it('README: 7T tokens vs Dopt 4.883T at Cmin 2.328e24, and the tokens that would do', () => {
    const text = words(only(withLimit('tokensVsOptimal', 0.3, 'warn')).finding);
    expect(text.details).toBe('7T tokens vs Dopt 4.883T at Cmin 2.328e24');
    expect(text.hint).toBe('training.tokens 5.756T would be within ±30% (Dopt moves with Cmin); or widen limits.tokensVsOptimal.within');
  });
});
