import type { ComputeModel } from '../compute.js';

/**
 * A scaling law as data. The presets in this folder and the law files written by
 * `moeplan fit` have this same shape, so every command accepts either.
 *
 * Only `name`, `source` and `compute` are required; a law without an `allocation` can
 * price a run (`budget`) but cannot say what is compute-optimal.
 */
export interface Law {
  /** Short id: the preset name (`hunyuan`) or the name given to a fitted law. */
  readonly name: string;
  /** One line for people, e.g. "Hunyuan-Large (Tencent 2024), MoE". */
  readonly title: string;
  /** Where the constants come from: paper, section, equation or table. */
  readonly source: string;
  /** C = paramsTokens·N·D + tokens·D. */
  readonly compute: ComputeModel & {
    /**
     * What N means in this law. `activated`: activated parameters (moeplan's N).
     * `non-embedding`: non-embedding parameters (Kaplan). `flops-per-token`: DeepSeek's M,
     * non-embedding FLOPs per token, converted to parameters only as an approximation.
     * `total-non-embedding`: all non-embedding parameters of an MoE, every expert counted
     * (Krajewski et al. 2024); the activated count is derived from it and shown beside it.
     */
    readonly paramsMeaning?: ParamsMeaning;
    /** Where the law states its compute model, in short (`eq. 2`), for labels; absent: the law's name. */
    readonly equation?: string;
  };
  /**
   * The kind of model the law was made for (fitted on, or derived for): a model of the other
   * kind priced with it gets a note. Absent: not said.
   */
  readonly modelKind?: 'moe' | 'dense';
  /** Compute-optimal allocation, if the law has one. */
  readonly allocation?: Allocation;
  /** A parametric loss L(N, D), if the law has one. */
  readonly loss?: LossModel;
  /** The critical batch size, if the law has one. */
  readonly criticalBatch?: CriticalBatchLaw;
  /** Optimal batch size in tokens: a power of compute (DeepSeek) or of N and D (Step Law). */
  readonly batchSize?: HyperparameterLaw;
  /** Optimal (peak) learning rate: a power of compute (DeepSeek) or of N and D (Step Law). */
  readonly learningRate?: HyperparameterLaw;
  /** The range the law was fitted on; outside it, answers are extrapolation. */
  readonly fittedRange?: FittedRange;
}

/** What a law's N counts; see `Law.compute.paramsMeaning`. */
export type ParamsMeaning = 'activated' | 'non-embedding' | 'flops-per-token' | 'total-non-embedding';

/**
 * A law of an optimal hyperparameter (batch size in tokens, or peak learning rate):
 * - `budget: 'flops' | 'cmin'`: y = coefficient · X^exponent, X the training compute C or
 *   Cmin in FLOPs (DeepSeek LLM eq. 1);
 * - `budget: 'size'`: y = coefficient · N^paramsExponent · D^tokensExponent, N the
 *   parameters in the law's convention (`compute.paramsMeaning`), D the training tokens
 *   (Step Law, Li et al. 2025).
 */
export type HyperparameterLaw =
  | (PowerLaw & { readonly budget: 'flops' | 'cmin' })
  | {
      readonly budget: 'size';
      readonly coefficient: number;
      readonly paramsExponent: number;
      readonly tokensExponent: number;
    };

/** y = coefficient · x^exponent, optionally with a confidence interval on each. */
export interface PowerLaw {
  readonly coefficient: number;
  readonly exponent: number;
  /** [low, high] interval of the coefficient (e.g. a bootstrap 90% interval). */
  readonly coefficientCi?: readonly [number, number];
  /** [low, high] interval of the exponent. */
  readonly exponentCi?: readonly [number, number];
}

/**
 * How the law turns a budget into Nopt and Dopt.
 *
 * - `power`: Nopt = params.coefficient · X^params.exponent and likewise for tokens, where
 *   X is the budget (`cmin` or raw `flops`) divided by `budgetUnitFlops` (1 for FLOPs,
 *   8.64e19 for Kaplan's PF-days).
 * - `loss`: the minimiser of the law's loss model under its compute: in closed form where
 *   the loss is of Chinchilla's form at fixed MoE variables and C = k·N·D, numerically
 *   (src/core/loss.ts) otherwise.
 */
export type Allocation =
  | {
      readonly kind: 'power';
      readonly budget: 'cmin' | 'flops';
      readonly budgetUnitFlops: number;
      readonly params: PowerLaw;
      readonly tokens: PowerLaw;
      /**
       * When the law's native size is not a parameter count: native = perParam · N.
       * DeepSeek's M (non-embedding FLOPs per token) is about 6·N, an approximation.
       * Absent: the fitted coefficient gives parameters directly.
       */
      readonly paramsConversion?: ParamsConversion;
      /** The name of the budget unit when it is not 1 FLOP (`PF-days`), for labels. */
      readonly budgetUnitName?: string;
      /** A note on why C(Nopt, Dopt)/budget differs from 1 for this law, when it is expected to. */
      readonly closureNote?: string;
    }
  | {
      readonly kind: 'loss';
      /**
       * Which compute the closed form is applied to. Absent means `flops` (Chinchilla fits
       * raw training compute C = 6·N·D).
       */
      readonly budget?: 'cmin' | 'flops';
      /** A note on why C(Nopt, Dopt)/budget differs from 1 for this law, when it is expected to. */
      readonly closureNote?: string;
    };

