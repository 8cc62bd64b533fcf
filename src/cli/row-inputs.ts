/**
 * The inputs of a batch row kernel (BatchSpec.rowKernel): each key's number is a column of
 * the row, or a flag given for every row, read once when the kernel is set up.
 */
import { isPlainQuantity, parseQuantity } from '../io/quantity.js';
import type { RawInputs } from './context.js';

export interface RowInputs {
  /** True when the key is a column or a flag. */
  has(key: number): boolean;
  /** The key's number in this row (its column, or the flag's number). */
  get(values: readonly number[], key: number): number;
}

/**
 * Where each of `keys` (in order; the kernel names them by index) comes from. `undefined`
 * when a key given is not one of `keys`, or a flag is not a plain or suffixed number (an
 * expression, a percentage, text): the kernel then leaves the input to the general path.
 * A flag's number is the one the general path reads; its range is checked with the rows'.
 */
export function rowInputs(keys: readonly string[], inputKeys: readonly string[], given: ReadonlySet<string>, defaults: RawInputs): RowInputs | undefined {
  for (const key of given) if (!keys.includes(key)) return undefined;
  const at: number[] = [];
  const fixed: number[] = [];
  for (const key of keys) {
    const column = inputKeys.indexOf(key);
    let value = Number.NaN;
    if (column === -1 && given.has(key)) {
      const text = defaults[key];
      if (typeof text !== 'string' || !isPlainQuantity(text)) return undefined;
      try {
        value = parseQuantity(text, { name: key, min: Number.NEGATIVE_INFINITY });
      } catch {
        return undefined;
      }
    }
    at.push(column);
    fixed.push(value);
  }
  return {
    has: (key) => (at[key] as number) !== -1 || !Number.isNaN(fixed[key] as number),
    get: (values, key) => {
      const column = at[key] as number;
      return column === -1 ? (fixed[key] as number) : (values[column] as number);
    },
  };
}
