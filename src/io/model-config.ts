/**
 * Hugging Face `config.json` files → {@link ModelArchitecture}.
 *
 * The families read are the registry in `model-config/families/` (one file each); the family
 * comes from `model_type`, or else from `architectures`. A multimodal config (`text_config`
 * beside `vision_config`) is counted for its language model, with a note.
 *
 * Every key of the file is either read (it sets the shape), known not to change the counts
 * (token ids, RoPE, dropout, routing losses…), or unknown: unknown keys are listed in
 * `unknownKeys` (a note, so that the user can judge) and are errors under `strict`. A missing
 * size, a value of the wrong type, a negative size, or a feature the counts do not model
 * (per-layer lists whose values differ, MLP biases, classification heads…) is an input error
 * naming the key. Absent keys take the transformers default only where that default does not
 * set a size (K/V heads equal to query heads in Llama-style configs, head dim = hidden / heads,
 * untied embeddings, optional features off); each default used is listed in `defaultsUsed`.
 */
import { type ModelArchitecture, architectureProblem, type ParameterCounts, parameterCounts } from '../core/architecture.js';
import { MoeplanError } from '../core/errors.js';
import { showValue } from './format.js';
import type { ConfigFamilyDefinition } from './model-config/family.js';
import { FAMILIES } from './model-config/families/index.js';
import { ConfigReader } from './model-config/reader.js';
import { renderMessage } from '../messages/index.js';

export type { ConfigFamilyDefinition } from './model-config/family.js';

/** A family's name (`hunyuan`, `mixtral`, `olmoe`…): see {@link CONFIG_FAMILIES}. */
export type ConfigFamily = string;

/** The families by name, with the architecture class each config names and a title. */
export const CONFIG_FAMILIES: Readonly<
  Record<string, { readonly architecture: string; readonly title: string; readonly modelTypes: readonly string[]; readonly architectures: readonly string[] }>
> = Object.fromEntries(
  FAMILIES.map((f) => [f.name, { architecture: f.architectures[0] ?? '', title: f.title, modelTypes: f.modelTypes, architectures: f.architectures }]),
);

export interface ModelConfig {
  /** Where it came from (a path, or a label for in-memory configs). */
  readonly source: string;
  readonly family: ConfigFamily;
  readonly architecture: ModelArchitecture;
  /** Absent keys whose transformers default was used, as `key = value`. */
  readonly defaultsUsed: readonly string[];
  /** Things read but deliberately not counted, said plainly. */
  readonly notes: readonly string[];
  /** Keys the family does not know, left out of the counts (an error under `strict`). */
  readonly unknownKeys: readonly string[];
  /** The longest sequence the model was configured for (`max_position_embeddings`), if stated. */
  readonly maxPositionEmbeddings?: number;
}

/** `max_position_embeddings` (or DBRX's `max_seq_len`), at the top or in `text_config`. */
function maxPositions(config: Readonly<Record<string, unknown>>): number | undefined {
  const text = config.text_config;
  const candidates = [
    config.max_position_embeddings,
    config.max_seq_len,
    ...(typeof text === 'object' && text !== null ? [(text as Record<string, unknown>).max_position_embeddings] : []),
  ];
  const found = candidates.find((v) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0);
  return found as number | undefined;
}

export interface ParseOptions {
  /** Unknown keys are errors instead of notes. */
  readonly strict?: boolean;
}

