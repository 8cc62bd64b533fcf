/**
 * `moeplan check` for people: per plan a table (failures first) with actual, limit, how far
 * off and what was compared, a hint under each failure or warning, and a summary line last.
 */
import type { ChalkInstance } from 'chalk';
import type { CheckStatus } from '../../core/checks/index.js';
import { formatProblem } from '../../io/plan-file.js';
import { plain } from './escape.js';
import { type CheckRun, type PlanOutcome, describeFinding, ordered, orderedOutcomes, planNotes, planTitle, summaryLine, verdict } from './model.js';

const STATUS: Readonly<Record<CheckStatus, string>> = { fail: 'FAIL', warn: 'WARN', skip: 'skip', pass: 'pass' };

function colourStatus(status: CheckStatus, text: string, chalk: ChalkInstance): string {
  switch (status) {
    case 'fail':
      return chalk.red.bold(text);
    case 'warn':
      return chalk.yellow.bold(text);
    case 'skip':
      return chalk.dim(text);
    default:
      return chalk.green(text);
  }
}

/** The whole report as text. */
export function renderText(run: CheckRun, chalk: ChalkInstance): string {
  const sections = orderedOutcomes(run).map((outcome) => renderPlan(outcome, chalk));
  const outcome = verdict(run);
  const headline = outcome === 'failed' ? chalk.red('✗ failed') : outcome === 'passed' ? chalk.green('✓ passed') : chalk.yellow('! nothing checked');
  const summary = `${headline}: ${summaryLine(run)}`;
  return `${sections.join('\n')}\n${summary}\n`;
}

function renderPlan(outcome: PlanOutcome, chalk: ChalkInstance): string {
  const header = `${chalk.bold(plain(outcome.file))}  ${chalk.dim(plain(planTitle(outcome)))}`;
  if (!outcome.result) {
    const first = outcome.error?.problems[0];
    const more = (outcome.error?.problems.length ?? 0) > 1 ? ` (and ${(outcome.error?.problems.length ?? 1) - 1} more)` : '';
    return `${header}\n  ${chalk.red.bold('ERROR')} ${plain(first ? formatProblem(outcome.file, first) : (outcome.error?.message ?? ''))}${more}\n`;
  }
  const findings = ordered(outcome.result.findings);
  const notes = planNotes(outcome).map((note) => `  ${chalk.dim(`note: ${plain(note)}`)}`);
  if (findings.length === 0) return `${[header, `  ${chalk.dim('no limits set: nothing checked')}`, ...notes].join('\n')}\n`;
  const head = ['status', 'check', 'actual', 'limit', 'off by', 'details'];
  const rows = findings.map((f) => {
    const t = describeFinding(f, outcome);
    return { finding: f, text: t, cells: [STATUS[f.status], f.id, plain(t.actual), plain(t.limit), plain(t.off), plain(t.details)] };
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  const align = ['l', 'l', 'r', 'l', 'l', 'l'];
  const pad = (text: string, i: number) => (align[i] === 'r' ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0));
  const lines = [`  ${chalk.bold(head.map(pad).join('  ').trimEnd())}`];
  const indent = ' '.repeat(2 + (widths[0] ?? 0) + 2);
  for (const row of rows) {
    const cells = row.cells.map(pad);
    cells[0] = colourStatus(row.finding.status, cells[0] as string, chalk);
    cells[5] = row.finding.status === 'pass' ? chalk.dim(cells[5] as string) : (cells[5] as string);
    lines.push(`  ${cells.join('  ').trimEnd()}`);
    if (row.text.hint) lines.push(`${indent}${chalk.cyan('hint:')} ${plain(row.text.hint)}`);
  }
  lines.push(...notes);
  return `${header}\n${lines.join('\n')}\n`;
}
