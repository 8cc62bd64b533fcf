/**
 * The shapes shared by the plan checks: the plan (numbers only), what it implies, a
 * finding, and {@link CheckDefinition}, the one entry per check from which the plan
 * schema's limits, the known keys of a plan, the report's labels and the help are derived.
 */
import type { OptimalAllocation } from '../allocation.js';
import type { ModelArchitecture } from '../architecture.js';
import type { ParamsMeaning } from '../law-params.js';
import type { Law } from '../laws/types.js';
import type { Recompute } from '../memory-activations.js';
import type { PrecisionName, ZeroStage } from '../memory-weights.js';

/** `error`: out of limit fails; `warn`: out of limit warns; `off`: not checked. */
export type CheckLevel = 'error' | 'warn' | 'off';
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
/** Whether a check bounds a value from above (`max`) or its distance from an optimum (`within`). */
export type CheckKind = 'max' | 'within';

export interface PlanLimit {
  /** The maximum (`max` checks) or the relative tolerance (`within` checks, 0.15 = ±15%). */
  readonly value: number;
  readonly level: CheckLevel;
  /**
   * How the plan wrote the limit: `max` or `within` (the check's kind, the default), or an
   * alternative the check offers (`headroom`: a share of a capacity left free).
   */
  readonly key?: 'max' | 'within' | 'headroom';
}

/** How the training is laid over the GPUs (`parallelism:` in a plan); absent keys take the defaults shown. */
export interface PlanParallelism {
  /** Tensor parallelism (1). */
  readonly tp?: number;
  /** Pipeline stages (1). */
  readonly pp?: number;
  /** Expert parallelism (1). */
  readonly ep?: number;
  /** Expert tensor parallelism (= tp). */
  readonly etp?: number;
  /** Context parallelism (1). */
  readonly cp?: number;
  /** Sequences per micro-batch (1). */
  readonly microBatch?: number;
  /** Training sequence length, tokens. */
  readonly seqLen?: number;
  /** ZeRO stage (0); Megatron's distributed optimizer is 1. */
  readonly zero?: ZeroStage;
  /** Activation recomputation (none). */
  readonly recompute?: Recompute;
  /** Sequence parallelism (false). */
  readonly sequenceParallel?: boolean;
  /** Bytes per weight of weights, gradients, master copy and moments (bf16). */
  readonly precision?: PrecisionName;
}

/** A training plan with every quantity resolved to a number (base units). */
export interface Plan {
  readonly name: string;
  readonly model: {
    /** N, activated parameters. */
    readonly activatedParams?: number;
    /** n, specialized experts. */
    readonly experts?: number;
    /** k of top-k routing (default 1). */
    readonly topK?: number;
    /** The model's shape, when the plan gives a config (for the memory check). */
    readonly architecture?: ModelArchitecture;
  };
  readonly training: {
    /** D, training tokens. */
    readonly tokens?: number;
    /** B, tokens per optimizer step. */
    readonly batchTokens?: number;
    /** Bcrit in tokens, if the plan states it. */
    readonly criticalBatchTokens?: number;
    /** Expected loss (nats per token), giving Bcrit by Kaplan eq. 1.4 when Bcrit is not stated. */
    readonly loss?: number;
    /** Training sequence length in tokens (the architecture count's, and parallelism.seqLen's default). */
    readonly seqLen?: number;
    readonly lr?: {
      /** εmax of Hunyuan eq. 1. */
      readonly max?: number;
      /** Bnoise in tokens. */
      readonly noiseTokens?: number;
      /** Planned rate of the shared expert. */
      readonly shared?: number;
      /** Planned rate of the specialized experts. */
      readonly specialized?: number;
    };
  };
  readonly hardware: {
    readonly gpu?: string;
    /** Peak FLOP/s per accelerator. */
    readonly peakFlops?: number;
    readonly count?: number;
    /** Model FLOPs utilisation in (0, 1]. */
    readonly mfu?: number;
    /** Price per GPU-hour. */
    readonly price?: number;
  };
  /** How the GPUs are arranged (for the memory check). */
  readonly parallelism?: PlanParallelism;
  /** The checks to run: limit per check id, in the plan's order. */
  readonly limits: Readonly<Record<string, PlanLimit | undefined>>;
}

/** What the plan implies, computed once for all checks. Absent where inputs are missing. */
export interface PlanDerived {
  /** C by the law's compute model, FLOPs. */
  readonly flops?: number;
  /** Bcrit in tokens, and where it came from. */
  readonly criticalBatchTokens?: number;
  readonly criticalBatchFrom?: 'plan' | 'loss';
  /** Cmin = C/(1 + B/Bcrit), FLOPs. */
  readonly cmin?: number;
  /** The law's Nopt and Dopt at Cmin (with closure and extrapolation). */
  readonly optimal?: OptimalAllocation;
  /** εopt of the shared expert (batch B) and of each specialized expert (batch B·k/n). */
  readonly optimalSharedLr?: number;
  readonly optimalSpecializedLr?: number;
  /** B/Bnoise. */
  readonly batchOverNoise?: number;
  readonly gpuHours?: number;
  readonly days?: number;
  readonly cost?: number;
}

/**
 * Why a check was skipped, as data: `off` (level: off); `needs` with the keys of the
 * check's {@link CheckDefinition.needs} the plan lacks; `noAllocation` when the law has no
 * compute-optimal allocation. The words are the CLI's.
 */
export type SkipReason =
  | { readonly code: 'off'; readonly args: Readonly<Record<string, never>> }
  | { readonly code: 'needs'; readonly args: { readonly needs: readonly string[] } }
  | { readonly code: 'noAllocation'; readonly args: { readonly law: string } };

