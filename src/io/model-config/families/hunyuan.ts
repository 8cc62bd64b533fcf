/**
 * Hunyuan (Tencent): Hunyuan-Large (MoE, one shared expert, cross-layer K/V sharing, QK-norm)
 * and Hunyuan-A13B (per-layer lists such as `moe_topk: [8, 8, …]` with one value for all layers).
 * Layout: transformers' `modeling_hunyuan_v1_moe.py` and Tencent's remote code.
 */
import type { ModelArchitecture, MoeShape } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { languageModel } from '../layouts/multimodal.js';
import { type ConfigReader, basics, groupedAttention } from '../reader.js';

function read(top: ConfigReader): ModelArchitecture {
  const r = languageModel(top, []);
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const intermediate = r.int('intermediate_size', 'intermediate size of each expert (and of the dense MLP)');
  const useCla = r.bool('use_cla', 'cross-layer K/V sharing', false);
  if (!useCla) r.skip('cla_share_factor');
  const claShareFactor = useCla ? r.int('cla_share_factor', 'layers sharing one K/V') : 1;
  const qkNorm = r.bool('use_qk_norm', 'RMSNorm on query and key heads', false);
  const bias = r.bool('attention_bias', 'biases on the attention projections', false);
  r.unsupported('mlp_bias', false, 'biases on the expert projections are not counted');
  r.unsupported('use_mla', false, 'latent attention in a Hunyuan config is not read');
  r.unsupported('moe_layer_num_skipped', 0, 'dense layers before the MoE layers are not read for Hunyuan');
  r.unsupported('add_classification_head', false, 'a classification head is not a language model');
  const attention = groupedAttention(r, hiddenSize, {
    kvHeadsDefault: true,
    headDimKeys: ['attention_head_dim', 'head_dim'],
    qkNorm,
    qkvBias: bias,
    outputBias: bias,
    claShareFactor,
  });
  // Without num_experts a Hunyuan model is dense (transformers default 1), unless MoE keys
  // say otherwise: then the count of experts is missing, not 1.
  const moeKeys = ['moe_topk', 'num_shared_expert', 'use_mixed_mlp_moe', 'moe_intermediate_size'];
  const experts = moeKeys.some((k) => r.has(k))
    ? r.int('num_experts', 'specialized experts (1 = a dense model)')
    : r.int('num_experts', 'specialized experts (1 = a dense model)', { default: 1 });
  let moe: MoeShape | undefined;
  if (experts > 1) {
    const topK = r.int('moe_topk', 'specialized experts per token');
    const expertIntermediate = r.int('moe_intermediate_size', 'intermediate size of a specialized expert', {
      default: intermediate,
      defaultText: `intermediate_size = ${intermediate}`,
    });
    // The shared expert exists when use_mixed_mlp_moe is true (transformers default false). A
    // config that states num_shared_expert without use_mixed_mlp_moe is taken at its word.
    const mixed = r.has('use_mixed_mlp_moe') ? r.bool('use_mixed_mlp_moe', 'a shared expert beside the routed ones', false) : undefined;
    const shared = r.int('num_shared_expert', 'shared experts', { min: 0, ...(mixed === false ? { default: 0 } : {}) });
    if (mixed === undefined) r.notes.push(`use_mixed_mlp_moe absent: ${shared} shared expert(s) taken from num_shared_expert`);
    moe = {
      routedExperts: experts,
      expertIntermediate,
      topK,
      sharedExperts: mixed === false ? 0 : shared,
      sharedIntermediate: intermediate,
      sharedExpertGate: false,
      routerBias: false,
    };
  } else {
    // A dense Hunyuan model: the MoE keys do not apply.
    r.skip(...moeKeys);
  }
  return { hiddenSize, layers, vocabSize, tiedEmbeddings, attention, denseIntermediate: intermediate, moe, moeLayers: moe ? layers : 0 };
}

export default {
  name: 'hunyuan',
  modelTypes: ['hunyuan', 'hunyuan_v1_moe'],
  architectures: ['HunYuanForCausalLM', 'HunYuanMoEV1ForCausalLM'],
  title: 'Hunyuan (MoE, shared expert, CLA)',
  topKKey: 'moe_topk',
  ignoredKeys: [
    'capacity_factor',
    'moe_drop_tokens',
    'moe_random_routing_dropped_token',
    'use_rotary_pos_emb',
    'eod_token_id',
    'sep_token_id',
    'text_start_id',
    'text_end_id',
    'mask_init_id',
    'im_start_id',
    'im_end_id',
    'im_newline_id',
    'image_token_id',
    'video_start_id',
    'video_end_id',
    'norm_topk_prob',
    'routed_scaling_factor',
    'group_limited_greedy',
    'n_group',
    'topk_group',
    'class_num',
    'pool_type',
    'pad_id',
    'org_vocab_size',
    'norm_type',
    // Latent-attention sizes apply only with use_mla, which is refused.
    'kv_lora_rank',
    'q_lora_rank',
    'qk_rope_head_dim',
    'qk_nope_head_dim',
    'v_head_dim',
  ],
  read,
} satisfies ConfigFamilyDefinition;
