/** Shared by the tests of the plan checks: the SPEC §5 plan as numbers, and its quantities worked out by hand. */
import { expect } from 'vitest';
import { type CheckLevel, type Finding, type Plan, checkPlan, findCheck } from '../../../src/core/checks/index.js';
import { PRESETS } from '../../../src/core/laws/index.js';
import type { Law } from '../../../src/core/laws/types.js';
import { money, percent, sci, si, trimNumber } from '../../../src/io/format.js';
import { relDiff } from '../../helpers/cli.js';

export const hunyuan = PRESETS.hunyuan as Law;

/** The SPEC §5 plan, typed out as numbers (the file version is read in index.test.ts). */
export const base: Plan = {
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

/** A plan with no inputs at all. */
export const empty: Plan = { name: 'empty', model: {}, training: {}, hardware: {}, limits: {} };

export function withLimit(id: string, value: number, level: CheckLevel = 'error', plan: Plan = base): Plan {
  return { ...plan, limits: { [id]: { value, level } } };
}

/** The one finding of a plan with one limit. */
export function only(plan: Plan, options: { strict?: boolean; law?: Law } = {}) {
  const result = checkPlan(plan, options.law ?? hunyuan, options);
  expect(result.findings).toHaveLength(1);
  return { result, finding: result.findings[0] as Finding };
}

// Independent arithmetic for the example plan (SPEC §1 formulas written out here).
export const C = (9.59 * 52e9 + 2.3e8) * 7e12;
export const CMIN = C / (1 + 32e6 / 64e6);
export const NOPT = 5.9e-3 * CMIN ** 0.5305;
export const DOPT = 3.2 * CMIN ** 0.5;
export const eps = (b: number, noise: number, max: number) => (2 * max) / (Math.sqrt(noise / b) + Math.sqrt(b / noise));
export const GPU_SECONDS = C / (989e12 * 0.4);

/**
 * A check on the example plan: passes at `passing` with `actual`, warns and fails at
 * `failing` (fails under strict), and is skipped at level off.
 */
export function expectLevels(id: string, passing: number, failing: number, actual: number): void {
  const pass = only(withLimit(id, passing)).finding;
  expect(pass.status).toBe('pass');
  expect(relDiff(pass.actual as number, actual)).toBeLessThan(1e-9);
  expect(pass.limit).toBe(passing);
  expect(pass.excess as number).toBeLessThan(0);

  const warn = only(withLimit(id, failing, 'warn'));
  expect(warn.finding.status).toBe('warn');
  expect(warn.result.passed).toBe(true);
  expect(warn.finding.excess as number).toBeGreaterThan(0);

  const fail = only(withLimit(id, failing));
  expect(fail.finding.status).toBe('fail');
  expect(fail.result.passed).toBe(false);

  const strict = only(withLimit(id, failing, 'warn'), { strict: true });
  expect(strict.finding.status).toBe('fail');
  expect(strict.result.passed).toBe(false);

  const off = only(withLimit(id, failing, 'off')).finding;
  expect(off.status).toBe('skip');
  expect(off.reason).toEqual({ code: 'off', args: {} });
}

/** The needs a skipped finding names; each is a key of its check's `needs`. */
export function skippedNeeds(finding: Finding): readonly string[] {
  expect(finding.status).toBe('skip');
  expect(finding.actual).toBeNull();
  const reason = finding.reason;
  if (reason?.code !== 'needs') throw new Error(`expected a needs reason, got ${JSON.stringify(reason)}`);
  const needs = findCheck(finding.id)?.needs ?? {};
  for (const key of reason.args.needs) expect(Object.keys(needs)).toContain(key);
  return reason.args.needs;
}

/** A finding's details and hint in words, with the CLI's number formatting. */
export function words(finding: Finding, plan: Plan = base, law: Law = hunyuan) {
  const check = findCheck(finding.id);
  if (!check) throw new Error(`no check ${finding.id}`);
  const derived = checkPlan(plan, law).derived;
  return check.describe({ finding, out: finding.status !== 'pass', plan, law: law.name, derived, format: { si, sci, percent, money, trimNumber } });
}
