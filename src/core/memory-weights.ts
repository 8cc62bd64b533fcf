/**
 * Weights, gradients and optimizer states per GPU under a parallel layout, for the most
 * loaded pipeline stage.
 *
 * Sharding (Megatron-LM `megatron/training/theoretical_memory_usage.py`,
 * `compute_weight_and_optimizer_memory`, NVIDIA/Megatron-LM @ d98e8a64):
 * - TP-sharded: attention projections (or Mamba mixers), dense feed-forward blocks, shared
 *   experts, the embedding and the output head, divided by TP;
 * - replicated: norms, QK-norms and the router, on every tensor-parallel rank;
 * - expert-sharded: the routed experts, divided by EP × ETP;
 * - layers are split into PP stages; stage 0 holds the embedding, the last stage the final
 *   norm and the output head (a tied head is a copy of the embedding there when PP > 1, as
 *   Megatron-LM keeps it).
 * The optimizer shards (ZeRO, Rajbhandari et al. 2020, §5; Megatron's distributed optimizer
 * is ZeRO stage 1) run over the data-parallel replicas of each weight: DP × CP for the
 * dense weights, the expert-data-parallel size EDP = world / (EP × ETP × PP) for the
 * routed experts.
 *
 * Bytes per GPU, P the weights held on the GPU, G its shard group:
 *   parameters = w · P / (G if ZeRO 3)
 *   gradients  = g · P / (G if ZeRO ≥ 2)
 *   optimizer  = (m + a) · P / (G if ZeRO ≥ 1)
 * with w, g, m, a the bytes per weight of the model copy, the gradient, the master copy
 * and both Adam moments ({@link PRECISIONS}).
 *
 * Worked example (laws.md §8): 7e9 weights, no sharding, bf16 (2 + 4 + 4 + 8 = 18 bytes):
 * 1.26e11 bytes; Megatron's distributed optimizer (ZeRO 1) at DP 8: 6 + 12/8 = 7.5 bytes,
 * 5.25e10 bytes.
 */
import { type ModelArchitecture, isMoeLayer, layerParams } from './architecture.js';
import { type Message, message } from './messages.js';

/** How the GPUs are arranged: world = TP × PP × CP × DP; experts over EP × ETP within TP × CP × DP. */
export interface ParallelLayout {
  /** Tensor parallelism of attention and dense blocks. */
  readonly tp: number;
  /** Pipeline stages. */
  readonly pp: number;
  /** Context parallelism (the sequence split across GPUs). */
  readonly cp: number;
  /** Data-parallel replicas of the dense weights. */
  readonly dp: number;
  /** Expert parallelism: routed experts split across this many GPUs. */
  readonly ep: number;
  /** Tensor parallelism inside each expert (Megatron-LM's default: = TP). */
  readonly etp: number;
}

/** Bytes per weight of each copy the training keeps. */
export interface Precision {
  /** The model's weights as the forward pass reads them. */
  readonly weights: number;
  /** The gradient buffer. */
  readonly gradients: number;
  /** The optimizer's master copy (0 when the weights are the master copy). */
  readonly master: number;
  /** Both Adam moments together. */
  readonly moments: number;
}

/**
 * Precision presets, bytes per weight (weights + gradients + master + moments):
 * - `bf16`: bf16 weights, fp32 gradients, fp32 master and Adam moments: 2 + 4 + 4 + 8 = 18,
 *   Megatron-LM's mixed precision (`num_bytes_per_parameter = 18`);
 * - `fp16`: fp16 weights and gradients, fp32 master and moments: 2 + 2 + 4 + 8 = 16, the
 *   ZeRO paper's mixed-precision Adam (§3.1, K = 12);
 * - `fp8`: fp8 weights for the GEMMs, fp32 gradients and master weights, bf16 moments:
 *   1 + 4 + 4 + 4 = 13 (DeepSeek-V3 report §3.3.3 keeps master weights and gradients in
 *   fp32 and the moments in bf16; a recipe that also keeps bf16 weights needs 14);
 * - `fp32`: fp32 weights and gradients, no separate master, fp32 moments: 4 + 4 + 0 + 8 = 16.
 */
