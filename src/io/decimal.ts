/**
 * Reading a plain decimal number straight out of a line of text, without cutting it out
 * first: the batch fast lane reads millions of them.
 *
 * Exactness: a number with at most 15 significant digits (trailing zeros not counted: they
 * are part of the exponent) and a decimal exponent e with
 * |e| ≤ 22 is m·10^e with m and 10^|e| both exact doubles, so one multiplication or
 * division, correctly rounded by IEEE 754, gives the double nearest to the decimal:
 * the same double as `Number(text)` (Clinger, "How to read floating point numbers
 * accurately", PLDI 1990, the fast path). Anything else returns NaN, and the caller falls
 * back to `Number`.
 *
 * @example decimalAt('52e9,7e12', 0, 4) // 52000000000
 * @example decimalAt('0.30000000000000004', 0, 19) // NaN (17 significant digits: use Number)
 */
/** 10^0 … 10^22, each an exact double. */
export const POWERS_OF_TEN: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

export function decimalAt(text: string, start: number, end: number): number {
  if (end - start > 40 || end <= start) return Number.NaN;
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (c === 45 || c === 43) c = text.charCodeAt(++i);
  let mantissa = 0;
  let significant = 0;
  let scale = 0; // digits after the point
  let digits = 0;
  let zeros = 0; // zeros after the last non-zero digit, not (yet) in the mantissa
  let point = false;
  for (; i < end; c = text.charCodeAt(++i)) {
    if (c >= 48 && c <= 57) {
      digits++;
      if (point) scale++;
      if (c === 48) {
        if (mantissa !== 0) zeros++; // leading zeros are not significant
        continue;
      }
      significant += zeros + 1;
      if (significant > 15) return Number.NaN;
      mantissa = mantissa * (POWERS_OF_TEN[zeros + 1] as number) + (c - 48);
      zeros = 0;
    } else if (c === 46 && !point) point = true;
    else break;
  }
  if (digits === 0) return Number.NaN;
  let exponent = 0;
  if (i < end) {
    if (c !== 101 && c !== 69) return Number.NaN;
    c = text.charCodeAt(++i);
    const negativeExponent = c === 45;
    if (c === 45 || c === 43) c = text.charCodeAt(++i);
    const exponentStart = i;
    for (; i < end && c >= 48 && c <= 57 && i - exponentStart < 4; c = text.charCodeAt(++i)) exponent = exponent * 10 + (c - 48);
    if (i !== end || i === exponentStart) return Number.NaN;
    if (negativeExponent) exponent = -exponent;
  } else if (text.charCodeAt(end - 1) === 46) {
    return Number.NaN; // "5." is not a plain number here
  }
  // Trailing zeros are a power of ten: 196200000000000000000 is 1962·10^17.
  const power = exponent - scale + zeros;
  let value: number;
  if (mantissa === 0) value = 0;
  else if (power >= 0 && power <= 22) value = mantissa * (POWERS_OF_TEN[power] as number);
  else if (power < 0 && power >= -22) value = mantissa / (POWERS_OF_TEN[-power] as number);
  else return Number.NaN;
  return negative ? -value : value;
}
