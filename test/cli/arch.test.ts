import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, relDiff, runCli } from '../helpers/cli.js';

const HUNYUAN = 'examples/configs/hunyuan-large.json';
const MIXTRAL = 'examples/configs/mixtral-8x7b.json';
const billions = (value: unknown, decimals: number) => Number(((value as number) / 1e9).toFixed(decimals));

describe('moeplan arch', () => {
  it('reproduces Hunyuan-Large for people: counts under each convention and the KV cache of Table 2', async () => {
    const r = await runCli(['arch', '--config', HUNYUAN]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const text of ['388.7B', '52.14B', '51.32B', '50.5B', 'tied matrix counted once', '81,920', '1,638,400', '95%', '2·n_g·d_h·l', 'GQA+CLA *']) {
      expect(r.stdout).toContain(text);
    }
  });

  it('prints one JSON document with the required fields as numbers', async () => {
    const r = await runCli(['arch', '--config', HUNYUAN, '--json']);
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.schemaVersion).toBe(1);
    expect(billions(doc.totalParams, 1)).toBe(388.7);
    expect(billions(doc.activatedParams, 2)).toBe(52.14);
    expect(billions(doc.activatedParamsTiedOnce, 2)).toBe(51.32);
    expect(billions(doc.activatedNonEmbeddingParams, 2)).toBe(50.5);
    expect(billions(doc.activatedParamsWithoutInputEmbedding, 2)).toBe(51.32);
    expect(doc.kvCacheBytesPerToken).toBe(81_920);
    const kv = doc.kvCache as { savingVsMha: number; variants: { name: string; bytesPerToken: number }[]; dtype: string };
    expect(kv.dtype).toBe('bf16');
    expect(kv.savingVsMha).toBeCloseTo(0.95, 12);
    expect(kv.variants.find((v) => v.name === 'MHA')?.bytesPerToken).toBe(1_638_400);
    expect(Object.keys(doc.conventions as object)).toEqual([
      'totalParams',
      'activatedParams',
      'activatedParamsTiedOnce',
      'activatedParamsWithoutInputEmbedding',
      'activatedNonEmbeddingParams',
    ]);
    const breakdown = doc.breakdown as Record<string, { total: number; activated: number }>;
    expect(Object.values(breakdown).reduce((s, c) => s + c.total, 0)).toBe(doc.totalParams);
    expect((doc.inputs as { architecture: { layers: number } }).architecture.layers).toBe(64);
  });

  it('gives the cache per sequence at --context and for --dtype', async () => {
    const doc = json(await runCli(['arch', '--config', HUNYUAN, '--context', '256Ki', '--dtype', 'fp8', '--json']));
    const kv = doc.kvCache as { bytesPerSequence: number; context: number; bytesPerElement: number };
    expect(doc.kvCacheBytesPerToken).toBe(40_960);
    expect(kv.context).toBe(262_144);
    expect(kv.bytesPerSequence).toBe(40_960 * 262_144);
    const text = await runCli(['arch', '--config', HUNYUAN, '--context', '256K']);
    expect(text.stdout).toContain('19.53 GiB'); // 81,920 · 256,000 bytes
  });

  it('reads the same model from flags as from its config', async () => {
    const fromConfig = json(await runCli(['arch', '--config', MIXTRAL, '--json']));
    const flags = [
      '--hidden',
      '4096',
      '--layers',
      '32',
      '--heads',
      '32',
      '--kv-heads',
      '8',
      '--intermediate',
      '14336',
      '--experts',
      '8',
      '--top-k',
      '2',
      '--vocab',
      '32000',
    ];
    const fromFlags = json(await runCli(['arch', ...flags, '--json']));
    for (const key of ['totalParams', 'activatedParams', 'activatedNonEmbeddingParams', 'kvCacheBytesPerToken']) expect(fromFlags[key]).toBe(fromConfig[key]);
    expect(billions(fromFlags.totalParams, 1)).toBe(46.7);
    expect(billions(fromFlags.activatedParams, 1)).toBe(12.9);
  });

  it('describes Hunyuan-Large from flags too', async () => {
    const doc = json(
      await runCli([
        'arch',
        ...['--hidden', '6400', '--layers', '64', '--heads', '80', '--kv-heads', '8', '--intermediate', '18304', '--experts', '16'],
        ...['--top-k', '1', '--shared-experts', '1', '--vocab', '128512', '--cla', '2', '--tied', '--qk-norm', '--json'],
      ]),
    );
    expect(billions(doc.activatedParams, 2)).toBe(52.14);
    expect(doc.kvCacheBytesPerToken).toBe(81_920);
  });

  it('gives the training FLOPs per token at 4Ki, 8Ki, 32Ki and 256Ki beside eq. 2, and where eq. 2 matches', async () => {
    const doc = json(await runCli(['arch', '--config', HUNYUAN, '--json']));
    const tf = doc.trainingFlops as { rows: { seqLen: number; perToken: number; eq2PerToken: number }[]; eq2AttentionTermSeqLen: number; eq2SeqLen: number };
    expect(tf.rows.map((r) => r.seqLen)).toEqual([4096, 8192, 32_768, 262_144]);
    // eq. 2 with N = 52.14B: 9.59·N + 2.3e8.
    for (const r of tf.rows) expect(r.eq2PerToken).toBeCloseTo(9.59 * 52_141_277_440 + 2.3e8, 0);
    // The causal attention of 64 layers of 80 heads × 80 is 6·6400·64 FLOPs per token per token of context.
    expect(tf.eq2AttentionTermSeqLen).toBeCloseTo(2.3e8 / (6 * 6400 * 64), 2);
    const at = (s: number) => tf.rows.find((r) => r.seqLen === s)?.perToken ?? 0;
    expect(at(4096)).toBeLessThan(tf.rows[0]?.eq2PerToken ?? 0);
    expect(at(262_144)).toBeGreaterThan(tf.rows[0]?.eq2PerToken ?? 0);
    expect(tf.eq2SeqLen).toBeGreaterThan(32_768);
    expect(tf.eq2SeqLen).toBeLessThan(262_144);
    const text = await runCli(['arch', '--config', HUNYUAN, '--seq-len', '8Ki']);
    expect(text.stdout).toMatch(/Training FLOPs per token/);
    expect(text.stdout).toMatch(/\n\s+8,192\s/);
  });

  describe('bad input: exit code 2 naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-arch-'));
    const hunyuan = JSON.parse(readFileSync(HUNYUAN, 'utf8')) as Record<string, unknown>;
    const write = (name: string, content: unknown) => {
      const file = join(dir, name);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    };
    const without = (key: string) => Object.fromEntries(Object.entries(hunyuan).filter(([k]) => k !== key));

    it.each([
      ['missing key', without('num_experts'), 'num_experts'],
      ['wrong type', { ...hunyuan, num_hidden_layers: '64' }, 'num_hidden_layers'],
      ['negative size', { ...hunyuan, intermediate_size: -18304 }, 'intermediate_size'],
      ['zero heads', { ...hunyuan, num_attention_heads: 0 }, 'num_attention_heads'],
      ['not JSON', '{"hidden_size": 6400,', 'not valid JSON'],
    ])('%s', async (_what, content, named) => {
      const r = await runCli(['arch', '--config', write(`${named}.json`, content)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(named);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    });

    it('an unknown key is a note on stderr and in unknownKeys; an error under --strict', async () => {
      const file = write('unknown.json', { ...hunyuan, expert_capacity: 2 });
      const r = await runCli(['arch', '--config', file, '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/"expert_capacity" not known for a hunyuan config/);
      expect(JSON.parse(r.stdout).unknownKeys).toEqual(['expert_capacity']);
      const strict = await runCli(['arch', '--config', file, '--strict']);
      expect(strict.code).toBe(2);
      expect(strict.stderr).toContain('unknown key "expert_capacity"');
      expect(strict.stdout).toBe('');
    });

    it.each([
      [['--config', 'nope.json'], 'nope.json'],
      [['--config', ''], '--config'],
      [['--config', HUNYUAN, '--hidden', '4096'], '--hidden'],
      [['--config', HUNYUAN, '--dtype', 'int4'], '--dtype'],
      [['--config', HUNYUAN, '--context', '-5'], '--context'],
      [['--hidden', '4096', '--layers', '32', '--heads', '32', '--vocab', '32000'], '--intermediate'],
      [['--hidden', '4096', '--layers', '32', '--heads', '32', '--vocab', '32000', '--intermediate', '1', '--experts', '8'], '--top-k'],
      [['--hidden', '4096', '--layers', '32', '--heads', '32', '--vocab', '32000', '--intermediate', '1', '--experts', '8', '--top-k', '9'], '--top-k'],
      [['--hidden', '4096', '--layers', '32', '--heads', '32', '--kv-heads', '5', '--vocab', '32000', '--intermediate', '1'], '--kv-heads'],
      [['--hidden', '4096', '--layers', '2.5', '--heads', '32', '--vocab', '32000', '--intermediate', '1'], '--layers'],
      [['--hidden', '4096', '--layers', '32', '--heads', '32', '--vocab', '32000', '--intermediate', '1', '--top-k', '2'], '--top-k'],
    ])('rejects %j naming %s', async (args, named) => {
      const r = await runCli(['arch', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(named);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });
});

describe('moeplan budget --config', () => {
  it('takes N from the config: Hunyuan-Large for 7T tokens', async () => {
    const arch = json(await runCli(['arch', '--config', HUNYUAN, '--json']));
    const r = await runCli(['budget', '--config', HUNYUAN, '--tokens', '7T', '--json']);
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.params).toBe(arch.activatedParams);
    expect(doc.config).toBe(HUNYUAN);
    expect(relDiff(doc.flops as number, (9.59 * (arch.activatedParams as number) + 2.3e8) * 7e12)).toBeLessThan(1e-12);
    const text = await runCli(['budget', '--config', HUNYUAN, '--tokens', '7T']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('52.14B');
  });

  it('refuses --config with --params', async () => {
    const r = await runCli(['budget', '--config', HUNYUAN, '--params', '52B', '--tokens', '7T']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--config');
  });
});

describe('moeplan optimal --config', () => {
  it("solves the budget at which the config's activated count is optimal, as --params does", async () => {
    const arch = json(await runCli(['arch', '--config', HUNYUAN, '--json']));
    const byConfig = json(await runCli(['optimal', '--config', HUNYUAN, '--json']));
    const byParams = json(await runCli(['optimal', '--params', String(arch.activatedParams), '--json']));
    expect(byConfig.params).toBe(arch.activatedParams);
    expect(byConfig.cmin).toBe(byParams.cmin);
    expect(byConfig.config).toBe(HUNYUAN);
    const both = await runCli(['optimal', '--config', HUNYUAN, '--params', '52B']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--config');
  });
});
