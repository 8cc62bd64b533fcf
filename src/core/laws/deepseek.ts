import type { Law } from './types.js';

/**
 * DeepSeek LLM (DeepSeek-AI 2024, "DeepSeek LLM: Scaling Open-Source Language Models with
 * Longtermism", arXiv 2401.02954), §3.
 * - compute: C = M·D (eq. 2 ff.), M non-embedding FLOPs per token (attention included);
 * - allocation: Mopt = 0.1715·C^0.5243, Dopt = 5.8316·C^0.4757 (eq. 4);
 * - batch size: Bopt = 0.2920·C^0.3271 tokens; learning rate: ηopt = 0.3118·C^−0.1250 (eq. 1).
 *
 * Budget: raw training compute C. Native size: M, not parameters. moeplan converts with
 * M ≈ 6·N (so C = M·D becomes 6·N·D); this is an approximation (it drops the attention
 * FLOPs that M includes) and is labelled as one wherever N is shown.
 * Fitted range: compute budgets 1e17 to 3e20 FLOPs (§3.2).
 */
export const deepseek: Law = {
  name: 'deepseek',
  title: 'DeepSeek LLM (DeepSeek-AI 2024)',
  source: 'DeepSeek LLM (arXiv 2401.02954), §3, eq. 1 and 4',
  compute: { paramsTokens: 6, tokens: 0, paramsMeaning: 'flops-per-token' },
  modelKind: 'dense',
  allocation: {
    kind: 'power',
    budget: 'flops',
    budgetUnitFlops: 1,
    params: { coefficient: 0.1715, exponent: 0.5243 },
    tokens: { coefficient: 5.8316, exponent: 0.4757 },
    paramsConversion: { quantity: 'M (non-embedding FLOPs per token)', perParam: 6, approximate: true },
  },
  batchSize: { coefficient: 0.292, exponent: 0.3271, budget: 'flops' },
  learningRate: { coefficient: 0.3118, exponent: -0.125, budget: 'flops' },
  fittedRange: { flops: [1e17, 3e20] },
};
