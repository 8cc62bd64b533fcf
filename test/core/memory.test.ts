import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GroupedAttention, HUNYUAN_LARGE, type ModelArchitecture, type MoeShape, layerParams, parameterCounts } from '../../src/core/architecture.js';
import { ACCELERATORS } from '../../src/core/hardware.js';
import { type LayerActivationShape, type Recompute, layerActivationBytes } from '../../src/core/memory-activations.js';
import {
  type ParallelLayout,
  PRECISIONS,
  type ZeroStage,
  expertDataParallel,
  layoutProblem,
  modelStateBytes,
  pipelineStages,
  stageWeights,
} from '../../src/core/memory-weights.js';
import { fitLayouts, inferenceMemory, memoryVerdict, trainingMemory } from '../../src/core/memory.js';
import { parseModelConfig } from '../../src/io/model-config.js';
import { renderMessage } from '../../src/messages/index.js';

const config = (name: string): ModelArchitecture => parseModelConfig(JSON.parse(readFileSync(`examples/configs/${name}.json`, 'utf8')), name).architecture;
const GiB = 2 ** 30;
const relative = (actual: number, expected: number) => Math.abs(actual / expected - 1);

/** The model state (weights, gradients, optimizer) of the most loaded stage. */
function modelState(m: ReturnType<typeof trainingMemory>['peak']): number {
  return m.parameters + m.gradients + m.optimizerStates;
}