/** Which family a config object belongs to, from `model_type` or `architectures`. */
function familyOf(config: Readonly<Record<string, unknown>>, source: string): ConfigFamilyDefinition {
  const modelType = config.model_type;
  const known = FAMILIES.flatMap((f) => f.modelTypes).join(', ');
  if (modelType !== undefined && modelType !== null) {
    if (typeof modelType !== 'string') {
      throw new MoeplanError('INVALID_CONFIG', `${source}: "model_type" must be text, got ${showValue(modelType)}`, { field: 'model_type' });
    }
    const found = FAMILIES.find((f) => f.modelTypes.includes(modelType));
    if (found) return found;
    throw new MoeplanError('INVALID_CONFIG', `${source}: model_type "${modelType}" is not a family moeplan reads`, {
      field: 'model_type',
      hint: `known: ${known}; or give the sizes as flags (moeplan arch --help)`,
    });
  }
  const architectures = config.architectures;
  if (Array.isArray(architectures) && typeof architectures[0] === 'string') {
    const found = FAMILIES.find((f) => f.architectures.includes(architectures[0] as string));
    if (found) return found;
  }
  throw new MoeplanError('INVALID_CONFIG', `${source}: missing key "model_type" (and no known "architectures" entry)`, {
    field: 'model_type',
    hint: `add "model_type": one of ${known}`,
  });
}

/**
 * Read a parsed config object. `source` names it in messages (a path, or `config`).
 *
 * @example parseModelConfig(JSON.parse(text), 'config.json').architecture.layers // 64
 */
export function parseModelConfig(config: unknown, source = 'config', options: ParseOptions = {}): ModelConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new MoeplanError('INVALID_CONFIG', `${source}: a config must be a JSON object, got ${Array.isArray(config) ? 'an array' : showValue(config)}`);
  }
  const object = config as Record<string, unknown>;
  const family = familyOf(object, source);
  const r = new ConfigReader({ ...object }, source, family.name, new Set(family.ignoredKeys));
  const architecture = family.read(r);
  const unknownKeys = r.unknownKeys();
  if (options.strict && unknownKeys.length > 0) throw unknownKeyError(source, family.name, unknownKeys);
  const problem = architectureProblem(architecture);
  if (problem) {
    const key = problem.field === 'topK' ? (family.topKKey ?? 'num_experts_per_tok') : (CONFIG_KEY_OF[problem.field] ?? problem.field);
    throw new MoeplanError('INVALID_CONFIG', `${source}: "${key}": ${renderMessage(problem.problem)}`, { field: key });
  }
  const positions = maxPositions(object);
  return {
    source,
    family: family.name,
    architecture,
    defaultsUsed: r.defaultsUsed,
    notes: r.notes,
    unknownKeys,
    ...(positions !== undefined ? { maxPositionEmbeddings: positions } : {}),
  };
}

/** The error for keys a family does not know, under `strict`: it names the first. */
export function unknownKeyError(source: string, family: string, unknownKeys: readonly string[]): MoeplanError {
  const key = unknownKeys[0] as string;
  const more = unknownKeys.length > 1 ? ` (and ${unknownKeys.length - 1} more)` : '';
  return new MoeplanError('INVALID_CONFIG', `${source}: unknown key ${showValue(key)}${more} for a ${family} config`, {
    field: key,
    hint: 'without --strict an unknown key is a note and the counts leave it out; remove the key if it does not change the weights',
  });
}

/** Largest config.json read, in bytes (real ones are a few KiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const CONFIG_KEY_OF: Readonly<Record<string, string>> = { kvHeads: 'num_key_value_heads', moeLayers: 'num_hidden_layers' };

/**
 * Read a Hugging Face `config.json` (path relative to `cwd`).
 * Errors (missing file, bad JSON, missing or unknown keys) are `MoeplanError`s naming the
 * file and the key.
 */
export async function readModelConfig(path: string, cwd: string, field = '--config', options: ParseOptions = {}): Promise<ModelConfig> {
  const { readJsonFile } = await import('./json-file.js');
  const parsed = await readJsonFile(path, {
    field,
    what: '',
    cwd,
    maxBytes: MAX_CONFIG_BYTES,
    codes: { unreadable: 'FILE_NOT_READABLE', invalid: 'INVALID_CONFIG' },
    hint: 'give the path of a Hugging Face config.json',
  });
  return parseModelConfig(parsed, path, options);
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
