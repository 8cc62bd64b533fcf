/**
 * Hugging Face `config.json` files → {@link ModelArchitecture}.
 *
 * Families read: Hunyuan-Large (`hunyuan`), Mixtral (`mixtral`), Qwen-MoE (`qwen2_moe`,
 * `qwen3_moe`), DeepSeek-V2/V3 (`deepseek_v2`, `deepseek_v3`), and dense Llama-style models
 * (`llama`, `mistral`, `qwen2`, `qwen3`). The family comes from `model_type`, or else from
 * `architectures`.
 *
 * Strict: every key of the file is either read (it changes the counts), or known not to
 * change them (token ids, RoPE, dropout, routing losses…). A missing size, an unknown key,
 * a value of the wrong type, a negative size, or a feature the counts do not model (per-layer
 * lists, MLP biases, classification heads…) is an input error naming the key. Absent keys
 * take the transformers default only where that default does not set a size (K/V heads
 * equal to query heads in Llama-style configs, head dim = hidden / heads, untied embeddings,
 * optional features off); each default used is listed in `defaultsUsed`.
 */
import {
  type AttentionShape,
  type ModelArchitecture,
  type MoeShape,
  architectureProblem,
  type ParameterCounts,
  parameterCounts,
} from '../core/architecture.js';
import { MoeplanError } from '../core/errors.js';
import { showValue } from './format.js';

export type ConfigFamily = 'hunyuan' | 'mixtral' | 'qwen2_moe' | 'qwen3_moe' | 'deepseek_v2' | 'deepseek_v3' | 'llama' | 'mistral' | 'qwen2' | 'qwen3';

export const CONFIG_FAMILIES: Readonly<Record<ConfigFamily, { readonly architecture: string; readonly title: string }>> = {
  hunyuan: { architecture: 'HunYuanForCausalLM', title: 'Hunyuan (MoE, shared expert, CLA)' },
  mixtral: { architecture: 'MixtralForCausalLM', title: 'Mixtral (MoE)' },
  qwen2_moe: { architecture: 'Qwen2MoeForCausalLM', title: 'Qwen1.5/Qwen2-MoE (MoE, gated shared expert)' },
  qwen3_moe: { architecture: 'Qwen3MoeForCausalLM', title: 'Qwen3-MoE (MoE, QK-norm)' },
  deepseek_v2: { architecture: 'DeepseekV2ForCausalLM', title: 'DeepSeek-V2 (MoE, MLA)' },
  deepseek_v3: { architecture: 'DeepseekV3ForCausalLM', title: 'DeepSeek-V3 (MoE, MLA)' },
  llama: { architecture: 'LlamaForCausalLM', title: 'Llama (dense)' },
  mistral: { architecture: 'MistralForCausalLM', title: 'Mistral (dense)' },
  qwen2: { architecture: 'Qwen2ForCausalLM', title: 'Qwen2 (dense)' },
  qwen3: { architecture: 'Qwen3ForCausalLM', title: 'Qwen3 (dense, QK-norm)' },
};

export interface ModelConfig {
  /** Where it came from (a path, or a label for in-memory configs). */
  readonly source: string;
  readonly family: ConfigFamily;
  readonly architecture: ModelArchitecture;
  /** Absent keys whose transformers default was used, as `key = value`. */
  readonly defaultsUsed: readonly string[];
  /** Things read but deliberately not counted, said plainly. */
  readonly notes: readonly string[];
}

