import type { Command } from 'commander';
import type { Context } from './context.js';

/**
 * An entry of the command list (`commands/index.ts`): what `moeplan --help` shows, and how
 * to load the command itself. Only the command that runs is loaded, so start-up does not
 * pay for the others.
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  load(): Promise<CommandDefinition>;
}

/** One CLI command. Each lives in its own file under `commands/`. */
export interface CommandDefinition {
  /** Pasteable examples, shown first in `--help`: [command line, what it does]. */
  readonly examples: ReadonlyArray<readonly [string, string]>;
  /** Text shown after the options in `--help` (exit codes, notes). */
  readonly notes?: string;
  /** What exit code 1 means for this command, if it has a failure of its own (`a check failed`). */
  readonly failure?: string;
  /** Add arguments and options (`--json`, `--no-color` are added for every command). */
  configure(command: Command): void;
  /** Run it; resolve with the exit code. Throw `MoeplanError` for user errors. */
  run(options: Record<string, unknown>, args: readonly unknown[], ctx: Context): Promise<number>;
}
