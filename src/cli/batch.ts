/**
 * Batch mode shared by the evaluation commands: `--input FILE|-` streams CSV or JSON Lines
 * rows through the same evaluation as the flags, one output row per input row, in order.
 *
 * - Flags given on the command line are defaults for every row; a row's own columns win.
 * - Columns are named like the flags (`params`, `peak-flops`); `peakFlops` and `peak_flops`
 *   are accepted too. An unknown CSV column is an error before any row is read.
 * - A bad row becomes an error row naming its line; the other rows are still computed, and
 *   the exit code is 2.
 * - Text output is CSV: `line`, the input columns (resolved numbers; a plain number is
 *   echoed as written, which is the same number), the result columns (each number in
 *   its shortest exact form, always in scientific notation), `error`.
 *   `--json` prints one JSON object per line.
 *
 * The row loop is synchronous (a promise only when mathjs must be loaded for an
 * expression, or when stdout asks to wait), reuses one inputs object, and writes in
 * 64 KiB chunks. CSV rows whose fields are all plain or suffixed numbers (`52e9`, `52B`)
 * are read in place ({@link quantityAt}) and, for a command with a fast lane, skip the
 * general row machinery: a row kernel on numbers ({@link BatchSpec.fastRow}), or the
 * command's own evaluation given the numbers ({@link BatchSpec.numericRows}). The output
 * is the same as the general path's; a row either declines takes the general path.
 */
import { MoeplanError, isMoeplanError } from '../core/errors.js';
import { exactNumber, printable, showValue } from '../io/format.js';
import { NeedsExpressionEngine, isDecimalText, loadExpressionEngine, quantityAt } from '../io/quantity.js';
import { type InputRecord, type ReadRecordsOptions, type RecordValue, readRecords } from '../io/records.js';
import { canonicalKey } from '../io/runs-file.js';
import { type Context, type FieldName, type RawInputs, SCHEMA_VERSION, kebab } from './context.js';
import { BufferedWriter, type OutStream } from './io.js';
import { assertFiniteResult } from './numeric.js';

type Cell = number | string | boolean | undefined;

export interface BatchSpec<R extends object> {
  /** Keys (camelCase, as the command's options) a row may set. */
  readonly keys: readonly string[];
  /** Evaluate one row: the same function the single-shot command uses. */
  evaluate(raw: RawInputs, name: FieldName): R;
  /** The resolved numeric value of an input key, for the CSV echo of input columns. */
  resolvedInput(result: R, key: string): Cell;
  /**
   * Text mode: the result columns, in order, each a function of the result. Columns whose
   * key is also an input column are not repeated. `when` drops a column unless some input
   * key in the list is given (as a flag or a column).
   */
  readonly columns: ReadonlyArray<{
    readonly name: string;
    readonly key?: string;
    readonly when?: readonly string[];
    readonly get: (result: R) => Cell;
  }>;
  /**
   * Optional fast lane for CSV text output, set up once per input from its header: the
   * input columns (keys, in order), every key given (flags and columns) and the result
   * columns. It returns a function of a row's numbers (each column a plain decimal number,
   * in column order) that gives the result columns' text (`,c1,c2`), exactly as the
   * general path would print them, or `undefined` for a row the general path must take
   * (to report an error, say). `undefined` from the set-up: no fast lane for this input.
   */
  fastRow?(inputKeys: readonly string[], given: ReadonlySet<string>, resultColumns: readonly string[]): FastRow | undefined;
  /**
   * The fast lane for a command without {@link fastRow}: rows of plain and suffixed numbers
   * are given to {@link evaluate} as numbers (a number and the text that reads as it give
   * the same result); a row it throws on is evaluated again as text by the general path,
   * which reports the error.
   */
  readonly numericRows?: boolean;
  /** Keys that accept a percentage (`40%`), read as a fraction on the fast lane. */
  readonly percentKeys?: readonly string[];
}

/** See {@link BatchSpec.fastRow}. */
export type FastRow = (values: readonly number[]) => string | undefined;

/**
 * The row machinery of one batch: column mapping,
 * evaluation, and output rows, written to `out`.
 */
