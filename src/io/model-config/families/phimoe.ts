/**
 * Phi-3.5-MoE (Microsoft): LayerNorms with biases, biases on the attention projections and
 * on the output head (`lm_head_bias`), 16 SwiGLU experts, top-2 (`modeling_phimoe.py`).
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { type ConfigReader, basics, groupedAttention, routedMoe, slidingWindowFromLayerTypes } from '../reader.js';

function read(r: ConfigReader): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const bias = r.bool('attention_bias', 'biases on the attention projections', false);
  const attention = groupedAttention(r, hiddenSize, { kvHeadsDefault: false, headDimKeys: [], qkNorm: false, qkvBias: bias, outputBias: bias });
  const intermediate = r.int('intermediate_size', 'intermediate size of each expert');
  const slidingWindow = slidingWindowFromLayerTypes(r, layers, () => true);
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: intermediate,
    moe: routedMoe(r, 'num_local_experts', intermediate),
    moeLayers: layers,
    normBias: true,
    outputHeadBias: r.bool('lm_head_bias', 'a bias on the output head', false),
    ...(slidingWindow ? { slidingWindow } : {}),
  };
}

export default {
  name: 'phimoe',
  modelTypes: ['phimoe'],
  architectures: ['PhiMoEForCausalLM', 'PhimoeForCausalLM'],
  title: 'Phi-3.5-MoE (MoE, LayerNorm, biases)',
  ignoredKeys: ['input_jitter_noise', 'router_jitter_noise', 'original_max_position_embeddings'],
  read,
} satisfies ConfigFamilyDefinition;
