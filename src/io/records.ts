/**
 * Streaming reader for batch inputs: CSV with a header row, or JSON Lines (one object per
 * line). It never holds the whole file: records are handed to a callback chunk by chunk.
 *
 * - The format comes from the extension (`.csv`, `.jsonl`, `.ndjson`), else from the first
 *   non-blank character (`{` means JSON Lines).
 * - A UTF-8 byte-order mark is dropped; CRLF and LF both end lines; blank lines are not
 *   records. Invalid UTF-8 is an error naming the line.
 * - CSV fields may be quoted (RFC 4180): commas and doubled quotes inside quotes, and line
 *   breaks inside quotes (the record keeps the line it started on).
 * - A record that cannot be read (wrong number of fields, bad JSON, not an object) is
 *   handed on as an error record with its line number, so the caller can still emit one
 *   output row for it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MoeplanError } from '../core/errors.js';

export type RecordValue = string | number | boolean | null | object;

/**
 * One input record: a CSV row as `fields` (in header order), a JSON Lines object as
 * `values`, or an `error` for a record that could not be read.
 */
export type InputRecord =
  | { readonly line: number; readonly fields: readonly string[]; readonly values?: undefined; readonly error?: undefined }
  | { readonly line: number; readonly fields?: undefined; readonly values: Readonly<Record<string, RecordValue>>; readonly error?: undefined }
  | { readonly line: number; readonly fields?: undefined; readonly values?: undefined; readonly error: MoeplanError };

export type RecordFormat = 'csv' | 'jsonl';

export interface ReadRecordsOptions {
  /** File path, or `-` for `stdin`. */
  readonly path: string;
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Called once with the CSV header (not for JSON Lines) before any record. May throw. */
  readonly onHeader?: (columns: readonly string[]) => void;
  /** Called for each record in order. A returned promise is awaited before reading on. */
  readonly onRecord: (record: InputRecord) => undefined | Promise<void>;
  /** Called after each chunk of records; a returned promise is awaited (back-pressure). */
  readonly onChunkEnd?: () => undefined | Promise<void>;
  /**
   * A part of an input already split off elsewhere (parallel batch mode): text read
   * instead of `path`, whose first line is line `firstLine` of the input, in a known
   * `format`, with the CSV `header` already read from the start of the input.
   */
  readonly part?: { readonly text: string; readonly firstLine: number; readonly format: RecordFormat; readonly header?: readonly string[] };
}

