import { MoeplanError } from '../core/errors.js';
import { representable, requireRepresentable } from '../core/finite.js';

/**
 * Guard a computed result: an overflow to infinity, NaN, or an underflow of a positive
 * quantity to zero is an error naming what was computed, never printed silently.
 */
export function finiteResult(value: number, what: string, hint = 'check the magnitudes of the inputs'): number {
  if (representable(value)) return value;
  return requireRepresentable(value, { code: 'text', args: { text: what } }, { code: 'text', args: { text: hint } });
}

/** What {@link finiteResult} accepts: a finite number that is not 0 (core/finite.ts). */
export { representable };

/**
 * The first number in a result that is not finite (NaN, ±Infinity), as `[path, value]`;
 * `undefined` when there is none. A result that holds one is an error, never printed: JSON
 * would show it as null and text as Infinity.
 */
export function nonFiniteField(value: unknown, path = '', depth = 0): [string, number] | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : [path || 'the result', value];
  if (value === null || typeof value !== 'object' || depth > 8) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFiniteField(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const key in value) {
    const found = nonFiniteField((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Throw an `OVERFLOW` error naming the first non-finite number in `result`, if any. */
export function assertFiniteResult<T>(result: T): T {
  const found = nonFiniteField(result);
  if (found) {
    const [path, value] = found;
    throw new MoeplanError('OVERFLOW', `the result ${path} is ${Number.isNaN(value) ? 'not a number (NaN)' : `too large to represent (${value})`}`, {
      hint: 'the inputs are too far apart in magnitude for this computation; check their units and exponents',
    });
  }
  return result;
}
