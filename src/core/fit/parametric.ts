/**
 * Approach 3 of Hoffmann et al. 2022 (arXiv 2203.15556, §3.3 and appendix D.2): fit the
 * parametric loss L(N, D) = E + A/N^α + B/D^β to a user's runs, as corrected by Besiroglu
 * et al. 2024 ("Chinchilla Scaling: A replication attempt", arXiv 2404.10102).
 *
 * With A = e^a, B = e^b, E = e^e the model in log space is
 *   ln L̂_i = LSE(a − α·ln N_i, b − β·ln D_i, e)          (log-sum-exp, computed stably)
 * and the fit minimises the SUM over runs of Huber_δ(ln L̂_i − ln L_i), δ = 10^-3. The sum
 * and not the mean: with the mean the objective and its gradient are n times smaller and
 * L-BFGS stops early, away from the optimum, which is the error Besiroglu et al. found in
 * the original fit. L-BFGS (lbfgs.ts) with the analytic gradient runs from every point of
 * Hoffmann's grid, α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}
 * (4,500 starts), and the best results are polished: L-BFGS to a tight gradient tolerance,
 * then Newton steps with the analytic Hessian, so that the optimum does not depend on
 * which start won (the problem is badly conditioned).
 *
 * The compute-optimal allocation under C = 6·N·D is closed-form (Hoffmann eq. 4, appendix
 * D.2): Nopt = G·(C/6)^a, Dopt = (C/6)^b / G, a = β/(α+β), b = α/(α+β),
 * G = (αA/(βB))^(1/(α+β)).
 *
 * Intervals: a bootstrap that resamples the runs with replacement (seeded, random.ts) and
 * refits each resample from the full fit's optimum by the same damped Newton steps (and,
 * should they stall, L-BFGS and Newton again), with percentile intervals for E, A, B, α,
 * β, a and b.
 *
 * Units: N parameters, D tokens, L nats (any loss > 0 works; E is in the loss's unit).
 *
 * Worked example: runs generated from L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28 (Hoffmann's
 * constants) are fitted back to those constants (test/core/fit/parametric.test.ts); on the
 * Chinchilla runs in examples/data the fit agrees with the numpy/scipy reference in
 * bench/parametric_reference.py to 1e-4.
 */
import { MoeplanError } from '../errors.js';
import { message } from '../messages.js';
import { minimizeLbfgs } from './lbfgs.js';
import { percentileInterval } from './quantile.js';
import { seededRandom } from './random.js';
import { extent } from '../extent.js';

/** One run: parameters N, tokens D, final loss (> 0), and optionally its compute C. */
export interface ParametricRun {
  readonly params: number;
  readonly tokens: number;
  readonly loss: number;
  readonly flops?: number;
}

/** The starting points: every combination of the five lists. */
export interface ParametricGrid {
  /** ln A. */
  readonly a: readonly number[];
  /** ln B. */
  readonly b: readonly number[];
  /** ln E. */
  readonly e: readonly number[];
  readonly alpha: readonly number[];
  readonly beta: readonly number[];
}

const range = (from: number, to: number, step: number): number[] => Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step);

/** Hoffmann et al. 2022 appendix D.2: 6·6·5·5·5 = 4,500 starts. */
export const HOFFMANN_GRID: ParametricGrid = {
  a: range(0, 25, 5),
  b: range(0, 25, 5),
  e: range(-1, 1, 0.5),
  alpha: range(0, 2, 0.5),
  beta: range(0, 2, 0.5),
};

/**
 * A coarse grid of 2·2·2·2·2 = 32 starts inside Hoffmann's, for many runs or a quick look;
 * the polish makes its optimum the same whenever one of its starts reaches the best basin.
 */
export const COARSE_GRID: ParametricGrid = { a: [5, 15], b: [5, 15], e: [0, 1], alpha: [0.5, 1], beta: [0.5, 1] };

export interface ParametricOptions {
  /** Bootstrap resamples (0: no intervals). */
  readonly resamples: number;
  readonly seed: number;
  /** Central interval level, e.g. 0.9. */
  readonly confidence: number;
  /** Huber threshold on log residuals (default 1e-3). */
  readonly delta?: number;
  /** Starting points (default {@link HOFFMANN_GRID}). */
  readonly grid?: ParametricGrid;
  /** Called now and then: through the starts, then through the bootstrap resamples. */
  readonly onProgress?: (done: number, total: number, phase: 'starts' | 'bootstrap') => void;
}

