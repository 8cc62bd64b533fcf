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

export function renderMarkdown(run: CheckRun): string {
  const outcome = verdict(run);
  const icon = outcome === 'failed' ? '❌' : outcome === 'passed' ? '✅' : '⚠️';
  const word = outcome === 'failed' ? 'Failed' : outcome === 'passed' ? 'Passed' : 'Nothing checked';
  const parts = [`## ${icon} moeplan check`, '', ...orderedOutcomes(run).map((o) => renderPlan(o, run)), `**${word}:** ${summaryLine(run)}`, ''];
  return parts.join('\n');
}

function planIcon(outcome: PlanOutcome, run: CheckRun): string {
  if (!outcome.result) return '❌';
  if (!planPassed(outcome, run)) return '❌';
  return outcome.result.findings.some((f) => f.status === 'warn') ? '⚠️' : '✅';
}

function renderPlan(outcome: PlanOutcome, run: CheckRun): string {
  const lines = [`### ${planIcon(outcome, run)} ${inlineCode(outcome.file)} · ${cell(planTitle(outcome))}`, ''];
  if (!outcome.result) {
    for (const problem of outcome.error?.problems ?? []) lines.push(`- ${cell(formatProblem(outcome.file, problem))}${problem.hint ? ` (hint: ${cell(problem.hint)})` : ''}`);
    if (!outcome.error?.problems.length) lines.push(`- ${cell(outcome.error?.message ?? 'could not be read')}`);
    lines.push('');
    return lines.join('\n');
  }
  const findings = ordered(outcome.result.findings);
  if (findings.length === 0) {
    lines.push('No limits set: nothing checked.', '');
    return lines.join('\n');
  }
  lines.push('| Status | Check | Actual | Limit | Off by | Details |', '|---|---|--:|---|---|---|');
  for (const finding of findings) {
    const t = describeFinding(finding, outcome);
    const details = t.hint ? `${cell(t.details)}<br>**Hint:** ${cell(t.hint)}` : cell(t.details);
    lines.push(`| ${ICON[finding.status]} | ${inlineCode(finding.id, true)} | ${cell(t.actual)} | ${cell(t.limit)} | ${cell(t.off)} | ${details} |`);
  }
  for (const note of planNotes(outcome)) lines.push('', `> Note: ${cell(note)}`);
  lines.push('');
  return lines.join('\n');
}