describe('weights and optimizer: Megatron-LM theoretical_memory_usage.py (NVIDIA/Megatron-LM @ d98e8a64)', () => {
  // compute_weight_and_optimizer_memory, worked by hand. With the distributed optimizer,
  // num_bytes_per_parameter(d) = 6 + 12/d; dense weights use DP, routed experts
  // expert_data_parallel_size = world / (ETP·EP·PP).
  const bytesPerParam = (d: number) => 6 + 12 / d;

  it('laws.md section 8: 7e9 weights, 18 bytes unsharded (1.26e11), 7.5 bytes with the distributed optimizer at DP 8 (5.25e10)', () => {
    // A dense "model" made of one TP-sharded block: checked through the bytes per weight.
    expect(PRECISIONS.bf16.weights + PRECISIONS.bf16.gradients + PRECISIONS.bf16.master + PRECISIONS.bf16.moments).toBe(18);
    expect(7e9 * 18).toBe(1.26e11);
    expect(7e9 * bytesPerParam(8)).toBe(5.25e10);
  });

  it('dense: Llama-3-8B at TP 2, PP 1, DP 4, distributed optimizer', () => {
    const h = 4096;
    const ffn = 14336;
    const vocab = 128256;
    const heads = 32;
    const groups = 8;
    const layers = 32;
    // self_attn_term = 2·h·h·((1 + groups/heads)·query_projection_to_hidden_size_ratio)
    const attention = 2 * h * h * ((1 + groups / heads) * 1);
    const denseMlp = 2 * h * ffn * (3 / 2); // swiglu
    const layernorm = 2 * h; // RMSNorm: norm_size 1, two per layer
    const finalNorm = h;
    const embedding = h * vocab;
    const tp = 2;
    const dp = 4;
    let tpSharded = ((attention + denseMlp) * layers + embedding) / tp;
    tpSharded += embedding / tp; // untied output layer, PP = 1
    const replicated = layernorm * layers + finalNorm;
    const megatron = (tpSharded + replicated) * bytesPerParam(dp);

    const arch = config('llama-3-8b');
    const m = trainingMemory({
      arch,
      layout: { tp, pp: 1, cp: 1, dp, ep: 1, etp: tp },
      precision: PRECISIONS.bf16,
      zero: 1,
      seqLen: 8192,
      microBatch: 1,
      recompute: 'selective',
      sequenceParallel: true,
    });
    expect(modelState(m.peak)).toBe(megatron);
  });

  it('dense activations: compute_activation_memory (SP + selective), with the documented departures', () => {
    // Megatron-LM: s·b·h·(18 + 4·ffn/h)·L + 8·s·b·p + s·b·h·p + (p = 1) s·b·h·4·(1 + V/h), all / t.
    const [s, b, h, ffn, L, V, t, p] = [8192, 1, 4096, 14336, 32, 128256, 2, 1];
    const megatron = (s * b * h * (18 + (4 * ffn) / h) * L + 8 * s * b * p + s * b * h * p + s * b * h * 4 * (1 + V / h)) / t;
    // Departures (memory-activations.ts): no dropout masks (2h per layer, the embedding's h),
    // GQA widths for Q, K, V and the attention output (2·(4096 + 1024 + 1024 + 4096) instead of 8h),
    // SwiGLU keeps 6·ffn rather than 4·ffn, and the token ids are not divided by TP.
    const perLayerChange = -2 * h - 8 * h + 2 * (4096 + 1024 + 1024 + 4096) + 2 * ffn;
    const ours = megatron + (s * b * perLayerChange * L) / t - (s * b * h * p) / t + 8 * s * b * p * (1 - 1 / t);
    const m = trainingMemory({
      arch: config('llama-3-8b'),
      layout: { tp: 2, pp: 1, cp: 1, dp: 4, ep: 1, etp: 2 },
      precision: PRECISIONS.bf16,
      zero: 1,
      seqLen: s,
      microBatch: b,
      recompute: 'selective',
      sequenceParallel: true,
    });
    expect(relative(m.peak.activations, ours)).toBeLessThan(1e-12);
  });

  it('Megatron-LM per-layer activations 18 + 4·ffn/h are the GeLU shape with dropout under SP + selective, any ffn', () => {
    for (const ffn of [4 * 1024, 3 * 1024, 2730]) {
      const shape = mhaGelu(1024, 16, ffn);
      const [s, b, h, t] = [2048, 2, 1024, 4];
      const megatron = (s * b * h * (18 + (4 * ffn) / h)) / t;
      const ours = layerActivationBytes(shape, {
        seqLen: s,
        microBatch: b,
        tp: t,
        cp: 1,
        sequenceParallel: true,
        recompute: 'selective',
        flashAttention: false,
      });
      expect(relative(ours.total, megatron)).toBeLessThan(1e-12);
    }
  });

  it('MoE: Mixtral-8x7B at TP 2, PP 4, EP 8, ETP 1, DP 8 (64 GPUs, EDP 2), distributed optimizer', () => {
    const h = 4096;
    const layers = 32;
    const attention = 2 * h * h * (1 + 8 / 32);
    const routedExperts = 2 * h * 14336 * 8 * (3 / 2);
    const layernorm = 2 * h;
    const router = h * 8;
    const finalNorm = h;
    const embedding = h * 32000;
    const [tp, pp, ep, etp, dp] = [2, 4, 8, 1, 8];
    const world = tp * pp * dp;
    const expertDp = world / (etp * ep * pp);
    expect(expertDp).toBe(2);
    const tpSharded = ((attention * layers) / pp + embedding) / tp;
    const replicatedBlock = (layernorm + router) * layers + finalNorm;
    const replicated = replicatedBlock / pp;
    const expertSharded = (routedExperts * layers) / pp / (etp * ep);
    const megatron = (tpSharded + replicated) * bytesPerParam(dp) + expertSharded * bytesPerParam(expertDp);

    const layout = { tp, pp, cp: 1, dp, ep, etp };
    expect(expertDataParallel(layout)).toBe(2);
    const m = trainingMemory({
      arch: config('mixtral-8x7b'),
      layout,
      precision: PRECISIONS.bf16,
      zero: 1,
      seqLen: 4096,
      microBatch: 1,
      recompute: 'selective',
      sequenceParallel: true,
    });
    expect(m.peak.stage).toBe(0);
    // Megatron-LM spreads the final norm over the stages (h/PP on each); moeplan keeps it on the last stage.
    expect(modelState(m.peak)).toBeCloseTo(megatron - (finalNorm / pp) * bytesPerParam(dp), 3);
  });
});

