/**
 * Streaming reader for batch inputs: CSV with a header row, or JSON Lines (one object per
 * line). It never holds the whole file: records are handed to a callback chunk by chunk.
 *
 * - The format comes from the extension (`.csv`, `.jsonl`, `.ndjson`), else from the first
 *   non-blank character (`{` means JSON Lines).
 * - A UTF-8 byte-order mark is dropped; CRLF and LF both end lines; blank lines are not
 *   records.
 * - Every other line is one record, so a bad line costs one record and never the lines
 *   after it. CSV fields may be quoted (RFC 4180: commas and doubled quotes inside quotes),
 *   but a quoted field ends on its line.
 * - A record that cannot be read (wrong number of fields, a quote not closed, bad JSON,
 *   not an object, bytes that are not UTF-8, a line longer than {@link MAX_LINE_CHARS}) is
 *   handed on as an error record with its line number, so the caller can still emit one
 *   output row for it. A bad header, an empty input and a failed read are errors.
 */
import { isAscii } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MoeplanError, escapeControls } from '../core/errors.js';
import { fsReason } from './fs-error.js';
import { scanJson } from './json-file.js';

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
  /**
   * Fast lane (batch.ts): offered the complete lines `text[start, end)` (`end` just after a
   * line break) once the format is known (after the CSV header; JSON Lines from the second
   * record on). It handles lines from the first, in order, each as one record (`onRecord`
   * is not called for it), advances `cursor.line` (the number of the last line consumed)
   * by one per line, and returns the index after the last line it handled. The lines it
   * leaves are read as usual, and the rest offered to it again.
   */
  readonly onPlainLines?: (format: RecordFormat, text: string, start: number, end: number, cursor: LineCursor) => number;
  /** Called for each record in order. A returned promise is awaited before reading on. */
  readonly onRecord: (record: InputRecord) => undefined | Promise<void>;
  /** Called after each chunk of records; a returned promise is awaited (back-pressure). */
  readonly onChunkEnd?: () => undefined | Promise<void>;
}

/** Where a fast lane is: the number of the last line consumed. */
export interface LineCursor {
  line: number;
}

/** Longest line read, in characters. A longer line is an error record; the next line is read as usual. */
export const MAX_LINE_CHARS = 1 << 20;

