import { describe, expect, it } from 'vitest';
import { GPU_SECONDS, base, expectLevels, only, skippedNeeds, withLimit, words } from './support.js';

describe('days', () => {
  it('GPU-hours / count / 24 against max: pass, warn, fail, strict, off', () => expectLevels('days', 120, 20, GPU_SECONDS / 4096 / 86400));

  it('needs the accelerator count', () => {
    const noCount = { ...base, hardware: { gpu: 'h100', peakFlops: 989e12, mfu: 0.4 } };
    expect(skippedNeeds(only(withLimit('days', 1, 'error', noCount)).finding)).toEqual(['count']);
  });

  it('says how many accelerators would do', () => {
    const { finding } = only(withLimit('days', 20));
    // 24.945 days on 4096 → at most 20 days needs ⌈4096 · 24.945/20⌉
    expect(finding.detail.countAtLimit).toBe(Math.ceil(4096 / (20 / (GPU_SECONDS / 4096 / 86400))));
    expect(words(finding).details).toBe('C 3.4924e24 FLOPs on 4096 × h100 at 40% MFU');
  });
});
