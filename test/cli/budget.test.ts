import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parameterCountsFromConfig } from '../../src/io/model-config.js';
import { json, relDiff, runCli } from '../helpers/cli.js';

describe('moeplan budget', () => {
  it('prices the Hunyuan-Large run with eq. 2 and 6ND beside it', async () => {
    const r = await runCli(['budget', '--params', '52B', '--tokens', '7T']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3.4924e24');
    expect(r.stdout).toContain('2.184e24');
    expect(r.stdout).toMatch(/FLOPs/);
    expect(r.stderr).toBe('');
  });

  it('prints one JSON document with the required fields as numbers', async () => {
    const r = await runCli(['budget', '--params', '52B', '--tokens', '7T', '--json']);
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.law).toBe('hunyuan');
    expect(doc.params).toBe(52e9);
    expect(doc.tokens).toBe(7e12);
    expect(relDiff(doc.flops as number, 3.4924e24)).toBeLessThan(1e-4);
    expect(doc.inputs).toEqual({ params: 52e9, tokens: 7e12 });
  });

  it('uses 6ND with --law dense', async () => {
    const doc = json(await runCli(['budget', '--params', '52B', '--tokens', '7T', '--law', 'dense', '--json']));
    expect(relDiff(doc.flops as number, 2.184e24)).toBeLessThan(1e-12);
  });

  it('solves tokens from flops and params, and params from flops and tokens', async () => {
    const tokens = json(await runCli(['budget', '--flops', '3.49237e24', '--params', '52B', '--json']));
    expect(tokens.solved).toBe('tokens');
    expect(relDiff(tokens.tokens as number, 7e12)).toBeLessThan(1e-12);
    const params = json(await runCli(['budget', '--flops', '3.49237e24', '--tokens', '7T', '--json']));
    expect(relDiff(params.params as number, 52e9)).toBeLessThan(1e-12);
  });

  it('round-trips every inverse solve through the CLI', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 1e7, max: 1e12, noNaN: true }), fc.double({ min: 1e9, max: 1e14, noNaN: true }), async (n, d) => {
        const c = json(await runCli(['budget', '--params', String(n), '--tokens', String(d), '--json'])).flops as number;
        const back = json(await runCli(['budget', '--flops', String(c), '--tokens', String(d), '--json'])).params as number;
        expect(relDiff(back, n)).toBeLessThan(1e-9);
      }),
      { seed: 7, numRuns: 30 },
    );
  });

  it('converts to GPU-hours, days and cost', async () => {
    const doc = json(
      await runCli(['budget', '--params', '52B', '--tokens', '7T', '--gpu', 'h100', '--gpus', '4096', '--mfu', '40%', '--price', '2.5', '--json']),
    );
    const gpuSeconds = (9.59 * 52e9 * 7e12 + 2.3e8 * 7e12) / (989e12 * 0.4);
    expect(relDiff(doc.gpuHours as number, gpuSeconds / 3600)).toBeLessThan(1e-12);
    expect(relDiff(doc.days as number, gpuSeconds / 4096 / 86400)).toBeLessThan(1e-12);
    expect(relDiff(doc.cost as number, (gpuSeconds / 3600) * 2.5)).toBeLessThan(1e-12);
  });

  it('solves the compute from the hardware first (--days, --gpu-hours, --cost), then the third of N, D', async () => {
    // 2048 H100s (989 TFLOP/s) for 60 days at 40% MFU: 2048·60·86400 GPU-seconds.
    const c = 2048 * 60 * 86400 * 989e12 * 0.4;
    const days = json(await runCli(['budget', '--gpu', 'h100', '--gpus', '2048', '--mfu', '40%', '--days', '60', '--params', '40B', '--json']));
    expect(days.computeFrom).toBe('days');
    expect(days.solved).toBe('tokens');
    expect(relDiff(days.flops as number, c)).toBeLessThan(1e-12);
    expect(relDiff(days.tokens as number, c / (9.59 * 40e9 + 2.3e8))).toBeLessThan(1e-12);
    expect(relDiff(days.days as number, 60)).toBeLessThan(1e-12);
    expect(relDiff(days.gpuHours as number, 2048 * 60 * 24)).toBeLessThan(1e-12);
    expect(days.inputs).toEqual({ params: 40e9, gpu: 'h100', peakFlops: 989e12, mfu: 0.4, gpus: 2048, days: 60 });

    const hours = json(await runCli(['budget', '--peak-flops', '1P', '--mfu', '0.5', '--gpu-hours', '1M', '--tokens', '1T', '--json']));
    const cHours = 1e15 * 0.5 * 1e6 * 3600;
    expect(relDiff(hours.flops as number, cHours)).toBeLessThan(1e-12);
    expect(relDiff(hours.params as number, (cHours / 1e12 - 2.3e8) / 9.59)).toBeLessThan(1e-12);
    expect(hours.days).toBeUndefined();

    const cost = json(await runCli(['budget', '--gpu', 'a100', '--mfu', '50%', '--cost', '1M', '--price', '2', '--params', '7B', '--law', 'dense', '--json']));
    const cCost = 312e12 * 0.5 * (1e6 / 2) * 3600;
    expect(relDiff(cost.flops as number, cCost)).toBeLessThan(1e-12);
    expect(relDiff(cost.tokens as number, cCost / (6 * 7e9))).toBeLessThan(1e-12);
    expect(relDiff(cost.cost as number, 1e6)).toBeLessThan(1e-12);

    const text = await runCli(['budget', '--gpu', 'h100', '--gpus', '2048', '--mfu', '40%', '--days', '60', '--params', '40B']);
    expect(text.stdout).toMatch(/Compute C \(eq\. 2\)\s+4\.2e24 FLOPs\s+\(solved\) from --days/);
    expect(text.stdout).toMatch(/Wall clock\s+60 days\s+given/);
  });

  it('round-trips the hardware-first solves: days, GPU-hours or cost → C and D → back to the days, GPU-hours or cost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 1, max: 400, noNaN: true }),
        fc.integer({ min: 1, max: 100000 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 1e8, max: 1e12, noNaN: true }),
        fc.constantFrom('days', 'gpu-hours', 'cost'),
        async (value, gpus, mfu, params, budget) => {
          const hw = ['--gpu', 'h100', '--gpus', String(gpus), '--mfu', String(mfu), '--price', '2.5'];
          const out = json(await runCli(['budget', ...hw, `--${budget}`, String(value * 1000), '--params', String(params), '--json']));
          const back = json(await runCli(['budget', ...hw, '--params', String(params), '--tokens', String(out.tokens), '--json']));
          const key = budget === 'days' ? 'days' : budget === 'gpu-hours' ? 'gpuHours' : 'cost';
          expect(relDiff(back[key] as number, value * 1000)).toBeLessThan(1e-9);
          expect(relDiff(back.flops as number, out.flops as number)).toBeLessThan(1e-9);
        },
      ),
      { seed: 16, numRuns: 25 },
    );
  });

  it.each([
    [['--gpu', 'h100', '--gpus', '2048', '--mfu', '40%', '--days', '60'], 'add --params or --tokens'],
    [['--gpu', 'h100', '--gpus', '2048', '--mfu', '40%', '--days', '60', '--params', '40B', '--tokens', '1T'], 'drop --days'],
    [
      ['--gpu', 'h100', '--gpus', '2048', '--mfu', '40%', '--days', '60', '--flops', '1e24', '--params', '40B'],
      '--flops and --days both give the compute: drop one',
    ],
    [
      ['--gpu', 'h100', '--gpus', '2048', '--mfu', '40%', '--days', '60', '--gpu-hours', '1M', '--params', '40B'],
      '--days and --gpu-hours each give the compute: drop one',
    ],
    [['--gpu', 'h100', '--mfu', '40%', '--days', '60', '--params', '40B'], '--days needs --gpus'],
    [['--gpu', 'h100', '--mfu', '40%', '--cost', '5M', '--params', '40B'], '--cost needs --price'],
    [['--gpus', '2048', '--mfu', '40%', '--days', '60', '--params', '40B'], 'needs an accelerator: add --gpu or --peak-flops'],
    [['--gpu', 'h100', '--gpus', '2048', '--days', '60', '--params', '40B'], '--mfu is required'],
    [['--gpu', 'h100', '--peak-flops', '1P', '--mfu', '40%', '--gpu-hours', '60', '--params', '40B'], 'not both: drop one'],
  ])('says which hardware option to add or drop: %j', async (args, message) => {
    const r = await runCli(['budget', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('evaluates expressions', async () => {
    const doc = json(await runCli(['budget', '--params', '6.5B*8', '--tokens', '7*10^12', '--json']));
    expect(doc.params).toBe(52e9);
  });

  it.each([
    [['--params', '-5', '--tokens', '7T'], '--params'],
    [['--params', '0', '--tokens', '7T'], '--params'],
    [['--params', 'NaN', '--tokens', '7T'], '--params'],
    [['--params', '1e400', '--tokens', '7T'], '--params'],
    [['--params', 'abc', '--tokens', '7T'], '--params'],
    [['--params', '52BB', '--tokens', '7T'], '--params'],
    [['--params', '', '--tokens', '7T'], '--params'],
    [['--params', '52B', '--tokens', '7T', '--mfu', '1.5', '--gpu', 'h100'], '--mfu'],
    [['--params', '52B', '--tokens', '7T', '--gpu', 'v999', '--mfu', '0.4'], '--gpu'],
    [['--params', '52B', '--tokens', '7T', '--gpus', '10'], '--gpus'],
    [['--params', '52B'], '--tokens'],
    [['--flops', '1e20', '--tokens', '7T'], '--flops'],
    [['--params', '1e300', '--tokens', '1e300'], 'too large'],
  ])('rejects %j with exit code 2 and a message naming %s', async (args, named) => {
    const r = await runCli(['budget', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(named);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  describe('batch mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-budget-'));
    it('streams one CSV row per input row, in order, with error rows', async () => {
      const file = join(dir, 'grid.csv');
      writeFileSync(file, '\ufeffparams,tokens\r\n52B,7T\r\nabc,1\r\n"1e9","2e9"\r\n');
      const r = await runCli(['budget', '--input', file]);
      expect(r.code).toBe(2);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toBe('line,params,tokens,flops,error');
      expect(lines).toHaveLength(4);
      expect(relDiff(Number(lines[1]?.split(',')[3]), 9.59 * 52e9 * 7e12 + 2.3e8 * 7e12)).toBeLessThan(1e-15);
      expect(lines[2]).toMatch(/^3,.*line 3: params/);
      expect(lines[3]?.startsWith('4,1e9,2e9,1.964e19,')).toBe(true);
      expect(lines[1]?.startsWith('2,5.2e10,7e12,')).toBe(true);
    });

    it('prints each result column in one notation, the shortest exact form, whatever the magnitudes', async () => {
      const r = await runCli(['budget', '--input', '-'], { stdin: 'params,tokens\n1e9,2e9\n52B,7T\n1,1\n' });
      const flops = r.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[3]);
      // 9.59·N·D + 2.3e8·D: 1.964e19, 3.49237e24 (not 19640000000000000000 beside 3.49237e+24), 2.3000000959e8.
      expect(flops).toEqual(['1.964e19', '3.49237e24', '2.3000000959e8']);
      for (const [i, [n, d]] of [
        [1e9, 2e9],
        [52e9, 7e12],
        [1, 1],
      ].entries())
        expect(Number(flops[i])).toBe((9.59 * (n as number) + 2.3e8) * (d as number));
    });

    it('an error row names its line once and echoes every input it had', async () => {
      const r = await runCli(['budget', '--input', '-'], { stdin: 'params,tokens,flops\n52B,,\n,,\n=1+1,7T,\n' });
      const lines = r.stdout.trim().split('\n');
      expect(lines[1]).toBe('2,52B,,,"line 2: give two of params, tokens and flops (got only params)"');
      expect(lines[2]).toBe('3,,,,"line 3: give two of params, tokens and flops (got none)"');
      expect(lines[3]).toMatch(/^4,'=1\+1,7T,,"line 4: params: ""=1\+1"" /);
      const mixed = await runCli(['budget', '--input', '-'], { stdin: 'params,tokens,gpu,peak-flops,mfu\n52B,7T,h100,1e15,0.4\n' });
      expect(mixed.stdout.trim().split('\n')[1]).toMatch(/^2,52B,7T,h100,1e15,0\.4,.*line 2: give gpu or peak-flops, not both: drop one"$/);
      const rows = (await runCli(['budget', '--input', '-', '--json'], { stdin: '{"params": "52B"}\nparams\n' })).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(rows[0]).toMatchObject({
        line: 1,
        input: { params: '52B' },
        error: { message: 'line 1: give two of params, tokens and flops (got only params)' },
      });
    });

    it('reads JSON Lines from stdin and uses flags as defaults', async () => {
      const r = await runCli(['budget', '--input', '-', '--json', '--gpu', 'h100', '--mfu', '0.5'], {
        stdin: '{"params": "52B", "tokens": 7e12}\n{"params": 1}\n{"oops"\n',
      });
      expect(r.code).toBe(2);
      const rows = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(rows.map((x) => x.line)).toEqual([1, 2, 3]);
      expect(rows[0].gpuHours).toBeGreaterThan(0);
      expect(rows[1].error.message).toMatch(/line 2/);
      expect(rows[2].error.code).toBe('BAD_ROW');
    });

    it('rejects an unknown column before computing', async () => {
      const r = await runCli(['budget', '--input', '-'], { stdin: 'param,tokens\n1,2\n' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown column "param"/);
    });

    it('says clearly when the input is missing, a directory, or empty', async () => {
      expect((await runCli(['budget', '--input', join(dir, 'nope.csv')])).stderr).toMatch(/no such file/);
      expect((await runCli(['budget', '--input', dir])).stderr).toMatch(/directory/);
      const empty = await runCli(['budget', '--input', '-'], { stdin: '' });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/empty/);
    });
  });
});

describe('the CLI shell', () => {
  it('prints short help with no arguments', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Commands:/);
  });

  it('starts every help page from examples', async () => {
    const r = await runCli(['budget', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('Usage: moeplan budget [options]\n\nExamples:\n')).toBe(true);
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  it('exits 2 on an unknown option or command', async () => {
    expect((await runCli(['budget', '--pams', '3'])).code).toBe(2);
    expect((await runCli(['nonsense'])).code).toBe(2);
  });

  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('colours only when allowed', async () => {
    const esc = '\u001b[';
    expect((await runCli(['budget', '--params', '52B', '--tokens', '7T'], { tty: true })).stdout).toContain(esc);
    expect((await runCli(['budget', '--params', '52B', '--tokens', '7T'], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(esc);
    expect((await runCli(['budget', '--params', '52B', '--tokens', '7T'], { tty: true, env: { TERM: 'dumb' } })).stdout).not.toContain(esc);
    expect((await runCli(['budget', '--params', '52B', '--tokens', '7T', '--no-color'], { tty: true })).stdout).not.toContain(esc);
    expect((await runCli(['budget', '--params', '52B', '--tokens', '7T'], { tty: false })).stdout).not.toContain(esc);
    expect((await runCli(['budget', '--params', '52B', '--tokens', '7T'], { env: { FORCE_COLOR: '1' } })).stdout).toContain(esc);
    expect((await runCli(['budget', '--help'], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(esc);
  });
});

describe('moeplan budget --config', () => {
  const LLAMA = 'examples/configs/llama-3-8b.json';

  it("prices the config's parameters in the law's convention: activated for hunyuan, non-embedding for kaplan", async () => {
    const counts = await parameterCountsFromConfig(LLAMA, process.cwd());
    const hunyuan = json(await runCli(['budget', '--config', LLAMA, '--tokens', '1T', '--json']));
    expect(hunyuan.params).toBe(counts.activatedParams);
    expect(hunyuan).not.toHaveProperty('paramsMeaning');
    const kaplan = json(await runCli(['budget', '--config', LLAMA, '--tokens', '1T', '--law', 'kaplan', '--json']));
    expect(kaplan.params).toBe(counts.activatedNonEmbeddingParams);
    expect(kaplan.paramsMeaning).toBe('non-embedding');
    expect(kaplan.flops).toBe(6 * counts.activatedNonEmbeddingParams * 1e12);
    const text = await runCli(['budget', '--config', LLAMA, '--tokens', '1T', '--law', 'kaplan'], { env: { NO_COLOR: '1' } });
    expect(text.stdout).toContain(`N: non-embedding activated parameters of ${LLAMA}`);
  });
});

describe('moeplan budget --config: the architecture compute model', () => {
  const LLAMA = 'examples/configs/llama-3-8b.json';
  const HUNYUAN = 'examples/configs/hunyuan-large.json';

  it('shows the architecture count beside the law, and --law arch prices with it', async () => {
    const beside = json(await runCli(['budget', '--config', LLAMA, '--tokens', '15T', '--seq-len', '8192', '--json']));
    const arch = beside.architecture as { flopsPerToken: number; seqLen: number; pieces: Record<string, number>; paramsTokens: number; tokensTerm: number };
    // laws.md §9: Megatron-LM's count for Llama-3-8B at 8,192 tokens, 5.14704e10 (no router in a dense model).
    expect(arch.flopsPerToken / 5.14704e10).toBeCloseTo(1, 5);
    expect(arch.seqLen).toBe(8192);
    expect(arch.paramsTokens).toBe(6);
    const priced = json(await runCli(['budget', '--config', LLAMA, '--tokens', '15T', '--seq-len', '8192', '--law', 'arch', '--json']));
    expect(priced.law).toBe('arch');
    expect(priced.flops).toBeCloseTo(arch.flopsPerToken * 15e12, -12);
    expect(priced.flopsPerToken).toBeCloseTo(arch.flopsPerToken, 0);
    // The inverse: tokens for that budget come back.
    const inverse = json(await runCli(['budget', '--config', LLAMA, '--flops', String(priced.flops), '--seq-len', '8192', '--law', 'arch', '--json']));
    expect(relDiff(inverse.tokens as number, 15e12)).toBeLessThan(1e-12);
  });

  it('the sequence length defaults to max_position_embeddings capped at 4096, and says so', async () => {
    const doc = json(await runCli(['budget', '--config', HUNYUAN, '--tokens', '7T', '--json']));
    const arch = doc.architecture as { seqLen: number; seqLenSource: string };
    expect(arch.seqLen).toBe(4096);
    expect(arch.seqLenSource).toMatch(/max_position_embeddings \d+ capped at 4096/);
  });

  it('a dense config priced with the MoE law gets a note with the command that prices it by its architecture', async () => {
    const r = await runCli(['budget', '--config', LLAMA, '--tokens', '15T']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/law hunyuan was made for MoE models and this is a dense model/);
    expect(r.stdout).toContain(`moeplan budget --config ${LLAMA} --law arch`);
    expect((await runCli(['budget', '--config', HUNYUAN, '--tokens', '7T'])).stdout).not.toMatch(/made for/);
    expect((await runCli(['budget', '--config', LLAMA, '--tokens', '15T', '--law', 'arch'])).stdout).not.toMatch(/made for/);
    expect((await runCli(['budget', '--config', HUNYUAN, '--tokens', '7T', '--law', 'chinchilla'])).stdout).toMatch(
      /made for dense models and this is an MoE model/,
    );
  });

  it.each([
    [['--params', '8B', '--tokens', '15T', '--law', 'arch'], '--config'],
    [['--params', '8B', '--tokens', '15T', '--seq-len', '8192'], '--seq-len'],
    [['--config', LLAMA, '--tokens', '15T', '--seq-len', '0'], '--seq-len'],
    [['--config', LLAMA, '--tokens', '15T', '--seq-len', '2.5'], '--seq-len'],
  ])('rejects %j naming %s', async (args, named) => {
    const r = await runCli(['budget', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(named);
    expect(r.stdout).toBe('');
  });
});
