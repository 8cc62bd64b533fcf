import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { json, runCli } from '../helpers/cli.js';

describe('moeplan laws', () => {
  it('lists every preset with constants, budget reading and source', async () => {
    const r = await runCli(['laws']);
    expect(r.code).toBe(0);
    for (const name of ['hunyuan (default)', 'chinchilla', 'chinchilla-epoch', 'kaplan', 'deepseek', 'dense']) expect(r.stdout).toContain(name);
    expect(r.stdout).toContain('Nopt = 5.9e-3·Cmin^0.5305, Dopt = 3.2·Cmin^0.5');
    expect(r.stdout).toContain('PF-days');
    expect(r.stdout).toMatch(/M = non-embedding FLOPs per token \(an approximation\)/);
    expect(r.stdout).toContain('arXiv 2203.15556');
  });

  it('prints the laws as data with --json, in the shape a law file has', async () => {
    const doc = json(await runCli(['laws', 'deepseek', '--json']));
    const [law] = doc.laws as Record<string, unknown>[];
    expect(law).toMatchObject({ name: 'deepseek', batchSize: { coefficient: 0.292, exponent: 0.3271 } });
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-laws-'));
    writeFileSync(join(dir, 'copy.json'), JSON.stringify({ ...law, name: 'copy' }));
    const again = await runCli(['laws', 'copy.json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Mopt = 0.1715·C^0.5243');
  });

  it('rejects an unknown name with exit code 2', async () => {
    const r = await runCli(['laws', 'chinchila']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown law "chinchila"/);
  });
});

describe.runIf(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))))('the built binary, law loading', () => {
  // A module hook that lists every file the process loads, on stderr.
  const hooks = mkdtempSync(join(tmpdir(), 'moeplan-hooks-'));
  writeFileSync(
    join(hooks, 'hooks.mjs'),
    [
      'export async function load(url, context, next) {',
      '  if (url.startsWith("file:")) process.stderr.write("[load] " + url + "\\n");',
      '  return next(url, context);',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(join(hooks, 'register.mjs'), 'import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n');
  const loaded = (args: string[]) => {
    const bin = fileURLToPath(new URL('../../bin/moeplan.js', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', join(hooks, 'register.mjs'), bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    return r.stderr.split('\n').filter((line) => line.startsWith('[load] '));
  };

  it('never loads the law-file schema (zod) for a preset name, and does for a law file', () => {
    expect(loaded(['optimal', '--cmin', '1e20', '--law', 'kaplan']).filter((f) => /law-schema|zod/.test(f))).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-lazy-'));
    writeFileSync(join(dir, 'law.json'), JSON.stringify({ name: 'x', source: 's', compute: { paramsTokens: 6, tokens: 0 } }));
    expect(loaded(['laws', join(dir, 'law.json')]).some((f) => /law-schema/.test(f))).toBe(true);
  });
});
