import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HUNYUAN_LARGE, type ModelArchitecture } from '../../src/core/architecture.js';
import { effectiveSpan, seqLenWhere, trainingFlopsPerToken } from '../../src/core/training-flops.js';
import { parseModelConfig } from '../../src/io/model-config.js';

const load = (file: string): ModelArchitecture => parseModelConfig(JSON.parse(readFileSync(join('examples', 'configs', file), 'utf8')), file).architecture;
/** Megatron-LM leaves the router out; compare its count with the rest. */
const withoutRouter = (arch: ModelArchitecture, s: number) => {
  const f = trainingFlopsPerToken(arch, s);
  return f.perToken - f.pieces.router;
};

describe("training FLOPs per token against Megatron-LM's num_floating_point_operations", () => {
  // Worked examples of laws.md §9: Megatron-LM's function (training.py @ d98e8a64) run on these shapes.
  it('Llama-3-8B at 8,192 tokens: 5.14704e10', () => {
    expect(withoutRouter(load('llama-3-8b.json'), 8192) / 5.14704e10).toBeCloseTo(1, 5);
  });

  it('Mixtral 8x7B (top-2 of 8, V 32000) at 4,096 tokens: 7.97065e10', () => {
    expect(withoutRouter(load('mixtral-8x7b.json'), 4096) / 7.97065e10).toBeCloseTo(1, 5);
  });

  it('DeepSeek-V3 (MLA, 3 dense + 58 MoE layers, one MTP module, V 129280) at 4,096 tokens: 2.59993e11', () => {
    expect(withoutRouter(load('deepseek-v3.json'), 4096) / 2.59993e11).toBeCloseTo(1, 5);
  });

  it('Hunyuan-Large at 4,096 tokens, worked by hand from the Megatron terms', () => {
    const h = 6400;
    const L = 64;
    const q = 80 * 80;
    const kv = 8 * 80;
    const projections = 6 * (2 * h * q * L + 2 * h * kv * 32); // k, v only in the 32 layers owning K/V (CLA)
    const scores = 6 * q * 4096 * L;
    const experts = 6 * 3 * h * 18_304 * (1 + 1) * L; // top-1 routed + 1 shared
    const router = 6 * h * 16 * L;
    const head = 6 * h * 128_512;
    const f = trainingFlopsPerToken(HUNYUAN_LARGE, 4096);
    expect(f.perToken).toBe(projections + scores + experts + router + head);
    expect(f.pieces.attentionScores).toBe(scores);
    // C = 6·N·D + b·D with N = 52.14B activated.
    expect(f.compute.paramsTokens * f.compute.activatedParams + f.compute.tokens).toBeCloseTo(f.perToken, -2);
  });

  it("PaLM's attention term (Appendix B, non-causal 6·L·H·(2·Q·T)) is twice the causal count", () => {
    for (const s of [2048, 4096, 32_768]) {
      expect(2 * trainingFlopsPerToken(HUNYUAN_LARGE, s).pieces.attentionScores).toBe(6 * 64 * 80 * (2 * 80 * s));
    }
  });
});

describe('windowed layers and hybrids', () => {
  it('a window at least as long as the sequence changes nothing; a shorter one attends to 2w − w²/s on average', () => {
    expect(effectiveSpan(4096)).toBe(4096);
    expect(effectiveSpan(4096, 8192)).toBe(4096);
    expect(effectiveSpan(4096, 128)).toBe(2 * 128 - (128 * 128) / 4096);
    const oss = load('gpt-oss-120b.json');
    const f = trainingFlopsPerToken(oss, 131_072);
    // 18 full layers at s and 18 windowed layers at 2·128 − 128²/s, 6·q per layer and token.
    const q = 64 * 64;
    expect(f.pieces.attentionScores).toBeCloseTo(6 * q * (18 * 131_072 + 18 * (256 - (128 * 128) / 131_072)), 0);
  });

  it('Mamba layers cost no attention: Jamba counts scores in its 4 attention layers only', () => {
    const jamba = load('jamba-v0.1.json');
    expect(trainingFlopsPerToken(jamba, 4096).pieces.attentionScores).toBe(6 * 32 * 128 * 4096 * 4);
    expect(trainingFlopsPerToken(jamba, 4096).pieces.mamba).toBeGreaterThan(0);
  });

  it('FLOPs per token grow with the sequence, and seqLenWhere inverts them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 1_000_000 }), (s) => {
        const target = trainingFlopsPerToken(HUNYUAN_LARGE, s).perToken;
        expect(trainingFlopsPerToken(HUNYUAN_LARGE, s + 1).perToken).toBeGreaterThan(target);
        expect((seqLenWhere(HUNYUAN_LARGE, target) as number) / s).toBeCloseTo(1, 4);
      }),
      { numRuns: 50 },
    );
  });

  it("eq. 2's 2.3e8 FLOPs per token is Hunyuan-Large's causal attention at about 94 tokens", () => {
    // 6·q·L·s = 2.3e8 with q = 6400, L = 64: s = 2.3e8 / 2,457,600.
    expect(seqLenWhere(HUNYUAN_LARGE, 2.3e8, (f) => f.pieces.attentionScores)).toBeCloseTo(2.3e8 / (6 * 6400 * 64), 3);
  });
});
