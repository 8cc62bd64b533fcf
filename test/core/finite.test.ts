import { describe, expect, it } from 'vitest';
import { MoeplanError } from '../../src/core/errors.js';
import { representable, requireRepresentable } from '../../src/core/finite.js';
import type { Message } from '../../src/core/messages.js';

const text = (words: string): Message => ({ code: 'text', args: { text: words } });

describe('requireRepresentable', () => {
  it('passes finite non-zero numbers through, negative ones included', () => {
    for (const x of [1, -2.5, 5e-324, 1.7e308]) expect(requireRepresentable(x, text('x'))).toBe(x);
    expect([0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(representable)).toEqual([false, false, false, false]);
  });

  it('names what overflowed, underflowed or is NaN, with a code and the hint', () => {
    const error = (x: number) => {
      try {
        requireRepresentable(x, text('the compute C'), text('check the units'));
      } catch (e) {
        return e as MoeplanError;
      }
      throw new Error('no error');
    };
    expect(error(1e308 * 10)).toMatchObject({ code: 'OVERFLOW', message: 'the compute C is too large to represent (Infinity)', hint: 'check the units' });
    expect(error(1e-320 / 1e10)).toMatchObject({ code: 'UNDERFLOW', message: 'the compute C is too small to represent (it rounds to 0)' });
    expect(error(Number.NaN)).toMatchObject({ code: 'OVERFLOW', message: 'the compute C is not a number (NaN): an intermediate result overflowed' });
    expect(error(0)).toBeInstanceOf(MoeplanError);
    expect(error(Number.NaN).data?.message).toEqual({ code: 'number.nan', args: { what: text('the compute C') } });
  });
});
