/**
 * Quantities as people type them: plain numbers (`3.1e24`), SI-style suffixes (`52B`,
 * `7T`, `16M`, `800K`), percentages where a tolerance is meant (`15%`), and arithmetic
 * expressions (`6*52B*7T`) evaluated by the locked-down mathjs instance.
 *
 * Suffixes (case-insensitive) are counts, not bytes or batches:
 * K = 10^3, M = 10^6, B = G = 10^9 (billion), T = 10^12, P = 10^15;
 * binary Ki = 2^10, Mi = 2^20, Gi = 2^30, Ti = 2^40 (handy for context lengths).
 *
 * Plain numbers and suffixes take a fast path that never loads mathjs. Anything else is an
 * expression: `parseQuantity` throws {@link NeedsExpressionEngine} for it until
 * {@link loadExpressionEngine} has run; `parseQuantityAsync` does that for you.
 */
import { MoeplanError } from '../core/errors.js';
import { POWERS_OF_TEN, decimalAt } from './decimal.js';
import { type WrittenDigits, printable } from './format.js';

export const SUFFIXES: Readonly<Record<string, number>> = {
  k: 1e3,
  m: 1e6,
  b: 1e9,
  g: 1e9,
  t: 1e12,
  p: 1e15,
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40,
};

/** What values a quantity may take. Defaults: finite and strictly positive, no percent. */
export interface QuantitySpec {
  /** The flag or field, used in messages: `--params`, `training.tokens`, `row 3: params`. */
  readonly name: string;
  /** Smallest allowed value (default 0). */
  readonly min?: number;
  /** Whether `min` itself is allowed (default false: strictly greater). */
  readonly minInclusive?: boolean;
  /** Largest allowed value (inclusive), if any. */
  readonly max?: number;
  /** Accept `15%` as 0.15 (tolerances, fractions). */
  readonly percent?: boolean;
  /** Must be a whole number (counts of GPUs, experts). */
  readonly integer?: boolean;
  /** Text describing the allowed range for messages, e.g. "a fraction in (0, 1]". */
  readonly describe?: string;
}

/** Thrown by the synchronous parser when a value is an expression and mathjs is not loaded. */
export class NeedsExpressionEngine extends Error {
  constructor() {
    super('expression engine not loaded');
  }
}

/**
 * Longest quantity read, in characters (as in plan files). Checked before any pattern is
 * applied, so no input can make parsing slow; every pattern below is also linear.
 */
export const MAX_QUANTITY_CHARS = 200;

const PLAIN = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?:([kKmMbBgGtTpP])([iI])?)?(%)?$/;
// The look-behind makes a match start only where a number starts: without it, a run of n
// digits would be tried from each of its n positions (quadratic).
const SUFFIX_IN_EXPRESSION = /(?<![0-9.])((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)([kKmMbBgGtTpP][iI]?)(?![A-Za-z0-9_])/g;

type Evaluate = (text: string, field: string, written?: WrittenText) => number;

/**
 * The text a user typed, beside the rewritten text the engine evaluates (`52B` becomes
 * `(52*1000000000)`): messages quote `text` and point into it with `position`, which maps
 * an index of the rewritten text to the index of the character it came from.
 */
export interface WrittenText {
  readonly text: string;
  position(rewrittenIndex: number): number;
}

/**
 * Rewrite the suffixed numbers of an expression for the engine: `6*52B*7T` →
 * `6*(52*1000000000)*(7*1000000000000)`, with the map back to the written positions.
 *
 * @example rewriteSuffixes('52B+x').written.position(16) // 3, the "+" after 52B
 */
export function rewriteSuffixes(text: string): { rewritten: string; written: WrittenText } {
  // [start in rewritten, end in rewritten, start in written, end in written] of each replacement.
  const spans: [number, number, number, number][] = [];
  let shift = 0;
  const rewritten = text.replace(SUFFIX_IN_EXPRESSION, (match: string, num: string, suf: string, offset: number) => {
    const replacement = `(${num}*${SUFFIXES[suf.toLowerCase()]})`;
    spans.push([offset + shift, offset + shift + replacement.length, offset, offset + match.length]);
    shift += replacement.length - match.length;
    return replacement;
  });
  const position = (index: number): number => {
    let delta = 0;
    for (const [start, end, writtenStart, writtenEnd] of spans) {
      if (index < start) break;
      // Inside a replacement: its number's digits map to themselves, the rest to the suffix.
      if (index < end) return Math.min(writtenStart + Math.max(0, index - start - 1), writtenEnd - 1);
      delta = end - writtenEnd;
    }
    return index - delta;
  };
  return { rewritten, written: { text, position } };
}
let evaluate: Evaluate | undefined;

/** Load the mathjs expression engine (once). Needed before parsing an expression synchronously. */
export async function loadExpressionEngine(): Promise<void> {
  if (!evaluate) evaluate = (await import('./expression-engine.js')).evaluateExpression;
}

/** True once {@link loadExpressionEngine} has finished. */
export function expressionEngineLoaded(): boolean {
  return evaluate !== undefined;
}

/**
 * True when `text` is a plain decimal number such as `52000000000`, `3.1e24` or `-0.5`
 * (no suffix, no spaces): `Number(text)` reads it exactly as written. A character scan,
 * cheaper than a regular expression on the batch hot path.
 */
export function isDecimalText(text: string): boolean {
  const length = text.length;
  if (length === 0 || length > 40) return false;
  let digits = 0;
  let dots = 0;
  let exponentAt = -1;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46) {
      if (exponentAt !== -1 || ++dots > 1) return false;
    } else if (c === 101 || c === 69) {
      if (exponentAt !== -1 || digits === 0) return false;
      exponentAt = i;
    } else if (c === 43 || c === 45) {
      if (i !== 0 && i !== exponentAt + 1) return false;
    } else return false;
  }
  const last = text.charCodeAt(length - 1);
  return last >= 48 && last <= 57;
}

