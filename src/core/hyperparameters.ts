/**
 * Optimal batch size and peak learning rate from a law's hyperparameter laws (data on the
 * law: `batchSize`, `learningRate`), for a run given by whichever of its compute, size and
 * tokens are known.
 *
 * - DeepSeek LLM (arXiv 2401.02954) eq. 1: Bopt = 0.2920·C^0.3271 tokens,
 *   ηopt = 0.3118·C^−0.1250, C in FLOPs.
 * - Step Law (Li et al. 2025, arXiv 2503.04715): ηopt = 1.79·N^−0.713·D^0.307,
 *   Bopt = 0.58·D^0.571 tokens, N non-embedding parameters, D tokens.
 *
 * @example optimalHyperparameters(PRESETS.steplaw, { params: 1e9, tokens: 1e11 })
 * // { batchTokens: 1.10771e6, lr: 1.63250e-3, missing: [], extrapolation: false }
 * @example optimalHyperparameters(PRESETS.deepseek, { flops: 1e20 }) // { batchTokens: 1.01714e6, lr: 9.86e-4, … }
 */
import type { HyperparameterLaw, Law } from './laws/types.js';

/** What is known of the run: training compute C (FLOPs), Cmin, parameters N (in the law's convention), tokens D. */
export interface HyperparameterRun {
  readonly flops?: number;
  readonly cmin?: number;
  readonly params?: number;
  readonly tokens?: number;
}

export type HyperparameterInput = keyof HyperparameterRun;

export interface OptimalHyperparameters {
  readonly law: string;
  /** Bopt in tokens, when the law has a batch-size law and its inputs are known. */
  readonly batchTokens?: number;
  /** ηopt, when the law has a learning-rate law and its inputs are known. */
  readonly lr?: number;
  /** The inputs a law needs that the run does not give. */
  readonly missing: readonly HyperparameterInput[];
  /** True when an input lies outside the range the law was fitted on. */
  readonly extrapolation: boolean;
}

/** The inputs a hyperparameter law is a function of. */
export function hyperparameterInputs(law: HyperparameterLaw): HyperparameterInput[] {
  if (law.budget !== 'size') return [law.budget];
  return [...(law.paramsExponent !== 0 ? (['params'] as const) : []), ...(law.tokensExponent !== 0 ? (['tokens'] as const) : [])];
}

/** y of one hyperparameter law at the run, or `undefined` when an input is missing. */
export function hyperparameterAt(law: HyperparameterLaw, run: HyperparameterRun): number | undefined {
  if (hyperparameterInputs(law).some((key) => run[key] === undefined)) return undefined;
  if (law.budget !== 'size') return law.coefficient * (run[law.budget] as number) ** law.exponent;
  const n = law.paramsExponent !== 0 ? (run.params as number) ** law.paramsExponent : 1;
  const d = law.tokensExponent !== 0 ? (run.tokens as number) ** law.tokensExponent : 1;
  return law.coefficient * n * d;
}

/** Bopt and ηopt of `law` at `run`; `undefined` for a law with neither. */
export function optimalHyperparameters(law: Law, run: HyperparameterRun): OptimalHyperparameters | undefined {
  const laws = [law.batchSize, law.learningRate].filter((h): h is HyperparameterLaw => h !== undefined);
  if (laws.length === 0) return undefined;
  const needs = [...new Set(laws.flatMap(hyperparameterInputs))];
  const missing = needs.filter((key) => run[key] === undefined);
  const batchTokens = law.batchSize ? hyperparameterAt(law.batchSize, run) : undefined;
  const lr = law.learningRate ? hyperparameterAt(law.learningRate, run) : undefined;
  const range = law.fittedRange;
  const outside = (value: number | undefined, r: readonly [number, number] | undefined) =>
    value !== undefined && r !== undefined && (value < r[0] || value > r[1]);
  const extrapolation = needs.some((key) =>
    outside(run[key], key === 'flops' ? range?.flops : key === 'cmin' ? range?.cmin : key === 'params' ? range?.params : range?.tokens),
  );
  return {
    law: law.name,
    ...(batchTokens !== undefined ? { batchTokens } : {}),
    ...(lr !== undefined ? { lr } : {}),
    missing,
    extrapolation,
  };
}
