import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HUNYUAN_LARGE, type ModelArchitecture, attentionParams, kvLayers, parameterCounts } from '../../src/core/architecture.js';

/** Round to `decimals` decimals of a billion, as the report and the SPEC print counts. */
const billions = (value: number, decimals: number) => Number((value / 1e9).toFixed(decimals));

describe('parameter counts: Hunyuan-Large (report Table 1, SPEC section 3)', () => {
  const counts = parameterCounts(HUNYUAN_LARGE);

  it('total 388.7B with the tied matrix counted once (report: 389B)', () => {
    expect(billions(counts.totalParams, 1)).toBe(388.7);
    expect(Math.round(counts.totalParams / 1e9)).toBe(389);
  });

  it('activated 52.14B / 51.32B / 50.50B under the three conventions (report: 52B)', () => {
    expect(billions(counts.activatedParams, 2)).toBe(52.14);
    expect(billions(counts.activatedParamsTiedOnce, 2)).toBe(51.32);
    expect(billions(counts.activatedNonEmbeddingParams, 2)).toBe(50.5);
    expect(Math.round(counts.activatedParams / 1e9)).toBe(52);
  });

  it('breaks down by component: the tied head is activated but not stored twice', () => {
    const by = Object.fromEntries(counts.breakdown.map((c) => [c.component, c]));
    expect(by.outputHead?.total).toBe(0);
    expect(by.outputHead?.activated).toBe(by.embedding?.activated);
    // 16 routed experts stored, 1 activated; the shared expert always.
    expect((by.routedExperts?.total ?? 0) / (by.routedExperts?.activated ?? 1)).toBe(16);
    expect(by.sharedExperts?.activated).toBe(by.routedExperts?.activated);
    expect(by.qkNorm?.total).toBe(64 * 2 * 80);
    expect(counts.breakdown.reduce((s, c) => s + c.total, 0)).toBe(counts.totalParams);
    expect(counts.breakdown.reduce((s, c) => s + c.activated, 0)).toBe(counts.activatedParams);
  });

  it('only half of the layers own K/V projections under CLA', () => {
    expect(kvLayers(HUNYUAN_LARGE)).toBe(32);
    const noCla = { ...HUNYUAN_LARGE, attention: { ...HUNYUAN_LARGE.attention, claShareFactor: 1 } } as ModelArchitecture;
    expect(attentionParams(noCla) - attentionParams(HUNYUAN_LARGE)).toBe(32 * 2 * 6400 * 8 * 80);
  });
});

/** Grouped-query attention (with or without biases, QK-norm, sinks) or DeepSeek's multi-head latent attention. */
const arbAttention = fc.oneof(
  fc
    .record({
      headsPerGroup: fc.integer({ min: 1, max: 8 }),
      groups: fc.integer({ min: 1, max: 16 }),
      headDim: fc.constantFrom(64, 80, 128),
      cla: fc.integer({ min: 1, max: 4 }),
      qkNorm: fc.boolean(),
      qkNormScope: fc.constantFrom('head', 'projection', undefined),
      qkvBias: fc.boolean(),
      outputBias: fc.boolean(),
      attentionSinks: fc.boolean(),
    })
    .map((r): ModelArchitecture['attention'] => ({
      kind: 'grouped',
      heads: r.headsPerGroup * r.groups,
      kvHeads: r.groups,
      headDim: r.headDim,
      claShareFactor: r.cla,
      qkNorm: r.qkNorm,
      qkNormScope: r.qkNormScope,
      qkvBias: r.qkvBias,
      outputBias: r.outputBias,
      attentionSinks: r.attentionSinks,
    })),
  fc
    .record({
      heads: fc.integer({ min: 1, max: 128 }),
      qLoraRank: fc.constantFrom(0, 384, 1536),
      kvLoraRank: fc.constantFrom(128, 512),
      qkNopeHeadDim: fc.constantFrom(64, 128),
      qkRopeHeadDim: fc.constantFrom(32, 64),
      vHeadDim: fc.constantFrom(64, 128),
    })
    .map((r): ModelArchitecture['attention'] => ({ kind: 'latent', ...r })),
);

