/**
 * The scaling law across budgets: y = coefficient · x^exponent fitted by least squares of
 * ln y on ln x, with both logs centred first (the intercept is then the mean, and the slope
 * does not suffer from the huge ln x of budgets around 10^20). This is how Hunyuan-Large
 * §2.3.1 fits Nopt = Nc·Cmin^α and Dopt = Dc·Cmin^β to the isoFLOP optima.
 */
import { fitLine } from './least-squares.js';

export interface PowerLawFit {
  readonly coefficient: number;
  readonly exponent: number;
  /** ln coefficient (the coefficient itself may under- or overflow for extreme fits). */
  readonly logCoefficient: number;
  /** Coefficient of determination of the log-log fit, 1 − SSres/SStot (NaN for fewer than three points). */
  readonly r2: number;
  /** Number of points fitted. */
  readonly points: number;
}

/**
 * Fit ln y = ln coefficient + exponent · ln x over the points whose ln y is finite.
 * Needs at least two points with different x; returns `undefined` otherwise.
 *
 * @example
 * // Nopt = 5.9e-3·Cmin^0.5305 (Hunyuan-Large §2.3.1) sampled at three budgets
 * const c = [1e18, 1e19, 1e20];
 * fitPowerLaw(c.map(Math.log), c.map((x) => Math.log(5.9e-3 * x ** 0.5305))) // exponent 0.5305, coefficient 5.9e-3
 */
export function fitPowerLaw(logX: ArrayLike<number>, logY: ArrayLike<number>): PowerLawFit | undefined {
  const line = fitLine(logX, logY, 1e-18);
  if (!line) return undefined;
  const { slope: exponent, intercept: logCoefficient, count, syy, residualSumOfSquares } = line;
  return {
    coefficient: Math.exp(logCoefficient),
    exponent,
    logCoefficient,
    r2: count > 2 && syy > 0 ? 1 - residualSumOfSquares / syy : Number.NaN,
    points: count,
  };
}
