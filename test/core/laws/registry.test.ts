/**
 * Every preset of the law registry has its file, its test and its mention in the README,
 * and is a valid law file as it stands (presets and fitted laws share one shape); a preset
 * added without one of them fails here.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPUTE_MODEL_LAWS, DEFAULT_LAW, DEFAULT_LOSS_LAW, PRESETS, PRESET_LIST, isComputeModelOnly } from '../../../src/core/laws/index.js';
import { parseLawObject } from '../../../src/io/law-schema.js';

const ROOT = process.cwd();
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const TESTS = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => readFileSync(join(ROOT, 'test', file), 'utf8'));

it('names are unique, the default is one of them', () => {
  expect(new Set(PRESET_LIST.map((law) => law.name)).size).toBe(PRESET_LIST.length);
  expect(Object.keys(PRESETS)).toEqual(PRESET_LIST.map((law) => law.name));
  expect(PRESETS[DEFAULT_LAW]).toBeDefined();
});

it('the default loss law has a loss model, and no preset before it has one', () => {
  const at = PRESET_LIST.findIndex((law) => law.name === DEFAULT_LOSS_LAW);
  expect(PRESET_LIST[at]?.loss).toBeDefined();
  expect(PRESET_LIST.slice(0, at).some((law) => law.loss)).toBe(false);
});

it('the compute models a fit can take: the default law first, then compute-only presets, each its own C(N, D) in activated N', () => {
  expect(COMPUTE_MODEL_LAWS[0]?.name).toBe(DEFAULT_LAW);
  expect(COMPUTE_MODEL_LAWS.length).toBeGreaterThan(1);
  for (const law of COMPUTE_MODEL_LAWS.slice(1)) {
    expect(law.allocation ?? law.loss ?? law.criticalBatch ?? law.batchSize ?? law.learningRate, law.name).toBeUndefined();
    expect(isComputeModelOnly(law)).toBe(true);
  }
  // A fit's N is the runs' activated parameters; and fit tells the models apart by the runs' C.
  for (const law of COMPUTE_MODEL_LAWS) expect(law.compute.paramsMeaning, law.name).toBe('activated');
  const models = COMPUTE_MODEL_LAWS.map((law) => `${law.compute.paramsTokens}|${law.compute.tokens}`);
  expect(new Set(models).size).toBe(models.length);
  // every compute-only preset is a choice
  for (const law of PRESET_LIST.filter(isComputeModelOnly)) expect(COMPUTE_MODEL_LAWS).toContain(law);
});

describe.each(PRESET_LIST.map((law) => [law.name, law] as const))('%s', (name, law) => {
  it('lives in its own file, with its source in a doc comment, and has its own tests', () => {
    const file = join(ROOT, 'src/core/laws', `${name}.ts`);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/\/\*\*[\s\S]*?\*\/\s*export const/);
    // test/core/laws/<name>.test.ts, or a describe block of its own elsewhere.
    expect(
      TESTS.some((text) => text.includes(`describe('${name}'`) || text.includes(`describe('${name} `)),
      `a describe('${name}' block`,
    ).toBe(true);
  });

  it('is in the README', () => {
    expect(README).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('is a law file as it stands (JSON and back)', () => {
    expect(parseLawObject(JSON.parse(JSON.stringify(law)), name)).toEqual(law);
  });
});

it('every preset says the kind of model it was made for (a model of the other kind priced with it gets a note)', () => {
  for (const law of PRESET_LIST) expect(law.modelKind, law.name).toMatch(/^(moe|dense)$/);
});
