/**
 * The batch fast lane (BatchSpec.fastRow) must print exactly what the general path prints:
 * the same runner with and without it, over random rows, must write the same bytes.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BatchSpec, BatchRunner } from '../../src/cli/batch.js';
import { budgetBatchSpec } from '../../src/cli/commands/budget.js';
import { type Law, PRESETS } from '../../src/core/laws/index.js';

// biome-ignore lint/suspicious/noExplicitAny: any command's spec
type Setup = { defaults: Record<string, string | undefined>; spec: BatchSpec<any> };
const hunyuan = PRESETS.hunyuan as Law;

async function runRows(setup: Setup, text: string): Promise<{ out: string; rows: number; failed: number }> {
  let out = '';
  const sink = {
    write: (chunk: string) => {
      out += chunk;
      return true;
    },
  };
  const runner = new BatchRunner(setup.spec, setup.defaults, false, sink);
  await runner.read({ path: '-', cwd: process.cwd(), stdin: Readable.from([Buffer.from(text)]) });
  return { out, rows: runner.rows, failed: runner.failed };
}

/** A decimal number as people write it, from tiny to huge, sometimes zero or negative. */
const decimal = fc
  .tuple(fc.integer({ min: -2, max: 9_999_999 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -330, max: 330 }), fc.constantFrom('e', 'E', 'e+'))
  .map(([mantissa, dot, exponent, e]) => {
    const digits = String(mantissa);
    const withDot = dot > 0 && dot < digits.length ? `${digits.slice(0, dot)}.${digits.slice(dot)}` : digits;
    return exponent === 0 ? withDot : `${withDot}${e}${exponent}`;
  });
const field = fc.oneof(
  { weight: 12, arbitrary: decimal },
  { weight: 1, arbitrary: fc.constantFrom('52B', '7T', '', ' 1', '1e400', 'NaN', '.5', '5.', '-0', '+3', '1e', '6*8B', '0x10', '"1"') },
);
const row = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(field, field).map(([a, b]) => `${a},${b}`) },
  { weight: 1, arbitrary: fc.constantFrom('1,2,3', '1', '', '1e9,7e12,', ',', '"1,5",7T') },
);

describe('batch fast lane', () => {
  it('budget: the same output, row for row, as the general path', async () => {
    const setup: Setup = { defaults: {}, spec: budgetBatchSpec(hunyuan) };
    expect(setup.spec.fastRow).toBeTypeOf('function');
    const general: Setup = { defaults: setup.defaults, spec: { ...setup.spec, fastRow: undefined } };
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 60 }), fc.constantFrom('params,tokens', 'tokens,params'), async (rows, header) => {
        const text = `${header}\n${rows.join('\n')}\n`;
        const fast = await runRows(setup, text);
        const slow = await runRows(general, text);
        expect(fast.out).toBe(slow.out);
        expect([fast.rows, fast.failed]).toEqual([slow.rows, slow.failed]);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('takes the fast lane for plain rows and prints every digit', async () => {
    const setup: Setup = { defaults: {}, spec: budgetBatchSpec(hunyuan) };
    let calls = 0;
    const fastRow = setup.spec.fastRow?.bind(setup.spec);
    const counting: Setup = {
      defaults: setup.defaults,
      spec: {
        ...setup.spec,
        fastRow: (...args: Parameters<NonNullable<typeof fastRow>>) => {
          const inner = fastRow?.(...args);
          return (
            inner &&
            ((values: readonly number[]) => {
              calls++;
              return inner(values);
            })
          );
        },
      },
    };
    const r = await runRows(counting, 'params,tokens\n52e9,7e12\n52B,7T\n');
    expect(calls).toBe(1); // 52B,7T has suffixes: the general path
    expect(r.out.split('\n')[1]).toBe('2,52e9,7e12,3.49237e24,');
    // The general path prints the same: resolved inputs and results in scientific notation.
    expect(r.out.split('\n')[2]).toBe('3,5.2e10,7e12,3.49237e24,');
  });

  it('is off when hardware columns are asked for', () => {
    const spec = budgetBatchSpec(hunyuan);
    expect(spec.fastRow?.(['params', 'tokens'], new Set(['params', 'tokens', 'gpu', 'mfu']), ['flops', 'gpu_hours'])).toBeUndefined();
  });
});
