/**
 * Training FLOPs per token from the architecture, as the sum of its parts, following
 * Megatron-LM's `num_floating_point_operations` (megatron/training/training.py @ d98e8a64):
 * every matrix product is done three times (forward, weight gradient, data gradient) at 2
 * FLOPs per multiply-add, so a weight matrix used once per token costs 6 FLOPs per weight;
 * attention scores and values are causal (half the s×s square).
 *
 * Per token, with h the width, s the sequence length, q = n_h·d_h and k = v = n_g·d_h:
 * - attention projections: 6·(h·(q + k + v) + q·h) per layer (k and v only in the layers that
 *   own K/V under cross-layer sharing); latent attention: Megatron's MLA term;
 * - attention scores and values: 6·q·s_eff per layer (6·(n_h·(d_qk + d_rope) + n_h·d_v)/2·s_eff
 *   for latent attention), s_eff = s, or 2w − w²/s for a layer that sees the last w < s tokens;
 * - feed-forward: 18·h·I per dense layer, 18·h·(k·I_e + S·I_s) per MoE layer (SwiGLU);
 * - output head: 6·h·V; multi-token prediction (DeepSeek-V3, GLM-4.5): each module as one more
 *   layer, plus 6·(3h + 2h²) and one more output head;
 * - router: 6·h·E per MoE layer. Megatron leaves it out; moeplan adds it as its own piece;
 * - Mamba layers (Jamba): 6 × the mixer's matrix weights, 6·d_in·d_conv for the convolution and
 *   3·7·d_in·N for the selective scan (the scan constant of Megatron's hybrid count).
 * The input embedding (a lookup), norms, softmax and biases are not counted.
 *
 * Worked example (laws.md §9, Megatron's function run on these shapes): a Llama-3-8B-like model
 * (32 layers, h 4096, 32/8 heads, SwiGLU 14336, V 128256) at s = 8192: 5.14704e10 FLOPs per token.
 */
import { type ModelArchitecture, attentionLayers, kvLayers, parameterCounts } from './architecture.js';

export interface TrainingFlopsPieces {
  /** q, k, v and output projections. */
  readonly attentionProjections: number;
  /** QKᵀ and softmax·V over the (causal, possibly windowed) sequence. */
  readonly attentionScores: number;
  readonly routedExperts: number;
  readonly sharedExperts: number;
  readonly denseFeedForward: number;
  /** Routing scores, h·E per MoE layer (not in Megatron's count). */
  readonly router: number;
  readonly mamba: number;
  readonly outputHead: number;
  /** The extra projection and head of multi-token prediction (its layers are in the pieces above). */
  readonly multiTokenPrediction: number;
}

export interface TrainingFlops {
  /** FLOPs per training token (forward and backward). */
  readonly perToken: number;
  readonly seqLen: number;
  readonly pieces: TrainingFlopsPieces;
  /** The pieces that grow with the sequence (attention scores): b's part that is not matrix work. */
  readonly sequenceFlopsPerToken: number;
  /** As a compute model C = a·N·D + b·D: a = 6, N the activated parameters, b = perToken − 6·N. */
  readonly compute: { readonly paramsTokens: 6; readonly tokens: number; readonly activatedParams: number };
}

/** Mean span a causal token attends to, doubled: s for full attention, 2w − w²/s for a window w < s. */
export function effectiveSpan(seqLen: number, window?: number): number {
  if (window === undefined || window >= seqLen) return seqLen;
  return 2 * window - (window * window) / seqLen;
}

/**
 * Training FLOPs per token at sequence length `seqLen` (see the module comment for each piece).
 *
 * @example trainingFlopsPerToken(HUNYUAN_LARGE, 4096).perToken // ≈ 3.32e11
 */
