/**
 * `memory --inference` counts the KV cache as `arch --context` does: windowed layers cache
 * min(context, window) tokens, Mamba layers a fixed state. Expected values are worked by hand
 * from the published configs:
 * - gpt-oss-120b: 36 layers alternating sliding (window 128) and full attention, 8 K/V heads
 *   of 64: 2·8·64 = 1,024 elements a layer and token; bf16 at 131,072 tokens:
 *   2·1024·(18·131072 + 18·128) = 4,836,556,800 bytes per sequence;
 * - Jamba v0.1: 32 layers, one attention layer in 8 (4 layers, 8 K/V heads of 128: 2,048
 *   elements a token), 28 Mamba layers of d_in = 2·4096 with d_conv 4 and N 16: a state of
 *   8192·(4 + 16) = 163,840 elements each.
 */
import { describe, expect, it } from 'vitest';
import { json, runCli } from '../helpers/cli.js';

const GPT_OSS = 'examples/configs/gpt-oss-120b.json';
const JAMBA = 'examples/configs/jamba-v0.1.json';
type Doc = { perGpu: { kvCache: number }; stages: { kvCache: number }[]; notes: string[] };

async function inference(config: string, ...args: string[]): Promise<Doc> {
  const r = await runCli(['memory', '--config', config, '--inference', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return json(r) as Doc;
}

describe('memory --inference: the KV cache of sliding-window and Mamba layers', () => {
  it('gpt-oss-120b at 128Ki tokens: the windowed layers cache 128 tokens', async () => {
    const doc = await inference(GPT_OSS, '--context', '128Ki');
    expect(doc.perGpu.kvCache).toBe(2 * 1024 * (18 * 131_072 + 18 * 128));
    expect(doc.notes).toContain('KV cache: 18 windowed attention layers cache min(context, window) = 128 tokens each');
    // the same number as arch --context
    const arch = json(await runCli(['arch', '--config', GPT_OSS, '--context', '128Ki', '--json'])) as { kvCache: { bytesPerSequence: number } };
    expect(doc.perGpu.kvCache).toBe(arch.kvCache.bytesPerSequence);
  });

  it('below the window every layer caches the whole context', async () => {
    const doc = await inference(GPT_OSS, '--context', '100');
    expect(doc.perGpu.kvCache).toBe(2 * 1024 * 36 * 100);
  });

  it('split over TP by the K/V heads, and over PP by the layers each stage holds (half windowed each)', async () => {
    expect((await inference(GPT_OSS, '--context', '128Ki', '--tp', '8')).perGpu.kvCache).toBe((2 * 1024 * (18 * 131_072 + 18 * 128)) / 8);
    const pp = await inference(GPT_OSS, '--context', '128Ki', '--pp', '2');
    expect(pp.stages.map((s) => s.kvCache)).toEqual([2 * 1024 * (9 * 131_072 + 9 * 128), 2 * 1024 * (9 * 131_072 + 9 * 128)]);
  });

  it('Jamba: 4 attention layers per token and 28 fixed Mamba states, both split over TP', async () => {
    const doc = await inference(JAMBA, '--context', '1000', '--batch', '2', '--tp', '2');
    const attention = 2 * 2048 * 4 * 1000;
    const state = 2 * 28 * 8192 * (4 + 16);
    expect(doc.perGpu.kvCache).toBe((2 * (attention + state)) / 2);
    expect(doc.notes.some((n) => /28 Mamba layers hold a fixed state/.test(n))).toBe(true);
  });
});
