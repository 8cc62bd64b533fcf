/**
 * Compute-optimal allocation: the model size Nopt and token count Dopt a law prescribes
 * for a budget, and the inverse solves (the budget at which a size or a token count is
 * optimal). Pure functions over the `Law` data in `laws/`.
 *
 * What "the budget" is depends on the law, and moeplan follows each paper:
 * - `hunyuan`: Cmin (Hunyuan-Large §2.3.1 fits Nopt and Dopt against Cmin of eq. 3);
 * - `kaplan`: Cmin, in PF-days (Kaplan et al. 2020 table 6);
 * - `chinchilla`, `chinchilla-epoch`, `deepseek`: raw training compute C (these papers
 *   have no critical-batch correction). When a caller knows only Cmin, moeplan applies
 *   these laws to Cmin as if it were C and says so in `notes`; given C as well
 *   (`options.flops`), it uses C.
 * A fitted law file says which it uses in `allocation.budget`.
 */
import { trainingFlops } from './compute.js';
import { MoeplanError } from './errors.js';
import { representable as isRepresentable, requireRepresentable } from './finite.js';
import type { ChinchillaLoss, Law, LossModel, ParamsMeaning, PowerLaw } from './laws/types.js';
import {
  type OptimumOptions,
  activatedFromTotal,
  computeForOptimalParams,
  computeForOptimalTokens,
  lossTerms,
  optimumAtCompute,
  totalFromActivated,
} from './loss.js';
import { type Message, message } from './messages.js';

/** What a law says is compute-optimal at one budget. */
export interface OptimalAllocation {
  /** The law's name. */
  readonly law: string;
  /** Which compute the law's allocation is a function of. */
  readonly budgetKind: 'cmin' | 'flops';
  /** The compute (FLOPs) the allocation was evaluated at: Cmin or C per `budgetKind`. */
  readonly budget: number;
  /** The minimum compute Cmin (FLOPs) asked about. */
  readonly cmin: number;
  /** Nopt, in parameters (see `paramsMeaning`; converted when the law's native size is not parameters). */
  readonly params: number;
  /** Dopt, training tokens. */
  readonly tokens: number;
  /** What `params` counts: activated, non-embedding, total non-embedding, or derived from FLOPs per token. */
  readonly paramsMeaning: ParamsMeaning;
  /** The predicted loss at (Nopt, Dopt), for a law with a loss model (nats per token). */
  readonly loss?: number;
  /**
   * The MoE side of the optimum, for MoE loss laws: the granularity G or expert count E
   * used (`chosen`: picked by the minimiser, freely or under the memory budget; absent:
   * given), the activated and total parameters, and whether the memory budget set N.
   */
  readonly moe?: {
    readonly granularity?: number;
    readonly experts?: number;
    readonly chosen?: 'free' | 'memory';
    readonly activatedParams: number;
    readonly totalParams: number;
    /** True when the total parameter count is an approximation (joint MoE: embeddings left out). */
    readonly totalApproximate: boolean;
    readonly memoryBound?: boolean;
  };
  /** The law's own size quantity when it is not parameters (DeepSeek's M). */
  readonly native?: { readonly quantity: string; readonly value: number; readonly perParam: number; readonly approximate: boolean };
  /** What Nopt and Dopt cost under the law's own compute model, C(Nopt, Dopt), FLOPs. */
  readonly flops: number;
  /**
   * flops / budget: how far the allocation and the compute model agree (1 = exactly).
   * For `hunyuan` this is C(Nopt, Dopt)/Cmin = 0.181·Cmin^0.0305 (SPEC §1).
   */
  readonly closure: number;
  /** Dopt / Nopt. */
  readonly tokensPerParam: number;
  /** True when the budget lies outside the law's fitted range. */
  readonly extrapolation: boolean;
  /** The fitted budget range [low, high] (FLOPs, of `budgetKind`), when the law records one. */
  readonly fittedRange?: readonly [number, number];
  /** Remarks as data (`{ code, args }`; words by `renderMessage`): how the budget was read, conversions, extrapolation. */
  readonly notes: readonly Message[];
}

