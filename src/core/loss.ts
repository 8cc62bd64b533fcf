/**
 * Loss laws: the predicted loss of a run, its terms, the inverse solves (the tokens or the
 * size that reach a target loss, and the cheapest run that does), and the minimiser of the
 * loss at a compute budget. Pure functions over the `LossModel` kinds of laws/types.ts.
 *
 * Every kind reduces, at fixed MoE variables, to Chinchilla's form L = E + A/N^α + B/D^β
 * ({@link lossSlice}); the closed forms below work on that slice. Where the law's compute
 * is not C = k·N·D (Krajewski's FLOPs model counts the router, which grows with G and the
 * width) or a discrete MoE variable is chosen too, the optimum is found numerically
 * (the root of the loss's derivative in ln N along the isoFLOP line, by bisection; a
 * golden-section search, {@link minimiseOnLine}, is the independent check in the tests).
 *
 * Units: N parameters in the law's own convention (`Law.compute.paramsMeaning`), D tokens,
 * C FLOPs, L nats per token.
 */
import { MoeplanError } from './errors.js';
import { message } from './messages.js';
import type { ChinchillaLoss, FineGrainedMoeLoss, JointMoeLoss, Law, LossModel } from './laws/types.js';
import { findRoot } from './root.js';

/** The MoE variables a loss model may take besides N and D. */
export type LossVariable = 'granularity' | 'experts';

/** Values of the MoE variables: granularity G (d_ff / d_expert), expert count E. */
export interface MoeVariables {
  readonly granularity?: number;
  readonly experts?: number;
}

/** A point at which to evaluate a loss: N (the law's convention), D tokens, MoE variables. */
export interface LossPoint extends MoeVariables {
  readonly params: number;
  readonly tokens: number;
}

/** The loss and its three terms: irreducible + model-limited + data-limited. */
export interface LossTerms {
  readonly loss: number;
  /** E: the loss of an infinite model trained on infinite data. */
  readonly irreducible: number;
  /** A/N^α: what a finite model adds. */
  readonly modelLimited: number;
  /** B/D^β: what finite data adds. */
  readonly dataLimited: number;
}

/** Which MoE variables a loss model takes (the CLI derives its flags from this). */
export function lossVariables(model: LossModel): readonly LossVariable[] {
  switch (model.kind) {
    case 'chinchilla':
      return [];
    case 'fine-grained-moe':
      return ['granularity'];
    case 'joint-moe':
      return ['experts'];
  }
}

/**
 * The effective expert count Ê of E experts (Ludziejewski et al. 2025 eq. 4, after Clark
 * et al. 2022): 1/Ê = 1/(E − 1 + (1/eStart − 1/eMax)^−1) + 1/eMax. Ê(1) = eStart and
 * Ê → eMax as E → ∞.
 *
 * @example effectiveExperts(8, 2.0732, 290.4521) // 8.8124
 */
export function effectiveExperts(experts: number, eStart: number, eMax: number): number {
  return 1 / (1 / (experts - 1 + 1 / (1 / eStart - 1 / eMax)) + 1 / eMax);
}

/**
 * The loss at fixed MoE variables, in Chinchilla's form E + A/N^α + B/D^β (α, β > 0).
 * - chinchilla: itself;
 * - fine-grained MoE (Krajewski eq. 9): E = c, A = g/G^γ + a, B = b;
 * - joint MoE (Ludziejewski eq. 6, Table 4's per-E form): E = c, A = a·Ê^δ,
 *   α = −(α + γ·ln Ê), B = b·Ê^ω, β = −(β + ζ·ln Ê).
 *
 * A variable the kind needs and `vars` lacks is an error (`MISSING_INPUT`).
 *
 * @example lossSlice(jointMoe, { experts: 1 }) // A ≈ 30.399, alpha ≈ 0.1818, B ≈ 53.843, beta ≈ 0.1964 (Table 4: 30.364, 0.1817, 53.984, 0.1965)
 */
export function lossSlice(model: LossModel, vars: MoeVariables = {}): ChinchillaLoss {
  switch (model.kind) {
    case 'chinchilla':
      return model;
    case 'fine-grained-moe': {
      const G = required(vars.granularity, 'granularity');
      return { kind: 'chinchilla', E: model.c, A: model.g / G ** model.gamma + model.a, B: model.b, alpha: model.alpha, beta: model.beta };
    }
    case 'joint-moe': {
      const e = effectiveExperts(required(vars.experts, 'experts'), model.eStart, model.eMax);
      const ln = Math.log(e);
      return {
        kind: 'chinchilla',
        E: model.c,
        A: model.a * e ** model.delta,
        alpha: -(model.alpha + model.gamma * ln),
        B: model.b * e ** model.omega,
        beta: -(model.beta + model.zeta * ln),
      };
    }
  }
}

