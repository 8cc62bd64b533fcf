/**
 * The shared reads of every config family: typed key reads that remember which keys were
 * read and which transformers defaults were used, the basic sizes, grouped attention, per-layer
 * lists that hold one value, nested sub-configs (`text_config`, `attn_config`), and the keys
 * left over at the end (notes, or errors under `strict`).
 */
import type { AttentionShape, ModelArchitecture, MoeShape } from '../../core/architecture.js';
import { MoeplanError } from '../../core/errors.js';
import { showValue } from '../format.js';

/** Keys any transformers config may carry that do not change parameter counts. */
export const COMMON_IGNORED: readonly string[] = [
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
  '_attn_implementation_autoset',
];

/** Reads keys of one config object, remembering which were read and which defaults were used. */
export class ConfigReader {
  private readonly read = new Set<string>();
  private readonly children: ConfigReader[] = [];
  /** Layers of the model, once read: a per-layer list must have one entry per layer. */
  layerCount: number | undefined;
  readonly defaultsUsed: string[];
  readonly notes: string[];

  constructor(
    private readonly config: Record<string, unknown>,
    readonly source: string,
    readonly family: string,
    /** Keys the family knows not to change the counts (besides {@link COMMON_IGNORED}). */
    private readonly ignored: ReadonlySet<string>,
    /** `text_config.` for a nested reader, '' at the top. */
    readonly prefix = '',
    shared?: { defaultsUsed: string[]; notes: string[] },
  ) {
    this.defaultsUsed = shared?.defaultsUsed ?? [];
    this.notes = shared?.notes ?? [];
  }

  fail(key: string, message: string, hint?: string): never {
    const field = `${this.prefix}${key}`;
    throw new MoeplanError('INVALID_CONFIG', `${this.source}: ${message.replaceAll(`"${key}"`, `"${field}"`)}`, { field, ...(hint ? { hint } : {}) });
  }

  /** The raw value, `undefined` when absent or null. */
  value(key: string): unknown {
    this.read.add(key);
    const v = this.config[key];
    return v === null ? undefined : v;
  }

  /** Mark keys as read without using them (they do not apply to this shape). */
  skip(...keys: string[]): void {
    for (const key of keys) this.read.add(key);
  }

  has(key: string): boolean {
    return this.config[key] !== undefined && this.config[key] !== null;
  }

  /**
   * A whole number ≥ `min` (default 1); required unless a default is given. A per-layer list
   * is read when every layer has the same value (Hunyuan-A13B's `moe_topk: [8, 8, …]`), and
   * refused, naming the key, when layers differ.
   */
  int(key: string, what: string, options: { min?: number; default?: number; defaultText?: string } = {}): number {
    let v: unknown = this.value(key);
    const min = options.min ?? 1;
    if (v === undefined) {
      if (options.default === undefined) {
        this.fail(key, `missing key "${key}" (${what})`, `add "${key}" to the ${this.family} config: moeplan does not guess sizes`);
      }
      this.defaultsUsed.push(`${this.prefix}${key} = ${options.defaultText ?? options.default}`);
      return options.default;
    }
    if (Array.isArray(v)) {
      const list: unknown[] = v;
      if (list.length === 0) this.fail(key, `"${key}" (${what}) is an empty list`);
      if (this.layerCount !== undefined && list.length !== this.layerCount) {
        this.fail(key, `"${key}" is a per-layer list (${showValue(list, 40)}) of ${list.length} entries for ${this.layerCount} layers`);
      }
      if (list.some((x) => x !== list[0])) {
        this.fail(key, `"${key}" is a per-layer list with different values (${showValue(list, 40)}); only one value for all layers is supported`);
      }
      v = list[0];
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
      this.defaultsUsed.push(`${this.prefix}${key} = ${fallback}`);
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

  /** A list of whole numbers ≥ 0 (layer indices or flags); absent → []. */
  intList(key: string, what: string): number[] {
    const v = this.value(key);
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 0)) {
      this.fail(key, `"${key}" (${what}) must be a list of whole numbers, got ${showValue(v)}`);
    }
    return v as number[];
  }

  /** A list of texts (`layer_types`); absent → undefined. */
  textList(key: string, what: string): string[] | undefined {
    const v = this.value(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) this.fail(key, `"${key}" (${what}) must be a list of texts, got ${showValue(v)}`);
    return v as string[];
  }

