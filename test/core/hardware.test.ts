import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flopsForHardware, trainingTime } from '../../src/core/hardware.js';

describe('flopsForHardware (SPEC §6, read the other way)', () => {
  it('gives the compute 2048 H100s buy in 60 days at 40% MFU', () => {
    // 989e12 FLOP/s · 0.4 · 2048 · 60 · 86400 s, worked out: 3.956e14 · 1.0617e10 = 4.2000e24.
    expect(flopsForHardware({ peakFlops: 989e12, mfu: 0.4 }, { days: 60, count: 2048 }) / 4.2000187392e24).toBeCloseTo(1, 12);
    expect(flopsForHardware({ peakFlops: 1e15, mfu: 0.5 }, { gpuHours: 1 })).toBe(1.8e18);
    expect(flopsForHardware({ peakFlops: 1e15, mfu: 0.5 }, { cost: 10, pricePerGpuHour: 2.5 })).toBe(4 * 1.8e18);
  });

  it('is the inverse of trainingTime for days, GPU-hours and cost (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e20, max: 1e27, noNaN: true }),
        fc.double({ min: 1e13, max: 1e16, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (flops, peakFlops, mfu, count, price) => {
          const time = trainingTime(flops, { peakFlops, mfu, count, pricePerGpuHour: price });
          const hw = { peakFlops, mfu };
          expect(flopsForHardware(hw, { days: time.days as number, count }) / flops).toBeCloseTo(1, 10);
          expect(flopsForHardware(hw, { gpuHours: time.gpuHours }) / flops).toBeCloseTo(1, 10);
          expect(flopsForHardware(hw, { cost: time.cost as number, pricePerGpuHour: price }) / flops).toBeCloseTo(1, 10);
        },
      ),
      { seed: 61 },
    );
  });
});