export function trainingFlopsPerToken(arch: ModelArchitecture, seqLen: number): TrainingFlops {
  const h = arch.hiddenSize;
  const a = arch.attention;
  const mtp = arch.mtpLayers ?? 0;
  const moe = arch.moe;
  const attnLayers = attentionLayers(arch);
  // MTP modules are one more layer each, of the kind of the last layer (Megatron): MoE here.
  const moeLayers = (moe ? arch.moeLayers : 0) + (moe && arch.moeLayers > 0 ? mtp : 0);
  const denseLayers = arch.layers - (moe ? arch.moeLayers : 0) + (moe && arch.moeLayers > 0 ? 0 : mtp);
  const layersWithAttention = attnLayers + mtp;

  const window = arch.slidingWindow;
  const windowed = window ? Math.min(window.layers, attnLayers) : 0;
  const spanSum = (layersWithAttention - windowed) * effectiveSpan(seqLen) + windowed * effectiveSpan(seqLen, window?.window);

  let attentionProjections: number;
  let attentionScores: number;
  if (a.kind === 'latent') {
    const qTerm = a.qLoraRank > 0 ? a.qLoraRank * (h + a.heads * (a.qkNopeHeadDim + a.qkRopeHeadDim) + 1) : h * a.heads * (a.qkNopeHeadDim + a.qkRopeHeadDim);
    const perLayer = qTerm + a.kvLoraRank * (h + a.heads * (a.qkNopeHeadDim + a.vHeadDim) + 1) + h * a.qkRopeHeadDim + a.heads * a.vHeadDim * h;
    attentionProjections = 6 * perLayer * layersWithAttention;
    attentionScores = 6 * ((a.heads * (a.qkNopeHeadDim + a.qkRopeHeadDim)) / 2 + (a.heads * a.vHeadDim) / 2) * spanSum;
  } else {
    const q = a.heads * a.headDim;
    const kv = a.kvHeads * a.headDim;
    const kvOwning = kvLayers(arch) + mtp;
    attentionProjections = 6 * (2 * h * q * layersWithAttention + 2 * h * kv * kvOwning);
    attentionScores = 6 * q * spanSum;
  }
  const ffn = 3; // SwiGLU / GeGLU: gate, up and down
  const routedExperts = moe ? 6 * h * ffn * moe.expertIntermediate * moe.topK * moeLayers : 0;
  const sharedExperts = moe ? 6 * h * ffn * moe.sharedIntermediate * moe.sharedExperts * moeLayers : 0;
  const denseFeedForward = 6 * h * ffn * arch.denseIntermediate * denseLayers;
  const router = moe ? 6 * h * moe.routedExperts * moeLayers : 0;
  const m = arch.mamba;
  // The mixer's matrices: in_proj H×2d, x_proj d×(r + 2N), dt_proj r×d, out_proj d×H.
  const mambaMatrices = m ? 3 * h * m.inner + m.inner * (2 * m.dtRank + 2 * m.stateSize) : 0;
  const mamba = m ? m.layers * (6 * mambaMatrices + 6 * m.inner * m.convKernel + 3 * 7 * m.inner * m.stateSize) : 0;
  const outputHead = 6 * h * arch.vocabSize * (mtp + 1);
  const multiTokenPrediction = 6 * mtp * (3 * h + 2 * h * h);
  const pieces: TrainingFlopsPieces = {
    attentionProjections,
    attentionScores,
    routedExperts,
    sharedExperts,
    denseFeedForward,
    router,
    mamba,
    outputHead,
    multiTokenPrediction,
  };
  const perToken = Object.values(pieces).reduce((s, x) => s + x, 0);
  const activatedParams = parameterCounts(arch).activatedParams;
  return {
    perToken,
    seqLen,
    pieces,
    sequenceFlopsPerToken: attentionScores,
    compute: { paramsTokens: 6, tokens: perToken - 6 * activatedParams, activatedParams },
  };
}

/**
 * The sequence length at which `pick` of the FLOPs per token reaches `target` (bisection over
 * 1…2^30 tokens; every piece grows with s). Undefined when it is reached at s = 1 already or
 * not below 2^30.
 *
 * @example seqLenWhere(HUNYUAN_LARGE, 2.3e8, (f) => f.pieces.attentionScores) // ≈ 94 (eq. 2's attention term)
 */
export function seqLenWhere(arch: ModelArchitecture, target: number, pick: (f: TrainingFlops) => number = (f) => f.perToken): number | undefined {
  let low = 1;
  let high = 2 ** 30;
  if (pick(trainingFlopsPerToken(arch, low)) >= target || pick(trainingFlopsPerToken(arch, high)) < target) return undefined;
  for (let i = 0; i < 200 && high - low > 1e-6 * low; i++) {
    const mid = (low + high) / 2;
    if (pick(trainingFlopsPerToken(arch, mid)) < target) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