/** L(N, D) = E + A/N^alpha + B/D^beta. */
export interface LossParameters {
  readonly E: number;
  readonly A: number;
  readonly B: number;
  readonly alpha: number;
  readonly beta: number;
}

/** Nopt = G·(C/6)^a, Dopt = (C/6)^b / G. */
export interface ClosedFormAllocation {
  readonly a: number;
  readonly b: number;
  readonly G: number;
}

type Interval = readonly [number, number];

export interface ParametricFit {
  readonly loss: LossParameters;
  /** The allocation; its exponents are NaN when α or β is not positive. */
  readonly allocation: ClosedFormAllocation;
  /** The Huber objective at the optimum (a sum over runs). */
  readonly objective: number;
  /** R² of the predicted loss against the runs' loss. */
  readonly r2: number;
  /** max |gradient| at the optimum (in a, b, e, α, β). */
  readonly gradientNorm: number;
  readonly delta: number;
  readonly starts: number;
  /** The grid point whose descent reached the optimum: [a, b, e, α, β]. */
  readonly bestStart: readonly number[];
  readonly runs: number;
  readonly intervals?: { readonly [K in keyof LossParameters | 'a' | 'b']: Interval };
  readonly bootstrap: {
    readonly resamples: number;
    /** Resamples whose refit converged to a finite optimum. */
    readonly used: number;
    readonly seed: number;
    readonly confidence: number;
  };
  /** Ranges of the runs' N, D and (when given) C. */
  readonly fittedRange: { readonly params: Interval; readonly tokens: Interval; readonly flops?: Interval };
}

/** Settings of the descent from each grid point (SciPy's L-BFGS-B defaults). */
const GRID_DESCENT = { gradientTolerance: 1e-5, relativeTolerance: 2.2e-9, maxIterations: 1000 } as const;
/** A polished optimum's largest gradient component is at most this. */
const POLISHED_GRADIENT = 1e-12;
/** How many distinct best results are polished. */
const POLISHED = 5;

/** The runs in log space, with a count per run (1, or the multiplicity in a resample). */
interface LogRuns {
  readonly lnN: Float64Array;
  readonly lnD: Float64Array;
  readonly lnL: Float64Array;
  readonly weight: Float64Array;
}

/**
 * The objective Σ w_i·Huber_δ(LSE(a − α·lnN_i, b − β·lnD_i, e) − lnL_i) and its gradient
 * in x = [a, b, e, α, β].
 */
export function huberObjective(runs: LogRuns, delta: number): (x: Float64Array, gradient: Float64Array) => number {
  const { lnN, lnD, lnL, weight } = runs;
  const n = lnN.length;
  const halfDelta = 0.5 * delta;
  const invL = lnL.map((l) => Math.exp(-l));
  return (x, gradient) => {
    const a = x[0] as number;
    const b = x[1] as number;
    const e = x[2] as number;
    const alpha = x[3] as number;
    const beta = x[4] as number;
    let f = 0;
    let ga = 0;
    let gb = 0;
    let ge = 0;
    let galpha = 0;
    let gbeta = 0;
    // exp(e) once; the other terms unshifted while they are representable (the usual case),
    // else shifted by the largest exponent (log-sum-exp), so nothing overflows.
    const expE = Math.exp(e);
    for (let i = 0; i < n; i++) {
      const ln = lnN[i] as number;
      const ld = lnD[i] as number;
      const uA = a - alpha * ln;
      const uB = b - beta * ld;
      let pA = Math.exp(uA);
      let pB = Math.exp(uB);
      let pE = expE;
      let sum = pA + pB + pE;
      let top = 0;
      if (!(sum < 1e300 && sum > 1e-300)) {
        top = Math.max(uA, uB, e);
        pA = Math.exp(uA - top);
        pB = Math.exp(uB - top);
        pE = Math.exp(e - top);
        sum = pA + pB + pE;
      }
      // r = ln(sum/L): near a fit the ratio is near 1, where a short series is exact to
      // rounding and several times cheaper than Math.log.
      const q = top === 0 ? sum * (invL[i] as number) : 0;
      const r = q > 0.8 && q < 1.25 ? logNearOne(q) : top + Math.log(sum) - (lnL[i] as number);
      const w = weight[i] as number;
      let psi: number;
      if (r > delta) {
        f += w * delta * (r - halfDelta);
        psi = delta;
      } else if (r < -delta) {
        f += w * delta * (-r - halfDelta);
        psi = -delta;
      } else {
        f += w * 0.5 * r * r;
        psi = r;
      }
      const k = (w * psi) / sum;
      const kA = k * pA;
      const kB = k * pB;
      ga += kA;
      gb += kB;
      ge += k * pE;
      galpha -= kA * ln;
      gbeta -= kB * ld;
    }
    gradient[0] = ga;
    gradient[1] = gb;
    gradient[2] = ge;
    gradient[3] = galpha;
    gradient[4] = gbeta;
    return f;
  };
}

