import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, relDiff, runCli } from '../helpers/cli.js';

describe('moeplan cmin', () => {
  it('computes Cmin = C / (1 + B/Bcrit) with labelled rows', async () => {
    const r = await runCli(['cmin', '--flops', '3.49e24', '--batch', '32M', '--bcrit', '64M']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Minimum compute Cmin\s+2\.3267e24 FLOPs/);
    expect(r.stdout).toMatch(/B \/ Bcrit\s+0\.5/);
    expect(r.stdout).toMatch(/near critical/);
    expect(r.stderr).toBe('');
  });

  it('prints the SPEC JSON fields as numbers', async () => {
    const doc = json(await runCli(['cmin', '--flops', '3.49e24', '--batch', '32M', '--bcrit', '64M', '--json']));
    expect(doc).toMatchObject({ schemaVersion: 1, flops: 3.49e24, bcrit: 64e6, batch: 32e6, batchOverCritical: 0.5, computeOverMin: 1.5 });
    expect(relDiff(doc.cmin as number, 3.49e24 / 1.5)).toBeLessThan(1e-12);
    expect(doc.inputs).toEqual({ flops: 3.49e24, batch: 32e6, bcrit: 64e6 });
  });

  it('takes C from --params and --tokens (eq. 2) and reports S and Smin; Bcrit from --loss', async () => {
    const doc = json(await runCli(['cmin', '--params', '52B', '--tokens', '7T', '--batch', '32M', '--loss', '1.9', '--json']));
    expect(relDiff(doc.flops as number, 3.4924e24)).toBeLessThan(1e-4);
    const bcrit = 2e8 / 1.9 ** (1 / 0.21);
    expect(relDiff(doc.bcrit as number, bcrit)).toBeLessThan(1e-12);
    expect(doc.steps).toBe(7e12 / 32e6);
    expect(relDiff(doc.minSteps as number, 7e12 / 32e6 / (1 + bcrit / 32e6))).toBeLessThan(1e-12);
    expect(doc.bcritFrom).toBe('loss');
  });

  it("lets --b-star and --alpha-b override Kaplan's constants", async () => {
    const doc = json(await runCli(['cmin', '--flops', '1e24', '--batch', '4M', '--loss', '2', '--b-star', '2.1e8', '--alpha-b', '0.2', '--json']));
    expect(relDiff(doc.bcrit as number, 2.1e8 / 2 ** 5)).toBeLessThan(1e-12);
  });

  it("uses Kaplan's Bcrit(Cmin) law when --law kaplan has no --bcrit or --loss", async () => {
    const doc = json(await runCli(['cmin', '--flops', '1e21', '--batch', '1M', '--law', 'kaplan', '--json']));
    expect(doc.bcritFrom).toBe('law');
    expect(relDiff(doc.bcrit as number, 2e6 * ((doc.cmin as number) / 8.64e19) ** 0.24)).toBeLessThan(1e-9);
    expect(relDiff((doc.cmin as number) * (1 + 1e6 / (doc.bcrit as number)), 1e21)).toBeLessThan(1e-9);
  });

  it('names the flag in input errors (exit 2)', async () => {
    const missing = await runCli(['cmin', '--flops', '1e24', '--batch', '4M']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--bcrit.*--loss/);
    const both = await runCli(['cmin', '--flops', '1e24', '--batch', '4M', '--bcrit', '1M', '--loss', '2']);
    expect(both.code).toBe(2);
    const negative = await runCli(['cmin', '--flops', '1e24', '--batch', '-4M', '--bcrit', '1M']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toMatch(/--batch/);
    const noBatch = await runCli(['cmin', '--flops', '1e24', '--bcrit', '1M']);
    expect(noBatch.stderr).toMatch(/--batch is required/);
  });

  it('runs batch mode, one row per input row, errors per row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-cmin-'));
    writeFileSync(join(dir, 'runs.csv'), 'flops,batch,bcrit\n3.49e24,32M,64M\n1e24,oops,1M\n');
    const r = await runCli(['cmin', '--input', 'runs.csv'], { cwd: dir });
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^line,flops,batch,bcrit,cmin,/);
    expect(lines[1]).toMatch(/^2,3\.49e24,3\.2e7,6\.4e7,2\.326\d*e24,/);
    expect(lines[2]).toMatch(/^3,.*batch/);
  });

  it('takes the compute from the hardware in place of --flops, and says so', async () => {
    const r = await runCli(['cmin', '--gpu', 'h100', '--gpus', '2048', '--days', '60', '--mfu', '40%', '--batch', '16M', '--bcrit', '8M']);
    expect(r.stdout).toMatch(/Accelerators\s+2048 × H100.*40% MFU, 60 days/);
    expect(r.stdout).toMatch(/Compute C\s+4\.2e24 FLOPs\s+from --days/);
    const doc = json(await runCli(['cmin', '--gpu', 'h100', '--gpus', '2048', '--days', '60', '--mfu', '40%', '--batch', '16M', '--bcrit', '8M', '--json']));
    const c = 2048 * 60 * 86400 * 989e12 * 0.4;
    expect(relDiff(doc.cmin as number, c / 3)).toBeLessThan(1e-12);
    expect(doc.computeFrom).toBe('days');
    expect(doc.inputs).toMatchObject({ gpu: 'h100', gpus: 2048, mfu: 0.4, days: 60, batch: 16e6, bcrit: 8e6 });
  });
});
