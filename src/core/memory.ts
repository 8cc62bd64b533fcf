/**
 * Memory per GPU of training and inference under a parallel layout: the most loaded GPU,
 * by part, against the GPU's memory.
 *
 * Training, per pipeline stage s of PP (1F1B schedule, Korthikanti et al. 2022 §4.2.3:
 * stage s has PP − s micro-batches in flight), bytes:
 *   parameters + gradients + optimizer states   (memory-weights.ts: Megatron-LM's sharding, ZeRO)
 *   + (PP − s) · Σ over the stage's layers of the layer's activations   (memory-activations.ts)
 *   + stage 0: (PP) · (8·T token ids + T·h embedding dropout mask, when there is dropout)
 *   + last stage: 4·T·h (final-norm and output-layer inputs, split by SP) + 4·T·V/TP (fp32 logits)
 * with T = s/CP · b tokens of one micro-batch. The stage with the largest total is the most
 * loaded one. The embedding and output terms are Megatron-LM's
 * (`compute_activation_memory`: 8·s·b·p, s·b·h·p, s·b·h·4·(1 + V/h)), which under sequence
 * parallelism are also Korthikanti's s·b·h·L/t·(p/L + δ_{p=1}·(4/L)·(1 + v/h)); unlike
 * Megatron-LM, the token ids are not divided by TP (every TP rank reads them), and the
 * output terms sit on the last stage, with one micro-batch in flight.
 *
 * Inference: weights (the same sharding, no gradients or optimizer) + the KV cache of
 * `batch` sequences of `context` tokens, the cache of the stage's layers (a windowed layer
 * caches min(context, window) tokens, a Mamba layer its fixed state: kv-cache.ts, as `arch
 * --context` counts it), split by TP over the K/V heads (a latent cache is whole on every
 * TP rank).
 *
 * Not modelled: Megatron's interleaved schedule, vocabulary padding, multi-token-prediction
 * modules, ZeRO-3 gather buffers, communication buffers, the CUDA context and allocator
 * fragmentation (the headroom is for those); the activations of a Mamba layer are counted as
 * an attention layer's, and in training a sliding-window layer's activations are a full
 * layer's.
 */
import { type ModelArchitecture, isMoeLayer } from './architecture.js';
import { layerKvCache } from './kv-cache.js';
import { type LayerActivationShape, type Recompute, layerActivationBytes } from './memory-activations.js';
import {
  type ModelStateBytes,
  type ParallelLayout,
  type Precision,
  type StageLayers,
  type StageWeights,
  type ZeroStage,
  expertDataParallel,
  layoutProblem,
  modelStateBytes,
  pipelineStages,
  stageWeights,
} from './memory-weights.js';

export interface TrainingMemoryInput {
  readonly arch: ModelArchitecture;
  readonly layout: ParallelLayout;
  readonly precision: Precision;
  readonly zero: ZeroStage;
  readonly seqLen: number;
  readonly microBatch: number;
  readonly recompute: Recompute;
  readonly sequenceParallel: boolean;
  /** Default true. */
  readonly flashAttention?: boolean;
  /** Capacity factor of the routed experts (default 1). */
  readonly capacityFactor?: number;
}

/** Activations of one stage, by where they come from. */
export interface ActivationParts {
  /** The stage's layers times the micro-batches in flight. */
  readonly layers: number;
  /** Full recompute: the activations of the one layer recomputed during the backward pass. */
  readonly recomputeWorkingSet: number;
  /** Token ids and embedding dropout mask (stage 0). */
  readonly embedding: number;
  /** Final-norm and output-layer inputs and the logits (last stage). */
  readonly output: number;
}

export interface StageMemory extends ModelStateBytes {
  readonly stage: number;
  readonly layers: StageLayers;
  /** Weights on one GPU of the stage. */
  readonly weights: StageWeights;
  readonly inFlightMicroBatches: number;
  readonly activations: number;
  readonly activationParts: ActivationParts;
  /** parameters + gradients + optimizerStates + activations. */
  readonly total: number;
}

