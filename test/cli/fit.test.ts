import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { analyticOptimum } from '../../examples/fit/generate.mjs';
import { lineRanges } from '../../src/cli/commands/fit.js';
import { COMPUTE_MODEL_LAWS } from '../../src/core/laws/index.js';
import { json, relDiff, runCli } from '../helpers/cli.js';

const CHINCHILLA = new URL('../../examples/data/chinchilla-runs.csv', import.meta.url).pathname;
const EXAMPLE = new URL('../../examples/fit/runs.csv', import.meta.url).pathname;
const BUDGETS = '6e18,1e19,3e19,6e19,1e20,3e20,6e20,1e21,3e21';
const MAP = 'flops=C,params=N,tokens=D';
const NUMPY = JSON.parse(readFileSync(new URL('../fixtures/isoflop-chinchilla-numpy.json', import.meta.url), 'utf8')) as {
  budgets: number[];
  fits: { tolerance: number; alpha: number; Nc: number; beta: number; Dc: number }[];
};

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'moeplan-fit-'));
}

type Power = { coefficient: number; exponent: number; r2: number; ci: { coefficient: [number, number] | null; exponent: [number, number] | null } };

describe('moeplan fit', () => {
  it('fits the Chinchilla runs near approach 2 and prints the required JSON fields', async () => {
    const r = await runCli(['fit', CHINCHILLA, '--columns', MAP, '--budgets', BUDGETS, '--json']);
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.command).toBe('fit');
    const params = doc.params as Power;
    const tokens = doc.tokens as Power;
    // numpy's approach 2 on the same runs, budgets and tolerance (25%, the default); the JSON prints every digit, so 1e-9 as in test/core/fit/isoflop.test.ts
    const numpy = NUMPY.fits.find((f) => f.tolerance === 0.25) as { alpha: number; Nc: number; beta: number; Dc: number };
    expect(NUMPY.budgets).toEqual(BUDGETS.split(',').map(Number));
    expect(Math.abs(params.exponent / numpy.alpha - 1)).toBeLessThan(1e-9);
    expect(Math.abs(params.coefficient / numpy.Nc - 1)).toBeLessThan(1e-9);
    expect(Math.abs(tokens.exponent / numpy.beta - 1)).toBeLessThan(1e-9);
    expect(Math.abs(tokens.coefficient / numpy.Dc - 1)).toBeLessThan(1e-9);
    for (const law of [params, tokens]) {
      expect(typeof law.coefficient).toBe('number');
      const [lo, hi] = law.ci.exponent as [number, number];
      expect(lo).toBeLessThan(law.exponent);
      expect(hi).toBeGreaterThan(law.exponent);
      const [clo, chi] = law.ci.coefficient as [number, number];
      expect(clo).toBeLessThan(law.coefficient);
      expect(chi).toBeGreaterThan(law.coefficient);
    }
    const budgets = doc.budgets as { flops: number; params: number; tokens: number; runs: number; lines: number[] }[];
    expect(budgets.map((b) => b.flops)).toEqual(BUDGETS.split(',').map(Number));
    expect(budgets.every((b) => b.params > 0 && b.tokens > 0 && b.lines.length === b.runs)).toBe(true);
    const leftOut = doc.leftOut as { line: number; reason: string }[];
    expect(leftOut.length).toBeGreaterThan(0);
    expect(leftOut[0]?.reason).toMatch(/below the nearest budget 6e18 \(tolerance 25%\)/);
    // every data line is either in a budget or left out, once
    const placed = [...budgets.flatMap((b) => b.lines), ...leftOut.map((l) => l.line)].sort((a, b) => a - b);
    expect(placed).toEqual(Array.from({ length: 234 }, (_, i) => i + 2));
    expect(doc.inputs).toMatchObject({ grouping: 'budgets', tolerance: 0.25, bootstrap: 1000, seed: 1, confidence: 0.9, lawCompute: 'dense' });
    expect(doc.budget).toBe('flops');
  });

  it('prints a table, the per-budget optima and a terminal chart for people', async () => {
    const r = await runCli(['fit', CHINCHILLA, '--columns', MAP, '--budgets', BUDGETS, '--bootstrap', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/α \(exponent\)\s+0\.5\d+/);
    expect(r.stdout).toMatch(/90% bootstrap interval, 200 resamples/);
    expect(r.stdout).toMatch(/Per budget/);
    expect(r.stdout).toMatch(/Runs left out: \d+/);
    expect(r.stdout).toMatch(/●/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('reports a different grouping tolerance differently, reproducibly for a seed', async () => {
    const at = async (tolerance: string, seed = '1') =>
      json(await runCli(['fit', CHINCHILLA, '--columns', MAP, '--budgets', BUDGETS, '--tolerance', tolerance, '--bootstrap', '300', '--seed', seed, '--json']));
    const narrow = await at('10%');
    const wide = await at('40%');
    expect((narrow.params as Power).exponent).not.toBe((wide.params as Power).exponent);
    expect((await at('10%')).params).toEqual(narrow.params);
    expect(((await at('10%', '2')).params as Power).ci.exponent).not.toEqual((narrow.params as Power).ci.exponent);
  });

  it('recovers the known law of the example runs within its interval', async () => {
    const doc = json(await runCli(['fit', EXAMPLE, '--json']));
    const known = analyticOptimum();
    const params = doc.params as Power;
    const tokens = doc.tokens as Power;
    const [lo, hi] = params.ci.exponent as [number, number];
    const [tlo, thi] = tokens.ci.exponent as [number, number];
    expect(lo).toBeLessThanOrEqual(known.paramsExponent);
    expect(hi).toBeGreaterThanOrEqual(known.paramsExponent);
    expect(tlo).toBeLessThanOrEqual(known.tokensExponent);
    expect(thi).toBeGreaterThanOrEqual(known.tokensExponent);
    expect((doc.budgets as unknown[]).length).toBe(7);
  });

  it('writes a law file that `moeplan optimal --law` accepts (round trip)', async () => {
    const dir = tempDir();
    const r = await runCli(['fit', CHINCHILLA, '--columns', MAP, '--budgets', BUDGETS, '--out', 'law.json', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const fitted = json(r);
    const law = JSON.parse(readFileSync(join(dir, 'law.json'), 'utf8'));
    expect(law).toMatchObject({
      name: 'fit-chinchilla-runs',
      compute: { paramsTokens: 6, tokens: 0 },
      allocation: { kind: 'power', budget: 'flops', budgetUnitFlops: 1 },
    });
    expect(law.allocation.params.exponent).toBe((fitted.params as Power).exponent);
    expect(law.allocation.params.exponentCi).toEqual((fitted.params as Power).ci.exponent);
    const optimal = await runCli(['optimal', '--law', 'law.json', '--cmin', '1e20', '--json'], { cwd: dir });
    expect(optimal.code).toBe(0);
    const doc = json(optimal);
    const p = fitted.params as Power;
    const t = fitted.tokens as Power;
    expect(relDiff(doc.params as number, p.coefficient * 1e20 ** p.exponent)).toBeLessThan(1e-12);
    expect(relDiff(doc.tokens as number, t.coefficient * 1e20 ** t.exponent)).toBeLessThan(1e-12);
    expect(doc.law).toBe('fit-chinchilla-runs');
    // and back: the Cmin at which the fitted Nopt is optimal
    const inverse = json(await runCli(['optimal', '--law', 'law.json', '--params', String(doc.params), '--json'], { cwd: dir }));
    expect(relDiff((inverse.cmin ?? inverse.budget) as number, 1e20)).toBeLessThan(1e-9);
  });

  it('uses Cmin = C/(1 + B/Bcrit) with --batch and --bcrit, and says so in the law', async () => {
    const dir = tempDir();
    const r = await runCli(['fit', EXAMPLE, '--batch', '1M', '--bcrit', '4M', '--bootstrap', '0', '--out', 'law.json', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.budget).toBe('cmin');
    const budgets = doc.budgets as { flops: number; cmin: number }[];
    for (const b of budgets) expect(relDiff(b.cmin, b.flops / 1.25)).toBeLessThan(1e-12);
    const plain = json(await runCli(['fit', EXAMPLE, '--bootstrap', '0', '--json']));
    expect((doc.params as Power).exponent).toBeCloseTo((plain.params as Power).exponent, 10);
    const law = JSON.parse(readFileSync(join(dir, 'law.json'), 'utf8'));
    expect(law.allocation.budget).toBe('cmin');
    expect(law.fittedRange.cmin).toBeDefined();
    expect((doc.params as Power).ci.exponent).toBeNull();
  });

  it('reads per-run batch and bcrit columns from JSON Lines on stdin', async () => {
    const lines = readFileSync(EXAMPLE, 'utf8').trim().split('\n').slice(1);
    const jsonl = lines
      .map((line, i) => {
        const [flops, params, tokens, loss] = line.split(',').map(Number);
        return JSON.stringify({ flops, params, tokens, loss, batch: i % 2 ? 1e6 : 2e6, bcrit: 4e6 });
      })
      .join('\n');
    const r = await runCli(['fit', '-', '--bootstrap', '100', '--json'], { stdin: jsonl });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.budget).toBe('cmin');
    const b = (doc.budgets as { flops: number; cmin: number }[])[0] as { flops: number; cmin: number };
    expect(b.cmin / b.flops).toBeGreaterThan(1 / 1.5);
    expect(b.cmin / b.flops).toBeLessThan(1 / 1.25);
  });

  it("recovers Hunyuan-Large's Nopt = 5.9e-3·Cmin^0.5305 from MoE runs priced by eq. 2, with the batch adjustment", async () => {
    // Runs at raw budgets C, each with D from eq. 2 and B/Bcrit = 0.5 (so Cmin = C/1.5), and
    // a loss whose isoFLOP curve is a parabola in ln N around the paper's Nopt(Cmin).
    const rows: string[] = [];
    for (const budget of [1e18, 1e19, 1e20, 1e21]) {
      const cmin = budget / 1.5;
      const nopt = 5.9e-3 * cmin ** 0.5305;
      for (let i = 0; i < 7; i++) {
        const params = nopt * 3 ** (i / 3 - 1);
        const tokens = budget / (9.59 * params + 2.3e8);
        const loss = 2 + 1e19 ** 0.05 / cmin ** 0.05 + 0.04 * Math.log(params / nopt) ** 2;
        rows.push(`${params},${tokens},${loss},8e6,16e6`);
      }
    }
    const dir = tempDir();
    writeFileSync(join(dir, 'moe.csv'), `params,tokens,loss,batch,bcrit\n${rows.join('\n')}\n`);
    const r = await runCli(['fit', 'moe.csv', '--budgets', '1e18,1e19,1e20,1e21', '--tolerance', '1%', '--bootstrap', '0', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.budget).toBe('cmin');
    expect((doc.inputs as { lawCompute: string }).lawCompute).toBe('hunyuan');
    expect(Math.abs((doc.params as Power).exponent - 0.5305)).toBeLessThan(1e-9);
    expect(relDiff((doc.params as Power).coefficient, 5.9e-3)).toBeLessThan(1e-7);
    expect((doc.law as { compute: { paramsTokens: number; tokens: number } }).compute).toMatchObject({ paramsTokens: 9.59, tokens: 2.3e8 });
  });

  it('derives C from eq. 2 when there is no flops column', async () => {
    const dir = tempDir();
    const rows = readFileSync(EXAMPLE, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(1).join(','));
    writeFileSync(join(dir, 'runs.csv'), `params,tokens,loss\n${rows.join('\n')}\n`);
    const doc = json(await runCli(['fit', 'runs.csv', '--bootstrap', '0', '--json'], { cwd: dir }));
    expect((doc.inputs as { lawCompute: string }).lawCompute).toBe('hunyuan');
    const dense = json(await runCli(['fit', 'runs.csv', '--bootstrap', '0', '--law-compute', 'dense', '--json'], { cwd: dir }));
    expect((dense.law as { compute: { paramsTokens: number } }).compute.paramsTokens).toBe(6);
    expect((doc.law as { compute: { paramsTokens: number } }).compute.paramsTokens).toBe(9.59);
  });

  it('--law-compute takes each compute model of the law registry, and its help lists them', async () => {
    const dir = tempDir();
    const help = (await runCli(['fit', '--help'])).stdout.replace(/\s+/g, ' ');
    for (const law of COMPUTE_MODEL_LAWS) {
      expect(help).toContain(`${law.name} (${law.compute.equation ?? `${law.compute.paramsTokens}ND`})`);
      const r = json(await runCli(['fit', EXAMPLE, '--bootstrap', '0', '--law-compute', law.name.toUpperCase(), '--json'], { cwd: dir }));
      expect((r.inputs as { lawCompute: string }).lawCompute).toBe(law.name);
      expect((r.law as { compute: object }).compute).toMatchObject({ paramsTokens: law.compute.paramsTokens, tokens: law.compute.tokens });
    }
  });

  it('shows bootstrap progress on a terminal for long runs only, and clears it', async () => {
    // The progress line appears once a fit has run 400 ms. The clock is the test's: each reading
    // 50 ms after the last for a long run, always the same instant for a short one, so the outcome
    // does not depend on the speed or the load of the machine.
    const fitOn = async (clock: () => number, options: { tty?: boolean }) => {
      const now = vi.spyOn(performance, 'now').mockImplementation(clock);
      try {
        return await runCli(['fit', CHINCHILLA, '--columns', MAP, '--budgets', BUDGETS, '--bootstrap', '2000', '--json'], options);
      } finally {
        now.mockRestore();
      }
    };
    const ticking = () => {
      let t = 0;
      return () => (t += 50);
    };
    const long = await fitOn(ticking(), { tty: true });
    expect(long.code).toBe(0);
    expect(long.stderr).toMatch(/\r {2}bootstrap \d+\/2000 resamples \(\d+%\)/);
    expect(long.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(json(long).bootstrap).toMatchObject({ resamples: 2000 });
    const short = await fitOn(() => 0, { tty: true });
    expect(short.code).toBe(0);
    expect(short.stderr).toBe('');
    const piped = await fitOn(ticking(), {});
    expect(piped.stderr).not.toMatch(/bootstrap \d+/);
  });

  it('draws the isoFLOP curves and both power laws as SVG', async () => {
    const dir = tempDir();
    const r = await runCli(['fit', EXAMPLE, '--bootstrap', '0', '--plot', 'fit.svg'], { cwd: dir });
    expect(r.code).toBe(0);
    const svg = readFileSync(join(dir, 'fit.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('isoFLOP curves');
    expect(svg).toMatch(/Nopt = [\d.]+·C\^0\.5\d+/);
    expect(svg).toMatch(/Dopt = /);
    expect(r.stdout).toContain('Wrote the chart to fit.svg');
  });
});

describe('lineRanges', () => {
  it('compresses runs of consecutive lines and cuts long lists', () => {
    expect(lineRanges([9, 2, 3, 4, 7, 10])).toBe('2–4, 7, 9–10');
    expect(lineRanges([])).toBe('');
    expect(lineRanges([1, 3, 5, 7, 9, 11, 13], 10)).toBe('1, 3, 5, …');
  });
});

describe('moeplan fit: degenerate and bad input', () => {
  const dir = tempDir();
  const example = readFileSync(EXAMPLE, 'utf8');
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };
  const runFit = (args: string[]) => runCli(['fit', ...args], { cwd: dir });

  it('names missing columns and suggests --columns for C, N, D', async () => {
    const r = await runCli(['fit', CHINCHILLA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no params, tokens columns \(columns: C, N, D, loss\)/);
    expect(r.stderr).toMatch(/--columns flops=C,params=N,tokens=D/);
    expect(r.stderr).not.toMatch(/at .*\.ts/);
    const noLoss = await runFit([write('noloss.csv', 'params,tokens\n1e8,2e9\n')]);
    expect(noLoss.code).toBe(2);
    expect(noLoss.stderr).toMatch(/no loss column/);
    const badMap = await runFit([write('map.csv', 'N,D,L\n1,2,3\n'), '--columns', 'params=N,tokens=D,loss=X']);
    expect(badMap.stderr).toMatch(/no column "X"/);
  });

  it('leaves out rows with NaN, negative, missing or text values, naming each line', async () => {
    const bad = `${example.trimEnd()}\nNaN,1e8,2e9,3.1\n1e19,-5,2e9,3.1\n1e19,1e8,,3.1\n1e19,1e8,2e9,abc\n1e19,1e8,2e9\n`;
    const r = await runFit([write('bad.csv', bad), '--bootstrap', '50', '--json']);
    expect(r.code).toBe(0);
    const leftOut = (json(r).leftOut as { line: number; reason: string }[]).map((l) => l.reason);
    expect(leftOut).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/line 65: flops: "NaN" is not a number/),
        expect.stringMatching(/line 66: params: -5 is out of range/),
        expect.stringMatching(/line 67: tokens is missing/),
        expect.stringMatching(/line 68: loss: "abc" is not a number/),
        expect.stringMatching(/line 69: 3 fields, but the header has 4/),
      ]),
    );
    expect(r.stderr).toMatch(/warning: left out line 66: params/);
  });

  it('refuses one budget with a clear error', async () => {
    const rows = example.trim().split('\n');
    const one = [rows[0], ...rows.slice(1).filter((l) => Math.abs(Math.log10(Number(l.split(',')[0]) / 1e19)) < 0.1)].join('\n');
    const r = await runFit([write('one.csv', one)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/need at least two budgets with an optimum to fit a power law, found 1/);
    expect(r.stderr).toMatch(/hint: the runs cover only one budget/);
  });

  it('drops a budget with two runs and says why', async () => {
    const rows = example.trim().split('\n');
    const near = (l: string) => Math.abs(Math.log10(Number(l.split(',')[0]) / 1e21)) < 0.1;
    const two = [rows[0], ...rows.slice(1).filter((l) => !near(l)), ...rows.slice(1).filter(near).slice(0, 2)].join('\n');
    const r = await runFit([write('two.csv', two), '--budgets', '1e18,3e18,1e19,3e19,1e20,3e20,1e21', '--json']);
    expect(r.code).toBe(0);
    expect(json(r).dropped).toEqual([expect.objectContaining({ flops: 1e21, runs: 2, reason: 'fewer than three runs (2 runs)' })]);
    const text = await runFit([write('two.csv', two), '--budgets', '1e18,3e18,1e19,3e19,1e20,3e20,1e21', '--bootstrap', '0']);
    expect(text.stdout).toMatch(/Dropped budgets[\s\S]*1e21\s+2\s+56–57\s+fewer than three runs/);
  });

  it('all runs the same size: an error listing the dropped budgets', async () => {
    const same = `params,tokens,loss\n${Array.from({ length: 12 }, (_, i) => `1e8,${2e9 * 3 ** Math.floor(i / 4)},${3 - i / 100}`).join('\n')}`;
    const r = await runFit([write('same.csv', same)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fewer than three distinct sizes/);
  });

  it('prints but does not write a law whose optimum shrinks with compute', async () => {
    const rows: string[] = [];
    for (const budget of [1e19, 1e20, 1e21]) {
      const nopt = 1e9 / (budget / 1e19) ** 0.3;
      for (let i = 0; i < 5; i++) {
        const params = nopt * 2 ** (i - 2);
        rows.push(`${budget},${params},${budget / (6 * params)},${3 + 0.05 * Math.log(params / nopt) ** 2}`);
      }
    }
    const r = await runFit([write('shrinking.csv', `flops,params,tokens,loss\n${rows.join('\n')}\n`), '--bootstrap', '0', '--out', 'shrinking-law.json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/α \(exponent\)\s+-0\.3/);
    expect(r.stderr).toMatch(/the params exponent -0\.3 is not between 0 and 1/);
    expect(r.stderr).toMatch(/not writing shrinking-law\.json/);
    expect(existsSync(join(dir, 'shrinking-law.json'))).toBe(false);
  });

  it('an empty file, a file of bad rows and a missing file are input errors', async () => {
    expect((await runFit([write('empty.csv', '')])).stderr).toMatch(/empty/);
    const allBad = await runFit([write('allbad.csv', 'params,tokens,loss\n-1,2,3\n')]);
    expect(allBad.code).toBe(2);
    expect(allBad.stderr).toMatch(/no usable runs/);
    const missing = await runFit(['nope.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the runs file "nope.csv"/);
  });

  it.each([
    [['--tolerance', '-5%'], '--tolerance'],
    [['--tolerance', '0'], '--tolerance'],
    [['--bootstrap', '1.5'], '--bootstrap'],
    [['--bootstrap', '-1'], '--bootstrap'],
    [['--seed', 'x'], '--seed'],
    [['--confidence', '150%'], '--confidence'],
    [['--budgets', ','], '--budgets'],
    [['--budgets', '1e19,-3'], '--budgets'],
    [['--columns', 'size=N'], '--columns'],
    [['--law-compute', 'kaplan'], '--law-compute'],
    [['--batch', '4M'], '--bcrit'],
  ])('rejects %j naming %s', async (args, flag) => {
    const r = await runCli(['fit', EXAMPLE, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stdout).toBe('');
  });
});
