/**
 * The law-file schema: a law written by `moeplan fit` or by hand, in the same shape as
 * the presets (`Law` in src/core/laws/types.ts). Strict: an unknown key is an error, and
 * every error names the field's path (e.g. `allocation.params.exponent`).
 *
 * This module imports zod at the top, so it is itself imported only with `await import()`
 * (see `loadLawSchema` in law-file.ts): resolving a preset name never loads zod.
 */
import { z } from 'zod';
import { MoeplanError } from '../core/errors.js';
import type { Law } from '../core/laws/types.js';
import { showValue } from './format.js';

const finite = () => z.number().refine(Number.isFinite, 'must be a finite number');
const positive = () => finite().refine((x) => x > 0, 'must be greater than 0');
const nonNegative = () => finite().refine((x) => x >= 0, 'must be 0 or more');

/** [low, high] with low ≤ high. */
const interval = (item: () => z.ZodType<number>) => z.tuple([item(), item()]).refine(([low, high]) => low <= high, 'must be [low, high] with low ≤ high');

/** A power law y = coefficient·x^exponent; `exponent` checked by the caller. */
const powerLaw = (exponent: z.ZodType<number>) =>
  z.strictObject({
    coefficient: positive(),
    exponent,
    coefficientCi: interval(positive).optional(),
    exponentCi: interval(finite).optional(),
  });

/** Allocation exponents lie strictly between 0 and 1 (both Nopt and Dopt grow with C, slower than C). */
const allocationExponent = () => finite().refine((x) => x > 0 && x < 1, 'must be between 0 and 1 (exclusive)');
const budgetKind = z.enum(['cmin', 'flops']);

const allocation = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('power'),
    budget: budgetKind,
    budgetUnitFlops: positive(),
    params: powerLaw(allocationExponent()),
    tokens: powerLaw(allocationExponent()),
    paramsConversion: z.strictObject({ quantity: z.string().min(1), perParam: positive(), approximate: z.boolean() }).optional(),
    budgetUnitName: z.string().min(1).optional(),
    closureNote: z.string().min(1).optional(),
  }),
  z.strictObject({ kind: z.literal('loss'), budget: budgetKind.optional(), closureNote: z.string().min(1).optional() }),
]);

/**
 * The loss-model kinds (`LossModel` in src/core/laws/types.ts); test/io/law-schema.test.ts
 * checks at the type level that the two cannot drift apart.
 */
export const lossModelSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('chinchilla'),
    E: nonNegative(),
    A: positive(),
    B: positive(),
    alpha: positive(),
    beta: positive(),
  }),
  z.strictObject({
    kind: z.literal('fine-grained-moe'),
    a: positive(),
    alpha: positive(),
    b: positive(),
    beta: positive(),
    g: nonNegative(),
    gamma: finite(),
    c: nonNegative(),
    experts: positive(),
    flops: z.strictObject({ perActiveParam: positive(), routing: nonNegative(), widthPerBlock: positive() }).optional(),
  }),
  z.strictObject({
    kind: z.literal('joint-moe'),
    a: positive(),
    alpha: finite().refine((x) => x < 0, 'must be negative (the law is printed with α < 0)'),
    delta: finite(),
    gamma: finite(),
    b: positive(),
    beta: finite().refine((x) => x < 0, 'must be negative (the law is printed with β < 0)'),
    omega: finite(),
    zeta: finite(),
    eStart: positive(),
    eMax: positive(),
    c: nonNegative(),
  }),
]);

const criticalBatch = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('loss'), bStar: positive(), alphaB: positive() }),
  z.strictObject({
    kind: z.literal('power'),
    budget: budgetKind.optional(),
    budgetUnitFlops: positive(),
    budgetUnitName: z.string().min(1).optional(),
    coefficient: positive(),
    exponent: finite(),
    coefficientCi: interval(positive).optional(),
    exponentCi: interval(finite).optional(),
  }),
]);

