/**
 * Rendering for people: labelled, aligned blocks and tables. Colour comes from the
 * chalk instance the CLI decided on; at level 0 every function returns plain text.
 */
import type { ChalkInstance } from 'chalk';

export interface Row {
  /** What the number is, e.g. "Compute (eq. 2)". */
  readonly label: string;
  /** The formatted value, e.g. "3.4924e24". */
  readonly value: string;
  /** Unit after the value, e.g. "FLOPs". */
  readonly unit?: string;
  /** A dim note after the unit, e.g. "(6ND: 2.184e24)". */
  readonly note?: string;
  /** Emphasise the row (the answer the user asked for). */
  readonly strong?: boolean;
}

/**
 * Label/value rows with the labels padded and the values right-aligned on one column:
 *
 * ```
 *   Compute (eq. 2)    3.4924e24 FLOPs
 *   Params               52B     params
 * ```
 */
export function renderRows(rows: readonly Row[], chalk: ChalkInstance, title?: string): string {
  const labelWidth = Math.max(0, ...rows.map((r) => r.label.length));
  const valueWidth = Math.max(0, ...rows.map((r) => r.value.length));
  const unitWidth = Math.max(0, ...rows.map((r) => (r.unit ?? '').length));
  const lines = rows.map((r) => {
    const value = r.value.padStart(valueWidth);
    const unit = (r.unit ?? '').padEnd(unitWidth);
    const body = `${r.label.padEnd(labelWidth)}  ${r.strong ? chalk.bold(value) : value} ${unit}`;
    return `  ${(r.note ? `${body} ${chalk.dim(r.note)}` : body).trimEnd()}`;
  });
  return `${title ? `${chalk.bold(title)}\n` : ''}${lines.join('\n')}\n`;
}

/**
 * A table with a header row; numbers right-aligned (`align` 'r'), text left-aligned.
 */
export function renderTable(header: readonly string[], body: readonly (readonly string[])[], chalk: ChalkInstance, align: readonly ('l' | 'r')[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const cell = (text: string, i: number) => (align[i] === 'r' ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0));
  const line = (row: readonly string[]) => `  ${row.map(cell).join('  ').trimEnd()}`;
  return `${chalk.bold(line(header))}\n${body.map(line).join('\n')}\n`;
}