/** Which compute (Cmin or raw C) a law's allocation takes. */
export function allocationBudgetKind(law: Law): 'cmin' | 'flops' {
  const allocation = requireAllocation(law);
  return allocation.kind === 'power' ? allocation.budget : (allocation.budget ?? 'flops');
}

/**
 * The closed-form minimiser of Chinchilla's loss L = E + A/N^α + B/D^β under C = 6·N·D:
 * Nopt = G·(C/6)^a, Dopt = (C/6)^b / G, with G = (αA/(βB))^(1/(α+β)), a = β/(α+β),
 * b = α/(α+β).
 *
 * Source: Hoffmann et al. 2022 eq. 4 (appendix D.2).
 *
 * @example chinchillaClosedForm({ kind: 'chinchilla', E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 })
 * // { G: 1.3448, a: 0.4516, b: 0.5484 }
 */
export function chinchillaClosedForm(loss: ChinchillaLoss): { G: number; a: number; b: number } {
  const sum = loss.alpha + loss.beta;
  return {
    G: ((loss.alpha * loss.A) / (loss.beta * loss.B)) ** (1 / sum),
    a: loss.beta / sum,
    b: loss.alpha / sum,
  };
}

/**
 * Nopt and Dopt of a law at a budget, what they cost under the law's compute model, and
 * the closure ratio flops/budget.
 *
 * - `power` allocation: Nopt = Nc·(X/u)^α, Dopt = Dc·(X/u)^β, X the budget, u its unit
 *   (1 FLOP, or 8.64e19 for Kaplan's PF-days). Hunyuan-Large §2.3.1: Nc = 5.9e-3,
 *   α = 0.5305, Dc = 3.2, β = 0.50.
 * - `loss` allocation: the Chinchilla closed form ({@link chinchillaClosedForm}).
 *
 * `cmin` in FLOPs. For a law whose budget is raw C, pass `options.flops` when C is known;
 * otherwise Cmin is used in its place (noted).
 *
 * @example optimalAllocation(PRESETS.hunyuan, 3.109e24).params // ≈ 58.1e9
 * @example optimalAllocation(PRESETS.hunyuan, 2e24).closure // ≈ 1.0
 * @example optimalAllocation(PRESETS.chinchilla, 5.76e23) // params ≈ 3.22e10, tokens ≈ 2.98e12
 */
