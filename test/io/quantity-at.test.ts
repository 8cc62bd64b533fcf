/**
 * quantityAt, the batch rows' quantity reader, against parseQuantity, the general parser:
 * whatever it reads must be the same double, and what it cannot read it must decline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiOut } from '../../src/io/ascii-out.js';
import { type WrittenDigits, exactNumber } from '../../src/io/format.js';
import { NeedsExpressionEngine, parseQuantity, quantityAt, quantityDigitsAt } from '../../src/io/quantity.js';

/** parseQuantity's value, or undefined when it throws (bad input, out of range, an expression). */
function general(text: string, percent: boolean): number | undefined {
  try {
    // Every value allowed, so that only reading is compared (the range check is the caller's).
    return parseQuantity(text, { name: 'x', min: Number.NEGATIVE_INFINITY, minInclusive: true, percent });
  } catch (error) {
    if (error instanceof NeedsExpressionEngine || (error as { code?: string }).code !== undefined) return undefined;
    throw error;
  }
}

const mantissa = fc
  .tuple(
    fc.constantFrom('', '+', '-'),
    fc.stringMatching(/^\d{0,20}$/),
    fc.constantFrom('', '.'),
    fc.stringMatching(/^\d{0,20}$/),
    fc.oneof(
      fc.constant(''),
      fc.tuple(fc.constantFrom('e', 'E', 'e+', 'e-', 'E-'), fc.integer({ min: 0, max: 400 })).map(([e, x]) => `${e}${x}`),
    ),
  )
  .map((parts) => parts.join(''));
const suffix = fc.constantFrom('', '', 'k', 'K', 'm', 'M', 'b', 'B', 'g', 'G', 't', 'T', 'p', 'P', 'ki', 'Ki', 'Mi', 'gi', 'TI', 'Bi', 'pi', 'x', 'e', 'i');
const quantityText = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(mantissa, suffix, fc.constantFrom('', '', '%')).map((parts) => parts.join('')) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '52B',
      '7T',
      '16M',
      '15%',
      '0.30000000000000004',
      '1e400',
      '1e-400',
      '1e308K',
      ' 1',
      '1 ',
      '6*8B',
      '%',
      'B',
      'Ki',
      '.5',
      '5.',
      '+.5e3T',
      '-0',
      '1e',
      '1e+',
      '0x10',
      'NaN',
      'Infinity',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

describe('quantityAt', () => {
  it('reads the same double as parseQuantity, or declines', () => {
    fc.assert(
      fc.property(quantityText, fc.boolean(), fc.constantFrom('', 'x,'), (text, percent, before) => {
        const line = `${before}${text},9`;
        const fast = quantityAt(line, before.length, before.length + text.length, percent);
        if (Number.isNaN(fast)) return; // declined: the general path reads it
        // An overflow to infinity is read, and left to the range check, which rejects it.
        if (!Number.isFinite(fast)) expect(general(text, percent)).toBeUndefined();
        else expect(Object.is(fast, general(text, percent))).toBe(true);
      }),
      { seed: 19, numRuns: 5000 },
    );
  });

  it('reads every suffix and the percent sign', () => {
    const read = (text: string, percent = false) => quantityAt(text, 0, text.length, percent);
    expect(read('52B')).toBe(52e9);
    expect(read('7T')).toBe(7e12);
    expect(read('16M')).toBe(16e6);
    expect(read('800k')).toBe(800e3);
    expect(read('2P')).toBe(2e15);
    expect(read('4Ki')).toBe(4096);
    expect(read('1gi')).toBe(2 ** 30);
    expect(read('15%', true)).toBe(0.15);
    expect(read('0.30000000000000004')).toBe(0.1 + 0.2);
  });

  it('declines what only the general path may read or reject', () => {
    const read = (text: string, percent = false) => quantityAt(text, 0, text.length, percent);
    for (const text of ['15%', ' 1', '6*8B', '5.', '1Bi', 'B', '', '1e', '1x', `${'1'.repeat(41)}`]) expect(read(text)).toBeNaN();
  });
});

describe('quantityDigitsAt (the value and its shortest digits in one pass)', () => {
  const into = (): WrittenDigits => ({ negative: false, first: 0, last: 0, point: -1, significant: 7, exponent: 0 });

  it('reads the same double as quantityAt, and its digits, when it gives them, print as exactNumber of it', () => {
    fc.assert(
      fc.property(quantityText, fc.boolean(), fc.constantFrom('', 'x,'), (text, percent, before) => {
        const line = `${before}${text},9`;
        const end = before.length + text.length;
        const digits = into();
        const value = quantityDigitsAt(line, before.length, end, percent, digits);
        expect(Object.is(value, quantityAt(line, before.length, end, percent))).toBe(true);
        if (digits.significant === 0) return;
        const out = new AsciiOut();
        out.written(line, digits);
        expect(out.take().toString('latin1')).toBe(exactNumber(value));
      }),
      { seed: 23, numRuns: 8000 },
    );
  });

  it.each([
    ['171.5M', 1.715e8, '1.715e8'],
    ['6.458B', 6.458e9, '6.458e9'],
    ['95.65B', 9.565e10, '9.565e10'],
    ['1.962e+20', 1.962e20, '1.962e20'],
    ['4.506M', 4.506e6, '4.506e6'],
    ['2245P', 2.245e18, '2.245e18'],
    ['-0.50', -0.5, '-5e-1'],
    ['15%', 0.15, '1.5e-1'],
  ])('%s: %d, its digits written as %s', (text, value, printed) => {
    const digits = into();
    expect(quantityDigitsAt(text, 0, text.length, true, digits)).toBe(value);
    expect(digits.significant).toBeGreaterThan(0);
    const out = new AsciiOut();
    out.written(text, digits);
    expect(out.take().toString('latin1')).toBe(printed);
  });

  it('gives no digits where the written ones are not the shortest form of the value read', () => {
    // A binary suffix, more than 15 significant digits, zero.
    for (const text of ['4Ki', '0.30000000000000004', '0', '1.0000000000000002e3']) {
      const digits = into();
      quantityDigitsAt(text, 0, text.length, false, digits);
      expect(digits.significant).toBe(0);
    }
    // A product that rounds: some 3-digit mantissa with a suffix is not the decimal it stands for.
    let rounded = 0;
    for (let m = 100; m < 1000; m++) {
      const text = `${m / 100}B`;
      const digits = into();
      const value = quantityDigitsAt(text, 0, text.length, false, digits);
      if (value !== Number(`${m / 100}e9`)) {
        rounded++;
        expect(digits.significant).toBe(0);
      } else expect(digits.significant).toBeGreaterThan(0);
    }
    expect(rounded).toBeGreaterThan(0);
  });
});
