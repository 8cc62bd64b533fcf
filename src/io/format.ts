/**
 * Number formatting, in two kinds:
 *
 * - for people (text output, messages): rounded to a few significant digits, scaled so that
 *   no figure is a long run of digits: {@link sci}, {@link si}, {@link trimNumber},
 *   {@link percent}, {@link money}. One rule for where plain notation ends: a magnitude in
 *   [1e-3, 1e6) is written plainly (`0.0625`, `35880`), anything else in scientific
 *   notation (`1.563e-5`, `6.676e6`).
 * - for programs (CSV cells): {@link exactNumber}, the shortest text that reads back as the
 *   same double, always in scientific notation, so a column has one notation whatever the
 *   magnitudes in it (the batch lanes print the same text as bytes: io/ascii-out.ts). JSON
 *   carries numbers as JSON numbers.
 *
 * Every function here is pure and allocation-light: batch output calls them per row.
 */
import { escapeControls } from '../core/errors.js';

/** Plain notation for people between these magnitudes; scientific outside. */
const PLAIN_MIN = 1e-3;
const PLAIN_MAX = 1e6;

/**
 * Scientific notation with `digits` significant digits and trailing zeros trimmed:
 * `sci(3.4924e24)` → `3.4924e24`, `sci(2.184e24)` → `2.184e24`, `sci(0.00031)` → `3.1e-4`.
 * Rounding carries into the exponent: `sci(9.99996e3, 4)` → `1e4`.
 */
export function sci(value: number, digits = 5): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  return compactExponential(value.toExponential(Math.max(0, Math.min(100, digits - 1))));
}

/**
 * The shortest text that reads back as exactly `value`, in scientific notation: for CSV
 * cells, where a column must not switch from `196400000000000000000` to `3.49237e+24`.
 * `exactNumber(1.964e20)` → `1.964e20`, `exactNumber(0.4)` → `4e-1`,
 * `exactNumber(0.1 + 0.2)` → `3.0000000000000004e-1`. Zero is `0`.
 */
export function exactNumber(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  // toExponential() gives the shortest digits (so no trailing zeros) as `d.ddde+X`: only
  // the exponent's `+` goes.
  const text = value.toExponential();
  const e = text.indexOf('e', 1);
  return text.charCodeAt(e + 1) === 43 ? `${text.slice(0, e + 1)}${text.slice(e + 2)}` : text;
}

/**
 * Where the shortest form of a number is written in a text: the significant digits run
 * from `first` to `last` (skipping a decimal point at `point`, -1 for none), and the
 * scientific exponent is `exponent`. Filled by `quantityDigitsAt` (quantity.ts).
 */
export interface WrittenDigits {
  negative: boolean;
  first: number;
  last: number;
  point: number;
  significant: number;
  exponent: number;
}

/** `3.4924000e+24` → `3.4924e24`, `1.000e-4` → `1e-4`. */
function compactExponential(text: string): string {
  const e = text.indexOf('e');
  let mantissa = text.slice(0, e);
  if (mantissa.includes('.')) {
    let end = mantissa.length;
    while (mantissa.charCodeAt(end - 1) === 48) end--; // trailing zeros
    if (mantissa.charCodeAt(end - 1) === 46) end--; // a bare point
    mantissa = mantissa.slice(0, end);
  }
  const exponent = text.charCodeAt(e + 1) === 43 ? text.slice(e + 2) : text.slice(e + 1);
  return `${mantissa}e${exponent}`;
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
 * `si(52.14e9)` → `52.14B`, `si(7e12)` → `7T`, `si(800)` → `800`. The value is rounded
 * first and the suffix chosen for the rounded value, so rounding carries into the next
 * suffix: `si(999.6e9)` → `999.6B`, `si(996e9, 2)` → `1T`. Past 10^18, or below 10^-3,
 * scientific notation.
 */
export function si(value: number, digits = 4): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(digits));
  const magnitude = Math.abs(rounded);
  if (magnitude >= 1e18 || magnitude < PLAIN_MIN) return sci(value, digits);
  for (const [scale, suffix] of SI) {
    if (magnitude >= scale) return `${Number((rounded / scale).toPrecision(digits))}${suffix}`;
  }
  return String(rounded);
}

/**
 * A number with `digits` significant digits for people: plain between 10^-3 and 10^6
 * (`0.1236`, `35880`), scientific outside (`1.563e-5`, `6.676e6`), never a long run of
 * digits or floating-point noise.
 */
export function trimNumber(value: number, digits = 4): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(digits));
  const magnitude = Math.abs(rounded);
  if (magnitude >= PLAIN_MAX || magnitude < PLAIN_MIN) return sci(value, digits);
  return String(rounded);
}

/** Thousands separators: `group(1638400)` → `1,638,400`. */
export function group(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * A fraction as a percentage: `percent(0.4312)` → `43.1%`; signed with `signed`. A
 * fraction of 100 or more reads better as a multiple: `percent(62500)` → `62500×`, not
 * `6250000%`; a tiny one in scientific notation: `percent(1.5e-7)` → `1.5e-5%`.
 */
export function percent(fraction: number, digits = 3, signed = false): string {
  const text = Math.abs(fraction) >= 100 ? `${trimNumber(fraction, digits)}×` : `${trimNumber(fraction * 100, digits)}%`;
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