export interface TrainingMemory {
  /** Every stage, in order. */
  readonly stages: readonly StageMemory[];
  /** The most loaded stage (largest total; the first of equals). */
  readonly peak: StageMemory;
  /** Shard groups of the optimizer: DP × CP for dense weights, EDP for the routed experts. */
  readonly shardGroups: { readonly dense: number; readonly expert: number };
}

/** The activation shape of a dense (or, with `moe`, an MoE) layer of `arch`. */
export function layerShape(arch: ModelArchitecture, moe: boolean): LayerActivationShape {
  const a = arch.attention;
  const attention =
    a.kind === 'latent'
      ? {
          queryWidth: a.heads * (a.qkNopeHeadDim + a.qkRopeHeadDim),
          keyWidth: a.heads * (a.qkNopeHeadDim + a.qkRopeHeadDim),
          valueWidth: a.heads * a.vHeadDim,
          attentionOutputWidth: a.heads * a.vHeadDim,
          latentWidth: a.qLoraRank + a.kvLoraRank + a.qkRopeHeadDim,
        }
      : {
          queryWidth: a.heads * a.headDim,
          keyWidth: a.kvHeads * a.headDim,
          valueWidth: a.kvHeads * a.headDim,
          attentionOutputWidth: a.heads * a.headDim,
          latentWidth: 0,
        };
  const m = moe ? arch.moe : undefined;
  return {
    hidden: arch.hiddenSize,
    heads: a.heads,
    ...attention,
    feedForward: { activation: 'swiglu', intermediate: m ? m.sharedExperts * m.sharedIntermediate : arch.denseIntermediate },
    routed: m ? { experts: m.routedExperts, topK: m.topK, intermediate: m.expertIntermediate } : undefined,
    dropout: false,
  };
}

/**
 * Training memory of every pipeline stage and the most loaded one (formulas in the file's
 * comment).
 *
 * @example
 * trainingMemory({ arch: HUNYUAN_LARGE, layout: { tp: 8, pp: 8, cp: 1, dp: 16, ep: 16, etp: 1 },
 *   precision: PRECISIONS.bf16, zero: 1, seqLen: 4096, microBatch: 1, recompute: 'selective', sequenceParallel: true }).peak.total
 * // 35_380_420_032 bytes (32.95 GiB) on stage 0, of which 9.9 GiB activations
 */
export function trainingMemory(input: TrainingMemoryInput): TrainingMemory {
  const { arch, layout } = input;
  const shardGroups = { dense: layout.dp * layout.cp, expert: expertDataParallel(layout) };
  const options = {
    seqLen: input.seqLen,
    microBatch: input.microBatch,
    tp: layout.tp,
    cp: layout.cp,
    etp: layout.etp,
    sequenceParallel: input.sequenceParallel,
    recompute: input.recompute,
    flashAttention: input.flashAttention ?? true,
    capacityFactor: input.capacityFactor ?? 1,
  };
  const dense = layerActivationBytes(layerShape(arch, false), options).total;
  const moe = arch.moe ? layerActivationBytes(layerShape(arch, true), options).total : 0;
  const working =
    input.recompute === 'full'
      ? {
          dense: layerActivationBytes(layerShape(arch, false), { ...options, recompute: 'none' }).total,
          moe: arch.moe ? layerActivationBytes(layerShape(arch, true), { ...options, recompute: 'none' }).total : 0,
        }
      : undefined;
  const tokens = (input.seqLen / layout.cp) * input.microBatch;
  const bySp = input.sequenceParallel ? layout.tp : 1;
  const dropout = layerShape(arch, false).dropout;

  const stages = pipelineStages(arch, layout.pp).map((layers): StageMemory => {
    const weights = stageWeights(arch, layout, layers);
    const state = modelStateBytes(weights, shardGroups, input.precision, input.zero);
    const inFlight = layout.pp - layers.stage;
    let hasMoe = false;
    for (let i = layers.first; i < layers.first + layers.count; i++) if (isMoeLayer(arch, i)) hasMoe = true;
    const parts: ActivationParts = {
      layers: inFlight * (layers.dense * dense + layers.moe * moe),
      recomputeWorkingSet: working ? Math.max(layers.dense > 0 ? working.dense : 0, hasMoe ? working.moe : 0) : 0,
      embedding: layers.stage === 0 ? inFlight * (8 * tokens + (dropout ? (arch.hiddenSize * tokens) / bySp : 0)) : 0,
      output: layers.stage === layout.pp - 1 ? (4 * arch.hiddenSize * tokens) / bySp + (4 * arch.vocabSize * tokens) / layout.tp : 0,
    };
    const activations = parts.layers + parts.recomputeWorkingSet + parts.embedding + parts.output;
    return {
      stage: layers.stage,
      layers,
      weights,
      ...state,
      inFlightMicroBatches: inFlight,
      activations,
      activationParts: parts,
      total: state.parameters + state.gradients + state.optimizerStates + activations,
    };
  });
  const peak = stages.reduce((best, s) => (s.total > best.total ? s : best));
  return { stages, peak, shardGroups };
}