/**
 * The loss at a point and its terms.
 *
 * @example lossTerms(krajewski.loss, { params: 1e9, tokens: 1e10, granularity: 8 }).loss // 3.24149 (laws.md §1)
 * @example lossTerms(jointMoe.loss, { params: 1e9, tokens: 2e10, experts: 8 }).loss // 2.50878 (laws.md §4)
 */
export function lossTerms(model: LossModel, point: LossPoint): LossTerms {
  const s = lossSlice(model, point);
  const modelLimited = s.A / point.params ** s.alpha;
  const dataLimited = s.B / point.tokens ** s.beta;
  return { loss: s.E + modelLimited + dataLimited, irreducible: s.E, modelLimited, dataLimited };
}

/**
 * The predicted loss of a law at a point. The law must have a loss model.
 *
 * @example lossAt(PRESETS.chinchilla, { params: 70e9, tokens: 1.4e12 }) // 1.9367
 */
export function lossAt(law: Law, point: LossPoint): number {
  return lossTerms(requireLossModel(law), point).loss;
}

/** The law's loss model, or `NO_LOSS_MODEL`. */
export function requireLossModel(law: Law): LossModel {
  if (!law.loss) throw new MoeplanError('NO_LOSS_MODEL', message('loss.no-loss-model', { law: law.name }));
  return law.loss;
}

/** The lowest loss the law reaches at these MoE variables (N, D → ∞): the irreducible term. */
export function lossFloor(model: LossModel, vars: MoeVariables = {}): number {
  return lossSlice(model, vars).E;
}

/**
 * Inverse in D: the tokens at which a model of N parameters reaches `target`,
 * D = (B / (target − E − A/N^α))^(1/β). NaN when the model alone cannot get there.
 */
export function tokensForLoss(model: LossModel, target: number, params: number, vars: MoeVariables = {}): number {
  const s = lossSlice(model, vars);
  const room = target - s.E - s.A / params ** s.alpha;
  return room > 0 ? (s.B / room) ** (1 / s.beta) : Number.NaN;
}

/**
 * Inverse in N: the parameters at which D tokens reach `target`,
 * N = (A / (target − E − B/D^β))^(1/α). NaN when the data alone cannot get there.
 */
export function paramsForLoss(model: LossModel, target: number, tokens: number, vars: MoeVariables = {}): number {
  const s = lossSlice(model, vars);
  const room = target - s.E - s.B / tokens ** s.beta;
  return room > 0 ? (s.A / room) ** (1 / s.alpha) : Number.NaN;
}

/**
 * Activated non-embedding parameters of a fine-grained MoE from its total non-embedding
 * parameters: N_act = 12·N/(8E + 4) (Krajewski §5). For other kinds, N itself.
 *
 * @example activatedFromTotal(krajewski.loss, 3.65219e9) // 8.49347e7 (laws.md §1)
 */
export function activatedFromTotal(model: LossModel, params: number): number {
  return model.kind === 'fine-grained-moe' ? (12 * params) / (8 * model.experts + 4) : params;
}

/**
 * Total parameters of a joint-MoE model with N_act activated parameters and E experts:
 * N_total ≈ N_act·(4 + 9E)/13 (Ludziejewski eq. 9 over eq. 10 with the embedding terms
 * 2·d·V left out: they are not replicated per expert, so this slightly overstates N_total
 * for small models). For other kinds, N itself.
 *
 * @example totalFromActivated(jointMoe.loss, 1e9, 8) // 5.8462e9
 */
export function totalFromActivated(model: LossModel, activatedParams: number, experts: number): number {
  return model.kind === 'joint-moe' ? (activatedParams * (4 + 9 * experts)) / 13 : activatedParams;
}

/**
 * Training FLOPs per token of N parameters (the law's convention) under the law's own
 * compute. Krajewski eq. 10 when the loss model carries its FLOPs model:
 * c_f·N_act + c_r·d·E·G·n_blocks with d = w·n_blocks, i.e. c_f·N_act + c_r·E·G·d²/w and
 * d = (w·N_act/12)^(1/3); otherwise the linear `compute`: k·N + t.
 *
 * @example flopsPerTokenOf(krajewski, 3.65219e9, { granularity: 8 }) * 1e10 // 5.75668e18 (laws.md §1: 12 blocks, d = 768)
 */
