/**
 * One budget's isoFLOP curve: a least-squares parabola of final loss in log size,
 * loss ≈ c0 + c1·t + c2·t², with t = (ln x − mean)/sd the centred, scaled log of the
 * model size (or token count). Its vertex is the budget's compute-optimal size.
 *
 * This is the fit of Hunyuan-Large §2.3.1 (figures 3 and 4: "quadratic polynomial
 * fitting" of the isoFLOP curves) and of Hoffmann et al. 2022 approach 2.
 *
 * Optionally a fourth column z = ln(C_run / C_budget) (centred, scaled) absorbs the loss
 * change of runs that landed off their budget, so that the parabola describes loss at the
 * budget itself: loss ≈ c0 + c1·t + c2·t² + c3·z. Runs rarely land exactly on a budget;
 * without this term a run 10% over its budget looks slightly better than it is.
 */
import { solveLeastSquares } from './least-squares.js';

/** Why a parabola gave no optimum. */
export type ParabolaFailure = 'too-few-runs' | 'too-few-sizes' | 'not-convex' | 'far-outside' | 'overflow';

export type ParabolaFit =
  | {
      readonly ok: true;
      /** ln of the vertex: ln Nopt (or ln Dopt) for the budget. */
      readonly logVertex: number;
      /** Loss at the vertex (at the budget itself when the offset term is used). */
      readonly minimumLoss: number;
      /** d²loss/d(ln x)²: the curvature in natural-log units, > 0 for a minimum. */
      readonly curvature: number;
      /** Whether the vertex lies inside the sampled range of ln x. */
      readonly inRange: boolean;
      /**
       * The parabola in its centred form, for drawing: loss ≈ c0 + c1·t + c2·t² with
       * t = (ln x − centre)/scale (at the budget itself when the offset term is used).
       */
      readonly centred: { readonly centre: number; readonly scale: number; readonly coefficients: readonly [number, number, number] };
      /** Coefficient of ln(C_run/C_budget) when the offset term was used, else 0. */
      readonly offsetSlope: number;
    }
  | { readonly ok: false; readonly failure: ParabolaFailure; readonly curvature?: number };

/** Reusable buffers so that the bootstrap allocates nothing per fit. */
export interface ParabolaWorkspace {
  a: Float64Array;
  b: Float64Array;
  out: Float64Array;
}

/** Buffers for fits of up to `n` runs (four columns: the offset term needs the fourth). */
export function parabolaWorkspace(n: number): ParabolaWorkspace {
  return { a: new Float64Array(4 * n), b: new Float64Array(n), out: new Float64Array(8) };
}

/**
 * Fit loss against ln x for the runs `index[0..count)` of the arrays `logX`, `loss` (and
 * `offset` = ln(C_run/C_budget) when given). Returns the vertex, or why there is none:
 * fewer than three runs, fewer than three distinct sizes, curvature ≤ 0 (no minimum), or a
 * vertex further outside the sampled range than the range is wide (a minimum the runs do
 * not bracket is a guess, not an optimum).
 *
 * @example
 * // loss = 3 + (ln N − ln 1e8)² sampled at 1e7, 1e8, 1e9: vertex at N = 1e8
 * const x = [1e7, 1e8, 1e9].map(Math.log);
 * const l = x.map((v) => 3 + (v - Math.log(1e8)) ** 2);
 * Math.exp(fitParabola(x, l, [0, 1, 2], 3).logVertex) // 1e8
 */
