/**
 * DBRX (Databricks): its own key names (`d_model`, `n_heads`, `n_layers`) and nested
 * `attn_config` and `ffn_config`; a fused Wqkv without bias, LayerNorms without bias, 16 GLU
 * experts top-4 (`modeling_dbrx.py`).
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import type { ConfigReader } from '../reader.js';

function read(r: ConfigReader): ModelArchitecture {
  const hiddenSize = r.int('d_model', 'model width');
  const layers = r.int('n_layers', 'layers');
  const vocabSize = r.int('vocab_size', 'vocabulary size');
  const tiedEmbeddings = r.bool('tie_word_embeddings', 'shared embedding and output matrix', false);
  const heads = r.int('n_heads', 'query heads');
  const attn = r.sub('attn_config', ['clip_qkv', 'rope_theta', 'attn_pdrop', 'model_type']);
  const ffn = r.sub('ffn_config', ['moe_jitter_eps', 'moe_loss_weight', 'moe_normalize_expert_weights', 'model_type', 'ffn_act_fn']);
  if (!attn) r.fail('attn_config', 'missing key "attn_config" (the K/V heads)');
  if (!ffn) r.fail('ffn_config', 'missing key "ffn_config" (the experts)');
  const kvHeads = attn.int('kv_n_heads', 'K/V heads');
  if (hiddenSize % heads !== 0) r.fail('n_heads', `d_model ${hiddenSize} is not a multiple of n_heads ${heads}`);
  const intermediate = ffn.int('ffn_hidden_size', 'intermediate size of each expert');
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention: { kind: 'grouped', heads, kvHeads, headDim: hiddenSize / heads, claShareFactor: 1, qkNorm: false, qkvBias: false, outputBias: false },
    denseIntermediate: intermediate,
    moe: {
      routedExperts: ffn.int('moe_num_experts', 'experts per layer'),
      expertIntermediate: intermediate,
      topK: ffn.int('moe_top_k', 'experts per token'),
      sharedExperts: 0,
      sharedIntermediate: 0,
      sharedExpertGate: false,
      routerBias: false,
    },
    moeLayers: layers,
  };
}

export default {
  name: 'dbrx',
  modelTypes: ['dbrx'],
  architectures: ['DbrxForCausalLM'],
  title: 'DBRX (MoE, nested attn_config/ffn_config)',
  topKKey: 'ffn_config.moe_top_k',
  ignoredKeys: ['emb_pdrop', 'resid_pdrop', 'max_seq_len'],
  read,
} satisfies ConfigFamilyDefinition;
