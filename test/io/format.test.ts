import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiOut } from '../../src/io/ascii-out.js';
import { type WrittenDigits, exactNumber, group, money, percent, sci, si, trimNumber } from '../../src/io/format.js';
import { quantityDigitsAt } from '../../src/io/quantity.js';

/** Reads an `si()` text back: `52.14B` → 52.14e9. */
function readSi(text: string): { mantissa: number; scale: number } {
  if (/e/.test(text)) return { mantissa: Number(text), scale: 1 };
  const match = /^(-?[\d.]+)([KMBTP]?)$/.exec(text);
  if (!match) throw new Error(`not an si text: ${text}`);
  const scale = { '': 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12, P: 1e15 }[match[2] as string] as number;
  return { mantissa: Number(match[1]), scale };
}

describe('sci', () => {
  it.each([
    [3.4924e24, 5, '3.4924e24'],
    [2.184e24, 5, '2.184e24'],
    [0.00031, 5, '3.1e-4'],
    [9.99996e3, 4, '1e4'],
    [-1.5e-7, 3, '-1.5e-7'],
    [0, 5, '0'],
    [1, 5, '1e0'],
  ])('sci(%d, %d) = %s', (value, digits, text) => {
    expect(sci(value, digits)).toBe(text);
  });
});

describe('si', () => {
  it.each([
    [52.14e9, 4, '52.14B'],
    [7e12, 4, '7T'],
    [800, 4, '800'],
    [999.6e9, 4, '999.6B'], // not 0.9996T
    [996e9, 2, '1T'], // not 1000B: the rounding carries into the next suffix
    [999.96e9, 4, '1T'],
    [999_950, 4, '1M'],
    [999_940, 4, '999.9K'],
    [1e18, 4, '1e18'],
    [0.0005, 4, '5e-4'],
    [-52e9, 4, '-52B'],
  ])('si(%d, %d) = %s', (value, digits, text) => {
    expect(si(value, digits)).toBe(text);
  });

  it('has a mantissa in [1, 1000) and stays within the rounding of the value, for any count', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 9.99e17, noNaN: true }), fc.integer({ min: 1, max: 6 }), (value, digits) => {
        const { mantissa, scale } = readSi(si(value, digits));
        if (scale > 1) {
          expect(mantissa).toBeGreaterThanOrEqual(1);
          expect(mantissa).toBeLessThan(1000);
        }
        // Rounding to `digits` significant digits moves a value by at most half a unit of the last digit.
        expect(Math.abs(mantissa * scale - value) / value).toBeLessThanOrEqual(0.5 * 10 ** (1 - digits) * (1 + 1e-9));
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
});

describe('trimNumber (people)', () => {
  it.each([
    [6676000, 4, '6.676e6'], // tokens per param of a tiny model: not 6676000
    [0.1236, 4, '0.1236'],
    [35880, 4, '35880'],
    [0.000015625, 4, '1.563e-5'],
    [0.000029999999999999997, 4, '3e-5'], // no floating-point noise
    [9.996, 4, '9.996'],
    [999_999.9, 4, '1e6'],
    [0, 4, '0'],
  ])('trimNumber(%d, %d) = %s', (value, digits, text) => {
    expect(trimNumber(value, digits)).toBe(text);
  });

  it('never prints more than `digits` significant digits, nor more than 10 characters for 4 digits', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e300, max: 1e300, noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = trimNumber(value, 4);
        expect(text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length).toBeLessThanOrEqual(4);
        expect(text.length).toBeLessThanOrEqual(11);
      }),
      { seed: 5, numRuns: 2000 },
    );
  });
});

describe('percent and money', () => {
  it.each([
    [0.4312, '43.1%'],
    [0.0000156, '0.00156%'],
    [62500, '62500×'], // not 6250000%
    [6.4e6, '6.4e6×'],
    [1.5e-7, '1.5e-5%'],
  ])('percent(%d) = %s', (fraction, text) => {
    expect(percent(fraction)).toBe(text);
  });
  it('signs and money', () => {
    expect(percent(0.25, 3, true)).toBe('+25%');
    expect(money(6130500)).toBe('$6.13M');
    expect(money(999.6e6)).toBe('$1B');
    expect(group(1638400)).toBe('1,638,400');
  });
});

