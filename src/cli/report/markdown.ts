/**
 * `moeplan check --format markdown`: a report for a pull-request comment or the GitHub
 * job summary. One table per plan (failures first), the summary line last.
 */
import type { CheckStatus } from '../../core/checks/index.js';
import { formatProblem } from '../../io/plan-file.js';
import { inlineCode, markdown } from './escape.js';
import { type CheckRun, type PlanOutcome, describeFinding, ordered, orderedOutcomes, planNotes, planPassed, planTitle, summaryLine, verdict } from './model.js';

const ICON: Readonly<Record<CheckStatus, string>> = { fail: '❌ fail', warn: '⚠️ warn', skip: '⏭️ skip', pass: '✅ pass' };

/** Text safe inside a Markdown table cell, a heading or a list item: see {@link markdown}. */
export function cell(text: string): string {
  return markdown(text);
}

/** GitHub's largest comment body, in characters. */
export const MAX_COMMENT_CHARS = 65_536;
/** GitHub's largest job summary of one step, in bytes (1 MiB). */
export const MAX_STEP_SUMMARY_BYTES = 1024 * 1024;

/** A size limit for the report: at most `max` as `measure` counts (characters, UTF-8 bytes). */
export interface SizeLimit {
  readonly max: number;
  readonly measure: (text: string) => number;
  /** What the limit is, for the line that says what was left out. */
  readonly what: string;
}

/** Counts UTF-16 code units: never fewer than the characters GitHub counts. */
export const commentLimit: SizeLimit = {
  max: MAX_COMMENT_CHARS,
  measure: (text) => text.length,
  what: `GitHub's limit of ${MAX_COMMENT_CHARS} characters for a comment`,
};

/** The job summary limit, less what earlier parts of the step already wrote (`used` bytes). */
export function stepSummaryLimit(used: number): SizeLimit {
  return {
    max: Math.max(0, MAX_STEP_SUMMARY_BYTES - used),
    measure: (text) => Buffer.byteLength(text, 'utf8'),
    what: "GitHub's limit of 1 MiB for a job summary",
  };
}

/**
 * The report; with a `limit`, plans are added in report order (failures first) while they
 * fit, and a line says how many plans and findings were left out and where the whole
 * report is (`--format json`). The heading and the summary line are always there.
 */
export function renderMarkdown(run: CheckRun, limit?: SizeLimit): string {
  const outcome = verdict(run);
  const icon = outcome === 'failed' ? '❌' : outcome === 'passed' ? '✅' : '⚠️';
  const word = outcome === 'failed' ? 'Failed' : outcome === 'passed' ? 'Passed' : 'Nothing checked';
  const head = [`## ${icon} moeplan check`, ''];
  const tail = [`**${word}:** ${summaryLine(run)}`, ''];
  const outcomes = orderedOutcomes(run);
  if (!limit) return [...head, ...outcomes.map((o) => renderPlan(o, run)), ...tail].join('\n');

  // Room for the line about what was left out, whatever its numbers.
  const note = (plans: number, findings: number) =>
    `> **${plans} of ${outcomes.length} plan${outcomes.length === 1 ? '' : 's'} (${findings} finding${findings === 1 ? '' : 's'}) left out** to stay within ${limit.what}; \`moeplan check --format json\` prints the whole report.\n`;
  const reserve = limit.measure(note(outcomes.length, 10 ** 9)) + limit.measure([...head, ...tail].join('\n')) + 2;
  const sections: string[] = [];
  let used = reserve;
  let omittedFindings = 0;
  let omittedPlans = 0;
  for (const o of outcomes) {
    const text = omittedPlans === 0 ? renderPlan(o, run) : '';
    const size = omittedPlans === 0 ? limit.measure(text) + 1 : Number.POSITIVE_INFINITY;
    if (used + size <= limit.max) {
      sections.push(text);
      used += size;
    } else {
      omittedPlans++;
      omittedFindings += o.result?.findings.length ?? o.error?.problems.length ?? 1;
    }
  }
  if (omittedPlans > 0) sections.push(note(omittedPlans, omittedFindings));
  return [...head, ...sections, ...tail].join('\n');
}

function planIcon(outcome: PlanOutcome, run: CheckRun): string {
  if (!outcome.result) return '❌';
  if (!planPassed(outcome, run)) return '❌';
  return outcome.result.findings.some((f) => f.status === 'warn') ? '⚠️' : '✅';
}

function renderPlan(outcome: PlanOutcome, run: CheckRun): string {
  const lines = [`### ${planIcon(outcome, run)} ${inlineCode(outcome.file)} · ${cell(planTitle(outcome))}`, ''];
  if (!outcome.result) {
    for (const problem of outcome.error?.problems ?? [])
      lines.push(`- ${cell(formatProblem(outcome.file, problem))}${problem.hint ? ` (hint: ${cell(problem.hint)})` : ''}`);
    if (!outcome.error?.problems.length) lines.push(`- ${cell(outcome.error?.message ?? 'could not be read')}`);
    lines.push('');
    return lines.join('\n');
  }
  const findings = ordered(outcome.result.findings);
  const notes = planNotes(outcome).flatMap((note) => ['', `> Note: ${cell(note)}`]);
  if (findings.length === 0) {
    lines.push('No limits set: nothing checked.', ...notes, '');
    return lines.join('\n');
  }
  lines.push('| Status | Check | Actual | Limit | Off by | Details |', '|---|---|--:|---|---|---|');
  for (const finding of findings) {
    const t = describeFinding(finding, outcome);
    const details = t.hint ? `${cell(t.details)}<br>**Hint:** ${cell(t.hint)}` : cell(t.details);
    lines.push(`| ${ICON[finding.status]} | ${inlineCode(finding.id, true)} | ${cell(t.actual)} | ${cell(t.limit)} | ${cell(t.off)} | ${details} |`);
  }
  lines.push(...notes);
  lines.push('');
  return lines.join('\n');
}
