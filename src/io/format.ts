/**
 * Number formatting for people. JSON output never goes through here: it carries the
 * plain numbers.
 */
import { escapeControls } from '../core/errors.js';

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

/**
 * A value from user input, short enough for a message: `"7X"`, `true`, `null`, and for a
 * list or object its JSON cut to `max` characters (never walked deeper than a few levels,
 * so a hostile, deeply nested value cannot exhaust the stack).
 */
export function showValue(value: unknown, max = 60): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    return printable(JSON.stringify(value.length > max ? `${value.slice(0, Math.max(0, max - 5))}...` : value));
  }
  if (typeof value !== 'object' || value === null) return String(value);
  const text = printable(shallowJson(value, 4));
  return text.length > max ? `${text.slice(0, Math.max(0, max - 3))}...` : text;
}

/**
 * Text from user input made safe to print: control characters (C0, C1, DEL) and the
 * Unicode controls that reorder or hide text (bidi overrides and isolates, zero-width
 * characters, line and paragraph separators) are written as `\uXXXX`, so a value can
 * neither move the cursor, colour or clear a terminal nor disguise itself in a message.
 */
export function printable(text: string): string {
  return escapeControls(text);
}

function shallowJson(value: unknown, depth: number): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' ? JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value) : String(value);
  }
  if (depth === 0) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map((item) => shallowJson(item, depth - 1));
    return `[${items.join(',')}${value.length > 8 ? ',…' : ''}]`;
  }
  const entries = Object.entries(value);
  const items = entries.slice(0, 8).map(([key, item]) => `${JSON.stringify(key.length > 40 ? `${key.slice(0, 37)}...` : key)}:${shallowJson(item, depth - 1)}`);
  return `{${items.join(',')}${entries.length > 8 ? ',…' : ''}}`;
}
