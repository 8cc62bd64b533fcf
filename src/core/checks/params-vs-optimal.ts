/**
 * `paramsVsOptimal` (within): activated parameters N against the law's Nopt at the plan's
 * Cmin = C/(1 + B/Bcrit) (Hunyuan §2.3.1: Nopt = 5.9e-3·Cmin^0.5305), or at C for a law of
 * raw compute (Chinchilla, DeepSeek). Two-sided: |N/Nopt − 1| ≤ within.
 *
 * detail: activatedParams, optimalParams, budget, cmin, low, high, suggestedParams.
 *
 * @example the SPEC §5 plan (N = 52B at Cmin 2.33e24): actual +0.0434 (Nopt ≈ 49.84B)
 */
import { optimumCheck } from './optimum.js';
import { defineCheck } from './types.js';

export const paramsVsOptimalCheck = defineCheck({
  id: 'paramsVsOptimal',
  ...optimumCheck('activatedParams'),
  label: 'activated params vs Nopt',
  help: "activated params vs Nopt at the plan's Cmin = C/(1 + B/Bcrit)",
  limit: { description: "Activated parameters N within `within` of Nopt at the plan's Cmin" },
});
