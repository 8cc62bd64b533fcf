/**
 * A compact terminal chart of a fitted scaling law: the per-budget optima (●) and the
 * fitted power law (·) on log-log axes, Nopt and Dopt side by side, in plain Unicode so
 * that it reads in any terminal and in CI logs.
 */
import type { ChalkInstance } from 'chalk';
import type { IsoflopFit } from '../core/fit/isoflop.js';
import { sci, si } from '../io/format.js';
import { extent } from '../core/extent.js';

const WIDTH = 34;
const HEIGHT = 9;

interface Panel {
  readonly title: string;
  readonly x: readonly number[]; // ln budget
  readonly y: readonly number[]; // ln optimum
  readonly slope: number;
  readonly intercept: number;
}

function panelLines(panel: Panel, chalk: ChalkInstance, budget: string): string[] {
  const xs = panel.x;
  const line = (x: number) => panel.intercept + panel.slope * x;
  const [xMin, xMax] = extent(xs);
  const ys = [...panel.y, line(xMin), line(xMax)];
  let [yMin, yMax] = extent(ys);
  if (yMax - yMin < 1e-9) {
    yMin -= 1;
    yMax += 1;
  }
  const span = xMax - xMin || 1;
  const grid: string[][] = Array.from({ length: HEIGHT }, () => Array.from({ length: WIDTH }, () => ' '));
  const row = (y: number) => HEIGHT - 1 - Math.round(((y - yMin) / (yMax - yMin)) * (HEIGHT - 1));
  for (let c = 0; c < WIDTH; c++) {
    const x = xMin + (c / (WIDTH - 1)) * span;
    const r = row(line(x));
    if (r >= 0 && r < HEIGHT) (grid[r] as string[])[c] = chalk.dim('·');
  }
  xs.forEach((x, i) => {
    const c = Math.round(((x - xMin) / span) * (WIDTH - 1));
    const r = row(panel.y[i] as number);
    (grid[r] as string[])[c] = chalk.cyan('●');
  });
  const top = si(Math.exp(yMax), 2);
  const bottom = si(Math.exp(yMin), 2);
  const labelWidth = Math.max(top.length, bottom.length);
  const out = [`${' '.repeat(labelWidth)}  ${panel.title}`];
  grid.forEach((cells, r) => {
    const label = r === 0 ? top : r === HEIGHT - 1 ? bottom : '';
    out.push(`${label.padStart(labelWidth)} ┤${cells.join('')}`);
  });
  const left = sci(Math.exp(xMin), 2);
  const right = sci(Math.exp(xMax), 2);
  out.push(`${' '.repeat(labelWidth)} └${'─'.repeat(WIDTH)}`);
  out.push(`${' '.repeat(labelWidth)}  ${left}${' '.repeat(Math.max(1, WIDTH - left.length - right.length))}${right}`);
  out.push(`${' '.repeat(labelWidth)}  ${budget} (FLOPs, log scale)`.padEnd(labelWidth + 2 + WIDTH));
  return out;
}

/** Render Nopt and Dopt against the budget, side by side (plain text when chalk has no colour). */
export function renderTextChart(fit: IsoflopFit, budget: string, chalk: ChalkInstance): string {
  const x = fit.budgets.map((b) => Math.log(b.cmin));
  const left = panelLines(
    {
      title: `Nopt (params) ∝ ${budget}^${fit.params.exponent.toFixed(3)}`,
      x,
      y: fit.budgets.map((b) => Math.log(b.params)),
      slope: fit.params.exponent,
      intercept: fit.params.logCoefficient,
    },
    chalk,
    budget,
  );
  const right = panelLines(
    {
      title: `Dopt (tokens) ∝ ${budget}^${fit.tokens.exponent.toFixed(3)}`,
      x,
      y: fit.budgets.map((b) => Math.log(b.tokens)),
      slope: fit.tokens.exponent,
      intercept: fit.tokens.logCoefficient,
    },
    chalk,
    budget,
  );
  // Pad by visible width (colour codes have no width).
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const width = Math.max(...left.map(visible));
  const lines = left.map((l, i) => `${l}${' '.repeat(width - visible(l) + 4)}${right[i] ?? ''}`.trimEnd());
  return `${chalk.bold('Optima per budget')} (● vertex, · fitted law)\n${lines.join('\n')}\n`;
}
