/**
 * gpt-oss (OpenAI): biases on the attention projections, the router and every expert, one
 * attention-sink logit per head, sliding-window and full attention alternating
 * (`modeling_gpt_oss.py`: gate_up_proj E×H×2I with a 2I bias, down_proj E×I×H with an H bias).
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { type ConfigReader, basics, groupedAttention, routedMoe, slidingWindowFromLayerTypes } from '../reader.js';

function read(r: ConfigReader): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const bias = r.bool('attention_bias', 'biases on the attention projections', true);
  const attention = groupedAttention(r, hiddenSize, {
    kvHeadsDefault: false,
    headDimKeys: ['head_dim'],
    qkNorm: false,
    qkvBias: bias,
    outputBias: bias,
    attentionSinks: true,
  });
  const intermediate = r.int('intermediate_size', 'intermediate size of each expert');
  const topK = r.int('num_experts_per_tok', 'experts per token');
  if (r.has('experts_per_token') && r.int('experts_per_token', 'experts per token') !== topK) {
    r.fail('experts_per_token', `"experts_per_token" differs from num_experts_per_tok ${topK}`);
  }
  // transformers' default layer_types: even layers windowed.
  const slidingWindow = slidingWindowFromLayerTypes(r, layers, (i) => i % 2 === 0);
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: intermediate,
    moe: routedMoe(r, 'num_local_experts', intermediate, { topK, routerBias: true, expertBias: true }),
    moeLayers: layers,
    ...(slidingWindow ? { slidingWindow } : {}),
  };
}

export default {
  name: 'gpt_oss',
  modelTypes: ['gpt_oss'],
  architectures: ['GptOssForCausalLM'],
  title: 'gpt-oss (MoE, biases, attention sinks, sliding window)',
  ignoredKeys: ['initial_context_length', 'swiglu_limit', 'rope_ntk_alpha', 'rope_ntk_beta', 'router_jitter_noise'],
  read,
} satisfies ConfigFamilyDefinition;