/**
 * The batch rows' quantity reader: the number in `text[start, end)` when it is a plain
 * decimal (`52e9`) or a plain decimal with one suffix (`52B`, `7T`, `16M`, `4Ki`) or, with
 * `percent`, a `%` (`15%`), read in place without a regular expression or the expression
 * engine. The same double as {@link parseQuantity}: the decimal is read exactly (the
 * same double as `Number`), then multiplied by the suffix and divided by 100, in the same
 * order. NaN for anything else (spaces, expressions, unknown suffixes, more than 40
 * characters): the caller then takes the general path, which gives the error.
 *
 * @example quantityAt('52B,7T', 0, 3) // 52000000000
 * @example quantityAt('15%', 0, 3, true) // 0.15
 */
const DECIMAL_SCALE: number[] = [];
const BINARY_SCALE: number[] = [];
/** The power of ten of each one-letter suffix, by character code (`B`: 9). */
const DECIMAL_POWER: number[] = [];
for (const [suffix, scale] of Object.entries(SUFFIXES)) {
  const table = suffix.length === 1 ? DECIMAL_SCALE : BINARY_SCALE;
  table[suffix.charCodeAt(0)] = scale;
  table[suffix.toUpperCase().charCodeAt(0)] = scale;
  if (suffix.length === 1) {
    DECIMAL_POWER[suffix.charCodeAt(0)] = Math.round(Math.log10(scale));
    DECIMAL_POWER[suffix.toUpperCase().charCodeAt(0)] = Math.round(Math.log10(scale));
  }
}

export function quantityAt(text: string, start: number, end: number, percent = false): number {
  if (end - start > 40 || end <= start) return Number.NaN;
  let stop = end;
  let c = text.charCodeAt(stop - 1);
  let hundredth = false;
  if (c === 37) {
    if (!percent) return Number.NaN;
    hundredth = true;
    c = text.charCodeAt(--stop - 1);
  }
  let scale = 0;
  if (c < 48 || c > 57) {
    if (c === 105 || c === 73) {
      // Ki, Mi, Gi, Ti
      c = text.charCodeAt(--stop - 1);
      scale = BINARY_SCALE[c] ?? 0;
    } else {
      scale = DECIMAL_SCALE[c] ?? 0;
    }
    if (scale === 0) return Number.NaN;
    stop--;
  }
  let value = decimalAt(text, start, stop);
  if (Number.isNaN(value)) {
    const mantissa = text.slice(start, stop);
    if (!isDecimalText(mantissa)) return Number.NaN;
    value = Number(mantissa);
  }
  if (scale !== 0) value *= scale;
  if (hundredth) value /= 100;
  return value;
}

