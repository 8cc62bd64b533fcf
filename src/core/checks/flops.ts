/**
 * `flops` (max): the training compute C by the law's compute model (Hunyuan eq. 2 by
 * default: C = 9.59·N·D + 2.3e8·D) at most `max` FLOPs.
 *
 * detail: flops, activatedParams, tokens, tokensAtLimit (the D that would use exactly
 * `max`), paramsAtLimit (the N that would, when one exists).
 *
 * @example the SPEC §5 plan (N = 52B, D = 7T) under hunyuan: actual 3.4924e24 FLOPs
 */
import { paramsForBudget, tokensForBudget } from '../compute.js';
import { defineCheck } from './types.js';

/** The plan fields that give C. */
export const NEEDS_SIZE = 'model.activatedParams (or model.config) and training.tokens';

export const flopsCheck = defineCheck({
  id: 'flops',
  kind: 'max',
  needs: { size: NEEDS_SIZE },
  label: 'training compute',
  help: "training compute C (law's compute model, eq. 2 by default)",
  limit: {
    description: "Total training compute C (the law's compute model, Hunyuan eq. 2 by default) at most `max` FLOPs",
    max: { description: 'Largest allowed training compute, FLOPs' },
  },
  measure({ plan, law, derived, limit }) {
    const { activatedParams } = plan.model;
    const { tokens } = plan.training;
    if (derived.flops === undefined || activatedParams === undefined || tokens === undefined) return { missing: ['size'] };
    const paramsAtLimit = (limit / tokens - law.compute.tokens) / law.compute.paramsTokens;
    return {
      actual: derived.flops,
      detail: {
        flops: derived.flops,
        activatedParams,
        tokens,
        tokensAtLimit: tokensForBudget(limit, activatedParams, law.compute),
        ...(paramsAtLimit > 0 ? { paramsAtLimit: paramsForBudget(limit, tokens, law.compute) } : {}),
      },
    };
  },
  formatValue: (value, { sci }) => `${sci(value, 5)} FLOPs`,
  describe({ finding, out, law, format: { si } }) {
    const d = finding.detail;
    const n = (key: string) => d[key] as number;
    return {
      details: `${si(n('activatedParams'))} params × ${si(n('tokens'))} tokens, law ${law}`,
      ...(out
        ? {
            hint: `at ${si(n('activatedParams'))} params at most ${si(n('tokensAtLimit'))} tokens fit${
              d.paramsAtLimit !== undefined ? `; at ${si(n('tokens'))} tokens at most ${si(n('paramsAtLimit'))} params` : ''
            }; or raise limits.flops.max`,
          }
        : {}),
    };
  },
});