const hyperparameterLaw = z.union([
  z.strictObject({
    coefficient: positive(),
    exponent: finite(),
    coefficientCi: interval(positive).optional(),
    exponentCi: interval(finite).optional(),
    budget: budgetKind,
  }),
  z.strictObject({ budget: z.literal('size'), coefficient: positive(), paramsExponent: finite(), tokensExponent: finite() }),
]);

const range = () => interval(positive).optional();

/** The zod schema of a law file. */
export const lawSchema = z
  .strictObject({
    /** Optional pointer to a JSON Schema, ignored. */
    $schema: z.string().optional(),
    name: z.string().min(1),
    title: z.string().optional(),
    source: z.string().min(1),
    compute: z.strictObject({
      paramsTokens: positive(),
      tokens: nonNegative(),
      paramsMeaning: z.enum(['activated', 'non-embedding', 'flops-per-token', 'total-non-embedding']).optional(),
      equation: z.string().min(1).optional(),
    }),
    modelKind: z.enum(['moe', 'dense']).optional(),
    allocation: allocation.optional(),
    loss: lossModelSchema.optional(),
    criticalBatch: criticalBatch.optional(),
    batchSize: hyperparameterLaw.optional(),
    learningRate: hyperparameterLaw.optional(),
    fittedRange: z.strictObject({ cmin: range(), flops: range(), params: range(), tokens: range(), granularity: range(), experts: range() }).optional(),
    /** Free-form provenance (fit settings, data file, date); not interpreted. */
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((law, ctx) => {
    if (law.allocation?.kind === 'loss' && !law.loss) {
      ctx.addIssue({ code: 'custom', path: ['loss'], message: 'is required when allocation.kind is "loss"' });
    }
  });

/**
 * Validate a parsed JSON value as a law; a `MoeplanError` (code `INVALID_LAW`, exit code
 * 2) lists every problem with its field path.
 *
 * @example parseLawObject(JSON.parse(text), 'law.json')
 */
export function parseLawObject(value: unknown, sourceLabel: string): Law {
  const result = lawSchema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.flatMap(describeIssue);
    const first = problems[0] ?? { path: '(law)', text: 'is not a valid law' };
    throw new MoeplanError('INVALID_LAW', `${sourceLabel}: not a valid law file\n${problems.map((p) => `  ${p.path}: ${p.text}`).join('\n')}`, {
      field: first.path,
      hint: 'a law file has name, source, compute { paramsTokens, tokens } and optionally allocation, loss, criticalBatch, fittedRange; `moeplan laws hunyuan --law-file` prints one to start from',
    });
  }
  const { $schema: _schema, ...law } = result.data;
  return { ...law, title: law.title ?? law.name } as Law;
}

interface Problem {
  readonly path: string;
  readonly text: string;
}

function describeIssue(issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path.map(String).join('.');
  const at = (key?: string) => [path, key].filter(Boolean).join('.') || '(law)';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: at(key), text: 'unknown key' }));
    case 'invalid_type':
      if (!('input' in issue) || issue.input === undefined) return [{ path: at(), text: `missing (${withArticle(String(issue.expected))} is required)` }];
      return [{ path: at(), text: `expected ${withArticle(String(issue.expected))}, got ${show(issue.input)}` }];
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options)) {
        return [{ path: at(), text: `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${show(issue.input)}` }];
      }
      return [{ path: at(), text: issue.message }];
    case 'invalid_value':
      return [{ path: at(), text: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${show(issue.input)}` }];
    default:
      return [{ path: at(), text: 'input' in issue && issue.input !== undefined ? `${issue.message}, got ${show(issue.input)}` : issue.message }];
  }
}

function show(value: unknown): string {
  // Not JSON.stringify: it would show Infinity (a JSON number such as 1e400) as null.
  return showValue(value);
}

/** `an object`, `a string`: the article English wants before a type name. */
function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}
