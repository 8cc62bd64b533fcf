/**
 * `fit` with a config column: each run priced by its own architecture. The runs are made so
 * that Megatron-LM's num_floating_point_operations, worked by hand here for a Llama layout
 * (6·(L·(2h·q + 2h·kv + 3h·I) + h·V) + 6·L·q·s per token), puts them exactly on three
 * budgets: the fit finds those budgets only if it prices each run by its config.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitComputeModel } from '../../src/cli/commands/fit.js';
import { json, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'moeplan-fit-config-'));
const V = 32000;
const SIZES = [
  { h: 512, L: 8 },
  { h: 768, L: 12 },
  { h: 1024, L: 16 },
  { h: 1536, L: 16 },
  { h: 2048, L: 24 },
];
const BUDGETS = [3e18, 1e19, 3e19];

function llama(h: number, L: number) {
  return {
    model_type: 'llama',
    architectures: ['LlamaForCausalLM'],
    hidden_size: h,
    num_hidden_layers: L,
    num_attention_heads: h / 64,
    num_key_value_heads: h / 128,
    head_dim: 64,
    intermediate_size: 4 * h,
    vocab_size: V,
    max_position_embeddings: 2048,
    tie_word_embeddings: false,
    rms_norm_eps: 1e-5,
  };
}

/** Megatron's count for the llama() layout at sequence s, by hand. */
function megatronPerToken(h: number, L: number, s: number): number {
  const q = (h / 64) * 64;
  const kv = (h / 128) * 64;
  return 6 * (L * (2 * h * q + 2 * h * kv + 3 * h * 4 * h) + h * V) + 6 * L * q * s;
}

/** Activated parameters (embedding and head, norms) of the llama() layout. */
function params(h: number, L: number): number {
  const q = (h / 64) * 64;
  const kv = (h / 128) * 64;
  return L * (2 * h * q + 2 * h * kv + 3 * h * 4 * h + 2 * h) + h + 2 * h * V;
}

const loss = (n: number, d: number) => 1.69 + 406.4 / n ** 0.34 + 410.7 / d ** 0.28;

for (const { h, L } of SIZES) writeFileSync(join(dir, `llama-${h}.json`), JSON.stringify(llama(h, L)));
const rows = BUDGETS.flatMap((c) =>
  SIZES.map(({ h, L }) => {
    const d = c / megatronPerToken(h, L, 2048);
    return `llama-${h}.json,${d},${loss(params(h, L), d)}`;
  }),
);
const RUNS = join(dir, 'runs.csv');
writeFileSync(RUNS, `config,tokens,loss\n${rows.join('\n')}\n`);
const ARGS = ['fit', RUNS, '--budgets', BUDGETS.join(','), '--tolerance', '0.1%', '--bootstrap', '0', '--json'];

