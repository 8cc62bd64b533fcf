/**
 * The one finiteness guard: a computed quantity that overflowed to ±Infinity, is NaN, or
 * underflowed to 0 is an error naming what was computed (code `OVERFLOW` or `UNDERFLOW`),
 * never a number printed as Infinity, null or 0.
 *
 * @example requireRepresentable(1e308 * 10, { code: 'text', args: { text: 'the training compute C' } }) // throws OVERFLOW: "the training compute C is too large to represent (Infinity)"
 */
import { MoeplanError } from './errors.js';
import { type Message, message } from './messages.js';

/** A finite number that is not 0. */
export function representable(value: number): boolean {
  return value !== 0 && Number.isFinite(value);
}

/**
 * `value` when {@link representable}; otherwise the error saying what `what` (a message, or
 * words from outside the core as `{ code: 'text' }`) did.
 */
export function requireRepresentable(value: number, what: Message, hint: Message = NO_HINT): number {
  if (representable(value)) return value;
  if (value === 0) throw new MoeplanError('UNDERFLOW', message('number.too-small', { what }), { hint });
  if (Number.isNaN(value)) throw new MoeplanError('OVERFLOW', message('number.nan', { what }), { hint });
  throw new MoeplanError('OVERFLOW', message('number.too-large', { what, value }), { hint });
}

const NO_HINT = message('number.magnitudes.hint', {});