export function optimalAllocation(law: Law, cmin: number, options: { flops?: number } & OptimumOptions = {}): OptimalAllocation {
  const allocation = requireAllocation(law);
  const budgetKind = allocationBudgetKind(law);
  const notes: Message[] = [];
  let budget = cmin;
  if (budgetKind === 'flops') {
    if (options.flops !== undefined) {
      budget = options.flops;
      notes.push(message('allocation.raw-compute', { law: law.name, budget }));
    } else {
      notes.push(message('allocation.raw-compute-from-cmin', { law: law.name }));
    }
  } else {
    notes.push(message('allocation.minimum-compute', { law: law.name, cmin }));
  }
  if (!(budget > 0) || !Number.isFinite(budget)) {
    throw new MoeplanError('INVALID_INPUT', message('allocation.budget-not-positive', { budget }));
  }

  let params: number;
  let tokens: number;
  let native: OptimalAllocation['native'];
  let moe: OptimalAllocation['moe'];
  let flopsOfOptimum: number | undefined;
  const model = law.loss;
  if (allocation.kind === 'loss' && model && model.kind !== 'chinchilla') {
    // An MoE loss law: its own minimiser (closed form per expert count, or numeric).
    const optimum = optimumAtCompute(law, budget, options);
    params = optimum.params;
    tokens = optimum.tokens;
    flopsOfOptimum = optimum.flops;
    const activatedParams = activatedFromTotal(model, params);
    moe = {
      ...(optimum.granularity !== undefined ? { granularity: optimum.granularity } : {}),
      ...(optimum.experts !== undefined ? { experts: optimum.experts } : {}),
      ...(optimum.chosen ? { chosen: optimum.chosen } : {}),
      activatedParams,
      totalParams: model.kind === 'joint-moe' ? totalFromActivated(model, params, optimum.experts ?? 1) : params,
      totalApproximate: model.kind === 'joint-moe',
      ...(optimum.memoryBound !== undefined ? { memoryBound: optimum.memoryBound } : {}),
    };
  } else {
    const values = (closedFormAllocation(law) as ClosedFormAllocation).at(budget, allocationNumbers());
    params = values.params;
    tokens = values.tokens;
    const conversion = allocation.kind === 'power' ? allocation.paramsConversion : undefined;
    if (allocation.kind === 'power' && allocation.budgetUnitFlops !== 1) {
      notes.push(
        message('allocation.budget-unit', {
          value: budget / allocation.budgetUnitFlops,
          unitFlops: allocation.budgetUnitFlops,
          ...(allocation.budgetUnitName ? { unitName: allocation.budgetUnitName } : {}),
        }),
      );
    }
    if (conversion) {
      const nativeParams = values.nativeParams;
      native = { quantity: conversion.quantity, value: nativeParams, perParam: conversion.perParam, approximate: conversion.approximate };
      notes.push(
        message('allocation.native-size', {
          quantity: conversion.quantity,
          value: nativeParams,
          perParam: conversion.perParam,
          approximate: conversion.approximate,
        }),
      );
    }
  }

  // The messages are built only for a value that fails (batch rows call this per row).
  if (!(Number.isFinite(params) && params > 0)) representable(params, () => message('quantity.optimal-params', { law: law.name, budget }));
  if (!(Number.isFinite(tokens) && tokens > 0)) representable(tokens, () => message('quantity.optimal-tokens', { law: law.name, budget }));
  const paramsMeaning = law.compute.paramsMeaning ?? 'activated';
  if (paramsMeaning === 'non-embedding') notes.push(message('allocation.non-embedding', {}));
  const flops = flopsOfOptimum ?? trainingFlops(params, tokens, law.compute);
  representable(flops, () => message('quantity.allocation-flops', { law: law.name }));
  const loss = model
    ? lossTerms(model, {
        params,
        tokens,
        ...(moe?.granularity !== undefined ? { granularity: moe.granularity } : {}),
        ...(moe?.experts !== undefined ? { experts: moe.experts } : {}),
      }).loss
    : undefined;
  const closure = representable(flops / budget, () => message('quantity.closure', { law: law.name }));
  const tokensPerParam = representable(tokens / params, () => message('quantity.tokens-per-param', { law: law.name }));
  if (allocation.closureNote) notes.push(message('law.note', { text: allocation.closureNote }));

  const range = law.fittedRange?.[budgetKind];
  const extrapolation = outsideFittedRange(law, budgetKind, budget);
  if (extrapolation && range) {
    notes.push(message('allocation.extrapolation', { budget, low: range[0], high: range[1] }));
  }
  return {
    law: law.name,
    budgetKind,
    budget,
    cmin,
    params,
    tokens,
    paramsMeaning,
    ...(loss !== undefined && Number.isFinite(loss) ? { loss } : {}),
    ...(moe ? { moe } : {}),
    ...(native ? { native } : {}),
    flops,
    closure,
    tokensPerParam,
    extrapolation,
    ...(range ? { fittedRange: range } : {}),
    notes,
  };
}

/**
 * Inverse of {@link optimalAllocation} for size: the budget (Cmin, or C for a law of raw
 * compute; FLOPs) at which `params` is compute-optimal.
 *
 * power: X = u·(N·k/Nc)^(1/α) with k the native-per-parameter factor (1, or 6 for M);
 * loss: C = 6·(N/G)^(1/a).
 *
 * @example cminForParams(PRESETS.hunyuan, 58.1e9) // ≈ 3.109e24
 */
