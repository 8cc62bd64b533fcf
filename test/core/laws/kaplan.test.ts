import { describe, expect, it } from 'vitest';
import { optimalAllocation } from '../../../src/core/allocation.js';
import { paramsForLaw } from '../../../src/core/law-params.js';
import { PF_DAY_FLOPS, PRESETS } from '../../../src/core/laws/index.js';
import { renderMessage } from '../../../src/messages/index.js';
import { relDiff } from '../../helpers/cli.js';

const law = PRESETS.kaplan!;

describe('kaplan', () => {
  it('table 6: at Cmin = 1 PF-day (8.64e19 FLOPs), Nopt = 1.3e9 and Dopt = 2e10', () => {
    expect(PF_DAY_FLOPS).toBe(1e15 * 86400);
    const at = optimalAllocation(law, PF_DAY_FLOPS);
    expect(relDiff(at.params, 1.3e9)).toBeLessThan(1e-12);
    expect(relDiff(at.tokens, 2e10)).toBeLessThan(1e-12);
    expect(at.notes).toContainEqual({ code: 'allocation.budget-unit', args: { value: 1, unitFlops: 8.64e19, unitName: 'PF-days' } });
    expect(at.notes.map((n) => renderMessage(n))).toContain("budget in the law's unit: 1 × 8.64e19 FLOPs (PF-days)");
  });

  it('says its closure near 2 is expected (eq. 5.5: C = 2·Cmin at B ≈ Bcrit)', () => {
    const at = optimalAllocation(law, PF_DAY_FLOPS);
    expect(at.closure).toBeCloseTo((6 * 1.3e9 * 2e10) / 8.64e19, 12);
    expect(at.notes.some((n) => n.code === 'law.note' && n.args.text.startsWith('closure near 2 is expected'))).toBe(true);
  });

  it('counts N as non-embedding parameters (§2.1)', () => {
    expect(paramsForLaw({ activatedParams: 10, activatedNonEmbeddingParams: 7, totalNonEmbeddingParams: 30 }, law)).toEqual({
      params: 7,
      meaning: 'non-embedding',
    });
  });
});
