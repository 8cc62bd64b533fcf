/**
 * Parameter counts of decoder-only transformers, dense and Mixture-of-Experts: total,
 * activated per token, and activated without the embedding, with a breakdown by component.
 *
 * The shapes follow the Hugging Face implementations of the families moeplan reads
 * (Hunyuan-Large, Mixtral, Qwen-MoE, DeepSeek-V2/V3, Llama-style dense models):
 * pre-norm blocks with RMSNorm (one weight vector of size `hiddenSize`), SwiGLU feed-forward
 * blocks (gate, up and down projections: 3·hidden·intermediate weights, no biases) and
 * attention projections without biases unless the shape says otherwise.
 *
 * Conventions for the embedding matrix (Hunyuan-Large report Table 1; the numbers are
 * those of Hunyuan-Large, 64 layers, hidden 6400, vocabulary 128512, tied embeddings):
 * - `totalParams` counts every distinct weight once: a tied embedding/output matrix once
 *   (388.7B; the report says 389B).
 * - `activatedParams` counts the weights a token touches, with the output projection counted
 *   as activated compute besides the embedding even when the two share one matrix (52.14B;
 *   the report's 52B, and the N of eq. 2). For untied models this is simply every activated
 *   weight.
 * - `activatedParamsTiedOnce` counts a tied matrix once (51.32B).
 * - `activatedParamsWithoutInputEmbedding` leaves out the input embedding, a lookup, and keeps
 *   the output projection (51.32B here; DeepSeek's and OpenAI's model cards count this way).
 * - `activatedNonEmbeddingParams` leaves out the embedding and the output projection
 *   (50.50B), as Kaplan et al. 2020 and the Qwen-MoE release do.
 */
import { type Message, message } from './messages.js';

/** Standard multi-head attention with grouped K/V heads (MHA, GQA and MQA are special cases). */
export interface GroupedAttention {
  readonly kind: 'grouped';
  /** Query heads n_h. */
  readonly heads: number;
  /** K/V heads n_g (= heads for MHA, 1 for MQA). */
  readonly kvHeads: number;
  /** Head dimension d_h. */
  readonly headDim: number;
  /**
   * Cross-layer attention (CLA, Brandon et al. 2024): every `claShareFactor` consecutive
   * layers share one K/V; layers 0, f, 2f, … own K/V projections. 1 = no sharing.
   */
  readonly claShareFactor: number;
  /** RMSNorm on each query and key head (one d_h weight vector each, per layer). */
  readonly qkNorm: boolean;
  /** Biases on the q, k and v projections (Qwen2). */
  readonly qkvBias: boolean;
  /** Bias on the output projection (Llama-style `attention_bias` sets both). */
  readonly outputBias: boolean;
  /**
   * Where the QK-norm weights sit: one d_h vector each for queries and keys (`head`: Qwen3,
   * Gemma 3, Hunyuan; the default), or one over the whole q and k projections
   * (`projection`: OLMoE, n_h·d_h and n_g·d_h).
   */
  readonly qkNormScope?: 'head' | 'projection' | undefined;
  /** One learned logit per head that can absorb attention (gpt-oss "sinks"): n_h per layer. */
  readonly attentionSinks?: boolean | undefined;
}

/**
 * Multi-head latent attention (DeepSeek-V2 §2.1): queries and keys/values go through
 * low-rank latents; only the K/V latent and the decoupled RoPE key are cached.
 */
export interface LatentAttention {
  readonly kind: 'latent';
  readonly heads: number;
  /** Rank of the query latent d_c'; `0` when queries are projected directly (DeepSeek-V2-Lite). */
  readonly qLoraRank: number;
  /** Rank of the K/V latent d_c. */
  readonly kvLoraRank: number;
  /** Per-head query/key dimension without RoPE. */
  readonly qkNopeHeadDim: number;
  /** Per-head dimension of the decoupled RoPE query/key d_h^R. */
  readonly qkRopeHeadDim: number;
  /** Per-head value dimension. */
  readonly vHeadDim: number;
}

export type AttentionShape = GroupedAttention | LatentAttention;

