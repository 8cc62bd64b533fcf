import { describe, expect, it } from 'vitest';
import { optimalAllocation } from '../../../src/core/allocation.js';
import { trainingFlops } from '../../../src/core/compute.js';
import { DEFAULT_LAW, PRESETS } from '../../../src/core/laws/index.js';
import { relDiff } from '../../helpers/cli.js';

const law = PRESETS.hunyuan!;

describe('hunyuan', () => {
  it('is the default law', () => expect(DEFAULT_LAW).toBe('hunyuan'));

  it('prices a run by eq. 2: 52B activated, 7T tokens is 3.4924e24 FLOPs (SPEC §5)', () => {
    expect(law.compute.equation).toBe('eq. 2');
    expect(relDiff(trainingFlops(52e9, 7e12, law.compute), 3.4924e24)).toBeLessThan(1e-4);
  });

  it('§2.3.1: Nopt = 58.1B at Cmin 3.109e24, Dopt = 5.6T at Cmin 3.0625e24', () => {
    expect(relDiff(optimalAllocation(law, 3.109e24).params, 58.1e9)).toBeLessThan(2e-3);
    expect(relDiff(optimalAllocation(law, 3.0625e24).tokens, 5.6e12)).toBeLessThan(2e-3);
  });
});
