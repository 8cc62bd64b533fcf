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
 *   echoed as written, which is the same number), the result columns, `error`.
 *   `--json` prints one JSON object per line.
 *
 * The row loop is synchronous (a promise only when mathjs must be loaded for an
 * expression, or when stdout asks to wait), reuses one inputs object, and writes in
 * 64 KiB chunks: a million rows take well under a second.
 */
import { MoeplanError, isMoeplanError } from '../core/errors.js';
import { NeedsExpressionEngine, isDecimalText, loadExpressionEngine } from '../io/quantity.js';
import { type InputRecord, type RecordValue, readRecords } from '../io/records.js';
import { type Context, type FieldName, type RawInputs, SCHEMA_VERSION, canonicalKey, kebab } from './context.js';
import { BufferedWriter } from './io.js';

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
}

/** Run a batch; resolves with the exit code (0, or 2 when any row failed). */
export async function runBatch<R extends object>(
  ctx: Context,
  inputPath: string,
  defaults: RawInputs,
  spec: BatchSpec<R>,
): Promise<number> {
  const byCanonical = new Map(spec.keys.map((k) => [canonicalKey(k), k]));
  const mapKey = (column: string): string | undefined => byCanonical.get(canonicalKey(column));
  const unknownColumn = (column: string) =>
    new MoeplanError('UNKNOWN_COLUMN', `--input: unknown column "${column}"`, {
      field: '--input',
      hint: `columns are named like the flags: ${spec.keys.map(kebab).join(', ')}`,
    });
  const writer = new BufferedWriter(ctx.io.stdout);
  const given = new Set(Object.keys(defaults).filter((k) => defaults[k] !== undefined));
  // One inputs object reused for every row: defaults first, then the row's columns.
  const raw: Record<string, RecordValue | undefined> = { ...defaults };
  let columnKeys: string[] = [];
  let resultColumns: BatchSpec<R>['columns'] = [];
  let failed = 0;
  let rows = 0;
  let headerWritten = false;

  const writeHeader = (inputKeys: readonly string[]) => {
    const inputs = new Set(inputKeys);
    for (const key of inputKeys) given.add(key);
    resultColumns = spec.columns.filter((c) => !(c.key && inputs.has(c.key)) && (!c.when || c.when.some((k) => given.has(k))));
    if (!ctx.json) writer.write(`${['line', ...inputKeys.map(kebab), ...resultColumns.map((c) => c.name), 'error'].join(',')}\n`);
    headerWritten = true;
  };

  const nameFor = (line: number): FieldName => (key) => `line ${line}: ${kebab(key)}`;

  const evaluate = (record: InputRecord): R => {
    if (record.fields) {
      const fields = record.fields;
      for (let i = 0; i < columnKeys.length; i++) raw[columnKeys[i] as string] = fields[i];
      return spec.evaluate(raw, nameFor(record.line));
    }
    // JSON Lines: keys vary from line to line, so start from the defaults each time.
    const row: Record<string, RecordValue | undefined> = { ...defaults };
    for (const [column, value] of Object.entries(record.values ?? {})) {
      const key = mapKey(column);
      if (key === undefined) throw unknownColumn(column);
      row[key] = value;
    }
    return spec.evaluate(row, nameFor(record.line));
  };

  const emitError = (line: number, error: MoeplanError) => {
    failed++;
    if (ctx.json) {
      return writer.write(
        `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, line, error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } })}\n`,
      );
    }
    return writer.write(`${line},${','.repeat(columnKeys.length + resultColumns.length)}${csvField(error.message)}\n`);
  };

  const emitResult = (record: InputRecord, result: R) => {
    if (ctx.json) return writer.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, line: record.line, ...result })}\n`);
    let out = `${record.line}`;
    const fields = record.fields;
    for (let i = 0; i < columnKeys.length; i++) {
      const text = fields?.[i];
      out += text !== undefined && isDecimalText(text) ? `,${text}` : `,${cell(spec.resolvedInput(result, columnKeys[i] as string))}`;
    }
    for (let i = 0; i < resultColumns.length; i++) out += `,${cell((resultColumns[i] as BatchSpec<R>['columns'][number]).get(result))}`;
    return writer.write(`${out},\n`);
  };

  const handle = (record: InputRecord): Promise<void> | undefined => {
    rows++;
    if (!headerWritten) writeHeader([]);
    return processRecord(record);
  };

  const processRecord = (record: InputRecord): Promise<void> | undefined => {
    if (record.error) return emitError(record.line, record.error);
    let result: R;
    try {
      result = evaluate(record);
    } catch (error) {
      // An expression in this row: load mathjs once, then evaluate the row again.
      if (error instanceof NeedsExpressionEngine) return loadExpressionEngine().then(() => processRecord(record));
      if (!isMoeplanError(error)) throw error;
      return emitError(record.line, error);
    }
    return emitResult(record, result);
  };

  await readRecords({
    path: inputPath,
    cwd: ctx.io.cwd,
    stdin: ctx.io.stdin,
    onHeader: (columns) => {
      columnKeys = columns.map((column) => {
        const key = mapKey(column);
        if (key === undefined) throw unknownColumn(column);
        return key;
      });
      writeHeader(columnKeys);
    },
    onRecord: handle,
    onChunkEnd: () => writer.flush(),
  });
  if (!headerWritten) writeHeader([]);
  await writer.flush();
  if (failed > 0) ctx.warn(`${failed} of ${rows} rows had errors; see the error ${ctx.json ? 'objects' : 'column'}`);
  return failed > 0 ? 2 : 0;
}


function cell(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return csvField(value);
  return String(value);
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
