/**
 * The expression sandbox (src/io/expression-engine.ts): what it refuses, that it refuses
 * before anything is evaluated, and the mathjs it is built on.
 *
 * `npm audit` cannot be part of the test command here (the registry's advisories
 * endpoint answers 405 on this network), so the pin itself is tested: mathjs is pinned to
 * one exact version, the installed copy is that version, and it is not older than 15.2.0.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MoeplanError } from '../../src/core/errors.js';
import { ALLOWED_FUNCTIONS, MAX_DEPTH, MAX_EXPRESSION_LENGTH, evaluateExpression } from '../../src/io/expression-engine.js';
import { FIXTURES, REPO } from './support.js';

// Record every expression tree mathjs compiles (the step before evaluation).
const compiled = vi.hoisted(() => [] as string[]);
vi.mock('mathjs', async (importOriginal) =>
  (await import('../helpers/mathjs-spy.js')).recordingCompiles(await importOriginal<typeof import('mathjs')>(), compiled),
);

function refusal(text: string): MoeplanError {
  try {
    evaluateExpression(text, '--params');
  } catch (error) {
    if (error instanceof MoeplanError) return error;
    throw error;
  }
  throw new Error(`"${text}" was evaluated`);
}

describe('the expression sandbox', () => {
  it('evaluates numbers, the four operations, powers, parentheses, unary minus and the whitelisted functions', () => {
    expect(ALLOWED_FUNCTIONS).toEqual(['sqrt', 'log', 'exp', 'min', 'max']);
    expect(evaluateExpression('-(2^10 - 24) / 4 * 3 + sqrt(16) + log(exp(2)) + min(1, 2) + max(1, 2)', '--x')).toBeCloseTo(-750 + 4 + 2 + 1 + 2, 9);
    expect(compiled.length).toBeGreaterThan(0);
  });

  it.each([
    ['import(x, y)', /uses the function "import", which is not allowed/],
    ['createUnit(x)', /uses the function "createUnit"/],
    ['evaluate(x)', /uses the function "evaluate"/],
    ['parse(x)', /uses the function "parse"/],
    ['compile(x)', /uses the function "compile"/],
    ['x = 1', /contains "=" \(assignments and function definitions\)/],
    ['f(x) = x^2', /contains "=" \(assignments and function definitions\)/],
    ['sqrt(4).constructor', /uses property access/],
    ['a.b', /uses property access/],
    ['[1, 2]', /contains "\[" \(matrices\)/],
    ['{a: 1}', /contains "\{" \(objects\)/],
    ['1:3', /contains ":" \(ranges\)/],
    ['1 ? 2 : 3', /contains "\?" \(conditionals\)/],
    ['"x"', /contains """ \(strings\)/],
    ['pi * 2', /uses the name "pi" \(only numbers and sqrt, log, exp, min, max are allowed\)/],
    ['cos(1)', /uses the function "cos"/],
    ['1 mod 2', /uses the operator "mod"|is not a number or an expression/],
    [`${'('.repeat(MAX_DEPTH + 1)}1${')'.repeat(MAX_DEPTH + 1)}`, new RegExp(`more than ${MAX_DEPTH} levels of nesting`)],
    [`${'1+'.repeat(MAX_EXPRESSION_LENGTH / 2)}1`, new RegExp(`longer than ${MAX_EXPRESSION_LENGTH} characters`)],
    ['min()', /cannot be evaluated/],
  ])('refuses %s, saying why', (text, message) => {
    const error = refusal(text);
    expect(error.message).toMatch(/^--params: /);
    expect(error.message).toMatch(message);
  });

  it('refuses before evaluating: no refused expression of the corpus is compiled', () => {
    const corpus = JSON.parse(readFileSync(join(FIXTURES, 'quantities.json'), 'utf8')) as [string, string][];
    let refused = 0;
    for (const [text] of corpus) {
      const before = compiled.length;
      let error: unknown;
      try {
        evaluateExpression(text, '--x');
      } catch (e) {
        error = e;
      }
      if (error instanceof MoeplanError && error.code === 'UNSAFE_EXPRESSION') {
        refused++;
        expect(compiled.length, text).toBe(before);
      }
    }
    expect(refused).toBeGreaterThan(40);
  });
});

describe('mathjs', () => {
  it('is pinned to one exact version, installed as pinned, not older than 15.2.0', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const pinned = pkg.dependencies.mathjs as string;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const installed = (JSON.parse(readFileSync(join(REPO, 'node_modules/mathjs/package.json'), 'utf8')) as { version: string }).version;
    expect(installed).toBe(pinned);
    const [major, minor, patch] = installed.split('.').map(Number) as [number, number, number];
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(15_002_000);
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    expect(lock.packages['node_modules/mathjs']?.version).toBe(pinned);
  });
});