describe('exactNumber (programs)', () => {
  it.each([
    [1.964e20, '1.964e20'],
    [3.49237e24, '3.49237e24'],
    [0.4, '4e-1'],
    [0.000029999999999999997, '2.9999999999999997e-5'],
    [52e9, '5.2e10'],
    [0, '0'],
    [-2.5, '-2.5e0'],
  ])('exactNumber(%d) = %s', (value, text) => {
    expect(exactNumber(value)).toBe(text);
  });

  it('reads back as the same double, in one notation, and is never longer than the shortest form needs', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = exactNumber(value);
        expect(Object.is(Number(text), value === 0 ? 0 : value) || (value === 0 && Number(text) === 0)).toBe(true);
        if (value !== 0) expect(text).toMatch(/^-?\d(?:\.\d+)?e-?\d+$/);
        // As many significant digits as JavaScript's own shortest round-trip form.
        const digits = (t: string) => t.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
        expect(digits(text)).toBe(digits(value.toExponential()));
      }),
      { seed: 3, numRuns: 5000 },
    );
  });
});

/** A number as people write it in a batch file: `171.5M`, `0.000507`, `2.5e3K`, `15%`, `-0.0120e-7`. */
const written = fc
  .tuple(
    fc.constantFrom('', '', '-', '+'),
    fc.constantFrom('', '0', '00'),
    fc.bigInt({ min: 0n, max: 10n ** 18n }),
    fc.integer({ min: 0, max: 19 }),
    fc.constantFrom('', '', 'e5', 'e-7', 'E12', 'e+3', 'e-30', 'e300', 'e22'),
    fc.constantFrom('', '', 'K', 'M', 'B', 'G', 'T', 'P', 'k', 'ki', '%'),
  )
  .map(([sign, zeros, digits, dot, exponent, suffix]) => {
    const text = `${zeros}${digits}`;
    const withDot = dot === 0 ? text : dot >= text.length ? `${text}.` : `${text.slice(0, dot)}.${text.slice(dot)}`;
    return `${sign}${withDot}${exponent}${suffix}`;
  });

/** A number read from `line[start, end)` as the batch lanes print it: from its written digits when they are its shortest form. */
function printedFromDigits(line: string, start: number, end: number): { value: number; text: string } {
  const digits: WrittenDigits = { negative: false, first: 0, last: 0, point: -1, significant: 0, exponent: 0 };
  const value = quantityDigitsAt(line, start, end, true, digits);
  const out = new AsciiOut();
  if (digits.significant > 0) out.written(line, digits);
  else out.exact(value);
  return { value, text: out.take().toString('latin1') };
}

describe('AsciiOut (a number printed from the digits it was read from)', () => {
  it.each([
    ['52B', '5.2e10'],
    ['7T', '7e12'],
    ['171.5M', '1.715e8'],
    ['15%', '1.5e-1'],
    ['0.000507', '5.07e-4'],
    ['95650000000', '9.565e10'],
    ['6.458B', '6.458e9'],
    ['1.962e+20', '1.962e20'],
    ['-0.50', '-5e-1'],
  ])('%s prints as %s', (text, expected) => {
    expect(printedFromDigits(`x,${text},y`, 2, 2 + text.length).text).toBe(expected);
  });

  it('is exactNumber of the value read, whatever the text, from its digits or from the double', () => {
    fc.assert(
      fc.property(written, fc.constantFrom('', 'a,', '9'), (text, before) => {
        const line = `${before}${text},`;
        const start = before.length;
        const { value, text: printed } = printedFromDigits(line, start, start + text.length);
        if (Number.isNaN(value)) return;
        expect(printed).toBe(exactNumber(value));
        const out = new AsciiOut();
        out.exact(value);
        expect(out.take().toString('latin1')).toBe(exactNumber(value));
      }),
      { seed: 11, numRuns: 4000 },
    );
  });

  it('AsciiOut writes whole numbers and text as String does, and grows as needed', () => {
    const out = new AsciiOut();
    const expected: string[] = [];
    for (let i = 0; i < 30000; i++) {
      const n = i % 7 === 0 ? 10 ** (i % 16) : i * 7919;
      out.whole(n);
      out.char(44);
      out.text('ab');
      expected.push(`${n},ab`);
    }
    expect(out.take().toString('latin1')).toBe(expected.join(''));
    expect(out.take().toString('latin1')).toBe('');
  });

  it('AsciiOut counts line numbers up in place, carries included, as String writes them', () => {
    const out = new AsciiOut();
    const expected: string[] = [];
    const numbers = [...Array.from({ length: 1200 }, (_, i) => i), 5, 6, 99999, 100000, 100001, 10 ** 15 - 1, 10 ** 15, 7];
    for (const n of numbers) {
      out.whole(n);
      out.char(10);
      expected.push(`${n}\n`);
    }
    expect(out.take().toString('latin1')).toBe(expected.join(''));
  });
});
