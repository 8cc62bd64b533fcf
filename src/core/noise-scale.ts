/**
 * The gradient noise scale Bnoise estimated from training runs (Li et al. 2024, "Surge
 * phenomenon in optimal learning rate and batch size scaling", eq. 22; after McCandlish
 * et al. 2018 and Kaplan et al. 2020 §5.1).
 *
 * Train to the same loss at several batch sizes and record, for each, the optimizer steps S
 * and the tokens processed E ("examples", counted in tokens). The trade-off
 * S = Smin·(1 + Bnoise/B) with E = B·S gives the straight line
 *
 *   1/S = −Bnoise · (1/E) + 1/Smin,
 *
 * so an ordinary least-squares line through the points (1/E, 1/S) has slope −Bnoise and
 * intercept 1/Smin. Each run counts once (no weights); the points are the runs as measured.
 */
import { MoeplanError } from './errors.js';
import { message } from './messages.js';
import { fitLine } from './fit/least-squares.js';

/** One run: steps and tokens to reach the fixed target loss. */
export interface NoiseScaleRun {
  /** S, optimizer steps to the target loss. */
  readonly steps: number;
  /** E, tokens processed to the target loss (batch × steps). */
  readonly examples: number;
}

export interface NoiseScaleFit {
  /** Bnoise in tokens: minus the slope of 1/S on 1/E. */
  readonly noiseTokens: number;
  /** Standard error of Bnoise (from the slope's OLS standard error; 0 with two runs). */
  readonly noiseTokensStdError: number;
  /** Smin, the fewest steps that reach the loss (infinite batch): 1 / intercept. */
  readonly minSteps: number;
  /** Emin = Smin·Bnoise, the fewest tokens that reach the loss (tiny batch). */
  readonly minExamples: number;
  /** Coefficient of determination of the line (1 is a perfect fit). */
  readonly rSquared: number;
  /** Number of runs fitted. */
  readonly runs: number;
  readonly slope: number;
  readonly intercept: number;
}

/**
 * Fit 1/S = −Bnoise·(1/E) + 1/Smin (Li et al. 2024 eq. 22) by least squares.
 *
 * Units: E in tokens gives Bnoise in tokens per step; S in steps.
 *
 * @example
 * // Runs generated with Bnoise = 2M tokens and Smin = 5000 steps: S = Smin·(1 + Bnoise/B).
 * fitNoiseScale([1e6, 4e6, 16e6].map((b) => { const s = 5000 * (1 + 2e6 / b); return { steps: s, examples: b * s }; }))
 * // { noiseTokens: 2e6, minSteps: 5000, rSquared: 1, … }
 * @throws MoeplanError `BAD_INPUT` with fewer than two runs, identical runs, or a line
 *   whose slope or intercept has the wrong sign (the runs do not follow the trade-off).
 */
export function fitNoiseScale(runs: readonly NoiseScaleRun[]): NoiseScaleFit {
  if (runs.length < 2) {
    throw new MoeplanError('BAD_INPUT', message('noise.too-few-runs', { runs: runs.length }), { hint: message('noise.too-few-runs.hint', {}) });
  }
  runs.forEach((run, i) => {
    for (const key of ['steps', 'examples'] as const) {
      if (!(Number.isFinite(run[key]) && run[key] > 0)) {
        throw new MoeplanError('OUT_OF_RANGE', message('noise.run-out-of-range', { run: i + 1, column: key, value: run[key] }), { field: key });
      }
    }
  });
  const xs = runs.map((r) => 1 / r.examples);
  const ys = runs.map((r) => 1 / r.steps);
  const n = runs.length;
  const line = fitLine(xs, ys);
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  if (!line || line.sxx <= 1e-24 * meanX * meanX * n) {
    throw new MoeplanError('BAD_INPUT', message('noise.same-tokens', {}), { hint: message('noise.same-tokens.hint', {}) });
  }
  const { slope, intercept, sxx, sxy, syy } = line;
  if (!(slope < 0)) {
    throw new MoeplanError('BAD_FIT', message('noise.positive-slope', { slope }), { hint: message('noise.positive-slope.hint', {}) });
  }
  if (!(intercept > 0)) {
    throw new MoeplanError('BAD_FIT', message('noise.no-minimum-steps', { intercept }), { hint: message('noise.no-minimum-steps.hint', {}) });
  }
  const residual = syy - slope * sxy;
  const rSquared = syy > 0 ? Math.max(0, Math.min(1, 1 - residual / syy)) : 1;
  const slopeStdError = n > 2 ? Math.sqrt(Math.max(0, residual) / (n - 2) / sxx) : 0;
  const noiseTokens = -slope;
  const minSteps = 1 / intercept;
  return {
    noiseTokens,
    noiseTokensStdError: slopeStdError,
    minSteps,
    minExamples: minSteps * noiseTokens,
    rSquared,
    runs: n,
    slope,
    intercept,
  };
}

/**
 * Steps and tokens to reach a fixed loss at batch size B, from the trade-off the fit
 * assumes: S = Smin·(1 + Bnoise/B), E = B·S (McCandlish et al. 2018; Kaplan eq. 5.4 with
 * Bcrit in place of Bnoise). Handy for generating or checking runs.
 *
 * @example runAtBatch(2e6, 2e6, 5000) // { steps: 10000, examples: 2e10 }
 */
export function runAtBatch(batchTokens: number, noiseTokens: number, minSteps: number): NoiseScaleRun {
  const steps = minSteps * (1 + noiseTokens / batchTokens);
  return { steps, examples: batchTokens * steps };
}