/**
 * {@link quantityAt} and, in the same pass, where its shortest digits are: the same value
 * (the same double, NaN in the same cases), and `into` ({@link WrittenDigits}) filled when
 * the digits written are the shortest form of that value: when the decimal they stand
 * for (`52.3B` as 523·10^8), read exactly, is the same double as the decimal times the
 * suffix. Two decimals of at most 15 significant digits never read as the same double, so
 * no shorter text reads as it. Otherwise `into.significant` is 0 and the value must be
 * printed. One scan of the field on the batch rows' hot path, not one to read it and one
 * to print it.
 *
 * @example quantityDigitsAt('171.5M', 0, 6, false, into) // 171500000, into: digits 1715, exponent 8
 */
export function quantityDigitsAt(text: string, start: number, end: number, percent: boolean, into: WrittenDigits): number {
  into.significant = 0;
  if (end - start > 40 || end <= start) return Number.NaN;
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative || c === 43) c = text.charCodeAt(++i);
  let first = -1; // the first significant digit
  let last = -1; // the last digit that is not 0
  let point = -1;
  let mantissa = 0;
  let significant = 0;
  let afterPoint = 0; // digits after the point
  let zeros = 0; // zeros after the last non-zero digit, not yet in the mantissa
  for (; i < end; c = text.charCodeAt(++i)) {
    if (c >= 48 && c <= 57) {
      if (point !== -1) afterPoint++;
      if (c === 48) {
        if (first !== -1) zeros++;
        continue;
      }
      if (first === -1) first = i;
      significant += zeros + 1;
      if (significant > 15) return quantityAt(text, start, end, percent);
      mantissa = mantissa * (POWERS_OF_TEN[zeros + 1] as number) + (c - 48);
      zeros = 0;
      last = i;
    } else if (c === 46 && point === -1) point = i;
    else break;
  }
  // Zero, no digits, "5." and the like: the general reader decides.
  if (first === -1 || text.charCodeAt(i - 1) === 46) return quantityAt(text, start, end, percent);
  let exponent = 0;
  if (i < end && (c === 101 || c === 69)) {
    c = text.charCodeAt(++i);
    const negativeExponent = c === 45;
    if (negativeExponent || c === 43) c = text.charCodeAt(++i);
    const from = i;
    for (; i < end && c >= 48 && c <= 57 && i - from < 3; c = text.charCodeAt(++i)) exponent = exponent * 10 + (c - 48);
    if (i === from || (c >= 48 && c <= 57)) return quantityAt(text, start, end, percent);
    if (negativeExponent) exponent = -exponent;
  }
  let scale = 0;
  let suffixPower = 0;
  if (i < end && c !== 37) {
    scale = DECIMAL_SCALE[c] ?? 0;
    if (scale === 0) return quantityAt(text, start, end, percent); // a binary suffix, or not a number
    suffixPower = DECIMAL_POWER[c] as number;
    c = text.charCodeAt(++i);
  }
  let hundredth = false;
  if (i < end) {
    if (c !== 37 || !percent || i + 1 !== end) return quantityAt(text, start, end, percent); // `Mi`, say
    hundredth = true;
  }
  // As quantityAt: the decimal read exactly, then times the suffix, then divided by 100.
  const power = exponent - afterPoint + zeros;
  let value: number;
  if (power >= 0 && power <= 22) value = mantissa * (POWERS_OF_TEN[power] as number);
  else if (power < 0 && power >= -22) value = mantissa / (POWERS_OF_TEN[-power] as number);
  else return quantityAt(text, start, end, percent);
  if (scale !== 0) value *= scale;
  if (hundredth) value /= 100;
  // The decimal the text stands for, read exactly: its digits are the value's shortest form when it is the value.
  const q = power + suffixPower - (hundredth ? 2 : 0);
  const decimal =
    q === power
      ? value
      : q >= 0 && q <= 22
        ? mantissa * (POWERS_OF_TEN[q] as number)
        : q < 0 && q >= -22
          ? mantissa / (POWERS_OF_TEN[-q] as number)
          : Number.NaN;
  if (decimal === value) {
    into.negative = negative;
    into.first = first;
    into.last = last;
    into.point = point > first && point < last ? point : -1;
    into.significant = significant;
    into.exponent = q + significant - 1;
  }
  return negative ? -value : value;
}

/** True when `text` is a plain number or suffixed number, i.e. needs no mathjs. */
export function isPlainQuantity(text: string): boolean {
  return PLAIN.test(text.trim());
}

const usageHint = 'use a plain number (52e9), a suffix (52B, 7T, 16M, 800K) or an expression (6*52B*7T)';

