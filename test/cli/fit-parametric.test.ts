import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateRuns } from '../../examples/fit/generate.mjs';
import { fitParametric } from '../../src/core/fit/parametric.js';
import { parametricChartSpec } from '../../src/io/plot-svg.js';
import { json, relDiff, runCli } from '../helpers/cli.js';

// Hoffmann et al. 2022 §3.3: E 1.69, A 406.4, B 410.7, α 0.34, β 0.28. Closed form (appendix
// D.2) by hand: a = 0.28/0.62, b = 0.34/0.62, G = (0.34·406.4/(0.28·410.7))^(1/0.62).
const LAW = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const a = 0.28 / 0.62;
const b = 0.34 / 0.62;
const G = ((0.34 * 406.4) / (0.28 * 410.7)) ** (1 / 0.62);

/** A small runs file (3 budgets × 9 sizes, noise-free) in a fresh directory. */
function runsDir(noise = 0): string {
  const dir = mkdtempSync(join(tmpdir(), 'moeplan-fit3-'));
  const runs = generateRuns({ noise, law: LAW, budgets: [1e18, 1e19, 1e20], seed: 4 });
  writeFileSync(join(dir, 'runs.csv'), `flops,params,tokens,loss\n${runs.map((r) => [r.flops, r.params, r.tokens, r.loss].join(',')).join('\n')}\n`);
  return dir;
}

describe('moeplan fit --method parametric', () => {
  it('recovers the law, writes a chinchilla-kind law file, and optimal reads it back in closed form', async () => {
    const dir = runsDir();
    const r = await runCli(['fit', 'runs.csv', '--method', 'parametric', '--bootstrap', '0', '--out', 'law.json', '--plot', 'fit.svg', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const svg = readFileSync(join(dir, 'fit.svg'), 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toMatch(/isoFLOP curves of the fitted loss/);
    const doc = json(r);
    expect(doc.method).toBe('parametric');
    const fit = doc.parametric as { loss: Record<string, number>; allocation: Record<string, number>; starts: number; ci: Record<string, unknown> };
    expect(fit.starts).toBe(4500);
    for (const key of ['E', 'A', 'B', 'alpha', 'beta'] as const) expect(relDiff(fit.loss[key] as number, LAW[key])).toBeLessThan(1e-3);
    expect(fit.ci.alpha).toBeNull();
    const law = JSON.parse(readFileSync(join(dir, 'law.json'), 'utf8'));
    expect(law).toMatchObject({
      name: 'fit-runs',
      compute: { paramsTokens: 6, tokens: 0 },
      allocation: { kind: 'loss', budget: 'flops' },
      loss: { kind: 'chinchilla' },
    });
    expect(law.loss.alpha).toBe(fit.loss.alpha);
    const optimal = json(await runCli(['optimal', '--law', 'law.json', '--flops', '1e22', '--json'], { cwd: dir }));
    expect(relDiff(optimal.params as number, G * (1e22 / 6) ** a)).toBeLessThan(3e-3);
    expect(relDiff(optimal.tokens as number, (1e22 / 6) ** b / G)).toBeLessThan(3e-3);
    // check reads the same law: Nopt at the plan's C = 6·N·D is the known law's closed form
    writeFileSync(
      join(dir, 'plan.yaml'),
      'name: t\nlaw: law.json\nmodel:\n  activatedParams: 2B\ntraining:\n  tokens: 40B\nlimits:\n  paramsVsOptimal: { within: 15% }\n',
    );
    const check = json(await runCli(['check', 'plan.yaml', '--json'], { cwd: dir }));
    const finding = (check.checks as { id: string; detail: { optimalParams: number; budget: number } }[]).find((c) => c.id === 'paramsVsOptimal');
    expect(finding?.detail.budget).toBe(4.8e20);
    expect(relDiff(finding?.detail.optimalParams as number, G * (4.8e20 / 6) ** a)).toBeLessThan(3e-3);
  });

  it('prints the fitted loss with intervals, and with --method both the two allocations side by side', async () => {
    const dir = runsDir(0.003);
    const r = await runCli(['fit', 'runs.csv', '--method', 'both', '--bootstrap', '20', '--starts', 'coarse'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/isoFLOP fit · runs\.csv/);
    expect(r.stdout).toMatch(/Parametric fit \(approach 3\) · runs\.csv: 27 runs, 32 starts, Huber δ 0\.001/);
    expect(r.stdout).toMatch(/90% bootstrap interval, 20 resamples/);
    expect(r.stdout).toMatch(/Allocations side by side/);
    expect(r.stdout).toMatch(/Nopt exponent +0\.\d+ \(0\.\d+–0\.\d+\) +0\.\d+ \(0\.\d+–0\.\d+\)/);
    const doc = json(await runCli(['fit', 'runs.csv', '--method', 'both', '--bootstrap', '20', '--starts', 'coarse', '--json'], { cwd: dir }));
    const iso = doc.isoflop as { params: { exponent: number } };
    const par = doc.parametric as { allocation: { a: number }; ci: { a: [number, number] } };
    // both approaches find the known exponent a = β/(α+β) within a few hundredths
    expect(Math.abs(iso.params.exponent - a)).toBeLessThan(0.03);
    expect(Math.abs(par.allocation.a - a)).toBeLessThan(0.03);
    expect(par.ci.a[0]).toBeLessThan(par.ci.a[1]);
  });

  it('charts each budget with the fitted isoFLOP curve, whose lowest point is the closed-form optimum', () => {
    const runs = generateRuns({ noise: 0, law: LAW, budgets: [1e18, 1e20], seed: 4 });
    const fit = fitParametric(runs, { resamples: 0, seed: 1, confidence: 0.9, grid: { a: [5], b: [5], e: [0.5], alpha: [0.5], beta: [0.5] } });
    const budgets = [
      { flops: 1e18, members: runs.map((_, i) => i).slice(0, 9) },
      { flops: 1e20, members: runs.map((_, i) => i).slice(9) },
    ];
    const spec = parametricChartSpec(fit, runs, budgets, { title: 't' }) as {
      layer: { data: { values: { budget: string; params: number; loss: number }[] } }[];
    };
    const [points, curves, minima] = spec.layer.map((l) => l.data.values) as [
      { budget: string; params: number; loss: number }[],
      { budget: string; params: number; loss: number }[],
      { budget: string; params: number; loss: number }[],
    ];
    expect(points).toHaveLength(runs.length);
    expect(minima.map((m) => m.budget)).toEqual(['1e18', '1e20']);
    for (const m of minima) {
      const curve = curves.filter((c) => c.budget === m.budget);
      expect(curve.length).toBeGreaterThan(10);
      expect(Math.min(...curve.map((c) => c.loss))).toBeGreaterThanOrEqual(m.loss - 1e-12);
      // the optimum lies at the known law's Nopt = G·(C/6)^a
      expect(relDiff(m.params, G * (Number(m.budget) / 6) ** a)).toBeLessThan(3e-3);
    }
  });

  it('refuses an unknown method or grid, and --out with both', async () => {
    const dir = runsDir();
    const grid = await runCli(['fit', 'runs.csv', '--method', 'parametric', '--starts', 'fine'], { cwd: dir });
    expect(grid.code).toBe(2);
    expect(grid.stderr).toMatch(/--starts: "fine" is not one of hoffmann, coarse/);
    const bad = await runCli(['fit', 'runs.csv', '--method', 'approach3'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--method: "approach3" is not one of isoflop, parametric, both/);
    const both = await runCli(['fit', 'runs.csv', '--method', 'both', '--out', 'law.json'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--out with --method both/);
  });
});
