/**
 * writeShortest, the batch lanes' number printer, against V8's own shortest digits
 * (`toExponential()`, the digits exactNumber prints): every value it prints must be
 * exactly V8's text, and it must print (not decline) nearly every value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactNumber } from '../../src/io/format.js';
import { writeShortest } from '../../src/io/shortest-digits.js';

const bytes = new Uint8Array(64);
/** What writeShortest prints for `value`, or undefined when it declines. */
function printed(value: number): string | undefined {
  const end = writeShortest(value, bytes, 3);
  return end === -1 ? undefined : Buffer.from(bytes.subarray(3, end)).toString('latin1');
}

/** The double after (or before) `value`, by its bits. */
function neighbour(value: number, step: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) + BigInt(step));
  return view.getFloat64(0);
}

describe('writeShortest (shortest digits without a string)', () => {
  it('prints exactly the digits V8 prints, for any positive double', () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = printed(value);
        if (text !== undefined) expect(text).toBe(exactNumber(value));
      }),
      { seed: 29, numRuns: 20000 },
    );
  });

  it('prints exactly V8 digits for the values batch rows compute, and declines almost none of them', () => {
    let declined = 0;
    let count = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: -3, max: 4 }),
        fc.integer({ min: 0, max: 3 }),
        (a, b, scaleA, scaleB) => {
          const params = a * 10 ** (5 + scaleA); // 52.3B-like, written with four digits
          const tokens = b * 10 ** (7 + scaleB);
          for (const value of [(9.59 * params + 2.3e8) * tokens, params / tokens, Math.sqrt(params / tokens) * 3e-4, (6 * params * tokens) / 1.7]) {
            count++;
            const text = printed(value);
            if (text === undefined) declined++;
            else expect(text).toBe(exactNumber(value));
          }
        },
      ),
      { seed: 31, numRuns: 5000 },
    );
    // Declined: decimals exactly half-way between two doubles (8261229057e9, a whole number
    // an odd multiple of half the spacing), about 1.3% of these, printed by toExponential.
    expect(declined / count).toBeLessThan(0.05);
  });

  it('is exact beside powers of ten, where the digits change length, and declines powers of two', () => {
    for (let k = -279; k <= 279; k += 3) {
      const ten = Number(`1e${k}`);
      let up = ten;
      let down = ten;
      for (let step = 0; step < 6; step++) {
        for (const value of [up, down]) {
          const text = printed(value);
          if (text !== undefined) expect(text).toBe(exactNumber(value));
        }
        up = neighbour(up, 1);
        down = neighbour(down, -1);
      }
      if (k !== 0) expect(printed(ten)).toBe(`1e${k}`);
    }
    for (const power of [2 ** -900, 0.5, 1, 2, 2 ** 52, 2 ** 800]) expect(printed(power)).toBeUndefined();
  });

  it.each([
    [2.184e24, '2.184e24'],
    [0.1 + 0.2, '3.0000000000000004e-1'],
    [1.7931362025e20, '1.7931362025e20'],
    [5e-4, '5e-4'],
    [123456789012345680000, '1.2345678901234568e20'],
    [9.999999999999997e22, '9.999999999999997e22'],
    [Number.MAX_SAFE_INTEGER, '9.007199254740991e15'],
  ])('%d prints as %s', (value, text) => {
    expect(printed(value)).toBe(text);
  });

  it('declines what it does not print: outside [1e-280, 1e280], zero, negatives, non-finite values, and a decimal on the edge of the interval', () => {
    // 1e23 is exactly half-way between two doubles: it reads as the even one, which V8 prints as 1e23.
    expect(exactNumber(1e23)).toBe('1e23');
    for (const value of [1e23, 1e-281, 1e281, Number.MIN_VALUE, Number.MAX_VALUE, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(printed(value)).toBeUndefined();
    }
  });
});
