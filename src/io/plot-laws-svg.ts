/**
 * `moeplan optimal --plot laws.svg`: Nopt(C) and Dopt(C) of several laws on log axes, each
 * law's fitted range drawn solid and its extrapolation dashed, the user's budget marked, as
 * one SVG drawn by vega-lite and rendered by vega in Node (no browser, no canvas).
 *
 * vega and vega-lite are large, so this module imports them only inside
 * {@link renderLawsSvg}; the CLI imports this module lazily.
 */
import { rename, unlink, writeFile } from 'node:fs/promises';

/** One point of a curve, as the chart needs it. */
export interface LawsChartPoint {
  readonly budget: number;
  readonly params: number;
  readonly tokens: number;
  readonly range: 'fitted' | 'extrapolation' | 'unrecorded';
}

export interface LawsChartData {
  readonly from: number;
  readonly to: number;
  readonly budget?: number;
  readonly curves: ReadonlyArray<{ readonly label: string; readonly points: readonly LawsChartPoint[] }>;
}

/**
 * The rows of one panel: each curve cut into runs of the same range status, the boundary
 * point repeated in the next run so that solid and dashed pieces join.
 */
function segmentRows(data: LawsChartData, key: 'params' | 'tokens'): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const curve of data.curves) {
    let segment = 0;
    let previous: LawsChartPoint | undefined;
    for (const p of curve.points) {
      const style = p.range === 'fitted' ? 'fitted range' : 'extrapolation';
      const previousStyle = previous && (previous.range === 'fitted' ? 'fitted range' : 'extrapolation');
      if (previous && previousStyle !== style) {
        segment++;
        rows.push({ law: curve.label, segment: `${curve.label}#${segment}`, style, budget: previous.budget, value: previous[key] });
      }
      rows.push({ law: curve.label, segment: `${curve.label}#${segment}`, style, budget: p.budget, value: p[key] });
      previous = p;
    }
  }
  return rows;
}

/** The vega-lite specification of the laws chart (pure data; exported for tests). */
export function lawsChartSpec(data: LawsChartData, title: string): Record<string, unknown> {
  const logX = {
    type: 'quantitative',
    scale: { type: 'log', domain: [data.from, data.to] },
    title: 'budget (FLOPs; Cmin or C as each law reads it)',
    axis: { labelExpr: "replace(format(datum.value, '.0e'), '+', '')" },
  };
  // d3's SI prefix for 10^9 is G; moeplan writes B (billion).
  const countAxis = { labelExpr: "replace(format(datum.value, '.2~s'), 'G', 'B')" };
  const panel = (key: 'params' | 'tokens', heading: string, yTitle: string) => ({
    title: heading,
    width: 340,
    height: 300,
    layer: [
      {
        data: { values: segmentRows(data, key) },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'budget', ...logX },
          y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: yTitle, axis: countAxis },
          color: { field: 'law', type: 'nominal', title: 'law', scale: { scheme: 'category10' } },
          strokeDash: {
            field: 'style',
            type: 'nominal',
            title: 'range',
            scale: {
              domain: ['fitted range', 'extrapolation'],
              range: [
                [1, 0],
                [6, 4],
              ],
            },
          },
          detail: { field: 'segment' },
        },
      },
      ...(data.budget !== undefined
        ? [
            {
              data: { values: [{ budget: data.budget, label: `your budget ${Number(data.budget.toPrecision(3)).toExponential().replace('e+', 'e')}` }] },
              layer: [
                { mark: { type: 'rule', color: '#444', strokeDash: [2, 2] }, encoding: { x: { field: 'budget', type: 'quantitative' } } },
                {
                  mark: { type: 'text', align: 'left', dx: 4, dy: -140, fontSize: 10, color: '#444' },
                  encoding: { x: { field: 'budget', type: 'quantitative' }, text: { field: 'label' } },
                },
              ],
            },
          ]
        : []),
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: "solid: inside the law's fitted range; dashed: extrapolation (or no recorded range)" },
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
    hconcat: [
      panel('params', 'Compute-optimal size Nopt', "Nopt (params, each law's convention)"),
      panel('tokens', 'Compute-optimal tokens Dopt', 'Dopt (tokens)'),
    ],
  };
}

/** Render the laws chart to an SVG string (loads vega-lite and vega on first use). */
export async function renderLawsSvg(data: LawsChartData, title: string): Promise<string> {
  const [vegaLite, vega] = await Promise.all([import('vega-lite'), import('vega')]);
  const compiled = vegaLite.compile(lawsChartSpec(data, title) as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Write `text` to `path` atomically: a temporary file beside it, then a rename. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
