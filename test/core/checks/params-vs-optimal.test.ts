import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../../src/core/checks/index.js';
import { PRESETS } from '../../../src/core/laws/index.js';
import type { Law } from '../../../src/core/laws/types.js';
import { relDiff } from '../../helpers/cli.js';
import { NOPT, base, empty, expectLevels, only, skippedNeeds, withLimit, words } from './support.js';

describe('paramsVsOptimal', () => {
  it('N against Nopt at Cmin: pass, warn, fail, strict, off', () => expectLevels('paramsVsOptimal', 0.15, 0.03, 52e9 / NOPT - 1));

  it('needs Cmin under a law of Cmin', () => {
    expect(skippedNeeds(only(withLimit('paramsVsOptimal', 1, 'error', empty)).finding)).toEqual(['cmin']);
  });

  it('README: 52B params vs Nopt 49.84B at Cmin 2.328e24', () => {
    expect(words(only(withLimit('paramsVsOptimal', 0.15)).finding).details).toBe('52B params vs Nopt 49.84B at Cmin 2.328e24');
  });

  it('a law of raw compute (chinchilla) needs no batch: Nopt at C = 6ND', () => {
    const plan = {
      name: 'chinchilla',
      model: { activatedParams: 70e9 },
      training: { tokens: 1.4e12 },
      hardware: {},
      limits: { paramsVsOptimal: { value: 0.15, level: 'error' as const } },
    };
    const f = checkPlan(plan, PRESETS.chinchilla as Law).findings[0]!;
    const c = 6 * 70e9 * 1.4e12;
    // Hoffmann 2022 approach 3 closed form with SPEC §2 constants.
    const [A, B, alpha, beta] = [406.4, 410.7, 0.34, 0.28];
    const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
    const nopt = G * (c / 6) ** (beta / (alpha + beta));
    expect(f.status).toBe('fail');
    expect(relDiff(f.detail.budget!, c)).toBeLessThan(1e-12);
    expect(relDiff(f.detail.optimalParams!, nopt)).toBeLessThan(1e-9);
    expect(f.detail.cmin).toBeUndefined();
  });

  it('a law without an allocation skips it, naming the law', () => {
    const f = checkPlan(withLimit('paramsVsOptimal', 0.1), PRESETS.dense as Law).findings[0]!;
    expect(f.status).toBe('skip');
    expect(f.reason).toEqual({ code: 'noAllocation', args: { law: 'dense' } });
  });

  it('suggests N within the limit when out of it', () => {
    const plan = { ...withLimit('paramsVsOptimal', 0.1), model: { ...base.model, activatedParams: 80e9 } };
    const { finding } = only(plan);
    expect(finding.status).toBe('fail');
    expect(words(finding, plan).hint).toMatch(
      /^model\.activatedParams \S+B would be within ±10% \(Nopt moves with Cmin\); or widen limits\.paramsVsOptimal\.within$/,
    );
  });
});
