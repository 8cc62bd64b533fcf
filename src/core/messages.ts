/**
 * Messages as data: what the core has to say (a note on a result, an error, a hint) is a
 * stable `code` and its `args`, never words. The words live in the message catalogue
 * (src/messages/), which the CLI and the library API use to render a message in English,
 * naming each input the way the user gave it (`--tokens` at the terminal, `training.tokens`
 * in a plan file). An input name in `args` is a logical name (`tokens`, `decayFloor`),
 * never a flag.
 *
 * `MessageArgs` is the registry of codes: a message with an unknown code, or with the
 * wrong arguments, does not compile, and neither does a catalogue that lacks a code.
 *
 * @example const note: Message = { code: 'allocation.extrapolation', args: { budget: 1e27, low: 1e20, high: 1e25 } };
 */
export interface MessageArgs {
  // Notes on a compute-optimal allocation (core/allocation.ts).
  /** The law's budget is raw compute C and C was given. */
  'allocation.raw-compute': { law: string; budget: number };
  /** The law's budget is raw compute C, only Cmin was given. */
  'allocation.raw-compute-from-cmin': { law: string };
  /** The law's budget is Cmin. */
  'allocation.minimum-compute': { law: string; cmin: number };
  /** The budget expressed in the law's own unit (Kaplan's PF-days). */
  'allocation.budget-unit': { value: number; unitFlops: number; unitName?: string };
  /** The law's native size quantity (DeepSeek's M) and its conversion to parameters. */
  'allocation.native-size': { quantity: string; value: number; perParam: number; approximate: boolean };
  /** N counts non-embedding parameters. */
  'allocation.non-embedding': Record<string, never>;
  /** A remark the law's data carries (`allocation.closureNote`). */
  'law.note': { text: string };
  /** The budget lies outside the law's fitted range. */
  'allocation.extrapolation': { budget: number; low: number; high: number };

  // Errors of the allocation.
  'allocation.budget-not-positive': { budget: number };
  'allocation.no-allocation': { law: string };
  /** Hint: the laws that have an allocation (the CLI lists them from the registry). */
  'allocation.no-allocation.hint': Record<string, never>;
  'allocation.needs-loss-model': { law: string };
  'allocation.no-closed-form': { law: string; kind: string };
  'allocation.not-positive': { what: 'params' | 'tokens'; value: number };
  'allocation.no-budget': { law: string; what: 'params' | 'tokens'; value: number; overflows: boolean };
  'allocation.no-budget.hint': Record<string, never>;

  // Inputs out of range (any module); `input` is the logical input name.
  'input.not-one-of': { input: string; value: string; choices: readonly string[] };
  'input.not-positive': { input: string; value: number };
  'input.not-fraction': { input: string; value: number; zero: boolean; one: boolean };
  'input.not-whole-at-least': { input: string; value: number; min: number };
  'input.negative-tokens': { input: string; value: number };

  // The learning-rate schedule (core/schedule.ts).
  'schedule.floor-below-anneal': { decayFloor: number; annealFactor: number };
  'schedule.floor-below-anneal.hint': Record<string, never>;
  'schedule.no-anneal-tokens': { annealFraction: number };
  'schedule.no-decay-tokens': { warmupTokens: number; totalTokens: number; annealFraction: number };
  'schedule.no-decay-tokens.hint': Record<string, never>;

  // Training compute (core/compute.ts).
  'compute.no-model-fits': { flops: number; tokens: number; perToken: number; perTokenTerm: number; overhead: number };
  'compute.no-model-fits.hint': Record<string, never>;

  // Expert learning rates (core/learning-rate.ts).
  'lr.equal-top-k': { experts: number; reading: 'specialized-over-shared' | 'paper-literal' };
  'lr.equal-top-k.hint': Record<string, never>;
  'lr.ratio-out-of-reach': { reading: 'specialized-over-shared' | 'paper-literal'; target: number; experts: number; topK: number; low: number; high: number };
  'lr.ratio-out-of-reach.hint': { low: number; high: number };
  'lr.top-k-out-of-range': { value: number; experts: number };

  // Accelerators (core/hardware.ts); `input` names the accelerator's input, `alternative` the input to give instead.
  'hardware.unknown-accelerator': { input: string; value: string };
  'hardware.unknown-accelerator.hint': { known: readonly string[]; alternative: string };