/** The Mixture-of-Experts feed-forward block of an MoE layer. */
export interface MoeShape {
  /** Routed (specialized) experts per MoE layer. */
  readonly routedExperts: number;
  /** Intermediate size of one routed expert. */
  readonly expertIntermediate: number;
  /** Routed experts each token is sent to (top-k). */
  readonly topK: number;
  /** Shared experts every token passes through. */
  readonly sharedExperts: number;
  /** Intermediate size of one shared expert. */
  readonly sharedIntermediate: number;
  /** A sigmoid gate hidden→1 that scales the shared expert's output (Qwen-MoE). */
  readonly sharedExpertGate: boolean;
  /** A learned per-expert routing bias (DeepSeek-V3 `e_score_correction_bias`, gpt-oss router bias). */
  readonly routerBias: boolean;
  /** Biases on each routed expert's projections (gpt-oss): 2·I (gate and up) + H (down) per expert. */
  readonly expertBias?: boolean | undefined;
}

/**
 * The Mamba mixer (Gu & Dao 2023) of the layers that have no attention (Jamba). Per layer:
 * in_proj H×2·d_in, a depthwise conv1d d_in×d_conv, x_proj d_in×(r + 2·N), dt_proj r×d_in
 * with a bias, A_log d_in×N, D d_in, out_proj d_in×H; r is the Δ rank, N the state size.
 */
export interface MambaShape {
  /** Layers whose mixer is Mamba instead of attention. */
  readonly layers: number;
  /** Inner width d_in (expand × hidden). */
  readonly inner: number;
  /** State size N per channel. */
  readonly stateSize: number;
  /** Width of the causal convolution. */
  readonly convKernel: number;
  /** Rank r of the Δ projection. */
  readonly dtRank: number;
  readonly convBias: boolean;
  /** Biases on in_proj and out_proj. */
  readonly projBias: boolean;
  /** RMSNorms on Δ, B and C inside the mixer (Jamba): r + 2·N weights. */
  readonly innerNorms: boolean;
}

/** Attention layers that see only the last `window` tokens (sliding-window or chunked attention). */
export interface SlidingWindow {
  readonly window: number;
  /** How many of the attention layers are windowed; the others see the whole sequence. */
  readonly layers: number;
}

/** One decoder-only model, as far as parameter counts and the KV cache are concerned. */
export interface ModelArchitecture {
  readonly hiddenSize: number;
  readonly layers: number;
  readonly vocabSize: number;
  /** Input embedding and output projection share one matrix. */
  readonly tiedEmbeddings: boolean;
  readonly attention: AttentionShape;
  /** Intermediate size of the dense SwiGLU block of the layers that are not MoE layers. */
  readonly denseIntermediate: number;
  /** The MoE block, or `undefined` for a dense model. */
  readonly moe?: MoeShape | undefined;
  /** How many of the `layers` carry the MoE block; the others are dense. */
  readonly moeLayers: number;
  /** Norm weight vectors of size H per layer: 2 for a pre-norm block (default), 4 for Gemma, 3 for Arctic. */
  readonly normsPerLayer?: number | undefined;
  /** The norms are LayerNorms with a bias beside the weight (PhiMoE). */
  readonly normBias?: boolean | undefined;
  /** A bias of V on the output projection (PhiMoE `lm_head_bias`). */
  readonly outputHeadBias?: boolean | undefined;
  /** Mamba layers in place of attention (Jamba); absent: every layer has attention. */
  readonly mamba?: MambaShape | undefined;
  /** Windowed attention layers (KV cache and attention FLOPs); absent: all layers see the whole sequence. */
  readonly slidingWindow?: SlidingWindow | undefined;
  /**
   * Multi-token-prediction modules (DeepSeek-V3, GLM-4.5): left out of the parameter counts,
   * as the model cards do, but trained, so counted in the training FLOPs.
   */
  readonly mtpLayers?: number | undefined;
}

/** Parameters of one component, in total and activated per token. */
export interface ComponentCount {
  readonly component: ComponentName;
  readonly total: number;
  readonly activated: number;
}

export type ComponentName =
  | 'embedding'
  | 'outputHead'
  | 'attention'
  | 'qkNorm'
  | 'router'
  | 'sharedExperts'
  | 'routedExperts'
  | 'denseFeedForward'
  | 'mamba'
  | 'norms';