export function fitParabola(
  logX: ArrayLike<number>,
  loss: ArrayLike<number>,
  index: ArrayLike<number>,
  count: number,
  offset?: ArrayLike<number>,
  workspace: ParabolaWorkspace = parabolaWorkspace(count),
): ParabolaFit {
  if (count < 3) return { ok: false, failure: 'too-few-runs' };
  let mean = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const v = logX[index[i] as number] as number;
    mean += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  mean /= count;
  let variance = 0;
  for (let i = 0; i < count; i++) variance += ((logX[index[i] as number] as number) - mean) ** 2;
  const sd = Math.sqrt(variance / count);
  // Three distinct sizes are needed for a parabola; count them cheaply (sizes within 1e-9 in ln are one size).
  if (!(sd > 1e-9) || distinctAtLeastThree(logX, index, count) === false) return { ok: false, failure: 'too-few-sizes' };

  let offsetMean = 0;
  let offsetSd = 0;
  if (offset) {
    for (let i = 0; i < count; i++) offsetMean += offset[index[i] as number] as number;
    offsetMean /= count;
    for (let i = 0; i < count; i++) offsetSd += ((offset[index[i] as number] as number) - offsetMean) ** 2;
    offsetSd = Math.sqrt(offsetSd / count);
  }
  // The offset column is used only when the runs' compute actually varies and there are
  // enough runs left for the residual; otherwise it would make A rank deficient.
  const useOffset = offset !== undefined && offsetSd > 1e-9 && count >= 5;
  const p = useOffset ? 4 : 3;
  if (workspace.a.length < p * count) Object.assign(workspace, parabolaWorkspace(count));
  const { a, b, out } = workspace;
  for (let i = 0; i < count; i++) {
    const j = index[i] as number;
    const t = ((logX[j] as number) - mean) / sd;
    a[i] = 1;
    a[count + i] = t;
    a[2 * count + i] = t * t;
    if (useOffset) a[3 * count + i] = (((offset as ArrayLike<number>)[j] as number) - offsetMean) / offsetSd;
    b[i] = loss[j] as number;
  }
  const solved = solveLeastSquares(a, b, count, p, out);
  const c = solved.coefficients;
  if (!c) return { ok: false, failure: 'too-few-sizes' };
  let c0 = c[0] as number;
  const c1 = c[1] as number;
  const c2 = c[2] as number;
  const c3 = useOffset ? (c[3] as number) : 0;
  // Evaluate at z = 0 (the budget itself): shift the intercept by the offset term.
  if (useOffset) c0 -= (c3 * offsetMean) / offsetSd;
  const curvature = (2 * c2) / (sd * sd);
  // A flat curve (all losses equal) leaves only rounding noise in c2: treat a curvature
  // below 1e-10 of the loss scale as none, or its "vertex" would be noise.
  let scale = 0;
  for (let i = 0; i < count; i++) scale = Math.max(scale, Math.abs(loss[index[i] as number] as number));
  if (!(c2 > 1e-10 * scale)) return { ok: false, failure: 'not-convex', curvature };
  const tVertex = -c1 / (2 * c2);
  const logVertex = mean + sd * tVertex;
  const width = max - min;
  if (logVertex < min - width || logVertex > max + width) return { ok: false, failure: 'far-outside', curvature };
  // c1·(c1/4c2) rather than c1²/4c2: the square of a large slope would overflow.
  const minimumLoss = c0 - c1 * (c1 / (4 * c2));
  if (!Number.isFinite(minimumLoss) || !Number.isFinite(curvature)) return { ok: false, failure: 'overflow', curvature };
  return {
    ok: true,
    logVertex,
    minimumLoss,
    curvature,
    inRange: logVertex >= min && logVertex <= max,
    centred: { centre: mean, scale: sd, coefficients: [c0, c1, c2] },
    offsetSlope: useOffset ? c3 / offsetSd : 0,
  };
}

function distinctAtLeastThree(logX: ArrayLike<number>, index: ArrayLike<number>, count: number): boolean {
  const first = logX[index[0] as number] as number;
  let second = Number.NaN;
  for (let i = 1; i < count; i++) {
    const v = logX[index[i] as number] as number;
    if (Math.abs(v - first) <= 1e-9) continue;
    if (Number.isNaN(second)) second = v;
    else if (Math.abs(v - second) > 1e-9) return true;
  }
  return false;
}

/**
 * Loss of a fitted parabola at ln x: c0 + c1·t + c2·t² with t = (ln x − centre)/scale.
 *
 * @example
 * const fit = fitParabola(x, loss, index, n); // loss ≈ 3 + (ln N − ln 1e8)²
 * parabolaLoss(fit, Math.log(1e8)) // 3, the minimum
 */
export function parabolaLoss(fit: Extract<ParabolaFit, { ok: true }>, logX: number): number {
  const { centre, scale, coefficients } = fit.centred;
  const t = (logX - centre) / scale;
  return coefficients[0] + coefficients[1] * t + coefficients[2] * t * t;
}
