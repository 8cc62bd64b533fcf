/**
 * The build: the exact commander it patches, and one command file per entry of the
 * command list (the list is where the build finds them).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commands/index.js';
import { built } from './helpers/loaded.js';

const REPO = process.cwd();
const json = (path: string) => JSON.parse(readFileSync(join(REPO, path), 'utf8'));

it('pins commander to one exact version, installed and locked as pinned (the build patches its source)', () => {
  const pinned = json('package.json').dependencies.commander as string;
  expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  expect(json('node_modules/commander/package.json').version).toBe(pinned);
  const lock = json('package-lock.json');
  expect(lock.packages['']?.dependencies?.commander).toBe(pinned);
  expect(lock.packages['node_modules/commander']?.version).toBe(pinned);
});

it('builds one command file per entry of the command list, and no other', () => {
  expect(built, 'npm run build first').toBe(true);
  const files = readdirSync(join(REPO, 'dist/commands')).filter((file) => file.endsWith('.cjs'));
  expect(files.map((file) => file.slice(0, -4)).sort()).toEqual(COMMANDS.map((entry) => entry.name).sort());
  const cli = readFileSync(join(REPO, 'dist/cli.cjs'), 'utf8');
  for (const { name } of COMMANDS) expect(cli).toContain(`require("./commands/${name}.cjs")`);
});

it("bundles no command into another command's file (shared pieces live in src/cli/)", () => {
  expect(built, 'npm run build first').toBe(true);
  const meta = json('dist/cli.meta.json') as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  for (const { name } of COMMANDS) {
    const inputs = Object.keys(meta.outputs[`dist/commands/${name}.cjs`]?.inputs ?? {});
    expect(inputs).toContain(`src/cli/commands/${name}.ts`);
    const others = inputs.filter((input) => input.startsWith('src/cli/commands/') && input !== `src/cli/commands/${name}.ts`);
    expect(others, name).toEqual([]);
  }
});