export function cminForParams(law: Law, params: number, options: OptimumOptions = {}): number {
  const allocation = requireAllocation(law);
  positive(params, 'params');
  let budget: number;
  if (allocation.kind === 'loss' && law.loss && law.loss.kind !== 'chinchilla') {
    budget = computeForOptimalParams(law, params, options);
  } else {
    budget = (closedFormAllocation(law) as ClosedFormAllocation).budgetForParams(params);
  }
  return solved(budget, law, 'params', params);
}

/**
 * Inverse of {@link optimalAllocation} for tokens: the budget (Cmin, or C for a law of raw
 * compute; FLOPs) at which training on `tokens` is compute-optimal.
 *
 * power: X = u·(D/Dc)^(1/β); loss: C = 6·(D·G)^(1/b).
 *
 * @example cminForTokens(PRESETS.hunyuan, 5.6e12) // ≈ 3.0625e24
 */
export function cminForTokens(law: Law, tokens: number, options: OptimumOptions = {}): number {
  const allocation = requireAllocation(law);
  positive(tokens, 'tokens');
  let budget: number;
  if (allocation.kind === 'loss' && law.loss && law.loss.kind !== 'chinchilla') {
    budget = computeForOptimalTokens(law, tokens, options);
  } else {
    budget = (closedFormAllocation(law) as ClosedFormAllocation).budgetForTokens(tokens);
  }
  return solved(budget, law, 'tokens', tokens);
}

/**
 * The numbers of {@link optimalAllocation} at a budget, without its notes and checks: what
 * batch rows compute (into one reused object), and what {@link optimalAllocation} itself
 * uses for a law of closed form.
 */
export interface AllocationNumbers {
  /** Nopt, parameters (converted from the native size when the law's is not parameters). */
  params: number;
  /** Dopt, tokens. */
  tokens: number;
  /** Nopt in the law's native size (DeepSeek's M); equal to `params` without a conversion. */
  nativeParams: number;
  /** C(Nopt, Dopt) under the law's compute model, FLOPs. */
  flops: number;
  /** flops / budget. */
  closure: number;
  /** Dopt / Nopt. */
  tokensPerParam: number;
  /** The budget lies outside the law's fitted range. */
  extrapolation: boolean;
}

/** A fresh {@link AllocationNumbers} to fill. */
export function allocationNumbers(): AllocationNumbers {
  return { params: 0, tokens: 0, nativeParams: 0, flops: 0, closure: 0, tokensPerParam: 0, extrapolation: false };
}

/** The allocation of a law of closed form and its inverses, set up once per law (see {@link closedFormAllocation}). */
export interface ClosedFormAllocation {
  /** Nopt, Dopt, C(Nopt, Dopt), closure and Dopt/Nopt at a budget (FLOPs, of the law's budget kind), into `out`. */
  at(budget: number, out: AllocationNumbers): AllocationNumbers;
  /** The budget at which `params` is optimal (X = u·(N·k/Nc)^(1/α); C = 6·(N/G)^(1/a)). */
  budgetForParams(params: number): number;
  /** The budget at which `tokens` is optimal (X = u·(D/Dc)^(1/β); C = 6·(D·G)^(1/b)). */
  budgetForTokens(tokens: number): number;
}

/**
 * The numbers-only allocation of a law of closed form: a `power` allocation, or the
 * Chinchilla closed form ({@link chinchillaClosedForm}). `undefined` for an MoE loss law
 * (its optimum is searched, {@link optimumAtCompute}). No notes, no checks: the caller
 * checks the values ({@link optimalAllocation} with its messages; a batch row by declining).
 *
 * @example closedFormAllocation(PRESETS.hunyuan)?.at(3.109e24, allocationNumbers()).params // ≈ 58.1e9
 */
