/**
 * The shortest decimal digits of a double (the digits `toExponential()` gives: the fewest
 * digits that read back as the same double, the closest to it of those), written as ASCII
 * bytes in exactNumber's form (`1.2345e21`, `5e-4`), without a string: the batch fast
 * lanes print millions of computed numbers.
 *
 * Method. A positive double v = f·2^e (f in [2^52, 2^53)) reads back from any decimal
 * within half its spacing, h = 2^(e−1). Scaled by 10^(16−k) (k its decimal exponent),
 * S = v·10^(16−k) lies in [10^16, 10^17): the 17-digit integers. S is computed in
 * double-double arithmetic (Dekker, "A floating-point technique for extending the available
 * precision", Numer. Math. 18, 1971: an exact product by splitting, 10^(16−k) held as two
 * doubles from exact integer arithmetic), with an error below 10^−14 of a unit, then split
 * into S = hi·10^8 + lo. The shortest digits are the multiple of the largest power of ten
 * 10^j within S ± h·10^(16−k), the one nearest S (Steele and White, "How to print
 * floating-point numbers accurately", PLDI 1990, the free-format condition). Every
 * comparison is made with a margin (10^−6 of a unit, far above the arithmetic's error):
 * a value that falls within it (a decimal on the edge of the interval, a tie between two
 * candidates), a power of two (whose interval is uneven), or a magnitude outside
 * [10^−280, 10^280] is declined, and the caller prints it with `toExponential`. So the
 * digits are exactly V8's for every value printed; the property tests compare millions.
 *
 * Units: none (text). Worked example: 2.184e24 → S = 21840000000000000 → `2.184e24`;
 * 0.1 + 0.2 → S = 30000000000000004 → `3.0000000000000004e-1`.
 */

const SPLITTER = 134217729; // 2^27 + 1
/** The margin of every decision, in units of the 17th digit. */
const MARGIN = 1e-6;
const LOWEST = -280;
const HIGHEST = 280;
/** 10^x for x = 16 − k, k in [LOWEST, HIGHEST]: high and low parts, and the high part split in two (Dekker). */
const SPAN = HIGHEST - LOWEST + 1;
const TEN_HIGH = new Float64Array(SPAN);
const TEN_LOW = new Float64Array(SPAN);
const TEN_HIGH_UPPER = new Float64Array(SPAN);
const TEN_HIGH_LOWER = new Float64Array(SPAN);
const TEN_READY = new Uint8Array(SPAN);

const LOG10_2 = Math.log10(2);
/** 10^k as doubles (nearest), k in [LOWEST, HIGHEST + 1], for the first guess at the exponent. */
const TENS = Float64Array.from({ length: SPAN + 1 }, (_, i) => Number(`1e${i + LOWEST}`));

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
/** The bit view below assumes little-endian words (every platform Node runs on); otherwise every value is declined. */
const LITTLE_ENDIAN = U32[1] === 0x3ff00000;

/** 10^x as a double-double, from exact integer arithmetic, once per x. */
function makeTen(index: number): void {
  const x = 16 - (index + LOWEST);
  let high: number;
  let low: number;
  if (x >= 0) {
    const exact = 10n ** BigInt(x);
    high = Number(exact);
    low = Number(exact - BigInt(high));
  } else {
    // 10^x = q·2^−shift + (less than 2^−shift), q with about 130 bits.
    const shift = 130 + Math.ceil(-x * Math.log2(10));
    const q = (1n << BigInt(shift)) / 10n ** BigInt(-x);
    const qHigh = Number(q);
    const scale = 2 ** -shift;
    high = qHigh * scale;
    low = Number(q - BigInt(qHigh)) * scale;
  }
  const c = SPLITTER * high;
  const upper = c - (c - high);
  TEN_HIGH[index] = high;
  TEN_LOW[index] = low;
  TEN_HIGH_UPPER[index] = upper;
  TEN_HIGH_LOWER[index] = high - upper;
  TEN_READY[index] = 1;
}