/**
 * ln q for 0.8 < q < 1.25 by the series ln q = 2·atanh(z) = 2·(z + z³/3 + … + z¹⁹/19) with
 * z = (q − 1)/(q + 1), |z| < 1/9: the first term left out is below 1e-20 of the result, so
 * it agrees with Math.log within 3 ulp (a test checks 7e-16 relative).
 *
 * @example logNearOne(1.1) // 0.09531017980432493 (= Math.log(1.1))
 */
export function logNearOne(q: number): number {
  const z = (q - 1) / (q + 1);
  const z2 = z * z;
  const z4 = z2 * z2;
  const z8 = z4 * z4;
  // Σ z2^k/(2k+1), k = 0…9, by Estrin's scheme (short dependency chains)
  const p01 = 1 + z2 * (1 / 3);
  const p23 = 1 / 5 + z2 * (1 / 7);
  const p45 = 1 / 9 + z2 * (1 / 11);
  const p67 = 1 / 13 + z2 * (1 / 15);
  const p89 = 1 / 17 + z2 * (1 / 19);
  const low = p01 + z4 * p23;
  const high = p45 + z4 * p67;
  return 2 * z * (low + z8 * (high + z8 * p89));
}

/** The Hessian of the objective in x = [a, b, e, α, β] (row-major 5×5). */
function huberHessian(runs: LogRuns, delta: number, x: Float64Array): Float64Array {
  const { lnN, lnD, lnL, weight } = runs;
  const [a, b, e, alpha, beta] = x as unknown as [number, number, number, number, number];
  // With u = (uA, uB, uE) = (a − α·lnN, b − β·lnD, e) and p = softmax(u), the Hessian of
  // Huber(r) is Jᵀ·M·J with M = ψ'(r)·p·pᵀ + ψ(r)·(diag p − p·pᵀ) and J = ∂u/∂x.
  let aa = 0,
    bb = 0,
    ee = 0,
    al = 0,
    be = 0,
    aAl = 0,
    bBe = 0,
    ab = 0,
    aBe = 0,
    alB = 0,
    alBe = 0,
    ae = 0,
    alE = 0,
    bE = 0,
    beE = 0;
  for (let i = 0; i < lnN.length; i++) {
    const ln = lnN[i] as number;
    const ld = lnD[i] as number;
    const uA = a - alpha * ln;
    const uB = b - beta * ld;
    const top = Math.max(uA, uB, e);
    let pA = Math.exp(uA - top);
    let pB = Math.exp(uB - top);
    let pE = Math.exp(e - top);
    const sum = pA + pB + pE;
    pA /= sum;
    pB /= sum;
    pE /= sum;
    const r = top + Math.log(sum) - (lnL[i] as number);
    const inside = Math.abs(r) <= delta;
    const psi = inside ? r : Math.sign(r) * delta;
    const c = (inside ? 1 : 0) - psi;
    const w = weight[i] as number;
    const mAA = w * (c * pA * pA + psi * pA);
    const mBB = w * (c * pB * pB + psi * pB);
    const mEE = w * (c * pE * pE + psi * pE);
    const mAB = w * c * pA * pB;
    const mAE = w * c * pA * pE;
    const mBE = w * c * pB * pE;
    aa += mAA;
    aAl -= ln * mAA;
    al += ln * ln * mAA;
    bb += mBB;
    bBe -= ld * mBB;
    be += ld * ld * mBB;
    ee += mEE;
    ab += mAB;
    aBe -= ld * mAB;
    alB -= ln * mAB;
    alBe += ln * ld * mAB;
    ae += mAE;
    alE -= ln * mAE;
    bE += mBE;
    beE -= ld * mBE;
  }
  // order a, b, e, α, β
  return Float64Array.of(aa, ab, ae, aAl, aBe, ab, bb, bE, alB, bBe, ae, bE, ee, alE, beE, aAl, alB, alE, al, alBe, aBe, bBe, beE, alBe, be);
}

