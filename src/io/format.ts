/**
 * Number formatting for people. JSON output never goes through here: it carries the
 * plain numbers.
 */

/**
 * Scientific notation with `digits` significant digits and trailing zeros trimmed:
 * `sci(3.4924e24)` → `3.4924e24`, `sci(2.184e24)` → `2.184e24`, `sci(0.00031)` → `3.1e-4`.
 */
export function sci(value: number, digits = 5): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
  const trimmed = (mantissa as string).includes('.') ? (mantissa as string).replace(/\.?0+$/, '') : (mantissa as string);
  return `${trimmed}e${Number(exponent)}`;
}

const SI: ReadonlyArray<readonly [number, string]> = [
  [1e15, 'P'],
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/**
 * A count with an SI-style suffix, `digits` significant digits, trailing zeros trimmed:
 * `si(52.14e9)` → `52.14B`, `si(7e12)` → `7T`, `si(800)` → `800`. Past 10^18 it falls
 * back to scientific notation.
 */
export function si(value: number, digits = 4): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e18 || (magnitude > 0 && magnitude < 1e-3)) return sci(value, digits);
  for (const [scale, suffix] of SI) {
    if (magnitude >= scale * 0.9995) return `${trimNumber(value / scale, digits)}${suffix}`;
  }
  return trimNumber(value, digits);
}

/** A number with `digits` significant digits and no exponent for everyday magnitudes. */
export function trimNumber(value: number, digits = 4): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e21 || magnitude < 1e-6) return sci(value, digits);
  return String(Number(value.toPrecision(digits)));
}

/** Thousands separators: `group(1638400)` → `1,638,400`. */
export function group(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A fraction as a percentage: `percent(0.4312)` → `43.1%`; signed with `signed`. */
export function percent(fraction: number, digits = 3, signed = false): string {
  const text = `${trimNumber(fraction * 100, digits)}%`;
  return signed && fraction > 0 ? `+${text}` : text;
}

/** Money: `money(6130500)` → `$6.13M`. */
export function money(value: number): string {
  return `$${si(value, 3)}`;
}
