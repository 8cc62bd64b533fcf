import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CheckId, type CheckLevel, type Plan, checkPlan, derivePlan, withinAfterChange } from '../../src/core/checks.js';
import { PRESETS } from '../../src/core/laws/index.js';
import type { Law } from '../../src/core/laws/types.js';
import { readPlanFile } from '../../src/io/plan-file.js';
import { relDiff } from '../helpers/cli.js';

const hunyuan = PRESETS.hunyuan as Law;

/** The SPEC §5 plan, typed out as numbers (the file version is read in the last test). */
const base: Plan = {
  name: 'hunyuan-large-pretrain',
  model: { activatedParams: 52e9, experts: 16, topK: 1 },
  training: {
    tokens: 7e12,
    batchTokens: 32e6,
    criticalBatchTokens: 64e6,
    lr: { max: 3e-4, noiseTokens: 128e6, shared: 2.4e-4, specialized: 7.4e-5 },
  },
  hardware: { gpu: 'h100', peakFlops: 989e12, count: 4096, mfu: 0.4, price: 2.5 },
  limits: {},
};

function withLimit(id: CheckId, value: number, level: CheckLevel = 'error', plan: Plan = base): Plan {
  return { ...plan, limits: { [id]: { value, level } } };
}

function only(plan: Plan, options: { strict?: boolean } = {}) {
  const result = checkPlan(plan, hunyuan, options);
  expect(result.findings).toHaveLength(1);
  return { result, finding: result.findings[0]! };
}

// Independent arithmetic for the example plan (SPEC §1 formulas written out here).
const C = (9.59 * 52e9 + 2.3e8) * 7e12;
const CMIN = C / (1 + 32e6 / 64e6);
const NOPT = 5.9e-3 * CMIN ** 0.5305;
const DOPT = 3.2 * CMIN ** 0.5;
const eps = (b: number, noise: number, max: number) => (2 * max) / (Math.sqrt(noise / b) + Math.sqrt(b / noise));
const GPU_SECONDS = C / (989e12 * 0.4);

describe('derivePlan', () => {
  it('computes C by eq. 2, Cmin by eq. 3 and Nopt/Dopt at Cmin', () => {
    const d = derivePlan(base, hunyuan);
    expect(relDiff(d.flops!, 3.4924e24)).toBeLessThan(1e-4);
    expect(relDiff(d.cmin!, CMIN)).toBeLessThan(1e-12);
    expect(relDiff(d.cmin!, 2.33e24)).toBeLessThan(2e-3); // SPEC §5: Cmin 2.33e24
    expect(relDiff(d.optimal!.params, NOPT)).toBeLessThan(1e-12);
    expect(relDiff(d.optimal!.tokens, DOPT)).toBeLessThan(1e-12);
    expect(d.optimal!.extrapolation).toBe(true);
  });

  it('takes Bcrit from the loss by Kaplan eq. 1.4 when the plan gives a loss', () => {
    const training = { ...base.training, criticalBatchTokens: undefined, loss: 1.9 };
    const d = derivePlan({ ...base, training }, hunyuan);
    expect(d.criticalBatchFrom).toBe('loss');
    expect(relDiff(d.criticalBatchTokens!, 2e8 / 1.9 ** (1 / 0.21))).toBeLessThan(1e-12);
  });
});

