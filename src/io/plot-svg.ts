/**
 * `moeplan fit --plot fit.svg`: the isoFLOP curves (loss against N per budget, the runs,
 * the fitted parabolas and their minima) and the two power laws Nopt(C) and Dopt(C), as
 * one SVG drawn by vega-lite and rendered by vega in Node (no browser, no canvas).
 *
 * vega and vega-lite are large, so this module imports them only inside
 * {@link renderFitSvg}; the CLI itself imports this module lazily.
 */
import type { FitRun, IsoflopFit } from '../core/fit/isoflop.js';
import { parabolaLoss } from '../core/fit/parabola.js';
import { extent } from '../core/extent.js';
import { type ParametricFit, type ParametricRun, parametricLoss } from '../core/fit/parametric.js';

export interface FitPlotOptions {
  /** Label of the budget axis: `C` or `Cmin`. */
  readonly budget: string;
  readonly title: string;
}

/** Short label of a budget for legends: 6e18, 1.5e20. */
function budgetLabel(flops: number): string {
  return Number(flops.toPrecision(2)).toExponential().replace('e+', 'e');
}

/** The vega-lite specification of the fit chart (pure data; exported for tests). */
export function fitChartSpec(fit: IsoflopFit, runs: readonly FitRun[], options: FitPlotOptions): Record<string, unknown> {
  const points: Record<string, unknown>[] = [];
  const curves: Record<string, unknown>[] = [];
  const minima: Record<string, unknown>[] = [];
  const order = fit.budgets.map((b) => budgetLabel(b.flops));
  for (const b of fit.budgets) {
    const label = budgetLabel(b.flops);
    for (const i of b.members) {
      const run = runs[i] as FitRun;
      points.push({ budget: label, params: run.params, loss: run.loss });
    }
    const lo = Math.log(Math.min(b.paramsRange[0], b.params));
    const hi = Math.log(Math.max(b.paramsRange[1], b.params));
    const steps = 40;
    for (let s = 0; s <= steps; s++) {
      const u = lo + ((hi - lo) * s) / steps;
      curves.push({ budget: label, params: Math.exp(u), loss: parabolaLoss(b.paramsFit, u) });
    }
    minima.push({ budget: label, params: b.params, loss: b.loss });
  }
  const lawRows = (key: 'params' | 'tokens') => {
    const law = fit[key];
    const xs = fit.budgets.map((b) => b.cmin);
    const [lo, hi] = extent(xs);
    return [
      ...fit.budgets.map((b) => ({ budget: b.cmin, value: b[key], kind: 'optimum' })),
      ...[lo, hi].map((c) => ({ budget: c, value: law.coefficient * c ** law.exponent, kind: 'fit' })),
      ...(law.band ?? []).map((p) => ({ budget: p.budget, value: p.low, high: p.high, kind: 'band' })),
    ];
  };
  const colour = { field: 'budget', type: 'ordinal', sort: order, title: 'budget C', scale: { scheme: 'viridis' } };
  const logX = (title: string) => ({
    type: 'quantitative',
    scale: { type: 'log' },
    title,
    axis: { labelExpr: "replace(format(datum.value, '.0e'), '+', '')" },
  });
  // d3's SI prefix for 10^9 is G; moeplan writes B (billion).
  const level = `${Number((fit.bootstrap.confidence * 100).toPrecision(3))}%`;
  const lawPanel = (key: 'params' | 'tokens', title: string, exponent: number, coefficient: number) => ({
    title: {
      text: `${title} = ${coefficient.toPrecision(3)}·${options.budget}^${exponent.toFixed(4)}`,
      ...(fit[key].band ? { subtitle: `band: ${level} bootstrap interval` } : {}),
    },
    width: 260,
    height: 260,
    data: { values: lawRows(key) },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'band'" }],
        mark: { type: 'area', color: '#3b528b', opacity: 0.15 },
        encoding: {
          x: { field: 'budget', type: 'quantitative', scale: { type: 'log' } },
          y: { field: 'value', type: 'quantitative', scale: { type: 'log' } },
          y2: { field: 'high' },
        },
      },
      {
        transform: [{ filter: "datum.kind === 'fit'" }],
        mark: { type: 'line', color: '#888', strokeDash: [4, 3] },
        encoding: {
          x: { field: 'budget', ...logX(`${options.budget} (FLOPs)`) },
          y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title, axis: countAxis },
        },
      },
      {
        transform: [{ filter: "datum.kind === 'optimum'" }],
        mark: { type: 'point', filled: true, size: 60, color: '#3b528b' },
        encoding: { x: { field: 'budget', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'value', type: 'quantitative', scale: { type: 'log' } } },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
    hconcat: [
      {
        title: 'isoFLOP curves: loss against N per budget',
        width: 340,
        height: 260,
        layer: isoflopLayers(points, curves, minima, colour),
      },
      { ...lawPanel('params', 'Nopt', fit.params.exponent, fit.params.coefficient) },
      { ...lawPanel('tokens', 'Dopt', fit.tokens.exponent, fit.tokens.coefficient) },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}

/** One budget of the parametric chart: its compute C (FLOPs) and the indices of its runs. */
export interface ChartBudget {
  readonly flops: number;
  readonly members: readonly number[];
}

/**
 * The vega-lite specification of the parametric fit chart (pure data; exported for tests):
 * per budget, the runs' loss against N and the fitted surface along the isoFLOP line
 * L(N, C/(6N)), with its closed-form minimum marked.
 */
export function parametricChartSpec(
  fit: ParametricFit,
  runs: readonly ParametricRun[],
  budgets: readonly ChartBudget[],
  options: { readonly title: string },
): Record<string, unknown> {
  const points: Record<string, unknown>[] = [];
  const curves: Record<string, unknown>[] = [];
  const minima: Record<string, unknown>[] = [];
  const order = budgets.map((b) => budgetLabel(b.flops));
  const { a, b: tokensExponent, G } = fit.allocation;
  for (const b of budgets) {
    const label = budgetLabel(b.flops);
    const sizes = b.members.map((i) => (runs[i] as ParametricRun).params);
    for (const i of b.members) {
      const run = runs[i] as ParametricRun;
      points.push({ budget: label, params: run.params, loss: run.loss });
    }
    const nopt = G * (b.flops / 6) ** a;
    const [low, high] = extent(sizes);
    const lo = Math.log(Math.min(low, Number.isFinite(nopt) ? nopt : Number.POSITIVE_INFINITY) / 1.25);
    const hi = Math.log(Math.max(high, Number.isFinite(nopt) ? nopt : 0) * 1.25);
    const steps = 48;
    for (let s = 0; s <= steps; s++) {
      const n = Math.exp(lo + ((hi - lo) * s) / steps);
      curves.push({ budget: label, params: n, loss: parametricLoss(fit.loss, n, b.flops / (6 * n)) });
    }
    if (Number.isFinite(nopt) && Number.isFinite(tokensExponent))
      minima.push({ budget: label, params: nopt, loss: parametricLoss(fit.loss, nopt, b.flops / (6 * nopt)) });
  }
  const colour = { field: 'budget', type: 'ordinal', sort: order, title: 'budget C', scale: { scheme: 'viridis' } };
  const l = fit.loss;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title,
      subtitle: `L = ${l.E.toPrecision(4)} + ${l.A.toPrecision(4)}/N^${l.alpha.toFixed(4)} + ${l.B.toPrecision(4)}/D^${l.beta.toFixed(4)}; curves: D = C/(6N); ◆ closed-form optimum`,
    },
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
    width: 480,
    height: 320,
    layer: isoflopLayers(points, curves, minima, colour),
  };
}

