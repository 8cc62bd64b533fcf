/**
 * `tokensVsOptimal` (within): training tokens D against the law's Dopt at the plan's Cmin
 * (Hunyuan §2.3.1: Dopt = 3.2·Cmin^0.5), or at C for a law of raw compute. Two-sided:
 * |D/Dopt − 1| ≤ within.
 *
 * detail: tokens, optimalTokens, budget, cmin, low, high, suggestedTokens.
 *
 * @example the SPEC §5 plan (D = 7T at Cmin 2.33e24): actual +0.434 (Dopt ≈ 4.88T)
 */
import { optimumCheck } from './optimum.js';
import { defineCheck } from './types.js';

export const tokensVsOptimalCheck = defineCheck({
  id: 'tokensVsOptimal',
  ...optimumCheck('tokens'),
  label: 'tokens vs Dopt',
  help: "training tokens vs Dopt at the plan's Cmin",
  limit: { description: "Training tokens D within `within` of Dopt at the plan's Cmin" },
});