describe('checks at pass, warn and fail', () => {
  // For each check: a limit the example plan meets, and one it misses.
  const cases: Array<[CheckId, number, number, number]> = [
    // id, passing limit, failing limit, expected actual
    ['flops', 4e24, 3e24, C],
    ['paramsVsOptimal', 0.15, 0.03, 52e9 / NOPT - 1],
    ['tokensVsOptimal', 0.5, 0.3, 7e12 / DOPT - 1],
    ['batchVsCritical', 1, 0.4, 0.5],
    ['expertLr', 0.1, 0.001, 7.4e-5 / eps(32e6 / 16, 128e6, 3e-4) - 1],
    ['gpuHours', 3e6, 2e6, GPU_SECONDS / 3600],
    ['days', 120, 20, GPU_SECONDS / 4096 / 86400],
    ['cost', 10e6, 5e6, (GPU_SECONDS / 3600) * 2.5],
  ];

  it.each(cases)('%s', (id, passing, failing, actual) => {
    const pass = only(withLimit(id, passing)).finding;
    expect(pass.status).toBe('pass');
    expect(relDiff(pass.actual!, actual)).toBeLessThan(1e-9);
    expect(pass.limit).toBe(passing);
    expect(pass.excess!).toBeLessThan(0);

    const warn = only(withLimit(id, failing, 'warn'));
    expect(warn.finding.status).toBe('warn');
    expect(warn.result.passed).toBe(true);
    expect(warn.finding.excess!).toBeGreaterThan(0);

    const fail = only(withLimit(id, failing));
    expect(fail.finding.status).toBe('fail');
    expect(fail.result.passed).toBe(false);

    const strict = only(withLimit(id, failing, 'warn'), { strict: true });
    expect(strict.finding.status).toBe('fail');
    expect(strict.result.passed).toBe(false);

    const off = only(withLimit(id, failing, 'off')).finding;
    expect(off.status).toBe('skip');
    expect(off.reason).toMatch(/off/);
  });

  it('SPEC §5: the example plan passes with one warning, tokens 43% above Dopt at Cmin 2.33e24', () => {
    const plan: Plan = {
      ...base,
      limits: {
        flops: { value: 4e24, level: 'error' },
        paramsVsOptimal: { value: 0.15, level: 'error' },
        tokensVsOptimal: { value: 0.3, level: 'warn' },
        batchVsCritical: { value: 1, level: 'error' },
        expertLr: { value: 0.1, level: 'error' },
        days: { value: 120, level: 'error' },
      },
    };
    const result = checkPlan(plan, hunyuan);
    expect(result.passed).toBe(true);
    const statuses = Object.fromEntries(result.findings.map((f) => [f.id, f.status]));
    expect(statuses).toEqual({ flops: 'pass', paramsVsOptimal: 'pass', tokensVsOptimal: 'warn', batchVsCritical: 'pass', expertLr: 'pass', days: 'pass' });
    const tokens = result.findings.find((f) => f.id === 'tokensVsOptimal')!;
    expect(Math.round(tokens.actual! * 100)).toBe(43);
    expect(relDiff(tokens.detail.cmin!, 2.33e24)).toBeLessThan(2e-3);
  });

  it('within checks are two-sided: too few tokens fail too', () => {
    const plan = { ...withLimit('tokensVsOptimal', 0.3), training: { ...base.training, tokens: 1e12 } }; // D/Dopt grows as √D: 1T is 46% below
    const f = only(plan).finding;
    expect(f.actual!).toBeLessThan(-0.3);
    expect(f.status).toBe('fail');
  });

  it('expertLr reports the rate furthest off, with both deviations in detail', () => {
    const plan = withLimit('expertLr', 0.1);
    const lr = { ...base.training.lr, shared: 3e-4 }; // 25% above εopt(32M) = 2.4e-4
    const f = only({ ...plan, training: { ...plan.training, lr } }).finding;
    expect(f.status).toBe('fail');
    expect(relDiff(f.actual!, 0.25)).toBeLessThan(1e-9);
    expect(relDiff(f.detail.optimalSharedLr!, eps(32e6, 128e6, 3e-4))).toBeLessThan(1e-12);
    expect(f.detail.specializedDeviation).toBeDefined();
  });

  it('a bound is inclusive', () => {
    expect(only(withLimit('batchVsCritical', 0.5)).finding.status).toBe('pass');
  });
});