/** Keys any transformers config may carry that do not change parameter counts. */
const COMMON_IGNORED = [
  '_name_or_path',
  'architectures',
  'auto_map',
  'model_type',
  'torch_dtype',
  'dtype',
  'transformers_version',
  'bos_token_id',
  'eos_token_id',
  'pad_token_id',
  'use_cache',
  'initializer_range',
  'rms_norm_eps',
  'rope_theta',
  'rope_scaling',
  'rope_parameters',
  'max_position_embeddings',
  'attention_dropout',
  'hidden_dropout',
  'hidden_act',
  'pretraining_tp',
  'quantization_config',
  'output_router_logits',
  'router_aux_loss_coef',
  'sliding_window',
  'use_sliding_window',
  'max_window_layers',
  'layer_types',
  'tokenizer_class',
  // PretrainedConfig attributes that a full save_pretrained dump may carry.
  'output_attentions',
  'output_hidden_states',
  'return_dict',
  'torchscript',
  'use_bfloat16',
  'tf_legacy_loss',
  'pruned_heads',
  'chunk_size_feed_forward',
  'is_encoder_decoder',
  'is_decoder',
  'add_cross_attention',
  'cross_attention_hidden_size',
  'tie_encoder_decoder',
  'id2label',
  'label2id',
  'problem_type',
  'finetuning_task',
  'task_specific_params',
  'prefix',
  'sep_token_id',
  'decoder_start_token_id',
  'max_length',
  'min_length',
  'do_sample',
  'early_stopping',
  'num_beams',
  'num_beam_groups',
  'diversity_penalty',
  'temperature',
  'top_k',
  'top_p',
  'typical_p',
  'repetition_penalty',
  'length_penalty',
  'no_repeat_ngram_size',
  'encoder_no_repeat_ngram_size',
  'bad_words_ids',
  'num_return_sequences',
  'output_scores',
  'return_dict_in_generate',
  'forced_bos_token_id',
  'forced_eos_token_id',
  'remove_invalid_values',
  'exponential_decay_length_penalty',
  'suppress_tokens',
  'begin_suppress_tokens',
];

