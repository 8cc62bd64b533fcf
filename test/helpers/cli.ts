import { Readable } from 'node:stream';
import { run } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process with captured streams. */
export async function runCli(
  argv: readonly string[],
  options: { env?: Record<string, string | undefined>; stdin?: string; cwd?: string; tty?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]) as NodeJS.ReadableStream & { isTTY?: boolean };
  const code = await run(argv, {
    stdout: {
      write: (s: string | Uint8Array) => {
        stdout += typeof s === 'string' ? s : Buffer.from(s).toString('latin1');
        return true;
      },
      isTTY: options.tty ?? false,
    },
    stderr: {
      write: (s: string | Uint8Array) => {
        stderr += typeof s === 'string' ? s : Buffer.from(s).toString('latin1');
        return true;
      },
      isTTY: options.tty ?? false,
    },
    stdin,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}

/** Parse stdout as one JSON document. */
export function json(result: CliResult): Record<string, unknown> {
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** Split a shell line into words: spaces separate, double quotes group. */
export function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/** Relative difference |a − b| / |b|. */
export function relDiff(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