export function flopsPerTokenOf(law: Law, params: number, vars: MoeVariables = {}): number {
  const model = law.loss;
  if (model?.kind === 'fine-grained-moe' && model.flops) {
    const { perActiveParam, routing, widthPerBlock } = model.flops;
    const active = activatedFromTotal(model, params);
    const width = Math.cbrt((widthPerBlock * active) / 12);
    return perActiveParam * active + (routing * model.experts * required(vars.granularity, 'granularity') * width * width) / widthPerBlock;
  }
  return law.compute.paramsTokens * params + law.compute.tokens;
}

/**
 * The elasticity d ln(FLOPs per token) / d ln N of {@link flopsPerTokenOf}: 1 for C = k·N·D,
 * k·N/(k·N + t) with a per-token term, and (c_f·N_act + ⅔·router)/(c_f·N_act + router)
 * under Krajewski's FLOPs model (the router term grows as d² ∝ N_act^(2/3)).
 */
export function flopsElasticity(law: Law, params: number, vars: MoeVariables = {}): number {
  const model = law.loss;
  if (model?.kind === 'fine-grained-moe' && model.flops) {
    const linear = model.flops.perActiveParam * activatedFromTotal(model, params);
    const router = flopsPerTokenOf(law, params, vars) - linear;
    return (linear + (2 / 3) * router) / (linear + router);
  }
  const linear = law.compute.paramsTokens * params;
  return linear / (linear + law.compute.tokens);
}

/**
 * The minimum of the loss along the isoFLOP line D = C / f(N), where it has no closed
 * form: the root in ln N of its derivative,
 * dL/d ln N = −α·A/N^α + β·B/D^β · d ln f / d ln N,
 * found by Brent's method (the loss is convex in ln N, so the derivative changes sign
 * once; {@link findRoot}). A root is found to the last bits, where a search for the minimum
 * itself (golden section, {@link minimiseOnLine}) places it only to about √ε, since the
 * loss is flat there.
 */
function stationaryParams(law: Law, flops: number, vars: MoeVariables): number {
  const s = lossSlice(requireLossModel(law), vars);
  const slope = (x: number) => {
    const n = Math.exp(x);
    const d = flops / flopsPerTokenOf(law, n, vars);
    return -s.alpha * s.A * n ** -s.alpha + s.beta * s.B * d ** -s.beta * flopsElasticity(law, n, vars);
  };
  const lo = 0;
  const hi = Math.log(flops);
  const slopeHi = slope(hi);
  if (!(slopeHi > 0)) return Math.exp(hi);
  const slopeLo = slope(lo);
  if (!(slopeLo < 0)) return Math.exp(lo);
  return Math.exp(rootOrBisection(slope, lo, hi, slopeLo, slopeHi));
}

/**
 * The root of `f` on [lo, hi] (f(lo) < 0 < f(hi)) by {@link findRoot}; where that fails (a
 * NaN on the way), by bisection, which sends a NaN to the upper half.
 */
