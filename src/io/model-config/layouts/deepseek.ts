/**
 * The DeepSeek MoE layout shared by DeepSeekMoE, DeepSeek-V2/V3 and models that reuse it
 * (Kimi K2): `first_k_dense_replace` dense layers, then an MoE block every `moe_layer_freq`
 * layers with `n_shared_experts` shared experts of the routed experts' size
 * (`modeling_deepseek_v3.py`). V2/V3 use latent attention (MLA); DeepSeekMoE ordinary attention.
 */
import type { AttentionShape, ModelArchitecture } from '../../../core/architecture.js';
import { type ConfigReader, basics, groupedAttention } from '../reader.js';

export const DEEPSEEK_IGNORED = [
  'n_group',
  'topk_group',
  'topk_method',
  'routed_scaling_factor',
  'scoring_func',
  'norm_topk_prob',
  'aux_loss_alpha',
  'seq_aux',
  'ep_size',
];

export function latentAttention(r: ConfigReader): AttentionShape {
  r.unsupported('attention_bias', false, 'biases on the latent attention projections are not counted');
  r.skip('num_key_value_heads');
  return {
    kind: 'latent',
    heads: r.int('num_attention_heads', 'query heads'),
    qLoraRank: r.int('q_lora_rank', 'rank of the query latent (null: none)', { min: 0, default: 0, defaultText: 'null (no query latent)' }),
    kvLoraRank: r.int('kv_lora_rank', 'rank of the K/V latent'),
    qkNopeHeadDim: r.int('qk_nope_head_dim', 'query/key head dimension without RoPE'),
    qkRopeHeadDim: r.int('qk_rope_head_dim', 'decoupled RoPE head dimension', { min: 0 }),
    vHeadDim: r.int('v_head_dim', 'value head dimension'),
  };
}

export function readDeepseekLayout(r: ConfigReader, options: { latent: boolean; v3: boolean }): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  // DeepSeekMoE's attention_bias sets all four projections.
  const bias = options.latent ? false : r.bool('attention_bias', 'biases on the attention projections', false);
  const attention = options.latent
    ? latentAttention(r)
    : groupedAttention(r, hiddenSize, { kvHeadsDefault: true, headDimKeys: [], qkNorm: false, qkvBias: bias, outputBias: bias });
  const denseIntermediate = r.int('intermediate_size', 'intermediate size of the dense layers');
  const experts = r.int('n_routed_experts', 'routed experts per MoE layer');
  const firstDense = r.int('first_k_dense_replace', 'dense layers before the MoE layers', { min: 0, default: 0 });
  const frequency = r.int('moe_layer_freq', 'every how many layers an MoE block', { default: 1 });
  let moeLayers = 0;
  for (let i = firstDense; i < layers; i++) if (i % frequency === 0) moeLayers++;
  const expertIntermediate = r.int('moe_intermediate_size', 'intermediate size of a routed expert');
  const shared = r.int('n_shared_experts', 'shared experts', { min: 0 });
  // DeepSeek-V3 routes with a learned per-expert bias (`e_score_correction_bias`) when
  // topk_method is noaux_tc.
  const topkMethod = options.v3 ? r.text('topk_method') : undefined;
  const mtp = options.v3 ? r.int('num_nextn_predict_layers', 'multi-token prediction modules', { min: 0, default: 0 }) : 0;
  if (mtp > 0)
    r.notes.push(
      `${mtp} multi-token-prediction module(s) not counted (num_nextn_predict_layers; DeepSeek's 671B excludes them); the training FLOPs include them`,
    );
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate,
    moe: {
      routedExperts: experts,
      expertIntermediate,
      topK: r.int('num_experts_per_tok', 'routed experts per token'),
      sharedExperts: shared,
      sharedIntermediate: expertIntermediate,
      sharedExpertGate: false,
      routerBias: topkMethod === 'noaux_tc',
    },
    moeLayers,
    ...(mtp > 0 ? { mtpLayers: mtp } : {}),
  };
}