export function closedFormAllocation(law: Law): ClosedFormAllocation | undefined {
  const allocation = requireAllocation(law);
  const model = law.loss;
  if (allocation.kind === 'loss' && model && model.kind !== 'chinchilla') return undefined;
  const budgetKind = allocationBudgetKind(law);
  const compute = law.compute;
  const finish = (budget: number, out: AllocationNumbers): AllocationNumbers => {
    out.flops = trainingFlops(out.params, out.tokens, compute);
    out.closure = out.flops / budget;
    out.tokensPerParam = out.tokens / out.params;
    out.extrapolation = outsideFittedRange(law, budgetKind, budget);
    return out;
  };
  if (allocation.kind === 'power') {
    const unit = allocation.budgetUnitFlops;
    const perParam = allocation.paramsConversion?.perParam;
    return {
      at(budget, out) {
        const x = budget / unit;
        out.nativeParams = power(allocation.params, x);
        out.tokens = power(allocation.tokens, x);
        out.params = perParam !== undefined ? out.nativeParams / perParam : out.nativeParams;
        return finish(budget, out);
      },
      budgetForParams: (params) => unit * inversePower(allocation.params, params * (perParam ?? 1)),
      budgetForTokens: (tokens) => unit * inversePower(allocation.tokens, tokens),
    };
  }
  const { G, a, b } = chinchillaClosedForm(requireChinchillaLoss(law));
  return {
    at(budget, out) {
      const sixth = budget / 6;
      out.params = G * sixth ** a;
      out.tokens = sixth ** b / G;
      out.nativeParams = out.params;
      return finish(budget, out);
    },
    budgetForParams: (params) => 6 * (params / G) ** (1 / a),
    budgetForTokens: (tokens) => 6 * (tokens * G) ** (1 / b),
  };
}

/** True when the budget lies outside the law's fitted range of its budget kind. */
function outsideFittedRange(law: Law, budgetKind: 'cmin' | 'flops', budget: number): boolean {
  const range = law.fittedRange?.[budgetKind];
  return range !== undefined && (budget < range[0] || budget > range[1]);
}

/** y = k·x^e. */
function power(law: PowerLaw, x: number): number {
  return law.coefficient * x ** law.exponent;
}

/** x such that k·x^e = y. */
function inversePower(law: PowerLaw, y: number): number {
  return (y / law.coefficient) ** (1 / law.exponent);
}

function requireAllocation(law: Law): NonNullable<Law['allocation']> {
  if (!law.allocation) {
    throw new MoeplanError('NO_SOLUTION', message('allocation.no-allocation', { law: law.name }), {
      hint: message('allocation.no-allocation.hint', {}),
      field: 'law',
    });
  }
  return law.allocation;
}

function requireChinchillaLoss(law: Law): ChinchillaLoss {
  const loss: LossModel | undefined = law.loss;
  if (loss?.kind === 'chinchilla') return loss;
  if (!loss) {
    throw new MoeplanError('INVALID_LAW', message('allocation.needs-loss-model', { law: law.name }), { field: 'loss' });
  }
  throw new MoeplanError('INVALID_LAW', message('allocation.no-closed-form', { law: law.name, kind: loss.kind }), { field: 'loss.kind' });
}

function positive(value: number, what: 'params' | 'tokens'): void {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new MoeplanError('NO_SOLUTION', message('allocation.not-positive', { what, value }));
  }
}

/**
 * A positive result that overflowed to infinity, underflowed to zero or is NaN (the law's
 * constants and the budget are too far apart in magnitude) is an error, never printed.
 */
function representable(value: number, what: () => Message): number {
  if (isRepresentable(value)) return value;
  return requireRepresentable(value, what(), message('allocation.magnitudes.hint', {}));
}

function solved(budget: number, law: Law, what: 'params' | 'tokens', value: number): number {
  if (!Number.isFinite(budget) || !(budget > 0)) {
    throw new MoeplanError('NO_SOLUTION', message('allocation.no-budget', { law: law.name, what, value, overflows: budget > 0 }), {
      hint: message('allocation.no-budget.hint', {}),
    });
  }
  return budget;
}
