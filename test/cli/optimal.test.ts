import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESET_LIST } from '../../src/core/laws/index.js';
import { parameterCountsFromConfig } from '../../src/io/model-config.js';
import { json, relDiff, runCli } from '../helpers/cli.js';

// The presets with a compute-optimal allocation, in registry order (--law all lists these).
const PRESET_NAMES = PRESET_LIST.filter((law) => law.allocation !== undefined).map((law) => law.name);

describe('moeplan optimal', () => {
  it('gives Nopt ≈ 58.1B and Dopt ≈ 5.6T at Cmin 3.1e24 with closure and an extrapolation warning', async () => {
    const r = await runCli(['optimal', '--cmin', '3.1e24']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Optimal params Nopt\s+58\.01B params/);
    expect(r.stdout).toMatch(/Optimal tokens Dopt\s+5\.634T tokens/);
    expect(r.stdout).toMatch(/Closure C\(N,D\) \/ Cmin\s+1\.012/);
    expect(r.stdout).toMatch(/Fitted range\s+1e18–1e21 FLOPs\s+Cmin; this budget is outside it: extrapolation/);
    // Said once: on the row, not again as a note nor on stderr.
    expect(r.stdout.match(/extrapolation/g)).toHaveLength(1);
    expect(r.stderr).toBe('');
  });

  it("hides the allocation's extrapolation note by its code, not by its words: a law's own note with the same words is shown", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-optimal-'));
    const law = {
      name: 'mine',
      source: 'hand-written',
      compute: { paramsTokens: 6, tokens: 0 },
      allocation: {
        kind: 'power',
        budget: 'cmin',
        budgetUnitFlops: 1,
        params: { coefficient: 0.1, exponent: 0.5 },
        tokens: { coefficient: 1.6667, exponent: 0.5 },
        closureNote: 'outside the fitted range of its authors, a guess',
      },
      fittedRange: { cmin: [1e18, 1e22] },
    };
    writeFileSync(join(dir, 'law.json'), JSON.stringify(law));
    for (const cmin of ['1e20', '1e24']) {
      const r = await runCli(['optimal', '--cmin', cmin, '--law', 'law.json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('· outside the fitted range of its authors, a guess');
      expect(r.stdout).not.toMatch(/· .*FLOPs is outside the fitted range/);
      expect(r.stderr).toBe('');
    }
    const doc = json(await runCli(['optimal', '--cmin', '1e24', '--law', 'law.json', '--json'], { cwd: dir }));
    expect(doc.notes).toContain('1e24 FLOPs is outside the fitted range 1e18–1e22: extrapolation');
    expect(doc.notes).toContain('outside the fitted range of its authors, a guess');
    expect(doc).not.toHaveProperty('messages');
  });

  it('prints the SPEC JSON fields; extrapolation off inside the fitted range', async () => {
    const r = await runCli(['optimal', '--cmin', '1e20', '--json']);
    expect(r.stderr).toBe('');
    const doc = json(r);
    expect(doc).toMatchObject({ schemaVersion: 1, law: 'hunyuan', cmin: 1e20, extrapolation: false, paramsMeaning: 'activated' });
    expect(relDiff(doc.params as number, 5.9e-3 * 1e20 ** 0.5305)).toBeLessThan(1e-12);
    expect(relDiff(doc.tokens as number, 3.2e10)).toBeLessThan(1e-12);
    expect(typeof doc.closure).toBe('number');
    const far = json(await runCli(['optimal', '--cmin', '3e24', '--json']));
    expect(far.extrapolation).toBe(true);
  });

  it('--law all prints one readable table of the presets with an allocation (no dense) and a laws array', async () => {
    const r = await runCli(['optimal', '--cmin', '3.1e24', '--law', 'all']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((line) => PRESET_NAMES.some((n) => line.trimStart().startsWith(`${n} `)));
    expect(rows.map((line) => line.trim().split(/\s+/)[0])).toEqual(PRESET_NAMES);
    expect(r.stdout).toMatch(/law\s+budget \(FLOPs\)\s+Nopt\s+Dopt/);
    expect(r.stdout).not.toMatch(/\bdense\b/);
    for (const law of PRESET_LIST.filter((l) => l.allocation === undefined)) expect(r.stdout).not.toMatch(new RegExp(`^\\s*${law.name}\\s`, 'm'));
    expect(r.stdout).toMatch(/approximation/);
    const doc = json(await runCli(['optimal', '--cmin', '3.1e24', '--law', 'all', '--json']));
    const laws = doc.laws as Record<string, unknown>[];
    expect(laws.map((l) => l.law)).toEqual(PRESET_NAMES);
    for (const law of laws) {
      for (const field of ['cmin', 'params', 'tokens', 'closure']) expect(typeof law[field]).toBe('number');
      expect(typeof law.extrapolation).toBe('boolean');
      expect(law.cmin).toBe(3.1e24);
    }
    const chinchilla = laws[1] as Record<string, unknown>;
    expect(relDiff(chinchilla.params as number, 68.84e9)).toBeLessThan(1e-3);
    expect((laws[4] as { native: { approximate: boolean } }).native.approximate).toBe(true);
  });

  it('inverts: --params 52B gives the Cmin at which 52B is optimal and its tokens; --tokens likewise', async () => {
    const doc = json(await runCli(['optimal', '--params', '52B', '--json']));
    expect(doc.params).toBe(52e9);
    expect(relDiff(doc.cmin as number, (52e9 / 5.9e-3) ** (1 / 0.5305))).toBeLessThan(1e-12);
    expect(relDiff(doc.tokens as number, 3.2 * (doc.cmin as number) ** 0.5)).toBeLessThan(1e-12);
    const tokens = json(await runCli(['optimal', '--tokens', '5.6T', '--json']));
    expect(relDiff(tokens.cmin as number, 3.0625e24)).toBeLessThan(1e-12);
  });

  it('round-trips through the CLI for every preset', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PRESET_NAMES), fc.double({ min: 1e18, max: 1e26, noNaN: true }), async (law, cmin) => {
        const forward = json(await runCli(['optimal', '--cmin', String(cmin), '--law', law, '--json']));
        const back = json(await runCli(['optimal', '--params', String(forward.params), '--law', law, '--json']));
        expect(relDiff(back.cmin as number, cmin)).toBeLessThan(1e-9);
        expect(relDiff(back.tokens as number, forward.tokens as number)).toBeLessThan(1e-9);
      }),
      { seed: 31, numRuns: 25 },
    );
  });

  it('gets Cmin from --flops, --batch and --bcrit first, and gives laws of raw C the raw C', async () => {
    const doc = json(await runCli(['optimal', '--flops', '3.49e24', '--batch', '32M', '--bcrit', '64M', '--json']));
    expect(relDiff(doc.cmin as number, 3.49e24 / 1.5)).toBeLessThan(1e-12);
    expect(relDiff(doc.budgetFlops as number, 3.49e24)).toBeLessThan(1e-12);
    const all = json(await runCli(['optimal', '--flops', '3.49e24', '--batch', '32M', '--bcrit', '64M', '--law', 'all', '--json']));
    const chinchilla = (all.laws as Record<string, number>[])[1] as Record<string, number>;
    expect(chinchilla.budget).toBe(3.49e24);
    expect(relDiff(chinchilla.cmin as number, 3.49e24 / 1.5)).toBeLessThan(1e-12);
  });

  it('says once when --flops alone stands in for Cmin of a Cmin law, but not for a law of raw C', async () => {
    const hunyuan = await runCli(['optimal', '--flops', '1e20']);
    expect(hunyuan.stdout.match(/Cmin taken equal to C/g)).toHaveLength(1);
    expect(hunyuan.stderr).toBe('');
    const doc = json(await runCli(['optimal', '--flops', '1e20', '--json']));
    expect((doc.notes as string[]).filter((n) => n.includes('Cmin taken equal to C'))).toHaveLength(1);
    const several = await runCli(['optimal', '--flops', '1e20', '--law', 'hunyuan,chinchilla']);
    expect(several.stdout.match(/take Cmin equal to C/g)).toHaveLength(1);
    expect(several.stderr).toBe('');
    const chinchilla = await runCli(['optimal', '--flops', '1e20', '--law', 'chinchilla']);
    expect(chinchilla.stdout).not.toMatch(/Cmin taken equal to C/);
    expect(chinchilla.stderr).toBe('');
  });

  it("reproduces Chinchilla's check value: C = 5.76e23 gives N ≈ 3.22e10, D ≈ 2.98e12", async () => {
    const doc = json(await runCli(['optimal', '--flops', '5.76e23', '--law', 'chinchilla', '--json']));
    expect(relDiff(doc.params as number, 3.22e10)).toBeLessThan(5e-3);
    expect(relDiff(doc.tokens as number, 2.98e12)).toBeLessThan(5e-3);
  });

  it('accepts a law file and rejects a bad one with the field path and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-optimal-'));
    const law = {
      name: 'mine',
      source: 'hand-written',
      compute: { paramsTokens: 6, tokens: 0 },
      allocation: {
        kind: 'power',
        budget: 'cmin',
        budgetUnitFlops: 1,
        params: { coefficient: 0.1, exponent: 0.5 },
        tokens: { coefficient: 1.6667, exponent: 0.5 },
      },
      fittedRange: { cmin: [1e18, 1e22] },
    };
    writeFileSync(join(dir, 'law.json'), JSON.stringify(law));
    const ok = json(await runCli(['optimal', '--cmin', '1e20', '--law', 'law.json', '--json'], { cwd: dir }));
    expect(ok.law).toBe('mine');
    expect(ok.params).toBeCloseTo(1e9, 0);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...law, allocation: { ...law.allocation, params: { coefficient: 0.1, exponent: -0.5 } }, extra: 1 }));
    const bad = await runCli(['optimal', '--cmin', '1e20', '--law', './bad.json'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/allocation\.params\.exponent: must be between 0 and 1/);
    expect(bad.stderr).toMatch(/extra: unknown key/);
    expect(bad.stderr).not.toMatch(/at .*\.ts:/);
    expect(bad.stdout).toBe('');
  });

  it('says when there is no answer: a law without an allocation, or conflicting inputs', async () => {
    const dense = await runCli(['optimal', '--cmin', '1e22', '--law', 'dense']);
    expect(dense.code).toBe(2);
    expect(dense.stderr).toMatch(/no compute-optimal allocation/);
    const two = await runCli(['optimal', '--cmin', '1e22', '--params', '7B']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/only one of --cmin, --params/);
    const none = await runCli(['optimal']);
    expect(none.code).toBe(2);
    const batchOnly = await runCli(['optimal', '--flops', '1e22', '--batch', '4M']);
    expect(batchOnly.stderr).toMatch(/--batch needs --bcrit or --loss/);
  });

  it('runs batch mode for one law and counts extrapolated rows on stderr', async () => {
    const r = await runCli(['optimal', '--input', '-', '--json'], { stdin: '{"cmin":1e20}\n{"params":"52B"}\n{"cmin":-1}\n' });
    expect(r.code).toBe(2);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ line: 1, extrapolation: false, cmin: 1e20 });
    expect(rows[1]).toMatchObject({ line: 2, extrapolation: true, params: 52e9 });
    expect(rows[2]).toHaveProperty('error');
    expect(r.stderr).toMatch(/1 row lies outside/);
    const all = await runCli(['optimal', '--input', '-', '--law', 'all'], { stdin: 'cmin\n1e20\n' });
    expect(all.code).toBe(2);
  });

  it('batch under an MoE law: the granularity or expert count of each row and the parameter counts are columns', async () => {
    // Krajewski et al. 2024, Table 2: at 2.95e18 FLOPs, G = 8 (64 experts of about 100M activated).
    const fine = await runCli(['optimal', '--law', 'krajewski', '--input', '-'], { stdin: 'cmin\n2.95e18\n' });
    const [header, row] = fine.stdout.trim().split('\n');
    expect(header).toBe('line,cmin,params,tokens,granularity,activated_params,total_params,flops_of_allocation,closure,extrapolation,error');
    const cells = Object.fromEntries((header as string).split(',').map((name, i) => [name, row?.split(',')[i]]));
    expect(Number(cells.granularity)).toBe(8);
    expect(relDiff(Number(cells.activated_params), 100e6)).toBeLessThan(0.05);
    expect(Number(cells.total_params)).toBe(Number(cells.params)); // N counts every expert under this law
    // joint-moe with E given as a column: echoed as written, the total from N_act·(4 + 9E)/13.
    const joint = await runCli(['optimal', '--law', 'joint-moe', '--input', '-'], { stdin: 'cmin,experts\n1e21,8\n' });
    const [jointHeader, jointRow] = joint.stdout.trim().split('\n');
    expect(jointHeader).toBe('line,cmin,experts,params,tokens,activated_params,total_params,flops_of_allocation,closure,extrapolation,error');
    const jointCells = jointRow?.split(',') ?? [];
    expect(jointCells[2]).toBe('8');
    expect(relDiff(Number(jointCells[6]), (Number(jointCells[3]) * (4 + 9 * 8)) / 13)).toBeLessThan(1e-12);
    // Dense laws have none of these columns.
    const dense = await runCli(['optimal', '--input', '-'], { stdin: 'cmin\n1e21\n' });
    expect(dense.stdout.split('\n')[0]).toBe('line,cmin,params,tokens,flops_of_allocation,closure,extrapolation,error');
  });
});

