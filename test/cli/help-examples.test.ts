/**
 * The examples every help page starts from are pasteable: each one that needs no file
 * outside the repository (and writes none) runs and exits 0, or 1 for a plan meant to fail.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { runCli, words } from '../helpers/cli.js';

async function examplesOf(args: string[]): Promise<string[]> {
  const r = await runCli(args);
  expect(r.code).toBe(0);
  return [...r.stdout.matchAll(/^ {2}\$ (moeplan .*)$/gm)].map((m) => m[1] as string);
}

function runnable(line: string): boolean {
  const args = words(line).slice(1);
  if (/[>|]/.test(line) || args.some((a) => a === '--out' || a === '--plot' || a === '-')) return false;
  // Every argument that names a file must exist here.
  return args.every((a) => !/\.(csv|jsonl|json|yaml|yml|svg)$/.test(a) || existsSync(a));
}

describe('help examples', () => {
  it('run as shown', async () => {
    const lines = [...(await examplesOf(['--help']))];
    for (const { name } of COMMANDS) lines.push(...(await examplesOf([name, '--help'])));
    const runs = lines.filter(runnable);
    expect(runs.length).toBeGreaterThan(30);
    for (const line of runs) {
      const r = await runCli(words(line).slice(1));
      expect([0, 1], `${line}\n${r.stderr}`).toContain(r.code);
      if (r.code === 1) expect(line).toMatch(/^moeplan check /);
    }
  });
});