const FAMILY_IGNORED: Readonly<Record<ConfigFamily, readonly string[]>> = {
  hunyuan: [
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
  mixtral: ['router_jitter_noise'],
  qwen2_moe: ['norm_topk_prob'],
  qwen3_moe: ['norm_topk_prob'],
  deepseek_v2: ['num_key_value_heads', 'n_group', 'topk_group', 'topk_method', 'routed_scaling_factor', 'scoring_func', 'norm_topk_prob', 'aux_loss_alpha', 'seq_aux', 'ep_size'],
  deepseek_v3: ['num_key_value_heads', 'n_group', 'topk_group', 'routed_scaling_factor', 'scoring_func', 'norm_topk_prob', 'aux_loss_alpha', 'seq_aux', 'ep_size'],
  llama: ['head_dim_scale'],
  mistral: [],
  qwen2: [],
  qwen3: [],
};

/** Reads keys of one config object, remembering which were read and which defaults were used. */
class ConfigReader {
  private readonly read = new Set<string>();
  readonly defaultsUsed: string[] = [];
  readonly notes: string[] = [];

  constructor(
    private readonly config: Readonly<Record<string, unknown>>,
    readonly source: string,
    readonly family: ConfigFamily,
  ) {}

  private fail(key: string, message: string, hint?: string): never {
    throw new MoeplanError('INVALID_CONFIG', `${this.source}: ${message}`, { field: key, ...(hint ? { hint } : {}) });
  }

  /** The raw value, `undefined` when absent or null. */
  private value(key: string): unknown {
    this.read.add(key);
    const v = this.config[key];
    return v === null ? undefined : v;
  }

  /** Mark a key as read without using it (it does not apply to this shape). */
  skip(key: string): void {
    this.read.add(key);
  }

  has(key: string): boolean {
    return this.config[key] !== undefined && this.config[key] !== null;
  }

  /** A whole number ≥ `min` (default 1); required unless a default is given. */
  int(key: string, what: string, options: { min?: number; default?: number; defaultText?: string } = {}): number {
    const v = this.value(key);
    const min = options.min ?? 1;
    if (v === undefined) {
      if (options.default === undefined) {
        this.fail(key, `missing key "${key}" (${what})`, `add "${key}" to the ${this.family} config: moeplan does not guess sizes`);
      }
      this.defaultsUsed.push(`${key} = ${options.defaultText ?? options.default}`);
      return options.default;
    }
    if (Array.isArray(v)) {
      this.fail(key, `"${key}" is a per-layer list (${showValue(v, 40)}); only one value for all layers is supported`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, `"${key}" (${what}) must be a number, got ${showValue(v)}`);
    if (!Number.isInteger(v)) this.fail(key, `"${key}" (${what}) must be a whole number, got ${v}`);
    if (v < min) this.fail(key, `"${key}" (${what}) must be ${min === 0 ? '0 or more' : `at least ${min}`}, got ${v}`);
    if (!Number.isSafeInteger(v)) this.fail(key, `"${key}" (${what}) is too large: ${v}`);
    return v;
  }

  /** A boolean; absent → `fallback` (recorded as a default). */
  bool(key: string, what: string, fallback: boolean): boolean {
    const v = this.value(key);
    if (v === undefined) {
      this.defaultsUsed.push(`${key} = ${fallback}`);
      return fallback;
    }
    if (typeof v !== 'boolean') this.fail(key, `"${key}" (${what}) must be true or false, got ${showValue(v)}`);
    return v;
  }

  /** A feature the counts do not model: absent or `expected` only. */
  unsupported(key: string, expected: unknown, why: string): void {
    const v = this.value(key);
    if (v !== undefined && v !== expected) {
      this.fail(key, `"${key}": ${showValue(v)} is not supported (${why})`, `moeplan counts models with ${key} = ${showValue(expected)}`);
    }
  }

  /** A list of whole numbers (layer indices); absent → []. */
  intList(key: string, what: string): number[] {
    const v = this.value(key);
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 0)) {
      this.fail(key, `"${key}" (${what}) must be a list of layer indices, got ${showValue(v)}`);
    }
    return v as number[];
  }

  /** A text value, if present. */
  text(key: string): string | undefined {
    const v = this.value(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(key, `"${key}" must be text, got ${showValue(v)}`);
    return v;
  }

  /** Head dimension: the first of `keys` present, else hidden / heads (which must divide). */
  headDim(keys: readonly string[], hidden: number, heads: number): number {
    for (const key of keys) {
      if (this.has(key)) {
        const dim = this.int(key, 'the dimension of one attention head');
        for (const other of keys) this.read.add(other);
        return dim;
      }
      this.read.add(key);
    }
    const label = keys[0] ?? 'head_dim';
    if (hidden % heads !== 0) {
      this.fail(label, `${keys[0] ? `missing key "${label}": ` : ''}hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}`);
    }
    // Families without a head-dimension key define it as hidden / heads: not a default.
    if (keys.length > 0) this.defaultsUsed.push(`${label} = hidden_size / num_attention_heads = ${hidden / heads}`);
    return hidden / heads;
  }

  /** Every key of the file must have been read or be known not to change the counts. */
  finish(): void {
    const ignored = new Set([...COMMON_IGNORED, ...FAMILY_IGNORED[this.family]]);
    for (const key of Object.keys(this.config)) {
      if (!this.read.has(key) && !ignored.has(key)) {
        this.fail(
          key,
          `unknown key ${showValue(key)} for a ${this.family} config`,
          'moeplan reads every key it knows and refuses the rest, so that a size it does not model is never silently left out; remove the key if it does not change the weights',
        );
      }
    }
  }
}

/** Which family a config object belongs to, from `model_type` or `architectures`. */
function familyOf(config: Readonly<Record<string, unknown>>, source: string): ConfigFamily {
  const modelType = config.model_type;
  const known = Object.keys(CONFIG_FAMILIES).join(', ');
  if (modelType !== undefined && modelType !== null) {
    if (typeof modelType !== 'string') {
      throw new MoeplanError('INVALID_CONFIG', `${source}: "model_type" must be text, got ${showValue(modelType)}`, { field: 'model_type' });
    }
    if (Object.hasOwn(CONFIG_FAMILIES, modelType)) return modelType as ConfigFamily;
    throw new MoeplanError('INVALID_CONFIG', `${source}: model_type "${modelType}" is not a family moeplan reads`, {
      field: 'model_type',
      hint: `known: ${known}; or give the sizes as flags (moeplan arch --help)`,
    });
  }
  const architectures = config.architectures;
  if (Array.isArray(architectures) && typeof architectures[0] === 'string') {
    const found = Object.entries(CONFIG_FAMILIES).find(([, f]) => f.architecture === architectures[0]);
    if (found) return found[0] as ConfigFamily;
  }
  throw new MoeplanError('INVALID_CONFIG', `${source}: missing key "model_type" (and no known "architectures" entry)`, {
    field: 'model_type',
    hint: `add "model_type": one of ${known}`,
  });
}

/** Attention shared by the grouped-attention families. */
function groupedAttention(
  r: ConfigReader,
  hidden: number,
  options: { kvHeadsDefault: boolean; headDimKeys: readonly string[]; qkNorm: boolean; qkvBias: boolean; outputBias: boolean; claShareFactor?: number },
): { attention: AttentionShape; heads: number } {
  const heads = r.int('num_attention_heads', 'query heads');
  const kvHeads = options.kvHeadsDefault
    ? r.int('num_key_value_heads', 'K/V heads', { default: heads, defaultText: `num_attention_heads = ${heads}` })
    : r.int('num_key_value_heads', 'K/V heads');
  const headDim = r.headDim(options.headDimKeys, hidden, heads);
  return {
    heads,
    attention: {
      kind: 'grouped',
      heads,
      kvHeads,
      headDim,
      claShareFactor: options.claShareFactor ?? 1,
      qkNorm: options.qkNorm,
      qkvBias: options.qkvBias,
      outputBias: options.outputBias,
    },
  };
}

function readHunyuan(r: ConfigReader): ModelArchitecture {
  const hiddenSize = r.int('hidden_size', 'model width');
  const layers = r.int('num_hidden_layers', 'layers');
  const vocabSize = r.int('vocab_size', 'vocabulary size');
  const tiedEmbeddings = r.bool('tie_word_embeddings', 'shared embedding and output matrix', false);
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
  const { attention } = groupedAttention(r, hiddenSize, {
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
    for (const key of moeKeys) r.skip(key);
  }
  return { hiddenSize, layers, vocabSize, tiedEmbeddings, attention, denseIntermediate: intermediate, moe, moeLayers: moe ? layers : 0 };
}

function readMixtral(r: ConfigReader): ModelArchitecture {
  const hiddenSize = r.int('hidden_size', 'model width');
  const layers = r.int('num_hidden_layers', 'layers');
  const vocabSize = r.int('vocab_size', 'vocabulary size');
  const tiedEmbeddings = r.bool('tie_word_embeddings', 'shared embedding and output matrix', false);
  const intermediate = r.int('intermediate_size', 'intermediate size of each expert');
  const { attention } = groupedAttention(r, hiddenSize, { kvHeadsDefault: false, headDimKeys: ['head_dim'], qkNorm: false, qkvBias: false, outputBias: false });
  const moe: MoeShape = {
    routedExperts: r.int('num_local_experts', 'experts per layer'),
    expertIntermediate: intermediate,
    topK: r.int('num_experts_per_tok', 'experts per token'),
    sharedExperts: 0,
    sharedIntermediate: 0,
    sharedExpertGate: false,
    routerBias: false,
  };
  return { hiddenSize, layers, vocabSize, tiedEmbeddings, attention, denseIntermediate: intermediate, moe, moeLayers: layers };
}

function readQwenMoe(r: ConfigReader, qwen3: boolean): ModelArchitecture {
  const hiddenSize = r.int('hidden_size', 'model width');
  const layers = r.int('num_hidden_layers', 'layers');
  const vocabSize = r.int('vocab_size', 'vocabulary size');
  const tiedEmbeddings = r.bool('tie_word_embeddings', 'shared embedding and output matrix', false);
  // Qwen2 attention has biases on q, k and v (no config key); Qwen3 has QK-norm and
  // `attention_bias` (default false) on all four projections.
  const bias = qwen3 ? r.bool('attention_bias', 'biases on the attention projections', false) : true;
  const { attention } = groupedAttention(r, hiddenSize, {
    kvHeadsDefault: false,
    headDimKeys: qwen3 ? ['head_dim'] : [],
    qkNorm: qwen3,
    qkvBias: bias,
    outputBias: qwen3 && bias,
  });
  const experts = r.int('num_experts', 'routed experts per MoE layer');
  const topK = r.int('num_experts_per_tok', 'routed experts per token');
  const expertIntermediate = r.int('moe_intermediate_size', 'intermediate size of a routed expert');
  const sharedIntermediate = qwen3 ? 0 : r.int('shared_expert_intermediate_size', 'intermediate size of the shared expert (0: none)', { min: 0 });
  const sparseStep = r.int('decoder_sparse_step', 'every how many layers an MoE block', { default: 1 });
  const mlpOnly = new Set(r.intList('mlp_only_layers', 'layers with a dense MLP'));
  let moeLayers = 0;
  for (let i = 0; i < layers; i++) if (!mlpOnly.has(i) && (i + 1) % sparseStep === 0) moeLayers++;
  const denseIntermediate =
    moeLayers < layers || r.has('intermediate_size') ? r.int('intermediate_size', 'intermediate size of the dense MLP layers') : 0;
  const moe: MoeShape = {
    routedExperts: experts,
    expertIntermediate,
    topK,
    sharedExperts: sharedIntermediate > 0 ? 1 : 0,
    sharedIntermediate,
    sharedExpertGate: !qwen3,
    routerBias: false,
  };
  return { hiddenSize, layers, vocabSize, tiedEmbeddings, attention, denseIntermediate, moe, moeLayers };
}

function readDeepseek(r: ConfigReader, v3: boolean): ModelArchitecture {
  const hiddenSize = r.int('hidden_size', 'model width');
  const layers = r.int('num_hidden_layers', 'layers');
  const vocabSize = r.int('vocab_size', 'vocabulary size');
  const tiedEmbeddings = r.bool('tie_word_embeddings', 'shared embedding and output matrix', false);
  r.unsupported('attention_bias', false, 'biases on the latent attention projections are not counted');
  const heads = r.int('num_attention_heads', 'query heads');
  const attention: AttentionShape = {
    kind: 'latent',
    heads,
    qLoraRank: r.int('q_lora_rank', 'rank of the query latent (null: none)', { min: 0, default: 0, defaultText: 'null (no query latent)' }),
    kvLoraRank: r.int('kv_lora_rank', 'rank of the K/V latent'),
    qkNopeHeadDim: r.int('qk_nope_head_dim', 'query/key head dimension without RoPE'),
    qkRopeHeadDim: r.int('qk_rope_head_dim', 'decoupled RoPE head dimension', { min: 0 }),
    vHeadDim: r.int('v_head_dim', 'value head dimension'),
  };
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
  const topkMethod = v3 ? r.text('topk_method') : undefined;
  const mtp = v3 ? r.int('num_nextn_predict_layers', 'multi-token prediction modules', { min: 0, default: 0 }) : 0;
  if (mtp > 0) r.notes.push(`${mtp} multi-token-prediction module(s) not counted (num_nextn_predict_layers; DeepSeek's 671B excludes them)`);
  const moe: MoeShape = {
    routedExperts: experts,
    expertIntermediate,
    topK: r.int('num_experts_per_tok', 'routed experts per token'),
    sharedExperts: shared,
    sharedIntermediate: expertIntermediate,
    sharedExpertGate: false,
    routerBias: topkMethod === 'noaux_tc',
  };
  return { hiddenSize, layers, vocabSize, tiedEmbeddings, attention, denseIntermediate, moe, moeLayers };
}

function readDense(r: ConfigReader, family: 'llama' | 'mistral' | 'qwen2' | 'qwen3'): ModelArchitecture {
  const hiddenSize = r.int('hidden_size', 'model width');
  const layers = r.int('num_hidden_layers', 'layers');
  const vocabSize = r.int('vocab_size', 'vocabulary size');
  const tiedEmbeddings = r.bool('tie_word_embeddings', 'shared embedding and output matrix', false);
  const intermediate = r.int('intermediate_size', 'intermediate size of the MLP');
  let qkvBias = false;
  let outputBias = false;
  if (family === 'qwen2') {
    qkvBias = true; // Qwen2 attention always has q, k, v biases.
  } else if (family === 'llama' || family === 'qwen3') {
    qkvBias = outputBias = r.bool('attention_bias', 'biases on the attention projections', false);
  }
  if (family === 'llama') r.unsupported('mlp_bias', false, 'biases on the MLP projections are not counted');
  const { attention } = groupedAttention(r, hiddenSize, {
    kvHeadsDefault: true,
    headDimKeys: ['head_dim'],
    qkNorm: family === 'qwen3',
    qkvBias,
    outputBias,
  });
  return { hiddenSize, layers, vocabSize, tiedEmbeddings, attention, denseIntermediate: intermediate, moe: undefined, moeLayers: 0 };
}

/**
 * Read a parsed config object. `source` names it in messages (a path, or `config`).
 *
 * @example parseModelConfig(JSON.parse(text), 'config.json').architecture.layers // 64
 */
export function parseModelConfig(config: unknown, source = 'config'): ModelConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new MoeplanError('INVALID_CONFIG', `${source}: a config must be a JSON object, got ${Array.isArray(config) ? 'an array' : showValue(config)}`);
  }
  const object = config as Record<string, unknown>;
  const family = familyOf(object, source);
  const r = new ConfigReader(object, source, family);
  let architecture: ModelArchitecture;
  switch (family) {
    case 'hunyuan':
      architecture = readHunyuan(r);
      break;
    case 'mixtral':
      architecture = readMixtral(r);
      break;
    case 'qwen2_moe':
    case 'qwen3_moe':
      architecture = readQwenMoe(r, family === 'qwen3_moe');
      break;
    case 'deepseek_v2':
    case 'deepseek_v3':
      architecture = readDeepseek(r, family === 'deepseek_v3');
      break;
    default:
      architecture = readDense(r, family);
  }
  r.finish();
  const problem = architectureProblem(architecture);
  if (problem) {
    const key = problem.field === 'topK' ? (family === 'hunyuan' ? 'moe_topk' : 'num_experts_per_tok') : (CONFIG_KEY_OF[problem.field] ?? problem.field);
    throw new MoeplanError('INVALID_CONFIG', `${source}: "${key}": ${problem.problem}`, { field: key });
  }
  return { source, family, architecture, defaultsUsed: r.defaultsUsed, notes: r.notes };
}