export const PRECISIONS = {
  bf16: { weights: 2, gradients: 4, master: 4, moments: 8 },
  fp16: { weights: 2, gradients: 2, master: 4, moments: 8 },
  fp8: { weights: 1, gradients: 4, master: 4, moments: 4 },
  fp32: { weights: 4, gradients: 4, master: 0, moments: 8 },
} as const satisfies Record<string, Precision>;
export type PrecisionName = keyof typeof PRECISIONS;

/** ZeRO stage: 0 nothing sharded, 1 optimizer states, 2 + gradients, 3 + weights. */
export type ZeroStage = 0 | 1 | 2 | 3;

/** All GPUs: TP × PP × CP × DP. */
export function worldSize(layout: ParallelLayout): number {
  return layout.tp * layout.pp * layout.cp * layout.dp;
}

/**
 * Expert-data-parallel size, the replicas of each routed expert: world / (EP × ETP × PP)
 * (Megatron-LM's `expert_data_parallel_size`).
 *
 * @example expertDataParallel({ tp: 8, pp: 4, cp: 1, dp: 32, ep: 16, etp: 1 }) // 16
 */
export function expertDataParallel(layout: ParallelLayout): number {
  return worldSize(layout) / (layout.ep * layout.etp * layout.pp);
}

/**
 * Why a layout cannot run this model, naming the layout field, or `undefined`.
 * TP divides the attention heads (and the K/V heads); EP divides the routed experts; EP ×
 * ETP divides TP × CP × DP (the experts are laid over those GPUs); PP is at most the layers.
 */
export function layoutProblem(arch: ModelArchitecture, layout: ParallelLayout): { field: keyof ParallelLayout; problem: Message } | undefined {
  const a = arch.attention;
  if (a.heads % layout.tp !== 0) return { field: 'tp', problem: message('layout.tp-heads', { tp: layout.tp, heads: a.heads }) };
  if (a.kind === 'grouped' && a.kvHeads % layout.tp !== 0 && layout.tp % a.kvHeads !== 0) {
    return { field: 'tp', problem: message('layout.tp-kv-heads', { tp: layout.tp, kvHeads: a.kvHeads }) };
  }
  if (layout.pp > arch.layers) return { field: 'pp', problem: message('layout.pp-layers', { pp: layout.pp, layers: arch.layers }) };
  const moe = arch.moe;
  if (!moe && layout.ep > 1) return { field: 'ep', problem: message('layout.ep-dense', { ep: layout.ep }) };
  if (moe && moe.routedExperts % layout.ep !== 0) {
    return { field: 'ep', problem: message('layout.ep-experts', { ep: layout.ep, experts: moe.routedExperts }) };
  }
  if (moe && moe.expertIntermediate % layout.etp !== 0) {
    return { field: 'etp', problem: message('layout.etp-intermediate', { etp: layout.etp, intermediate: moe.expertIntermediate }) };
  }
  const expertGpus = layout.tp * layout.cp * layout.dp;
  if (expertGpus % (layout.ep * layout.etp) !== 0) {
    return { field: 'ep', problem: message('layout.expert-gpus', { expertParallel: layout.ep * layout.etp, expertGpus }) };
  }
  return undefined;
}

/** The layers of one pipeline stage. */
export interface StageLayers {
  readonly stage: number;
  /** First layer (0-based). */
  readonly first: number;
  readonly count: number;
  readonly dense: number;
  readonly moe: number;
}

/**
 * Layers per pipeline stage: ⌊L/PP⌋ each, the first L mod PP stages one more.
 *
 * @example pipelineStages(HUNYUAN_LARGE, 3).map((s) => s.count) // [22, 21, 21]
 */