export interface ParameterCounts {
  /** Every distinct weight once (a tied matrix once). */
  readonly totalParams: number;
  /** Weights a token touches, the output projection counted besides the embedding. */
  readonly activatedParams: number;
  /** Weights a token touches, a tied embedding/output matrix counted once. */
  readonly activatedParamsTiedOnce: number;
  /**
   * Weights a token touches less the input embedding (a table lookup, no multiplication): the
   * convention of DeepSeek's and OpenAI's model cards (DeepSeek-V3's 37B, gpt-oss-120b's 5.13B).
   */
  readonly activatedParamsWithoutInputEmbedding: number;
  /** Weights a token touches, without the embedding and the output projection. */
  readonly activatedNonEmbeddingParams: number;
  /** Total without the embedding and output projection. */
  readonly totalNonEmbeddingParams: number;
  /**
   * By component. `outputHead.total` is 0 for tied embeddings (the matrix is counted under
   * `embedding`); `outputHead.activated` is the V·H of the output projection either way.
   */
  readonly breakdown: readonly ComponentCount[];
}

/**
 * Weights of one SwiGLU feed-forward block: gate and up (hidden→intermediate) and down
 * (intermediate→hidden), no biases.
 *
 * params = 3·hidden·intermediate
 *
 * @example swigluParams(6400, 18304) // 351_436_800 (one Hunyuan-Large expert)
 */
export function swigluParams(hiddenSize: number, intermediateSize: number): number {
  return 3 * hiddenSize * intermediateSize;
}

/**
 * Attention weights of the whole model (projections only; QK-norm is counted apart).
 *
 * Grouped attention, per layer: q and o are hidden × n_h·d_h each; k and v are
 * hidden × n_g·d_h each, only in the ⌈l/f⌉ layers that own K/V under cross-layer sharing
 * (Hunyuan-Large Table 1: l = 64, f = 2, so 32 layers own K/V).
 * Latent attention, per layer (DeepSeek-V2 §2.1): q_a hidden×d_c' with an RMSNorm of d_c',
 * q_b d_c'×n_h·(d_nope+d_rope) (or q hidden×n_h·(d_nope+d_rope) without a query latent),
 * kv_a hidden×(d_c+d_rope) with an RMSNorm of d_c, kv_b d_c×n_h·(d_nope+d_v), o n_h·d_v×hidden.
 *
 * @example attentionParams(HUNYUAN_LARGE) // 5_505_024_000: 64·2·6400·6400 + 32·2·6400·640
 */
export function attentionParams(arch: ModelArchitecture): number {
  const { perLayer, kvPerOwningLayer } = attentionLayerParams(arch);
  return attentionLayers(arch) * perLayer + kvLayers(arch) * kvPerOwningLayer;
}

/**
 * Attention weights of one attention layer, split into what every such layer has and what
 * only the layers that own K/V add (grouped attention; 0 for latent attention, whose layers
 * are all alike). Formulas as in {@link attentionParams}.
 *
 * @example attentionLayerParams(HUNYUAN_LARGE) // { perLayer: 81_920_000, kvPerOwningLayer: 8_192_000 }
 */
export function attentionLayerParams(arch: ModelArchitecture): { perLayer: number; kvPerOwningLayer: number } {
  const { attention: a, hiddenSize: h } = arch;
  if (a.kind === 'latent') {
    const qHead = a.qkNopeHeadDim + a.qkRopeHeadDim;
    const query = a.qLoraRank > 0 ? h * a.qLoraRank + a.qLoraRank + a.qLoraRank * a.heads * qHead : h * a.heads * qHead;
    const keyValue = h * (a.kvLoraRank + a.qkRopeHeadDim) + a.kvLoraRank + a.kvLoraRank * a.heads * (a.qkNopeHeadDim + a.vHeadDim);
    const output = a.heads * a.vHeadDim * h;
    return { perLayer: query + keyValue + output, kvPerOwningLayer: 0 };
  }
  const qWidth = a.heads * a.headDim;
  const kvWidth = a.kvHeads * a.headDim;
  return {
    perLayer: 2 * h * qWidth + (a.qkvBias ? qWidth : 0) + (a.outputBias ? h : 0) + (a.attentionSinks ? a.heads : 0),
    kvPerOwningLayer: 2 * h * kvWidth + (a.qkvBias ? 2 * kvWidth : 0),
  };
}

/** Weights of one transformer layer by component (the embedding, output head and final norm are not in any layer). */
export interface LayerParams {
  readonly attention: number;
  readonly qkNorm: number;
  /** The block's norms (2 RMSNorms for a pre-norm block). */
  readonly norms: number;
  readonly router: number;
  readonly sharedExperts: number;
  readonly routedExperts: number;
  readonly denseFeedForward: number;
  readonly mamba: number;
}

