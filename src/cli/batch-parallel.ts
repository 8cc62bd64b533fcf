/**
 * Parallel batch mode: a large input file is cut into blocks of whole records, the blocks
 * are evaluated by worker threads (each running the same {@link BatchRunner} as the
 * sequential path, see batch-worker.ts), and their output is written in input order.
 *
 * - Used for files of at least {@link PARALLEL_MIN_BYTES} when the machine has more than
 *   one core, and only from the bundled CLI (the workers start from dist/batch-worker.js).
 *   `MOEPLAN_THREADS=N` sets the number of workers (`0` or `1`: never parallel).
 * - Blocks end at a line break, so no record is split; each block carries
 *   the number of its first line, so line numbers and error rows are as in the sequential
 *   path. At most two blocks per worker are in flight: memory stays flat.
 */
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MoeplanError } from '../core/errors.js';
import { type RecordFormat, formatFromPath, splitCsv } from '../io/records.js';
import { type BatchSetup, BatchRunner } from './batch.js';
import type { Context } from './context.js';

/** Files smaller than this are read in one thread: starting workers would cost more. */
export const PARALLEL_MIN_BYTES = 8 * 2 ** 20;
const BLOCK_BYTES = 1 << 20;

/** What a worker is told at start. */
export interface BatchWorkerData {
  readonly command: string;
  readonly options: Record<string, unknown>;
  readonly cwd: string;
  readonly json: boolean;
}

/** One block for a worker, and its answer. */
export interface BlockMessage {
  readonly id: number;
  readonly text: string;
  readonly firstLine: number;
  readonly format: RecordFormat;
  readonly header: readonly string[] | undefined;
}
export type BlockReply =
  | { readonly id: number; readonly text: string; readonly rows: number; readonly failed: number; readonly error?: undefined }
  | { readonly id: number; readonly error: string };

function workerEntry(): string | undefined {
  // In the bundle this module is a chunk in dist/chunks/; the worker entry is dist/batch-worker.js.
  if (!import.meta.url.endsWith('.js')) return undefined;
  const entry = fileURLToPath(new URL('../batch-worker.js', import.meta.url));
  return existsSync(entry) ? entry : undefined;
}

/** How many worker threads to use for this input: 0 for the sequential path. */
export async function parallelThreads(ctx: Context, inputPath: string): Promise<number> {
  const setting = ctx.io.env.MOEPLAN_THREADS;
  let forced: number | undefined;
  if (setting !== undefined && setting.trim() !== '') {
    forced = Number(setting);
    if (!Number.isInteger(forced) || forced < 0 || forced > 64) {
      throw new MoeplanError('INVALID_INPUT', `MOEPLAN_THREADS: "${setting}" is not a whole number from 0 to 64`, {
        hint: 'unset it to choose automatically, or set 0 to read in one thread',
      });
    }
  }
  if (inputPath === '-' || forced === 0 || forced === 1 || !workerEntry()) return 0;
  let size: number;
  try {
    const info = await stat(resolve(ctx.io.cwd, inputPath));
    if (!info.isFile()) return 0;
    size = info.size;
  } catch {
    return 0; // the sequential path reports a missing file
  }
  if (forced !== undefined) return forced;
  return size >= PARALLEL_MIN_BYTES ? Math.min(availableParallelism(), 4) : 0;
}