/**
 * Parse one quantity synchronously. Throws `MoeplanError` for bad input and
 * {@link NeedsExpressionEngine} for an expression before the engine is loaded.
 *
 * @example parseQuantity('52B', { name: '--params' }) // 52e9
 * @example parseQuantity('15%', { name: 'within', percent: true }) // 0.15
 */
export function parseQuantity(raw: string | number, spec: QuantitySpec): number {
  let value: number;
  if (typeof raw === 'number') {
    value = raw;
  } else {
    if (raw.length > MAX_QUANTITY_CHARS && raw.trim().length > MAX_QUANTITY_CHARS) {
      throw new MoeplanError('INVALID_QUANTITY', `${spec.name}: is longer than ${MAX_QUANTITY_CHARS} characters (${raw.length})`, {
        field: spec.name,
        hint: `a quantity is at most ${MAX_QUANTITY_CHARS} characters: ${usageHint}`,
      });
    }
    const text = raw.trim();
    if (text === '') {
      throw new MoeplanError('INVALID_QUANTITY', `${spec.name}: empty value`, { field: spec.name, hint: usageHint });
    }
    const match = PLAIN.exec(text);
    if (match) {
      value = Number(match[1]);
      const suffix = match[2];
      if (suffix) value *= SUFFIXES[(suffix + (match[3] ?? '')).toLowerCase()] ?? Number.NaN;
      if (match[4]) {
        if (!spec.percent) {
          throw new MoeplanError('INVALID_QUANTITY', `${spec.name}: "${text}" is a percentage, but this value is not a tolerance`, {
            field: spec.name,
            hint: 'give the value itself, without %',
          });
        }
        value /= 100;
      }
    } else {
      if (!/[-+*/^()]/.test(text.replace(/^[+-]|(?<=\d[eE])[+-]/g, ''))) {
        // No operator: a typo, not an expression. Say so without loading mathjs.
        const suffix = /^[+-]?[\d.]+(?:[eE][+-]?\d+)?([A-Za-z%]+)$/.exec(text)?.[1];
        throw new MoeplanError(
          'INVALID_QUANTITY',
          suffix ? `${spec.name}: "${short(text)}" has an unknown suffix "${suffix}"` : `${spec.name}: "${short(text)}" is not a number`,
          { field: spec.name, hint: usageHint },
        );
      }
      if (!evaluate) throw new NeedsExpressionEngine();
      const { rewritten, written } = rewriteSuffixes(text);
      value = evaluate(rewritten, spec.name, written);
    }
  }
  return checkRange(value, raw, spec);
}

/**
 * Parse one quantity, loading the expression engine first if the value needs it.
 *
 * @example await parseQuantityAsync('6*52B*7T', { name: '--flops' }) // 2.184e24
 */
export async function parseQuantityAsync(raw: string | number, spec: QuantitySpec): Promise<number> {
  try {
    return parseQuantity(raw, spec);
  } catch (error) {
    if (!(error instanceof NeedsExpressionEngine)) throw error;
    await loadExpressionEngine();
    return parseQuantity(raw, spec);
  }
}

function checkRange(value: number, raw: string | number, spec: QuantitySpec): number {
  // The texts of the messages are made only for a value that fails (batch rows check every value).
  const shownText = () => (typeof raw === 'number' ? String(raw) : short(raw.trim()));
  const range = () => spec.describe ?? describeRange(spec);
  if (!Number.isFinite(value)) {
    throw new MoeplanError('INVALID_QUANTITY', `${spec.name}: "${shownText()}" is not a finite number`, {
      field: spec.name,
      hint: `give ${range()}`,
    });
  }
  const min = spec.min ?? 0;
  const belowMin = spec.minInclusive ? value < min : value <= min;
  if (belowMin || (spec.max !== undefined && value > spec.max)) {
    throw new MoeplanError('OUT_OF_RANGE', `${spec.name}: ${shownText()} is out of range; expected ${range()}`, { field: spec.name });
  }
  if (spec.integer && !Number.isInteger(value)) {
    throw new MoeplanError('OUT_OF_RANGE', `${spec.name}: ${shownText()} is not a whole number`, { field: spec.name });
  }
  return value;
}

function describeRange(spec: QuantitySpec): string {
  const min = spec.min ?? 0;
  const low = spec.minInclusive ? `at least ${min}` : min === 0 ? 'a positive number' : `a number above ${min}`;
  const kind = spec.integer ? low.replace('number', 'whole number') : low;
  return spec.max === undefined ? kind : `${kind} and at most ${spec.max}`;
}

function short(text: string): string {
  return printable(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
