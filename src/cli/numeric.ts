import { MoeplanError } from '../core/errors.js';

/**
 * Guard a computed result: an overflow to infinity, NaN, or an underflow of a positive
 * quantity to zero is an error naming what was computed, never printed silently.
 */
export function finiteResult(value: number, what: string, hint = 'check the magnitudes of the inputs'): number {
  if (!Number.isFinite(value)) {
    throw new MoeplanError('OVERFLOW', `${what} is too large to represent (${value})`, { hint });
  }
  if (value === 0) {
    throw new MoeplanError('UNDERFLOW', `${what} is too small to represent (it rounds to 0)`, { hint });
  }
  return value;
}
