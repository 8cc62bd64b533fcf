import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CheckLevel, type Plan, checkPlan, derivePlan, withinAfterChange } from '../../../src/core/checks/index.js';
import { readPlanFile } from '../../../src/io/plan-file.js';
import { relDiff } from '../../helpers/cli.js';
import { CMIN, DOPT, NOPT, base, hunyuan, only, withLimit } from './support.js';

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

describe('checkPlan', () => {
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

  it("runs the checks in the plan's order, and refuses a limit no check has", () => {
    const plan: Plan = { ...base, limits: { days: { value: 120, level: 'error' }, flops: { value: 4e24, level: 'error' } } };
    expect(checkPlan(plan, hunyuan).findings.map((f) => f.id)).toEqual(['days', 'flops']);
    expect(() => checkPlan({ ...base, limits: { memory: { value: 1, level: 'error' } } }, hunyuan)).toThrow(/limits\.memory: unknown check/);
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
