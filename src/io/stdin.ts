/**
 * Standard input as a file argument: every file flag or argument accepts `-` (`check -`,
 * `--config -`, `--law -`, `--input -`, `fit -`), and messages name it `stdin`. The CLI
 * registers its input stream once per run ({@link useStdin}); readers take the text from
 * here, bounded by their own size limit.
 */
import { MoeplanError } from '../core/errors.js';

type Stream = NodeJS.ReadableStream & { isTTY?: boolean };
/**
 * Where `-` reads from. Kept under a global symbol rather than in a module variable: the
 * CLI is bundled as several files (dist/cli.cjs, dist/commands/*.cjs, lazy chunks), each
 * with its own copy of this module, and all of them must see the one registration.
 */
const SOURCE = Symbol.for('moeplan.stdin');
const registry = globalThis as unknown as { [SOURCE]?: () => Stream };

/** Register where `-` reads from (the CLI does this for each run). */
export function useStdin(stream: (() => Stream) | undefined): void {
  registry[SOURCE] = stream;
}

/** True for the file name that means standard input. */
export function isStdin(file: string): boolean {
  return file === '-';
}

/**
 * All of standard input as bytes, at most `maxBytes` (more is an error naming `field`).
 * A terminal on stdin, or no stdin, is an error: nothing was piped in.
 */
export async function readStdinBytes(field: string, maxBytes: number): Promise<Uint8Array> {
  const stream = registry[SOURCE]?.();
  if (!stream || stream.isTTY) {
    throw new MoeplanError('MISSING_INPUT', `${field}: - reads stdin, but nothing is piped in`, {
      field,
      hint: `pipe the file in (… | moeplan …), or give its path`,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > maxBytes) throw new MoeplanError('INPUT_TOO_LARGE', `${field}: stdin is more than ${Math.floor(maxBytes / 1024)} KiB`, { field });
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
