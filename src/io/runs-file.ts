/**
 * Runs files: a table of runs (CSV with a header, or JSON Lines; `-` reads stdin) read into
 * rows keyed by the reader's own field names. File columns map to fields by name (any case,
 * `-`, `_` and spaces ignored) or by an explicit map (`--columns flops=C,params=N`); two
 * columns naming one field, a mapped column the file lacks and a missing required column
 * are errors. Each caller (`fit`, `lr --noise-from`, …) gives its fields and its words for
 * the errors; the reader owns the order of the checks, so every caller gets all of them.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MoeplanError, isMoeplanError } from '../core/errors.js';
import { showValue } from './format.js';
import { fsReason } from './fs-error.js';
import { type RecordValue, readRecords } from './records.js';

/** A column or key name as matched: without case, `-`, `_` and spaces. */
export function canonicalKey(name: string): string {
  return name.replace(/[-_\s]/g, '').toLowerCase();
}

/**
 * Rows left out while reading, in bounded memory however many there are: the first
 * {@link ExcludedRows.LISTED} in full, and counts by reason with the first few line numbers.
 */
export class ExcludedRows {
  /** Rows kept in full (for the warnings and the JSON `leftOut` list). */
  static readonly LISTED = 1000;
  /** Distinct reasons counted; the rest are counted as "other reasons". */
  static readonly REASONS = 20;
  count = 0;
  readonly listed: { line: number; reason: string }[] = [];
  readonly byReason = new Map<string, { count: number; lines: number[] }>();

  add(line: number, message: string): void {
    this.count++;
    const reason = message.replace(/^line \d+: /, '');
    if (this.listed.length < ExcludedRows.LISTED) this.listed.push({ line, reason: message });
    // The reason without its values: `params: "…" is not a number`.
    let key = reason.length > 200 ? `${reason.slice(0, 197)}...` : reason;
    key = key.replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
    let entry = this.byReason.get(key);
    if (!entry) {
      if (this.byReason.size >= ExcludedRows.REASONS) key = 'other reasons';
      entry = this.byReason.get(key) ?? { count: 0, lines: [] };
      this.byReason.set(key, entry);
    }
    entry.count++;
    if (entry.lines.length < 5) entry.lines.push(line);
  }

  /** `params: "…" is not a number (2,999,999 rows; lines 2, 3, 4, 5, 6, …); …` */
  summary(): string {
    return [...this.byReason]
      .map(
        ([reason, e]) =>
          `${reason} (${e.count} row${e.count === 1 ? '' : 's'}; line${e.lines.length === 1 ? '' : 's'} ${e.lines.join(', ')}${e.count > e.lines.length ? ', …' : ''})`,
      )
      .join('; ');
  }

  /** The JSON form: `leftOut` lists the first {@link ExcludedRows.LISTED} rows; these count all of them. */
  toJSON(): { count: number; listed: number; byReason: { reason: string; count: number; firstLines: number[] }[] } {
    return {
      count: this.count,
      listed: this.listed.length,
      byReason: [...this.byReason].map(([reason, e]) => ({ reason, count: e.count, firstLines: e.lines })),
    };
  }
}

/**
 * Parse a column map `KEY=COLUMN,KEY=COLUMN` (e.g. `flops=C,params=N,tokens=D`) into file
 * column → field. `invalid` is the error for a part that is not KEY=COLUMN with a known KEY.
 */
export function parseColumnMap<K extends string>(text: string | undefined, keys: readonly K[], invalid: (part: string) => MoeplanError): Map<string, K> {
  const map = new Map<string, K>();
  if (text === undefined) return map;
  for (const part of text.split(',')) {
    const [key, column] = part.split('=').map((s) => s.trim());
    const known = keys.find((c) => c === canonicalKey(key ?? ''));
    if (!known || !column) throw invalid(part.trim());
    map.set(column, known);
  }
  return map;
}

/** The caller's words for what can go wrong reading its runs file. */
export interface RunsFileErrors<K extends string> {
  /** Standard input is a terminal (`-` with nothing piped); without it, stdin is read as given. */
  readonly terminal?: () => MoeplanError;
  /** The file cannot be read (`reason`: `no such file`, `permission denied`, …). */
  readonly unreadable: (reason: string) => MoeplanError;
  readonly directory: () => MoeplanError;
  /** A column no field has; without it, such columns are ignored. */
  readonly unknownColumn?: (name: string) => MoeplanError;
  /** Two header columns name `key` (`where`: `line 1`). */
  readonly aliasedColumns: (names: readonly [string, string], key: K) => MoeplanError;
  /** Required fields the file has no column for (`columns`: the file's own names). */
  readonly missingColumns?: (missing: readonly K[], columns: readonly string[]) => MoeplanError;
  /** A mapped column the file lacks. */
  readonly unmappedColumn?: (column: string, key: K, columns: readonly string[]) => MoeplanError;
}