/** Solve H·s = v by Gaussian elimination with partial pivoting; undefined when singular. */
function solve(H: Float64Array, v: Float64Array, n: number): Float64Array | undefined {
  const A = Float64Array.from(H);
  const s = Float64Array.from(v);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(A[r * n + col] as number) > Math.abs(A[pivot * n + col] as number)) pivot = r;
    const p = A[pivot * n + col] as number;
    if (!(Math.abs(p) > 0)) return undefined;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const t = A[col * n + c] as number;
        A[col * n + c] = A[pivot * n + c] as number;
        A[pivot * n + c] = t;
      }
      const t = s[col] as number;
      s[col] = s[pivot] as number;
      s[pivot] = t;
    }
    for (let r = col + 1; r < n; r++) {
      const factor = (A[r * n + col] as number) / p;
      if (factor === 0) continue;
      for (let c = col; c < n; c++) A[r * n + c] = (A[r * n + c] as number) - factor * (A[col * n + c] as number);
      s[r] = (s[r] as number) - factor * (s[col] as number);
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let acc = s[r] as number;
    for (let c = r + 1; c < n; c++) acc -= (A[r * n + c] as number) * (s[c] as number);
    s[r] = acc / (A[r * n + r] as number);
  }
  return s.every(Number.isFinite) ? s : undefined;
}

interface Optimum {
  readonly x: Float64Array;
  readonly f: number;
  readonly gradientNorm: number;
}

const maxAbs = (g: Float64Array): number => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Polish a result by damped Newton steps with the analytic Hessian: the step solves
 * (H + λ·h·I)·s = g with λ = 0 first (h the largest diagonal entry of H), then 1e-8, 1e-4
 * and 1 while s is no descent direction; along −s the first of 1, ½, ¼, … (20 tries)
 * that lowers the objective (or keeps it within 1e-14 and lowers the gradient) is taken. It stops when the largest
 * gradient component is at most {@link POLISHED_GRADIENT} or no step helps.
 */
function polish(runs: LogRuns, delta: number, x0: Float64Array): Optimum {
  const objective = huberObjective(runs, delta);
  let x = Float64Array.from(x0);
  const g = new Float64Array(5);
  let f = objective(x, g);
  let gnorm = maxAbs(g);
  const xTry = new Float64Array(5);
  const gTry = new Float64Array(5);
  for (let iteration = 0; iteration < 100 && gnorm > POLISHED_GRADIENT; iteration++) {
    const H = huberHessian(runs, delta, x);
    const scale = Math.max(H[0] as number, H[6] as number, H[12] as number, H[18] as number, H[24] as number);
    let accepted = false;
    for (let damping = 0; damping < 4 && !accepted; damping++) {
      const lambda = damping === 0 ? 0 : scale * 10 ** (4 * damping - 12);
      const damped = Float64Array.from(H);
      for (let i = 0; i < 5; i++) damped[6 * i] = (damped[6 * i] as number) + lambda;
      const s = solve(damped, g, 5);
      if (!s || !(s.reduce((acc, v, i) => acc + v * (g[i] as number), 0) > 0)) continue;
      for (let t = 1, tries = 0; tries < 20; t /= 2, tries++) {
        for (let i = 0; i < 5; i++) xTry[i] = (x[i] as number) - t * (s[i] as number);
        const fTry = objective(xTry, gTry);
        const gTryNorm = maxAbs(gTry);
        if (fTry < f || (fTry <= f + 1e-14 * Math.abs(f) && gTryNorm < gnorm)) {
          x = Float64Array.from(xTry);
          f = fTry;
          g.set(gTry);
          gnorm = gTryNorm;
          accepted = true;
          break;
        }
      }
    }
    if (!accepted) break;
  }
  return { x, f, gradientNorm: gnorm };
}