/** Run a batch over worker threads; resolves with the row and failure counts. */
export async function runParallelBatch(
  ctx: Context,
  inputPath: string,
  setup: BatchSetup,
  parallel: { readonly command: string; readonly options: Record<string, unknown> },
  threads: number,
): Promise<{ rows: number; failed: number }> {
  const entry = workerEntry() as string;
  const main = new BatchRunner(setup.spec, setup.defaults, ctx.json, ctx.io.stdout);
  const data: BatchWorkerData = { command: parallel.command, options: parallel.options, cwd: ctx.io.cwd, json: ctx.json };
  const waiting = new Map<number, { resolve: (reply: BlockReply) => void; reject: (error: Error) => void }>();
  const workers = Array.from({ length: threads }, () => {
    // A larger young generation: rows allocate many short-lived strings, and the default
    // worker nursery made garbage collection the largest cost.
    const worker = new Worker(entry, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 256 } });
    worker.on('message', (reply: BlockReply) => {
      const entryWaiting = waiting.get(reply.id);
      waiting.delete(reply.id);
      entryWaiting?.resolve(reply);
    });
    worker.on('error', (error) => {
      for (const pending of waiting.values()) pending.reject(error);
      waiting.clear();
    });
    return worker;
  });

  const inFlight: Promise<BlockReply>[] = [];
  let rows = 0;
  let failed = 0;
  let nextId = 0;
  const send = (message: Omit<BlockMessage, 'id'>) => {
    const id = nextId++;
    inFlight.push(
      new Promise<BlockReply>((resolveReply, reject) => {
        waiting.set(id, { resolve: resolveReply, reject });
        (workers[id % threads] as Worker).postMessage({ id, ...message } satisfies BlockMessage);
      }),
    );
  };
  const writeOldest = async () => {
    const reply = await (inFlight.shift() as Promise<BlockReply>);
    if (reply.error !== undefined) throw new Error(`batch worker failed: ${reply.error}`);
    rows += reply.rows;
    failed += reply.failed;
    await main.writer.write(reply.text);
    await main.writer.flush();
  };

  try {
    // Not fatal, as in the sequential reader: a line that is not UTF-8 is an error row.
    const decoder = new TextDecoder('utf-8');
    let format: RecordFormat | undefined = formatFromPath(inputPath);
    let header: readonly string[] | undefined;
    let headerRead = false;
    let pending = '';
    let consumed = 0; // lines handed on so far
    let first = true;

    const dispatch = async (final: boolean) => {
      if (!headerRead) {
        // The header (or, for JSON Lines, the format) comes from the first non-blank line.
        const leading = /^(?:[ \t]*\r?\n)*/.exec(pending)?.[0] ?? '';
        const end = pending.indexOf('\n', leading.length);
        if (end === -1 && !final) return;
        const firstLine = pending.slice(leading.length, end === -1 ? undefined : end).replace(/\r$/, '');
        if (firstLine.trim() === '') return;
        format ??= firstLine.trimStart().startsWith('{') ? 'jsonl' : 'csv';
        if (format === 'csv') {
          header = splitCsv(firstLine).map((f) => f.trim());
          main.setHeader(header);
          const skipped = leading.split('\n').length - 1 + 1;
          consumed += skipped;
          pending = end === -1 ? '' : pending.slice(end + 1);
        } else {
          main.ensureHeader();
        }
        headerRead = true;
      }
      const cut = final ? pending.length : lastRecordEnd(pending);
      if (cut <= 0) return;
      const text = pending.slice(0, cut);
      pending = pending.slice(cut);
      send({ text, firstLine: consumed + 1, format: format as RecordFormat, header });
      consumed += countLines(text);
      while (inFlight.length >= threads * 2) await writeOldest();
    };

    const stream = createReadStream(resolve(ctx.io.cwd, inputPath), { highWaterMark: BLOCK_BYTES });
    for await (const chunk of stream) {
      let text = decoder.decode(chunk as Uint8Array, { stream: true });
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      pending += text;
      await dispatch(false);
    }
    pending += decoder.decode();
    await dispatch(true);
    if (!headerRead && format !== 'jsonl') {
      throw new MoeplanError('BAD_INPUT', `${inputPath}: the input is empty`, {
        hint: 'give a CSV file with a header row (e.g. params,tokens) or JSON Lines',
      });
    }
    while (inFlight.length > 0) await writeOldest();
    main.ensureHeader();
    await main.writer.flush();
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { rows, failed };
}

/** Index just past the last line break; 0 if there is none. Every line is its own record. */
function lastRecordEnd(text: string): number {
  return text.lastIndexOf('\n') + 1;
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  // A final line without a line break is a line too.
  return text.length > 0 && text.charCodeAt(text.length - 1) !== 10 ? lines + 1 : lines;
}
