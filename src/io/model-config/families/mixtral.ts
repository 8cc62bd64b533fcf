/** Mixtral (Mistral AI): every layer an MoE of SwiGLU experts, no shared expert (`modeling_mixtral.py`). */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { type ConfigReader, basics, groupedAttention, routedMoe, slidingWindowFromLayerTypes } from '../reader.js';

function read(r: ConfigReader): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const intermediate = r.int('intermediate_size', 'intermediate size of each expert');
  const attention = groupedAttention(r, hiddenSize, { kvHeadsDefault: false, headDimKeys: ['head_dim'], qkNorm: false, qkvBias: false, outputBias: false });
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
    ...(slidingWindow ? { slidingWindow } : {}),
  };
}

export default {
  name: 'mixtral',
  modelTypes: ['mixtral'],
  architectures: ['MixtralForCausalLM'],
  title: 'Mixtral (MoE)',
  ignoredKeys: ['router_jitter_noise'],
  read,
} satisfies ConfigFamilyDefinition;