/**
 * Whether layer `index` (0-based) carries the MoE block: the dense layers of an MoE model
 * are the leading ones (DeepSeek's `first_k_dense_replace`).
 */
export function isMoeLayer(arch: ModelArchitecture, index: number): boolean {
  return arch.moe !== undefined && index >= arch.layers - arch.moeLayers;
}

/**
 * Whether layer `index` (0-based) has attention (else a Mamba mixer): the attention layers
 * of a hybrid model are taken as spread evenly over the depth (layer i has attention when
 * ⌊(i+1)·A/L⌋ > ⌊i·A/L⌋, A attention layers of L), every layer for a transformer.
 */
export function isAttentionLayer(arch: ModelArchitecture, index: number): boolean {
  const attention = attentionLayers(arch);
  if (attention === arch.layers) return true;
  return Math.floor(((index + 1) * attention) / arch.layers) > Math.floor((index * attention) / arch.layers);
}

/**
 * Weights of layer `index` (0-based), with the conventions of {@link parameterCounts}: the
 * leading `layers − moeLayers` layers are dense; attention layers as in
 * {@link isAttentionLayer}, of which the 1st, (f+1)th, … own K/V under cross-layer sharing
 * factor f. Summed over every layer, plus the embedding, the output head and the final norm,
 * this is `totalParams`.
 *
 * @example layerParams(HUNYUAN_LARGE, 0).routedExperts // 5_622_988_800 = 16·3·6400·18304
 */
export function layerParams(arch: ModelArchitecture, index: number): LayerParams {
  const h = arch.hiddenSize;
  const { perLayer, kvPerOwningLayer } = attentionLayerParams(arch);
  const a = arch.attention;
  const factor = a.kind === 'grouped' ? a.claShareFactor : 1;
  const moe = isMoeLayer(arch, index) ? arch.moe : undefined;
  const attention = isAttentionLayer(arch, index);
  // The position of this layer among the attention layers (for K/V ownership).
  const attentionIndex = Math.floor((index * attentionLayers(arch)) / arch.layers);
  const qkNorm = attention && a.kind === 'grouped' && a.qkNorm ? (a.qkNormScope === 'projection' ? (a.heads + a.kvHeads) * a.headDim : 2 * a.headDim) : 0;
  const expert = moe ? swigluParams(h, moe.expertIntermediate) + (moe.expertBias ? 2 * moe.expertIntermediate + h : 0) : 0;
  return {
    attention: attention ? perLayer + (attentionIndex % factor === 0 ? kvPerOwningLayer : 0) : 0,
    qkNorm,
    norms: (arch.normsPerLayer ?? 2) * h * (arch.normBias ? 2 : 1),
    router: moe ? h * moe.routedExperts + (moe.sharedExpertGate && moe.sharedExperts > 0 ? h : 0) + (moe.routerBias ? moe.routedExperts : 0) : 0,
    sharedExperts: moe ? moe.sharedExperts * swigluParams(h, moe.sharedIntermediate) : 0,
    routedExperts: moe ? moe.routedExperts * expert : 0,
    denseFeedForward: moe ? 0 : swigluParams(h, arch.denseIntermediate),
    mamba: !attention && arch.mamba ? mambaLayerParams(arch.mamba, h) : 0,
  };
}

/**
 * Layers that own K/V projections (and K/V cache): ⌈l / f⌉ for cross-layer sharing factor f.
 * Layers 0, f, 2f, … own them, so an odd layer count rounds up.
 *
 * @example kvLayers(HUNYUAN_LARGE) // 32 (64 layers, f = 2)
 */
export function kvLayers(arch: ModelArchitecture): number {
  const factor = arch.attention.kind === 'grouped' ? arch.attention.claShareFactor : 1;
  return Math.ceil(attentionLayers(arch) / factor);
}

/**
 * Layers with attention: all of them, less the Mamba layers of a hybrid model.
 *
 * @example attentionLayers(HUNYUAN_LARGE) // 64
 */
export function attentionLayers(arch: ModelArchitecture): number {
  return arch.layers - (arch.mamba?.layers ?? 0);
}

