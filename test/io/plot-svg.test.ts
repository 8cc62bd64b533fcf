import { describe, expect, it } from 'vitest';
import { fitIsoflop } from '../../src/core/fit/isoflop.js';
import { fitChartSpec, renderFitSvg } from '../../src/io/plot-svg.js';
import { generateRuns } from '../../examples/fit/generate.mjs';

const runs = generateRuns({ seed: 1 }).map((r) => ({ ...r, cmin: r.flops }));
const fit = fitIsoflop(runs, { tolerance: 0.25, resamples: 0, seed: 1, confidence: 0.9 });

interface Layer {
  data?: { values: Record<string, number | string>[] };
  mark: { type: string };
}

describe('fit chart', () => {
  it('has the isoFLOP panel (runs, parabolas, minima) and both power-law panels', () => {
    const spec = fitChartSpec(fit, runs, { budget: 'C', title: 'test' }) as {
      hconcat: { layer: Layer[]; title: { text: string }; data?: { values: { kind: string }[] } }[];
    };
    expect(spec.hconcat).toHaveLength(3);
    const [curves, nopt, dopt] = spec.hconcat as [(typeof spec.hconcat)[0], (typeof spec.hconcat)[0], (typeof spec.hconcat)[0]];
    const [points, parabolas, minima] = curves.layer as [Layer, Layer, Layer];
    expect(points.data?.values).toHaveLength(fit.budgets.reduce((n, b) => n + b.members.length, 0));
    expect(minima.data?.values).toHaveLength(fit.budgets.length);
    // each drawn parabola passes through its minimum at the vertex
    const first = fit.budgets[0];
    const curve = (parabolas.data?.values ?? []).filter((v) => v.budget === '1e+18' || v.budget === '1e18');
    expect(curve.length).toBeGreaterThan(10);
    expect(Math.min(...curve.map((v) => v.loss as number))).toBeGreaterThanOrEqual((first?.loss as number) - 1e-12);
    expect(nopt.title.text).toMatch(/^Nopt = .*·C\^0\.5\d{3}$/);
    expect(dopt.title.text).toMatch(/^Dopt = /);
    expect(nopt.data?.values.filter((v) => v.kind === 'optimum')).toHaveLength(fit.budgets.length);
  });

  it('draws the bootstrap band around each law when there are resamples', () => {
    const withBoot = fitIsoflop(runs, { tolerance: 0.25, resamples: 300, seed: 1, confidence: 0.9 });
    const band = withBoot.params.band ?? [];
    expect(band).toHaveLength(17);
    for (const p of band) {
      expect(p.low).toBeLessThan(p.high);
      const line = withBoot.params.coefficient * p.budget ** withBoot.params.exponent;
      expect(line).toBeGreaterThan(p.low);
      expect(line).toBeLessThan(p.high);
    }
    const spec = fitChartSpec(withBoot, runs, { budget: 'C', title: 'test' }) as {
      hconcat: { title: { subtitle?: string }; data: { values: { kind: string }[] } }[];
    };
    expect(spec.hconcat[1]?.data.values.filter((v) => v.kind === 'band')).toHaveLength(17);
    expect(spec.hconcat[1]?.title.subtitle).toBe('band: 90% bootstrap interval');
    expect(fit.params.band).toBeUndefined();
  });

  it('renders to SVG in Node', async () => {
    const svg = await renderFitSvg(fit, runs, { budget: 'Cmin', title: 'isoFLOP fit of runs.csv' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('isoFLOP fit of runs.csv');
    expect(svg).toContain('Cmin (FLOPs)');
    // counts are labelled with B for billion, never d3's G
    expect(svg).not.toMatch(/>\d+(\.\d+)?G</);
  });
});
