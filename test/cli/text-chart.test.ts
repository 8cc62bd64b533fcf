import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { fitIsoflop } from '../../src/core/fit/isoflop.js';
import { renderTextChart } from '../../src/cli/text-chart.js';
import { generateRuns } from '../../examples/fit/generate.mjs';

describe('renderTextChart', () => {
  const runs = generateRuns({ seed: 1 }).map((r) => ({ ...r, cmin: r.flops }));
  const fit = fitIsoflop(runs, { tolerance: 0.25, resamples: 0, seed: 1, confidence: 0.9 });

  it('draws every budget optimum in both panels, with axis labels', () => {
    const text = renderTextChart(fit, 'C', new Chalk({ level: 0 }));
    const plot = text.split('\n').filter((l) => l.includes('┤'));
    expect((plot.join('\n').match(/●/g) ?? []).length).toBe(2 * fit.budgets.length);
    expect(text).toMatch(/Nopt \(params\) ∝ C\^0\.527/);
    expect(text).toMatch(/1e18\s+1e21/);
    expect(text).not.toMatch(/\x1b\[/);
  });

  it('puts the smallest optimum bottom left and the largest top right', () => {
    const lines = renderTextChart(fit, 'C', new Chalk({ level: 0 })).split('\n');
    const rows = lines.filter((l) => l.includes('┤'));
    const leftCells = (l: string) => l.slice(l.indexOf('┤') + 1, l.indexOf('┤') + 35);
    expect(leftCells(rows[rows.length - 1] as string).startsWith('●')).toBe(true);
    expect(
      leftCells(rows[0] as string)
        .trimEnd()
        .endsWith('●'),
    ).toBe(true);
  });

  it('keeps columns aligned with colour on', () => {
    const plain = renderTextChart(fit, 'C', new Chalk({ level: 0 }));
    const coloured = renderTextChart(fit, 'C', new Chalk({ level: 1 })).replace(/\x1b\[[0-9;]*m/g, '');
    expect(coloured).toBe(plain);
  });
});