/**
 * Weights of one Mamba mixer (see {@link MambaShape}):
 * 2·H·d_in + d_in·d_conv + d_in·(r + 2N) + r·d_in + d_in + d_in·N + d_in + d_in·H, plus the
 * optional biases and inner norms.
 *
 * @example mambaLayerParams({ layers: 28, inner: 8192, stateSize: 16, convKernel: 4, dtRank: 256, convBias: true, projBias: false, innerNorms: true }, 4096)
 * // 105_308_448 (one Jamba-v0.1 Mamba layer)
 */
export function mambaLayerParams(m: MambaShape, hiddenSize: number): number {
  const d = m.inner;
  const inProj = hiddenSize * 2 * d + (m.projBias ? 2 * d : 0);
  const conv = d * m.convKernel + (m.convBias ? d : 0);
  const xProj = d * (m.dtRank + 2 * m.stateSize);
  const dtProj = m.dtRank * d + d;
  const state = d * m.stateSize + d;
  const outProj = d * hiddenSize + (m.projBias ? hiddenSize : 0);
  const norms = m.innerNorms ? m.dtRank + 2 * m.stateSize : 0;
  return inProj + conv + xProj + dtProj + state + outProj + norms;
}

/**
 * Total, activated and non-embedding parameter counts with a breakdown by component.
 *
 * - embedding V·H; output head V·H unless tied;
 * - attention: {@link attentionParams}; QK-norm 2·d_h per layer;
 * - router hidden×E per MoE layer (+ hidden×1 for a shared-expert gate, + E for a routing
 *   bias); all of it is activated (every token is scored against every expert);
 * - shared experts S·3·H·I_s per MoE layer, all activated;
 * - routed experts E·3·H·I_e per MoE layer, of which top-k are activated;
 * - dense SwiGLU 3·H·I in the other layers;
 * - norms: 2 RMSNorms per layer and a final one, H each.
 *
 * Source: Hunyuan-Large report §2.2 and Table 1; the SPEC's reference counts
 * (total 388.7B; activated 52.14B / 51.32B / 50.50B).
 *
 * @example
 * const c = parameterCounts(HUNYUAN_LARGE);
 * c.totalParams;                  // 388_698_128_640 ≈ 388.7B
 * c.activatedParams;              // 52_141_277_440 ≈ 52.14B
 * c.activatedNonEmbeddingParams;  // 50_496_323_840 ≈ 50.50B
 */
export function parameterCounts(arch: ModelArchitecture): ParameterCounts {
  const h = arch.hiddenSize;
  const embedding = arch.vocabSize * h;
  const attention = attentionParams(arch);
  const qkNorm = qkNormParams(arch);
  const norms = ((arch.normsPerLayer ?? 2) * arch.layers + 1) * h * (arch.normBias ? 2 : 1);
  const mamba = arch.mamba ? arch.mamba.layers * mambaLayerParams(arch.mamba, h) : 0;
  const headBias = arch.outputHeadBias ? arch.vocabSize : 0;
  const denseLayers = arch.layers - arch.moeLayers;
  const denseFeedForward = denseLayers * swigluParams(h, arch.denseIntermediate);

  const moe = arch.moe;
  const moeLayers = moe ? arch.moeLayers : 0;
  const routerPerLayer = moe ? h * moe.routedExperts + (moe.sharedExpertGate && moe.sharedExperts > 0 ? h : 0) + (moe.routerBias ? moe.routedExperts : 0) : 0;
  const sharedPerLayer = moe ? moe.sharedExperts * swigluParams(h, moe.sharedIntermediate) : 0;
  const expert = moe ? swigluParams(h, moe.expertIntermediate) + (moe.expertBias ? 2 * moe.expertIntermediate + h : 0) : 0;

  const breakdown: ComponentCount[] = [
    { component: 'embedding', total: embedding, activated: embedding },
    { component: 'outputHead', total: (arch.tiedEmbeddings ? 0 : embedding) + headBias, activated: embedding + headBias },
    { component: 'attention', total: attention, activated: attention },
    { component: 'qkNorm', total: qkNorm, activated: qkNorm },
    { component: 'router', total: moeLayers * routerPerLayer, activated: moeLayers * routerPerLayer },
    { component: 'sharedExperts', total: moeLayers * sharedPerLayer, activated: moeLayers * sharedPerLayer },
    {
      component: 'routedExperts',
      total: moeLayers * (moe?.routedExperts ?? 0) * expert,
      activated: moeLayers * (moe?.topK ?? 0) * expert,
    },
    { component: 'denseFeedForward', total: denseFeedForward, activated: denseFeedForward },
    { component: 'mamba', total: mamba, activated: mamba },
    { component: 'norms', total: norms, activated: norms },
  ];
  const sum = (pick: (c: ComponentCount) => number, skip: readonly ComponentName[] = []) =>
    breakdown.filter((c) => !skip.includes(c.component)).reduce((acc, c) => acc + pick(c), 0);
  const activatedParams = sum((c) => c.activated);
  const totalParams = sum((c) => c.total);
  return {
    totalParams,
    activatedParams,
    activatedParamsTiedOnce: arch.tiedEmbeddings ? activatedParams - embedding : activatedParams,
    activatedParamsWithoutInputEmbedding: activatedParams - embedding,
    activatedNonEmbeddingParams: sum((c) => c.activated, ['embedding', 'outputHead']),
    totalNonEmbeddingParams: sum((c) => c.total, ['embedding', 'outputHead']),
    breakdown,
  };
}

