/**
 * MoeplanError, the error a user fixes: it carries its code and message, and no stack (never
 * shown, and the most expensive part of making one: a batch of bad rows makes one per row).
 */
import { describe, expect, it } from 'vitest';
import { MoeplanError, isMoeplanError } from '../../src/core/errors.js';

describe('MoeplanError', () => {
  it('has its code, message and hint, and no stack frames', () => {
    const error = new MoeplanError('OUT_OF_RANGE', '--params: 0 is out of range', { hint: 'give a positive number', field: '--params' });
    expect([error.code, error.message, error.hint, error.field]).toEqual(['OUT_OF_RANGE', '--params: 0 is out of range', 'give a positive number', '--params']);
    expect(isMoeplanError(error)).toBe(true);
    expect(error.stack ?? '').not.toMatch(/\n\s+at /);
  });

  it('leaves the stack of every other error as it was', () => {
    const limit = Error.stackTraceLimit;
    new MoeplanError('X', 'x');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('a bug').stack).toMatch(/\n\s+at /);
  });
});
