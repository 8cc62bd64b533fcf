import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MoeplanError } from '../../src/core/errors.js';
import { NeedsExpressionEngine, isPlainQuantity, loadExpressionEngine, parseQuantity, parseQuantityAsync, rewriteSuffixes } from '../../src/io/quantity.js';

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

    it('quotes the expression as typed and points into it, not into the rewritten text', () => {
      const message = (text: string) => {
        try {
          p(text);
        } catch (error) {
          return (error as Error).message;
        }
        throw new Error(`${text} was accepted`);
      };
      const percent = message('2048*989T*40%*60*86400');
      expect(percent).toBe('--x: "2048*989T*40%*60*86400" contains "%" at character 13, which is not allowed in a quantity');
      expect(() => p('2048*989T*40%*60*86400')).toThrow(expect.objectContaining({ hint: expect.stringMatching(/40% is 0\.4/) }));
      // mathjs reports "(char N)" of what it parsed; the message gives the typed position.
      expect(message('6*52B*7T*')).toBe('--x: "6*52B*7T*" is not a number or an expression (Unexpected end of expression (character 10))');
      expect(message('52B*(7T')).toMatch(/^--x: "52B\*\(7T" is not a number or an expression \(Parenthesis \) expected \(character 8\)\)$/);
      expect(message('52B*pi')).toMatch(/^--x: "52B\*pi" uses the name "pi"/);
      expect(message('sqrt(-1T)')).not.toMatch(/1000000000000/);
    });

    it('maps positions of the rewritten text back to what was typed', () => {
      const { rewritten, written } = rewriteSuffixes('6*52B+7T');
      expect(rewritten).toBe('6*(52*1000000000)+(7*1000000000000)');
      for (const [char, typed] of [
        ['+', 5],
        ['6', 0],
        ['5', 2],
        ['2', 3],
        ['7', 6],
      ] as const) {
        expect(written.position(rewritten.indexOf(char)), char).toBe(typed);
      }
      expect(written.position(rewritten.length - 1)).toBe(7);
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
      [`${'1+'.repeat(150)}1`, /longer than/],
      ['sqrt(-1)', /finite/],
    ])('refuses %s', (text, message) => {
      expect(() => p(text)).toThrow(message);
    });
  });
});