/** Read a batch input and hand each record to `onRecord`. Resolves with the number of records. */
export async function readRecords(options: ReadRecordsOptions): Promise<number> {
  const stream = await openInput(options);
  // Not fatal: a line with bytes that are not UTF-8 becomes an error record (it holds
  // U+FFFD, the replacement character), and the lines around it are still read.
  const decoder = new TextDecoder('utf-8');
  const label = options.path === '-' ? '--input -' : options.path;
  let format: RecordFormat | undefined = formatFromPath(options.path);
  let header: readonly string[] | undefined;
  let pending = '';
  let lineNumber = 0; // number of the last line consumed
  let first = true;
  let count = 0;
  // Set once the text holds U+FFFD: from then on each line is checked for it.
  let replaced = false;
  // Inside a line longer than MAX_LINE_CHARS, already reported: skip to its end.
  let skipping = false;
  const lanes = options.onPlainLines;
  let ascii = true;
  const cursor: LineCursor = { line: 0 };

  const badRecord = (line: number, message: string): undefined | Promise<void> => {
    if (format !== 'jsonl' && !header) {
      throw new MoeplanError('BAD_INPUT', `${label}: line ${line}: the header ${message}`, {
        hint: 'the first line of a CSV input names its columns, e.g. params,tokens',
      });
    }
    count++;
    return options.onRecord({ line, error: new MoeplanError('BAD_ROW', `line ${line}: ${message}`) });
  };

  // Lines are handled synchronously; only a callback that returns a promise is awaited,
  // so a million rows cost no million microtasks.
  const handleLine = (rawLine: string): undefined | Promise<void> => {
    lineNumber++;
    const line = rawLine.charCodeAt(rawLine.length - 1) === 13 ? rawLine.slice(0, -1) : rawLine;
    // Blank: empty, or whitespace only (checked only when it starts with whitespace).
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
    if (format === undefined) format = line.trimStart().startsWith('{') ? 'jsonl' : 'csv';
    if (replaced && line.includes('\uFFFD')) return badRecord(lineNumber, 'is not valid UTF-8 text (save the file as UTF-8)');
    if (line.length > MAX_LINE_CHARS) return badRecord(lineNumber, `is longer than ${MAX_LINE_CHARS} characters`);
    if (format === 'jsonl') {
      count++;
      return options.onRecord(parseJsonLine(line, lineNumber));
    }
    const quoted = line.includes('"');
    // One record per line: a stray quote never swallows the lines after it.
    if (quoted && !quotesBalanced(line)) return badRecord(lineNumber, 'has a quoted field that is not closed on its line');
    return emitCsv(line, lineNumber);
  };

  const emitCsv = (text: string, line: number): undefined | Promise<void> => {
    const fields = splitCsv(text);
    if (!header) {
      header = fields.map((f) => f.trim());
      if (header.some((h) => h === '')) {
        throw new MoeplanError('BAD_INPUT', `${label}: line ${line}: the header has an empty column name`, {
          hint: 'the first line of a CSV input names its columns, e.g. params,tokens',
        });
      }
      const seen = new Set<string>();
      for (const name of header) {
        if (seen.has(name)) throw new MoeplanError('BAD_INPUT', `${label}: line ${line}: column ${shortName(name)} appears twice`);
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

  // The complete lines text[start, end): the fast lane first, then one line the usual way.
  const readLines = async (text: string, start: number, end: number): Promise<void> => {
    while (start < end) {
      if (lanes && format !== undefined && (header || format === 'jsonl')) {
        cursor.line = lineNumber;
        start = lanes(format, text, start, end, cursor);
        count += cursor.line - lineNumber;
        lineNumber = cursor.line;
        if (start >= end) break;
      }
      const newline = text.indexOf('\n', start);
      const waiting = handleLine(text.slice(start, newline));
      if (waiting) await waiting;
      start = newline + 1;
    }
  };

  try {
    for await (const chunk of stream) {
      let text: string;
      let bytes = chunk as Uint8Array;
      // A byte-order mark that starts the input, as bytes (the decoder drops it as text).
      if (first && typeof chunk !== 'string' && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      if (typeof chunk === 'string') text = chunk;
      else if (ascii && isAscii(bytes)) {
        // Plain ASCII (the usual batch file) is its own UTF-8: read it as bytes, faster than
        // the decoder. From the first other byte on, every chunk goes to the decoder (it
        // may hold the start of a character).
        text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
      } else {
        ascii = false;
        text = decoder.decode(bytes, { stream: true });
      }
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        if (text !== '') first = false;
      }
      if (!replaced && text.includes('\uFFFD')) replaced = true;
      let start = 0;
      if (skipping) {
        const end = text.indexOf('\n');
        if (end === -1) continue;
        skipping = false;
        start = end + 1;
      }
      // The lines are read from the chunk's own text (a flat string, fast to scan); only
      // the line that straddles two chunks is joined.
      const end = text.lastIndexOf('\n') + 1;
      if (end <= start) {
        pending = start === 0 ? pending + text : text.slice(start);
      } else {
        if (start === 0 && pending !== '') {
          const newline = text.indexOf('\n');
          const joined = pending + text.slice(0, newline + 1);
          pending = '';
          await readLines(joined, 0, joined.length);
          start = newline + 1;
        }
        await readLines(text, start, end);
        pending = text.slice(end);
      }
      if (pending.length > MAX_LINE_CHARS) {
        pending = '';
        skipping = true;
        const waiting = badRecord(++lineNumber, `is longer than ${MAX_LINE_CHARS} characters`);
        if (waiting) await waiting;
      }
      await options.onChunkEnd?.();
    }
  } catch (error) {
    if (error instanceof MoeplanError) throw error;
    throw readError(label, lineNumber, error);
  }
  const rest = decoder.decode();
  if (rest !== '') {
    replaced = true;
    if (!skipping) pending += rest;
  }
  if (pending !== '' && !skipping) await handleLine(pending);
  await options.onChunkEnd?.();
  if ((format !== 'jsonl' && !header) || (format === 'jsonl' && count === 0)) {
    throw new MoeplanError(
      'BAD_INPUT',
      options.path === '-' ? '--input -: standard input is empty (nothing was piped in, or it is closed)' : `${label}: the input is empty`,
      { hint: 'give a CSV file with a header row (e.g. params,tokens) or JSON Lines, one object per line' },
    );
  }
  return count;
}

/** A failed read (an I/O error, a stream that broke off) as an input error. */
function readError(label: string, lineNumber: number, error: unknown): MoeplanError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new MoeplanError('READ_ERROR', `${label}: reading failed after line ${lineNumber} (${reason})`, {
    hint: 'check that the file (or the pipe into standard input) can be read to its end',
  });
}

function shortName(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 37)}...` : name);
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
  } catch (error) {
    const reason = fsReason(error);
    throw new MoeplanError(reason === 'no such file' ? 'FILE_NOT_FOUND' : 'CANNOT_READ', `--input: cannot read "${escapeControls(options.path)}": ${reason}`, {
      field: '--input',
      hint: 'check the path, or use - for standard input',
    });
  }
  if (info.isDirectory()) {
    throw new MoeplanError('BAD_INPUT', `--input: "${options.path}" is a directory`, { field: '--input', hint: 'give a CSV or JSONL file' });
  }
  return fileChunks(path, 1 << 14);
}

/**
 * A file's bytes in chunks of `size`, read synchronously into one buffer (each chunk is
 * read out, as text, before the next read overwrites it). Small reads keep the text of
 * each chunk small and short-lived, so that peak memory stays flat however long the input
 * (bench/RESULTS.md, memory); synchronous ones cost no round trip through the thread pool each.
 */
async function* fileChunks(path: string, size: number): AsyncGenerator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(size);
    for (;;) {
      const read = readSync(fd, buffer, 0, size, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
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
  // JSON.parse keeps the last of duplicate keys silently. Every key is a string followed by
  // a colon, so a line with no more `":` than keys has none; only then is it scanned.
  if (countKeyColons(line) > Object.keys(value).length) {
    const duplicate = scanJson(line);
    if (duplicate) return { line: lineNumber, error: new MoeplanError('BAD_ROW', `line ${lineNumber}: ${duplicate.message} (column ${duplicate.offset + 1})`) };
  }
  return { line: lineNumber, values: value as Record<string, RecordValue> };
}

function countKeyColons(line: string): number {
  let count = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) {
    let j = i + 1;
    while (j < line.length && (line.charCodeAt(j) === 32 || line.charCodeAt(j) === 9)) j++;
    if (line.charCodeAt(j) === 58) count++;
  }
  return count;
}