/** The runs in log space; an error for a run that is not positive and finite. */
function logRuns(runs: readonly ParametricRun[]): LogRuns {
  const lnN = new Float64Array(runs.length);
  const lnD = new Float64Array(runs.length);
  const lnL = new Float64Array(runs.length);
  runs.forEach((run, i) => {
    for (const key of ['params', 'tokens', 'loss'] as const) {
      const value = run[key];
      if (!(value > 0 && Number.isFinite(value)))
        throw new MoeplanError('INVALID_INPUT', message('fit.run-not-positive', { run: i + 1, column: key, value }), { field: key });
    }
    lnN[i] = Math.log(run.params);
    lnD[i] = Math.log(run.tokens);
    lnL[i] = Math.log(run.loss);
  });
  return { lnN, lnD, lnL, weight: new Float64Array(runs.length).fill(1) };
}

/** The grid points, [a, b, e, α, β] each, in the order a, b, e, α, β (the last varies fastest). */
export function gridStarts(grid: ParametricGrid): Float64Array[] {
  const starts: Float64Array[] = [];
  for (const a of grid.a)
    for (const b of grid.b)
      for (const e of grid.e) for (const alpha of grid.alpha) for (const beta of grid.beta) starts.push(Float64Array.of(a, b, e, alpha, beta));
  return starts;
}

/**
 * Descend from every start and polish the distinct best few; the best polished optimum,
 * and the index of the start it came from.
 */
function fitFromStarts(
  runs: LogRuns,
  delta: number,
  starts: readonly Float64Array[],
  onProgress?: ParametricOptions['onProgress'],
): Optimum & { start: number } {
  const objective = huberObjective(runs, delta);
  const results = starts.map((x0, start) => {
    const r = minimizeLbfgs(objective, x0, GRID_DESCENT);
    if (onProgress && (start % 100 === 99 || start === starts.length - 1)) onProgress(start + 1, starts.length, 'starts');
    return { x: r.x, f: r.f, start };
  });
  const finite = results.filter((r) => Number.isFinite(r.f)).sort((p, q) => p.f - q.f || p.start - q.start);
  const chosen: typeof finite = [];
  for (const r of finite) {
    if (chosen.length >= POLISHED) break;
    if (chosen.every((c) => maxAbsDifference(c.x, r.x) > 1e-3)) chosen.push(r);
  }
  let best: (Optimum & { start: number }) | undefined;
  for (const c of chosen) {
    const p = polish(runs, delta, c.x);
    if (!best || p.f < best.f) best = { ...p, start: c.start };
  }
  if (!best) throw new MoeplanError('NO_SOLUTION', message('fit.no-optimum', {}), { hint: message('fit.no-optimum.hint', {}) });
  return best;
}

function maxAbsDifference(p: Float64Array, q: Float64Array): number {
  let m = 0;
  for (let i = 0; i < p.length; i++) m = Math.max(m, Math.abs((p[i] as number) - (q[i] as number)));
  return m;
}

function lossOf(x: Float64Array): LossParameters {
  return { A: Math.exp(x[0] as number), B: Math.exp(x[1] as number), E: Math.exp(x[2] as number), alpha: x[3] as number, beta: x[4] as number };
}

/**
 * The closed-form compute-optimal allocation of a Chinchilla loss under C = 6·N·D
 * (Hoffmann appendix D.2); exponents NaN when α or β is not positive.
 *
 * @example closedFormAllocation({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }) // { a: 0.4516, b: 0.5484, G: 1.4148 }
 */
export function closedFormAllocation(loss: LossParameters): ClosedFormAllocation {
  if (!(loss.alpha > 0 && loss.beta > 0)) return { a: Number.NaN, b: Number.NaN, G: Number.NaN };
  const sum = loss.alpha + loss.beta;
  return { a: loss.beta / sum, b: loss.alpha / sum, G: ((loss.alpha * loss.A) / (loss.beta * loss.B)) ** (1 / sum) };
}

/** L(N, D) = E + A/N^α + B/D^β. */
export function parametricLoss(loss: LossParameters, params: number, tokens: number): number {
  return loss.E + loss.A / params ** loss.alpha + loss.B / tokens ** loss.beta;
}

