import { describe, expect, it } from 'vitest';
import { allocationBudgetKind, optimalAllocation } from '../../../src/core/allocation.js';
import { PRESETS } from '../../../src/core/laws/index.js';
import { relDiff } from '../../helpers/cli.js';

const law = PRESETS.chinchilla!;

describe('chinchilla', () => {
  it('SPEC §2 check value: N ≈ 3.22e10 and D ≈ 2.98e12 at C = 5.76e23', () => {
    const at = optimalAllocation(law, 5.76e23);
    expect(relDiff(at.params, 3.22e10)).toBeLessThan(2e-3);
    expect(relDiff(at.tokens, 2.98e12)).toBeLessThan(2e-3);
  });

  it('is a law of raw compute C = 6ND, N activated', () => {
    expect(allocationBudgetKind(law)).toBe('flops');
    expect(law.compute).toMatchObject({ paramsTokens: 6, tokens: 0, paramsMeaning: 'activated' });
  });
});
