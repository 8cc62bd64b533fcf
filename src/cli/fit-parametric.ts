/**
 * The parametric (approach-3) part of `moeplan fit --method parametric|both`: the fitted
 * loss for people (rows with intervals), as JSON, and the two allocations side by side.
 * Shared by the fit command only; kept apart from its isoFLOP rendering.
 */
import type { IsoflopFit } from '../core/fit/isoflop.js';
import type { ParametricFit } from '../core/fit/parametric.js';
import { sci, si, trimNumber } from '../io/format.js';
import type { Context } from './context.js';
import { type Row, renderRows, renderTable } from './render.js';

export type FitMethod = 'isoflop' | 'parametric' | 'both';
export const FIT_METHODS: readonly FitMethod[] = ['isoflop', 'parametric', 'both'];

/** A constant for people: plain for everyday magnitudes, scientific otherwise. */
function constant(x: number, digits = 4): string {
  const magnitude = Math.abs(x);
  return magnitude >= 1e-3 && magnitude < 1e5 ? trimNumber(x, digits) : sci(x, digits);
}

function interval(value: readonly [number, number] | undefined, digits = 4): string {
  return value ? `${constant(value[0], digits)} – ${constant(value[1], digits)}` : '';
}

/** The fitted loss, allocation and fit quality as rows. */
export function renderParametric(fit: ParametricFit, ctx: Context, file: string): string {
  const level = `${trimNumber(fit.bootstrap.confidence * 100, 3)}%`;
  const withCi = fit.bootstrap.used > 0;
  const ci = fit.intervals;
  const header = `Parametric fit (approach 3) · ${file}: ${fit.runs} runs, ${fit.starts} starts, Huber δ ${fit.delta}`;
  const rows: Row[] = [
    {
      label: 'L(N, D) = E + A/N^α + B/D^β',
      value: '',
      note: withCi ? `${level} bootstrap interval, ${fit.bootstrap.used} resamples` : 'no bootstrap (--bootstrap 0)',
    },
    { label: '  E (irreducible)', value: constant(fit.loss.E), unit: 'loss', note: interval(ci?.E) },
    { label: '  A', value: constant(fit.loss.A), note: interval(ci?.A) },
    { label: '  B', value: constant(fit.loss.B), note: interval(ci?.B) },
    { label: '  α (params)', value: trimNumber(fit.loss.alpha, 4), strong: true, note: interval(ci?.alpha) },
    { label: '  β (tokens)', value: trimNumber(fit.loss.beta, 4), strong: true, note: interval(ci?.beta) },
    { label: 'Nopt = G·(C/6)^a, Dopt = (C/6)^b / G', value: '', note: 'closed form under C = 6·N·D (Hoffmann eq. 4)' },
    ...(Number.isFinite(fit.allocation.a)
      ? [
          { label: '  a = β/(α+β)', value: trimNumber(fit.allocation.a, 4), strong: true, note: interval(ci?.a) },
          { label: '  b = α/(α+β)', value: trimNumber(fit.allocation.b, 4), strong: true, note: interval(ci?.b) },
          { label: '  G', value: constant(fit.allocation.G) },
        ]
      : [{ label: '  a, b, G', value: '–', note: 'none: α and β must both be positive' }]),
    { label: 'R² (loss)', value: trimNumber(fit.r2, 4) },
    { label: 'Huber objective', value: sci(fit.objective, 4), note: `sum over runs of log residuals; |gradient| ${sci(fit.gradientNorm, 1)}` },
  ];
  return renderRows(rows, ctx.chalk, header);
}

/** Nopt and Dopt of the closed form at a raw-compute budget C. */
export function parametricOptimum(fit: ParametricFit, flops: number): { params: number; tokens: number } {
  const { a, b, G } = fit.allocation;
  return { params: G * (flops / 6) ** a, tokens: (flops / 6) ** b / G };
}

/**
 * The two allocations side by side: exponents with their intervals, and Nopt, Dopt at the
 * smallest and largest budget fitted and at 1000 times the largest (extrapolation), where
 * a disagreement shows how loosely the runs pin the law down.
 */
export function renderComparison(isoflop: IsoflopFit | { error: string }, parametric: ParametricFit, ctx: Context): string {
  const level = `${trimNumber(parametric.bootstrap.confidence * 100, 3)}%`;
  const pc = parametric.intervals;
  const iso = 'error' in isoflop ? undefined : isoflop;
  const exponent = (value: number, ci: readonly [number, number] | undefined) =>
    Number.isFinite(value) ? `${trimNumber(value, 4)}${ci ? ` (${trimNumber(ci[0], 3)}–${trimNumber(ci[1], 3)})` : ''}` : '–';
  const count = (value: number) => (Number.isFinite(value) && value > 0 ? si(value, 3) : '–');
  const rows: string[][] = [
    ['Nopt exponent', iso ? exponent(iso.params.exponent, iso.params.exponentCi) : '–', exponent(parametric.allocation.a, pc?.a)],
    ['Dopt exponent', iso ? exponent(iso.tokens.exponent, iso.tokens.exponentCi) : '–', exponent(parametric.allocation.b, pc?.b)],
  ];
  const range = iso ? iso.fittedRange.cmin : parametric.fittedRange.flops;
  if (range) {
    for (const flops of [range[0], range[1], range[1] * 1000]) {
      const p = parametricOptimum(parametric, flops);
      const n = iso ? iso.params.coefficient * flops ** iso.params.exponent : Number.NaN;
      const d = iso ? iso.tokens.coefficient * flops ** iso.tokens.exponent : Number.NaN;
      const label = `at C = ${sci(flops, 2)}${flops > range[1] ? ' (extrapolated)' : ''}`;
      rows.push([`Nopt ${label}`, count(n), count(p.params)], [`Dopt ${label}`, count(d), count(p.tokens)]);
    }
  }
  let text = `\n${ctx.chalk.bold('Allocations side by side')} (${level} intervals)\n`;
  text += renderTable(['', 'isoFLOP (approach 2)', 'parametric (approach 3)'], rows, ctx.chalk, ['l', 'r', 'r']);
  if (!iso) text += `  isoFLOP: ${(isoflop as { error: string }).error}\n`;
  return text;
}

/** The JSON of a parametric fit (stable keys; intervals null without a bootstrap). */
export function parametricJson(fit: ParametricFit): Record<string, unknown> {
  const ci = fit.intervals;
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    loss: { kind: 'chinchilla', ...fit.loss },
    allocation: { a: finite(fit.allocation.a), b: finite(fit.allocation.b), G: finite(fit.allocation.G), budget: 'flops', compute: '6ND' },
    ci: {
      E: ci?.E ?? null,
      A: ci?.A ?? null,
      B: ci?.B ?? null,
      alpha: ci?.alpha ?? null,
      beta: ci?.beta ?? null,
      a: ci?.a ?? null,
      b: ci?.b ?? null,
    },
    r2: finite(fit.r2),
    objective: fit.objective,
    gradientNorm: fit.gradientNorm,
    delta: fit.delta,
    starts: fit.starts,
    bestStart: { a: fit.bestStart[0], b: fit.bestStart[1], e: fit.bestStart[2], alpha: fit.bestStart[3], beta: fit.bestStart[4] },
    runs: fit.runs,
    bootstrap: fit.bootstrap,
    fittedRange: fit.fittedRange,
  };
}
