import { describe, expect, it } from 'vitest';
import { GPU_SECONDS, base, empty, expectLevels, only, skippedNeeds, withLimit, words } from './support.js';

describe('gpuHours', () => {
  it('C / (peak · MFU) / 3600 against max: pass, warn, fail, strict, off', () => expectLevels('gpuHours', 3e6, 2e6, GPU_SECONDS / 3600));

  it('needs N, D, the accelerator and the MFU', () => {
    expect(skippedNeeds(only(withLimit('gpuHours', 1, 'error', empty)).finding)).toEqual(['size', 'peakFlops', 'mfu']);
    const noMfu = { ...base, hardware: { gpu: 'h100', peakFlops: 989e12 } };
    expect(skippedNeeds(only(withLimit('gpuHours', 1, 'error', noMfu)).finding)).toEqual(['mfu']);
  });

  it('says what would meet the limit', () => {
    const { finding } = only(withLimit('gpuHours', 2e6));
    expect(finding.detail.flopsAtLimit).toBeCloseTo(2e6 * 3600 * 989e12 * 0.4, -12);
    expect(words(finding).hint).toBe('a higher hardware.mfu, or C at most 2.848e24 FLOPs (fewer tokens or params); or raise limits.gpuHours.max');
  });
});
