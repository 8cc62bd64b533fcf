/**
 * KV-cache size per token: the model as configured, and the attention variants of
 * Table 2 of the Hunyuan-Large report (MHA, GQA, MQA, CLA, GQA+CLA) for the same shape.
 */
import { type ModelArchitecture, type SlidingWindow, attentionLayers, isAttentionLayer, kvLayers } from './architecture.js';

/** Storage types of the cache and their bytes per element. */
export const KV_DTYPE_BYTES = { bf16: 2, fp16: 2, fp8: 1, fp32: 4 } as const;
export type KvDtype = keyof typeof KV_DTYPE_BYTES;

export type KvVariantName = 'MHA' | 'GQA' | 'MQA' | 'CLA' | 'GQA+CLA' | 'MQA+CLA' | 'MLA';

export interface KvCacheVariant {
  readonly name: KvVariantName;
  /** Bytes per token as a formula in n_h, n_g, d_h, l (Table 2 form for bf16). */
  readonly formula: string;
  readonly bytesPerToken: number;
  /** 1 − bytes / MHA bytes. */
  readonly savingVsMha: number;
  /** This is the model as configured. */
  readonly configured: boolean;
}

/**
 * Cached elements per token over all layers.
 *
 * Grouped attention: K and V, n_g·d_h each, in the layers that own K/V (⌈l/f⌉ under
 * cross-layer sharing factor f): 2·n_g·d_h·⌈l/f⌉.
 * Latent attention (DeepSeek-V2 §2.1.2, Table 1): the K/V latent and the RoPE key,
 * (d_c + d_h^R)·l.
 *
 * @example kvCacheElementsPerToken(HUNYUAN_LARGE) // 40_960 = 2·8·80·32
 */
export function kvCacheElementsPerToken(arch: ModelArchitecture): number {
  const a = arch.attention;
  if (a.kind === 'latent') return (a.kvLoraRank + a.qkRopeHeadDim) * attentionLayers(arch);
  return 2 * a.kvHeads * a.headDim * kvLayers(arch);
}

/**
 * KV-cache bytes per token for the model as configured.
 *
 * bytes = elements per token × bytes per element (bf16: 2).
 *
 * Source: Hunyuan-Large report Table 2 (GQA+CLA: 2·n_g·d_h·l bytes in bf16).
 *
 * @example kvCacheBytesPerToken(HUNYUAN_LARGE) // 81_920 (2·8·80·64)
 * @example kvCacheBytesPerToken(HUNYUAN_LARGE, 1) // 40_960 in fp8
 */
export function kvCacheBytesPerToken(arch: ModelArchitecture, bytesPerElement = 2): number {
  return kvCacheElementsPerToken(arch) * bytesPerElement;
}

/**
 * What layer `index` (0-based) caches for one sequence of `context` tokens, in elements:
 * nothing for a layer that reads another layer's K/V (cross-layer sharing); e·T for an
 * attention layer that owns K/V, e·min(T, w) when it is windowed; and for a Mamba layer its
 * fixed state, d_in·(d_conv + N), whatever the context. e is the cached elements per layer
 * and token ({@link kvCacheElementsPerToken} / the layers that own K/V).
 *
 * Which layers: attention layers as {@link isAttentionLayer} spreads them among Mamba
 * layers; the 1st, (f+1)th, … attention layers own K/V under sharing factor f; the windowed
 * layers are spread evenly over the attention layers (their count is what configs give:
 * `layer_types`, `sliding_window_pattern`, alternating layers), so each pipeline stage
 * holds its share.
 *
 * @example layerKvCache(GPT_OSS_120B, 1, 131_072) // { elements: 1024·128, windowed: true, state: false }
 */
export function layerKvCache(arch: ModelArchitecture, index: number, context: number): { elements: number; windowed: boolean; state: boolean } {
  const attention = attentionLayers(arch);
  if (!isAttentionLayer(arch, index)) {
    const m = arch.mamba;
    return { elements: m ? m.inner * (m.convKernel + m.stateSize) : 0, windowed: false, state: true };
  }
  const a = arch.attention;
  const factor = a.kind === 'grouped' ? a.claShareFactor : 1;
  // The place of this layer among the attention layers.
  const position = attention === arch.layers ? index : Math.floor((index * attention) / arch.layers);
  if (position % factor !== 0) return { elements: 0, windowed: false, state: false };
  const owning = a.kind === 'latent' ? attention : kvLayers(arch);
  const perToken = kvCacheElementsPerToken(arch) / owning;
  const sliding = arch.slidingWindow;
  const windowed = sliding !== undefined && Math.floor(((position + 1) * sliding.layers) / attention) > Math.floor((position * sliding.layers) / attention);
  return { elements: perToken * (windowed ? Math.min(context, (sliding as SlidingWindow).window) : context), windowed, state: false };
}

/**
 * KV cache of one sequence of `context` tokens, in bytes: the sum of {@link layerKvCache}
 * over the layers. Every layer that owns K/V caches each token, except windowed layers
 * (sliding-window or chunked attention), which cache min(context, window) tokens; Mamba
 * layers hold a fixed state instead of a per-token cache (conv state d_in·d_conv and SSM
 * state d_in·N per layer, in the same element type).
 *
 * bytes = b·e·(l_full·T + l_win·min(T, w)) + b·l_mamba·d_in·(d_conv + N)
 *
 * @example kvCacheBytesPerSequence(HUNYUAN_LARGE, 262_144) // 21_474_836_480 (20 GiB)
 * @example // gpt-oss-120b: 36 layers, 18 windowed at 128 tokens, 2·8·64 elements a layer:
 * // 2·1024·(18·131072 + 18·128) = 4_836_556_800 bytes at 128Ki tokens
 */