/** Largest config.json read, in bytes (real ones are a few KiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const CONFIG_KEY_OF: Readonly<Record<string, string>> = { kvHeads: 'num_key_value_heads', moeLayers: 'num_hidden_layers' };

/**
 * Read a Hugging Face `config.json` (path relative to `cwd`).
 * Errors (missing file, bad JSON, missing or unknown keys) are `MoeplanError`s naming the
 * file and the key.
 */
export async function readModelConfig(path: string, cwd: string, field = '--config'): Promise<ModelConfig> {
  const { readJsonFile } = await import('./json-file.js');
  const parsed = await readJsonFile(path, {
    field,
    what: '',
    cwd,
    maxBytes: MAX_CONFIG_BYTES,
    codes: { unreadable: 'FILE_NOT_READABLE', invalid: 'INVALID_CONFIG' },
    hint: 'give the path of a Hugging Face config.json',
  });
  return parseModelConfig(parsed, path);
}

/**
 * The activated parameter count N of a config (output projection counted besides the
 * embedding: the N of Hunyuan-Large eq. 2), for `budget --config`, `optimal --config` and
 * plan files (`model.config`).
 *
 * @example await activatedParamsFromConfig('examples/configs/hunyuan-large.json', process.cwd()) // ≈ 52.14e9
 */
export async function activatedParamsFromConfig(path: string, cwd: string, field = '--config'): Promise<number> {
  return (await parameterCountsFromConfig(path, cwd, field)).activatedParams;
}

/** Every parameter count of a Hugging Face config.json (see {@link parameterCounts}). */
export async function parameterCountsFromConfig(path: string, cwd: string, field = '--config'): Promise<ParameterCounts> {
  const config = await readModelConfig(path, cwd, field);
  return parameterCounts(config.architecture);
}