describe('moeplan optimal --config', () => {
  const LLAMA = 'examples/configs/llama-3-8b.json';

  it("gives each law the config's parameters in its own convention", async () => {
    const counts = await parameterCountsFromConfig(LLAMA, process.cwd());
    expect(counts.activatedNonEmbeddingParams).toBeLessThan(counts.activatedParams);
    const hunyuan = json(await runCli(['optimal', '--config', LLAMA, '--json']));
    expect(hunyuan.params).toBe(counts.activatedParams);
    const kaplan = await runCli(['optimal', '--config', LLAMA, '--law', 'kaplan', '--json']);
    expect(json(kaplan).params).toBe(counts.activatedNonEmbeddingParams);
    expect(json(kaplan).notes).toEqual(expect.arrayContaining([expect.stringMatching(/non-embedding activated parameters, not all/)]));
    // The same as asking with --params directly.
    const direct = json(await runCli(['optimal', '--params', String(counts.activatedNonEmbeddingParams), '--law', 'kaplan', '--json']));
    expect(json(kaplan).cmin).toBe(direct.cmin);
    const all = json(await runCli(['optimal', '--config', LLAMA, '--law', 'all', '--json'])) as { laws: { law: string; params: number }[] };
    const byLaw = Object.fromEntries(all.laws.map((l) => [l.law, l.params]));
    expect(byLaw).toMatchObject({
      hunyuan: counts.activatedParams,
      chinchilla: counts.activatedParams,
      kaplan: counts.activatedNonEmbeddingParams,
      deepseek: counts.activatedNonEmbeddingParams,
    });
  });
});

