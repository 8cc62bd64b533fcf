/**
 * A compact L-BFGS minimiser (Nocedal and Wright, "Numerical Optimization", 2nd ed. 2006:
 * algorithm 7.4, the two-loop recursion, with the initial scaling γ = sᵀy/yᵀy of eq. 7.20,
 * and a line search for the strong Wolfe conditions, algorithms 3.5 and 3.6 with quadratic
 * interpolation in the zoom). Unconstrained, for small dense problems: the fit of a
 * parametric loss has five parameters and is run from thousands of starts, so the code
 * allocates its workspace once per call and does nothing per iteration but arithmetic.
 *
 * Stops when the largest gradient component is at most `gradientTolerance`, or when an
 * iteration lowers f by at most `relativeTolerance`·max(|f|, |f_new|, 1) (the two tests of
 * L-BFGS-B, Byrd, Lu, Nocedal and Zhu 1995, with SciPy's defaults 1e-5 and 2.2e-9), or
 * after `maxIterations`.
 *
 * @example
 * // f(x) = (x0 − 1)² + 10·(x1 + 2)²
 * minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 1); g[1] = 20 * (x[1] + 2); return (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2; }, [0, 0]).x // ≈ [1, −2]
 */

/** f(x), writing ∇f(x) into `gradient`. */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Stop when max |∂f/∂x_i| ≤ this (default 1e-5). */
  readonly gradientTolerance?: number;
  /** Stop when one iteration lowers f by at most this relative amount (default 2.2e-9; 0: never). */
  readonly relativeTolerance?: number;
  /** At most this many iterations (default 1000). */
  readonly maxIterations?: number;
  /** Number of correction pairs kept (default 10). */
  readonly memory?: number;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  /** max |∂f/∂x_i| at x. */
  readonly gradientNorm: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** Why it stopped. */
  readonly stop: 'gradient' | 'relative-decrease' | 'max-iterations' | 'line-search' | 'not-finite';
}

const C1 = 1e-4;
const C2 = 0.9;

/** Minimise f from x0. */
export function minimizeLbfgs(objective: ObjectiveWithGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const gtol = options.gradientTolerance ?? 1e-5;
  const ftol = options.relativeTolerance ?? 2.2e-9;
  const maxIterations = options.maxIterations ?? 1000;
  const m = options.memory ?? 10;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alphas = new Float64Array(m);
  let stored = 0;
  let head = 0; // next slot to write
  let evaluations = 1;
  let f = objective(x, g);
  if (!Number.isFinite(f)) return { x, f, gradientNorm: Number.NaN, iterations: 0, evaluations, stop: 'not-finite' };
  let gnorm = infNorm(g);
  let iterations = 0;
  let stop: LbfgsResult['stop'] = 'max-iterations';

  // Line-search state, shared with the helpers below through closures over these arrays.
  const evaluate = (step: number): number => {
    for (let i = 0; i < n; i++) xNew[i] = (x[i] as number) + step * (d[i] as number);
    evaluations++;
    return objective(xNew, gNew);
  };
  const slope = (): number => dot(gNew, d, n);

  while (iterations < maxIterations) {
    if (gnorm <= gtol) {
      stop = 'gradient';
      break;
    }
    // Two-loop recursion: d = −H·g.
    for (let i = 0; i < n; i++) d[i] = -(g[i] as number);
    for (let k = 0; k < stored; k++) {
      const j = (head - 1 - k + m) % m;
      const a = (rho[j] as number) * dotAt(S, j * n, d, n);
      alphas[j] = a;
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) - a * (Y[j * n + i] as number);
    }
    if (stored > 0) {
      const j = (head - 1 + m) % m;
      let yy = 0;
      for (let i = 0; i < n; i++) yy += (Y[j * n + i] as number) ** 2;
      const gamma = 1 / ((rho[j] as number) * yy);
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) * gamma;
    }
    for (let k = stored - 1; k >= 0; k--) {
      const j = (head - 1 - k + m) % m;
      const b = (rho[j] as number) * dotAt(Y, j * n, d, n);
      const a = alphas[j] as number;
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) + (a - b) * (S[j * n + i] as number);
    }
    let slope0 = dot(g, d, n);
    if (!(slope0 < 0)) {
      // Not a descent direction (a stale curvature pair): restart from steepest descent.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -(g[i] as number);
      slope0 = dot(g, d, n);
    }
    const first = stored === 0 ? Math.min(1, 1 / Math.sqrt(-slope0)) : 1;
    const found = wolfeLineSearch(evaluate, slope, f, slope0, first);
    if (!found) {
      stop = 'line-search';
      break;
    }
    const fNew = found.f;
    // s = xNew − x, y = gNew − g; keep the pair when sᵀy > 0 (always true under Wolfe).
    let sy = 0;
    const base = head * n;
    for (let i = 0; i < n; i++) {
      const s = (xNew[i] as number) - (x[i] as number);
      const y = (gNew[i] as number) - (g[i] as number);
      S[base + i] = s;
      Y[base + i] = y;
      sy += s * y;
    }
    if (sy > 1e-300) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(stored + 1, m);
    }
    const decrease = f - fNew;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    gnorm = infNorm(g);
    iterations++;
    if (ftol > 0 && decrease <= ftol * Math.max(Math.abs(f), Math.abs(f + decrease), 1)) {
      stop = gnorm <= gtol ? 'gradient' : 'relative-decrease';
      break;
    }
  }
  return { x, f, gradientNorm: gnorm, iterations, evaluations, stop };
}

