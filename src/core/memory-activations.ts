/**
 * Activation memory per micro-batch: what the backward pass needs kept, in bytes, on one GPU.
 *
 * Source: Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer
 * Models" (arXiv:2205.05198), §4 and Table 2, for a GPT layer (16-bit activations, 1-byte
 * dropout masks, 4h GeLU MLP, s sequence, b micro-batch, h hidden, a heads, t TP):
 *
 * | configuration | bytes per layer |
 * |---|---|
 * | no parallelism (eq. 1) | s·b·h·(34 + 5·a·s/h) |
 * | tensor parallel (eq. 2) | s·b·h·(10 + 24/t + 5·a·s/(h·t)) |
 * | tensor + sequence parallel (eq. 4) | s·b·h·(34/t + 5·a·s/(h·t)) |
 * | TP + selective recompute | s·b·h·(10 + 24/t) |
 * | TP + SP + selective recompute | s·b·h·(34/t) |
 * | full recompute | s·b·h·2 |
 *
 * Where the 34 comes from, per token (the parts are kept apart so that other shapes fit):
 * - kept whole on every TP rank, split only by sequence parallelism ("10"): the inputs of
 *   both norms 4h, the attention input 2h, the MLP input 2h, two dropout masks 2h;
 * - split by TP ("24"): Q, K, V 2h each, the attention output 2h, the GeLU input and output
 *   2·4h each;
 * - attention scores, split by TP ("5as/h"): softmax output 2·a·s, its dropout mask a·s and
 *   dropout output 2·a·s. Selective recompute drops them.
 *
 * Departures, for the shapes moeplan models (SwiGLU, GQA/MLA, MoE, no dropout):
 * - Q, K, V and the attention output take their own widths (GQA's K/V are n_g·d_h wide;
 *   MLA's decompressed K/V plus the latents, kept whole);
 * - SwiGLU keeps 6·f bytes per token: its fc1 output (gate and up, 2f wide) for the fused
 *   activation and the product (f wide) as fc2's input, as Megatron-LM's fused SwiGLU does
 *   (a 4h GeLU keeps 4·f = 16h, Korthikanti's count);
 * - no dropout masks when the model trains without dropout (the configs moeplan reads set
 *   dropout to 0); without dropout the scores are the softmax output only, 2·a·s;
 * - flash attention (the default) never keeps the scores, so recompute `none` equals
 *   `selective` for attention;
 * - an MoE layer keeps, besides the shared experts (SwiGLU of their total width), the
 *   router's logits and probabilities in fp32 (8·E bytes per token, with the whole-rank
 *   parts) and, per routed copy of a token, the dispatched input and the expert output 2h
 *   each plus the expert's SwiGLU 6·f_e/ETP. Each GPU holds c·k routed copies per local token
 *   (k of top-k, c the capacity factor: experts are filled to c times the average load),
 *   times ETP/TP under sequence parallelism (tokens are gathered across the expert's TP group);
 * - context parallelism splits the sequence: tokens per GPU are s/CP·b, and each local query
 *   scores all s keys;
 * - full recompute keeps each layer's input (2h, split by SP) and, during the backward pass,
 *   the activations of the one layer being recomputed; Table 2 lists only the former.
 *
 * Worked example (laws.md §8: GPT-3, s = 2048, b = 1, h = 12288, a = 96, t = 8), bytes per
 * layer: none 2.8689e9 (t = 1); TP 5.7881e8; TP+SP 3.5861e8; TP+selective 3.2716e8;
 * TP+SP+selective 1.0695e8; full 5.0332e7.
 */

export type Recompute = 'none' | 'selective' | 'full';
export const RECOMPUTE_CHOICES: readonly Recompute[] = ['none', 'selective', 'full'];

