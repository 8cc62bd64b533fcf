import type { Command } from 'commander';
import type { BatchSetup } from './batch.js';
import type { Context } from './context.js';

/**
 * One CLI command. Each lives in its own file under `commands/` and is listed in
 * `commands/index.ts`.
 */
export interface CommandDefinition {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Pasteable examples, shown first in `--help`: [command line, what it does]. */
  readonly examples: ReadonlyArray<readonly [string, string]>;
  /** Text shown after the options in `--help` (exit codes, notes). */
  readonly notes?: string;
  /** Add arguments and options (`--json`, `--no-color` are added for every command). */
  configure(command: Command): void;
  /**
   * For evaluation commands with batch mode: the batch set-up from the parsed options.
   * Worker threads of a parallel batch call it to evaluate rows exactly as `run` does.
   */
  batchSetup?(options: Record<string, unknown>, env: { readonly cwd: string }): Promise<BatchSetup>;
  /** Run it; resolve with the exit code. Throw `MoeplanError` for user errors. */
  run(options: Record<string, unknown>, args: readonly unknown[], ctx: Context): Promise<number>;
}
