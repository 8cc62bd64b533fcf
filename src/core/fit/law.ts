/**
 * A fitted isoFLOP result as a law: the same shape as the presets (`Law`,
 * src/core/laws/types.ts), so that every command accepts it in place of a preset name.
 *
 * The allocation is `power` with `budgetUnitFlops: 1`: Nopt = Nc·X^α and Dopt = Dc·X^β with X
 * the budget in FLOPs, `cmin` when the runs carried a batch adjustment (Hunyuan-Large eq. 3),
 * `flops` (raw training compute) when they did not. The fitted range records the budgets'
 * compute (under the matching key) and the sizes and token counts of the runs fitted, so
 * that using the law far outside them is reported as extrapolation.
 */
import type { ComputeModel } from '../compute.js';
import type { Law } from '../laws/types.js';
import type { FittedPowerLaw, IsoflopFit } from './isoflop.js';

export interface FittedLawInfo {
  /** Short id of the law, e.g. `fit-runs`. */
  readonly name: string;
  /** Name of the runs file, for the title and source. */
  readonly file: string;
  /** Number of usable runs read (the title says how many of them were fitted). */
  readonly runs: number;
  readonly budgetKind: 'cmin' | 'flops';
  /** The compute model the runs' C follows (Hunyuan eq. 2 or 6ND). */
  readonly compute: ComputeModel;
}

/**
 * Build the law of a fit.
 *
 * @example
 * const law = lawFromFit(fitIsoflop(runs, options), { name: 'fit-runs', file: 'runs.csv', runs: runs.length, budgetKind: 'flops', compute: DENSE_COMPUTE });
 * law.allocation // { kind: 'power', budget: 'flops', budgetUnitFlops: 1, params: { coefficient, exponent, coefficientCi, exponentCi }, tokens: … }
 */
export function lawFromFit(fit: IsoflopFit, info: FittedLawInfo): Law {
  const power = (law: FittedPowerLaw) => ({
    coefficient: law.coefficient,
    exponent: law.exponent,
    ...(law.coefficientCi ? { coefficientCi: law.coefficientCi } : {}),
    ...(law.exponentCi ? { exponentCi: law.exponentCi } : {}),
  });
  const level = `${Number((fit.bootstrap.confidence * 100).toPrecision(3))}%`;
  const intervals = fit.bootstrap.used > 0 ? `; ${level} bootstrap intervals from ${fit.bootstrap.resamples} resamples (seed ${fit.bootstrap.seed})` : '';
  const range = fit.fittedRange;
  // Without a batch adjustment Cmin = C, so the budgets' range is one of raw compute.
  const budgetRange = info.budgetKind === 'cmin' ? { cmin: range.cmin } : { flops: range.cmin };
  const fitted = fit.budgets.reduce((n, b) => n + b.members.length, 0);
  return {
    name: info.name,
    title: `Fitted from ${info.file}: ${fit.budgets.length} budgets, ${fitted} of ${info.runs} runs`,
    source: `moeplan fit ${info.file}: isoFLOP parabolas of loss in ln N and ln D per budget, log-log least squares across budgets (${info.budgetKind === 'cmin' ? 'Cmin = C/(1 + B/Bcrit)' : 'raw C, no batch adjustment'})${intervals}`,
    compute: { paramsTokens: info.compute.paramsTokens, tokens: info.compute.tokens, paramsMeaning: 'activated' },
    allocation: { kind: 'power', budget: info.budgetKind, budgetUnitFlops: 1, params: power(fit.params), tokens: power(fit.tokens) },
    fittedRange: { ...budgetRange, params: range.params, tokens: range.tokens },
  };
}
