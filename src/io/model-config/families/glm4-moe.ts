/**
 * GLM-4.5 (Zhipu AI): the DeepSeek MoE layout with ordinary grouped attention, biases on q, k
 * and v, optional QK-norm (`use_qk_norm`), a routing bias, and a multi-token-prediction layer
 * that the counts leave out (`modeling_glm4_moe.py`).
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { type ConfigReader, basics, groupedAttention } from '../reader.js';

function read(r: ConfigReader): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const attention = groupedAttention(r, hiddenSize, {
    kvHeadsDefault: false,
    headDimKeys: ['head_dim'],
    qkNorm: r.bool('use_qk_norm', 'RMSNorm on query and key heads', false),
    qkvBias: r.bool('attention_bias', 'biases on q, k and v', false),
    outputBias: false,
  });
  const firstDense = r.int('first_k_dense_replace', 'dense layers before the MoE layers', { min: 0, default: 1 });
  const expertIntermediate = r.int('moe_intermediate_size', 'intermediate size of a routed expert');
  const mtp = r.int('num_nextn_predict_layers', 'multi-token prediction layers', { min: 0, default: 0 });
  if (mtp > 0) r.notes.push(`${mtp} multi-token-prediction layer(s) not counted (num_nextn_predict_layers); the training FLOPs include them`);
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: r.int('intermediate_size', 'intermediate size of the dense layers'),
    moe: {
      routedExperts: r.int('n_routed_experts', 'routed experts per MoE layer'),
      expertIntermediate,
      topK: r.int('num_experts_per_tok', 'routed experts per token'),
      sharedExperts: r.int('n_shared_experts', 'shared experts', { min: 0 }),
      sharedIntermediate: expertIntermediate,
      sharedExpertGate: false,
      routerBias: true,
    },
    moeLayers: Math.max(0, layers - firstDense),
    ...(mtp > 0 ? { mtpLayers: mtp } : {}),
  };
}

export default {
  name: 'glm4_moe',
  modelTypes: ['glm4_moe'],
  architectures: ['Glm4MoeForCausalLM'],
  title: 'GLM-4.5 (MoE, shared expert, routing bias)',
  ignoredKeys: ['partial_rotary_factor', 'n_group', 'topk_group', 'routed_scaling_factor', 'norm_topk_prob'],
  read,
} satisfies ConfigFamilyDefinition;