  // Fits (core/fit/).
  'fit.too-few-budgets': { found: number; dropped: readonly { readonly flops: number; readonly reason: Message }[] };
  /** Why a budget of an isoFLOP fit was dropped: no runs, or its parabola (of loss against N or D) failed. */
  'fit.dropped.no-runs': Record<string, never>;
  'fit.dropped.parabola': { failure: 'too-few-runs' | 'too-few-sizes' | 'not-convex' | 'far-outside' | 'overflow'; against: 'params' | 'tokens'; runs: number };
  /** Why a run was left out of the budgets: off the nearest given budget, or near no cluster of runs. */
  'fit.left-out.off-budget': { flops: number; nearest: number; off: number; tolerance: number };
  'fit.left-out.no-cluster': { flops: number; tolerance: number };
  'fit.too-few-budgets.one-budget': Record<string, never>;
  'fit.too-few-budgets.bracket': Record<string, never>;
  'fit.same-budget': Record<string, never>;
  'fit.same-budget.hint': Record<string, never>;
  'fit.too-few-runs': { runs: number };
  'fit.too-few-runs.hint': Record<string, never>;
  'fit.exponents-not-positive': { alpha: number; beta: number };
  'fit.constant-not-positive': { constant: string; value: number };

  /** Words from outside the core (a caller's description, law data), passed through. */
  text: { text: string };

  // A computed number that is not representable (core/finite.ts); `what` says what was computed.
  'number.too-small': { what: Message };
  'number.nan': { what: Message };
  'number.too-large': { what: Message; value: number };
  'number.magnitudes.hint': Record<string, never>;
  'quantity.optimal-params': { law: string; budget: number };
  'quantity.optimal-tokens': { law: string; budget: number };
  'quantity.allocation-flops': { law: string };
  'quantity.closure': { law: string };
  'quantity.tokens-per-param': { law: string };
  'allocation.magnitudes.hint': Record<string, never>;
  'quantity.of-plan': { quantity: PlanQuantity };
  'plan.magnitudes.hint': Record<string, never>;

  // Loss laws (core/loss.ts).
  'loss.no-loss-model': { law: string };
  'loss.required': { input: string };

  // Runs of a fit: `column` is the runs file's column, `run` counts from 1.
  'fit.run-not-positive': { run: number; column: string; value: number };
  'fit.no-optimum': Record<string, never>;
  'fit.no-optimum.hint': Record<string, never>;
  'noise.too-few-runs': { runs: number };
  'noise.too-few-runs.hint': Record<string, never>;
  'noise.run-out-of-range': { run: number; column: string; value: number };
  'noise.same-tokens': Record<string, never>;
  'noise.same-tokens.hint': Record<string, never>;
  'noise.positive-slope': { slope: number };
  'noise.positive-slope.hint': Record<string, never>;
  'noise.no-minimum-steps': { intercept: number };
  'noise.no-minimum-steps.hint': Record<string, never>;

  // Model shapes (core/architecture.ts) and parallel layouts (core/memory-weights.ts).
  'shape.moe-layers': { moeLayers: number; layers: number };
  'shape.mamba-layers': { mambaLayers: number; layers: number };
  'shape.window-layers': { windowLayers: number; attentionLayers: number };
  'shape.kv-heads-above-heads': { kvHeads: number; heads: number };
  'shape.kv-groups': { kvHeads: number; heads: number };
  'shape.top-k-above-experts': { topK: number; experts: number };
  'layout.tp-heads': { tp: number; heads: number };
  'layout.tp-kv-heads': { tp: number; kvHeads: number };
  'layout.pp-layers': { pp: number; layers: number };
  'layout.ep-dense': { ep: number };
  'layout.ep-experts': { ep: number; experts: number };
  'layout.etp-intermediate': { etp: number; intermediate: number };
  'layout.expert-gpus': { expertParallel: number; expertGpus: number };

  // Plans (core/checks/).
  'plan.unknown-check': { id: string };
  'plan.limit-not-representable': { id: string; what: string; value: number };
  'plan.limit-not-representable.hint': Record<string, never>;
  'plan.model-parallel-count': { modelParallel: number; count: number };
  'plan.layout': { field: string; problem: Message };
  'plan.cp-seq-len': { cp: number; seqLen: number };
  'plan.total-params-law': { law: string };
  'plan.total-params-law.hint': { law: string };
}

/** What a plan implies, by name, for messages about it (core/checks/derive.ts). */
export type PlanQuantity = 'flops' | 'criticalBatch' | 'cmin' | 'batchOverNoise' | 'sharedLr' | 'specializedLr' | 'lr' | 'gpuHours' | 'days' | 'cost';

/** A message code: a key of {@link MessageArgs}. */
export type MessageCode = keyof MessageArgs;

/** A message as data: `{ code, args }`, with the arguments its code takes. */
export type Message<C extends MessageCode = MessageCode> = { [K in C]: { readonly code: K; readonly args: Readonly<MessageArgs[K]> } }[C];

/** A message of a code (typed arguments). */
export function message<C extends MessageCode>(code: C, args: MessageArgs[C]): Message<C> {
  return { code, args } as Message<C>;
}
