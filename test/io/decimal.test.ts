import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalAt } from '../../src/io/decimal.js';
import { isDecimalText } from '../../src/io/quantity.js';

describe('decimalAt', () => {
  it('reads plain numbers inside a line', () => {
    expect(decimalAt('52e9,7e12', 0, 4)).toBe(52e9);
    expect(decimalAt('52e9,7e12', 5, 9)).toBe(7e12);
    expect(decimalAt('x,0.000125,y', 2, 10)).toBe(0.000125);
    expect(decimalAt('-3.5E+2', 0, 7)).toBe(-350);
  });

  it('reads trailing zeros as a power of ten, not as significant digits', () => {
    for (const text of ['196200000000000000000', '2245000000000000000', '1.500000000000000000000', '91480000000000000000', '5000000000000000000000e-3']) {
      expect(decimalAt(text, 0, text.length), text).toBe(Number(text));
    }
    const more = fc.tuple(fc.integer({ min: 1, max: 999_999_999 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: -20, max: 20 }));
    fc.assert(
      fc.property(more, ([mantissa, zeros, exponent]) => {
        const text = `${mantissa}${'0'.repeat(zeros)}e${exponent}`;
        const value = decimalAt(text, 0, text.length);
        // Read whenever the power of ten is within reach of one exact operation (and the text
        // within 40 characters); else declined.
        const trailing = `${mantissa}${'0'.repeat(zeros)}`.length - `${mantissa}`.replace(/0+$/, '').length;
        if (Math.abs(trailing + exponent) <= 22 && text.length <= 40) expect(value).toBe(Number(text));
        else expect(value === Number(text) || Number.isNaN(value)).toBe(true);
      }),
      { seed: 5, numRuns: 2000 },
    );
  });

  it('declines what it cannot read exactly or what is not a plain number', () => {
    for (const text of ['0.30000000000000004', '1e400', '1e-400', '123456789012345678', '5.', '1e', 'e5', '1.2.3', ' 1', '52B', '', '+', '1e5e5', '0x10']) {
      expect(decimalAt(text, 0, text.length), text).toBeNaN();
    }
  });

  it('is Number(text) exactly whenever it answers, and only for plain decimal text', () => {
    const text = fc.oneof(
      fc.stringMatching(/^[+-]?\d{0,17}(\.\d{0,17})?([eE][+-]?\d{1,3})?$/),
      fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '.', 'e', 'E', '+', '-', ' '), maxLength: 24 }),
      fc.double({ noNaN: true }).map(String),
    );
    fc.assert(
      fc.property(text, fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), (body, before, after) => {
        const value = decimalAt(`${before}${body}${after}`, before.length, before.length + body.length);
        if (!Number.isNaN(value)) {
          expect(isDecimalText(body), body).toBe(true);
          expect(Object.is(value, Number(body)), body).toBe(true);
        }
      }),
      { seed: 3, numRuns: 20000 },
    );
  });
});
