/**
 * OLMoE (AI2): every layer an MoE of SwiGLU experts, no shared expert, QK-norm over the whole
 * q and k projections (`modeling_olmoe.py`: q_norm of n_h·d_h, k_norm of n_g·d_h).
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { type ConfigReader, basics, groupedAttention, routedMoe } from '../reader.js';

function read(r: ConfigReader): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const bias = r.bool('attention_bias', 'biases on the attention projections', false);
  const attention = groupedAttention(r, hiddenSize, {
    kvHeadsDefault: true,
    headDimKeys: [],
    qkNorm: true,
    qkNormScope: 'projection',
    qkvBias: bias,
    outputBias: bias,
  });
  const intermediate = r.int('intermediate_size', 'intermediate size of each expert');
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: intermediate,
    moe: routedMoe(r, 'num_experts', intermediate),
    moeLayers: layers,
  };
}

export default {
  name: 'olmoe',
  modelTypes: ['olmoe'],
  architectures: ['OlmoeForCausalLM'],
  title: 'OLMoE (MoE, QK-norm)',
  ignoredKeys: ['clip_qkv', 'norm_topk_prob'],
  read,
} satisfies ConfigFamilyDefinition;