/** Read a batch input and hand each record to `onRecord`. Resolves with the number of records. */
export async function readRecords(options: ReadRecordsOptions): Promise<number> {
  const part = options.part;
  const stream: Iterable<unknown> | AsyncIterable<unknown> = part ? [part.text] : await openInput(options);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let format: RecordFormat | undefined = part?.format ?? formatFromPath(options.path);
  let header: readonly string[] | undefined = part?.header;
  let pending = '';
  let lineNumber = part ? part.firstLine - 1 : 0; // number of the last line consumed
  let first = !part;
  let count = 0;
  // CSV record spanning several lines (open quote): text so far and its first line.
  let carry: { text: string; line: number } | undefined;

  // Lines are handled synchronously; only a callback that returns a promise is awaited,
  // so a million rows cost no million microtasks.
  const handleLine = (rawLine: string): undefined | Promise<void> => {
    lineNumber++;
    const line = rawLine.charCodeAt(rawLine.length - 1) === 13 ? rawLine.slice(0, -1) : rawLine;
    if (carry) {
      carry.text += `\n${line}`;
      if (!quotesBalanced(carry.text)) return;
      const { text, line: start } = carry;
      carry = undefined;
      return emitCsv(text, start);
    }
    if (line.length === 0 || line.trim() === '') return;
    if (format === undefined) format = line.trimStart().startsWith('{') ? 'jsonl' : 'csv';
    if (format === 'jsonl') {
      count++;
      return options.onRecord(parseJsonLine(line, lineNumber));
    }
    if (line.includes('"') && !quotesBalanced(line)) {
      carry = { text: line, line: lineNumber };
      return;
    }
    return emitCsv(line, lineNumber);
  };

  const emitCsv = (text: string, line: number): undefined | Promise<void> => {
    const fields = splitCsv(text);
    if (!header) {
      header = fields.map((f) => f.trim());
      if (header.some((h) => h === '')) {
        throw new MoeplanError('BAD_INPUT', `${options.path}: line ${line}: the header has an empty column name`, {
          hint: 'the first line of a CSV input names its columns, e.g. params,tokens',
        });
      }
      const seen = new Set<string>();
      for (const name of header) {
        if (seen.has(name)) throw new MoeplanError('BAD_INPUT', `${options.path}: line ${line}: column "${name}" appears twice`);
        seen.add(name);
      }
      options.onHeader?.(header);
      return;
    }
    count++;
    if (fields.length !== header.length) {
      return options.onRecord({
        line,
        error: new MoeplanError('BAD_ROW', `line ${line}: ${fields.length} fields, but the header has ${header.length}`),
      });
    }
    return options.onRecord({ line, fields });
  };

  for await (const chunk of stream) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    } catch {
      throw new MoeplanError('BAD_INPUT', `${options.path}: invalid UTF-8 after line ${lineNumber}`, {
        hint: 'save the file as UTF-8',
      });
    }
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text !== '') first = false;
    }
    pending += text;
    let start = 0;
    let newline = pending.indexOf('\n', start);
    while (newline !== -1) {
      const waiting = handleLine(pending.slice(start, newline));
      if (waiting) await waiting;
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
    await options.onChunkEnd?.();
  }
  try {
    pending += decoder.decode();
  } catch {
    throw new MoeplanError('BAD_INPUT', `${options.path}: invalid UTF-8 at the end of the file`, { hint: 'save the file as UTF-8' });
  }
  if (pending !== '') await handleLine(pending);
  if (carry) {
    count++;
    await options.onRecord({ line: carry.line, error: new MoeplanError('BAD_ROW', `line ${carry.line}: a quoted field is never closed`) });
  }
  await options.onChunkEnd?.();
  if (format !== 'jsonl' && !header) {
    throw new MoeplanError('BAD_INPUT', `${options.path}: the input is empty`, {
      hint: 'give a CSV file with a header row (e.g. params,tokens) or JSON Lines',
    });
  }
  return count;
}

/** The format an extension names: `.jsonl`/`.ndjson` or `.csv`; otherwise undefined (sniffed). */
export function formatFromPath(path: string): RecordFormat | undefined {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : /\.csv$/i.test(path) ? 'csv' : undefined;
}

async function openInput(options: ReadRecordsOptions): Promise<AsyncIterable<unknown>> {
  if (options.path === '-') {
    if (options.stdin.isTTY) {
      throw new MoeplanError('BAD_INPUT', '--input -: standard input is a terminal', {
        hint: 'pipe a file in (moeplan … --input - < grid.csv) or give its path',
      });
    }
    return options.stdin as AsyncIterable<unknown>;
  }
  const path = resolve(options.cwd, options.path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new MoeplanError('FILE_NOT_FOUND', `--input: cannot read "${options.path}": no such file`, {
      field: '--input',
      hint: 'check the path, or use - for standard input',
    });
  }
  if (info.isDirectory()) {
    throw new MoeplanError('BAD_INPUT', `--input: "${options.path}" is a directory`, { field: '--input', hint: 'give a CSV or JSONL file' });
  }
  // 64 KiB reads: large enough for throughput, small enough that chunks die young and
  // peak memory stays flat however long the input is (bench/RESULTS.md, memory).
  return createReadStream(path, { highWaterMark: 1 << 16 });
}

function quotesBalanced(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count % 2 === 0;
}

/** Split one CSV record into fields (RFC 4180 quoting). */
export function splitCsv(text: string): string[] {
  if (!text.includes('"')) return text.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

function parseJsonLine(line: string, lineNumber: number): InputRecord {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { line: lineNumber, error: new MoeplanError('BAD_ROW', `line ${lineNumber}: not valid JSON (${(error as Error).message})`) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { line: lineNumber, error: new MoeplanError('BAD_ROW', `line ${lineNumber}: expected a JSON object`) };
  }
  return { line: lineNumber, values: value as Record<string, RecordValue> };
}
