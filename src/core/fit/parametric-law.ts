/**
 * A parametric (approach-3) fit as a law: the same shape as the `chinchilla` preset
 * (src/core/laws/chinchilla.ts), a `chinchilla`-kind loss model L(N, D) = E + A/N^α + B/D^β
 * with the closed-form allocation (`kind: 'loss'`, Hoffmann appendix D.2) under
 * C = 6·N·D, so `optimal`, `check` and every command that takes `--law` read it back.
 *
 * The fitted range records the runs' N, D and C (raw training compute).
 */
import type { Law } from '../laws/types.js';
import { type Message, message } from '../messages.js';
import type { ParametricFit } from './parametric.js';

export interface ParametricLawInfo {
  /** Short id of the law, e.g. `fit-runs`. */
  readonly name: string;
  /** Name of the runs file, for the title. */
  readonly file: string;
  /** How the fit was asked for, first in the law's source (e.g. the command line). */
  readonly fittedBy: string;
}

/**
 * Build the law of a parametric fit; undefined with the reason when the fit is no
 * compute-optimal law (α or β not positive, or a constant not finite).
 *
 * @example
 * parametricLaw(fitParametric(runs, options), { name: 'fit-runs', file: 'runs.csv', fittedBy: 'moeplan fit runs.csv --method parametric' })
 * // { law: { …, allocation: { kind: 'loss', budget: 'flops' }, loss: { kind: 'chinchilla', E, A, B, alpha, beta } } }
 */
export function parametricLaw(fit: ParametricFit, info: ParametricLawInfo): { law: Law } | { problem: Message } {
  const { E, A, B, alpha, beta } = fit.loss;
  if (!(alpha > 0 && beta > 0 && Number.isFinite(alpha) && Number.isFinite(beta))) {
    return { problem: message('fit.exponents-not-positive', { alpha, beta }) };
  }
  for (const [constant, value] of Object.entries({ E, A, B })) {
    if (!(value > 0 && Number.isFinite(value))) return { problem: message('fit.constant-not-positive', { constant, value }) };
  }
  const level = `${Number((fit.bootstrap.confidence * 100).toPrecision(3))}%`;
  const intervals = fit.bootstrap.used > 0 ? `; ${level} bootstrap intervals from ${fit.bootstrap.resamples} resamples (seed ${fit.bootstrap.seed})` : '';
  const range = fit.fittedRange;
  return {
    law: {
      name: info.name,
      title: `Fitted from ${info.file}: parametric loss (approach 3), ${fit.runs} runs`,
      source: `${info.fittedBy}: L = E + A/N^α + B/D^β, sum of Huber (δ = ${fit.delta}) losses of log residuals, L-BFGS from ${fit.starts} starts (Hoffmann et al. 2022 approach 3, Besiroglu et al. 2024)${intervals}`,
      compute: { paramsTokens: 6, tokens: 0, paramsMeaning: 'activated' },
      allocation: { kind: 'loss', budget: 'flops' },
      loss: { kind: 'chinchilla', E, A, B, alpha, beta },
      fittedRange: { ...(range.flops ? { flops: range.flops } : {}), params: range.params, tokens: range.tokens },
    },
  };
}
