/**
 * What `moeplan check` reports, independent of the output format: one outcome per plan
 * file (checked, or could not be read), the counts for the summary line, and each finding
 * described for people (actual, limit, how far off, details, a hint what to change).
 */
import { type Finding, type Formatters, type PlanCheck, findCheck } from '../../core/checks/index.js';
import { parameterCounts } from '../../core/architecture.js';
import { ARCH_LAW } from '../../io/architecture-compute.js';
import { group, money, percent, sci, si, trimNumber } from '../../io/format.js';
import { lawMismatchNote } from '../architecture-compute.js';
import type { LoadedPlan, PlanProblem } from '../../io/plan-file.js';

/** One plan file: checked (`loaded` and `result`), or could not be read (`error`). */
export interface PlanOutcome {
  /** The file as given, relative to the working directory when inside it. */
  readonly file: string;
  readonly loaded?: LoadedPlan;
  readonly result?: PlanCheck;
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string; readonly problems: readonly PlanProblem[] };
}

export interface CheckRun {
  readonly outcomes: readonly PlanOutcome[];
  readonly strict: boolean;
  /**
   * A check skipped because the plan lacks its inputs fails the plan (`--fail-on-skip`,
   * implied by `--strict`). A check the plan turns off (`level: off`) never does: that is
   * the plan's own decision.
   */
  readonly failOnSkip?: boolean;
}

export interface Summary {
  readonly plans: number;
  readonly passed: number;
  readonly failed: number;
  readonly unreadable: number;
  readonly checks: { readonly pass: number; readonly warn: number; readonly fail: number; readonly skip: number; readonly total: number };
}

/** Counts over all plans. */
export function summarize(run: CheckRun): Summary {
  const checks = { pass: 0, warn: 0, fail: 0, skip: 0, total: 0 };
  let passed = 0;
  let failed = 0;
  let unreadable = 0;
  for (const outcome of run.outcomes) {
    if (!outcome.result) {
      unreadable++;
      continue;
    }
    if (planPassed(outcome, run)) passed++;
    else failed++;
    for (const finding of outcome.result.findings) {
      checks[finding.status]++;
      checks.total++;
    }
  }
  return { plans: run.outcomes.length, passed, failed, unreadable, checks };
}

/** True when every plan was read and no check failed. */
export function runPassed(run: CheckRun): boolean {
  return run.outcomes.every((o) => planPassed(o, run));
}

/**
 * True when the plan was read, no check failed and, under `failOnSkip`, no check was
 * skipped for want of inputs.
 */
export function planPassed(outcome: PlanOutcome, run: CheckRun): boolean {
  if (outcome.result?.passed !== true) return false;
  return !(run.failOnSkip && outcome.result.findings.some(missingInputs));
}

/** A check skipped because the plan lacks its inputs (not one the plan turned off). */
export function missingInputs(finding: Finding): boolean {
  return finding.status === 'skip' && finding.level !== 'off';
}

/** True when not one check of any plan ran (every one skipped, or no limits at all). */
export function nothingRan(run: CheckRun): boolean {
  return summarize(run).checks.skip === summarize(run).checks.total;
}

/**
 * The summary line: `1 of 1 plan passed · 6 checks: 5 passed, 1 warning, 0 failed, 0 skipped`;
 * when some were skipped, how many ran: `0 of 3 checks ran: 0 passed, …, 3 skipped`.
 */
export function summaryLine(run: CheckRun): string {
  const s = summarize(run);
  const extra = [s.failed > 0 && `${s.failed} failed`, s.unreadable > 0 && `${s.unreadable} could not be read`].filter(Boolean);
  const plans = `${s.passed} of ${s.plans} plan${s.plans === 1 ? '' : 's'} passed${extra.length ? ` (${extra.join(', ')})` : ''}`;
  const c = s.checks;
  const counted = c.skip > 0 ? `${c.total - c.skip} of ${c.total} check${c.total === 1 ? '' : 's'} ran` : `${c.total} check${c.total === 1 ? '' : 's'}`;
  const checks = `${counted}: ${c.pass} passed, ${c.warn} warning${c.warn === 1 ? '' : 's'}, ${c.fail} failed, ${c.skip} skipped`;
  const policy = run.strict ? ' · strict: warnings and skipped checks fail' : run.failOnSkip ? ' · skipped checks fail' : '';
  return `${plans} · ${checks}${policy}`;
}

/** The verdict for the headline: `passed`, `failed`, or `nothing checked` when not one check ran. */
export function verdict(run: CheckRun): 'passed' | 'failed' | 'nothing checked' {
  if (!runPassed(run)) return 'failed';
  return nothingRan(run) ? 'nothing checked' : 'passed';
}

/** Failures first, then warnings, skipped checks, and passes; the plan's order within each. */
export function ordered(findings: readonly Finding[]): Finding[] {
  const rank = { fail: 0, warn: 1, skip: 2, pass: 3 } as const;
  return findings
    .map((f, i) => [f, i] as const)
    .sort((a, b) => rank[a[0].status] - rank[b[0].status] || a[1] - b[1])
    .map(([f]) => f);
}

/** Plans that could not be read or failed first, then those with warnings, then the rest; stable. */
export function orderedOutcomes(run: CheckRun): PlanOutcome[] {
  const rank = (o: PlanOutcome) => (!o.result ? 0 : !o.result.passed ? 1 : o.result.findings.some((f) => f.status === 'warn') ? 2 : 3);
  return run.outcomes
    .map((o, i) => [o, i] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([o]) => o);
}

