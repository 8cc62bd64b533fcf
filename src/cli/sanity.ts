/**
 * Notes for flag values that are almost surely a unit slip: `--params 52` (52 parameters,
 * where 52B was meant) or `--batch 1024` (1024 tokens, where 1024 sequences were meant).
 * They are warnings on stderr after the answer is computed, never errors: the value is
 * used as given.
 */
import { si } from '../io/format.js';
import { parseQuantity } from '../io/quantity.js';
import type { Context, RawInputs } from './context.js';
import { flagName } from './context.js';

/** Below these, a value is far under any real training run. */
const SLIPS: Readonly<Record<string, { readonly below: number; readonly note: (shown: string, value: number) => string }>> = {
  params: {
    below: 1e5,
    note: (shown) => `is ${shown} parameters${plain(shown) ? `; for ${shown} billion write ${shown}B` : ', far fewer than any real model'}`,
  },
  tokens: {
    below: 1e6,
    note: (shown) => `is ${shown} tokens${plain(shown) ? `; for ${shown} billion or trillion write ${shown}B or ${shown}T` : ', far fewer than any real run'}`,
  },
  batch: {
    below: 1e4,
    note: (shown, value) =>
      `is ${shown} tokens per step: a batch is counted in tokens, not sequences (${shown} sequences of 4096 tokens is --batch ${si(value * 4096)})`,
  },
  bcrit: { below: 1e4, note: (shown) => `is ${shown} tokens: the critical batch is counted in tokens, not sequences` },
  noise: { below: 1e4, note: (shown) => `is ${shown} tokens: the noise scale is counted in tokens, not sequences` },
};

/** A number written in digits only (`52`, `1.5`), to which a suffix can be added. */
function plain(text: string): boolean {
  return /^\d+(?:\.\d+)?$/.test(text);
}

/** The notes for the flags among `keys` whose values look like a unit slip. */
export function unitSlips(raw: RawInputs, keys: readonly string[]): string[] {
  const notes: string[] = [];
  for (const key of keys) {
    const slip = SLIPS[key];
    const text = raw[key];
    if (!slip || typeof text !== 'string') continue;
    let value: number;
    try {
      value = parseQuantity(text, { name: flagName(key) });
    } catch {
      continue; // the evaluation reports it
    }
    if (value < slip.below) notes.push(`${flagName(key)} ${text.trim()} ${slip.note(text.trim(), value)}`);
  }
  return notes;
}

/** Warn (stderr) about each unit slip among `keys`. */
export function warnUnitSlips(ctx: Context, raw: RawInputs, keys: readonly string[]): void {
  for (const note of unitSlips(raw, keys)) ctx.warn(note);
}
