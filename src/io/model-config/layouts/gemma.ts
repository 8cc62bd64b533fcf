/**
 * The Gemma layout (Gemma 2 and 3): pre- and post-norms around attention and the MLP (four H
 * vectors a layer), a GeGLU MLP (gate, up and down: 3·H·I like SwiGLU), tied embeddings,
 * windowed attention in some layers.
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import { type ConfigReader, basics, groupedAttention, slidingWindowFromLayerTypes } from '../reader.js';

/**
 * Sizes Gemma3TextConfig sets when a config leaves them out (the published Gemma 3 4B and
 * 12B configs rely on them); each one used is listed in `defaultsUsed`.
 */
export const GEMMA3_TEXT_DEFAULTS = { vocab_size: 262_208, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256 } as const;

export function readGemma(
  r: ConfigReader,
  options: { qkNorm: boolean; windowedLayer: (layer: number) => boolean; defaults?: Readonly<Record<string, number>> },
): ModelArchitecture {
  for (const [key, value] of Object.entries(options.defaults ?? {})) {
    if (!r.has(key)) {
      r.inherit(key, value);
      r.defaultsUsed.push(`${r.prefix}${key} = ${value} (Gemma3TextConfig default)`);
    }
  }
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r, true);
  const bias = r.bool('attention_bias', 'biases on the attention projections', false);
  const attention = groupedAttention(r, hiddenSize, {
    kvHeadsDefault: false,
    headDimKeys: ['head_dim'],
    qkNorm: options.qkNorm,
    qkvBias: bias,
    outputBias: bias,
  });
  const slidingWindow = slidingWindowFromLayerTypes(r, layers, options.windowedLayer);
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: r.int('intermediate_size', 'intermediate size of the MLP'),
    moe: undefined,
    moeLayers: 0,
    normsPerLayer: 4,
    ...(slidingWindow ? { slidingWindow } : {}),
  };
}