/** How a law's native size quantity relates to parameters: native = perParam · N. */
export interface ParamsConversion {
  /** Name of the native quantity, e.g. `M (non-embedding FLOPs per token)`. */
  readonly quantity: string;
  /** native = perParam · N (6 for DeepSeek's M ≈ 6·N). */
  readonly perParam: number;
  /** True when the conversion is a rule of thumb rather than an identity. */
  readonly approximate: boolean;
}

/**
 * A parametric loss law: one of the kinds below, told apart by `kind`. Each reduces, at
 * fixed MoE variables (granularity G, expert count E), to Chinchilla's form
 * E + A/N^α + B/D^β (src/core/loss.ts, `lossSlice`).
 */
export type LossModel = ChinchillaLoss | FineGrainedMoeLoss | JointMoeLoss;

/** The loss-model kinds, for lists and exhaustiveness checks. */
export type LossKind = LossModel['kind'];

/** Chinchilla's parametric loss L(N, D) = E + A/N^alpha + B/D^beta (Hoffmann 2022 eq. 2). */
export interface ChinchillaLoss {
  readonly kind: 'chinchilla';
  readonly E: number;
  readonly A: number;
  readonly B: number;
  readonly alpha: number;
  readonly beta: number;
}

/**
 * Fine-grained MoE (Krajewski et al. 2024 eq. 9): L(N, D, G) = c + (g/G^γ + a)/N^α + b/D^β,
 * N total non-embedding parameters, D tokens, G granularity (d_ff / d_expert), at a fixed
 * expansion rate E = `experts` (N_expert = G·E). Activated non-embedding parameters
 * N_act = 12·N/(8E + 4) (§5: FFN 8E·d², attention 4d² per block).
 */
export interface FineGrainedMoeLoss {
  readonly kind: 'fine-grained-moe';
  readonly a: number;
  readonly alpha: number;
  readonly b: number;
  readonly beta: number;
  readonly g: number;
  readonly gamma: number;
  readonly c: number;
  /** The expansion rate E the constants were fitted at. */
  readonly experts: number;
  /**
   * The law's FLOPs model (eq. 10 / appendix E eq. 11), per token:
   * perActiveParam·N_act + routing·d·E·G·n_blocks (c_f = 6, c_r = 14), with the shape
   * d = widthPerBlock·n_blocks of the compute-optimal analysis, so N_act = 12·d³/widthPerBlock.
   * Absent: the law's linear `compute`.
   */
  readonly flops?: {
    readonly perActiveParam: number;
    readonly routing: number;
    readonly widthPerBlock: number;
  };
}

/**
 * Joint MoE scaling law (Ludziejewski et al. 2025 eq. 1 / 6):
 * L(N, D, Ê) = a·Ê^δ·N^(α + γ·ln Ê) + b·Ê^ω·D^(β + ζ·ln Ê) + c, N activated parameters
 * (embeddings included), D tokens, Ê the effective expert count of E experts (eq. 4):
 * 1/Ê = 1/(E − 1 + (1/eStart − 1/eMax)^−1) + 1/eMax. α and β are negative, as printed.
 */
export interface JointMoeLoss {
  readonly kind: 'joint-moe';
  readonly a: number;
  readonly alpha: number;
  readonly delta: number;
  readonly gamma: number;
  readonly b: number;
  readonly beta: number;
  readonly omega: number;
  readonly zeta: number;
  readonly eStart: number;
  readonly eMax: number;
  readonly c: number;
}

/**
 * The critical batch size in tokens.
 * - `loss`: Bcrit(L) = bStar / L^(1/alphaB) (Kaplan eq. 1.4), L in nats.
 * - `power`: Bcrit = coefficient · (X / budgetUnitFlops)^exponent, X the budget named by
 *   `budget` (absent: `cmin`, as in Kaplan table 6).
 */
export type CriticalBatchLaw =
  | { readonly kind: 'loss'; readonly bStar: number; readonly alphaB: number }
  | ({
      readonly kind: 'power';
      readonly budgetUnitFlops: number;
      /** The name of the budget unit when it is not 1 FLOP (`PF-days`), for labels. */
      readonly budgetUnitName?: string;
      readonly budget?: 'cmin' | 'flops';
    } & PowerLaw);

export interface FittedRange {
  /** [low, high] Cmin (FLOPs) of the runs the law was fitted on. */
  readonly cmin?: readonly [number, number];
  /** [low, high] raw training compute C (FLOPs), for laws whose budget is C. */
  readonly flops?: readonly [number, number];
  readonly params?: readonly [number, number];
  readonly tokens?: readonly [number, number];
  /** [low, high] granularity G of the runs (fine-grained MoE laws). */
  readonly granularity?: readonly [number, number];
  /** [low, high] expert count E of the runs (MoE laws). */
  readonly experts?: readonly [number, number];
}
