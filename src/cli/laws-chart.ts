/**
 * `optimal --plot`: Nopt(C) and Dopt(C) of several laws over a budget range, each point
 * marked as inside the law's fitted range or not, and a compact terminal rendering of the
 * same chart (the SVG is drawn by io/plot-laws-svg.ts).
 */
import type { ChalkInstance } from 'chalk';
import { type OptimalAllocation, allocationBudgetKind, optimalAllocation } from '../core/allocation.js';
import type { Law } from '../core/laws/index.js';
import type { OptimumOptions } from '../core/loss.js';
import { sci, si } from '../io/format.js';
import { PARAMS_MEANING_LABEL } from './loss-text.js';

/** Where a point lies: inside the law's fitted range, outside it, or the law records none. */
export type RangeStatus = 'fitted' | 'extrapolation' | 'unrecorded';

export interface CurvePoint {
  /** The budget in FLOPs, read by the law as Cmin or C (`budgetKind`). */
  readonly budget: number;
  readonly params: number;
  readonly tokens: number;
  readonly range: RangeStatus;
}

export interface LawCurve {
  readonly law: string;
  readonly budgetKind: 'cmin' | 'flops';
  readonly paramsMeaning: OptimalAllocation['paramsMeaning'];
  readonly points: readonly CurvePoint[];
}

export interface LawsChart {
  readonly from: number;
  readonly to: number;
  /** The user's budget, marked on the chart. */
  readonly budget?: number;
  readonly curves: readonly LawCurve[];
}

/** Budgets sampled per curve (log-spaced, ends included). */
export const CHART_SAMPLES = 61;

/** The curves of `laws` from `from` to `to` FLOPs; `options` gives each law its MoE options. */
export function lawsChart(laws: readonly Law[], from: number, to: number, options: (law: Law) => OptimumOptions, budget?: number): LawsChart {
  const budgets = Array.from({ length: CHART_SAMPLES }, (_, i) => Math.exp(Math.log(from) + ((Math.log(to) - Math.log(from)) * i) / (CHART_SAMPLES - 1)));
  const curves = laws.map((law): LawCurve => {
    const raw = allocationBudgetKind(law) === 'flops';
    const points = budgets.map((b): CurvePoint => {
      const r = optimalAllocation(law, b, { ...(raw ? { flops: b } : {}), ...options(law) });
      return { budget: b, params: r.params, tokens: r.tokens, range: r.fittedRange ? (r.extrapolation ? 'extrapolation' : 'fitted') : 'unrecorded' };
    });
    return { law: law.name, budgetKind: allocationBudgetKind(law), paramsMeaning: law.compute.paramsMeaning ?? 'activated', points };
  });
  return { from, to, ...(budget !== undefined ? { budget } : {}), curves };
}

/** A legend label: `kaplan (N non-embedding)`. */
export function curveLabel(curve: LawCurve): string {
  if (curve.paramsMeaning === 'activated') return curve.law;
  return `${curve.law} (${curve.paramsMeaning === 'flops-per-token' ? 'N ≈ M/6' : `N ${PARAMS_MEANING_LABEL[curve.paramsMeaning]}`})`;
}

const WIDTH = 40;
const HEIGHT = 12;
const SYMBOLS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Nopt and Dopt side by side on log axes: one letter per law, upper case inside its fitted
 * range, lower case outside it (or where it records none), │ at the user's budget.
 */
export function renderLawsChart(chart: LawsChart, chalk: ChalkInstance): string {
  const panel = (key: 'params' | 'tokens', title: string) => {
    const values = chart.curves.flatMap((c) => c.points.map((p) => Math.log(p[key])));
    let yMin = Math.min(...values);
    let yMax = Math.max(...values);
    if (yMax - yMin < 1e-9) {
      yMin -= 1;
      yMax += 1;
    }
    const xMin = Math.log(chart.from);
    const span = Math.log(chart.to) - xMin || 1;
    const column = (budget: number) => Math.round(((Math.log(budget) - xMin) / span) * (WIDTH - 1));
    const grid: string[][] = Array.from({ length: HEIGHT }, () => Array.from({ length: WIDTH }, () => ' '));
    if (chart.budget !== undefined && chart.budget >= chart.from && chart.budget <= chart.to) {
      const c = column(chart.budget);
      for (const cells of grid) cells[c] = chalk.dim('│');
    }
    chart.curves.forEach((curve, i) => {
      const symbol = SYMBOLS[i % SYMBOLS.length] as string;
      for (const p of curve.points) {
        const r = HEIGHT - 1 - Math.round(((Math.log(p[key]) - yMin) / (yMax - yMin)) * (HEIGHT - 1));
        (grid[r] as string[])[column(p.budget)] = p.range === 'fitted' ? chalk.bold(symbol.toUpperCase()) : symbol;
      }
    });
    const top = si(Math.exp(yMax), 2);
    const bottom = si(Math.exp(yMin), 2);
    const labelWidth = Math.max(top.length, bottom.length);
    const out = [`${' '.repeat(labelWidth)}  ${title}`];
    grid.forEach((cells, r) => {
      out.push(`${(r === 0 ? top : r === HEIGHT - 1 ? bottom : '').padStart(labelWidth)} ┤${cells.join('')}`);
    });
    const left = sci(chart.from, 2);
    const right = sci(chart.to, 2);
    out.push(`${' '.repeat(labelWidth)} └${'─'.repeat(WIDTH)}`);
    out.push(`${' '.repeat(labelWidth)}  ${left}${' '.repeat(Math.max(1, WIDTH - left.length - right.length))}${right}`);
    return out;
  };
  const left = panel('params', 'Nopt (params)');
  const right = panel('tokens', 'Dopt (tokens)');
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const width = Math.max(...left.map(visible));
  const lines = left.map((l, i) => `${l}${' '.repeat(width - visible(l) + 4)}${right[i] ?? ''}`.trimEnd());
  const entries = chart.curves.map((c, i) => `${(SYMBOLS[i % SYMBOLS.length] as string).toUpperCase()} ${curveLabel(c)}`);
  const legend: string[] = [];
  for (let i = 0; i < entries.length; i += 4) legend.push(entries.slice(i, i + 4).join('   '));
  const marked = chart.budget !== undefined ? `, │ your budget ${sci(chart.budget, 4)}` : '';
  return (
    `${chalk.bold('Compute-optimal Nopt and Dopt against the budget')} (FLOPs, log axes; Cmin or C as each law reads it)\n` +
    `${lines.join('\n')}\n` +
    `${legend.map((l) => `  ${l}`).join('\n')}\n` +
    `  ${chalk.dim(`upper case: inside the law's fitted range; lower case: extrapolation or no recorded range${marked}`)}\n`
  );
}
