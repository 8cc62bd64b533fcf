/**
 * Batch mode shared by the evaluation commands: `--input FILE|-` streams CSV or JSON Lines
 * rows through the same evaluation as the flags, one output row per input row, in order.
 *
 * - Flags given on the command line are defaults for every row; a row's own columns win.
 * - Columns are named like the flags (`params`, `peak-flops`); `peakFlops` and `peak_flops`
 *   are accepted too. An unknown CSV column is an error before any row is read.
 * - A bad row becomes an error row naming its line; the other rows are still computed, and
 *   the exit code is 2.
 * - Text output is CSV (`line`, the resolved inputs and results, `error`); `--json` prints
 *   one JSON object per line.
 */
import { MoeplanError, isMoeplanError } from '../core/errors.js';
import { NeedsExpressionEngine, loadExpressionEngine } from '../io/quantity.js';
import { type RecordValue, readRecords } from '../io/records.js';
import { type Context, type FieldName, type RawInputs, SCHEMA_VERSION, canonicalKey, kebab } from './context.js';
import { BufferedWriter } from './io.js';

export interface BatchSpec<R extends object> {
  /** Keys (camelCase, as the command's options) a row may set. */
  readonly keys: readonly string[];
  /** Evaluate one row: the same function the single-shot command uses. */
  evaluate(raw: RawInputs, name: FieldName): R;
  /** Text mode: the output CSV columns, in order, each a function of the result. */
  readonly columns: ReadonlyArray<readonly [string, (result: R) => number | string | boolean | undefined]>;
}

/** Run a batch; resolves with the exit code (0, or 2 when any row failed). */
export async function runBatch<R extends object>(
  ctx: Context,
  inputPath: string,
  defaults: RawInputs,
  spec: BatchSpec<R>,
): Promise<number> {
  const byCanonical = new Map(spec.keys.map((k) => [canonicalKey(k), k]));
  const writer = new BufferedWriter(ctx.io.stdout);
  let columnKeys: (string | undefined)[] | undefined;
  let failed = 0;
  let rows = 0;
  if (!ctx.json) {
    writer.write(`${['line', ...spec.columns.map(([name]) => name), 'error'].join(',')}\n`);
  }

  const mapKey = (column: string): string | undefined => byCanonical.get(canonicalKey(column));
  const unknownColumn = (column: string) =>
    new MoeplanError('UNKNOWN_COLUMN', `--input: unknown column "${column}"`, {
      field: '--input',
      hint: `columns are named like the flags: ${spec.keys.map(kebab).join(', ')}`,
    });

  const evaluateRow = async (line: number, values: Readonly<Record<string, RecordValue>>) => {
    const raw: Record<string, RecordValue | undefined> = { ...defaults };
    if (columnKeys) {
      // CSV: the header was checked once.
      const keys = Object.keys(values);
      for (let i = 0; i < keys.length; i++) {
        const key = columnKeys[i];
        if (key !== undefined) raw[key] = values[keys[i] as string];
      }
    } else {
      for (const [column, value] of Object.entries(values)) {
        const key = mapKey(column);
        if (key === undefined) throw unknownColumn(column);
        raw[key] = value;
      }
    }
    const name: FieldName = (key) => `line ${line}: ${kebab(key)}`;
    try {
      return spec.evaluate(raw, name);
    } catch (error) {
      if (!(error instanceof NeedsExpressionEngine)) throw error;
      await loadExpressionEngine();
      return spec.evaluate(raw, name);
    }
  };

  const emitError = (line: number, error: MoeplanError) => {
    failed++;
    if (ctx.json) {
      return writer.write(
        `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, line, error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } })}\n`,
      );
    }
    return writer.write(`${line},${','.repeat(spec.columns.length)}${csvField(error.message)}\n`);
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
    },
    onRecord: async (record) => {
      rows++;
      if (record.error) {
        await emitError(record.line, record.error);
        return;
      }
      let result: R;
      try {
        result = await evaluateRow(record.line, record.values);
      } catch (error) {
        if (!isMoeplanError(error)) throw error;
        await emitError(record.line, error);
        return;
      }
      let out: string;
      if (ctx.json) {
        out = `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, line: record.line, ...result })}\n`;
      } else {
        out = `${record.line}`;
        for (const [, get] of spec.columns) {
          const value = get(result);
          out += value === undefined ? ',' : typeof value === 'string' ? `,${csvField(value)}` : `,${value}`;
        }
        out += ',\n';
      }
      await writer.write(out);
    },
    onChunkEnd: () => writer.flush(),
  });
  await writer.flush();
  if (failed > 0) ctx.warn(`${failed} of ${rows} rows had errors; see the error ${ctx.json ? 'objects' : 'column'}`);
  return failed > 0 ? 2 : 0;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
