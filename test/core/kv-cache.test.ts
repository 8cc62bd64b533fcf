import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HUNYUAN_LARGE, type ModelArchitecture } from '../../src/core/architecture.js';
import { kvCacheBytesPerSequence, kvCacheBytesPerToken, kvCacheElementsPerToken, kvCacheVariants } from '../../src/core/kv-cache.js';
import { parseModelConfig } from '../../src/io/model-config.js';

describe('KV cache: Hunyuan-Large (report Table 2)', () => {
  it('GQA+CLA 81,920 bytes per token against 1,638,400 for MHA in bf16: 95% saved', () => {
    expect(kvCacheBytesPerToken(HUNYUAN_LARGE)).toBe(81_920);
    const variants = kvCacheVariants(HUNYUAN_LARGE);
    const by = Object.fromEntries(variants.map((v) => [v.name, v]));
    expect(by.MHA?.bytesPerToken).toBe(1_638_400);
    expect(by['GQA+CLA']?.bytesPerToken).toBe(81_920);
    expect(by['GQA+CLA']?.configured).toBe(true);
    expect(by['GQA+CLA']?.savingVsMha).toBeCloseTo(0.95, 12);
    expect(variants.filter((v) => v.configured)).toHaveLength(1);
  });

  it('prints the formulas of Table 2 for bf16', () => {
    expect(kvCacheVariants(HUNYUAN_LARGE).map((v) => `${v.name}=${v.formula}`)).toEqual([
      'MHA=4·n_h·d_h·l',
      'GQA=4·n_g·d_h·l',
      'MQA=4·d_h·l',
      'CLA=2·n_h·d_h·l',
      'GQA+CLA=2·n_g·d_h·l',
    ]);
  });

  it('the formulas give the bytes: MHA 4·n_h·d_h·l, GQA 4·n_g·d_h·l, MQA 4·d_h·l, CLA 2·n_h·d_h·l', () => {
    const by = Object.fromEntries(kvCacheVariants(HUNYUAN_LARGE).map((v) => [v.name, v.bytesPerToken]));
    const [nh, ng, dh, l] = [80, 8, 80, 64];
    expect(by).toEqual({ MHA: 4 * nh * dh * l, GQA: 4 * ng * dh * l, MQA: 4 * dh * l, CLA: 2 * nh * dh * l, 'GQA+CLA': 2 * ng * dh * l });
  });

  it('scales with the element size: fp8 halves bf16, fp32 doubles it', () => {
    expect(kvCacheBytesPerToken(HUNYUAN_LARGE, 1)).toBe(40_960);
    expect(kvCacheBytesPerToken(HUNYUAN_LARGE, 4)).toBe(163_840);
  });
});

describe('KV cache: properties', () => {
  const arb = fc.record({
    groups: fc.integer({ min: 1, max: 16 }),
    perGroup: fc.integer({ min: 1, max: 8 }),
    headDim: fc.constantFrom(64, 80, 128, 256),
    layers: fc.integer({ min: 1, max: 128 }),
    cla: fc.integer({ min: 1, max: 4 }),
    bytes: fc.constantFrom(1, 2, 4),
  });
  const arch = (r: { groups: number; perGroup: number; headDim: number; layers: number; cla: number }): ModelArchitecture => ({
    ...HUNYUAN_LARGE,
    layers: r.layers,
    attention: {
      kind: 'grouped',
      heads: r.groups * r.perGroup,
      kvHeads: r.groups,
      headDim: r.headDim,
      claShareFactor: r.cla,
      qkNorm: false,
      qkvBias: false,
      outputBias: false,
    },
  });

  it('the configured row equals the model, and savings grow from MHA to each compression', () => {
    fc.assert(
      fc.property(arb, (r) => {
        const a = arch(r);
        const variants = kvCacheVariants(a, r.bytes);
        const configured = variants.filter((v) => v.configured);
        expect(configured).toHaveLength(1);
        // K and V, each kvHeads·headDim per layer that owns them (one in cla), in r.bytes each
        const bytesPerToken = 2 * r.groups * r.headDim * Math.ceil(r.layers / r.cla) * r.bytes;
        expect(configured[0]?.bytesPerToken).toBe(bytesPerToken);
        expect(kvCacheBytesPerToken(a, r.bytes)).toBe(bytesPerToken);
        expect(kvCacheElementsPerToken(a)).toBe(bytesPerToken / r.bytes);
        const by = Object.fromEntries(variants.map((v) => [v.name, v.bytesPerToken]));
        if (r.perGroup > 1) expect((by.MHA as number) / (by.GQA as number)).toBeCloseTo(r.perGroup, 12);
        for (const v of variants) expect(v.savingVsMha).toBeGreaterThanOrEqual(0);
        expect(by.MQA).toBeLessThanOrEqual(by.GQA ?? by.MHA ?? 0);
      }),
      { seed: 21, numRuns: 300 },
    );
  });

  it('cross-layer sharing by f divides the cache by f when f divides the layers', () => {
    fc.assert(
      fc.property(arb, (r) => {
        const layers = r.layers * r.cla;
        const shared = kvCacheBytesPerToken(arch({ ...r, layers }), r.bytes);
        const own = kvCacheBytesPerToken(arch({ ...r, layers, cla: 1 }), r.bytes);
        expect(own / shared).toBe(r.cla);
      }),
      { seed: 22, numRuns: 300 },
    );
  });
});

describe('KV cache per sequence: windowed layers and Mamba state', () => {
  const load = (file: string) => parseModelConfig(JSON.parse(readFileSync(join('examples', 'configs', file), 'utf8')), file).architecture;

  it('gpt-oss-120b at 128Ki tokens: 18 full layers cache every token, 18 windowed layers 128', () => {
    const s = kvCacheBytesPerSequence(load('gpt-oss-120b.json'), 131_072);
    // 2 bytes · (K and V: 2 · 8 heads · 64) per layer and token · (18 · 131,072 + 18 · 128) tokens.
    expect(s.bytes).toBe(2 * 2 * 8 * 64 * (18 * 131_072 + 18 * 128));
    expect(s.windowedLayers).toBe(18);
    expect(s.windowTokens).toBe(128);
  });

  it('a context shorter than the window caches every token; Mistral 7B windows all 32 layers at 4096', () => {
    const mistral = load('mistral-7b.json');
    // 2 bytes · (K and V: 2 · 8 heads · 128) · 32 layers · 2048 tokens
    expect(kvCacheBytesPerSequence(mistral, 2048).bytes).toBe(2 * 2 * 8 * 128 * 32 * 2048);
    expect(kvCacheBytesPerSequence(mistral, 32_768).bytes).toBe(2 * 2 * 8 * 128 * 32 * 4096);
  });

  it('without windows or Mamba it is bytes per token × context (Hunyuan-Large: 20 GiB at 256Ki)', () => {
    expect(kvCacheBytesPerSequence(HUNYUAN_LARGE, 262_144).bytes).toBe(81_920 * 262_144);
  });

  it('Jamba: 4 attention layers cache tokens, 28 Mamba layers a fixed state of d_in·(d_conv + N)', () => {
    const jamba = load('jamba-v0.1.json');
    const state = 2 * 28 * 8192 * (4 + 16);
    expect(kvCacheBytesPerSequence(jamba, 1000).stateBytes).toBe(state);
    expect(kvCacheBytesPerSequence(jamba, 1000).bytes).toBe(2 * 2 * 8 * 128 * 4 * 1000 + state);
    expect(kvCacheBytesPerToken(jamba)).toBe(2 * 2 * 8 * 128 * 4);
  });
});
