import { describe, expect, it } from 'vitest';
import { relDiff } from '../../helpers/cli.js';
import { base, empty, eps, expectLevels, only, skippedNeeds, withLimit, words } from './support.js';

describe('expertLr', () => {
  it('the rates against εopt of each expert batch: pass, warn, fail, strict, off', () =>
    expectLevels('expertLr', 0.1, 0.001, 7.4e-5 / eps(32e6 / 16, 128e6, 3e-4) - 1));

  it('needs εmax, Bnoise and B; then a planned rate; then the experts for the specialized rate', () => {
    expect(skippedNeeds(only(withLimit('expertLr', 0.1, 'error', empty)).finding)).toEqual(['optimalLr']);
    const noRates = { ...base, training: { ...base.training, lr: { max: 3e-4, noiseTokens: 128e6 } } };
    expect(skippedNeeds(only(withLimit('expertLr', 0.1, 'error', noRates)).finding)).toEqual(['plannedLr']);
    expect(skippedNeeds(only(withLimit('expertLr', 0.1, 'error', { ...base, model: { activatedParams: 52e9 } })).finding)).toEqual(['experts']);
  });

  it('reports the rate furthest off, with both deviations in detail', () => {
    const plan = withLimit('expertLr', 0.1);
    const lr = { ...base.training.lr, shared: 3e-4 }; // 25% above εopt(32M) = 2.4e-4
    const changed = { ...plan, training: { ...plan.training, lr } };
    const f = only(changed).finding;
    expect(f.status).toBe('fail');
    expect(relDiff(f.actual!, 0.25)).toBeLessThan(1e-9);
    expect(relDiff(f.detail.optimalSharedLr!, eps(32e6, 128e6, 3e-4))).toBeLessThan(1e-12);
    expect(f.detail.specializedDeviation).toBeDefined();
    expect(words(f, changed).hint).toBe("set training.lr.shared ≈ 2.4e-4 (εopt of each expert's batch, Hunyuan eq. 1); or widen limits.expertLr.within");
  });
});