/** The outcome of one check. */
export interface Finding {
  /** The key of the limit in the plan (the check's id). */
  readonly id: string;
  readonly status: CheckStatus;
  readonly level: CheckLevel;
  readonly kind: CheckKind;
  /**
   * The number compared with the limit: the value itself for `max` checks; for `within`
   * checks the signed relative deviation value/optimum − 1 (for `expertLr`, that of the
   * rate furthest off). `null` when skipped.
   */
  readonly actual: number | null;
  /** The maximum, or the tolerance (0.15 = ±15%). */
  readonly limit: number;
  /**
   * How far past the limit: actual/limit − 1 for `max` (0.12 = 12% over), |actual| − limit
   * for `within` (0.134 = 13.4 percentage points outside). Negative inside the limit;
   * `null` when skipped.
   */
  readonly excess: number | null;
  /** Why the check was skipped. */
  readonly reason?: SkipReason;
  /** The numbers behind the check (each check's file lists its keys). */
  readonly detail: Readonly<Record<string, number>>;
}

/** What a check measures from: the plan, the law, what the plan implies, and the limit's value. */
export interface CheckInput {
  readonly plan: Plan;
  readonly law: Law;
  readonly derived: PlanDerived;
  /** The maximum or the tolerance. */
  readonly limit: number;
  /** How the plan wrote it: the check's kind, or an alternative such as `headroom`. */
  readonly limitKey: 'max' | 'within' | 'headroom';
}

/**
 * The value compared with the limit and the numbers behind it, or the needs the plan lacks.
 * `limit`, when given, is the limit in the unit of `actual` for a limit the plan wrote
 * another way (a headroom of the GPU's memory becomes a maximum in bytes); it replaces the
 * plan's value in the comparison and the finding.
 */
export type Measure =
  | { readonly actual: number; readonly limit?: number; readonly detail: Readonly<Record<string, number>> }
  | { readonly missing: readonly string[] }
  | { readonly noAllocation: true };

/** The number formatting a check's description uses (the CLI passes its own). */
export interface Formatters {
  /** `52B`, `7T`. */
  si(value: number, digits?: number): string;
  /** `3.4924e24`. */
  sci(value: number, digits?: number): string;
  /** `15%`; `+43.4%` when signed. */
  percent(fraction: number, digits?: number, signed?: boolean): string;
  /** `$1.2M`. */
  money(value: number): string;
  /** `0.5`, `1.25`. */
  trimNumber(value: number, digits?: number): string;
}

/** What a description can draw on besides the finding. */
export interface DescribeInput {
  readonly finding: Finding;
  /** Whether the finding warns or fails (a hint is then due). */
  readonly out: boolean;
  readonly plan?: Plan;
  readonly law: string;
  readonly derived?: PlanDerived;
  /** When N came from a model config rather than `model.activatedParams`: the field, and the count the law took. */
  readonly paramsFrom?: { readonly field: string; readonly meaning: ParamsMeaning };
  readonly format: Formatters;
}

/** The check-specific part of a finding in words. */
export interface CheckWords {
  /** What was compared: `7T tokens vs Dopt 4.883T at Cmin 2.328e24`. */
  readonly details: string;
  /** What to change, for a check that warns or fails. */
  readonly hint?: string;
}

/** A plain quantity of the plan schema (the same rules as a flag value). */
export interface LimitQuantity {
  readonly description: string;
  /** Accept `15%` and fractions. */
  readonly percent?: boolean;
  /** Smallest allowed value (default 0, exclusive). */
  readonly min?: number;
  readonly minInclusive?: boolean;
  /** Largest allowed value (inclusive), if any. */
  readonly max?: number;
  readonly integer?: boolean;
  /** The allowed range in words, for messages. */
  readonly describe?: string;
  /** A size in bytes (`75GB`, `70GiB`) rather than a count. */
  readonly bytes?: boolean;
}

/**
 * One plan check: everything about it in one place. Adding a check is one file with one
 * of these, its line in `index.ts`, and its test.
 */
export interface CheckDefinition<Id extends string = string> {
  /** The key of its limit under `limits:` in a plan. */
  readonly id: Id;
  readonly kind: CheckKind;
  /**
   * What the check needs from the plan: a key per requirement, and the plan fields that
   * meet it (`size: 'model.activatedParams (or model.config) and training.tokens'`). A
   * skipped finding names the keys; the CLI prints `needs <fields>`.
   */
  readonly needs: Readonly<Record<string, string>>;
  /** The value and detail of the check, or the needs the plan lacks. */
  measure(input: CheckInput): Measure;
  /** A few words on what it compares, for reports (`tokens vs Dopt`). */
  readonly label: string;
  /** One line for `moeplan check --help`; consecutive checks with the same line are listed together. */
  readonly help: string;
  /** The limit in the plan schema: its description, and for a `max` check the quantity `max`. */
  readonly limit: {
    readonly description: string;
    readonly max?: LimitQuantity;
    /**
     * A `max` check may also take `headroom`: the least share of a capacity left free, which
     * its `measure` turns into the maximum (returned as `limit`).
     */
    readonly headroom?: LimitQuantity;
  };
  /** A `max` check's value with its unit (`3.4924e24 FLOPs`); absent: a plain number. */
  formatValue?(value: number, format: Formatters): string;
  /** The details and hint of a finding that was measured. */
  describe(input: DescribeInput): CheckWords;
}

/** A check definition with its id kept as a literal type. */
export function defineCheck<const Id extends string>(check: CheckDefinition<Id>): CheckDefinition<Id> {
  return check;
}