/** A GPT layer as Korthikanti et al. model it: MHA, 4h GeLU (or `ffn`), dropout. */
function mhaGelu(h: number, heads: number, ffn = 4 * h): LayerActivationShape {
  return {
    hidden: h,
    heads,
    queryWidth: h,
    keyWidth: h,
    valueWidth: h,
    attentionOutputWidth: h,
    latentWidth: 0,
    feedForward: { activation: 'gelu', intermediate: ffn },
    dropout: true,
  };
}

describe('activations per layer: Korthikanti et al. 2022 Table 2 (arXiv:2205.05198)', () => {
  const cases: Array<{ tp: number; sp: boolean; recompute: Recompute; form: (s: number, b: number, h: number, a: number, t: number) => number }> = [
    { tp: 1, sp: false, recompute: 'none', form: (s, b, h, a) => s * b * h * (34 + (5 * a * s) / h) },
    { tp: 8, sp: false, recompute: 'none', form: (s, b, h, a, t) => s * b * h * (10 + 24 / t + (5 * a * s) / (h * t)) },
    { tp: 8, sp: true, recompute: 'none', form: (s, b, h, a, t) => s * b * h * (34 / t + (5 * a * s) / (h * t)) },
    { tp: 8, sp: false, recompute: 'selective', form: (s, b, h, _a, t) => s * b * h * (10 + 24 / t) },
    { tp: 8, sp: true, recompute: 'selective', form: (s, b, h, _a, t) => s * b * h * (34 / t) },
    { tp: 8, sp: false, recompute: 'full', form: (s, b, h) => s * b * h * 2 },
  ];
  const layer = (h: number, a: number, c: (typeof cases)[number]) =>
    layerActivationBytes(mhaGelu(h, a), { seqLen: 2048, microBatch: 1, tp: c.tp, cp: 1, sequenceParallel: c.sp, recompute: c.recompute, flashAttention: false })
      .total;

  it('GPT-3 175B (s 2048, h 12288, a 96, t 8): the worked values of laws.md section 8', () => {
    const published = [2.8689e9, 5.7881e8, 3.5861e8, 3.2716e8, 1.0695e8, 5.0332e7];
    cases.forEach((c, i) => {
      expect(relative(layer(12288, 96, c), published[i] as number)).toBeLessThan(1e-3);
      expect(relative(layer(12288, 96, c), c.form(2048, 1, 12288, 96, 8))).toBeLessThan(1e-12);
    });
  });

  it('MT-NLG 530B (s 2048, h 20480, a 128, t 8; Table 3 of the paper): every row of Table 2', () => {
    for (const c of cases) expect(relative(layer(20480, 128, c), c.form(2048, 1, 20480, 128, 8))).toBeLessThan(1e-12);
    // Sequence parallelism with selective recompute keeps 34/t of the 34 + 5as/h (as = 128·2048, h = 20480: 5as/h = 64).
    expect(layer(20480, 128, cases[4] as (typeof cases)[number])).toBe(2048 * 20480 * (34 / 8));
    expect(layer(20480, 128, cases[0] as (typeof cases)[number])).toBe(2048 * 20480 * (34 + 64));
  });

  it('flash attention keeps no scores: recompute none costs what selective does', () => {
    const options = { seqLen: 4096, microBatch: 1, tp: 4, cp: 1, sequenceParallel: true };
    const none = layerActivationBytes(mhaGelu(4096, 32), { ...options, recompute: 'none' });
    const selective = layerActivationBytes(mhaGelu(4096, 32), { ...options, recompute: 'selective' });
    expect(none.scores).toBe(0);
    expect(none.total).toBe(selective.total);
  });
});

