/**
 * Reading a small JSON file given by the user (a law file, a Hugging Face config.json)
 * with every failure a `MoeplanError` that names the flag and the file:
 *
 * - a missing file, a directory, a file that cannot be read, a file larger than `maxBytes`;
 * - bytes that are not UTF-8 (a byte-order mark is dropped);
 * - JSON syntax errors, with line and column;
 * - nesting deeper than {@link MAX_JSON_DEPTH} (the data is never walked that deep);
 * - duplicate keys in one object, which `JSON.parse` would silently resolve to the last.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MoeplanError } from '../core/errors.js';
import { printable } from './format.js';
import { fsReason } from './fs-error.js';
import { isStdin, readStdinBytes } from './stdin.js';

/** Deepest nesting of objects and arrays accepted. Configs and laws nest three or four levels. */
export const MAX_JSON_DEPTH = 64;

export interface JsonFileOptions {
  /** The flag or field that named the file, e.g. `--law`. */
  readonly field: string;
  /** What the file is, for messages: `law file`, or empty. */
  readonly what: string;
  /** Largest size read, in bytes. */
  readonly maxBytes: number;
  readonly cwd: string;
  /** Error codes: for a file that cannot be read, and for one whose content is not accepted. */
  readonly codes: { readonly unreadable: string; readonly invalid: string };
  /** What to do about it, for errors about the file's content. */
  readonly hint?: string;
  /** The error for a file that does not exist, if not the usual one. */
  readonly missing?: () => MoeplanError;
}

/** Read and parse a JSON file; see the module comment for what is refused. */
export async function readJsonFile(file: string, options: JsonFileOptions): Promise<unknown> {
  const { field, what, codes } = options;
  // A law file is named as given (`law file bad.json`), a config in quotes (`"config.json"`).
  const short = file.length > 80 ? `${file.slice(0, 77)}...` : file;
  const shown = isStdin(file) ? 'stdin' : what ? printable(short) : JSON.stringify(short);
  const label = `${field}: ${what ? `${what} ` : ''}${shown}`;
  const unreadable = (reason: string, hint = 'check the path') =>
    new MoeplanError(codes.unreadable, `${field}: cannot read ${what ? `${what} ` : ''}${shown} (${reason})`, { field, hint });
  const invalid = (_code: string, message: string, hint?: string) =>
    new MoeplanError(codes.invalid, `${label} ${message}`, { field, ...((hint ?? options.hint) ? { hint: hint ?? options.hint } : {}) });
  if (isStdin(file)) return parseBytes(await readStdinBytes(field, options.maxBytes), invalid);
  const path = resolve(options.cwd, file);
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw unreadable('a directory', 'give the path of a JSON file');
    if (!info.isFile()) throw unreadable('not a regular file', 'give the path of a JSON file');
    size = info.size;
  } catch (error) {
    if (error instanceof MoeplanError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (options.missing && (code === 'ENOENT' || code === 'ENOTDIR')) throw options.missing();
    throw unreadable(describeReadError(error));
  }
  if (size > options.maxBytes) {
    throw invalid('', `is ${Math.ceil(size / 1024)} KiB; at most ${Math.floor(options.maxBytes / 1024)} KiB is read`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw unreadable(describeReadError(error), 'check the path and its permissions');
  }
  if (bytes.length > options.maxBytes) throw invalid('', `is more than ${Math.floor(options.maxBytes / 1024)} KiB`);
  return parseBytes(bytes, invalid);
}

/** UTF-8 bytes (a byte-order mark dropped) parsed as JSON. */
function parseBytes(bytes: Uint8Array, invalid: (code: string, message: string, hint?: string) => MoeplanError): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('', 'is not valid UTF-8 text', 'save the file as UTF-8');
  }
  return parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, invalid);
}

/** Parse JSON text: syntax errors with line and column, too deep, duplicate keys. */
export function parseJsonText(text: string, fail: (code: string, message: string, hint?: string) => MoeplanError): unknown {
  if (text.trim() === '') throw fail('INVALID_JSON', 'is empty');
  const problem = scanJson(text);
  if (problem) {
    const { line, column } = lineColumn(text, problem.offset);
    throw fail('INVALID_JSON', `is not accepted: line ${line}, column ${column}: ${problem.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // scanJson checks structure only; JSON.parse has the last word on syntax.
    const message = (error as Error).message;
    const offset = /position (\d+)/.exec(message)?.[1];
    const where = offset === undefined ? '' : (({ line, column }) => `line ${line}, column ${column}: `)(lineColumn(text, Number(offset)));
    // V8 quotes the text around the error; keep its first words, on one line.
    const what = message
      .replace(/ (?:in JSON )?at position \d+.*$/s, '')
      .replace(/, ".*$/s, '')
      .replace(/^JSON\.parse: /, '')
      .replace(/\s+/g, ' ');
    throw fail('INVALID_JSON', `is not valid JSON (${where}${what})`);
  }
}

/**
 * One pass over JSON text, in linear time: the first duplicate key or nesting deeper than
 * {@link MAX_JSON_DEPTH}, with its offset. Syntax is left to `JSON.parse`; on text that is
 * not JSON the scan stops at whatever it finds first, which is then reported.
 */
export function scanJson(text: string): { offset: number; message: string } | undefined {
  // For each open container: the keys seen (objects only).
  const stack: (Set<string> | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= MAX_JSON_DEPTH) return { offset: i, message: `nested more than ${MAX_JSON_DEPTH} levels deep` };
      stack.push(c === 0x7b ? new Set() : undefined);
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] !== undefined;
    } else if (c === 0x22 /* " */) {
      let end = i + 1;
      let escaped = false;
      for (; end < text.length; end++) {
        const d = text.charCodeAt(end);
        if (escaped) escaped = false;
        else if (d === 0x5c) escaped = true;
        else if (d === 0x22) break;
      }
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return undefined;
        }
        if (keys.has(key)) return { offset: i, message: `duplicate key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key)}` };
        keys.add(key);
      }
      expectKey = false;
      i = end;
    }
  }
  return undefined;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function describeReadError(error: unknown): string {
  return fsReason(error);
}