/** The shape of one transformer layer, as far as its activations are concerned. */
export interface LayerActivationShape {
  readonly hidden: number;
  readonly heads: number;
  /** Widths of Q, K, V and of the attention output (the out-projection's input). */
  readonly queryWidth: number;
  readonly keyWidth: number;
  readonly valueWidth: number;
  readonly attentionOutputWidth: number;
  /** Latent vectors kept per token on every TP rank (MLA: d_c' + d_c + d_rope), else 0. */
  readonly latentWidth: number;
  /** The dense (or shared-expert) feed-forward block: activation and total intermediate width; 0 width for none. */
  readonly feedForward: { readonly activation: 'gelu' | 'swiglu'; readonly intermediate: number };
  /** The routed experts of an MoE layer. */
  readonly routed?: { readonly experts: number; readonly topK: number; readonly intermediate: number } | undefined;
  readonly dropout: boolean;
}

export interface ActivationOptions {
  readonly seqLen: number;
  readonly microBatch: number;
  readonly tp: number;
  readonly cp: number;
  /** Expert tensor parallelism (default: TP). */
  readonly etp?: number;
  readonly sequenceParallel: boolean;
  readonly recompute: Recompute;
  /** Flash attention: the scores are never kept (default true). */
  readonly flashAttention?: boolean;
  /** Capacity factor c of the routed experts (default 1). */
  readonly capacityFactor?: number;
}

/** Bytes of one layer, by how they are split. */
export interface LayerActivationBytes {
  /** Whole on every TP rank unless sequence parallelism splits them. */
  readonly replicated: number;
  /** Split by TP. */
  readonly sharded: number;
  /** Routed-token buffers of the experts. */
  readonly routed: number;
  /** Attention scores (none under flash attention or selective recompute). */
  readonly scores: number;
  readonly total: number;
}

/**
 * Activations one layer keeps for one micro-batch on one GPU (bytes), by the accounting in
 * the file's comment. With full recompute only the layer input is kept.
 *
 * @example
 * layerActivationBytes(GPT3_LAYER, { seqLen: 2048, microBatch: 1, tp: 8, cp: 1, sequenceParallel: true, recompute: 'selective', flashAttention: false })
 * // total 1.0695e8 = 2048·12288·34/8 (Korthikanti Table 2, TP + SP + selective)
 */
export function layerActivationBytes(shape: LayerActivationShape, options: ActivationOptions): LayerActivationBytes {
  const { tp, cp, sequenceParallel } = options;
  const tokens = (options.seqLen / cp) * options.microBatch;
  const h = shape.hidden;
  const bySp = sequenceParallel ? tp : 1;
  if (options.recompute === 'full') {
    const input = (2 * h * tokens) / bySp;
    return { replicated: input, sharded: 0, routed: 0, scores: 0, total: input };
  }
  const masks = shape.dropout ? 2 * h : 0;
  const router = shape.routed ? 8 * shape.routed.experts : 0;
  const replicated = ((4 * h + 2 * h + 2 * h + masks + 2 * shape.latentWidth + router) * tokens) / bySp;
  const ff = shape.feedForward;
  const feedForward = (ff.activation === 'gelu' ? 4 : 6) * ff.intermediate;
  const attention = 2 * (shape.queryWidth + shape.keyWidth + shape.valueWidth + shape.attentionOutputWidth);
  const sharded = ((attention + feedForward) * tokens) / tp;
  let routed = 0;
  if (shape.routed) {
    const etp = options.etp ?? tp;
    const copies = (options.capacityFactor ?? 1) * shape.routed.topK * tokens * (sequenceParallel ? etp / tp : 1);
    routed = copies * (4 * h + (6 * shape.routed.intermediate) / etp);
  }
  const keepScores = options.recompute === 'none' && options.flashAttention === false;
  const scores = keepScores ? ((shape.dropout ? 5 : 2) * shape.heads * options.seqLen * tokens) / tp : 0;
  return { replicated, sharded, routed, scores, total: replicated + sharded + routed + scores };
}
