import { describe, expect, it } from 'vitest';
import { HUNYUAN_LARGE } from '../../../src/core/architecture.js';
import type { Plan } from '../../../src/core/checks/index.js';
import { PRECISIONS } from '../../../src/core/memory-weights.js';
import { trainingMemory } from '../../../src/core/memory.js';
import { base, only, skippedNeeds, withLimit, words } from './support.js';

const GiB = 2 ** 30;
/** Hunyuan-Large on 1,024 H100s: TP 8, PP 4, EP 16, ETP 1, ZeRO 1, selective recompute with SP. */
const plan: Plan = {
  ...base,
  model: { ...base.model, architecture: HUNYUAN_LARGE },
  hardware: { ...base.hardware, count: 1024 },
  parallelism: { tp: 8, pp: 4, ep: 16, etp: 1, seqLen: 4096, microBatch: 1, zero: 1, recompute: 'selective', sequenceParallel: true },
};
// The same layout through the library: DP = 1024 / (8 · 4).
const expected = trainingMemory({
  arch: HUNYUAN_LARGE,
  layout: { tp: 8, pp: 4, cp: 1, dp: 32, ep: 16, etp: 1 },
  precision: PRECISIONS.bf16,
  zero: 1,
  seqLen: 4096,
  microBatch: 1,
  recompute: 'selective',
  sequenceParallel: true,
}).peak;

describe('memoryPerGpu', () => {
  it('max in bytes: pass, warn, fail, strict and off', () => {
    const pass = only(withLimit('memoryPerGpu', 75e9, 'error', plan)).finding;
    expect(pass.status).toBe('pass');
    expect(pass.actual).toBe(expected.total);
    expect(pass.limit).toBe(75e9);
    const d = pass.detail as Record<string, number>;
    expect(d.total).toBe((d.parameters as number) + (d.gradients as number) + (d.optimizerStates as number) + (d.activations as number));
    expect(only(withLimit('memoryPerGpu', 40 * GiB, 'warn', plan)).finding.status).toBe('warn');
    const fail = only(withLimit('memoryPerGpu', 40 * GiB, 'error', plan));
    expect(fail.finding.status).toBe('fail');
    expect(fail.finding.excess).toBeCloseTo(expected.total / (40 * GiB) - 1, 12);
    expect(only(withLimit('memoryPerGpu', 40 * GiB, 'warn', plan), { strict: true }).finding.status).toBe('fail');
    expect(only(withLimit('memoryPerGpu', 40 * GiB, 'off', plan)).finding.reason).toEqual({ code: 'off', args: {} });
  });

  it('headroom: the share of hardware.gpu left free, turned into a max in bytes', () => {
    const at = (headroom: number) => only({ ...plan, limits: { memoryPerGpu: { value: headroom, level: 'error', key: 'headroom' } } }).finding;
    const ten = at(0.1);
    expect(ten.status).toBe('pass');
    expect(ten.limit).toBe(80 * GiB * 0.9);
    expect(ten.detail.headroom).toBeCloseTo(1 - expected.total / (80 * GiB), 12);
    expect(ten.detail.headroomAsked).toBe(0.1);
    // 51.07 GiB of 80 leaves 36%: asking for half fails.
    expect(at(0.5).status).toBe('fail');
    expect(words(at(0.5), plan).hint).toContain('raise limits.memoryPerGpu');
    expect(words(ten, plan).details).toMatch(
      /^stage 0 of 4: weights 12\.3 \+ gradients 24\.6 \+ optimizer 4\.27 \+ activations 9\.91 GiB; 36\.\d% of the h100's 80 GiB free$/,
    );
  });

  it('is skipped with the reason when the plan lacks the model, the parallelism, the count or (for headroom) the GPU', () => {
    expect(skippedNeeds(only(withLimit('memoryPerGpu', 75e9)).finding)).toEqual(['model', 'parallelism']);
    const noCount = { ...plan, hardware: { gpu: 'h100', peakFlops: 989e12, mfu: 0.4 } };
    expect(skippedNeeds(only(withLimit('memoryPerGpu', 75e9, 'error', noCount)).finding)).toEqual(['count']);
    const noGpu: Plan = { ...plan, hardware: { count: 1024 }, limits: { memoryPerGpu: { value: 0.1, level: 'error', key: 'headroom' } } };
    expect(skippedNeeds(only(noGpu).finding)).toEqual(['gpu']);
    // A max in bytes needs no GPU.
    expect(only(withLimit('memoryPerGpu', 75e9, 'error', { ...plan, hardware: { count: 1024 } })).finding.status).toBe('pass');
  });

  it('a layout the model cannot take is an error naming the field and both numbers', () => {
    const bad = { ...plan, parallelism: { ...plan.parallelism, ep: 6 } };
    expect(() => only(withLimit('memoryPerGpu', 75e9, 'error', bad))).toThrow('parallelism.ep: EP 6 does not divide the 16 routed experts');
    const uneven = { ...plan, hardware: { ...plan.hardware, count: 1000 } };
    expect(() => only(withLimit('memoryPerGpu', 75e9, 'error', uneven))).toThrow('TP × PP × CP = 32 does not divide hardware.count 1000');
  });
});
