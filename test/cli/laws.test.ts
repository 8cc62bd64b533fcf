import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli } from '../helpers/cli.js';
import { built, distFilesLoaded } from '../helpers/loaded.js';

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

describe('the built binary, law loading', () => {
  const loaded = (args: string[]) => {
    expect(built, 'npm run build first').toBe(true);
    return distFilesLoaded(args).files;
  };

  it('never loads the law-file schema (zod) for a preset name, and does for a law file', () => {
    expect(loaded(['optimal', '--cmin', '1e20', '--law', 'kaplan']).filter((f) => /law-schema|zod/.test(f))).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-lazy-'));
    writeFileSync(join(dir, 'law.json'), JSON.stringify({ name: 'x', source: 's', compute: { paramsTokens: 6, tokens: 0 } }));
    expect(loaded(['laws', join(dir, 'law.json')]).some((f) => /law-schema/.test(f))).toBe(true);
  });
});
