import { describe, expect, it } from 'vitest';
import { optimalAllocation } from '../../../src/core/allocation.js';
import { trainingFlops } from '../../../src/core/compute.js';
import { PRESETS } from '../../../src/core/laws/index.js';

const law = PRESETS.dense!;

describe('dense', () => {
  it("C = 6ND: 70B × 1.4T is 5.88e23 FLOPs (Chinchilla's own run)", () => {
    expect(trainingFlops(70e9, 1.4e12, law.compute)).toBe(6 * 70e9 * 1.4e12);
  });

  it('is a compute model only: no allocation', () => {
    expect(law.allocation).toBeUndefined();
    expect(() => optimalAllocation(law, 1e21)).toThrow(/no compute-optimal allocation/);
  });
});