export class BatchRunner<R extends object> {
  rows = 0;
  failed = 0;
  private readonly writer: BufferedWriter;
  private readonly byCanonical: Map<string, string>;
  private readonly given: Set<string>;
  private readonly raw: Record<string, RecordValue | undefined>;
  private columnKeys: string[] = [];
  private resultColumns: BatchSpec<R>['columns'] = [];
  private headerDone = false;
  private fastRow: FastRow | undefined;
  private numericRows = false;
  private percentColumns: boolean[] = [];
  private readonly fastValues: number[] = [];

  constructor(
    private readonly spec: BatchSpec<R>,
    private readonly defaults: RawInputs,
    private readonly json: boolean,
    out: OutStream,
    private readonly onFirstError: () => void = () => undefined,
  ) {
    this.byCanonical = new Map(spec.keys.map((k) => [canonicalKey(k), k]));
    this.given = new Set(Object.keys(defaults).filter((k) => defaults[k] !== undefined));
    // One inputs object reused for every CSV row: defaults first, then the row's columns.
    this.raw = { ...defaults };
    this.writer = new BufferedWriter(out);
  }

  private unknownColumn(column: string): MoeplanError {
    return new MoeplanError('UNKNOWN_COLUMN', `--input: unknown column ${showValue(column, 40)}`, {
      field: '--input',
      hint: `columns are named like the flags: ${this.spec.keys.map(kebab).join(', ')}`,
    });
  }

  /** Map the CSV header to option keys (an unknown column throws) and write the output header. */
  private setHeader(columns: readonly string[]): void {
    const named = new Map<string, string>();
    this.columnKeys = columns.map((column) => {
      const key = this.byCanonical.get(canonicalKey(column));
      if (key === undefined) throw this.unknownColumn(column);
      const other = named.get(key);
      if (other !== undefined) throw aliased(other, column, key, '--input: line 1: columns');
      named.set(key, column);
      return key;
    });
    this.writeHeader(this.columnKeys);
  }

  private writeHeader(inputKeys: readonly string[]): void {
    const inputs = new Set(inputKeys);
    for (const key of inputKeys) this.given.add(key);
    this.resultColumns = this.spec.columns.filter((c) => !(c.key && inputs.has(c.key)) && (!c.when || c.when.some((k) => this.given.has(k))));
    this.fastRow =
      !this.json && inputKeys.length > 0 && this.spec.fastRow
        ? this.spec.fastRow(
            inputKeys,
            this.given,
            this.resultColumns.map((c) => c.name),
          )
        : undefined;
    this.numericRows = !this.json && inputKeys.length > 0 && this.fastRow === undefined && this.spec.numericRows === true;
    this.percentColumns = inputKeys.map((key) => this.spec.percentKeys?.includes(key) === true);
    if (!this.json) {
      this.writer.write(`${['line', ...inputKeys.map(kebab), ...this.resultColumns.map((c) => c.name), 'error'].join(',')}\n`);
    }
    this.headerDone = true;
  }

  /**
   * The fast lane: a CSV line (no line break, not blank, valid UTF-8) whose fields are all
   * plain or suffixed numbers is evaluated by the spec's {@link FastRow} (or its own
   * evaluation given the numbers, {@link BatchSpec.numericRows}) and written here; true
   * when it was. False sends the line down the general path (quotes, expressions, empty
   * fields, a row the fast lane declines): the output is the same.
   */
  readonly plainCsvLine = (line: string, lineNumber: number): boolean => {
    const fastRow = this.fastRow;
    if (fastRow === undefined && !this.numericRows) return false;
    const values = this.fastValues;
    const last = this.columnKeys.length - 1;
    let start = 0;
    // Every field a plain decimal (it ends in a digit; a suffix or % does not): the line is
    // its own echo.
    let plain = true;
    for (let i = 0; i <= last; i++) {
      const end = i === last ? line.length : line.indexOf(',', start);
      if (end === -1) return false;
      // NaN also for a comma too many in the last field.
      const value = quantityAt(line, start, end, this.percentColumns[i]);
      if (Number.isNaN(value)) return false;
      const c = line.charCodeAt(end - 1);
      if (c < 48 || c > 57) plain = false;
      values[i] = value;
      start = end + 1;
    }
    if (fastRow === undefined) return this.numericRow(line, lineNumber, plain);
    const tail = fastRow(values);
    if (tail === undefined) return false;
    this.rows++;
    // A full stream is waited for at the end of the input chunk (onChunkEnd).
    this.writer.write(`${lineNumber},${plain ? line : this.echoNumbers(line, (i) => values[i])}${tail},\n`);
    return true;
  };

