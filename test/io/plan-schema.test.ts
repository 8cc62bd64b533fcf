import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { CHECK_IDS } from '../../src/core/checks/index.js';
import { planJsonSchema } from '../../src/io/plan-schema.js';
import { parsePlanText } from '../../src/io/plan-file.js';
import { built } from '../helpers/loaded.js';

const schema = planJsonSchema();
// An independent validator: ajv compiles the published JSON Schema (draft 2020-12).
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: false, allErrors: true });
const validate = ajv.compile(schema);

const PLANS = join(process.cwd(), 'examples/plans');
const examples = readdirSync(PLANS).filter((f) => /\.(ya?ml|json)$/.test(f));

describe('the published JSON Schema', () => {
  it('is draft 2020-12 with quantities as number | string and strict objects', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const props = schema.properties as Record<string, { properties?: Record<string, unknown>; additionalProperties?: boolean }>;
    expect(props.training?.additionalProperties).toBe(false);
    const tokens = props.training?.properties?.tokens as { anyOf: Array<{ type: string }> };
    expect(tokens.anyOf.map((t) => t.type)).toEqual(['number', 'string']);
    // one limit per check of the registry, in its order
    expect(Object.keys(props.limits?.properties ?? {})).toEqual(CHECK_IDS);
  });

  it.each(examples)('validates examples/plans/%s (ajv), as the tool does', async (file) => {
    const text = readFileSync(join(PLANS, file), 'utf8');
    const data = parseDocument(text).toJS();
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    await expect(parsePlanText(text, { file, baseDir: PLANS })).resolves.toBeDefined();
  });

  it('rejects what the tool rejects structurally: unknown keys, wrong types, bad levels, missing limits', async () => {
    const bad = [
      { limits: {}, extra: 1 },
      { limits: { flops: { max: 1, level: 'fatal' } } },
      { limits: { flops: { maximum: 1 } } },
      { model: { experts: true }, limits: {} },
      { hardware: { gpu: 'v100' }, limits: {} },
      { name: 'no limits' },
    ];
    for (const plan of bad) {
      expect(validate(plan), JSON.stringify(plan)).toBe(false);
      await expect(parsePlanText(JSON.stringify(plan), { file: 'p.json', baseDir: PLANS })).rejects.toThrow();
    }
  });

  it('leaves quantity text to the tool (a schema cannot evaluate "7T")', () => {
    expect(validate({ training: { tokens: '7T' }, limits: {} })).toBe(true);
  });

  it('is the file the build ships (dist/plan.schema.json)', () => {
    expect(built, 'npm run build first').toBe(true);
    const shipped = JSON.parse(readFileSync(join(process.cwd(), 'dist/plan.schema.json'), 'utf8'));
    expect(shipped).toEqual(schema);
  });
});
