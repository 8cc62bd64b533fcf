/**
 * Shared by the hostile-input corpus and the fuzz tests: a sandbox directory with the
 * example files, the CLI's invariants, and a record of every JSON document the CLI
 * serialises (to see non-finite numbers, which JSON.stringify would print as null).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { expect } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { type CliResult, runCli } from '../helpers/cli.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(REPO, 'test/fixtures/hostile');

/**
 * A scratch directory holding a copy of examples/ and a few valid inputs, used as the
 * working directory of fuzzed runs: whatever a run writes (fit --out, --plot) lands here.
 */
export function sandbox(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `moeplan-${prefix}-`));
  cpSync(join(REPO, 'examples'), join(dir, 'examples'), { recursive: true });
  writeFileSync(join(dir, 'grid.csv'), 'params,tokens\n52B,7T\n1B,20B\n');
  writeFileSync(join(dir, 'runs.csv'), 'flops,batch,bcrit\n3.49e24,32M,64M\n1e21,1M,2M\n');
  writeFileSync(join(dir, 'budgets.csv'), 'cmin\n1e20\n3.1e24\n');
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128, vocab_size: 1000 }),
  );
  writeFileSync(join(dir, 'plan.yaml'), 'model: { activatedParams: 52B }\ntraining: { tokens: 7T }\nlimits: { flops: { max: 4e24 } }\n');
  return dir;
}

/** Numbers that are not finite, found in the JSON documents written during `record`. */
const nonFinite: string[] = [];
let recording = false;
const stringify = JSON.stringify;

function findNonFinite(value: unknown, path: string, depth = 0): void {
  if (depth > 50) return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) nonFinite.push(`${path} = ${value}`);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) findNonFinite(value[i], `${path}[${i}]`, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) findNonFinite(item, `${path}.${key}`, depth + 1);
  }
}

JSON.stringify = ((value: unknown, ...rest: Parameters<typeof JSON.stringify> extends [unknown, ...infer R] ? R : never) => {
  if (recording && value !== null && typeof value === 'object' && 'schemaVersion' in value) findNonFinite(value, '$');
  return (stringify as (v: unknown, ...r: unknown[]) => string)(value, ...rest);
}) as typeof JSON.stringify;

/** Run the CLI in-process; `nonFinite` lists every NaN or ±Infinity it put into a JSON document. */
export async function runRecorded(argv: readonly string[], options: Parameters<typeof runCli>[1] = {}): Promise<CliResult & { nonFinite: string[] }> {
  nonFinite.length = 0;
  recording = true;
  try {
    const result = await runCli(argv, options);
    return { ...result, nonFinite: [...nonFinite] };
  } finally {
    recording = false;
  }
}

/** A line of a JavaScript stack trace. */
export const STACK_LINE = /^\s+at .+(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/**
 * The invariants of every run: exit code 0, 1 or 2; no stack trace or internal error on
 * stderr; an error says `error:` (or is commander's usage message); with `--json`, stdout
 * is one JSON document, or one per line in batch mode; no non-finite number in JSON.
 */
export function expectSane(argv: readonly string[], r: CliResult & { nonFinite?: string[] }): void {
  const context = `moeplan ${argv.map((a) => (a.length > 80 ? `${a.slice(0, 77)}...` : a)).join(' ')}\nstdout: ${r.stdout.slice(0, 400)}\nstderr: ${r.stderr.slice(0, 1000)}`;
  expect([0, 1, 2], context).toContain(r.code);
  expect(r.stderr, context).not.toMatch(STACK_LINE);
  expect(r.stderr, context).not.toMatch(/internal error/);
  // An error is explained: on stderr, or in the report check prints (GitHub annotations are on stdout).
  if (r.code === 2) expect(`${r.stderr}${r.stdout}`.trim().length, `exit 2 without a message\n${context}`).toBeGreaterThan(0);
  expect(r.nonFinite ?? [], context).toEqual([]);
  const help = argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V' || a === 'help');
  const json = !help && argv.includes('--json') && !argv.includes('--');
  if (json && (r.code !== 2 || r.stdout !== '')) {
    if (argv.includes('--input')) {
      for (const line of r.stdout.split('\n').filter((l) => l !== '')) expect(() => JSON.parse(line), context).not.toThrow();
    } else if (r.stdout !== '') {
      expect(() => JSON.parse(r.stdout), context).not.toThrow();
    }
  }
}

/** One option of a command, as commander declares it. */
export interface OptionInfo {
  readonly flag: string;
  readonly takesValue: boolean;
}

/** A command definition as the tests need it (the command list may hold loaders). */
interface Definition {
  readonly name: string;
  readonly examples: ReadonlyArray<readonly [string, string]>;
  configure(command: Command): void;
}

/** Every command's definition, whether the list holds definitions or loaders of them. */
export async function definitions(): Promise<Definition[]> {
  const entries = COMMANDS as unknown as ReadonlyArray<{ name: string; load?: () => Promise<Omit<Definition, 'name'>> }>;
  return Promise.all(entries.map(async (entry) => (entry.load ? { ...(await entry.load()), name: entry.name } : (entry as unknown as Definition))));
}

/** One option of a command, as commander declares it. */
export interface OptionInfo {
  readonly flag: string;
  readonly takesValue: boolean;
}

/** Options and positional arguments of each command, read from their definitions. */
export function commandOptions(defs: readonly Definition[]): Map<string, { options: OptionInfo[]; args: number }> {
  const map = new Map<string, { options: OptionInfo[]; args: number }>();
  for (const definition of defs) {
    const command = new Command(definition.name);
    definition.configure(command);
    map.set(definition.name, {
      options: command.options.map((o) => ({ flag: o.long ?? o.flags, takesValue: o.required || o.optional })),
      args: command.registeredArguments.length,
    });
  }
  return map;
}

/** The pasteable example lines of every command, split into argv (quotes removed). */
export function exampleArgvs(defs: readonly Definition[]): string[][] {
  const lines = defs.flatMap((c) => c.examples.map(([line]) => line));
  return lines.filter((line) => !/[<>|]/.test(line)).map((line) => (line.match(/"[^"]*"|\S+/g) ?? []).map((word) => word.replace(/^"|"$/g, '')).slice(1));
}
