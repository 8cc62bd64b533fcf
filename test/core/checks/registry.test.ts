/**
 * Every entry of the check registry has its file, its test, its row in the README and its
 * place in what is derived from the registry (schema, known keys, labels, help); a check
 * added without one of them fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/cli/commands/check.js';
import { checkLabel, formatValue } from '../../../src/cli/report/model.js';
import { CHECKS, CHECK_IDS, CHECK_KINDS } from '../../../src/core/checks/index.js';
import { knownPlanKeys, planJsonSchema } from '../../../src/io/plan-schema.js';

const ROOT = process.cwd();
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const kebab = (id: string) => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const schemaLimits =
  (planJsonSchema().properties as Record<string, { properties: Record<string, { properties: Record<string, unknown> }> }>).limits?.properties ?? {};

/** Every plan field path the schema has, `model.activatedParams`, `training.lr.max`, …. */
function planPaths(prefix: string[] = []): string[] {
  return (knownPlanKeys(prefix) ?? []).flatMap((key) => [[...prefix, key].join('.'), ...planPaths([...prefix, key])]);
}
const PATHS = new Set(planPaths());

it('ids are unique and listed in registry order', () => {
  expect(new Set(CHECK_IDS).size).toBe(CHECKS.length);
  expect(CHECK_IDS).toEqual(CHECKS.map((c) => c.id));
  expect(Object.keys(schemaLimits)).toEqual(CHECK_IDS);
  expect(knownPlanKeys(['limits'])).toEqual(CHECK_IDS);
});

describe.each(CHECKS.map((check) => [check.id, check] as const))('%s', (id, check) => {
  it('lives in its own file and has its own test', () => {
    expect(existsSync(join(ROOT, 'src/core/checks', `${kebab(id)}.ts`))).toBe(true);
    const test = join(ROOT, 'test/core/checks', `${kebab(id)}.test.ts`);
    expect(existsSync(test), `test/core/checks/${kebab(id)}.test.ts`).toBe(true);
    expect(readFileSync(test, 'utf8')).toContain(`'${id}'`);
  });

  it('has its row in the README table of checks', () => {
    expect(README).toContain(`| \`${id}\` | \`${check.kind}\` |`);
  });

  it('gives the schema its limit, and the "did you mean" hints its keys', () => {
    const keys = [check.kind, ...(check.limit.headroom ? ['headroom'] : []), 'level'];
    expect(Object.keys(schemaLimits[id]?.properties ?? {})).toEqual(keys);
    expect(knownPlanKeys(['limits', id])).toEqual(keys);
    expect(CHECK_KINDS[id]).toBe(check.kind);
    if (check.kind === 'max') expect(check.limit.max).toBeDefined();
    else expect(check.limit.max).toBeUndefined();
  });

  it('needs only fields a plan has', () => {
    expect(Object.keys(check.needs).length).toBeGreaterThan(0);
    for (const text of Object.values(check.needs)) {
      const fields = text.match(/\b(?:model|training|hardware|parallelism)(?:\.[A-Za-z]+)+/g) ?? [];
      expect(fields.length, text).toBeGreaterThan(0);
      for (const field of fields) expect(PATHS, field).toContain(field);
    }
  });

  it('has a label, a help line and a value format', () => {
    expect(checkLabel(id)).toBe(check.label);
    expect(check.label).not.toBe('');
    expect(checkCommand.notes).toMatch(new RegExp(`\\b${id}\\b.*\\{ ${check.kind} \\}\\s+${check.help.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(formatValue(id, 1.5)).toMatch(/1\.5/);
  });
});