/**
 * A step length satisfying the strong Wolfe conditions (Nocedal and Wright alg. 3.5/3.6).
 * `evaluate(step)` computes f at x + step·d (and leaves the gradient for `slope()`).
 * On success the last evaluation is at the returned step.
 */
function wolfeLineSearch(
  evaluate: (step: number) => number,
  slope: () => number,
  f0: number,
  g0: number,
  first: number,
): { step: number; f: number } | undefined {
  let previousStep = 0;
  let previousF = f0;
  let previousSlope = g0;
  let step = first;
  for (let i = 0; i < 40; i++) {
    const f = evaluate(step);
    if (!Number.isFinite(f)) {
      step = previousStep + (step - previousStep) / 10;
      continue;
    }
    if (f > f0 + C1 * step * g0 || (i > 0 && f >= previousF)) {
      return zoom(evaluate, slope, f0, g0, previousStep, previousF, previousSlope, step, f);
    }
    const s = slope();
    if (Math.abs(s) <= -C2 * g0) return { step, f };
    if (s >= 0) return zoom(evaluate, slope, f0, g0, step, f, s, previousStep, previousF);
    previousStep = step;
    previousF = f;
    previousSlope = s;
    step *= 2;
  }
  return undefined;
}

function zoom(
  evaluate: (step: number) => number,
  slope: () => number,
  f0: number,
  g0: number,
  lo: number,
  fLo: number,
  gLo: number,
  hi: number,
  fHi: number,
): { step: number; f: number } | undefined {
  for (let i = 0; i < 40; i++) {
    // Quadratic interpolation of f on [lo, hi] from f and f' at lo and f at hi, kept inside.
    const width = hi - lo;
    let step = quadraticMinimum(lo, fLo, gLo, hi, fHi);
    const left = Math.min(lo, hi);
    const right = Math.max(lo, hi);
    const margin = 0.1 * Math.abs(width);
    if (!Number.isFinite(step) || step < left + margin || step > right - margin) step = lo + width / 2;
    const f = evaluate(step);
    if (!Number.isFinite(f) || f > f0 + C1 * step * g0 || f >= fLo) {
      hi = step;
      fHi = Number.isFinite(f) ? f : Number.MAX_VALUE;
    } else {
      const s = slope();
      if (Math.abs(s) <= -C2 * g0) return { step, f };
      if (s * (hi - lo) >= 0) {
        hi = lo;
        fHi = fLo;
      }
      lo = step;
      fLo = f;
      gLo = s;
    }
    if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
  }
  // The interval shrank to nothing: accept the best point if it lowers f at all.
  if (lo > 0 && fLo < f0) {
    evaluate(lo);
    return { step: lo, f: fLo };
  }
  return undefined;
}

/** The minimiser of q(t) = fa + ga·(t−a) + c·(t−a)² through (b, fb); NaN when q has none. */
function quadraticMinimum(a: number, fa: number, ga: number, b: number, fb: number): number {
  const h = b - a;
  const c = (fb - fa - ga * h) / (h * h);
  if (!(c > 0)) return Number.NaN;
  return a - ga / (2 * c);
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function dotAt(a: Float64Array, offset: number, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[offset + i] as number) * (b[i] as number);
  return s;
}

function infNorm(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i] as number));
  return s;
}