  /** The fast lane of {@link BatchSpec.numericRows}: the command's evaluation of the row's numbers. */
  private numericRow(line: string, lineNumber: number, plain: boolean): boolean {
    const keys = this.columnKeys;
    for (let i = 0; i < keys.length; i++) this.raw[keys[i] as string] = this.fastValues[i];
    let result: R;
    try {
      result = this.spec.evaluate(this.raw, (key) => `line ${lineNumber}: ${kebab(key)}`);
    } catch {
      return false; // the general path evaluates the row's text again and reports the error
    }
    this.rows++;
    try {
      assertFiniteResult(result);
    } catch (error) {
      // Evaluated once (an evaluation may count what it saw): the general path's error row.
      if (!isMoeplanError(error)) throw error;
      this.emitError({ line: lineNumber, fields: line.split(',') }, error);
      return true;
    }
    const echo = plain ? line : this.echoNumbers(line, (i) => this.spec.resolvedInput(result, keys[i] as string));
    this.writer.write(`${lineNumber},${echo}${this.resultCells(result)},\n`);
    return true;
  }

  /** The input columns of a fast-lane line as the general path echoes them: a plain decimal as written, anything else resolved. */
  private echoNumbers(line: string, resolved: (column: number) => Cell): string {
    let out = '';
    let start = 0;
    const last = this.columnKeys.length - 1;
    for (let i = 0; i <= last; i++) {
      const end = i === last ? line.length : line.indexOf(',', start);
      const c = line.charCodeAt(end - 1);
      out += `${i === 0 ? '' : ','}${c >= 48 && c <= 57 ? line.slice(start, end) : cell(resolved(i))}`;
      start = end + 1;
    }
    return out;
  }

  /** The result columns of a row, each `,cell`. */
  private resultCells(result: R): string {
    let out = '';
    for (let i = 0; i < this.resultColumns.length; i++) {
      out += `,${cell((this.resultColumns[i] as BatchSpec<R>['columns'][number]).get(result))}`;
    }
    return out;
  }

  /** Handle one record: one output row. A promise only when the row had to wait. */
  readonly handle = (record: InputRecord): Promise<void> | undefined => {
    this.rows++;
    if (!this.headerDone) this.writeHeader([]);
    return this.process(record);
  };

  private process(record: InputRecord): Promise<void> | undefined {
    if (record.error) return this.emitError(record, record.error);
    let result: R;
    try {
      result = assertFiniteResult(this.evaluate(record));
    } catch (error) {
      // An expression in this row: load mathjs once, then evaluate the row again.
      if (error instanceof NeedsExpressionEngine) return loadExpressionEngine().then(() => this.process(record));
      if (!isMoeplanError(error)) throw error;
      return this.emitError(record, error);
    }
    return this.emitResult(record, result);
  }

  private evaluate(record: InputRecord): R {
    const name: FieldName = (key) => `line ${record.line}: ${kebab(key)}`;
    if (record.fields) {
      const { fields } = record;
      for (let i = 0; i < this.columnKeys.length; i++) this.raw[this.columnKeys[i] as string] = fields[i];
      return this.spec.evaluate(this.raw, name);
    }
    // JSON Lines: keys vary from line to line, so start from the defaults each time.
    const row: Record<string, RecordValue | undefined> = { ...this.defaults };
    const named = new Map<string, string>();
    for (const [column, value] of Object.entries(record.values ?? {})) {
      const key = this.byCanonical.get(canonicalKey(column));
      if (key === undefined) throw this.unknownColumn(column);
      const other = named.get(key);
      if (other !== undefined) throw aliased(other, column, key, `line ${record.line}: keys`);
      named.set(key, column);
      row[key] = value;
    }
    return this.spec.evaluate(row, name);
  }

