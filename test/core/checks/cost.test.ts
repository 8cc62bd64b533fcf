import { describe, expect, it } from 'vitest';
import { GPU_SECONDS, base, expectLevels, only, skippedNeeds, withLimit, words } from './support.js';

describe('cost', () => {
  it('GPU-hours × price against max: pass, warn, fail, strict, off', () => expectLevels('cost', 10e6, 5e6, (GPU_SECONDS / 3600) * 2.5));

  it('needs the price', () => {
    const noPrice = { ...base, hardware: { gpu: 'h100', peakFlops: 989e12, count: 4096, mfu: 0.4 } };
    expect(skippedNeeds(only(withLimit('cost', 1, 'error', noPrice)).finding)).toEqual(['price']);
  });

  it('says which price would do', () => {
    const { finding } = only(withLimit('cost', 5e6));
    expect(finding.detail.priceAtLimit).toBeCloseTo((2.5 * 5e6) / ((GPU_SECONDS / 3600) * 2.5), 9);
    expect(words(finding).hint).toMatch(
      /^hardware\.price at most \$2\.0\d\/GPU-h, or C at most .* FLOPs \(fewer tokens or params\); or raise limits\.cost\.max$/,
    );
  });
});
