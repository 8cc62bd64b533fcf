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
 * expression, or when stdout asks to wait), reuses one inputs object, and writes text in
 * 64 KiB chunks; a file is read in 16 KiB chunks. The fast lanes take the lines of each
 * input chunk in place: CSV rows whose fields are all plain or suffixed numbers (`52e9`,
 * `52B`), and, in text output, JSON Lines rows of such numbers
 * (`{"params":52e9,"tokens":"7T"}`), are read without cutting them out
 * ({@link quantityDigitsAt}) and skip the general row machinery: a row kernel on numbers
 * ({@link BatchSpec.rowKernel}), or, for CSV, the command's own evaluation given the
 * numbers ({@link BatchSpec.numericRows}). Their rows are written as bytes
 * ({@link AsciiOut}) and handed to the stream as bytes, no string made. The output is the
 * same as the general path's; a row a lane declines takes the general path.
 */
import { MoeplanError, isMoeplanError } from '../core/errors.js';
import { AsciiOut } from '../io/ascii-out.js';
import { type WrittenDigits, exactNumber, printable, showValue } from '../io/format.js';
import { NeedsExpressionEngine, isDecimalText, loadExpressionEngine, quantityDigitsAt } from '../io/quantity.js';
import { type InputRecord, type LineCursor, MAX_LINE_CHARS, type ReadRecordsOptions, type RecordFormat, type RecordValue, readRecords } from '../io/records.js';
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
    /** A yes/no column: a row kernel gives it as 1 or 0, printed `true` or `false`. */
    readonly kind?: 'boolean';
    readonly get: (result: R) => Cell;
  }>;
  /**
   * The row kernel of the fast lanes, set up once per input (for JSON Lines, once per set of
   * keys) from the input keys (in column order), every key given and the result columns: a
   * function of a row's numbers (in column order) that puts the number of each result
   * column in `results`, exactly as the general path computes it, or returns false for a
   * row the general path must take (to report an error, say). Each cell is then printed as
   * the general path prints a number; NaN is an empty cell (a result the row does not
   * have, such as a rate without εmax); a `boolean` column's 1 or 0 is `true` or `false`.
   * `undefined` from the set-up: no kernel for this input.
   */
  rowKernel?(inputKeys: readonly string[], given: ReadonlySet<string>, resultColumns: readonly string[]): RowKernel | undefined;
  /**
   * The fast lane for an input without a {@link rowKernel}: rows of plain and suffixed numbers
   * are given to {@link evaluate} as numbers (a number and the text that reads as it give
   * the same result); a row it throws on is evaluated again as text by the general path,
   * which reports the error.
   */
  readonly numericRows?: boolean;
  /** Keys that accept a percentage (`40%`), read as a fraction on the fast lane. */
  readonly percentKeys?: readonly string[];
}

/** See {@link BatchSpec.rowKernel}. */
export type RowKernel = (values: readonly number[], results: number[]) => boolean;

/**
 * The most bytes the fast lanes hold before handing them to the writer (as one Buffer):
 * half the size of their byte array, which so never grows.
 */
const LANE_TEXT = 1 << 15;