export interface RunsFileOptions<K extends string> {
  readonly path: string;
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The fields a row may have. */
  readonly keys: readonly K[];
  /** Fields the file must have a column for (checked after the CSV header, or at the end of JSON Lines). */
  readonly required?: readonly K[];
  /** A required field that another column stands in for (`params` by `config` in `fit`). */
  readonly satisfiedBy?: Partial<Record<K, readonly K[]>>;
  /** File column → field, from {@link parseColumnMap}; a mapped field is no longer matched by name. */
  readonly columnMap?: ReadonlyMap<string, K>;
  readonly errors: RunsFileErrors<K>;
  /**
   * One row, by field, with the fields seen so far (all of a CSV header's; in JSON Lines, those
   * of the rows up to this one); may throw (the read stops) or return a promise (awaited before reading on).
   */
  readonly onRow: (line: number, values: Partial<Record<K, RecordValue>>, seen: ReadonlySet<K>) => undefined | Promise<void>;
  /**
   * A row that cannot be used as a whole: an unreadable record, or a JSON Lines object with two
   * keys naming one field (`line N: two keys name K (…)`). May throw to stop the read.
   */
  readonly onBadRow: (line: number, error: MoeplanError, aliased?: { key: K; names: readonly string[] }) => void;
}

export interface RunsFileRead<K extends string> {
  /** Fields the file has a column for (after mapping). */
  readonly seen: ReadonlySet<K>;
  /** The file's own column names (CSV header, or every key seen in JSON Lines). */
  readonly columns: readonly string[];
}

/** Read a runs file, handing each row to `onRow` by field. */
export async function readRunsFile<K extends string>(options: RunsFileOptions<K>): Promise<RunsFileRead<K>> {
  const { path, errors } = options;
  const columnMap = options.columnMap ?? new Map<string, K>();
  if (path === '-' && options.stdin.isTTY && errors.terminal) throw errors.terminal();
  if (path !== '-') {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(resolve(options.cwd, path))).isDirectory();
    } catch (error) {
      if (isMoeplanError(error)) throw error;
      throw errors.unreadable(fsReason(error));
    }
    if (isDirectory) throw errors.directory();
  }
  const mapped = new Set(columnMap.values());
  const keyOf = (column: string): K | undefined => {
    const given = columnMap.get(column) ?? columnMap.get(column.trim());
    if (given) return given;
    // Without a mapping, a column named like a field is that field, unless the map gave
    // that field to another column.
    const canonical = options.keys.find((c) => c === canonicalKey(column));
    if (canonical && !mapped.has(canonical)) return canonical;
    if (errors.unknownColumn) throw errors.unknownColumn(column);
    return undefined;
  };
  const seen = new Set<K>();
  const columns: string[] = [];
  let header: (K | undefined)[] | undefined;

  const checkColumns = () => {
    if (errors.unmappedColumn) {
      for (const [column, key] of columnMap) if (!columns.includes(column) && columns.length > 0) throw errors.unmappedColumn(column, key, columns);
    }
    const missing = (options.required ?? []).filter((k) => !seen.has(k) && !(options.satisfiedBy?.[k] ?? []).some((other) => seen.has(other)));
    if (missing.length > 0 && errors.missingColumns) throw errors.missingColumns(missing, columns);
  };

  await readRecords({
    path,
    cwd: options.cwd,
    stdin: options.stdin,
    onHeader: (names) => {
      columns.push(...names);
      header = names.map(keyOf);
      for (const [i, key] of header.entries()) {
        if (!key) continue;
        if (seen.has(key)) throw errors.aliasedColumns([names[header.indexOf(key)] as string, names[i] as string], key);
        seen.add(key);
      }
      checkColumns();
    },
    onRecord: (record) => {
      if (record.error) {
        options.onBadRow(record.line, record.error);
        return undefined;
      }
      const values: Partial<Record<K, RecordValue>> = {};
      if (record.fields) {
        const keys = header as (K | undefined)[];
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          if (key) values[key] = record.fields[i] as string;
        }
      } else {
        let twice: K | undefined;
        for (const [column, value] of Object.entries(record.values)) {
          if (!columns.includes(column)) columns.push(column);
          const key = keyOf(column);
          if (key) {
            if (key in values) twice ??= key;
            values[key] = value;
            seen.add(key);
          }
        }
        if (twice !== undefined) {
          const key = twice;
          const names = Object.keys(record.values).filter((c) => keyOf(c) === key);
          options.onBadRow(record.line, new MoeplanError('DUPLICATE_COLUMN', `line ${record.line}: two keys name ${key} (${showValue(names, 60)})`), {
            key,
            names,
          });
          return undefined;
        }
      }
      return options.onRow(record.line, values, seen);
    },
  });
  if (!header) checkColumns();
  return { seen, columns };
}
