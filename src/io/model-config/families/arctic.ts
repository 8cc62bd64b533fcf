/**
 * Snowflake Arctic: a dense residual MLP of width H (`parallel_attn_mlp_res`, with its own
 * norm) beside a 128-expert top-2 MoE in every `moe_layer_frequency`-th layer; the residual
 * MLP is counted as a shared expert of intermediate size H (Snowflake's `modeling_arctic.py`).
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { type ConfigReader, basics, groupedAttention } from '../reader.js';

function read(r: ConfigReader): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const attention = groupedAttention(r, hiddenSize, { kvHeadsDefault: true, headDimKeys: [], qkNorm: false, qkvBias: false, outputBias: false });
  const intermediate = r.int('intermediate_size', 'intermediate size of each expert');
  const frequency = r.int('moe_layer_frequency', 'every how many layers an MoE block', { default: 2 });
  let moeLayers = 0;
  for (let i = 0; i < layers; i++) if ((i + 1) % frequency === 0) moeLayers++;
  const residual = r.bool('parallel_attn_mlp_res', 'a dense residual MLP beside the MoE', false);
  r.skip('use_residual', 'sliding_window');
  if (moeLayers < layers && residual) r.fail('moe_layer_frequency', '"moe_layer_frequency" above 1 with parallel_attn_mlp_res is not read');
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: intermediate,
    moe: {
      routedExperts: r.int('num_local_experts', 'experts per MoE layer'),
      expertIntermediate: intermediate,
      topK: r.int('num_experts_per_tok', 'experts per token'),
      sharedExperts: residual ? 1 : 0,
      sharedIntermediate: residual ? hiddenSize : 0,
      sharedExpertGate: false,
      routerBias: false,
    },
    moeLayers,
    ...(residual ? { normsPerLayer: 3 } : {}),
  };
}

export default {
  name: 'arctic',
  modelTypes: ['arctic'],
  architectures: ['ArcticForCausalLM'],
  title: 'Snowflake Arctic (dense residual MLP beside the MoE)',
  ignoredKeys: [
    'enable_expert_tensor_parallelism',
    'moe_eval_capacity_factor',
    'moe_min_capacity',
    'moe_token_dropping',
    'moe_train_capacity_factor',
    'quantization',
    'enc_index',
  ],
  read,
} satisfies ConfigFamilyDefinition;
