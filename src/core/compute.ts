import { MoeplanError } from './errors.js';
import { message } from './messages.js';

/**
 * A linear training-compute model: C = paramsTokens·N·D + tokens·D.
 *
 * - Hunyuan-Large eq. 2 (MoE, activated parameters N): C ≈ 9.59·N·D + 2.3·10^8·D.
 *   The 2.3·10^8 FLOPs per token is attention over the sequence; 9.59 instead of 6
 *   counts the extra matrix work of an MoE layer per activated parameter.
 * - Dense rule of thumb (Kaplan 2020, Hoffmann 2022): C ≈ 6·N·D.
 *
 * Units: C in FLOPs, N in parameters, D in tokens.
 */
export interface ComputeModel {
  /** FLOPs per activated parameter per token (9.59 for Hunyuan eq. 2, 6 for dense). */
  readonly paramsTokens: number;
  /** FLOPs per token that do not scale with N (2.3e8 for Hunyuan eq. 2, 0 for dense). */
  readonly tokens: number;
}

/** Hunyuan-Large eq. 2: C ≈ 9.59·N·D + 2.3·10^8·D. */
export const HUNYUAN_COMPUTE: ComputeModel = { paramsTokens: 9.59, tokens: 2.3e8 };

/** The dense rule of thumb C ≈ 6·N·D (Kaplan 2020 §2.1; Hoffmann 2022). */
export const DENSE_COMPUTE: ComputeModel = { paramsTokens: 6, tokens: 0 };

/**
 * Training compute in FLOPs for N activated parameters and D tokens.
 *
 * C = a·N·D + b·D (Hunyuan-Large eq. 2 with a = 9.59, b = 2.3e8).
 *
 * @example trainingFlops(52e9, 7e12) // 3.4924e24 (the Hunyuan-Large run)
 * @example trainingFlops(52e9, 7e12, DENSE_COMPUTE) // 2.184e24
 */
export function trainingFlops(activatedParams: number, tokens: number, model: ComputeModel = HUNYUAN_COMPUTE): number {
  return (model.paramsTokens * activatedParams + model.tokens) * tokens;
}

/**
 * FLOPs per training token for N activated parameters: a·N + b.
 *
 * @example flopsPerToken(52e9) // 4.9891e11
 */
export function flopsPerToken(activatedParams: number, model: ComputeModel = HUNYUAN_COMPUTE): number {
  return model.paramsTokens * activatedParams + model.tokens;
}

/**
 * Inverse of {@link trainingFlops} for tokens: D = C / (a·N + b).
 *
 * @example tokensForBudget(3.4924e24, 52e9) // 7e12
 */
export function tokensForBudget(flops: number, activatedParams: number, model: ComputeModel = HUNYUAN_COMPUTE): number {
  return flops / flopsPerToken(activatedParams, model);
}

/**
 * Inverse of {@link trainingFlops} for parameters: N = (C/D − b) / a.
 *
 * Has no answer when the per-token overhead b·D alone uses the whole budget; then it
 * throws a `MoeplanError` with code `NO_SOLUTION`.
 *
 * @example paramsForBudget(3.4924e24, 7e12) // 52e9
 */
export function paramsForBudget(flops: number, tokens: number, model: ComputeModel = HUNYUAN_COMPUTE): number {
  const perToken = flops / tokens;
  const activatedParams = (perToken - model.tokens) / model.paramsTokens;
  if (!(activatedParams > 0)) {
    const overhead = model.tokens * tokens;
    throw new MoeplanError('NO_SOLUTION', message('compute.no-model-fits', { flops, tokens, perToken, perTokenTerm: model.tokens, overhead }), {
      hint: message('compute.no-model-fits.hint', {}),
    });
  }
  return activatedParams;
}