/** A finding in words and formatted numbers. */
export interface FindingText {
  /** The compared value with its unit: `3.4924e24 FLOPs`, `+43.4%`. */
  readonly actual: string;
  /** `≤ 4e24 FLOPs`, `±30%`. */
  readonly limit: string;
  /** How far off: `12% over`, `13.4 pts outside`; or the margin when it passes. */
  readonly off: string;
  /** What was compared: `7T tokens vs Dopt 4.883T at Cmin 2.328e24`; for a skipped check, the reason. */
  readonly details: string;
  /** What to change, for a check that warns or fails. */
  readonly hint?: string;
}

/** The number formatting the checks' descriptions use. */
const FORMATTERS: Formatters = { si, sci, percent, money, trimNumber };

/** A few words on what a check compares. */
export function checkLabel(id: string): string {
  return findCheck(id)?.label ?? id;
}

/** A signed percentage; rounding noise below 0.0005% shows as 0%. */
const signed = (fraction: number) => percent(Math.abs(fraction) < 5e-6 ? 0 : fraction, 3, true);

/** Why a check was skipped, in words. */
export function skipReasonText(finding: Finding): string {
  const reason = finding.reason;
  if (!reason) return 'not checked';
  switch (reason.code) {
    case 'off':
      return 'turned off (level: off)';
    case 'noAllocation':
      return `law ${reason.args.law} has no compute-optimal allocation`;
    case 'needs': {
      const needs = findCheck(finding.id)?.needs ?? {};
      return `needs ${joinAnd(reason.args.needs.map((key) => needs[key] ?? key))}`;
    }
  }
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Describe one finding for people. */
export function describeFinding(finding: Finding, outcome: PlanOutcome): FindingText {
  const check = findCheck(finding.id);
  const limit = finding.kind === 'max' ? `≤ ${formatValue(finding.id, finding.limit)}` : `±${percent(finding.limit)}`;
  if (!check || finding.status === 'skip' || finding.actual === null || finding.excess === null) {
    return { actual: '–', limit, off: '', details: `skipped: ${skipReasonText(finding)}` };
  }
  const out = finding.status !== 'pass';
  const off =
    finding.kind === 'max'
      ? finding.excess > 0
        ? `${percent(finding.excess)} over`
        : `${percent(-finding.excess)} under`
      : out
        ? `${trimNumber(finding.excess * 100, 3)} pts outside`
        : `${trimNumber(-finding.excess * 100, 3)} pts inside`;
  const actual = finding.kind === 'max' ? formatValue(finding.id, finding.actual) : signed(finding.actual);
  const words = check.describe({
    finding,
    out,
    law: outcome.loaded?.law.name ?? '',
    ...(outcome.loaded ? { plan: outcome.loaded.plan } : {}),
    ...(outcome.result ? { derived: outcome.result.derived } : {}),
    ...(outcome.loaded?.paramsFrom ? { paramsFrom: outcome.loaded.paramsFrom } : {}),
    format: FORMATTERS,
  });
  return { actual, limit, off, ...words };
}

/** A `max` check's value with its unit. */
export function formatValue(id: string, value: number): string {
  const check = findCheck(id);
  return check?.formatValue ? check.formatValue(value, FORMATTERS) : trimNumber(value, 4);
}

/**
 * Notes about a plan that are not checks: extrapolation of the law, the architecture count
 * when C comes from it, keys of `model.config` its family does not know, and a law made for
 * the other kind of model.
 */
export function planNotes(outcome: PlanOutcome): string[] {
  const notes: string[] = [];
  const loaded = outcome.loaded;
  const config = loaded?.config;
  if (loaded && config) {
    const f = config.compute.flops;
    if (loaded.computeFrom === 'arch') {
      notes.push(
        `C counted from the architecture of ${config.path}: ${sci(f.perToken)} FLOPs per token at ${group(f.seqLen)} tokens (${config.compute.seqLenSource}; Megatron-LM's count)`,
      );
    } else {
      const mismatch = lawMismatchNote(
        loaded.law,
        parameterCounts(config.model.architecture).activatedParams,
        config.compute,
        config.model,
        config.path,
        'compute: arch in the plan',
      );
      if (mismatch) notes.push(mismatch);
    }
    const unknown = config.model.unknownKeys;
    if (unknown.length > 0) {
      notes.push(
        `model.config ${config.path}: key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} not known for a ${config.model.family} config, left out of the counts (--strict makes this an error)`,
      );
    }
  }
  const optimal = outcome.result?.derived.optimal;
  if (!optimal?.extrapolation) return notes;
  const range = optimal.fittedRange;
  return [
    `law ${optimal.law} was fitted on ${optimal.budgetKind === 'cmin' ? 'Cmin' : 'C'} ${range ? `${sci(range[0], 3)}–${sci(range[1], 3)}` : 'a narrower range'} FLOPs; ${sci(
      optimal.budget,
      4,
    )} is extrapolation`,
    ...notes,
  ];
}

/** `hunyuan-large-pretrain · law hunyuan` for a header. */
export function planTitle(outcome: PlanOutcome): string {
  if (!outcome.loaded) return 'could not be read';
  return `${outcome.loaded.plan.name} · law ${outcome.loaded.law.name}${outcome.loaded.computeFrom === 'arch' && outcome.loaded.law.name !== ARCH_LAW ? ' · compute arch' : ''}`;
}