/**
 * QK-norm weights: per layer with attention, 2·d_h (one vector for all query heads and one for
 * all key heads), or n_h·d_h + n_g·d_h when the norm spans the whole projections (OLMoE).
 *
 * @example qkNormParams(HUNYUAN_LARGE) // 10_240 = 64·2·80
 */
export function qkNormParams(arch: ModelArchitecture): number {
  const a = arch.attention;
  if (a.kind !== 'grouped' || !a.qkNorm) return 0;
  const perLayer = a.qkNormScope === 'projection' ? (a.heads + a.kvHeads) * a.headDim : 2 * a.headDim;
  return attentionLayers(arch) * perLayer;
}

/**
 * Checks the shape is one a model can have; returns the first problem as a message with the
 * field it is about, or `undefined`. Parsers turn this into an input error naming their own key.
 */
export function architectureProblem(arch: ModelArchitecture): { field: string; problem: Message } | undefined {
  const a = arch.attention;
  if (arch.moeLayers > arch.layers) return { field: 'moeLayers', problem: message('shape.moe-layers', { moeLayers: arch.moeLayers, layers: arch.layers }) };
  if (arch.mamba && arch.mamba.layers > arch.layers)
    return { field: 'mambaLayers', problem: message('shape.mamba-layers', { mambaLayers: arch.mamba.layers, layers: arch.layers }) };
  if (arch.slidingWindow && arch.slidingWindow.layers > attentionLayers(arch)) {
    return {
      field: 'slidingWindowLayers',
      problem: message('shape.window-layers', { windowLayers: arch.slidingWindow.layers, attentionLayers: attentionLayers(arch) }),
    };
  }
  if (a.kind === 'grouped') {
    if (a.kvHeads > a.heads) return { field: 'kvHeads', problem: message('shape.kv-heads-above-heads', { kvHeads: a.kvHeads, heads: a.heads }) };
    if (a.heads % a.kvHeads !== 0) return { field: 'kvHeads', problem: message('shape.kv-groups', { kvHeads: a.kvHeads, heads: a.heads }) };
  }
  const moe = arch.moe;
  if (moe && moe.topK > moe.routedExperts)
    return { field: 'topK', problem: message('shape.top-k-above-experts', { topK: moe.topK, experts: moe.routedExperts }) };
  return undefined;
}

/**
 * Hunyuan-Large as in Table 1 of its technical report and the released config.json:
 * 64 layers, hidden 6400, 80 heads of dim 80, 8 K/V heads, K/V shared by each pair of
 * layers, QK-norm, 1 shared + 16 specialized SwiGLU experts of intermediate size 18304,
 * top-1 routing, vocabulary 128512 (pretrain), tied embeddings.
 */
export const HUNYUAN_LARGE: ModelArchitecture = {
  hiddenSize: 6400,
  layers: 64,
  vocabSize: 128512,
  tiedEmbeddings: true,
  attention: { kind: 'grouped', heads: 80, kvHeads: 8, headDim: 80, claShareFactor: 2, qkNorm: true, qkvBias: false, outputBias: false },
  denseIntermediate: 18304,
  moe: {
    routedExperts: 16,
    expertIntermediate: 18304,
    topK: 1,
    sharedExperts: 1,
    sharedIntermediate: 18304,
    sharedExpertGate: false,
    routerBias: false,
  },
  moeLayers: 64,
};
