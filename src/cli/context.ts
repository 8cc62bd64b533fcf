import type { ChalkInstance } from 'chalk';
import { MoeplanError } from '../core/errors.js';
import { showValue } from '../io/format.js';
import type { RecordValue } from '../io/records.js';
import { type QuantitySpec, isDecimalText, isPlainQuantity, loadExpressionEngine, parseQuantity } from '../io/quantity.js';
import type { ColourLevel } from './colour.js';
import type { CliIo } from './io.js';

/** JSON documents carry this; bump it only for a breaking change of field names or meaning. */
export const SCHEMA_VERSION = 1;

/** What every command handler gets. */
export interface Context {
  readonly io: CliIo;
  /** Colour for stdout. */
  readonly chalk: ChalkInstance;
  /** Colour for stderr. */
  readonly errChalk: ChalkInstance;
  readonly colourLevel: ColourLevel;
  /** `--json` was given. */
  readonly json: boolean;
  /** Write text to stdout. */
  out(text: string): void;
  /** Print a warning on stderr (`warning: …`). */
  warn(message: string): void;
  /** Print one JSON document on stdout, with `schemaVersion` first. */
  emitJson(command: string, document: Record<string, unknown>): void;
}

/** Raw inputs of one evaluation: option values (strings) or batch-row values. */
export type RawInputs = Readonly<Record<string, RecordValue | undefined>>;

/** Names a field in messages: `--params` for a flag, `line 3: params` for a batch row. */
export type FieldName = (key: string) => string;

/** `maxLr` → `--max-lr`. */
export const flagName: FieldName = (key) => `--${kebab(key)}`;

export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Parse one raw value as a quantity; `undefined` when absent. Rejects JSON values that are
 * not numbers or strings.
 */
export function quantity(raw: RawInputs, key: string, name: FieldName, spec: Omit<QuantitySpec, 'name'> = {}): number | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' || (typeof value === 'string' && isDecimalText(value))) {
    // Hot path for batch rows: a plain number (or one read on the fast lane) inside the
    // default range (positive, finite, no other limits) needs neither the regular
    // expression nor the field name.
    const number = typeof value === 'number' ? value : Number(value);
    if (number > 0 && number < Number.POSITIVE_INFINITY && spec.min === undefined && spec.max === undefined && !spec.integer) {
      return number;
    }
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new MoeplanError('INVALID_QUANTITY', `${name(key)}: expected a number, got ${showValue(value)}`, { field: name(key) });
  }
  return parseQuantity(value, { ...spec, name: name(key) });
}

/** Like {@link quantity} but required. */
export function requiredQuantity(raw: RawInputs, key: string, name: FieldName, spec: Omit<QuantitySpec, 'name'> = {}, hint?: string): number {
  const value = quantity(raw, key, name, spec);
  if (value === undefined) {
    throw new MoeplanError('MISSING_INPUT', `${name(key)} is required`, { field: name(key), ...(hint ? { hint } : {}) });
  }
  return value;
}

/** A string input (a name, a choice); `undefined` when absent. */
export function text(raw: RawInputs, key: string, name: FieldName): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new MoeplanError('INVALID_INPUT', `${name(key)}: expected text, got ${showValue(value)}`, { field: name(key) });
  }
  return value;
}

/** One of a fixed set of choices, or a `MoeplanError` listing them. */
export function choice<T extends string>(raw: RawInputs, key: string, name: FieldName, choices: readonly T[]): T | undefined {
  const value = text(raw, key, name);
  if (value === undefined) return undefined;
  const found = choices.find((c) => c === value.trim().toLowerCase());
  if (!found) {
    throw new MoeplanError('INVALID_INPUT', `${name(key)}: ${showValue(value)} is not one of ${choices.join(', ')}`, { field: name(key) });
  }
  return found;
}

/**
 * Prepare flag values for a synchronous evaluation: an empty value (`--params ""`) is an
 * error naming the flag, and the expression engine is loaded if any value (other than the
 * `textKeys`) is not a plain number, so that mathjs is imported only when needed.
 */
export async function prepareFlags(raw: RawInputs, textKeys: readonly string[] = []): Promise<void> {
  let needsEngine = false;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    if (value.trim() === '') {
      throw new MoeplanError('INVALID_QUANTITY', `${flagName(key)}: empty value`, { field: flagName(key), hint: 'give a value or leave the flag out' });
    }
    if (!textKeys.includes(key) && !isPlainQuantity(value)) needsEngine = true;
  }
  if (needsEngine) await loadExpressionEngine();
}