export interface InferenceMemoryInput {
  readonly arch: ModelArchitecture;
  /** DP and CP do not change one GPU's memory at inference; ETP defaults to TP. */
  readonly layout: Pick<ParallelLayout, 'tp' | 'pp' | 'ep' | 'etp'>;
  /** Bytes per weight (bf16 2, fp8 1). */
  readonly weightBytes: number;
  /** Bytes per cached element. */
  readonly kvBytesPerElement: number;
  /** Sequences in the batch. */
  readonly batch: number;
  /** Tokens per sequence. */
  readonly context: number;
}

export interface InferenceStageMemory {
  readonly stage: number;
  readonly layers: StageLayers;
  readonly weights: StageWeights;
  readonly parameters: number;
  readonly kvCache: number;
  readonly total: number;
}

/**
 * Inference memory per GPU: weights + KV cache, per stage and the most loaded stage.
 *
 * KV cache of a stage = batch · bytes per element · (Σ over its layers of what each caches
 * per sequence, `layerKvCache`: context tokens, min(context, window) for a windowed layer, the
 * fixed state of a Mamba layer) with K/V split over min(TP, n_g) for grouped attention (K/V
 * heads are copied when TP > n_g), 1 for latent, and a Mamba state over TP.
 *
 * @example
 * inferenceMemory({ arch: HUNYUAN_LARGE, layout: { tp: 8, pp: 1, ep: 1, etp: 8 }, weightBytes: 2, kvBytesPerElement: 2, batch: 8, context: 32768 }).peak
 * // parameters ≈ 9.7e10 (388.7e9 · 2 / 8), kvCache = 8·32768·81920/8 ≈ 2.7e9
 */
export function inferenceMemory(input: InferenceMemoryInput): { stages: InferenceStageMemory[]; peak: InferenceStageMemory } {
  const { arch } = input;
  const layout: ParallelLayout = { ...input.layout, cp: 1, dp: 1 };
  const a = arch.attention;
  const kvSplit = a.kind === 'grouped' ? Math.min(layout.tp, a.kvHeads) : 1;
  const stages = pipelineStages(arch, layout.pp).map((layers): InferenceStageMemory => {
    const weights = stageWeights(arch, layout, layers);
    const parameters = input.weightBytes * (weights.tpSharded + weights.replicated + weights.expertSharded);
    // What each layer of the stage caches per sequence (kv-cache.ts: windowed layers min(T, w)
    // tokens, Mamba layers their fixed state); K/V split over min(TP, n_g), a Mamba state over TP (d_in is sharded).
    let attentionElements = 0;
    let stateElements = 0;
    for (let i = layers.first; i < layers.first + layers.count; i++) {
      const layer = layerKvCache(arch, i, input.context);
      if (layer.state) stateElements += layer.elements;
      else attentionElements += layer.elements;
    }
    const kvCache = input.batch * input.kvBytesPerElement * (attentionElements / kvSplit + stateElements / layout.tp);
    return { stage: layers.stage, layers, weights, parameters, kvCache, total: parameters + kvCache };
  });
  const peak = stages.reduce((best, s) => (s.total > best.total ? s : best));
  return { stages, peak };
}