describe('from GPUs to a plan', () => {
  // Worked by hand, independently of the code under test:
  //   C     = 2048 GPUs · 60 d · 86400 s/d · 989e12 FLOP/s · 0.4           = 4.2000187e24 FLOPs
  //   Bcrit = 2e8 / 1.9^(1/0.21) (Kaplan eq. 1.4)                          = 9.4109e6 tokens
  //   Cmin  = C / (1 + 16e6/Bcrit) (eq. 3)                                 = 1.5555e24
  //   Nopt  = 5.9e-3·Cmin^0.5305, Dopt = 3.2·Cmin^0.5 (Hunyuan §2.3.1)     = 40.24B, 3.991T
  //   D(B)  = Dopt·(1 + B/Bcrit) (Kaplan §5.1)                             = 10.78T; steps D(B)/16M = 673.5K
  //   C(Nopt, D(B)) = (9.59·Nopt + 2.3e8)·D(B) (eq. 2)                     = 4.1609e24
  const c = 2048 * 60 * 86400 * 989e12 * 0.4;
  const bcrit = 2e8 / 1.9 ** (1 / 0.21);
  const cmin = c / (1 + 16e6 / bcrit);
  const nopt = 5.9e-3 * cmin ** 0.5305;
  const dopt = 3.2 * cmin ** 0.5;
  const tokensAtBatch = dopt * (1 + 16e6 / bcrit);
  const runFlops = (9.59 * nopt + 2.3e8) * tokensAtBatch;
  const headline = ['optimal', '--gpu', 'h100', '--gpus', '2048', '--days', '60', '--mfu', '40%', '--batch', '16M', '--loss', '1.9'];

  it('answers "2048 H100s for 60 days at 40% MFU, batch 16M, loss 1.9" in one command, matching the numbers worked by hand', async () => {
    const doc = json(await runCli([...headline, '--json']));
    expect(relDiff(c, 4.2000187392e24)).toBeLessThan(1e-9);
    expect(doc.computeFrom).toBe('days');
    expect(relDiff(doc.hardwareFlops as number, c)).toBeLessThan(1e-12);
    expect(relDiff(doc.bcrit as number, bcrit)).toBeLessThan(1e-12);
    expect(relDiff(doc.cmin as number, cmin)).toBeLessThan(1e-12);
    expect(relDiff(doc.params as number, nopt)).toBeLessThan(1e-12);
    expect(relDiff(doc.tokens as number, dopt)).toBeLessThan(1e-12);
    expect(relDiff(doc.allocationFlops as number, (9.59 * nopt + 2.3e8) * dopt)).toBeLessThan(1e-12);
    expect(relDiff(doc.budgetFlops as number, c)).toBeLessThan(1e-12);
    const rb = doc.realBatch as Record<string, number>;
    expect(relDiff(rb.tokens as number, tokensAtBatch)).toBeLessThan(1e-12);
    expect(relDiff(rb.steps as number, tokensAtBatch / 16e6)).toBeLessThan(1e-12);
    expect(relDiff(rb.flops as number, runFlops)).toBeLessThan(1e-12);
    expect(relDiff(rb.flopsOverBudget as number, doc.closure as number)).toBeLessThan(1e-12);
    // flops is the compute of the training run, in optimal as in budget and cmin.
    expect(relDiff(doc.flops as number, runFlops)).toBeLessThan(1e-12);
    expect(relDiff(doc.days as number, runFlops / (989e12 * 0.4) / 2048 / 86400)).toBeLessThan(1e-12);
    // The published-scale figures: 40.24B activated, 3.991T optimal tokens, 10.78T at the batch.
    expect((doc.params as number) / 40.24e9).toBeCloseTo(1, 3);
    expect((doc.tokens as number) / 3.991e12).toBeCloseTo(1, 3);
    expect((rb.tokens as number) / 10.78e12).toBeCloseTo(1, 3);
  });

  it('agrees with the same question asked step by step through budget and cmin', async () => {
    const cminDoc = json(
      await runCli(['cmin', '--gpu', 'h100', '--gpus', '2048', '--days', '60', '--mfu', '40%', '--batch', '16M', '--loss', '1.9', '--json']),
    );
    expect(relDiff(cminDoc.flops as number, c)).toBeLessThan(1e-12);
    expect(relDiff(cminDoc.cmin as number, cmin)).toBeLessThan(1e-12);
    const optimal = json(await runCli(['optimal', '--cmin', String(cminDoc.cmin), '--json']));
    const doc = json(await runCli([...headline, '--json']));
    expect(relDiff(doc.params as number, optimal.params as number)).toBeLessThan(1e-12);
    // budget prices Nopt at the tokens of the real batch: the run's compute and days.
    const run = json(
      await runCli([
        'budget',
        '--params',
        String(doc.params),
        '--tokens',
        String((doc.realBatch as Record<string, number>).tokens),
        '--gpu',
        'h100',
        '--gpus',
        '2048',
        '--mfu',
        '40%',
        '--json',
      ]),
    );
    expect(relDiff(run.flops as number, doc.flops as number)).toBeLessThan(1e-12);
    expect(relDiff(run.days as number, doc.days as number)).toBeLessThan(1e-12);
    // And budget from the hardware first gives the same C.
    const fromHardware = json(
      await runCli(['budget', '--gpu', 'h100', '--gpus', '2048', '--days', '60', '--mfu', '40%', '--params', String(doc.params), '--json']),
    );
    expect(relDiff(fromHardware.flops as number, cminDoc.flops as number)).toBeLessThan(1e-12);
  });

  it('says in the text how the two budgets relate, and prints the tokens and days of the run', async () => {
    const r = await runCli(headline);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Compute C\s+4\.2e24 FLOPs/);
    expect(r.stdout).toMatch(/Optimal params Nopt\s+40\.24B/);
    expect(r.stdout).toMatch(/Tokens at your batch D\s+10\.78T tokens/);
    expect(r.stdout).toMatch(/Steps S = D\/B\s+673\.5K steps/);
    expect(r.stdout).toMatch(/Compute of the run\s+4\.1609e24 FLOPs/);
    expect(r.stdout).toMatch(/Wall clock of the run\s+59\.44 days/);
    expect(r.stdout).toMatch(/At B = 16M the same loss takes 2\.7 × the tokens and compute of \(Nopt, Dopt\).*0\.9907 × the budget C = 4\.2e24/);
  });

  it('--law all shows the tokens at the batch for the laws of Cmin', async () => {
    const r = await runCli([...headline, '--law', 'all']);
    expect(r.stdout).toMatch(/D at B/);
    expect(r.stdout).toMatch(/hunyuan\s+Cmin 1\.555e24\s+40\.24B\s+3\.991T\s+10\.78T/);
    expect(r.stdout).toMatch(/chinchilla\s+C\s+4\.2e24\s+\S+\s+\S+\s+–/);
  });

  it('round-trips the real-batch solve: D(B) and the batch give back Cmin and Nopt (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 1e20, max: 1e26, noNaN: true }),
        fc.double({ min: 1e5, max: 1e9, noNaN: true }),
        fc.double({ min: 1e5, max: 1e9, noNaN: true }),
        async (flops, batch, bcritIn) => {
          const doc = json(await runCli(['optimal', '--flops', String(flops), '--batch', String(batch), '--bcrit', String(bcritIn), '--json']));
          const rb = doc.realBatch as Record<string, number>;
          // cmin of the run (Nopt, D(B)) at batch B is the compute of (Nopt, Dopt).
          const back = json(
            await runCli([
              'cmin',
              '--params',
              String(doc.params),
              '--tokens',
              String(rb.tokens),
              '--batch',
              String(batch),
              '--bcrit',
              String(bcritIn),
              '--json',
            ]),
          );
          expect(relDiff(back.cmin as number, doc.allocationFlops as number)).toBeLessThan(1e-9);
          expect(relDiff(back.steps as number, rb.steps as number)).toBeLessThan(1e-9);
          expect(relDiff(back.flops as number, doc.flops as number)).toBeLessThan(1e-9);
        },
      ),
      { seed: 1905, numRuns: 20 },
    );
  });

  it.each([
    [['optimal', '--gpu', 'h100', '--gpus', '2048', '--days', '60', '--mfu', '40%', '--flops', '1e24'], 'drop one'],
    [['optimal', '--gpu', 'h100', '--gpus', '2048', '--days', '60', '--mfu', '40%', '--cmin', '1e24'], 'drop one'],
    [['optimal', '--gpu', 'h100', '--days', '60', '--mfu', '40%'], '--days needs --gpus'],
    [['cmin', '--gpu', 'h100', '--gpus', '2048', '--days', '60', '--mfu', '40%', '--flops', '1e24', '--batch', '16M', '--loss', '1.9'], 'drop one'],
  ])('%j: says which option to drop or add', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