/** Pairs of decimal digits, 00 to 99, as character codes. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}
/** Eight digits of `value` (a whole number below 10^8) into `bytes` from `at`: two independent halves, in int32 arithmetic. */
function eightDigits(bytes: Uint8Array, at: number, value: number): void {
  const whole = value | 0;
  const upper = (whole / 10000) | 0;
  const lower = whole - upper * 10000;
  const a = (upper / 100) | 0;
  const b = (lower / 100) | 0;
  const pa = a << 1;
  const pb = (upper - a * 100) << 1;
  const pc = b << 1;
  const pd = (lower - b * 100) << 1;
  bytes[at] = PAIRS[pa] as number;
  bytes[at + 1] = PAIRS[pa + 1] as number;
  bytes[at + 2] = PAIRS[pb] as number;
  bytes[at + 3] = PAIRS[pb + 1] as number;
  bytes[at + 4] = PAIRS[pc] as number;
  bytes[at + 5] = PAIRS[pc + 1] as number;
  bytes[at + 6] = PAIRS[pd] as number;
  bytes[at + 7] = PAIRS[pd + 1] as number;
}

/** How many zeros end `value` (a whole number above 0 and below 10^8). */
function trailingZeros(value: number): number {
  let whole = value | 0;
  let zeros = 0;
  while (whole % 10 === 0) {
    whole = (whole / 10) | 0;
    zeros++;
  }
  return zeros;
}

/**
 * Write the shortest digits of `value` (positive and finite) into `bytes` from `at`, as
 * `d.ddde±x` without a `+` (at most 23 bytes, and up to 19 bytes from `at` are used on the
 * way); the index after them, or -1 when the value
 * is declined (print it with `toExponential`).
 *
 * @example writeShortest(2.184e24, bytes, 0) // 8: bytes hold "2.184e24"
 */
