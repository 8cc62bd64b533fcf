import type { Law } from './types.js';

/**
 * Step Law (Li et al. 2025, "Predictable Scale: Part I — Optimal Hyperparameter Scaling
 * Law in Large Language Model Pretraining", arXiv 2503.04715): the optimal peak learning
 * rate and batch size of a dense run from its size and tokens,
 *   ηopt(N, D) = 1.79 · N^−0.713 · D^0.307,   Bopt(D) = 0.58 · D^0.571 tokens.
 *
 * Constants: the paper's rounded values, which match the authors' bootstrap-mean model in
 * github.com/step-law/steplaw @ 32a8f4c (code/fit_tool.py, data/1004_fitted_lr_bs_scaling_
 * model_parameters.csv: 1.79734·N^−0.712922·D^0.307491 and 0.580688·D^0.570944) to 0.4%.
 * N is non-embedding parameters (attention plus FFN weights, in data/dense_lr_bs_loss.csv
 * N = layers·(4·h² + 3·h·ffn)); D and B are tokens (the CSV's batch in sequences times
 * 2048). Fitted on dense models of 2.15e8–1.07e9 non-embedding parameters and 4e9–1e11
 * tokens; the repository does not say whether MoE rows were fitted, so an MoE's count is
 * its activated non-embedding parameters only as an approximation.
 *
 * Kind: dense. The constants were fitted on the dense runs (the five dense sizes above; N of
 * a dense layout); the paper reports that the same form also holds on its MoE runs, but the
 * 1.79, −0.713, 0.307 fit is the dense one, so an MoE priced with it gets the note.
 *
 * Compute: Step Law has no compute model of its own; moeplan uses the dense C ≈ 6·N·D.
 * Worked example (laws.md §5): N = 1e9, D = 1e11 → η = 1.63250e-3, B = 1.10771e6 tokens.
 */
export const steplaw: Law = {
  name: 'steplaw',
  title: 'Step Law (Li et al. 2025), optimal learning rate and batch size',
  source: 'Li et al. 2025 (arXiv 2503.04715); constants checked against github.com/step-law/steplaw @ 32a8f4c',
  compute: { paramsTokens: 6, tokens: 0, paramsMeaning: 'non-embedding' },
  modelKind: 'dense',
  learningRate: { budget: 'size', coefficient: 1.79, paramsExponent: -0.713, tokensExponent: 0.307 },
  batchSize: { budget: 'size', coefficient: 0.58, paramsExponent: 0, tokensExponent: 0.571 },
  fittedRange: { params: [2.15e8, 1.07e9], tokens: [4e9, 1e11] },
};
