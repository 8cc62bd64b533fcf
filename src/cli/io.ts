import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The CLI's view of the outside world. `run(argv, io)` takes one of these so tests can
 * call the CLI in-process; the binary passes the real process streams.
 */
export interface OutStream {
  /** Text, or ASCII bytes (the batch fast lanes write bytes: a Buffer, handed on and never touched again). */
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  /** Present on real streams: used to wait for 'drain' when a write returns false. */
  once?(event: 'drain', listener: () => void): unknown;
}

export interface CliIo {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /**
   * The example files shipped with moeplan (`<package>/examples`), when known. Help
   * examples name `examples/…`: where the working directory has no such folder (a global
   * install), they show this directory instead, so that they still run as shown.
   */
  readonly examplesDir?: string;
  /**
   * The exit code the run has reached so far (a batch with an error row: 2; a check that
   * failed: 1), told before output is written, so that a run cut short because the reader
   * closed the pipe (`moeplan … | head`) still exits with it.
   */
  exitCodeSoFar?(code: number): void;
}

/** The real process as a `CliIo`. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // process.stdin sets up a stream (and for a pipe, the networking code) when first
    // read: only commands that read stdin pay for it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    get examplesDir() {
      return shippedExamples();
    },
    exitCodeSoFar(code) {
      if (code > (process.exitCode === undefined ? 0 : Number(process.exitCode))) process.exitCode = code;
    },
  };
}

/** `<package>/examples` next to the launcher that started this process (bin/moeplan.js), if it exists. */
function shippedExamples(): string | undefined {
  const launcher = process.argv[1];
  if (!launcher) return undefined;
  try {
    const dir = join(dirname(realpathSync(launcher)), '..', 'examples');
    return existsSync(join(dir, 'plans')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Buffered writer for large outputs (batch mode): collects text and hands it to the
 * stream in chunks of about 64 KiB, and bytes as they come. Once a write finds the stream
 * full, every call returns the promise of its 'drain' until it comes: whoever writes next
 * can wait (back-pressure, however the output was written).
 */
export class BufferedWriter {
  private buffer = '';
  private drained: Promise<void> | undefined;
  constructor(
    private readonly stream: OutStream,
    private readonly limit = 1 << 16,
  ) {}

  /** Append text; returns a promise only when the buffer was flushed and the stream is full. */
  write(text: string): Promise<void> | undefined {
    this.buffer += text;
    if (this.buffer.length >= this.limit) return this.flush();
    return undefined;
  }

  /** Write bytes after the text so far; a promise when the stream is full. */
  writeBytes(bytes: Uint8Array): Promise<void> | undefined {
    this.flush();
    return this.send(bytes);
  }

  /** Hand the text so far to the stream; a promise when the stream is full. */
  flush(): Promise<void> | undefined {
    if (this.buffer === '') return this.drained;
    const chunk = this.buffer;
    this.buffer = '';
    return this.send(chunk);
  }

  private send(chunk: string | Uint8Array): Promise<void> | undefined {
    const ok = this.stream.write(chunk);
    const stream = this.stream;
    if (ok === false && stream.once && this.drained === undefined) {
      this.drained = new Promise((resolve) => {
        stream.once?.('drain', () => {
          this.drained = undefined;
          resolve();
        });
      });
    }
    return this.drained;
  }
}
