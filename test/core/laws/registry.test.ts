/**
 * Every preset of the law registry has its file, its test and its mention in the README,
 * and is a valid law file as it stands (presets and fitted laws share one shape); a preset
 * added without one of them fails here.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAW, PRESETS, PRESET_LIST } from '../../../src/core/laws/index.js';
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
