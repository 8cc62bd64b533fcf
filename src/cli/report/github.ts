/**
 * `moeplan check --format github`: GitHub Actions workflow commands. Each failure is an
 * `::error` and each warning a `::warning` annotation on the plan file at the line of its
 * limit (at most {@link MAX_ANNOTATIONS} of each; GitHub shows no more per step), and a
 * plan that cannot be read is an `::error` at the line of its first problem. The readable
 * report follows for the log; the Markdown table goes to `$GITHUB_STEP_SUMMARY` (written
 * by the command).
 */
import type { Finding } from '../../core/checks/index.js';
import { plain } from './escape.js';
import { type CheckRun, checkLabel, describeFinding, ordered } from './model.js';

/** GitHub displays at most 10 error and 10 warning annotations per step. */
export const MAX_ANNOTATIONS = 10;

/** Escape the message of a workflow command (its lines already {@link plain}). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value (`file=…`, `title=…`) of a workflow command: plain text, then the command's own escapes. */
export function escapeProperty(text: string): string {
  return escapeData(plain(text)).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The lines of a message each made plain (user text cannot add lines or commands), joined by newlines. */
function plainLines(...lines: string[]): string {
  return lines.map(plain).join('\n');
}

interface Annotation {
  readonly kind: 'error' | 'warning';
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly title: string;
  readonly message: string;
}

function command(a: Annotation): string {
  const props = [`file=${escapeProperty(a.file)}`];
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.column !== undefined) props.push(`col=${a.column}`);
  props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.kind} ${props.join(',')}::${escapeData(a.message)}`;
}

/** The annotation lines (errors first), each kind capped, with a note line when some were left out. */
export function renderAnnotations(run: CheckRun): string {
  const annotations: Annotation[] = [];
  for (const outcome of run.outcomes) {
    if (!outcome.result) {
      for (const problem of outcome.error?.problems ?? []) {
        annotations.push({
          kind: 'error',
          file: outcome.file,
          ...(problem.line !== undefined ? { line: problem.line, column: problem.column ?? 1 } : {}),
          title: `moeplan check: ${problem.field ?? 'plan file'}`,
          message: plainLines(`${problem.field ? `${problem.field}: ` : ''}${problem.message}`, ...(problem.hint ? [`hint: ${problem.hint}`] : [])),
        });
      }
      continue;
    }
    for (const finding of ordered(outcome.result.findings)) {
      if (finding.status !== 'fail' && finding.status !== 'warn') continue;
      const t = describeFinding(finding, outcome);
      const position = outcome.loaded?.positionOf(['limits', finding.id]);
      annotations.push({
        kind: finding.status === 'fail' ? 'error' : 'warning',
        file: outcome.file,
        ...(position ? { line: position.line, column: position.column } : {}),
        title: `moeplan check: ${finding.id}`,
        message: message(finding, t.actual, t.limit, t.off, t.details, t.hint),
      });
    }
  }
  const lines: string[] = [];
  for (const kind of ['error', 'warning'] as const) {
    const all = annotations.filter((a) => a.kind === kind);
    lines.push(...all.slice(0, MAX_ANNOTATIONS).map(command));
    if (all.length > MAX_ANNOTATIONS) {
      lines.push(
        `::notice title=moeplan check::${all.length - MAX_ANNOTATIONS} more ${kind}${all.length - MAX_ANNOTATIONS === 1 ? '' : 's'} not annotated; see the job summary`,
      );
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function message(finding: Finding, actual: string, limit: string, off: string, details: string, hint: string | undefined): string {
  return plainLines(`${checkLabel(finding.id)}: ${actual} against ${limit} (${off}); ${details}`, ...(hint ? [`hint: ${hint}`] : []));
}