  private emitError(record: InputRecord, error: MoeplanError): Promise<void> | undefined {
    if (this.failed++ === 0) this.onFirstError();
    const { line } = record;
    const message = rowMessage(line, error.message);
    if (this.json) {
      const body = { code: error.code, message, ...(error.hint ? { hint: error.hint } : {}) };
      const input = record.values
        ? Object.fromEntries(Object.entries(record.values).map(([key, value]) => [printable(key), echoValue(value)]))
        : record.fields
          ? Object.fromEntries(this.columnKeys.map((key, i) => [kebab(key), printable(record.fields?.[i] ?? '')]))
          : undefined;
      return this.writer.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, line, ...(input ? { input } : {}), error: body })}\n`);
    }
    // The row's inputs as they were written, empty result columns, the message; one output
    // line per row (a message over several lines is joined).
    let out = `${line}`;
    for (let i = 0; i < this.columnKeys.length; i++) out += `,${echoField(record.fields?.[i] ?? '')}`;
    return this.writer.write(`${out}${','.repeat(this.resultColumns.length)},${csvField(message.replace(/\s*\n\s*/g, '; '))}\n`);
  }

  private emitResult(record: InputRecord, result: R): Promise<void> | undefined {
    if (this.json) return this.writer.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, line: record.line, ...result })}\n`);
    let out = `${record.line}`;
    const { fields } = record;
    for (let i = 0; i < this.columnKeys.length; i++) {
      const text = fields?.[i];
      out += text !== undefined && isDecimalText(text) ? `,${text}` : `,${cell(this.spec.resolvedInput(result, this.columnKeys[i] as string))}`;
    }
    return this.writer.write(`${out}${this.resultCells(result)},\n`);
  }

  /** Read records (a whole input, or one part of it) through this runner. */
  async read(options: Omit<ReadRecordsOptions, 'onHeader' | 'onPlainCsvLine' | 'onRecord' | 'onChunkEnd'>): Promise<void> {
    await readRecords({
      ...options,
      onHeader: (columns) => this.setHeader(columns),
      onPlainCsvLine: this.plainCsvLine,
      onRecord: this.handle,
      onChunkEnd: () => this.writer.flush(),
    });
    if (!this.headerDone) this.writeHeader([]);
    await this.writer.flush();
  }
}

/** Two columns (or JSON keys) that name the same field: `params` and `Params`, `lr-max` and `lrMax`. */
function aliased(first: string, second: string, key: string, where: string): MoeplanError {
  return new MoeplanError('DUPLICATE_COLUMN', `${where} ${showValue(first, 40)} and ${showValue(second, 40)} both name ${kebab(key)}`, {
    field: '--input',
    hint: 'keep one of them: names are matched without case, - and _',
  });
}

/** Run a batch; resolves with the exit code (0, or 2 when any row failed). */
export async function runBatch<R extends object>(ctx: Context, inputPath: string, defaults: RawInputs, spec: BatchSpec<R>): Promise<number> {
  const counts = new BatchRunner(spec, defaults, ctx.json, ctx.io.stdout, () => ctx.io.exitCodeSoFar?.(2));
  await counts.read({ path: inputPath, cwd: ctx.io.cwd, stdin: ctx.io.stdin });
  if (counts.failed > 0) ctx.warn(`${counts.failed} of ${counts.rows} rows had errors; see the error ${ctx.json ? 'objects' : 'column'}`);
  return counts.failed > 0 ? 2 : 0;
}

/**
 * A row's error message naming its line once, at the start: the fields of a row are named
 * `line 3: params`, so a message about several fields (`give two of line 3: params, line 3:
 * tokens …`) becomes `line 3: give two of params, tokens …`. A message that does not name
 * its line (a result that overflowed) is given it.
 */
export function rowMessage(line: number, message: string): string {
  const prefix = `line ${line}: `;
  return `${prefix}${message.split(prefix).join('')}`;
}

/** A result cell: numbers in their shortest exact form, always in scientific notation (one notation per column). */
function cell(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return csvField(value);
  if (typeof value === 'number') return exactNumber(value);
  return String(value);
}

/**
 * A row's input echoed into CSV as it was written, made safe: control characters are
 * escaped, and a field that a spreadsheet would run as a formula (starting with `=`, `+`,
 * `-`, `@`, tab or CR, and not a plain number) gets a leading `'`.
 */
export function echoField(text: string): string {
  const safe = printable(text);
  return csvField(/^[=+\-@\t\r]/.test(safe) && !isDecimalText(safe) ? `'${safe}` : safe);
}

/** A JSON Lines input value echoed in an error row: text and finite numbers as they are, anything else shortened to text. */
function echoValue(value: RecordValue): string | number | boolean | null {
  if (typeof value === 'string') return printable(value);
  if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return showValue(value);
}

/** Quote a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