  /** A text value, if present. */
  text(key: string): string | undefined {
    const v = this.value(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(key, `"${key}" must be text, got ${showValue(v)}`);
    return v;
  }

  /** A nested object (`text_config`, `attn_config`) read with its own keys; `undefined` when absent. */
  sub(key: string, ignoredKeys: readonly string[] = []): ConfigReader | undefined {
    const v = this.value(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) this.fail(key, `"${key}" must be an object, got ${showValue(v)}`);
    const child = new ConfigReader(
      { ...(v as Record<string, unknown>) },
      this.source,
      this.family,
      new Set([...this.ignored, ...ignoredKeys]),
      `${this.prefix}${key}.`,
      {
        defaultsUsed: this.defaultsUsed,
        notes: this.notes,
      },
    );
    this.children.push(child);
    return child;
  }

  /** Give a nested reader a key of its parent (a top-level `tie_word_embeddings`), unless it has its own. */
  inherit(key: string, value: unknown): void {
    if (!Object.hasOwn(this.config, key)) this.config[key] = value;
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
    if (keys.length > 0) this.defaultsUsed.push(`${this.prefix}${label} = hidden_size / num_attention_heads = ${hidden / heads}`);
    return hidden / heads;
  }

  /** Keys of this object (and its nested ones) neither read nor known not to change the counts. */
  unknownKeys(): string[] {
    const own = Object.keys(this.config)
      .filter((key) => !this.read.has(key) && !COMMON_IGNORED.includes(key) && !this.ignored.has(key))
      .map((key) => `${this.prefix}${key}`);
    return [...own, ...this.children.flatMap((c) => c.unknownKeys())];
  }
}

/** Width, depth, vocabulary and tying: the four reads every family starts with. */
export function basics(r: ConfigReader, tiedDefault = false): Pick<ModelArchitecture, 'hiddenSize' | 'layers' | 'vocabSize' | 'tiedEmbeddings'> {
  const hiddenSize = r.int('hidden_size', 'model width');
  const layers = r.int('num_hidden_layers', 'layers');
  r.layerCount = layers;
  return {
    hiddenSize,
    layers,
    vocabSize: r.int('vocab_size', 'vocabulary size'),
    tiedEmbeddings: r.bool('tie_word_embeddings', 'shared embedding and output matrix', tiedDefault),
  };
}

export interface GroupedAttentionOptions {
  /** Absent num_key_value_heads means MHA (the transformers default of the family). */
  readonly kvHeadsDefault: boolean;
  readonly headDimKeys: readonly string[];
  readonly qkNorm: boolean;
  readonly qkNormScope?: 'head' | 'projection';
  readonly qkvBias: boolean;
  readonly outputBias: boolean;
  readonly claShareFactor?: number;
  readonly attentionSinks?: boolean;
}

/** Grouped-query attention from `num_attention_heads`, `num_key_value_heads` and a head dimension. */
export function groupedAttention(r: ConfigReader, hidden: number, options: GroupedAttentionOptions): AttentionShape {
  const heads = r.int('num_attention_heads', 'query heads');
  const kvHeads = options.kvHeadsDefault
    ? r.int('num_key_value_heads', 'K/V heads', { default: heads, defaultText: `num_attention_heads = ${heads}` })
    : r.int('num_key_value_heads', 'K/V heads');
  const headDim = r.headDim(options.headDimKeys, hidden, heads);
  return {
    kind: 'grouped',
    heads,
    kvHeads,
    headDim,
    claShareFactor: options.claShareFactor ?? 1,
    qkNorm: options.qkNorm,
    qkvBias: options.qkvBias,
    outputBias: options.outputBias,
    ...(options.qkNorm && options.qkNormScope ? { qkNormScope: options.qkNormScope } : {}),
    ...(options.attentionSinks ? { attentionSinks: true } : {}),
  };
}

/**
 * Windowed layers from `layer_types` (`sliding_attention` / `full_attention`, the transformers
 * convention) and `sliding_window`; `fallback(i)` says whether layer i is windowed when the
 * config has no `layer_types`. No window size, or a window of null: no windowed layers.
 */
export function slidingWindowFromLayerTypes(
  r: ConfigReader,
  layers: number,
  fallback: (layer: number) => boolean,
  windowKey = 'sliding_window',
): { window: number; layers: number } | undefined {
  const types = r.textList('layer_types', 'attention kind of each layer');
  const window = r.has(windowKey) ? r.int(windowKey, 'tokens a windowed layer attends to') : undefined;
  r.skip(windowKey);
  if (types !== undefined && types.length !== layers) r.fail('layer_types', `"layer_types" has ${types.length} entries for ${layers} layers`);
  const windowed = types
    ? types.filter((t) => t === 'sliding_attention' || t === 'chunked_attention').length
    : Array.from({ length: layers }, (_, i) => fallback(i)).filter(Boolean).length;
  if (window === undefined || windowed === 0) return undefined;
  return { window, layers: windowed };
}

/**
 * The MoE block of a layout whose experts are all routed (Mixtral, Phi-3.5-MoE, OLMoE,
 * gpt-oss, Granite MoE): `expertsKey` routed experts of `expertIntermediate`, top-k from
 * `num_experts_per_tok` unless the family read it already, no shared-expert gate, and one
 * shared MLP only when `sharedIntermediate` is above 0 (Granite MoE Shared).
 */
export function routedMoe(
  r: ConfigReader,
  expertsKey: string,
  expertIntermediate: number,
  options: { readonly topK?: number; readonly sharedIntermediate?: number; readonly routerBias?: boolean; readonly expertBias?: boolean } = {},
): MoeShape {
  const sharedIntermediate = options.sharedIntermediate ?? 0;
  return {
    routedExperts: r.int(expertsKey, 'experts per layer'),
    expertIntermediate,
    topK: options.topK ?? r.int('num_experts_per_tok', 'experts per token'),
    sharedExperts: sharedIntermediate > 0 ? 1 : 0,
    sharedIntermediate,
    sharedExpertGate: false,
    routerBias: options.routerBias ?? false,
    ...(options.expertBias ? { expertBias: true } : {}),
  };
}
