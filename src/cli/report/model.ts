/**
 * What `moeplan check` reports, independent of the output format: one outcome per plan
 * file (checked, or could not be read), the counts for the summary line, and each finding
 * described for people (actual, limit, how far off, details, a hint what to change).
 */
import type { CheckId, Finding, PlanCheck } from '../../core/checks.js';
import { money, percent, sci, si, trimNumber } from '../../io/format.js';
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
  return findings.map((f, i) => [f, i] as const).sort((a, b) => rank[a[0].status] - rank[b[0].status] || a[1] - b[1]).map(([f]) => f);
}

/** Plans that could not be read or failed first, then those with warnings, then the rest; stable. */
export function orderedOutcomes(run: CheckRun): PlanOutcome[] {
  const rank = (o: PlanOutcome) => (!o.result ? 0 : !o.result.passed ? 1 : o.result.findings.some((f) => f.status === 'warn') ? 2 : 3);
  return run.outcomes.map((o, i) => [o, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([o]) => o);
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

const LABELS: Readonly<Record<CheckId, string>> = {
  flops: 'training compute',
  paramsVsOptimal: 'activated params vs Nopt',
  tokensVsOptimal: 'tokens vs Dopt',
  batchVsCritical: 'batch / critical batch',
  expertLr: 'expert learning rates vs εopt',
  gpuHours: 'GPU-hours',
  days: 'wall-clock days',
  cost: 'cost',
};

/** A few words on what a check compares. */
export function checkLabel(id: CheckId): string {
  return LABELS[id];
}

/** A signed percentage; rounding noise below 0.0005% shows as 0%. */
const signed = (fraction: number) => percent(Math.abs(fraction) < 5e-6 ? 0 : fraction, 3, true);

/** Describe one finding for people. */
export function describeFinding(finding: Finding, outcome: PlanOutcome): FindingText {
  const d = finding.detail;
  const n = (key: string) => d[key] as number;
  const limit = finding.kind === 'max' ? `≤ ${formatValue(finding.id, finding.limit)}` : `±${percent(finding.limit)}`;
  if (finding.status === 'skip' || finding.actual === null || finding.excess === null) {
    return { actual: '–', limit, off: '', details: `skipped: ${finding.reason ?? 'not checked'}` };
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
  const plan = outcome.loaded?.plan;
  const law = outcome.loaded?.law.name ?? '';
  switch (finding.id) {
    case 'flops':
      return {
        actual,
        limit,
        off,
        details: `${si(n('activatedParams'))} params × ${si(n('tokens'))} tokens, law ${law}`,
        ...(out
          ? {
              hint: `at ${si(n('activatedParams'))} params at most ${si(n('tokensAtLimit'))} tokens fit${
                d.paramsAtLimit !== undefined ? `; at ${si(n('tokens'))} tokens at most ${si(n('paramsAtLimit'))} params` : ''
              }; or raise limits.flops.max`,
            }
          : {}),
      };
    case 'paramsVsOptimal':
    case 'tokensVsOptimal': {
      const params = finding.id === 'paramsVsOptimal';
      const value = params ? n('activatedParams') : n('tokens');
      const optimum = params ? n('optimalParams') : n('optimalTokens');
      const suggested = d[params ? 'suggestedParams' : 'suggestedTokens'];
      const field = params ? 'model.activatedParams' : 'training.tokens';
      const what = params ? 'Nopt' : 'Dopt';
      // A law of raw compute (Chinchilla, DeepSeek) is evaluated at C, not at Cmin.
      const optimal = outcome.result?.derived.optimal;
      const budget = `${optimal?.budgetKind === 'flops' ? 'C' : 'Cmin'} ${sci(n('budget'), 4)}`;
      return {
        actual,
        limit,
        off,
        details: `${si(value)} ${params ? 'params' : 'tokens'} vs ${what} ${si(optimum)} at ${budget}`,
        ...(out
          ? {
              hint: `${
                suggested !== undefined
                  ? `${field} ${si(suggested)} would be within ±${percent(finding.limit)} (${what} moves with ${budget.split(' ')[0]})`
                  : `bring ${field} within ${si(n('low'))}–${si(n('high'))}`
              }; or widen limits.${finding.id}.within`,
            }
          : {}),
      };
    }
    case 'batchVsCritical': {
      const from = outcome.result?.derived.criticalBatchFrom === 'loss' ? ` (from loss ${trimNumber(plan?.training.loss ?? 0)})` : '';
      return {
        actual,
        limit,
        off,
        details: `B ${si(n('batchTokens'))} vs Bcrit ${si(n('criticalBatchTokens'))} tokens${from}`,
        ...(out ? { hint: `training.batchTokens at most ${si(n('batchAtLimit'))}; or raise limits.batchVsCritical.max` } : {}),
      };
    }
    case 'expertLr': {
      const parts: string[] = [];
      const fixes: string[] = [];
      for (const expert of ['shared', 'specialized'] as const) {
        const planned = d[`${expert}Lr`];
        if (planned === undefined) continue;
        const optimal = n(`optimal${expert === 'shared' ? 'Shared' : 'Specialized'}Lr`);
        const deviation = n(`${expert}Deviation`);
        parts.push(`${expert} ${sci(planned, 4)} vs εopt ${sci(optimal, 4)} (${signed(deviation)})`);
        if (Math.abs(deviation) > finding.limit) fixes.push(`training.lr.${expert} ≈ ${sci(optimal, 3)}`);
      }
      return {
        actual,
        limit,
        off,
        details: `${parts.join('; ')}; B/Bnoise ${trimNumber(n('batchOverNoise'), 4)}`,
        ...(out ? { hint: `set ${fixes.join(' and ')} (εopt of each expert's batch, Hunyuan eq. 1); or widen limits.expertLr.within` } : {}),
      };
    }
    case 'gpuHours':
    case 'days':
    case 'cost': {
      const hw = plan?.hardware;
      const device = `${hw?.count !== undefined ? `${hw.count} × ` : ''}${hw?.gpu ?? `${si(n('peakFlops') / 1e12, 4)} TFLOP/s`} at ${percent(n('mfu'))} MFU`;
      const details = finding.id === 'cost' ? `${si(n('gpuHours'))} GPU-h at ${money(n('price'))}/GPU-h` : `C ${sci(n('flops'), 5)} FLOPs on ${device}`;
      const less = `C at most ${sci(n('flopsAtLimit'), 4)} FLOPs (fewer tokens or params)`;
      const hint =
        finding.id === 'days'
          ? `hardware.count at least ${n('countAtLimit')}, a higher hardware.mfu, or ${less}`
          : finding.id === 'cost'
            ? `hardware.price at most ${money(n('priceAtLimit'))}/GPU-h, or ${less}`
            : `a higher hardware.mfu, or ${less}`;
      return { actual, limit, off, details, ...(out ? { hint: `${hint}; or raise limits.${finding.id}.max` } : {}) };
    }
  }
}

/** A `max` check's value with its unit. */
export function formatValue(id: CheckId, value: number): string {
  switch (id) {
    case 'flops':
      return `${sci(value, 5)} FLOPs`;
    case 'batchVsCritical':
      return trimNumber(value, 4);
    case 'gpuHours':
      return `${si(value, 4)} GPU-h`;
    case 'days':
      return `${trimNumber(value, 4)} days`;
    case 'cost':
      return money(value);
    default:
      return trimNumber(value, 4);
  }
}

/** Notes about a plan that are not checks: extrapolation of the law, law notes. */
export function planNotes(outcome: PlanOutcome): string[] {
  const optimal = outcome.result?.derived.optimal;
  if (!optimal?.extrapolation) return [];
  const range = optimal.fittedRange;
  return [
    `law ${optimal.law} was fitted on ${optimal.budgetKind === 'cmin' ? 'Cmin' : 'C'} ${range ? `${sci(range[0], 3)}–${sci(range[1], 3)}` : 'a narrower range'} FLOPs; ${sci(
      optimal.budget,
      4,
    )} is extrapolation`,
  ];
}

/** `hunyuan-large-pretrain · law hunyuan` for a header. */
export function planTitle(outcome: PlanOutcome): string {
  if (!outcome.loaded) return 'could not be read';
  return `${outcome.loaded.plan.name} · law ${outcome.loaded.law.name}`;
}
