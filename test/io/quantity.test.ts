import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MoeplanError } from '../../src/core/errors.js';
import { NeedsExpressionEngine, isPlainQuantity, loadExpressionEngine, parseQuantity, parseQuantityAsync } from '../../src/io/quantity.js';

const p = (text: string, extra = {}) => parseQuantity(text, { name: '--x', ...extra });

describe('plain numbers and suffixes', () => {
  it.each([
    ['3.1e24', 3.1e24],
    ['52B', 52e9],
    ['52b', 52e9],
    ['52G', 52e9],
    ['7T', 7e12],
    ['16M', 16e6],
    ['800K', 800e3],
    ['800k', 800e3],
    ['1.5P', 1.5e15],
    ['256Ki', 262144],
    ['  42  ', 42],
    ['.5', 0.5],
  ])('%s → %d', (text, value) => {
    expect(p(text)).toBe(value);
    expect(isPlainQuantity(text)).toBe(true);
  });

  it('reads percentages only where a tolerance is meant', () => {
    expect(p('15%', { percent: true })).toBeCloseTo(0.15, 15);
    expect(() => p('15%')).toThrow(/percentage/);
  });

  it.each(['', 'abc', '52BB', '1.5.5', 'NaN', 'Infinity', '1e400', '-5', '0'])('rejects %j naming the flag', (text) => {
    expect(() => p(text)).toThrow(MoeplanError);
    expect(() => p(text)).toThrow(/--x/);
  });

  it('applies min, max and integer', () => {
    expect(() => p('1.5', { integer: true })).toThrow(/whole/);
    expect(() => p('2', { max: 1 })).toThrow(/out of range/);
    expect(p('0', { min: 0, minInclusive: true })).toBe(0);
  });

  it('parses every finite positive double written with toString', () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), (x) => {
        expect(p(String(x))).toBe(x);
      }),
      { seed: 5 },
    );
  });
});

describe('expressions (locked-down mathjs)', () => {
  it('asks for the engine before it is loaded, then evaluates', async () => {
    expect(() => p('6*52e9*7e12')).toThrow(NeedsExpressionEngine);
    expect(await parseQuantityAsync('6*52B*7T', { name: '--flops' })).toBeCloseTo(2.184e24, -12);
  });

  describe('once loaded', () => {
    beforeAll(loadExpressionEngine);
    it.each([
      ['2^10', 1024],
      ['sqrt(16)', 4],
      ['(1+2)*3', 9],
      ['max(1, 2)', 2],
      ['exp(0)', 1],
      ['9.59*52B*7T + 2.3e8*7T', 9.59 * 52e9 * 7e12 + 2.3e8 * 7e12],
    ])('%s = %d', (text, value) => {
      expect(p(text)).toBeCloseTo(value, 6);
    });

    it.each([
      ['import({}, {override: true})', /not allowed/],
      ['createUnit("x")', /not allowed/],
      ['evaluate("1")', /not allowed/],
      ['f(x) = x', /not allowed/],
      ['a = 1', /not allowed|not a number/],
      ['[1, 2]', /not allowed|not a number/],
      ['x.y', /not allowed|not a number/],
      ['pi', /not allowed|not a number/],
      ['1 ? 2 : 3', /not allowed|not a number/],
      [`${'('.repeat(40)}1${')'.repeat(40)}`, /nesting/],
      ['1+'.repeat(150) + '1', /longer than/],
      ['sqrt(-1)', /finite/],
    ])('refuses %s', (text, message) => {
      expect(() => p(text)).toThrow(message);
    });
  });
});
