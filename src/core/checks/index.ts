/**
 * Checks of a training plan against budgets and a scaling law: the pure core of
 * `moeplan check`. A plan (numbers only; reading and validating files is `io/plan-file.ts`)
 * and a law go in, findings `{ id, status, actual, limit, … }` come out. No I/O, no text.
 *
 * {@link CHECKS} is the registry: one entry per check, one file per entry (each file
 * describes its check: formula, source, detail keys). The plan schema's limits, the keys a
 * plan may have, the report's labels and `moeplan check --help` are derived from it.
 *
 * Each limit is one check whose `id` is the limit's key in the plan. A `max` check passes
 * when actual ≤ max; a `within` check passes when |value/optimum − 1| ≤ within (both
 * bounds inclusive). Out of limit, the check fails at level `error` and warns at level
 * `warn` (or fails under `strict`). A check whose inputs the plan lacks, or whose level is
 * `off`, is skipped with the reason: never passed.
 */
import { MoeplanError } from '../errors.js';
import type { Law } from '../laws/types.js';
import { batchVsCriticalCheck } from './batch-vs-critical.js';
import { costCheck } from './cost.js';
import { daysCheck } from './days.js';
import { derivePlan } from './derive.js';
import { expertLrCheck } from './expert-lr.js';
import { flopsCheck } from './flops.js';
import { gpuHoursCheck } from './gpu-hours.js';
import { memoryPerGpuCheck } from './memory-per-gpu.js';
import { paramsVsOptimalCheck } from './params-vs-optimal.js';
import { tokensVsOptimalCheck } from './tokens-vs-optimal.js';
import type { CheckDefinition, CheckKind, CheckStatus, Finding, Plan, PlanDerived, PlanLimit } from './types.js';
import { message } from '../messages.js';

export { derivePlan } from './derive.js';
export { withinAfterChange } from './optimum.js';
export type * from './types.js';
export { defineCheck } from './types.js';

/** The checks, in the order they are described and listed: add a check here. */
export const CHECKS = [
  flopsCheck,
  paramsVsOptimalCheck,
  tokensVsOptimalCheck,
  batchVsCriticalCheck,
  expertLrCheck,
  gpuHoursCheck,
  daysCheck,
  costCheck,
  memoryPerGpuCheck,
] as const satisfies readonly CheckDefinition[];

export type CheckId = (typeof CHECKS)[number]['id'];

/** The check ids, each the key of its limit in a plan. */
export const CHECK_IDS: readonly CheckId[] = CHECKS.map((check) => check.id);

/** Whether each check bounds a value from above (`max`) or its distance from an optimum (`within`). */
export const CHECK_KINDS: Readonly<Record<CheckId, CheckKind>> = Object.fromEntries(CHECKS.map((check) => [check.id, check.kind])) as Record<
  CheckId,
  CheckKind
>;

const BY_ID: ReadonlyMap<string, CheckDefinition> = new Map(CHECKS.map((check) => [check.id, check]));

/** The definition of a check by id, if there is one. */
export function findCheck(id: string): CheckDefinition | undefined {
  return BY_ID.get(id);
}

export interface PlanCheck {
  /** True when no check failed (warnings allowed, unless `strict`). */
  readonly passed: boolean;
  readonly strict: boolean;
  readonly findings: readonly Finding[];
  readonly derived: PlanDerived;
}

/**
 * Run every check a plan sets a limit for.
 *
 * Each check's file lists the numbers of its finding's `detail`.
 *
 * @example
 * const result = checkPlan(hunyuanPlan, PRESETS.hunyuan);
 * result.findings.find((f) => f.id === 'tokensVsOptimal') // { status: 'warn', actual: 0.4336, limit: 0.3, … }
 */
export function checkPlan(plan: Plan, law: Law, options: { strict?: boolean } = {}): PlanCheck {
  const strict = options.strict === true;
  const derived = derivePlan(plan, law);
  const findings: Finding[] = [];
  for (const [id, limit] of Object.entries(plan.limits)) {
    if (!limit) continue;
    const check = findCheck(id);
    if (!check) throw new MoeplanError('INVALID_PLAN', message('plan.unknown-check', { id }), { field: `limits.${id}` });
    findings.push(runCheck(check, limit, plan, law, derived, strict));
  }
  return { passed: findings.every((f) => f.status !== 'fail'), strict, findings, derived };
}

function runCheck(check: CheckDefinition, limit: PlanLimit, plan: Plan, law: Law, derived: PlanDerived, strict: boolean): Finding {
  const { id, kind } = check;
  const base = { id, level: limit.level, kind, limit: limit.value };
  const skipped = { ...base, status: 'skip', actual: null, excess: null, detail: {} } as const;
  if (limit.level === 'off') return { ...skipped, reason: { code: 'off', args: {} } };
  const measured = check.measure({ plan, law, derived, limit: limit.value, limitKey: limit.key ?? kind });
  if ('noAllocation' in measured) return { ...skipped, reason: { code: 'noAllocation', args: { law: law.name } } };
  if ('missing' in measured) return { ...skipped, reason: { code: 'needs', args: { needs: measured.missing } } };
  const { actual, detail } = measured;
  // A limit written another way (a headroom) comes back from the check in the unit of `actual`.
  const value = measured.limit ?? limit.value;
  const excess = kind === 'max' ? actual / value - 1 : Math.abs(actual) - value;
  representable(id, { actual, excess, ...detail });
  const inside = kind === 'max' ? actual <= value : Math.abs(actual) <= value;
  const status: CheckStatus = inside ? 'pass' : limit.level === 'warn' && !strict ? 'warn' : 'fail';
  return { ...base, limit: value, status, actual, excess, detail };
}

/**
 * Every number of a finding must be finite, and the values that would meet the limit
 * (`…AtLimit`, `suggested…`) positive: a plan whose quantities and limit are so far apart
 * that one overflows or underflows is an error with the reason, never a report of
 * Infinity or 0.
 */
function representable(id: string, numbers: Readonly<Record<string, number>>): void {
  for (const [key, value] of Object.entries(numbers)) {
    const positive = key.endsWith('AtLimit') || key.startsWith('suggested');
    if (Number.isFinite(value) && (!positive || value > 0)) continue;
    throw new MoeplanError(Number.isFinite(value) ? 'UNDERFLOW' : 'OVERFLOW', message('plan.limit-not-representable', { id, what: key, value }), {
      field: `limits.${id}`,
      hint: message('plan.limit-not-representable.hint', {}),
    });
  }
}
