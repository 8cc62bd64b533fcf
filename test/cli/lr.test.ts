import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESET_LIST } from '../../src/core/laws/index.js';
import { runAtBatch } from '../../src/core/noise-scale.js';
import { json, relDiff, runCli } from '../helpers/cli.js';

describe('moeplan lr', () => {
  it('gives the shared and specialized rates, their ratio by name, and the side of the peak', async () => {
    const r = await runCli(['lr', '--batch', '4M', '--noise', '16M', '--lr-max', '3e-4', '--experts', '16']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2.4e-4');
    expect(r.stdout).toContain('7.385e-5');
    expect(r.stdout).toMatch(/specialized\/shared\s+0\.3077/);
    expect(r.stdout).toContain('below the peak');
    expect(r.stdout).not.toMatch(/\bratio\s+\d/i);
  });

  it('prints the required JSON fields as numbers, with the inputs resolved', async () => {
    const doc = json(await runCli(['lr', '--batch', '4M', '--noise', '16M', '--lr-max', '3e-4', '--experts', '16', '--json']));
    expect(doc.schemaVersion).toBe(1);
    expect(doc.inputs).toEqual({ batch: 4e6, noise: 16e6, lrMax: 3e-4, experts: 16 });
    expect(relDiff(doc.sharedLr as number, 2.4e-4)).toBeLessThan(1e-12);
    expect(relDiff(doc.specializedLr as number, (2 * 3e-4 * Math.sqrt(1 / 64)) / (1 + 1 / 64))).toBeLessThan(1e-12);
    expect(doc.specializedOverShared as number).toBeCloseTo(0.3077, 4);
    expect(doc.batchOverNoise).toBe(0.25);
    expect(doc.sharedSide).toBe('below');
    expect(doc.specializedBatch).toBe(250000);
  });

  it.each([
    [0.25, 0.3077],
    [1, 0.4706],
    [4, 1.0],
    [16, 2.125],
  ])('reproduces the spot value at x = %f through the CLI (%f)', async (x, expected) => {
    const doc = json(await runCli(['lr', '--batch', String(x * 16e6), '--noise', '16M', '--lr-max', '1e-3', '--experts', '16', '--json']));
    expect(doc.specializedOverShared as number).toBeCloseTo(expected, 4);
    expect((doc.specializedLr as number) / (doc.sharedLr as number)).toBeCloseTo(expected, 4);
  });

  it('gives εmax at B = Bnoise', async () => {
    const doc = json(await runCli(['lr', '--batch', '16M', '--noise', '16M', '--lr-max', '3e-4', '--json']));
    expect(doc.sharedLr).toBe(3e-4);
    expect(doc.sharedSide).toBe('at');
  });

  it('solves 0.31 under both readings, says which it used, and shows the other', async () => {
    const r = await runCli(['lr', '--target-ratio', '0.31', '--experts', '16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0.2602');
    expect(r.stdout).toContain('61.5');
    expect(r.stdout).toContain('specialized-over-shared');
    const down = json(await runCli(['lr', '--target-ratio', '0.31', '--experts', '16', '--json']));
    expect(down.batchOverNoise as number).toBeCloseTo(0.26, 3);
    const solve = down.solve as { reading: string; otherReading: { reading: string; batchOverNoise: number } };
    expect(solve.reading).toBe('specialized-over-shared');
    expect(solve.otherReading.reading).toBe('paper-literal');
    expect(solve.otherReading.batchOverNoise).toBeCloseTo(61.5, 1);
    const literal = json(
      await runCli(['lr', '--target-ratio', '0.31', '--experts', '16', '--reading', 'paper-literal', '--noise', '16M', '--lr-max', '3e-4', '--json']),
    );
    expect(literal.batchOverNoise as number).toBeCloseTo(61.5, 1);
    expect(relDiff(literal.batch as number, (literal.batchOverNoise as number) * 16e6)).toBeLessThan(1e-12);
    expect((literal.sharedLr as number) / (literal.specializedLr as number)).toBeCloseTo(0.31, 10);
    expect(literal.specializedOverShared as number).toBeGreaterThan(3);
  });

  it('round-trips: the rates at the solved batch have the target ratio', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0.3, max: 3.9, noNaN: true }), fc.constantFrom(8, 16, 64), async (target, experts) => {
        fc.pre(target > 1 / Math.sqrt(experts) + 1e-6 && target < Math.sqrt(experts) - 1e-6);
        const solved = json(await runCli(['lr', '--target-ratio', String(target), '--experts', String(experts), '--noise', '10M', '--json']));
        const back = json(await runCli(['lr', '--batch', String(solved.batch), '--noise', '10M', '--lr-max', '1e-3', '--experts', String(experts), '--json']));
        expect(relDiff(back.specializedOverShared as number, target)).toBeLessThan(1e-9);
      }),
      { seed: 41, numRuns: 20 },
    );
  });

  it('solves the noise scale when a batch and a target ratio are given', async () => {
    const doc = json(await runCli(['lr', '--target-ratio', '0.31', '--experts', '16', '--batch', '4M', '--json']));
    expect(relDiff(doc.noise as number, 4e6 / (doc.batchOverNoise as number))).toBeLessThan(1e-12);
  });

  it("takes the noise scale from a loss with Kaplan's Bcrit(L)", async () => {
    const doc = json(await runCli(['lr', '--batch', '4M', '--loss', '2', '--lr-max', '3e-4', '--json']));
    expect(doc.noiseSource).toBe('loss');
    expect(relDiff(doc.noise as number, 2e8 / 2 ** (1 / 0.21))).toBeLessThan(1e-12);
  });

  it('recovers a known noise scale from a runs file generated by the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-lr-'));
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 1e5, max: 1e8, noNaN: true }), fc.double({ min: 100, max: 1e5, noNaN: true }), async (noise, minSteps) => {
        const rows = [1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8].map((f) => {
          const batch = f * noise;
          const run = runAtBatch(batch, noise, minSteps);
          return `${batch},${run.steps},${run.examples}`;
        });
        const file = join(dir, 'runs.csv');
        writeFileSync(file, `batch,steps,examples\n${rows.join('\n')}\n`);
        const doc = json(await runCli(['lr', '--noise-from', file, '--json']));
        expect(relDiff(doc.noise as number, noise)).toBeLessThan(1e-6);
        const fit = doc.noiseFit as { minSteps: number; rSquared: number; runs: number };
        expect(relDiff(fit.minSteps, minSteps)).toBeLessThan(1e-6);
        expect(fit.rSquared).toBeGreaterThan(0.999999);
        expect(fit.runs).toBe(7);
      }),
      { seed: 42, numRuns: 15 },
    );
  });

  it('fits the shipped example runs (JSON Lines works too, and examples may be left out)', async () => {
    const csv = json(await runCli(['lr', '--noise-from', 'examples/lr/runs.csv', '--batch', '2M', '--lr-max', '1e-3', '--experts', '16', '--json']));
    expect(relDiff(csv.noise as number, 1e6)).toBeLessThan(0.1);
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-lr-'));
    const file = join(dir, 'runs.jsonl');
    writeFileSync(file, [1e6, 2e6, 4e6].map((b) => JSON.stringify({ batch: b, steps: runAtBatch(b, 2e6, 1000).steps })).join('\n'));
    const jsonl = json(await runCli(['lr', '--noise-from', file, '--json']));
    expect(relDiff(jsonl.noise as number, 2e6)).toBeLessThan(1e-9);
  });

  it("shows DeepSeek's Bopt and ηopt at a budget, and says once when that is extrapolation", async () => {
    const r = await runCli(['lr', '--batch', '4M', '--noise', '16M', '--lr-max', '3e-4', '--experts', '16', '--flops', '3.5e24', '--json']);
    const d = json(r).deepseek as { batch: number; lr: number; extrapolation: boolean };
    expect(relDiff(d.batch, 0.292 * 3.5e24 ** 0.3271)).toBeLessThan(1e-12);
    expect(relDiff(d.lr, 0.3118 * 3.5e24 ** -0.125)).toBeLessThan(1e-12);
    expect(d.extrapolation).toBe(true);
    expect(r.stderr).toBe('');
    const text = await runCli(['lr', '--flops', '3.5e24']);
    // On the law's row with its fitted range, not repeated on stderr.
    expect(text.stdout).toMatch(/ηopt · deepseek .*; extrapolation \(fitted on C 1e17–3e20 FLOPs\)/);
    expect(text.stdout.match(/extrapolation/g)).toHaveLength(1);
    expect(text.stderr).toBe('');
    const inRange = await runCli(['lr', '--flops', '1e20', '--json']);
    expect(inRange.stderr).toBe('');
    expect((json(inRange).deepseek as { extrapolation: boolean }).extrapolation).toBe(false);
  });

  it('evaluates batch rows, with an error row for a bad one', async () => {
    const stdin = 'batch,noise,experts\n4M,16M,16\n16M,16M,16\n-1,16M,16\n';
    const r = await runCli(['lr', '--input', '-', '--lr-max', '3e-4'], { stdin });
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('specialized_over_shared');
    expect(lines[1]).toContain(',3.076923076923077e-1,');
    expect(lines[3]).toMatch(/^4,.*line 4: batch: -1 is out of range/);
    const jsonl = await runCli(['lr', '--input', '-', '--json', '--lr-max', '3e-4'], {
      stdin: '{"batch":"4M","noise":"16M","experts":16}\n{"target-ratio":0.31,"experts":16}\n',
    });
    expect(jsonl.code).toBe(0);
    const rows = jsonl.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[0].specializedOverShared).toBeCloseTo(0.3077, 4);
    expect(rows[1].batchOverNoise).toBeCloseTo(0.26, 3);
  });

  it.each([
    [['--batch', '4M', '--lr-max', '3e-4'], '--noise'],
    [['--batch', '4M', '--noise', '16M', '--loss', '2', '--lr-max', '3e-4'], '--loss'],
    [['--batch', '-4M', '--noise', '16M', '--lr-max', '3e-4'], '--batch'],
    [['--batch', '4M', '--noise', '16M', '--lr-max', '3e-4', '--experts', '2.5'], '--experts'],
    [['--batch', '4M', '--noise', '16M', '--lr-max', '3e-4', '--experts', '4', '--top-k', '5'], '--top-k'],
    [['--target-ratio', '0.31'], '--experts'],
    [['--target-ratio', '0.1', '--experts', '16'], 'ranges only over'],
    [['--target-ratio', '0.31', '--experts', '16', '--reading', 'backwards'], '--reading'],
    [['--noise-from', 'no-such-file.csv'], '--noise-from'],
    [[], '--batch'],
  ])('rejects %j naming %s, exit 2, no stack', async (args, flag) => {
    const r = await runCli(['lr', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('starts its help with pasteable examples', async () => {
    const r = await runCli(['lr', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimStart()).toMatch(/^Usage: moeplan lr \[options\]\s+Examples:\s+\$ moeplan lr --batch 4M --noise 16M --lr-max 3e-4 --experts 16/);
  });

  it('names the runs file and line for a bad row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-lr-'));
    const short = join(dir, 'short.csv');
    writeFileSync(short, 'batch,steps,examples\n1M,100\n');
    const r = await runCli(['lr', '--noise-from', short]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--noise-from .*short\.csv: line 2/);
    const unknown = join(dir, 'unknown.csv');
    writeFileSync(unknown, 'batch,steps,loss\n1M,100,3\n');
    expect((await runCli(['lr', '--noise-from', unknown])).stderr).toMatch(/unknown column "loss"/);
  });

  it('rejects runs that give no positive noise scale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-lr-'));
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'batch,steps,examples\n1M,100,1e8\n2M,200,4e8\n');
    const r = await runCli(['lr', '--noise-from', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--noise-from .*non-negative slope/);
  });

  describe('batch-size and learning-rate laws', () => {
    it("lr --law steplaw --params 52B --tokens 7T: Step Law's rate and batch, worked by hand", async () => {
      const doc = json(await runCli(['lr', '--law', 'steplaw', '--params', '52B', '--tokens', '7T', '--json']));
      const step = (doc.laws as Record<string, number>[])[0] as Record<string, number>;
      expect(step.law).toBe('steplaw');
      expect(relDiff(step.lr as number, 1.79 * 52e9 ** -0.713 * 7e12 ** 0.307)).toBeLessThan(1e-12);
      expect(relDiff(step.batch as number, 0.58 * 7e12 ** 0.571)).toBeLessThan(1e-12);
      expect(step.extrapolation).toBe(true);
      // laws.md §5 worked example through the CLI: N = 1e9, D = 1e11.
      const worked = json(await runCli(['lr', '--law', 'steplaw', '--params', '1e9', '--tokens', '1e11', '--json']));
      const w = (worked.laws as Record<string, number>[])[0] as Record<string, number>;
      expect((w.lr as number) / 1.6325e-3).toBeCloseTo(1, 4);
      expect((w.batch as number) / 1.10771e6).toBeCloseTo(1, 4);
      expect(w.extrapolation).toBe(false);
    });

    it("uses DeepSeek's Bopt and ηopt (laws.md §6: C = 1e20 → 1.01714e6 tokens, 9.86e-4)", async () => {
      const doc = json(await runCli(['lr', '--law', 'deepseek', '--flops', '1e20', '--json']));
      const d = (doc.laws as Record<string, number>[])[0] as Record<string, number>;
      expect((d.batch as number) / 1.01714e6).toBeCloseTo(1, 4);
      expect((d.lr as number) / 9.86e-4).toBeCloseTo(1, 3);
    });

    it('shows where your batch and rate stand against each law', async () => {
      const r = await runCli(['lr', '--batch', '16M', '--lr', '3e-4', '--params', '52B', '--tokens', '7T', '--json']);
      const laws = json(r).laws as Record<string, number | string>[];
      expect(laws.map((l) => l.law)).toEqual(['deepseek', 'steplaw']);
      const [deepseek, step] = laws as Record<string, number>[];
      // DeepSeek's C from N and D under its compute model, 6·N·D.
      expect(relDiff(deepseek?.flops as number, 6 * 52e9 * 7e12)).toBeLessThan(1e-12);
      expect(relDiff(deepseek?.batchOverLaw as number, 16e6 / (0.292 * (6 * 52e9 * 7e12) ** 0.3271))).toBeLessThan(1e-12);
      expect(relDiff(step?.lrOverLaw as number, 3e-4 / (1.79 * 52e9 ** -0.713 * 7e12 ** 0.307))).toBeLessThan(1e-12);
      const text = await runCli(['lr', '--batch', '16M', '--lr', '3e-4', '--params', '52B', '--tokens', '7T']);
      expect(text.stdout).toMatch(/Bopt · steplaw\s+12\.53M tokens.*your B is 1\.28× this/);
      expect(text.stdout).toMatch(/ηopt · steplaw\s+3\.596e-4.*your rate is 0\.834× this/);
      expect(text.stdout).toMatch(/ηopt · steplaw .*; extrapolation/);
      expect(text.stderr).toBe('');
    });

    it('--help lists the presets with a batch-size or learning-rate law, from the registry', async () => {
      const help = (await runCli(['lr', '--help'])).stdout.replace(/\s+/g, ' ');
      const names = PRESET_LIST.filter((law) => law.batchSize || law.learningRate).map((law) => law.name);
      expect(names.length).toBeGreaterThan(1);
      expect(help).toContain(`laws to compare with: ${names.join(', ')} (comma-separated`);
    });

    it('says that a law made for dense models reads N as an approximation for an MoE, and only then', async () => {
      const args = ['lr', '--law', 'deepseek,steplaw', '--params', '52B', '--tokens', '7T'];
      const note = /^ {2}(\S+) was fitted on dense models; for an MoE its N is taken as the activated non-embedding parameters, an approximation\.$/gm;
      const moe = await runCli([...args, '--batch', '16M', '--noise', '64M', '--experts', '16']);
      expect(moe.code, moe.stderr).toBe(0);
      // DeepSeek's laws follow C, not N: no note for it
      expect([...moe.stdout.matchAll(note)].map((m) => m[1])).toEqual(['steplaw']);
      const dense = await runCli(args);
      expect(dense.stdout).not.toMatch(note);
    });

    it('batch mode: Step Law columns for rows with params and tokens', async () => {
      const r = await runCli(['lr', '--input', '-', '--law', 'steplaw'], { stdin: 'params,tokens\n1e9,1e11\n' });
      const [header, row] = r.stdout.trim().split('\n');
      const cols = (header as string).split(',');
      const values = (row as string).split(',');
      expect(Number(values[cols.indexOf('steplaw_lr')]) / 1.6325e-3).toBeCloseTo(1, 4);
      expect(Number(values[cols.indexOf('steplaw_batch')]) / 1.10771e6).toBeCloseTo(1, 4);
    });

    it('--lr-max is optional for the ratio of the expert rates', async () => {
      const doc = json(await runCli(['lr', '--batch', '4M', '--noise', '16M', '--experts', '16', '--json']));
      expect(doc.sharedLr).toBeUndefined();
      expect(doc.specializedOverShared as number).toBeCloseTo(0.3077, 4);
      const r = await runCli(['lr', '--batch', '4M', '--noise', '16M', '--experts', '16']);
      expect(r.stdout).toMatch(/specialized\/shared\s+0\.3077/);
      expect(r.stdout).toContain('give --lr-max for the rates themselves');
    });

    it('--config: experts, top-k and the shared expert from the model; a shared expert only when there is one', async () => {
      const hunyuan = json(await runCli(['lr', '--config', 'examples/configs/hunyuan-large.json', '--batch', '4M', '--noise', '16M', '--json']));
      expect(hunyuan).toMatchObject({ experts: 16, topK: 1, sharedExperts: 1 });
      expect(hunyuan.specializedOverShared as number).toBeCloseTo(0.3077, 4);
      const mixtral = await runCli(['lr', '--config', 'examples/configs/mixtral-8x7b.json', '--batch', '4M', '--noise', '16M', '--lr-max', '3e-4']);
      expect(mixtral.code).toBe(0);
      expect(mixtral.stdout).toContain('top-2 routing, no shared expert');
      expect(mixtral.stdout).not.toMatch(/shared expert rate|one shared expert|specialized\/shared/i);
      const m = json(await runCli(['lr', '--config', 'examples/configs/mixtral-8x7b.json', '--batch', '4M', '--noise', '16M', '--json']));
      expect(m).toMatchObject({ experts: 8, topK: 2, sharedExperts: 0 });
      // B·k/n = 1M: specialized/rest = εopt(1M)/εopt(4M) with Bnoise 16M, worked by hand.
      const eps = (b: number) => 2 / (Math.sqrt(16e6 / b) + Math.sqrt(b / 16e6));
      expect(relDiff(m.specializedOverShared as number, eps(1e6) / eps(4e6))).toBeLessThan(1e-12);
      const withShared = await runCli(['lr', '--config', 'examples/configs/hunyuan-large.json', '--batch', '4M', '--noise', '16M']);
      expect(withShared.stdout).toContain('plus one shared expert');
    });

    it.each([
      [['--law', 'steplaw', '--tokens', '7T', '--batch', '4M', '--noise', '16M', '--law', 'hunyuan'], '--law'],
      [['--law', 'steplaw'], '--params'],
      [['--config', 'examples/configs/llama-3-8b.json', '--batch', '4M', '--noise', '16M'], 'dense model'],
      [['--config', 'examples/configs/hunyuan-large.json', '--experts', '8', '--batch', '4M', '--noise', '16M'], 'not both'],
    ])('%j: says what is wrong', async (args, message) => {
      const r = await runCli(['lr', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    });
  });
});

describe('one spelling of top-k', () => {
  it('--top-k, with --topk kept as an older spelling; JSON says topK', async () => {
    const base = ['lr', '--batch', '4M', '--noise', '16M', '--lr-max', '3e-4', '--experts', '16', '--json'];
    const now = await runCli([...base, '--top-k', '2']);
    const old = await runCli([...base, '--topk', '2']);
    expect(now.code, now.stderr).toBe(0);
    expect(old.stdout).toBe(now.stdout);
    expect(JSON.parse(now.stdout)).toMatchObject({ topK: 2 });
    const both = await runCli([...base, '--top-k', '2', '--topk', '2']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--top-k or --topk, not both/);
    const help = await runCli(['lr', '--help']);
    expect(help.stdout).toMatch(/--top-k/);
    expect(help.stdout).not.toMatch(/--topk/);
  });
});
