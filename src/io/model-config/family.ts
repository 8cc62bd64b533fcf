/**
 * One config family: the `model_type`s and `architectures` entries that name it, a title for
 * people, the keys it knows not to change the counts, and the reader that turns a config into
 * a {@link ModelArchitecture}. Every family lives in `families/<family>.ts`, checked with
 * `satisfies ConfigFamilyDefinition`, and is listed once in `families/index.ts`.
 */
import type { ModelArchitecture } from '../../core/architecture.js';
import type { ConfigReader } from './reader.js';

export interface ConfigFamilyDefinition {
  /** The family's name in output (`family` in JSON): its first model_type. */
  readonly name: string;
  /** `model_type` values read by this family. */
  readonly modelTypes: readonly string[];
  /** `architectures[0]` values that name this family when `model_type` is absent. */
  readonly architectures: readonly string[];
  /** For people: the model and what sets it apart. */
  readonly title: string;
  /** Keys that do not change the counts (token ids, RoPE, routing losses…), besides the common ones. */
  readonly ignoredKeys: readonly string[];
  /** The key that holds top-k, for messages about it. */
  readonly topKKey?: string;
  /** Read the shape; every key read is a shape key. */
  readonly read: (r: ConfigReader) => ModelArchitecture;
}
