/**
 * The one finiteness guard: a computed quantity that overflowed to ±Infinity, is NaN, or
 * underflowed to 0 is an error naming what was computed (code `OVERFLOW` or `UNDERFLOW`),
 * never a number printed as Infinity, null or 0.
 *
 * @example requireRepresentable(1e308 * 10, 'the training compute C') // throws OVERFLOW: "the training compute C is too large to represent (Infinity)"
 */
import { MoeplanError } from './errors.js';

/** A finite number that is not 0. */
export function representable(value: number): boolean {
  return value !== 0 && Number.isFinite(value);
}

/** `value` when {@link representable}; otherwise the error saying what `what` did. */
export function requireRepresentable(value: number, what: string, hint = 'check the magnitudes of the inputs'): number {
  if (representable(value)) return value;
  if (value === 0) throw new MoeplanError('UNDERFLOW', `${what} is too small to represent (it rounds to 0)`, { hint });
  if (Number.isNaN(value)) throw new MoeplanError('OVERFLOW', `${what} is not a number (NaN): an intermediate result overflowed`, { hint });
  throw new MoeplanError('OVERFLOW', `${what} is too large to represent (${value})`, { hint });
}