describe('skipped checks: missing inputs are never passed', () => {
  const empty: Plan = { name: 'empty', model: {}, training: {}, hardware: {}, limits: {} };
  it.each<[CheckId, RegExp]>([
    ['flops', /model\.activatedParams.*training\.tokens/],
    ['paramsVsOptimal', /Cmin/],
    ['tokensVsOptimal', /Cmin/],
    ['batchVsCritical', /training\.batchTokens/],
    ['expertLr', /training\.lr\.max/],
    ['gpuHours', /hardware\.gpu/],
    ['days', /hardware\.count/],
    ['cost', /hardware\.price/],
  ])('%s', (id, reason) => {
    const f = only(withLimit(id, 1, 'error', empty)).finding;
    expect(f.status).toBe('skip');
    expect(f.actual).toBeNull();
    expect(f.reason).toMatch(reason);
  });

  it('expertLr needs model.experts for the specialized rate', () => {
    const plan = withLimit('expertLr', 0.1, 'error', { ...base, model: { activatedParams: 52e9 } });
    expect(only(plan).finding.reason).toMatch(/model\.experts/);
  });

  it('a law of raw compute (chinchilla) needs no batch: Nopt at C = 6ND', () => {
    const plan: Plan = { name: 'chinchilla', model: { activatedParams: 70e9 }, training: { tokens: 1.4e12 }, hardware: {}, limits: { paramsVsOptimal: { value: 0.15, level: 'error' } } };
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

  it('a law without an allocation skips the optimum checks', () => {
    const result = checkPlan(withLimit('paramsVsOptimal', 0.1), PRESETS.dense as Law);
    expect(result.findings[0]!.status).toBe('skip');
    expect(result.findings[0]!.reason).toMatch(/no compute-optimal allocation/);
  });
});

describe('properties', () => {
  it('a within check passes exactly when |value/optimum − 1| ≤ within', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e9, max: 1e12, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), (params, within) => {
        const plan = { ...withLimit('paramsVsOptimal', within), model: { ...base.model, activatedParams: params } };
        const f = only(plan).finding;
        const optimum = derivePlan(plan, hunyuan).optimal!.params;
        expect(f.status === 'pass').toBe(Math.abs(params / optimum - 1) <= within);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('the suggested tokens and params pass the check they were suggested for', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'activatedParams' | 'tokens'>('activatedParams', 'tokens'),
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        (field, within, scale) => {
          const id = field === 'tokens' ? 'tokensVsOptimal' : 'paramsVsOptimal';
          const plan =
            field === 'tokens'
              ? { ...withLimit(id, within), training: { ...base.training, tokens: 7e12 * scale } }
              : { ...withLimit(id, within), model: { ...base.model, activatedParams: 52e9 * scale } };
          const f = only(plan).finding;
          if (f.status === 'pass') return;
          const suggested = withinAfterChange(plan, hunyuan, field, f.actual!, within);
          expect(suggested).toBeDefined();
          const fixed =
            field === 'tokens'
              ? { ...plan, training: { ...plan.training, tokens: suggested } }
              : { ...plan, model: { ...plan.model, activatedParams: suggested } };
          const after = only(fixed).finding;
          expect(after.status).toBe('pass');
          expect(Math.abs(after.actual!)).toBeGreaterThan(within * 0.999); // at the edge, not anywhere inside
        },
      ),
      { seed: 5, numRuns: 60 },
    );
  });

  it('strict never turns a pass into a failure, and only warnings change', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e23, max: 1e25, noNaN: true }), fc.constantFrom<CheckLevel>('error', 'warn', 'off'), (max, level) => {
        const loose = only(withLimit('flops', max, level)).finding;
        const strict = only(withLimit('flops', max, level), { strict: true }).finding;
        expect(strict.status).toBe(loose.status === 'warn' ? 'fail' : loose.status);
      }),
      { seed: 3, numRuns: 100 },
    );
  });
});

it('the example file reproduces SPEC §5 (read, not typed in)', async () => {
  const loaded = await readPlanFile('examples/plans/hunyuan-large.yaml', { cwd: process.cwd() });
  const result = checkPlan(loaded.plan, loaded.law);
  expect(result.passed).toBe(true);
  const warnings = result.findings.filter((f) => f.status !== 'pass');
  expect(warnings.map((f) => [f.id, f.status])).toEqual([['tokensVsOptimal', 'warn']]);
  expect(Math.round(warnings[0]!.actual! * 100)).toBe(43);
  expect(Number(result.derived.cmin!.toPrecision(3))).toBe(2.33e24);
});