export function kvCacheBytesPerSequence(arch: ModelArchitecture, context: number, bytesPerElement = 2): KvCacheSequence {
  let attention = 0;
  let state = 0;
  let windowedLayers = 0;
  for (let i = 0; i < arch.layers; i++) {
    const layer = layerKvCache(arch, i, context);
    if (layer.state) state += bytesPerElement * layer.elements;
    else attention += bytesPerElement * layer.elements;
    if (layer.windowed) windowedLayers++;
  }
  const windowTokens = arch.slidingWindow ? Math.min(context, arch.slidingWindow.window) : 0;
  return { bytes: attention + state, attentionBytes: attention, stateBytes: state, windowedLayers, windowTokens };
}

export interface KvCacheSequence {
  /** Attention cache and Mamba state together. */
  readonly bytes: number;
  readonly attentionBytes: number;
  /** Fixed Mamba state (0 without Mamba layers). */
  readonly stateBytes: number;
  /** K/V-owning layers that cache only the window. */
  readonly windowedLayers: number;
  /** Tokens a windowed layer caches: min(context, window). */
  readonly windowTokens: number;
}

/**
 * The variants of Table 2 of the Hunyuan-Large report for the same number of heads n_h,
 * K/V groups n_g, head dimension d_h and layers l, with b bytes per element:
 *
 * | variant | bytes per token (bf16, b = 2) |
 * |---|---|
 * | MHA | 2b·n_h·d_h·l = 4·n_h·d_h·l |
 * | GQA | 2b·n_g·d_h·l = 4·n_g·d_h·l |
 * | MQA | 2b·d_h·l = 4·d_h·l |
 * | CLA | 2b·n_h·d_h·⌈l/f⌉ = 2·n_h·d_h·l for f = 2 |
 * | GQA+CLA | 2b·n_g·d_h·⌈l/f⌉ = 2·n_g·d_h·l for f = 2 |
 *
 * f is the model's cross-layer sharing factor, or 2 (the report's) when the model does
 * not share K/V across layers. A model with MQA and CLA gets its own `MQA+CLA` row; an MHA
 * model (n_g = n_h) has no GQA rows, which would repeat MHA and CLA. For
 * latent attention the rows are MHA with the same heads (keys n_h·(d_nope + d_rope),
 * values n_h·d_v per layer) and MLA as configured.
 *
 * @example kvCacheVariants(HUNYUAN_LARGE).map((v) => v.bytesPerToken)
 * // [1_638_400, 163_840, 20_480, 819_200, 81_920]; GQA+CLA saves 95%
 */
export function kvCacheVariants(arch: ModelArchitecture, bytesPerElement = 2): KvCacheVariant[] {
  const a = arch.attention;
  const l = attentionLayers(arch);
  const b = bytesPerElement;
  if (a.kind === 'latent') {
    const mha = b * a.heads * (a.qkNopeHeadDim + a.qkRopeHeadDim + a.vHeadDim) * l;
    const mla = kvCacheBytesPerToken(arch, b);
    return [
      { name: 'MHA', formula: `${b}·n_h·(d_qk + d_v)·l`, bytesPerToken: mha, savingVsMha: 0, configured: false },
      { name: 'MLA', formula: `${b}·(d_c + d_rope)·l`, bytesPerToken: mla, savingVsMha: 1 - mla / mha, configured: true },
    ];
  }
  const f = a.claShareFactor > 1 ? a.claShareFactor : 2;
  const claLayers = Math.ceil(l / f);
  const perLayer = 2 * b * a.headDim;
  const claFormula = (heads: string) => ((2 * b) % f === 0 && l % f === 0 ? `${(2 * b) / f}·${heads}d_h·l` : `${2 * b}·${heads}d_h·⌈l/${f}⌉`);
  const cla = a.claShareFactor > 1;
  const configuredName: KvVariantName = a.kvHeads === a.heads ? (cla ? 'CLA' : 'MHA') : a.kvHeads === 1 ? (cla ? 'MQA+CLA' : 'MQA') : cla ? 'GQA+CLA' : 'GQA';
  const rows: Array<Omit<KvCacheVariant, 'savingVsMha' | 'configured'>> = [
    { name: 'MHA', formula: `${2 * b}·n_h·d_h·l`, bytesPerToken: perLayer * a.heads * l },
    { name: 'GQA', formula: `${2 * b}·n_g·d_h·l`, bytesPerToken: perLayer * a.kvHeads * l },
    { name: 'MQA', formula: `${2 * b}·d_h·l`, bytesPerToken: perLayer * l },
    { name: 'CLA', formula: claFormula('n_h·'), bytesPerToken: perLayer * a.heads * claLayers },
    { name: 'GQA+CLA', formula: claFormula('n_g·'), bytesPerToken: perLayer * a.kvHeads * claLayers },
  ];
  if (configuredName === 'MQA+CLA') rows.push({ name: 'MQA+CLA', formula: claFormula(''), bytesPerToken: perLayer * claLayers });
  const mha = rows[0]?.bytesPerToken ?? 0;
  // An MHA model has no K/V groups: its GQA rows would repeat MHA and CLA.
  const shown = a.kvHeads === a.heads ? rows.filter((r) => r.name !== 'GQA' && r.name !== 'GQA+CLA') : rows;
  return shown.map((r) => ({ ...r, savingVsMha: 1 - r.bytesPerToken / mha, configured: r.name === configuredName }));
}
