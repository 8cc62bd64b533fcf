import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Record every expression tree mathjs compiles (the step before evaluation), so the tests
// can tell that a hostile quantity was refused before anything was evaluated.
const compiled = vi.hoisted(() => [] as string[]);
vi.mock('mathjs', async (importOriginal) =>
  (await import('../helpers/mathjs-spy.js')).recordingCompiles(await importOriginal<typeof import('mathjs')>(), compiled),
);

const dir = mkdtempSync(join(tmpdir(), 'moeplan-hostile-'));
let count = 0;

function plan(tokens: unknown): string {
  const path = join(dir, `plan-${++count}.json`);
  writeFileSync(path, JSON.stringify({ model: { activatedParams: '52B' }, training: { tokens }, limits: { flops: { max: 4e24 } } }, null, 2));
  return path;
}

describe('hostile plans: rejected with exit code 2, nothing evaluated', () => {
  it('a legitimate expression is compiled (so the spy works)', async () => {
    const r = await runCli(['check', plan('7*10^12')]);
    expect(r.code).toBe(0);
    expect(compiled).toContain('7*10^12');
  });

  it.each([
    ['import({}, {override: true})', /contains "\{"/],
    ['import(x, y)', /the function "import"/],
    ['createUnit("bomb")', /contains """/],
    ['createUnit(x)', /the function "createUnit"/],
    ['evaluate(1)', /the function "evaluate"/],
    ['parse(1)', /the function "parse"/],
    ['f(x) = x^2', /contains "="/],
    ['x = 7T', /is not a number/], // no arithmetic operator: refused without loading mathjs
    ['sqrt(4).constructor', /property access/],
    ['cos(1)', /the function "cos"/],
    ['pi*1T', /the name "pi"/],
    ['1T ? 2T : 3T', /is not a number/],
    ['1T + (x ? 2 : 3)', /contains "\?"/],
    [`${'('.repeat(60)}7T${')'.repeat(60)}`, /levels of nesting/],
    [`${'1+'.repeat(150)}1`, /at most 200 characters/],
  ])('%s', async (expression, message) => {
    const before = compiled.length;
    const r = await runCli(['check', plan(expression)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: .*plan-\d+\.json:6:5: training\.tokens: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /); // no stack trace
    expect(compiled.length).toBe(before);
  });

  it('non-scalar values where a quantity belongs', async () => {
    for (const value of [{ toString: 'x' }, ['7T'], null, true]) {
      const r = await runCli(['check', plan(value)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/training\.tokens: expected a number/);
    }
  });

  it('alias bombs, deep nesting and huge files, through the CLI', async () => {
    const bomb = join(dir, 'bomb.yaml');
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `l${i}: &l${i} [${Array(9)
          .fill(i === 1 ? '*a' : `*l${i - 1}`)
          .join(', ')}]`,
      );
    writeFileSync(bomb, `${lines.join('\n')}\nlimits: {}\n`);
    const deep = join(dir, 'deep.yaml');
    writeFileSync(deep, `limits: ${'['.repeat(200_000)}`);
    const huge = join(dir, 'huge.yaml');
    writeFileSync(huge, `# ${'x'.repeat(2_000_000)}\nlimits: {}\n`);
    const r = await runCli(['check', bomb, deep, huge]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bomb\.yaml: uses aliases too often/);
    expect(r.stderr).toMatch(/deep\.yaml:1:\d+: is nested more than 32 levels deep/);
    expect(r.stderr).toMatch(/huge\.yaml: is 1953 KiB; a plan file may be at most 256 KiB/);
    expect(r.stdout).toMatch(/0 of 3 plans passed \(3 could not be read\)/);
  });
});
