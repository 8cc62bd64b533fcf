/**
 * Llama 4 (Meta): the language model of a multimodal config (`text_config`); an MoE block in
 * the `moe_layers` (default every `interleave_moe_layer_step`-th layer) with one shared expert
 * of `intermediate_size`, dense layers of `intermediate_size_mlp`; chunked attention in the
 * RoPE layers (`no_rope_layers[i] = 1`), global attention in the others; QK-norm without
 * weights (`modeling_llama4.py`). The vision tower is not counted.
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { type ConfigReader, basics, groupedAttention } from '../reader.js';
import { languageModel } from '../layouts/multimodal.js';

const TEXT_IGNORED = [
  'attn_scale',
  'attn_temperature_tuning',
  'floor_scale',
  'for_llm_compressor',
  'router_jitter_noise',
  'cache_implementation',
  'no_rope_layer_interval',
];

function read(top: ConfigReader): ModelArchitecture {
  const r = languageModel(top, TEXT_IGNORED, ['boi_token_index', 'eoi_token_index', 'image_token_index']);
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const bias = r.bool('attention_bias', 'biases on the attention projections', false);
  r.skip('use_qk_norm'); // an L2 norm: no weights
  const attention = groupedAttention(r, hiddenSize, { kvHeadsDefault: true, headDimKeys: ['head_dim'], qkNorm: false, qkvBias: bias, outputBias: bias });
  const step = r.int('interleave_moe_layer_step', 'every how many layers an MoE block', { default: 1 });
  const listed = r.intList('moe_layers', 'layers with an MoE block');
  const moeLayers = r.has('moe_layers') ? new Set(listed).size : Math.floor(layers / step);
  const intermediate = r.int('intermediate_size', 'intermediate size of each expert and of the shared expert');
  r.skip('intermediate_size_mlp');
  const denseIntermediate = moeLayers < layers ? r.int('intermediate_size_mlp', 'intermediate size of the dense layers') : intermediate;
  const noRope = r.intList('no_rope_layers', 'per layer: 1 uses RoPE and chunked attention, 0 attends globally');
  // transformers' default: every 4th layer (no_rope_layer_interval) is a global NoPE layer.
  const ropeLayers = noRope.length === layers ? noRope.filter((x) => x === 1).length : layers - Math.floor(layers / 4);
  const chunk = r.has('attention_chunk_size') ? r.int('attention_chunk_size', 'tokens of a chunked-attention block') : undefined;
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate,
    moe: {
      routedExperts: r.int('num_local_experts', 'routed experts per MoE layer'),
      expertIntermediate: intermediate,
      topK: r.int('num_experts_per_tok', 'routed experts per token'),
      sharedExperts: 1,
      sharedIntermediate: intermediate,
      sharedExpertGate: false,
      routerBias: false,
    },
    moeLayers,
    ...(chunk !== undefined && ropeLayers > 0 ? { slidingWindow: { window: chunk, layers: ropeLayers } } : {}),
  };
}

export default {
  name: 'llama4',
  modelTypes: ['llama4', 'llama4_text'],
  architectures: ['Llama4ForConditionalGeneration', 'Llama4ForCausalLM'],
  title: 'Llama 4 (MoE every k layers, shared expert, chunked attention)',
  ignoredKeys: TEXT_IGNORED,
  read,
} satisfies ConfigFamilyDefinition;