describe('parameter memory of published MoE models under a stated layout (bf16 weights, 2 bytes)', () => {
  it('Hunyuan-Large, TP 8, PP 4, EP 16, ETP 1, DP 32 (1,024 GPUs): stage 0 holds 16 layers and the embedding', () => {
    const layout: ParallelLayout = { tp: 8, pp: 4, cp: 1, dp: 32, ep: 16, etp: 1 };
    const w = stageWeights(HUNYUAN_LARGE, layout, pipelineStages(HUNYUAN_LARGE, 4)[0] as ReturnType<typeof pipelineStages>[number]);
    // Report Table 1: hidden 6400, 80 heads × 80, 8 K/V heads, CLA pairs, expert FFN 18304, 16 experts + 1 shared, vocab 128512.
    const h = 6400;
    const expert = 3 * h * 18304;
    const qo = 2 * h * 80 * 80;
    const kv = 2 * h * 8 * 80; // in layers 0, 2, …, 14 of the stage
    const tpSharded = (16 * qo + 8 * kv + 16 * expert + 128512 * h) / 8;
    const replicated = 16 * (2 * h + 2 * 80 + 16 * h); // norms, QK-norm, router
    const routed = (16 * 16 * expert) / 16;
    expect(w).toEqual({ tpSharded, replicated, expertSharded: routed });
    const bytes = 2 * (tpSharded + replicated + routed);
    expect(bytes).toBe(13_205_099_520); // 12.30 GiB (recomputed in Python from the same dimensions)
  });

  it('DeepSeek-V3, TP 1, PP 16, EP 64, DP 128 (2,048 GPUs, the report section 3.2 layout): 4 MoE layers per middle stage', () => {
    const arch = config('deepseek-v3');
    const layout: ParallelLayout = { tp: 1, pp: 16, cp: 1, dp: 128, ep: 64, etp: 1 };
    const stages = pipelineStages(arch, 16);
    expect(stages.map((s) => s.count)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3]);
    const h = 7168;
    // MLA (DeepSeek-V2 section 2.1): q_a h×1536 + norm, q_b 1536×128·192; kv_a h×576 + norm, kv_b 512×128·256; o 128·128×h.
    const mla = h * 1536 + 1536 + 1536 * 128 * 192 + (h * 576 + 512 + 512 * 128 * 256) + 128 * 128 * h;
    const expert = 3 * h * 2048;
    const w = stageWeights(arch, layout, stages[1] as ReturnType<typeof pipelineStages>[number]);
    expect(w.tpSharded).toBe(4 * (mla + expert)); // attention + the shared expert
    expect(w.replicated).toBe(4 * (2 * h + h * 256 + 256)); // norms, router, routing bias
    expect(w.expertSharded).toBe((4 * 256 * expert) / 64);
    expect(2 * (w.tpSharded + w.replicated + w.expertSharded)).toBe(3_273_263_104); // 3.05 GiB (recomputed in Python)
    // Stage 0: 3 dense layers (FFN 18432), 1 MoE layer and the embedding (129280 × h).
    const first = stageWeights(arch, layout, stages[0] as ReturnType<typeof pipelineStages>[number]);
    expect(first.tpSharded).toBe(4 * mla + 3 * 3 * h * 18432 + expert + 129280 * h);
    expect(first.expertSharded).toBe((256 * expert) / 64);
  });

  it('every weight is held once per shard: the stages times their sharding add up to the total', () => {
    for (const [arch, layout] of [
      [HUNYUAN_LARGE, { tp: 8, pp: 4, cp: 1, dp: 32, ep: 16, etp: 1 }],
      [config('deepseek-v3'), { tp: 2, pp: 16, cp: 1, dp: 64, ep: 64, etp: 2 }],
      [config('llama-3-8b'), { tp: 4, pp: 3, cp: 1, dp: 2, ep: 1, etp: 4 }],
      [HUNYUAN_LARGE, { tp: 2, pp: 1, cp: 1, dp: 8, ep: 4, etp: 2 }],
    ] as const) {
      const sum = pipelineStages(arch, layout.pp)
        .map((s) => stageWeights(arch, layout, s))
        .reduce((acc, w) => acc + w.tpSharded * layout.tp + w.replicated + w.expertSharded * layout.ep * layout.etp, 0);
      const tiedCopy = arch.tiedEmbeddings && layout.pp > 1 ? arch.vocabSize * arch.hiddenSize : 0;
      expect(relative(sum, parameterCounts(arch).totalParams + tiedCopy)).toBeLessThan(1e-12);
    }
  });

  it('every config family: the stages hold every weight once per shard (sliding windows, Mamba layers, biases, extra norms)', () => {
    const files = readdirSync('examples/configs').filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(5);
    const hybrid: ModelArchitecture = {
      ...HUNYUAN_LARGE,
      attention: { ...(HUNYUAN_LARGE.attention as GroupedAttention), attentionSinks: true, qkNormScope: 'projection' },
      moe: { ...(HUNYUAN_LARGE.moe as MoeShape), expertBias: true, routerBias: true },
      moeLayers: 40,
      normsPerLayer: 4,
      normBias: true,
      outputHeadBias: true,
      mamba: { layers: 23, inner: 12800, stateSize: 16, convKernel: 4, dtRank: 400, convBias: true, projBias: true, innerNorms: true },
    };
    for (const [file, arch] of [...files.map((f) => [f, config(f.replace(/\.json$/, ''))] as const), ['hybrid', hybrid] as const]) {
      for (const layout of [
        { tp: 1, pp: 1, cp: 1, dp: 1, ep: 1, etp: 1 },
        { tp: 2, pp: 3, cp: 1, dp: 1, ep: 1, etp: 2 },
      ]) {
        const sum = pipelineStages(arch, layout.pp)
          .map((s) => stageWeights(arch, layout, s))
          .reduce((acc, w) => acc + w.tpSharded * layout.tp + w.replicated + w.expertSharded * layout.ep * layout.etp, 0);
        const tiedCopy = arch.tiedEmbeddings && layout.pp > 1 ? arch.vocabSize * arch.hiddenSize : 0;
        expect(relative(sum, parameterCounts(arch).totalParams + tiedCopy), file).toBeLessThan(1e-12);
      }
    }
  });

  it('layer by layer, the weights are those of parameterCounts', () => {
    for (const arch of [HUNYUAN_LARGE, config('deepseek-v3'), config('mixtral-8x7b')]) {
      let layers = 0;
      for (let i = 0; i < arch.layers; i++) layers += Object.values(layerParams(arch, i)).reduce((a, b) => a + b, 0);
      const c = parameterCounts(arch);
      const embeddings = arch.vocabSize * arch.hiddenSize * (arch.tiedEmbeddings ? 1 : 2);
      expect(layers + embeddings + arch.hiddenSize).toBe(c.totalParams);
    }
  });
});

