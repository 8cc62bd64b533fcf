/**
 * Laws whose N is not activated parameters: every command labels N in the law's own
 * convention, and a plan (which states activated parameters) is not checked against a law
 * of total parameters.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'moeplan-conventions-'));

describe('N conventions of the laws', () => {
  it('budget and cmin label N as the law counts it', async () => {
    const krajewski = await runCli(['budget', '--params', '1e9', '--tokens', '1e10', '--law', 'krajewski'], { env: { NO_COLOR: '1' } });
    expect(krajewski.stdout).toMatch(/Params N \(total non-embedding\)\s+1B params/);
    const kaplan = await runCli(['cmin', '--params', '1e9', '--tokens', '1e10', '--batch', '1M', '--bcrit', '2M', '--law', 'kaplan'], {
      env: { NO_COLOR: '1' },
    });
    expect(kaplan.stdout).toMatch(/Params N \(non-embedding\)\s+1B params/);
    const hunyuan = await runCli(['budget', '--params', '52B', '--tokens', '7T'], { env: { NO_COLOR: '1' } });
    expect(hunyuan.stdout).toMatch(/Activated params N\s+52B params/);
  });

  it('refuses to check a plan of activated parameters against a law of total parameters (exit 2)', async () => {
    const plan = readFileSync('examples/plans/hunyuan-large.yaml', 'utf8').replace(/^law: hunyuan.*$/m, 'law: krajewski');
    writeFileSync(join(dir, 'plan.yaml'), plan);
    const r = await runCli(['check', 'plan.yaml'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(2);
    expect(`${r.stdout}${r.stderr}`).toMatch(/law krajewski counts N as total non-embedding parameters/);
  });
});

describe('optimal --config under a law of total parameters', () => {
  it("gives krajewski the config's total non-embedding count, with a note", async () => {
    const { parameterCountsFromConfig } = await import('../../src/io/model-config.js');
    const counts = await parameterCountsFromConfig('examples/configs/hunyuan-large.json', process.cwd());
    const r = await runCli(['optimal', '--config', 'examples/configs/hunyuan-large.json', '--law', 'krajewski', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { params: number; notes: string[] };
    expect(doc.params).toBe(counts.totalNonEmbeddingParams);
    expect(doc.params).not.toBe(counts.activatedParams);
    expect(doc.notes.join(' ')).toMatch(/total non-embedding parameters \(every expert\)/);
  });
});