export function writeShortest(value: number, bytes: Uint8Array, at: number): number {
  if (!(value >= 1e-280 && value <= 1e280) || !LITTLE_ENDIAN) return -1;
  F64[0] = value;
  const highWord = U32[1] as number;
  if (U32[0] === 0 && (highWord & 0xfffff) === 0) return -1; // a power of two: its interval is uneven
  // Half the spacing of doubles at value, 2^(e−1) with value = f·2^e, built from its bits.
  U32[0] = 0;
  U32[1] = (((highWord >>> 20) & 0x7ff) - 53) << 20;
  const halfSpacing = F64[0] as number;

  // The decimal exponent from the binary one (the loop below corrects it by one where needed).
  const biased = (highWord >>> 20) & 0x7ff;
  let k = Math.floor((biased - 1023) * LOG10_2);
  if (value >= (TENS[k + 1 - LOWEST] as number)) k++;
  let sHigh = 0;
  let sLow = 0;
  let index = 0;
  for (let attempt = 0; ; attempt++) {
    if (k < LOWEST || k > HIGHEST || attempt > 2) return -1;
    index = k - LOWEST;
    if (TEN_READY[index] === 0) makeTen(index);
    const tenHigh = TEN_HIGH[index] as number;
    // value·tenHigh exactly, as p + error (Dekker's product), plus value·tenLow.
    const p = value * tenHigh;
    const c = SPLITTER * value;
    const vUpper = c - (c - value);
    const vLower = value - vUpper;
    const tu = TEN_HIGH_UPPER[index] as number;
    const tl = TEN_HIGH_LOWER[index] as number;
    const error = vUpper * tu - p + vUpper * tl + vLower * tu + vLower * tl;
    const q = error + value * (TEN_LOW[index] as number);
    sHigh = p + q;
    sLow = q - (sHigh - p);
    // S within a little of [10^16, 10^17) will do (10^k as a double may be a hair off it).
    if (sHigh < 1e16 - 1000) k--;
    else if (sHigh >= 1e17 + 10000) k++;
    else break;
  }
  const h = halfSpacing * (TEN_HIGH[index] as number); // half the interval, in units (0.55 to 11.2)

  // S = hi·10^8 + lo: hi·10^8 is exact, and the difference with sHigh too (Sterbenz).
  let hi = Math.floor(sHigh / 1e8);
  let lo = sHigh - hi * 1e8 + sLow;
  if (lo < 0) {
    hi--;
    lo += 1e8;
  } else if (lo >= 1e8) {
    hi++;
    lo -= 1e8;
  }

  // The nearest multiple of the largest power of ten within lo ± h.
  let candidate: number;
  if (lo < h - MARGIN) candidate = 0;
  else if (1e8 - lo < h - MARGIN) candidate = 1e8;
  else if (lo - h < MARGIN || 1e8 - lo - h < MARGIN) return -1;
  else {
    // lo = whole + fraction: the multiples of 10^j near it from whole's last j digits.
    const whole = lo | 0;
    const fraction = lo - whole;
    candidate = nearestWithin(whole, whole % 10, fraction, h, 10);
    if (candidate === -1) candidate = nearestWithin(whole, 0, fraction, h, 1);
    else if (candidate >= 0) {
      // A multiple of 10^(j+1) is one of 10^j: where 10^j has none, no larger power has one.
      for (let m = 100; m < 1e8; m *= 10) {
        const wider = nearestWithin(whole, whole % m, fraction, h, m);
        if (wider === -1) break;
        candidate = wider;
        if (wider === -2) break;
      }
    }
    if (candidate < 0) return -1; // -2: too close to call
  }
  if (candidate >= 1e8) {
    hi++;
    candidate -= 1e8;
  }
  // The result R = hi·10^8 + candidate as 17 digits, R in [10^16, 10^17), times 10^(exponent − 16).
  let exponent = k;
  if (hi >= 1e9) {
    // R ≥ 10^17, where h > 5: a multiple of 10.
    const last = hi % 10;
    if (candidate % 10 !== 0) return -1;
    hi = (hi - last) / 10;
    candidate = last * 1e7 + candidate / 10;
    exponent++;
  } else if (hi < 1e8) {
    const shifted = candidate * 10;
    const carry = Math.floor(shifted / 1e8);
    hi = hi * 10 + carry;
    candidate = shifted - carry * 1e8;
    exponent--;
  }
  if (hi < 1e8 || hi >= 1e9) return -1;
  // The digits: hi's nine, then candidate's eight, without the trailing zeros.
  const lead = (hi / 1e8) | 0;
  const rest = hi - lead * 1e8;
  const count = candidate !== 0 ? 17 - trailingZeros(candidate) : rest !== 0 ? 9 - trailingZeros(rest) : 1;
  bytes[at] = 48 + lead;
  if (count > 1) {
    bytes[at + 1] = 46;
    eightDigits(bytes, at + 2, rest);
    if (count > 9) eightDigits(bytes, at + 10, candidate);
    at += count + 1;
  } else at++;
  bytes[at++] = 101;
  if (exponent < 0) {
    bytes[at++] = 45;
    exponent = -exponent;
  }
  if (exponent >= 100) {
    bytes[at++] = 48 + ((exponent / 100) | 0);
    exponent %= 100;
    bytes[at++] = PAIRS[exponent << 1] as number;
    bytes[at++] = PAIRS[(exponent << 1) + 1] as number;
  } else if (exponent >= 10) {
    bytes[at++] = PAIRS[exponent << 1] as number;
    bytes[at++] = PAIRS[(exponent << 1) + 1] as number;
  } else bytes[at++] = 48 + exponent;
  return at;
}

/**
 * The multiple of `m` nearest lo = whole + fraction (`rest` = whole mod m) when it lies
 * within lo ± h; -1 when none does; -2 when a decision falls within the margin (an edge
 * of the interval, or a tie between two).
 */
function nearestWithin(whole: number, rest: number, fraction: number, h: number, m: number): number {
  const above = rest + fraction; // lo's distance above the multiple below it
  const below = m - above; // and below the multiple above it
  const distance = Math.min(above, below);
  if (Math.abs(distance - h) < MARGIN) return -2;
  if (distance > h) return -1;
  if (Math.abs(above - below) < 2 * MARGIN) return -2;
  return above <= below ? whole - rest : whole - rest + m;
}