/** Dense or MoE models, with every optional bias and gate either way. */
const arbArchitecture = fc
  .record({
    hidden: fc.integer({ min: 1, max: 64 }).map((n) => n * 64),
    layers: fc.integer({ min: 1, max: 96 }),
    attention: arbAttention,
    vocab: fc.integer({ min: 1000, max: 260_000 }),
    tied: fc.boolean(),
    dense: fc.boolean(),
    experts: fc.integer({ min: 1, max: 256 }),
    topKFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    shared: fc.integer({ min: 0, max: 2 }),
    intermediate: fc.integer({ min: 1, max: 300 }).map((n) => n * 64),
    denseLayers: fc.integer({ min: 0, max: 3 }),
    sharedExpertGate: fc.boolean(),
    routerBias: fc.boolean(),
    expertBias: fc.boolean(),
    normBias: fc.boolean(),
    outputHeadBias: fc.boolean(),
  })
  .map(
    (r): ModelArchitecture => ({
      hiddenSize: r.hidden,
      layers: r.layers,
      vocabSize: r.vocab,
      tiedEmbeddings: r.tied,
      attention: r.attention,
      denseIntermediate: r.intermediate * 2,
      normBias: r.normBias,
      outputHeadBias: r.outputHeadBias,
      ...(r.dense
        ? { moeLayers: 0 }
        : {
            moe: {
              routedExperts: r.experts,
              expertIntermediate: r.intermediate,
              topK: Math.max(1, Math.round(r.topKFraction * r.experts)),
              sharedExperts: r.shared,
              sharedIntermediate: r.intermediate,
              sharedExpertGate: r.sharedExpertGate,
              routerBias: r.routerBias,
              expertBias: r.expertBias,
            },
            moeLayers: Math.max(0, r.layers - r.denseLayers),
          }),
    }),
  );

it('the architecture generator makes dense and MoE models, grouped and latent attention, with and without biases', () => {
  const sample = fc.sample(arbArchitecture, { seed: 10, numRuns: 300 });
  const kinds = new Set(sample.map((a) => `${a.moe ? 'moe' : 'dense'}/${a.attention.kind}`));
  expect([...kinds].sort()).toEqual(['dense/grouped', 'dense/latent', 'moe/grouped', 'moe/latent']);
  expect(sample.some((a) => a.attention.kind === 'grouped' && a.attention.qkvBias && a.attention.outputBias)).toBe(true);
  expect(sample.some((a) => a.moe?.routerBias && a.moe.expertBias)).toBe(true);
  expect(sample.some((a) => a.normBias && a.outputHeadBias)).toBe(true);
});

describe('parameter counts: properties', () => {
  it('orders the conventions: non-embedding < tied once ≤ activated, and activated ≤ total + head', () => {
    fc.assert(
      fc.property(arbArchitecture, (arch) => {
        const c = parameterCounts(arch);
        const embedding = arch.vocabSize * arch.hiddenSize;
        expect(c.activatedNonEmbeddingParams).toBeLessThan(c.activatedParamsTiedOnce);
        expect(c.activatedParamsTiedOnce).toBeLessThanOrEqual(c.activatedParams);
        expect(c.activatedParams - c.activatedParamsTiedOnce).toBe(arch.tiedEmbeddings ? embedding : 0);
        expect(c.activatedParamsTiedOnce).toBeLessThanOrEqual(c.totalParams);
        // the output head's bias (PhiMoE lm_head_bias) belongs to the head, outside the non-embedding count
        expect(c.totalParams - c.totalNonEmbeddingParams).toBe(embedding * (arch.tiedEmbeddings ? 1 : 2) + (arch.outputHeadBias ? arch.vocabSize : 0));
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('one more routed expert adds 3·H·I (and its biases) per MoE layer to the total and nothing to the activated count', () => {
    fc.assert(
      fc.property(arbArchitecture, (arch) => {
        const moe = arch.moe;
        if (!moe) return;
        const more = { ...arch, moe: { ...moe, routedExperts: moe.routedExperts + 1 } };
        const a = parameterCounts(arch);
        const b = parameterCounts(more);
        // the expert's SwiGLU (gate, up and down: 3·H·I, and its biases, 2·I + H), its router row (and its routing bias)
        const swiglu = 3 * arch.hiddenSize * moe.expertIntermediate;
        const expertBias = moe.expertBias ? 2 * moe.expertIntermediate + arch.hiddenSize : 0;
        const routerRow = arch.hiddenSize + (moe.routerBias ? 1 : 0);
        expect(b.totalParams - a.totalParams).toBe(arch.moeLayers * (swiglu + expertBias + routerRow));
        expect(b.activatedParams - a.activatedParams).toBe(arch.moeLayers * routerRow); // the router row only
      }),
      { seed: 12, numRuns: 200 },
    );
  });

  it('routing every token to every expert activates every stored weight', () => {
    fc.assert(
      fc.property(arbArchitecture, (arch) => {
        const moe = arch.moe;
        if (!moe) return;
        const all = parameterCounts({ ...arch, moe: { ...moe, topK: moe.routedExperts } });
        expect(all.activatedParamsTiedOnce).toBe(all.totalParams);
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it('sharing K/V across more layers never adds attention weights', () => {
    fc.assert(
      fc.property(arbArchitecture, (arch) => {
        if (arch.attention.kind !== 'grouped') return;
        const wider = { ...arch, attention: { ...arch.attention, claShareFactor: arch.attention.claShareFactor + 1 } };
        expect(attentionParams(wider)).toBeLessThanOrEqual(attentionParams(arch));
      }),
      { seed: 14, numRuns: 200 },
    );
  });
});