/** A share of memory left free below which a layout is `tight` (fragmentation, the CUDA context, communication buffers). */
export const DEFAULT_MIN_HEADROOM = 0.1;

export type MemoryVerdict = 'fits' | 'tight' | 'over';

/**
 * Headroom and verdict of `total` bytes on a GPU of `capacity` bytes: `over` above
 * the capacity, `tight` with less than `minHeadroom` of it free, else `fits`.
 *
 * @example memoryVerdict(70 * 2 ** 30, 80 * 2 ** 30) // { headroomBytes: 10 GiB, headroom: 0.125, verdict: 'fits' }
 */
export function memoryVerdict(
  total: number,
  capacity: number,
  minHeadroom = DEFAULT_MIN_HEADROOM,
): { headroomBytes: number; headroom: number; verdict: MemoryVerdict } {
  const headroomBytes = capacity - total;
  const headroom = headroomBytes / capacity;
  return { headroomBytes, headroom, verdict: headroomBytes < 0 ? 'over' : headroom < minHeadroom ? 'tight' : 'fits' };
}

/** The divisors of n, ascending. */
export function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

export interface LayoutSearch {
  /** GPUs in all: TP × PP × CP × DP. */
  readonly gpus: number;
  /** Bytes per GPU. */
  readonly capacity: number;
  readonly minHeadroom?: number;
  /** Largest TP tried (default 8: one node's NVLink domain). */
  readonly maxTp?: number;
  /** Fixed CP (default 1). */
  readonly cp?: number;
  /** Fixed ETP; default: = TP (Megatron-LM's default). */
  readonly etp?: number;
}

export interface LayoutFit {
  readonly layout: ParallelLayout;
  /** GPUs holding one copy of the dense weights: TP × PP × CP, the cost layouts are sorted by. */
  readonly modelParallel: number;
  readonly total: number;
  readonly headroom: number;
}

/**
 * Layouts of `gpus` GPUs under which the most loaded GPU keeps `minHeadroom` free, sorted by
 * the model-parallel size TP × PP × CP (fewer GPUs per copy of the dense weights: less
 * tensor- and pipeline-parallel communication on the critical path and more data
 * parallelism), then by EP, then by memory. Tried: TP up to `maxTp` dividing the heads
 * (and the K/V heads), PP up to the layers, EP dividing the routed experts, each a divisor
 * of the GPU count, with {@link layoutProblem} clear.
 *
 * @example
 * // Hunyuan-Large, bf16, ZeRO 1, 4,096 tokens, selective recompute with SP, on 256 H100s:
 * fitLayouts(hunyuan, { gpus: 256, capacity: 80 * 2 ** 30 })[0].layout
 * // { tp: 8, pp: 1, cp: 1, dp: 32, ep: 16, etp: 8 }, 68.5 GiB per GPU; 21 layouts fit, none on 64 GPUs
 */
export function fitLayouts(input: Omit<TrainingMemoryInput, 'layout'>, search: LayoutSearch): LayoutFit[] {
  const { arch } = input;
  const cp = search.cp ?? 1;
  const maxTp = search.maxTp ?? 8;
  const fits: LayoutFit[] = [];
  if (search.gpus % cp !== 0) return fits;
  const experts = arch.moe ? divisors(arch.moe.routedExperts) : [1];
  for (const tp of divisors(search.gpus / cp)) {
    if (tp > maxTp) break;
    for (const pp of divisors(search.gpus / cp / tp)) {
      if (pp > arch.layers) break;
      const dp = search.gpus / (cp * tp * pp);
      for (const ep of experts) {
        const layout: ParallelLayout = { tp, pp, cp, dp, ep, etp: search.etp ?? tp };
        if (layoutProblem(arch, layout) !== undefined) continue;
        const total = trainingMemory({ ...input, layout }).peak.total;
        const { verdict, headroom } = memoryVerdict(total, search.capacity, search.minHeadroom);
        if (verdict === 'fits') fits.push({ layout, modelParallel: tp * pp * cp, total, headroom });
      }
    }
  }
  return fits.sort((x, y) => x.modelParallel - y.modelParallel || x.layout.ep - y.layout.ep || x.total - y.total);
}
