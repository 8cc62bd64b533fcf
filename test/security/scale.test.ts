/**
 * Scale: inputs far larger than any real one must not crash or grow without bound. Many
 * runs (no `Math.min(...values)`, which overflows the call stack near 130,000 values),
 * many bad rows (counted by reason in bounded memory and output), repeated runs (which
 * narrow the intervals: a warning).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extent } from '../../src/core/extent.js';
import { type FitRun, fitIsoflop } from '../../src/core/fit/isoflop.js';
import { renderTextChart } from '../../src/cli/text-chart.js';
import { fitChartSpec } from '../../src/io/plot-svg.js';
import { makeChalk } from '../../src/cli/colour.js';
import { runCli } from '../helpers/cli.js';
import { REPO, sandbox } from './support.js';

const dir = sandbox('scale');
const EXAMPLE = readFileSync(join(REPO, 'examples/fit/runs.csv'), 'utf8').trimEnd().split('\n');
const exampleRuns = (): FitRun[] =>
  EXAMPLE.slice(1).map((line) => {
    const [flops, params, tokens, loss] = line.split(',').map(Number) as [number, number, number, number];
    return { flops, params, tokens, loss, cmin: flops };
  });

describe('fit at scale', () => {
  it('extent of 500,000 values, where a spread into Math.min overflows the stack', () => {
    const values = Float64Array.from({ length: 500_000 }, (_, i) => Math.sin(i) * i);
    expect(() => Math.min(...values)).toThrow(RangeError);
    expect(extent(values)).toEqual([values.reduce((a, b) => Math.min(a, b)), values.reduce((a, b) => Math.max(a, b))]);
    expect(extent([])).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(extent([1, Number.NaN, 3]).map(Number.isNaN)).toEqual([true, true]);
  });

  it('fits 150,000 runs (the example runs, each a little perturbed) and draws them', () => {
    const base = exampleRuns();
    const runs: FitRun[] = [];
    for (let k = 0; runs.length < 150_000; k++) {
      for (const r of base) runs.push({ ...r, loss: r.loss * (1 + 1e-6 * Math.sin(k * 7 + runs.length)) });
    }
    const fit = fitIsoflop(runs, { tolerance: 0.25, resamples: 0, seed: 1, confidence: 0.9 });
    expect(fit.budgets.reduce((n, b) => n + b.members.length, 0)).toBe(runs.length);
    expect(fit.params.exponent).toBeGreaterThan(0.3);
    expect(renderTextChart(fit, 'C', makeChalk(0))).toMatch(/Nopt/);
    expect(JSON.stringify(fitChartSpec(fit, runs, { budget: 'C', title: 'many runs' })).length).toBeGreaterThan(0);
  });
});

describe('fit with many bad rows', () => {
  it('warns about the first ten, then counts the rest by reason; --json lists the first 1000 and every count', async () => {
    const bad = 6_000;
    const rows = [
      EXAMPLE[0],
      ...Array.from({ length: bad }, (_, i) => (i % 3 === 0 ? 'x,1T,2,1e20' : i % 3 === 1 ? '1e20,1B,1T,-1' : '1,2')),
      ...EXAMPLE.slice(1),
    ];
    writeFileSync(join(dir, 'bad.csv'), `${rows.join('\n')}\n`);
    const r = await runCli(['fit', 'bad.csv', '--bootstrap', '0', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const warnings = r.stderr.trimEnd().split('\n');
    expect(warnings.filter((w) => w.startsWith('warning: left out line'))).toHaveLength(10);
    const total = warnings.find((w) => w.startsWith(`warning: ${bad} rows left out in all: `)) as string;
    expect(total).toMatch(/flops: "…" is not a number \(2000 rows; lines 2, 5, 8, 11, 14, …\)/);
    expect(total).toMatch(/2 fields, but the header has 4 \(2000 rows; lines 4, 7, /);
    expect(r.stderr.length).toBeLessThan(5000);
    const doc = JSON.parse(r.stdout);
    expect(doc.excludedRows.count).toBe(bad);
    expect(doc.excludedRows.listed).toBe(1000);
    expect(doc.excludedRows.byReason.reduce((n: number, e: { count: number }) => n + e.count, 0)).toBe(bad);
    expect(doc.leftOut.length).toBeLessThanOrEqual(1000 + doc.runs.usable);
    expect(doc.runs.read).toBe(bad + EXAMPLE.length - 1);
  });
});

describe('fit with repeated runs', () => {
  it('warns that exact copies narrow the intervals, naming their lines', async () => {
    writeFileSync(join(dir, 'twice.csv'), `${[...EXAMPLE, ...EXAMPLE.slice(1), ...EXAMPLE.slice(1)].join('\n')}\n`);
    const r = await runCli(['fit', 'twice.csv', '--bootstrap', '0'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      new RegExp(
        `warning: ${2 * (EXAMPLE.length - 1)} runs repeat another exactly \\(lines ${EXAMPLE.length + 1}–.*, …\\): each copy counts as one more measurement, so the bootstrap intervals come out narrower`,
      ),
    );
    const once = await runCli(['fit', join(REPO, 'examples/fit/runs.csv'), '--bootstrap', '0'], { cwd: dir });
    expect(once.stderr).not.toMatch(/repeat/);
  });
});

describe('report sizes', () => {
  // A failing plan whose name (900 characters, each escaped as 4) makes each section about 5 KB.
  const plan = readFileSync(join(REPO, 'examples/plans/over-budget.yaml'), 'utf8').replace(/^name: .*$/m, `name: "${'<'.repeat(900)}"`);
  writeFileSync(join(dir, 'examples/plans/big.yaml'), plan);
  const plans = (n: number) => Array.from({ length: n }, () => 'examples/plans/big.yaml');

  it('markdown for a comment stays within 65,536 characters and says what was left out', async () => {
    const r = await runCli(['check', '--format', 'markdown', ...plans(20)], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeLessThanOrEqual(65_536);
    const shown = r.stdout.match(/^### /gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(5);
    expect(r.stdout).toContain(
      `> **${20 - shown} of 20 plans (${(20 - shown) * 6} findings) left out** to stay within GitHub's limit of 65536 characters for a comment; \`moeplan check --format json\` prints the whole report.`,
    );
    expect(r.stdout).toMatch(/\*\*Failed:\*\* 0 of 20 plans passed/);
    const few = await runCli(['check', '--format', 'markdown', ...plans(3)], { cwd: dir });
    expect(few.stdout).not.toMatch(/left out/);
  });

  it('the job summary stays within 1 MiB, counting what earlier steps wrote', async () => {
    const summary = join(dir, 'big-summary.md');
    writeFileSync(summary, `${'x'.repeat(1024 * 1024 - 30_000)}\n`);
    const r = await runCli(['check', '--format', 'github', ...plans(10)], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    const text = readFileSync(summary, 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
    expect(text).toMatch(/plans \(\d+ findings\) left out\*\* to stay within GitHub's limit of 1 MiB for a job summary/);
  });
});
