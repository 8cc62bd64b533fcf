import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lawsChart } from '../../src/cli/laws-chart.js';
import { PRESETS, PRESET_LIST } from '../../src/core/laws/index.js';
import { lawsChartSpec } from '../../src/io/plot-laws-svg.js';
import { json, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'moeplan-plot-'));
const krajewski = PRESETS.krajewski;
if (!krajewski) throw new Error('no krajewski preset');

describe('moeplan optimal --plot', () => {
  it("marks each point inside or outside the fitted range, by the law's own range", () => {
    const chart = lawsChart([krajewski], 1e17, 1e21, () => ({}));
    const points = chart.curves[0]?.points ?? [];
    for (const p of points) expect(p.range).toBe(p.budget >= 2.9e17 && p.budget <= 6.7e19 ? 'fitted' : 'extrapolation');
    expect(points.some((p) => p.range === 'fitted')).toBe(true);
    expect(points[0]?.budget).toBeCloseTo(1e17, -12);
    // Nopt and Dopt grow with the budget along a curve at a fixed granularity (a free G
    // jumps between powers of two, and D with it)
    const fixed = lawsChart([krajewski], 1e17, 1e21, () => ({ granularity: 8 })).curves[0]?.points ?? [];
    for (let i = 1; i < fixed.length; i++) {
      expect((fixed[i] as { tokens: number }).tokens).toBeGreaterThan((fixed[i - 1] as { tokens: number }).tokens);
      expect((fixed[i] as { params: number }).params).toBeGreaterThan((fixed[i - 1] as { params: number }).params);
    }
  });

  it('draws fitted pieces solid and extrapolated ones dashed, joined at the boundary', () => {
    const chart = lawsChart([krajewski], 1e17, 1e21, () => ({}));
    const spec = lawsChartSpec({ ...chart, curves: [{ label: 'krajewski', points: chart.curves[0]?.points ?? [] }] }, 't');
    const panel = (spec.hconcat as { layer: { data: { values: { segment: string; style: string; budget: number }[] } }[] }[])[0];
    const rows = panel?.layer[0]?.data.values ?? [];
    const segments = new Map<string, Set<string>>();
    for (const r of rows) segments.set(r.segment, (segments.get(r.segment) ?? new Set()).add(r.style));
    expect([...segments.values()].every((styles) => styles.size === 1)).toBe(true);
    expect([...segments.values()].map((s) => [...s][0])).toEqual(['extrapolation', 'fitted range', 'extrapolation']);
    // the first point of each later segment is the last of the one before
    const firsts = [...segments.keys()].slice(1).map((k) => rows.find((r) => r.segment === k)?.budget);
    for (const b of firsts) expect(rows.filter((r) => r.budget === b).length).toBe(2);
  });

  it('writes an SVG of every preset and prints the compact chart', async () => {
    const r = await runCli(['optimal', '--plot', 'laws.svg', '--from', '1e20', '--to', '1e26'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const svg = readFileSync(join(dir, 'laws.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const law of PRESET_LIST.filter((l) => l.allocation !== undefined)) expect(svg).toContain(law.name);
    expect(svg).toMatch(/stroke-dasharray="6,4"/);
    expect(r.stdout).toMatch(/Nopt \(params\).*Dopt \(tokens\)/);
    expect(r.stdout).toMatch(/F krajewski \(N total non-embedding\)/);
    expect(r.stdout).toMatch(/Wrote the chart to laws\.svg\./);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('marks the budget asked about, for the --law list, and puts the range in JSON', async () => {
    const r = await runCli(['optimal', '--cmin', '3e23', '--law', 'chinchilla,joint-moe', '--plot', 'two.svg', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r);
    expect((doc.laws as { law: string }[]).map((l) => l.law)).toEqual(['chinchilla', 'joint-moe']);
    expect(doc.plot).toEqual({ file: 'two.svg', from: 1e18, to: 1e26 });
    expect(readFileSync(join(dir, 'two.svg'), 'utf8')).toMatch(/your budget 3e23/);
    const text = await runCli(['optimal', '--cmin', '3e23', '--law', 'chinchilla,joint-moe', '--plot', 'two.svg'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(text.stdout).toMatch(/│ your budget 3e23/);
    expect(text.stdout).toMatch(/under the laws chinchilla, joint-moe/);
  });

  it('rejects a bad range, --from without --plot and an unwritable path (exit 2)', async () => {
    const reversed = await runCli(['optimal', '--plot', 'x.svg', '--from', '1e24', '--to', '1e20'], { cwd: dir });
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/--to 1e20 must be above --from 1e24/);
    const stray = await runCli(['optimal', '--cmin', '1e20', '--from', '1e18'], { cwd: dir });
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--from only applies with --plot/);
    const nowhere = await runCli(['optimal', '--plot', 'no/such/dir/x.svg', '--law', 'chinchilla'], { cwd: dir });
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/--plot: cannot write/);
  });
});