/**
 * Fit L(N, D) = E + A/N^α + B/D^β to runs (approach 3). Throws `MoeplanError`
 * (`TOO_FEW_RUNS`) with fewer than five runs (five parameters).
 *
 * @example
 * fitParametric(runs, { resamples: 100, seed: 1, confidence: 0.9 }).loss // { E, A, B, alpha, beta }
 */
export function fitParametric(runs: readonly ParametricRun[], options: ParametricOptions): ParametricFit {
  if (runs.length < 5) {
    throw new MoeplanError('TOO_FEW_RUNS', message('fit.too-few-runs', { runs: runs.length }), { hint: message('fit.too-few-runs.hint', {}) });
  }
  const delta = options.delta ?? 1e-3;
  const data = logRuns(runs);
  const starts = gridStarts(options.grid ?? HOFFMANN_GRID);
  const best = fitFromStarts(data, delta, starts, options.onProgress);
  const loss = lossOf(best.x);

  const mean = runs.reduce((s, r) => s + r.loss, 0) / runs.length;
  let ssRes = 0;
  let ssTot = 0;
  for (const r of runs) {
    ssRes += (r.loss - parametricLoss(loss, r.params, r.tokens)) ** 2;
    ssTot += (r.loss - mean) ** 2;
  }

  const resamples = options.resamples;
  const samples = {
    E: [] as number[],
    A: [] as number[],
    B: [] as number[],
    alpha: [] as number[],
    beta: [] as number[],
    a: [] as number[],
    b: [] as number[],
  };
  if (resamples > 0) {
    const random = seededRandom(options.seed);
    const n = runs.length;
    const counts = new Float64Array(n);
    const objectiveRuns: LogRuns = { ...data, weight: counts };
    for (let k = 0; k < resamples; k++) {
      // n draws with replacement, as a count per run (the objective weights each run by it).
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const j = random.int(n);
        counts[j] = (counts[j] as number) + 1;
      }
      // Damped Newton from the optimum; if it stalls short of the tolerance, L-BFGS from
      // where it stopped and Newton again.
      let refit = polish(objectiveRuns, delta, best.x);
      if (refit.gradientNorm > POLISHED_GRADIENT) {
        const again = polish(objectiveRuns, delta, minimizeLbfgs(huberObjective(objectiveRuns, delta), refit.x, GRID_DESCENT).x);
        if (again.f < refit.f) refit = again;
      }
      if (refit.x.every(Number.isFinite) && Number.isFinite(refit.f)) {
        const l = lossOf(refit.x);
        const allocation = closedFormAllocation(l);
        samples.E.push(l.E);
        samples.A.push(l.A);
        samples.B.push(l.B);
        samples.alpha.push(l.alpha);
        samples.beta.push(l.beta);
        samples.a.push(allocation.a);
        samples.b.push(allocation.b);
      }
      if (options.onProgress && (k % 10 === 9 || k === resamples - 1)) options.onProgress(k + 1, resamples, 'bootstrap');
    }
  }
  const used = samples.E.length;
  const level = options.confidence;
  const intervals =
    used > 0
      ? {
          E: percentileInterval(samples.E, level),
          A: percentileInterval(samples.A, level),
          B: percentileInterval(samples.B, level),
          alpha: percentileInterval(samples.alpha, level),
          beta: percentileInterval(samples.beta, level),
          a: percentileInterval(samples.a, level),
          b: percentileInterval(samples.b, level),
        }
      : undefined;

  const flops = runs.map((r) => r.flops).filter((c): c is number => c !== undefined && c > 0 && Number.isFinite(c));
  return {
    loss,
    allocation: closedFormAllocation(loss),
    objective: best.f,
    r2: ssTot > 0 ? 1 - ssRes / ssTot : Number.NaN,
    gradientNorm: best.gradientNorm,
    delta,
    starts: starts.length,
    bestStart: Array.from(starts[best.start] as Float64Array),
    runs: runs.length,
    ...(intervals ? { intervals } : {}),
    bootstrap: { resamples, used, seed: options.seed, confidence: level },
    fittedRange: {
      params: extent(runs.map((r) => r.params)),
      tokens: extent(runs.map((r) => r.tokens)),
      ...(flops.length === runs.length ? { flops: extent(flops) } : {}),
    },
  };
}