function rootOrBisection(f: (x: number) => number, lo: number, hi: number, fLo: number, fHi: number): number {
  const root = findRoot(f, lo, hi, fLo, fHi);
  if (!Number.isNaN(root)) return root;
  let low = lo;
  let high = hi;
  for (let i = 0; i < 200; i++) {
    const mid = (low + high) / 2;
    if (mid <= low || mid >= high) break;
    if (f(mid) < 0) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** True when the law's compute is C = k·N·D exactly, so the closed forms apply. */
function proportionalCompute(law: Law): boolean {
  const model = law.loss;
  return law.compute.tokens === 0 && !(model?.kind === 'fine-grained-moe' && model.flops);
}

/**
 * Golden-section search for the minimum of a unimodal f on [lo, hi], to a width of
 * `tolerance` (absolute, in x). On ln N along an isoFLOP line the loss is convex (a sum of
 * two convex functions of ln N), hence unimodal; about 55 evaluations for a range of 60.
 */
export function minimiseOnLine(f: (x: number) => number, lo: number, hi: number, tolerance = 1e-10): { x: number; value: number } {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tolerance * (1 + Math.abs(a) + Math.abs(b))) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  const x = (a + b) / 2;
  return { x, value: f(x) };
}

/** The minimum of the loss at a budget, where it lies, and the MoE variables chosen. */
export interface LossOptimum {
  /** N, in the law's convention. */
  readonly params: number;
  readonly tokens: number;
  /** The predicted loss at (N, D). */
  readonly loss: number;
  /** FLOPs of (N, D) under the law's own compute (equal to the budget up to rounding). */
  readonly flops: number;
  /** The granularity used (given, or chosen from {@link GRANULARITY_GRID}). */
  readonly granularity?: number;
  /** The expert count used (given, or chosen). */
  readonly experts?: number;
  /** How a free MoE variable was chosen: `free` (loss only) or `memory` (under a total-parameter budget). */
  readonly chosen?: 'free' | 'memory';
  /** True when the memory budget, not the compute, set N. */
  readonly memoryBound?: boolean;
}

/**
 * The granularities tried when G is free: powers of two, 1 to 256, the grid of
 * Krajewski et al.'s Table 2 (which picks 8 to 64).
 */
export const GRANULARITY_GRID: readonly number[] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** The expert counts tried when E is free: the whole numbers of the fitted range (default 1–32). */
export function expertGrid(law: Law): number[] {
  const [low, high] = law.fittedRange?.experts ?? [1, 32];
  const grid: number[] = [];
  for (let e = Math.max(1, Math.ceil(low)); e <= high; e++) grid.push(e);
  return grid;
}

/** Options of {@link optimumAtCompute}. */
export interface OptimumOptions extends MoeVariables {
  /** A memory budget: total parameters at most this (joint MoE: N_total ≈ N_act·(4 + 9E)/13). */
  readonly maxTotalParams?: number;
}

/**
 * The (N, D) and MoE variables that minimise the law's loss at `flops` FLOPs of its own
 * compute. At a fixed variable with C = k·N·D, Chinchilla's closed form on the slice
 * (Hoffmann eq. 4): N = Gc·(C/k)^(β/(α+β)), D = (C/k)^(α/(α+β))/Gc,
 * Gc = (αA/(βB))^(1/(α+β)); with Krajewski's FLOPs model, the stationary point in ln N
 * (bisection of the derivative). A free variable is chosen by trying each value of its grid (Krajewski solves the
 * same problem with Brent's method). A memory budget caps N (the loss is convex along the
 * isoFLOP line, so the capped optimum is the cap).
 *
 * @example optimumAtCompute(krajewski, 2.95e18) // G = 8, N_act ≈ 1.03e8, D ≈ 4.28e9 (Table 2: 64 x 100M, 4.37B, G = 8)
 */
export function optimumAtCompute(law: Law, flops: number, options: OptimumOptions = {}): LossOptimum {
  const model = requireLossModel(law);
  const variables = lossVariables(model);
  if (variables.includes('granularity') && options.granularity === undefined) {
    return { ...best(GRANULARITY_GRID.map((granularity) => optimumAtCompute(law, flops, { ...options, granularity }))), chosen: 'free' };
  }
  if (variables.includes('experts') && options.experts === undefined) {
    const chosen = options.maxTotalParams !== undefined ? ('memory' as const) : ('free' as const);
    return { ...best(expertGrid(law).map((experts) => optimumAtCompute(law, flops, { ...options, experts }))), chosen };
  }
  const vars: MoeVariables = {
    ...(variables.includes('granularity') ? { granularity: options.granularity } : {}),
    ...(variables.includes('experts') ? { experts: options.experts } : {}),
  };
  let params: number;
  if (proportionalCompute(law)) {
    const s = lossSlice(model, vars);
    const sum = s.alpha + s.beta;
    const gc = ((s.alpha * s.A) / (s.beta * s.B)) ** (1 / sum);
    params = gc * (flops / law.compute.paramsTokens) ** (s.beta / sum);
  } else {
    params = stationaryParams(law, flops, vars);
  }
  let memoryBound = false;
  if (options.maxTotalParams !== undefined) {
    const cap = maxParamsForMemory(model, options.maxTotalParams, vars);
    if (params > cap) {
      params = cap;
      memoryBound = true;
    }
  }
  const tokens = flops / flopsPerTokenOf(law, params, vars);
  return {
    params,
    tokens,
    loss: lossTerms(model, { params, tokens, ...vars }).loss,
    flops: flopsPerTokenOf(law, params, vars) * tokens,
    ...vars,
    ...(options.maxTotalParams !== undefined ? { memoryBound } : {}),
  };
}

/** The largest N (the law's convention) whose total parameter count is within `maxTotal`. */
function maxParamsForMemory(model: LossModel, maxTotal: number, vars: MoeVariables): number {
  if (model.kind === 'joint-moe') return maxTotal / totalFromActivated(model, 1, required(vars.experts, 'experts'));
  return maxTotal; // chinchilla: N is the total; fine-grained MoE: N is the total non-embedding count
}

/** The lowest loss of several optima (the first on a tie). */
function best(optima: LossOptimum[]): LossOptimum {
  return optima.reduce((a, b) => (b.loss < a.loss ? b : a));
}

/**
 * The cheapest run that reaches `target`: the budget C whose loss-optimal (N, D) has loss
 * `target`, with that (N, D). On the slice with C = k·N·D the optimal loss is
 * E + K·(C/k)^(−αβ/(α+β)), K = A·Gc^−α + B·Gc^β, so C = k·(K/(target − E))^((α+β)/(αβ));
 * otherwise bisection on ln C of {@link optimumAtCompute} (the optimal loss falls with C).
 * NaN fields when the target is at or below what the law can reach.
 *
 * @example cheapestForLoss(PRESETS.chinchilla, 2.1) // C ≈ 2.1e21, N ≈ 4.8e9 … (closed form)
 */
export function cheapestForLoss(law: Law, target: number, options: OptimumOptions = {}): LossOptimum {
  const model = requireLossModel(law);
  const fixed = lossVariables(model).every((v) => options[v] !== undefined);
  if (fixed && proportionalCompute(law) && options.maxTotalParams === undefined) {
    const s = lossSlice(model, options);
    const sum = s.alpha + s.beta;
    const gc = ((s.alpha * s.A) / (s.beta * s.B)) ** (1 / sum);
    const k = s.A * gc ** -s.alpha + s.B * gc ** s.beta;
    const flops = target > s.E ? law.compute.paramsTokens * (k / (target - s.E)) ** (sum / (s.alpha * s.beta)) : Number.NaN;
    return optimumAtCompute(law, flops, options);
  }
  const lo = 0;
  const hi = Math.log(Number.MAX_VALUE) / 2;
  // The optimal loss falls with ln C: the root of target − loss.
  const below = (x: number) => target - optimumAtCompute(law, Math.exp(x), options).loss;
  const belowHi = below(hi);
  if (!(belowHi > 0)) return optimumAtCompute(law, Number.NaN, options);
  const belowLo = below(lo);
  if (!(belowLo < 0)) return optimumAtCompute(law, Math.exp(lo), options);
  return optimumAtCompute(law, Math.exp(rootOrBisection(below, lo, hi, belowLo, belowHi)), options);
}

/**
 * The budget at which N (the law's convention) is the loss-optimal size: bisection on
 * ln C of {@link optimumAtCompute} (Nopt grows with C). For the closed forms the callers
 * have exact inverses (allocation.ts); this is the numeric one.
 */
export function computeForOptimalParams(law: Law, params: number, options: OptimumOptions = {}): number {
  return bisectCompute((c) => optimumAtCompute(law, c, options).params, params);
}

/** The budget at which D is the loss-optimal token count (Dopt grows with C). */
export function computeForOptimalTokens(law: Law, tokens: number, options: OptimumOptions = {}): number {
  return bisectCompute((c) => optimumAtCompute(law, c, options).tokens, tokens);
}

/** The budget C at which `valueAt` (rising with C) reaches `target`: a root in ln C. */
function bisectCompute(valueAt: (flops: number) => number, target: number): number {
  const lo = 0;
  const hi = Math.log(Number.MAX_VALUE) / 2;
  const above = (x: number) => valueAt(Math.exp(x)) - target;
  const aboveHi = above(hi);
  const aboveLo = above(lo);
  if (!(aboveHi >= 0) || !(aboveLo <= 0)) return Number.NaN;
  if (aboveHi === 0) return Math.exp(hi);
  if (aboveLo === 0) return Math.exp(lo);
  return Math.exp(rootOrBisection(above, lo, hi, aboveLo, aboveHi));
}

function required(value: number | undefined, variable: LossVariable): number {
  if (value === undefined || !(value > 0) || !Number.isFinite(value)) {
    throw new MoeplanError('MISSING_INPUT', message('loss.required', { input: variable }), { field: variable });
  }
  return value;
}

/** The kinds as a list, for tests that iterate them. */
export const LOSS_KINDS = ['chinchilla', 'fine-grained-moe', 'joint-moe'] as const satisfies readonly LossModel['kind'][];

export type { ChinchillaLoss, FineGrainedMoeLoss, JointMoeLoss };