describe('fit with a config column', () => {
  it('prices each run by its config (relative to the runs file), N from the config, and finds the planned budgets', async () => {
    const r = await runCli(ARGS, { cwd: process.cwd() });
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r) as {
      inputs: { lawCompute: string; lawComputeModel: { paramsTokens: number; tokens: number } };
      budgets: { flops: number; runs: number }[];
    };
    expect(doc.inputs.lawCompute).toBe('arch');
    expect(doc.budgets.map((b) => b.runs)).toEqual([5, 5, 5]);
    // The law file's compute: a·N + b fitted to the runs' FLOPs per token, close to each.
    const { paramsTokens, tokens } = doc.inputs.lawComputeModel;
    for (const { h, L } of SIZES) expect(Math.abs((paramsTokens * params(h, L) + tokens) / megatronPerToken(h, L, 2048) - 1)).toBeLessThan(0.05);
  });

  it('eq. 2 would have put the same runs off every budget (the test can fail)', async () => {
    const flopsRows = BUDGETS.flatMap((c) =>
      SIZES.map(({ h, L }) => {
        const d = c / megatronPerToken(h, L, 2048);
        return `${params(h, L)},${d},${loss(params(h, L), d)}`;
      }),
    );
    const file = join(dir, 'runs-no-config.csv');
    writeFileSync(file, `params,tokens,loss\n${flopsRows.join('\n')}\n`);
    const r = await runCli(['fit', file, '--budgets', BUDGETS.join(','), '--tolerance', '0.1%', '--bootstrap', '0', '--json']);
    expect(r.code).toBe(2);
  });

  it('a seqlen column (and --seq-len) sets the sequence of the count', async () => {
    const file = join(dir, 'runs-seq.csv');
    const seqRows = BUDGETS.flatMap((c) =>
      SIZES.map(({ h, L }) => {
        const d = c / megatronPerToken(h, L, 8192);
        return `llama-${h}.json,8192,${d},${loss(params(h, L), d)}`;
      }),
    );
    writeFileSync(file, `config,seq_len,tokens,loss\n${seqRows.join('\n')}\n`);
    const r = await runCli(['fit', file, '--budgets', BUDGETS.join(','), '--tolerance', '0.1%', '--bootstrap', '0', '--seq-len', '1024', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((json(r) as { budgets: { runs: number }[] }).budgets.map((b) => b.runs)).toEqual([5, 5, 5]);
  });

  it('a config that cannot be read leaves its runs out with the reason; the others are fitted', async () => {
    const file = join(dir, 'runs-missing.csv');
    writeFileSync(file, `config,tokens,loss\n${rows.join('\n')}\nno-such.json,1e9,3\n`);
    const r = await runCli(['fit', file, '--budgets', BUDGETS.join(','), '--tolerance', '0.1%', '--bootstrap', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/left out line 17: config: .*no-such\.json.*no such file/);
  });

  it('unknown keys: one note per config file; --strict is an error naming the key', async () => {
    const odd = join(dir, 'odd');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(odd, { recursive: true });
    for (const { h, L } of SIZES) writeFileSync(join(odd, `llama-${h}.json`), JSON.stringify({ ...llama(h, L), made_up_flag: 1 }));
    writeFileSync(join(odd, 'runs.csv'), readFileSync(RUNS, 'utf8'));
    const args = ['fit', join(odd, 'runs.csv'), '--budgets', BUDGETS.join(','), '--tolerance', '0.1%', '--bootstrap', '0'];
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/"made_up_flag" not known for a llama config/g)).toHaveLength(SIZES.length);
    const strict = await runCli([...args, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/unknown key "made_up_flag"/);
  });

  it('--law-compute arch or --seq-len without a config column is an error naming the flag', async () => {
    const file = join(dir, 'plain.csv');
    writeFileSync(file, 'params,tokens,loss\n1e8,1e9,3\n');
    const arch = await runCli(['fit', file, '--law-compute', 'arch']);
    expect(arch.code).toBe(2);
    expect(arch.stderr).toMatch(/--law-compute arch .*needs a config column/);
    const seq = await runCli(['fit', file, '--seq-len', '4K']);
    expect(seq.code).toBe(2);
    expect(seq.stderr).toMatch(/--seq-len/);
    const bad = await runCli(['fit', file, '--law-compute', 'exact']);
    expect(bad.stderr).toMatch(/not one of hunyuan, dense, arch/);
  });

  it('a runs file with neither params nor config is an error naming params', async () => {
    const file = join(dir, 'neither.csv');
    writeFileSync(file, 'tokens,loss\n1e9,3\n');
    const r = await runCli(['fit', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no params column/);
    expect(r.stderr).toMatch(/a config column .* stands in for params/);
  });
});

describe('fitComputeModel', () => {
  it('is exact through two runs (a·N + b solved by hand)', () => {
    const m = fitComputeModel([
      { params: 1e8, tokens: 1, flops: 7e8 },
      { params: 1e9, tokens: 1, flops: 6.5e9 },
    ]);
    // a = (6.5e9 − 7e8)/(1e9 − 1e8), b = 7e8 − a·1e8
    expect(m.paramsTokens).toBeCloseTo(5.8e9 / 9e8, 9);
    expect(m.tokens / (7e8 - (5.8e9 / 9e8) * 1e8)).toBeCloseTo(1, 9);
    expect(m.maxDeviation).toBeLessThan(1e-12);
  });

  it('one size: a = 6 and b = f − 6·N', () => {
    const m = fitComputeModel([{ params: 1e8, tokens: 2, flops: 2 * 7e8 }]);
    expect(m.paramsTokens).toBe(6);
    expect(m.tokens).toBeCloseTo(1e8, 0);
  });
});
