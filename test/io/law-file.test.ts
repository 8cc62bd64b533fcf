import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MoeplanError } from '../../src/core/errors.js';
import { PRESETS } from '../../src/core/laws/index.js';
import { loadLawSchema, parseLawObject, resolveLaw } from '../../src/io/law-file.js';

const dir = mkdtempSync(join(tmpdir(), 'moeplan-law-'));
const write = (name: string, value: unknown) => {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  return name;
};

/** The shape `moeplan fit --out` writes. */
const fitted = {
  name: 'my-fit',
  title: 'isoFLOP fit of runs.csv',
  source: 'moeplan fit runs.csv',
  compute: { paramsTokens: 6, tokens: 0, paramsMeaning: 'activated' },
  allocation: {
    kind: 'power',
    budget: 'cmin',
    budgetUnitFlops: 1,
    params: { coefficient: 0.08, exponent: 0.49, coefficientCi: [0.05, 0.12], exponentCi: [0.46, 0.53] },
    tokens: { coefficient: 2.1, exponent: 0.51, coefficientCi: [1.4, 3.3], exponentCi: [0.48, 0.53] },
  },
  fittedRange: { cmin: [6e18, 3e21], params: [7e7, 1.6e10], tokens: [5e9, 5e11] },
};

async function rejection(value: unknown): Promise<MoeplanError> {
  const file = write(`bad-${Math.random().toString(36).slice(2)}.json`, value);
  try {
    await resolveLaw(file, { cwd: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(MoeplanError);
    return error as MoeplanError;
  }
  throw new Error('expected the law file to be rejected');
}

describe('resolveLaw', () => {
  it('resolves preset names case-insensitively and defaults to hunyuan', async () => {
    expect(await resolveLaw('Chinchilla', { cwd: dir })).toBe(PRESETS.chinchilla);
    expect(await resolveLaw(undefined, { cwd: dir })).toBe(PRESETS.hunyuan);
  });

  it('loads a law file in the shape `fit` writes', async () => {
    const law = await resolveLaw(write('fit.json', fitted), { cwd: dir });
    expect(law.name).toBe('my-fit');
    expect(law.allocation).toMatchObject({ kind: 'power', params: { exponent: 0.49, exponentCi: [0.46, 0.53] } });
    expect(law.fittedRange?.cmin).toEqual([6e18, 3e21]);
  });

  it('validates every preset against the law-file schema (presets and files share one shape)', async () => {
    await loadLawSchema();
    for (const [name, law] of Object.entries(PRESETS)) {
      expect(parseLawObject(JSON.parse(JSON.stringify(law)), name)).toEqual(law);
    }
  });

  it('rejects missing fields, naming them', async () => {
    const { compute: _compute, ...noCompute } = fitted;
    const error = await rejection(noCompute);
    expect(error.code).toBe('INVALID_LAW');
    expect(error.field).toBe('compute');
    expect(error.message).toMatch(/compute: missing/);
    const noExponent = structuredClone(fitted) as { allocation: { tokens: Partial<{ exponent: number }> } };
    delete noExponent.allocation.tokens.exponent;
    expect((await rejection(noExponent)).message).toMatch(/allocation\.tokens\.exponent: missing/);
  });

  it('rejects negative and out-of-range exponents and coefficients with the field path', async () => {
    const bad = structuredClone(fitted);
    bad.allocation.params.exponent = -0.5;
    const error = await rejection(bad);
    expect(error.field).toBe('allocation.params.exponent');
    expect(error.message).toMatch(/allocation\.params\.exponent: must be between 0 and 1.*-0\.5/);
    const big = structuredClone(fitted);
    big.allocation.tokens.exponent = 1.2;
    expect((await rejection(big)).field).toBe('allocation.tokens.exponent');
    const negative = structuredClone(fitted);
    negative.allocation.params.coefficient = -1;
    expect((await rejection(negative)).field).toBe('allocation.params.coefficient');
    const reversed = structuredClone(fitted);
    reversed.allocation.params.exponentCi = [0.53, 0.46];
    expect((await rejection(reversed)).field).toBe('allocation.params.exponentCi');
  });

  it('rejects unknown keys with their path', async () => {
    const error = await rejection({ ...fitted, allocation: { ...fitted.allocation, params: { ...fitted.allocation.params, slope: 1 } } });
    expect(error.field).toBe('allocation.params.slope');
    expect(error.message).toMatch(/allocation\.params\.slope: unknown key/);
    expect((await rejection({ ...fitted, colour: 'red' })).field).toBe('colour');
  });

  it('rejects a bad kind, a loss allocation without a loss model, bad JSON, and unknown names', async () => {
    expect((await rejection({ ...fitted, allocation: { ...fitted.allocation, kind: 'spline' } })).message).toMatch(
      /allocation\.kind: must be one of "power", "loss"/,
    );
    expect((await rejection({ ...fitted, allocation: { kind: 'loss' } })).field).toBe('loss');
    expect((await rejection('{ "name": ')).message).toMatch(/not valid JSON/);
    await expect(resolveLaw('chinchila', { cwd: dir })).rejects.toMatchObject({ code: 'UNKNOWN_LAW' });
    await expect(resolveLaw('./missing.json', { cwd: dir })).rejects.toMatchObject({ code: 'UNREADABLE_LAW' });
  });
});

describe('law file messages', () => {
  it('write "an object", not "a object"', async () => {
    const { loadLawSchema, parseLawObject } = await import('../../src/io/law-file.js');
    await loadLawSchema();
    let message = '';
    try {
      parseLawObject({ name: 'x', title: 'x', source: 'x', compute: 5 }, 'law');
    } catch (error) {
      message = String((error as Error).message) + String((error as { hint?: string }).hint ?? '');
    }
    expect(message).toMatch(/an object/);
    expect(message).not.toMatch(/\ba object\b/);
  });
});