/** Render the parametric fit chart to an SVG string (loads vega-lite and vega on first use). */
export async function renderParametricSvg(
  fit: ParametricFit,
  runs: readonly ParametricRun[],
  budgets: readonly ChartBudget[],
  options: { readonly title: string },
): Promise<string> {
  return renderSpec(parametricChartSpec(fit, runs, budgets, options));
}

/** Render the fit chart to an SVG string (loads vega-lite and vega on first use). */
export async function renderFitSvg(fit: IsoflopFit, runs: readonly FitRun[], options: FitPlotOptions): Promise<string> {
  return renderSpec(fitChartSpec(fit, runs, options));
}

async function renderSpec(spec: Record<string, unknown>): Promise<string> {
  const [vegaLite, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Render the fit chart and write it to `path`. */
export async function writeFitSvg(path: string, fit: IsoflopFit, runs: readonly FitRun[], options: FitPlotOptions): Promise<void> {
  const { writeFileAtomic } = await import('./output-file.js');
  await writeFileAtomic(path, await renderFitSvg(fit, runs, options), 'plot');
}

/** Axis labels for counts: SI prefixes, with B (billion) for G. */
const countAxis = { labelExpr: "replace(format(datum.value, '.2~s'), 'G', 'B')" };

/**
 * The layers of an isoFLOP chart, shared by both fit methods: the runs as points (loss
 * against N, coloured by budget), one curve per budget, and each budget's minimum as a diamond.
 */
function isoflopLayers(points: readonly object[], curves: readonly object[], minima: readonly object[], colour: object): object[] {
  return [
    {
      data: { values: points },
      mark: { type: 'point', opacity: 0.7 },
      encoding: {
        x: { field: 'params', type: 'quantitative', scale: { type: 'log' }, title: 'activated params N', axis: countAxis },
        y: { field: 'loss', type: 'quantitative', scale: { zero: false }, title: 'final loss' },
        color: colour,
      },
    },
    {
      data: { values: curves },
      mark: { type: 'line' },
      encoding: { x: { field: 'params', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'loss', type: 'quantitative' }, color: colour },
    },
    {
      data: { values: minima },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: 'black' },
      encoding: { x: { field: 'params', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'loss', type: 'quantitative' } },
    },
  ];
}