/** The JSON Lines lane for one set of keys: the keys echoed first (by index), then a kernel's results. */
interface JsonPlan {
  readonly echo: readonly number[];
  readonly kernel: RowKernel;
  readonly results: number;
  /** Which of the kernel's results are yes/no columns. */
  readonly booleans: readonly boolean[];
}

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
  private kernel: RowKernel | undefined;
  /** A row kernel's results, and which of them are yes/no columns. */
  private readonly results: number[] = [];
  private resultBooleans: boolean[] = [];
  private numericRows = false;
  private percentColumns: boolean[] = [];
  private readonly fastValues: number[] = [];
  /** Where each field of the current fast-lane row starts and ends in its text, and where its shortest digits are. */
  private readonly fieldStarts: number[] = [];
  private readonly fieldEnds: number[] = [];
  private readonly fieldDigits: WrittenDigits[] = [];
  /** The fast lanes' output of one call, written at its end. */
  private readonly out = new AsciiOut();
  /** The resolved inputs of a {@link BatchSpec.numericRows} row. */
  private readonly resolved: Cell[] = [];
  /** The JSON Lines lane: the keys of the last row, their count, and the plan for them. */
  private readonly jsonKeys: string[] = [];
  /** The keys of the last row as written (`peakFlops`, `peak-flops`). */
  private readonly jsonColumns: (string | undefined)[] = [];
  /** Where the digits of each value of the row are, and whether they are its shortest form. */
  private readonly jsonDigits: WrittenDigits[] = [];
  private readonly jsonShortest: boolean[] = [];
  private jsonKeyCount = 0;
  private jsonPlan: JsonPlan | undefined;
  private readonly jsonKeyCache = new Map<string, string>();
  private readonly percentKeys: ReadonlySet<string>;

  constructor(
    private readonly spec: BatchSpec<R>,
    private readonly defaults: RawInputs,
    private readonly json: boolean,
    out: OutStream,
    private readonly onFirstError: () => void = () => undefined,
  ) {
    this.byCanonical = new Map(spec.keys.map((k) => [canonicalKey(k), k]));
    this.percentKeys = new Set(spec.percentKeys);
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
    const lane = !this.json && inputKeys.length > 0;
    const names = this.resultColumns.map((c) => c.name);
    this.resultBooleans = this.resultColumns.map((c) => c.kind === 'boolean');
    this.kernel = lane ? this.spec.rowKernel?.(inputKeys, this.given, names) : undefined;
    this.numericRows = lane && this.kernel === undefined && this.spec.numericRows === true;
    this.percentColumns = inputKeys.map((key) => this.spec.percentKeys?.includes(key) === true);
    if (!this.json) {
      this.writer.write(`${['line', ...inputKeys.map(kebab), ...this.resultColumns.map((c) => c.name), 'error'].join(',')}\n`);
    }
    this.headerDone = true;
  }

  /**
   * The fast lanes ({@link ReadRecordsOptions.onPlainLines}): the lines of `text[start, end)`
   * whose fields are all plain or suffixed numbers, read in place, evaluated by the spec's
   * {@link RowKernel} (or its own evaluation given the numbers, {@link BatchSpec.numericRows})
   * and handed to the writer as bytes. It stops at the first line it does not take
   * (quotes, expressions, empty fields, a row the kernel declines), which the general path
   * then reads: the output is the same.
   */
  readonly plainLines = (format: RecordFormat, text: string, start: number, end: number, cursor: LineCursor): number => {
    if (this.json || !this.headerDone) return start;
    const first = cursor.line;
    const stop = format === 'csv' ? this.csvLines(text, start, end, cursor) : this.jsonLines(text, start, end, cursor);
    this.rows += cursor.line - first;
    this.flushLane();
    return stop;
  };

  /** The fast lanes' output so far to the writer (a full stream is waited for at the end of the input chunk, onChunkEnd). */
  private flushLane(): void {
    if (this.out.length > 0) this.writer.writeBytes(this.out.take());
  }

  /** CSV lines of plain or suffixed numbers, one field per input column. */
  private csvLines(text: string, start: number, end: number, cursor: LineCursor): number {
    const kernel = this.kernel;
    if (kernel === undefined && !this.numericRows) return start;
    const results = this.results;
    const resultCount = this.resultColumns.length;
    const values = this.fastValues;
    const starts = this.fieldStarts;
    const ends = this.fieldEnds;
    const slots = this.fieldDigits;
    const percent = this.percentColumns;
    const last = this.columnKeys.length - 1;
    let line = cursor.line;
    let at = start;
    while (at < end) {
      const newline = text.indexOf('\n', at);
      const stop = text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      // Every field a plain decimal (it ends in a digit; a suffix or % does not): the line
      // is its own echo.
      let plain = true;
      let from = at;
      let i = 0;
      for (; i <= last; i++) {
        const to = i === last ? stop : text.indexOf(',', from);
        if (to === -1 || to > stop) break;
        // NaN also for a comma too many in the last field.
        const value = quantityDigitsAt(text, from, to, percent[i] as boolean, (slots[i] ??= newDigits()));
        if (Number.isNaN(value)) break;
        const c = text.charCodeAt(to - 1);
        if (c < 48 || c > 57) plain = false;
        values[i] = value;
        starts[i] = from;
        ends[i] = to;
        from = to + 1;
      }
      if (i <= last) break;
      if (kernel !== undefined) {
        if (!kernel(values, results)) break;
        const out = this.out;
        out.whole(line + 1);
        out.char(44);
        if (plain) out.range(text, at, stop);
        else this.echoNumbers(text, values);
        this.kernelCells(results, resultCount, this.resultBooleans);
        out.char(44);
        out.char(10);
      } else if (!this.numericRow(text, at, stop, line + 1, plain)) break;
      line++;
      at = newline + 1;
      if (this.out.length >= LANE_TEXT) this.flushLane();
    }
    cursor.line = line;
    return at;
  }

  /**
   * JSON Lines of flat objects whose keys are known and whose values are plain numbers or
   * texts of plain or suffixed numbers (`{"params":52e9,"tokens":"7T"}`), for a command
   * with a {@link RowKernel}: the result columns that are the row's own keys lead (the
   * numbers as read), the kernel gives the rest.
   */
  private jsonLines(text: string, start: number, end: number, cursor: LineCursor): number {
    if (this.spec.rowKernel === undefined) return start;
    const values = this.fastValues;
    const starts = this.fieldStarts;
    const ends = this.fieldEnds;
    const keys = this.jsonKeys;
    const columns = this.jsonColumns;
    const slots = this.jsonDigits;
    const shortest = this.jsonShortest;
    let line = cursor.line;
    let at = start;
    while (at < end) {
      const newline = text.indexOf('\n', at);
      if (newline - at > MAX_LINE_CHARS) break;
      const stop = text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      let i = skipSpace(text, at, stop);
      if (text.charCodeAt(i) !== 123) break; // {
      i = skipSpace(text, i + 1, stop);
      let count = 0;
      let same = true;
      let bad = false;
      for (;;) {
        if (text.charCodeAt(i) !== 34) {
          bad = true;
          break;
        }
        const keyEnd = text.indexOf('"', i + 1);
        if (keyEnd === -1 || keyEnd > stop) {
          bad = true;
          break;
        }
        // The key as written in the same place of the last row needs no cutting out:
        // columns[k], when set, is written as keys[k].
        const written = columns[count];
        let key: string | undefined;
        if (written !== undefined && keyEnd - i - 1 === written.length && text.startsWith(written, i + 1)) key = keys[count] as string;
        else {
          columns[count] = undefined;
          const column = text.slice(i + 1, keyEnd);
          key = this.jsonKey(column);
          if (key === undefined) {
            bad = true;
            break;
          }
          columns[count] = column;
          if (keys[count] !== key) {
            same = false;
            keys[count] = key;
          }
        }
        for (let k = 0; k < count; k++) if (keys[k] === key) bad = true; // a duplicate
        if (bad) break;
        i = skipSpace(text, keyEnd + 1, stop);
        if (text.charCodeAt(i) !== 58) {
          bad = true;
          break;
        }
        i = skipSpace(text, i + 1, stop);
        let valueStart = i;
        let valueEnd: number;
        const number = text.charCodeAt(i) !== 34;
        if (!number) {
          valueStart = i + 1;
          valueEnd = text.indexOf('"', valueStart);
          if (valueEnd === -1 || valueEnd > stop) {
            bad = true;
            break;
          }
          i = valueEnd + 1;
        } else {
          valueEnd = jsonNumberEnd(text, i, stop);
          if (valueEnd === -1) {
            bad = true;
            break;
          }
          i = valueEnd;
        }
        // A JSON number (a plain decimal: jsonNumberEnd checked it) or a text of a plain or
        // suffixed number, read with where its shortest digits are; anything else in a text
        // (backslashes, spaces, expressions) gives NaN, and the general path reads the row.
        const digits = (slots[count] ??= newDigits());
        const value = quantityDigitsAt(text, valueStart, valueEnd, !number && this.percentKeys.has(key), digits);
        shortest[count] = digits.significant > 0;
        if (Number.isNaN(value)) {
          bad = true;
          break;
        }
        values[count] = value;
        starts[count] = valueStart;
        ends[count] = valueEnd;
        count++;
        i = skipSpace(text, i, stop);
        const c = text.charCodeAt(i);
        if (c === 44) {
          i = skipSpace(text, i + 1, stop);
          continue;
        }
        if (c === 125 && skipSpace(text, i + 1, stop) === stop) break; // }
        bad = true;
        break;
      }
      if (bad || count === 0) {
        this.jsonKeyCount = -1; // the keys read so far are no plan's
        break;
      }
      if (!same || count !== this.jsonKeyCount) {
        this.jsonKeyCount = count;
        this.jsonPlan = this.planJson(keys.slice(0, count));
      }
      const plan = this.jsonPlan;
      if (plan === undefined) break;
      const results = this.results;
      if (!plan.kernel(values, results)) break;
      const out = this.out;
      out.whole(line + 1);
      for (const k of plan.echo) {
        out.char(44);
        if (shortest[k]) out.written(text, slots[k] as WrittenDigits);
        else out.exact(values[k] as number);
      }
      this.kernelCells(results, plan.results, plan.booleans);
      out.char(44);
      out.char(10);
      line++;
      at = newline + 1;
      if (this.out.length >= LANE_TEXT) this.flushLane();
    }
    cursor.line = line;
    return at;
  }

  /** A row kernel's results as cells, each after a comma; NaN is an empty cell, a yes/no column `true` or `false`. */
  private kernelCells(results: readonly number[], count: number, booleans: readonly boolean[]): void {
    const out = this.out;
    for (let r = 0; r < count; r++) {
      out.char(44);
      const value = results[r] as number;
      if (booleans[r]) out.text(value === 0 ? 'false' : 'true');
      else if (!Number.isNaN(value)) out.exact(value);
    }
  }

  /** A JSON Lines key as the option key it names (cached), or undefined. */
  private jsonKey(column: string): string | undefined {
    let key = this.jsonKeyCache.get(column);
    if (key === undefined && this.jsonKeyCache.size < 64) {
      key = this.byCanonical.get(canonicalKey(column));
      if (key !== undefined) this.jsonKeyCache.set(column, key);
    }
    return key;
  }

  /**
   * The JSON Lines lane for rows with these keys: the result columns that are the keys
   * themselves must lead, and the kernel gives the others; undefined when it cannot.
   */
  private planJson(inputKeys: readonly string[]): JsonPlan | undefined {
    const columns = this.resultColumns;
    let lead = 0;
    const echo: number[] = [];
    for (; lead < columns.length; lead++) {
      const at = inputKeys.indexOf(columns[lead]?.key as string);
      if (at === -1) break;
      echo.push(at);
    }
    const rest = columns.slice(lead);
    if (rest.some((c) => c.key !== undefined && inputKeys.includes(c.key))) return undefined;
    const given = new Set([...this.given, ...inputKeys]);
    const names = rest.map((c) => c.name);
    const kernel = this.spec.rowKernel?.(inputKeys, given, names);
    return kernel === undefined ? undefined : { echo, kernel, results: names.length, booleans: rest.map((c) => c.kind === 'boolean') };
  }

  /** The fast lane of {@link BatchSpec.numericRows}: the command's evaluation of the row's numbers. */
  private numericRow(text: string, start: number, stop: number, lineNumber: number, plain: boolean): boolean {
    const keys = this.columnKeys;
    for (let i = 0; i < keys.length; i++) this.raw[keys[i] as string] = this.fastValues[i];
    let result: R;
    try {
      result = this.spec.evaluate(this.raw, (key) => `line ${lineNumber}: ${kebab(key)}`);
    } catch {
      return false; // the general path evaluates the row's text again and reports the error
    }
    try {
      assertFiniteResult(result);
    } catch (error) {
      // Evaluated once (an evaluation may count what it saw): the general path's error row.
      if (!isMoeplanError(error)) throw error;
      this.flushLane();
      this.emitError({ line: lineNumber, fields: text.slice(start, stop).split(',') }, error);
      return true;
    }
    const out = this.out;
    out.whole(lineNumber);
    out.char(44);
    if (plain) out.range(text, start, stop);
    else {
      const resolved = this.resolved;
      for (let i = 0; i < keys.length; i++) resolved[i] = this.spec.resolvedInput(result, keys[i] as string);
      this.echoNumbers(text, resolved);
    }
    out.text(this.resultCells(result));
    out.char(44);
    out.char(10);
    return true;
  }

  /**
   * The input columns of a fast-lane line as the general path echoes them: a plain decimal
   * as written, anything else resolved (`resolved`, by column), from the digits written
   * when they are its shortest form.
   */
  private echoNumbers(text: string, resolved: readonly Cell[]): void {
    const out = this.out;
    const starts = this.fieldStarts;
    const ends = this.fieldEnds;
    for (let i = 0; i < this.columnKeys.length; i++) {
      if (i > 0) out.char(44);
      const from = starts[i] as number;
      const to = ends[i] as number;
      const c = text.charCodeAt(to - 1);
      const value = resolved[i];
      if (c >= 48 && c <= 57) out.range(text, from, to);
      else if (typeof value === 'number' && value === this.fastValues[i]) {
        const digits = this.fieldDigits[i] as WrittenDigits;
        if (digits.significant > 0) out.written(text, digits);
        else out.exact(value);
      } else out.text(cell(value));
    }
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
  async read(options: Omit<ReadRecordsOptions, 'onHeader' | 'onPlainLines' | 'onRecord' | 'onChunkEnd'>): Promise<void> {
    await readRecords({
      ...options,
      onHeader: (columns) => this.setHeader(columns),
      onPlainLines: this.plainLines,
      onRecord: this.handle,
      onChunkEnd: () => this.writer.flush(),
    });
    if (!this.headerDone) this.writeHeader([]);
    await this.writer.flush();
  }
}

