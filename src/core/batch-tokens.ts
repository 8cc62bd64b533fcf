/**
 * The tokens to train at a real batch size: a compute-optimal allocation is fitted against
 * the minimum compute Cmin, i.e. the compute (and tokens) of a run at a batch far below
 * critical. At batch B the same loss needs more tokens.
 *
 * Derivation (Kaplan et al. 2020, §5.1, eq. 5.4 and 5.5, after McCandlish et al. 2018):
 * to reach a loss L, the optimiser steps S and the training examples (tokens) E = B·S
 * satisfy (S/Smin − 1)(E/Emin − 1) = 1. With Bcrit(L) = Emin/Smin this gives
 *   S = Smin·(1 + Bcrit/B)   (eq. 5.4)   and   E = Emin·(1 + B/Bcrit)   (eq. 5.5 in tokens).
 * Emin is the token count at B ≪ Bcrit, and Cmin = C(N, Emin) is the compute of that run
 * (C/Cmin = E/Emin because compute is proportional to tokens at fixed N). The isoFLOP fits
 * of Hunyuan-Large §2.3.1 (and Kaplan's table 6) give Nopt and Dopt as functions of Cmin,
 * so Dopt plays the part of Emin, and at batch B:
 *   D(B) = Dopt·(1 + B/Bcrit),   steps S = D(B)/B,   C(Nopt, D(B)) = C(Nopt, Dopt)·(1 + B/Bcrit).
 * The model size does not change: N = Nopt.
 *
 * Units: tokens, tokens per step, FLOPs.
 *
 * @example tokensAtBatch(3.991e12, 16e6, 9.41e6) // 1.0776e13: 2.70× the optimal tokens
 */
export function tokensAtBatch(optimalTokens: number, batchTokens: number, criticalBatchTokens: number): number {
  return optimalTokens * (1 + batchTokens / criticalBatchTokens);
}

/**
 * Inverse of {@link tokensAtBatch}: the tokens at B ≪ Bcrit (Emin) that a run of `tokens`
 * at batch B stands for, Emin = D / (1 + B/Bcrit).
 *
 * @example optimalTokensForBatch(1.0776e13, 16e6, 9.41e6) // 3.991e12
 */
export function optimalTokensForBatch(tokens: number, batchTokens: number, criticalBatchTokens: number): number {
  return tokens / (1 + batchTokens / criticalBatchTokens);
}