describe('ZeRO stages (Rajbhandari et al. 2020, Figure 1: 7.5B parameters, DP 64, fp16 mixed-precision Adam, 16 bytes each)', () => {
  it('120 GB, 31.4 GB, 16.6 GB and 1.9 GB per GPU for stages 0 to 3', () => {
    const weights = { tpSharded: 7.5e9, replicated: 0, expertSharded: 0 };
    const published = [120, 31.4, 16.6, 1.9];
    for (const zero of [0, 1, 2, 3] as const) {
      const b = modelStateBytes(weights, { dense: 64, expert: 64 }, PRECISIONS.fp16, zero);
      expect(Number(((b.parameters + b.gradients + b.optimizerStates) / 1e9).toFixed(1))).toBe(published[zero]);
    }
  });
});

describe('training memory per GPU', () => {
  const hunyuan = {
    arch: HUNYUAN_LARGE,
    precision: PRECISIONS.bf16,
    zero: 1 as ZeroStage,
    seqLen: 4096,
    microBatch: 1,
    recompute: 'selective' as Recompute,
    sequenceParallel: true,
  };

  it('the parts add up to the total on every stage, and the peak is the largest stage', () => {
    const m = trainingMemory({ ...hunyuan, layout: { tp: 8, pp: 8, cp: 1, dp: 16, ep: 16, etp: 1 } });
    for (const s of m.stages) {
      expect(s.total).toBe(s.parameters + s.gradients + s.optimizerStates + s.activations);
      const p = s.activationParts;
      expect(s.activations).toBe(p.layers + p.recomputeWorkingSet + p.embedding + p.output);
      expect(s.total).toBeLessThanOrEqual(m.peak.total);
    }
    expect(m.peak.stage).toBe(0);
    expect(m.stages.map((s) => s.inFlightMicroBatches)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('1F1B: stage 0 keeps PP micro-batches of its L/PP layers, as many layer activations as PP = 1 keeps', () => {
    const one = trainingMemory({ ...hunyuan, layout: { tp: 8, pp: 1, cp: 1, dp: 16, ep: 16, etp: 1 } });
    const four = trainingMemory({ ...hunyuan, layout: { tp: 8, pp: 4, cp: 1, dp: 4, ep: 16, etp: 1 } });
    expect(four.stages[0]?.activationParts.layers).toBe(one.peak.activationParts.layers);
  });

  it('full recompute keeps the layer inputs plus one layer being recomputed', () => {
    const m = trainingMemory({ ...hunyuan, recompute: 'full', layout: { tp: 8, pp: 1, cp: 1, dp: 16, ep: 16, etp: 1 } });
    const inputs = (2 * 6400 * 4096) / 8; // 2h per token, split by SP
    expect(m.peak.activationParts.layers).toBe(64 * inputs);
    expect(m.peak.activationParts.recomputeWorkingSet).toBeGreaterThan(inputs);
  });

  it('routed-token buffers grow with top-k and the capacity factor', () => {
    const layout = { tp: 1, pp: 1, cp: 1, dp: 8, ep: 8, etp: 1 };
    const base = { ...hunyuan, arch: config('mixtral-8x7b'), layout, sequenceParallel: false };
    const c1 = trainingMemory(base).peak.activations;
    const c2 = trainingMemory({ ...base, capacityFactor: 2 }).peak.activations;
    // Mixtral: top-2, expert FFN 14336; per routed copy 4h + 6·f_e bytes, 2 copies per token (c = 1), 32 layers.
    expect(c2 - c1).toBe(32 * 4096 * 2 * (4 * 4096 + 6 * 14336));
  });

  it('context parallelism divides the tokens per GPU', () => {
    const one = trainingMemory({ ...hunyuan, layout: { tp: 8, pp: 1, cp: 1, dp: 16, ep: 16, etp: 1 } });
    const two = trainingMemory({ ...hunyuan, layout: { tp: 8, pp: 1, cp: 2, dp: 8, ep: 16, etp: 1 } });
    expect(two.peak.activations).toBe(one.peak.activations / 2);
  });
});

describe('layouts', () => {
  it('EP must divide the routed experts: the problem names both numbers', () => {
    const problem = layoutProblem(HUNYUAN_LARGE, { tp: 1, pp: 1, cp: 1, dp: 12, ep: 6, etp: 1 });
    expect(problem).toEqual({ field: 'ep', problem: { code: 'layout.ep-experts', args: { ep: 6, experts: 16 } } });
    expect(problem && renderMessage(problem.problem)).toBe('EP 6 does not divide the 16 routed experts');
    expect(layoutProblem(HUNYUAN_LARGE, { tp: 3, pp: 1, cp: 1, dp: 1, ep: 1, etp: 1 })?.field).toBe('tp');
    const experts = layoutProblem(HUNYUAN_LARGE, { tp: 1, pp: 1, cp: 1, dp: 2, ep: 4, etp: 1 });
    expect(experts && renderMessage(experts.problem)).toBe('EP × ETP = 4 does not divide TP × CP × DP = 2');
    expect(layoutProblem(config('llama-3-8b'), { tp: 1, pp: 1, cp: 1, dp: 2, ep: 2, etp: 1 })?.field).toBe('ep');
    expect(layoutProblem(HUNYUAN_LARGE, { tp: 8, pp: 8, cp: 1, dp: 16, ep: 16, etp: 1 })).toBeUndefined();
  });

  it('the search keeps only layouts that fit, sorted by TP × PP × CP, then EP, then memory', () => {
    const capacity = (ACCELERATORS.h100 as { memoryBytes: number }).memoryBytes;
    const input = {
      arch: HUNYUAN_LARGE,
      precision: PRECISIONS.bf16,
      zero: 1 as ZeroStage,
      seqLen: 4096,
      microBatch: 1,
      recompute: 'selective' as Recompute,
      sequenceParallel: true,
    };
    const fits = fitLayouts(input, { gpus: 256, capacity });
    expect(fits.length).toBeGreaterThan(0);
    for (const f of fits) {
      expect(f.layout.tp * f.layout.pp * f.layout.cp * f.layout.dp).toBe(256);
      expect(layoutProblem(HUNYUAN_LARGE, f.layout)).toBeUndefined();
      expect(trainingMemory({ ...input, layout: f.layout }).peak.total).toBe(f.total);
      expect(f.total).toBeLessThanOrEqual(0.9 * capacity);
    }
    for (let i = 1; i < fits.length; i++) {
      const [a, b] = [fits[i - 1], fits[i]] as [(typeof fits)[number], (typeof fits)[number]];
      expect(a.modelParallel < b.modelParallel || (a.modelParallel === b.modelParallel && a.layout.ep <= b.layout.ep)).toBe(true);
    }
    // On 8 GPUs nothing holds 389B parameters with Adam (7 TB of state).
    expect(fitLayouts(input, { gpus: 8, capacity })).toEqual([]);
  });

  it('the verdict: over the capacity, tight below 10% headroom, else fits', () => {
    expect(memoryVerdict(81 * GiB, 80 * GiB).verdict).toBe('over');
    expect(memoryVerdict(75 * GiB, 80 * GiB).verdict).toBe('tight');
    expect(memoryVerdict(70 * GiB, 80 * GiB)).toEqual({ headroomBytes: 10 * GiB, headroom: 0.125, verdict: 'fits' });
  });
});

describe('inference: weights and KV cache', () => {
  it('Hunyuan-Large in bf16 on 8 GPUs (TP 8): 388.7B × 2 bytes / 8 and 81,920 bytes per token of cache / 8', () => {
    const m = inferenceMemory({ arch: HUNYUAN_LARGE, layout: { tp: 8, pp: 1, ep: 1, etp: 8 }, weightBytes: 2, kvBytesPerElement: 2, batch: 8, context: 32768 });
    expect(relative(m.peak.parameters, (parameterCounts(HUNYUAN_LARGE).totalParams * 2) / 8)).toBeLessThan(1e-3);
    expect(m.peak.kvCache).toBe((8 * 32768 * 81_920) / 8);
    expect(m.peak.total).toBe(m.peak.parameters + m.peak.kvCache);
  });

  it('K/V heads are copied when TP exceeds them; a latent cache is whole on every TP rank', () => {
    const tp16 = inferenceMemory({
      arch: HUNYUAN_LARGE,
      layout: { tp: 16, pp: 1, ep: 1, etp: 16 },
      weightBytes: 2,
      kvBytesPerElement: 2,
      batch: 1,
      context: 1000,
    });
    expect(tp16.peak.kvCache).toBe((1000 * 81_920) / 8);
    const v3 = config('deepseek-v3');
    const mla = inferenceMemory({ arch: v3, layout: { tp: 8, pp: 1, ep: 1, etp: 8 }, weightBytes: 1, kvBytesPerElement: 2, batch: 1, context: 1000 });
    expect(mla.peak.kvCache).toBe(1000 * 2 * (512 + 64) * 61);
  });
});

describe('properties: memory per GPU never rises as TP, PP, EP or the ZeRO stage grow', () => {
  const archArb = fc
    .record({
      hidden: fc.constantFrom(1024, 2048, 4096),
      heads: fc.constantFrom(16, 32),
      kvHeads: fc.constantFrom(8, 16),
      layers: fc.constantFrom(8, 16, 32),
      experts: fc.constantFrom(0, 8, 16, 64),
      topK: fc.constantFrom(1, 2, 8),
      vocab: fc.constantFrom(32000, 128256),
      tied: fc.boolean(),
    })
    .map(
      (r): ModelArchitecture => ({
        hiddenSize: r.hidden,
        layers: r.layers,
        vocabSize: r.vocab,
        tiedEmbeddings: r.tied,
        attention: {
          kind: 'grouped',
          heads: r.heads,
          kvHeads: r.kvHeads,
          headDim: r.hidden / r.heads,
          claShareFactor: 1,
          qkNorm: false,
          qkvBias: false,
          outputBias: false,
        },
        denseIntermediate: r.hidden * 3,
        moe:
          r.experts > 0
            ? {
                routedExperts: r.experts,
                expertIntermediate: r.hidden,
                topK: r.topK,
                sharedExperts: 1,
                sharedIntermediate: r.hidden,
                sharedExpertGate: false,
                routerBias: false,
              }
            : undefined,
        moeLayers: r.experts > 0 ? r.layers : 0,
      }),
    );
  const runArb = fc.record({
    arch: archArb,
    tp: fc.constantFrom(1, 2, 4),
    pp: fc.constantFrom(1, 2, 4),
    dp: fc.constantFrom(1, 2, 4, 8),
    ep: fc.constantFrom(1, 2, 4),
    etp: fc.constantFrom(1, 2),
    zero: fc.constantFrom<ZeroStage>(0, 1, 2, 3),
    recompute: fc.constantFrom<Recompute>('none', 'selective', 'full'),
    sp: fc.boolean(),
    flash: fc.boolean(),
    seqLen: fc.constantFrom(2048, 4096, 8192),
    microBatch: fc.constantFrom(1, 2, 4),
    precision: fc.constantFrom(PRECISIONS.bf16, PRECISIONS.fp8, PRECISIONS.fp16, PRECISIONS.fp32),
  });
  type Run = typeof runArb extends fc.Arbitrary<infer T> ? T : never;
  const total = (r: Run, layout: ParallelLayout, zero = r.zero) =>
    trainingMemory({
      arch: r.arch,
      layout,
      precision: r.precision,
      zero,
      seqLen: r.seqLen,
      microBatch: r.microBatch,
      recompute: r.recompute,
      sequenceParallel: r.sp,
      flashAttention: r.flash,
    }).peak.total;

  it('doubling TP, PP or EP, or raising ZeRO, never raises the peak; the parts always add up', () => {
    fc.assert(
      fc.property(runArb, (r) => {
        const ep = r.arch.moe ? r.ep : 1;
        const layout: ParallelLayout = { tp: r.tp, pp: r.pp, cp: 1, dp: r.dp, ep, etp: r.etp };
        fc.pre(layoutProblem(r.arch, layout) === undefined);
        const base = total(r, layout);
        const m = trainingMemory({
          arch: r.arch,
          layout,
          precision: r.precision,
          zero: r.zero,
          seqLen: r.seqLen,
          microBatch: r.microBatch,
          recompute: r.recompute,
          sequenceParallel: r.sp,
          flashAttention: r.flash,
        });
        expect(m.peak.total).toBe(m.peak.parameters + m.peak.gradients + m.peak.optimizerStates + m.peak.activations);
        const bigger: ParallelLayout[] = [
          { ...layout, tp: layout.tp * 2 },
          { ...layout, pp: layout.pp * 2 },
          { ...layout, ep: layout.ep * 2 },
        ];
        for (const next of bigger) {
          if (layoutProblem(r.arch, next) !== undefined) continue;
          expect(total(r, next)).toBeLessThanOrEqual(base * (1 + 1e-12));
        }
        if (r.zero < 3) expect(total(r, layout, (r.zero + 1) as ZeroStage)).toBeLessThanOrEqual(base);
      }),
      { numRuns: 300 },
    );
  });
});