/** A {@link WrittenDigits} to be filled. */
function newDigits(): WrittenDigits {
  return { negative: false, first: 0, last: 0, point: -1, significant: 0, exponent: 0 };
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

/** The first index at or after `i` (and before `stop`) that is not a JSON space. */
function skipSpace(text: string, i: number, stop: number): number {
  while (i < stop) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/**
 * The end of the JSON number starting at `i` (RFC 8259: `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`),
 * or -1 when none starts there.
 */
function jsonNumberEnd(text: string, i: number, stop: number): number {
  if (text.charCodeAt(i) === 45) i++;
  let c = text.charCodeAt(i);
  if (c === 48) c = text.charCodeAt(++i);
  else if (c >= 49 && c <= 57) {
    do c = text.charCodeAt(++i);
    while (c >= 48 && c <= 57 && i < stop);
  } else return -1;
  if (c === 46) {
    const from = ++i;
    for (c = text.charCodeAt(i); c >= 48 && c <= 57 && i < stop; c = text.charCodeAt(++i));
    if (i === from) return -1;
  }
  if (c === 101 || c === 69) {
    c = text.charCodeAt(++i);
    if (c === 43 || c === 45) c = text.charCodeAt(++i);
    const from = i;
    for (; c >= 48 && c <= 57 && i < stop; c = text.charCodeAt(++i));
    if (i === from) return -1;
  }
  return i > stop ? -1 : i;
}