export function pipelineStages(arch: ModelArchitecture, pp: number): StageLayers[] {
  const base = Math.floor(arch.layers / pp);
  const extra = arch.layers % pp;
  const stages: StageLayers[] = [];
  let first = 0;
  for (let stage = 0; stage < pp; stage++) {
    const count = base + (stage < extra ? 1 : 0);
    let moe = 0;
    for (let i = first; i < first + count; i++) if (isMoeLayer(arch, i)) moe++;
    stages.push({ stage, first, count, dense: count - moe, moe });
    first += count;
  }
  return stages;
}

/** Weights held by one GPU of a stage, by how they are sharded. */
export interface StageWeights {
  /** Attention, dense FFN, shared experts, embedding and output head, already divided by TP. */
  readonly tpSharded: number;
  /** Norms, QK-norms and routers (whole on every GPU of the stage). */
  readonly replicated: number;
  /** Routed experts, already divided by EP × ETP. */
  readonly expertSharded: number;
}

/**
 * Weights on one GPU of `stage` (Megatron-LM's split, per stage rather than its
 * "1/PP of the layers plus the embedding" for the most loaded shard; the two agree when PP
 * divides the layers and every layer is alike).
 *
 * @example
 * stageWeights(HUNYUAN_LARGE, { tp: 8, pp: 1, cp: 1, dp: 1, ep: 1, etp: 1 }, pipelineStages(HUNYUAN_LARGE, 1)[0])
 * // { tpSharded: 3_602_432_000 (attention, shared expert, embedding, / 8), replicated: 7_389_440, expertSharded: 359_871_283_200 (routed experts, whole) }
 */
export function stageWeights(arch: ModelArchitecture, layout: ParallelLayout, stage: StageLayers): StageWeights {
  let tp = 0;
  let replicated = 0;
  let expert = 0;
  for (let i = stage.first; i < stage.first + stage.count; i++) {
    const p = layerParams(arch, i);
    tp += p.attention + p.denseFeedForward + p.sharedExperts + p.mamba;
    replicated += p.norms + p.qkNorm + p.router;
    expert += p.routedExperts;
  }
  const embedding = arch.vocabSize * arch.hiddenSize;
  const last = stage.stage === layout.pp - 1;
  if (stage.stage === 0) tp += embedding;
  // The output head: its own matrix when untied; a tied one is the embedding itself on a
  // single stage, and a copy of it on the last stage when PP > 1.
  if (last && (!arch.tiedEmbeddings || layout.pp > 1)) tp += embedding;
  if (last && arch.outputHeadBias) tp += arch.vocabSize;
  if (last) replicated += arch.hiddenSize * (arch.normBias ? 2 : 1);
  return { tpSharded: tp / layout.tp, replicated, expertSharded: expert / (layout.ep * layout.etp) };
}

/** Bytes of the model state on one GPU. */
export interface ModelStateBytes {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizerStates: number;
}

/**
 * Bytes of weights, gradients and optimizer states for `weights` held on one GPU, given the
 * shard groups of the dense weights (DP × CP) and of the experts (EDP), the precision and
 * the ZeRO stage (formula in the file's comment).
 *
 * @example modelStateBytes({ tpSharded: 7e9, replicated: 0, expertSharded: 0 }, { dense: 8, expert: 8 }, PRECISIONS.bf16, 1)
 * // { parameters: 1.4e10, gradients: 2.8e10, optimizerStates: 1.05e10 } — 5.25e10 in all (Megatron, laws.md §8)
 */
export function modelStateBytes(
  weights: StageWeights,
  shards: { readonly dense: number; readonly expert: number },
  precision: Precision,
  zero: ZeroStage,
): ModelStateBytes {
  const dense = weights.tpSharded + weights.replicated;
  const expert = weights.expertSharded;
  const held = (sharded: boolean) => (sharded ? dense / shards.dense + expert / shards.expert : dense + expert);
  return {
    parameters: precision.weights * held(zero >= 3),
    gradients: precision.gradients * held(zero >= 2),
    optimizerStates: (precision.master + precision.moments) * held(zero >= 1),
  };
}
