/**
 * The Llama-style dense reader shared by Llama, Mistral, Qwen2 and Qwen3: pre-norm blocks,
 * grouped-query attention, one SwiGLU MLP per layer (`modeling_llama.py` and its copies).
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import { type ConfigReader, basics, groupedAttention, slidingWindowFromLayerTypes } from '../reader.js';
import { qwenSlidingWindow } from './qwen-moe.js';

export function readDense(r: ConfigReader, family: 'llama' | 'mistral' | 'qwen2' | 'qwen3'): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const intermediate = r.int('intermediate_size', 'intermediate size of the MLP');
  let qkvBias = false;
  let outputBias = false;
  if (family === 'qwen2') {
    qkvBias = true; // Qwen2 attention always has q, k, v biases.
  } else if (family === 'llama' || family === 'qwen3') {
    qkvBias = outputBias = r.bool('attention_bias', 'biases on the attention projections', false);
  }
  if (family === 'llama') r.unsupported('mlp_bias', false, 'biases on the MLP projections are not counted');
  const attention = groupedAttention(r, hiddenSize, {
    kvHeadsDefault: true,
    headDimKeys: ['head_dim'],
    qkNorm: family === 'qwen3',
    qkvBias,
    outputBias,
  });
  const slidingWindow =
    family === 'qwen2' || family === 'qwen3'
      ? qwenSlidingWindow(r, layers)
      : family === 'mistral'
        ? slidingWindowFromLayerTypes(r, layers, () => true)
        : undefined;
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: intermediate,
    moe: undefined,
    moeLayers: 0,
    ...(slidingWindow ? { slidingWindow } : {}),
  };
}
