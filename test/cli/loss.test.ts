import { describe, expect, it } from 'vitest';
import { json, relDiff, runCli } from '../helpers/cli.js';

describe('moeplan loss', () => {
  it('predicts the loss with its three terms (Chinchilla by default)', async () => {
    const r = await runCli(['loss', '--params', '70B', '--tokens', '1.4T']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/law chinchilla/);
    expect(r.stdout).toMatch(/Irreducible\s+1\.69 nats/);
    expect(r.stdout).toMatch(/Model-limited\s+0\.08\d+ nats/);
    expect(r.stdout).toMatch(/Data-limited\s+0\.16\d+ nats/);
    expect(r.stdout).toMatch(/Loss L\s+1\.9366 nats/);
  });

  it('reproduces the worked examples of laws.md for krajewski and joint-moe, labelling N', async () => {
    const k = json(await runCli(['loss', '--law', 'krajewski', '--params', '1e9', '--tokens', '1e10', '--granularity', '8', '--json']));
    expect(relDiff(k.loss as number, 3.24149)).toBeLessThan(1e-5);
    expect(k).toMatchObject({ paramsMeaning: 'total-non-embedding', granularity: 8 });
    expect(relDiff(k.activatedParams as number, 12e9 / 516)).toBeLessThan(1e-12);
    const k1 = json(await runCli(['loss', '--law', 'krajewski', '--params', '1e9', '--tokens', '1e10', '--granularity', '1', '--json']));
    expect(relDiff(k1.loss as number, 3.37723)).toBeLessThan(1e-5);
    const text = await runCli(['loss', '--law', 'krajewski', '--params', '1e9', '--tokens', '1e10', '--granularity', '8']);
    expect(text.stdout).toMatch(/Params N\s+1B params total non-embedding/);
    expect(text.stdout).toMatch(/Activated params\s+23\.26M params/);
    const j = json(await runCli(['loss', '--law', 'joint-moe', '--params', '1B', '--tokens', '20B', '--experts', '8', '--json']));
    expect(relDiff(j.loss as number, 2.50878)).toBeLessThan(1e-5);
    const j1 = json(await runCli(['loss', '--law', 'joint-moe', '--params', '1B', '--tokens', '20B', '--experts', '1', '--json']));
    expect(relDiff(j1.loss as number, 2.5776)).toBeLessThan(1e-5);
  });

  it('solves for tokens, for parameters and for the cheapest run, each reaching the target', async () => {
    const tokens = json(await runCli(['loss', '--target-loss', '2.1', '--params', '7B', '--json']));
    expect(tokens.solved).toBe('tokens');
    const back = json(await runCli(['loss', '--params', '7B', '--tokens', String(tokens.tokens), '--json']));
    expect(relDiff(back.loss as number, 2.1)).toBeLessThan(1e-12);
    const params = json(await runCli(['loss', '--target-loss', '2.1', '--tokens', '1T', '--json']));
    expect(params.solved).toBe('params');
    expect(relDiff(params.loss as number, 2.1)).toBeLessThan(1e-12);
    const cheapest = json(await runCli(['loss', '--target-loss', '2.1', '--json']));
    expect(cheapest.solved).toBe('cheapest');
    expect(relDiff(cheapest.loss as number, 2.1)).toBeLessThan(1e-9);
    // cheaper than either of the other two runs that reach 2.1
    expect(cheapest.flops as number).toBeLessThan(tokens.flops as number);
    expect(cheapest.flops as number).toBeLessThan(params.flops as number);
    for (const law of ['krajewski', 'joint-moe']) {
      const r = json(await runCli(['loss', '--target-loss', '2.2', '--law', law, '--json']));
      expect(relDiff(r.loss as number, 2.2)).toBeLessThan(1e-6);
      expect(r.chosen).toBe('free');
    }
  });

  it('says the floor when the target cannot be reached (exit 2)', async () => {
    const below = await runCli(['loss', '--target-loss', '1.6']);
    expect(below.code).toBe(2);
    expect(below.stderr).toMatch(/--target-loss 1\.6 is not above .* floor is 1\.69 nats/);
    const small = await runCli(['loss', '--target-loss', '1.8', '--params', '1B']);
    expect(small.code).toBe(2);
    expect(small.stderr).toMatch(/out of reach for N = 1B: .* 2\.04\d+ nats at best/);
    const data = await runCli(['loss', '--target-loss', '1.8', '--tokens', '10B']);
    expect(data.code).toBe(2);
    expect(data.stderr).toMatch(/out of reach on D = 10B tokens/);
    const moe = await runCli(['loss', '--target-loss', '0.4', '--law', 'krajewski']);
    expect(moe.stderr).toMatch(/floor is 0\.47 nats/);
  });

  it('names the flag of a bad or missing input', async () => {
    const noG = await runCli(['loss', '--law', 'krajewski', '--params', '1e9', '--tokens', '1e10']);
    expect(noG.code).toBe(2);
    expect(noG.stderr).toMatch(/--granularity is required by law krajewski/);
    const stray = await runCli(['loss', '--params', '1e9', '--tokens', '1e10', '--experts', '8']);
    expect(stray.stderr).toMatch(/--experts: law chinchilla has no number of experts E \(it applies to joint-moe\)/);
    const noLoss = await runCli(['loss', '--law', 'hunyuan', '--params', '1e9', '--tokens', '1e10']);
    expect(noLoss.code).toBe(2);
    expect(noLoss.stderr).toMatch(/has no loss model/);
    const unavailable = await runCli(['loss', '--law', 'abnar', '--params', '1e9', '--tokens', '1e10']);
    expect(unavailable.code).toBe(2);
    expect(unavailable.stderr).toMatch(/known but not available/);
    const both = await runCli(['loss', '--target-loss', '2', '--params', '1e9', '--tokens', '1e10']);
    expect(both.stderr).toMatch(/give one of them/);
    expect(both.stderr).not.toMatch(/at .*\.ts/);
  });

  it('runs a batch: good rows computed, a bad row gets its error (exit 2)', async () => {
    const input = 'params,tokens,target-loss\n70B,1.4T,\n7B,,2.1\n1B,,1.5\n';
    const r = await runCli(['loss', '--input', '-'], { stdin: input });
    expect(r.code).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('line,params,tokens,target-loss,loss,irreducible,model_limited,data_limited,flops,extrapolation,error');
    const first = (lines[1] ?? '').split(',').map(Number);
    expect(first.slice(0, 3)).toEqual([2, 70e9, 1.4e12]);
    expect(relDiff(first[4] as number, 1.93665)).toBeLessThan(1e-5);
    expect(Number(lines[2]?.split(',')[2])).toBeGreaterThan(4e11);
    expect(lines[3]).toMatch(/^4,.*floor|^4,.*out of reach/);
    const jsonl = await runCli(['loss', '--input', '-', '--json', '--law', 'joint-moe', '--experts', '8'], { stdin: '{"params": 1e9, "tokens": 2e10}\n' });
    expect(jsonl.code).toBe(0);
    expect(relDiff(JSON.parse(jsonl.stdout).loss, 2.50878)).toBeLessThan(1e-5);
  });
});
