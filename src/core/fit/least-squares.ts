/**
 * Linear least squares by Householder QR: minimise ‖A·x − b‖₂ for a tall n×p matrix A
 * (n ≥ p). QR works on A itself, so its error grows with cond(A), not with cond(A)²
 * as the normal equations AᵀA·x = Aᵀb do (Golub and Van Loan, Matrix Computations,
 * §5.3). Callers centre and scale their columns first (see parabola.ts), which keeps
 * cond(A) small.
 *
 * The matrix is column-major in one Float64Array (`a[j*n + i]` is row i, column j), and
 * is overwritten, as is `b`: the routine allocates nothing, so the bootstrap can call it
 * a million times.
 */

/** Result of {@link solveLeastSquares}: the coefficients, or `undefined` when A is rank deficient. */
export interface LeastSquaresResult {
  /** x, length p; `undefined` when a column is (numerically) a combination of the others. */
  readonly coefficients: Float64Array | undefined;
  /** The residual sum of squares ‖A·x − b‖². */
  readonly residualSumOfSquares: number;
}

/**
 * Solve min ‖A·x − b‖₂ in place (A is n×p, column-major; both A and b are overwritten).
 * `out`, when given with length ≥ 2p, receives x in its first p entries and serves as
 * workspace, so nothing is allocated; the returned `coefficients` is then `out` itself. A column whose remaining norm after the
 * earlier reflections is below 1e-10 of its original norm makes A rank deficient and the
 * result `undefined`.
 *
 * @example
 * // fit y = 1 + 2t through (0,1), (1,3), (2,5)
 * solveLeastSquares(new Float64Array([1, 1, 1, 0, 1, 2]), new Float64Array([1, 3, 5]), 3, 2).coefficients // [1, 2]
 */
export function solveLeastSquares(a: Float64Array, b: Float64Array, n: number, p: number, out?: Float64Array): LeastSquaresResult {
  if (n < p) return { coefficients: undefined, residualSumOfSquares: Number.NaN };
  const diagonal = out && out.length >= 2 * p ? undefined : new Float64Array(p);
  const rDiag = diagonal ?? (out as Float64Array).subarray(p, 2 * p);
  for (let k = 0; k < p; k++) {
    const col = k * n;
    // Reflections keep each column's norm, so the whole column still has its original norm.
    let above = 0;
    for (let i = 0; i < k; i++) above += (a[col + i] as number) ** 2;
    let below = 0;
    for (let i = k; i < n; i++) below += (a[col + i] as number) ** 2;
    const original = Math.sqrt(above + below);
    const norm = Math.sqrt(below);
    if (!(norm > 1e-10 * original) || !Number.isFinite(norm)) return { coefficients: undefined, residualSumOfSquares: Number.NaN };
    const akk = a[col + k] as number;
    const alpha = akk > 0 ? -norm : norm;
    // v = a[k:, k] − alpha·e_k, stored in place; vᵀv = 2·norm·(norm + |akk|)
    a[col + k] = akk - alpha;
    const vtv = 2 * norm * (norm + Math.abs(akk));
    for (let j = k + 1; j < p; j++) {
      const cj = j * n;
      let dot = 0;
      for (let i = k; i < n; i++) dot += (a[col + i] as number) * (a[cj + i] as number);
      const f = (2 * dot) / vtv;
      for (let i = k; i < n; i++) a[cj + i] = (a[cj + i] as number) - f * (a[col + i] as number);
    }
    let dot = 0;
    for (let i = k; i < n; i++) dot += (a[col + i] as number) * (b[i] as number);
    const f = (2 * dot) / vtv;
    for (let i = k; i < n; i++) b[i] = (b[i] as number) - f * (a[col + i] as number);
    rDiag[k] = alpha;
  }
  // Back substitution R·x = (Qᵀb)[0:p]; R's strict upper triangle is in a, its diagonal in rDiag.
  const x = out ?? new Float64Array(p);
  for (let k = p - 1; k >= 0; k--) {
    let s = b[k] as number;
    for (let j = k + 1; j < p; j++) s -= (a[j * n + k] as number) * (x[j] as number);
    x[k] = s / (rDiag[k] as number);
  }
  let rss = 0;
  for (let i = p; i < n; i++) rss += (b[i] as number) * (b[i] as number);
  return { coefficients: x, residualSumOfSquares: rss };
}

/** Result of {@link fitLine}: y ≈ intercept + slope·x, with the sums behind it. */
export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Points used. */
  readonly count: number;
  readonly meanX: number;
  readonly meanY: number;
  /** Σ(x − x̄)², Σ(x − x̄)(y − ȳ), Σ(y − ȳ)². */
  readonly sxx: number;
  readonly sxy: number;
  readonly syy: number;
  /** Σ(y − intercept − slope·x)², summed point by point. */
  readonly residualSumOfSquares: number;
}

/**
 * Ordinary least squares of a straight line y = intercept + slope·x through the points
 * whose y is finite (the one line fit: power laws in log space, the noise scale of
 * McCandlish et al. 2018 eq. 2.11), from centred sums, which keeps it accurate when the
 * x are large and close together. `undefined` with fewer than two points or when the x
 * spread is `sxx ≤ minSxx` (default 0: all x equal).
 *
 * @example fitLine([0, 1, 2], [1, 3, 5]) // { slope: 2, intercept: 1, count: 3, residualSumOfSquares: 0, … }
 */
export function fitLine(xs: ArrayLike<number>, ys: ArrayLike<number>, minSxx = 0): LineFit | undefined {
  let count = 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i] as number;
    if (!Number.isFinite(y)) continue;
    count++;
    meanX += xs[i] as number;
    meanY += y;
  }
  if (count < 2) return undefined;
  meanX /= count;
  meanY /= count;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i] as number;
    if (!Number.isFinite(y)) continue;
    const dx = (xs[i] as number) - meanX;
    const dy = y - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > minSxx)) return undefined;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let residualSumOfSquares = 0;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i] as number;
    if (!Number.isFinite(y)) continue;
    const r = y - meanY - slope * ((xs[i] as number) - meanX);
    residualSumOfSquares += r * r;
  }
  return { slope, intercept, count, meanX, meanY, sxx, sxy, syy, residualSumOfSquares };
}
