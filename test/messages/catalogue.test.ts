import { describe, expect, it } from 'vitest';
import { optimalAllocation } from '../../src/core/allocation.js';
import { MoeplanError } from '../../src/core/errors.js';
import { PRESETS, PRESET_LIST } from '../../src/core/laws/index.js';
import { paramsForBudget } from '../../src/core/compute.js';
import { accelerator, acceleratorPeakFlops } from '../../src/core/hardware.js';
import { batchOverNoiseForRatio } from '../../src/core/learning-rate.js';
import { planFieldName } from '../../src/io/plan-file.js';
import { renderError, renderMessage, withInputNames, withNames } from '../../src/messages/index.js';

const flag = (input: string) => `--${input.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function thrown(f: () => unknown): MoeplanError {
  try {
    f();
  } catch (error) {
    if (error instanceof MoeplanError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('message catalogue', () => {
  it('renders a note from its code and arguments', () => {
    expect(renderMessage({ code: 'allocation.extrapolation', args: { budget: 3.1e24, low: 1e18, high: 1e21 } })).toBe(
      '3.1e24 FLOPs is outside the fitted range 1e18–1e21: extrapolation',
    );
    expect(renderMessage({ code: 'allocation.budget-unit', args: { value: 35880.2, unitFlops: 8.64e19, unitName: 'PF-days' } })).toBe(
      "budget in the law's unit: 35880 × 8.64e19 FLOPs (PF-days)",
    );
  });

  it('a core error carries its code, its message as data and the logical input; the words name the input as the caller gave it', () => {
    const error = thrown(() => optimalAllocation(PRESETS.dense!, 1e21));
    expect(error.code).toBe('NO_SOLUTION');
    expect(error.field).toBe('law');
    expect(error.data?.message).toEqual({ code: 'allocation.no-allocation', args: { law: 'dense' } });
    expect(error.message).toBe('law dense has no compute-optimal allocation (it is a compute model only)');
    // The laws with an allocation, from the preset registry.
    const withAllocation = PRESET_LIST.filter((law) => law.allocation).map((law) => law.name);
    expect(withAllocation).toContain('hunyuan');
    expect(withAllocation).not.toContain('dense');
    expect(error.hint).toBe(`use law ${withAllocation.join(', ')}, or a law file with an allocation`);
    expect(renderError(error, flag).hint).toBe(`use --law ${withAllocation.join(', ')}, or a law file with an allocation`);
    const named = withInputNames(error, flag) as MoeplanError;
    expect(named.field).toBe('--law');
    expect(named.data).toBeUndefined();
    expect(named.hint).toMatch(/^use --law hunyuan, /);
  });

  it('an error thrown with words keeps them', () => {
    const error = new MoeplanError('INVALID_INPUT', '--tokens: bad', { hint: 'give a number', field: '--tokens' });
    expect(renderError(error, flag)).toEqual({ message: '--tokens: bad', hint: 'give a number' });
    expect(withInputNames(error, flag)).toBe(error);
  });

  it('one core error names its inputs as flags at the terminal and as fields in a plan', () => {
    const error = thrown(() => acceleratorPeakFlops('tpu'));
    expect(error.field).toBe('gpu');
    expect(renderError(error, flag)).toEqual({
      message: '--gpu: unknown accelerator "tpu"',
      hint: 'use one of a100, a100-40, h100, h200, b200, mi300x, or give --peak-flops',
    });
    const inPlan = thrown(() => withNames(() => acceleratorPeakFlops('tpu'), planFieldName));
    expect(inPlan.message).toBe('hardware.gpu: unknown accelerator "tpu"');
    expect(inPlan.hint).toBe('use one of a100, a100-40, h100, h200, b200, mi300x, or give hardware.peakFlops');
    expect(inPlan.field).toBe('hardware.gpu');
    expect(
      renderError(
        thrown(() => accelerator('tpu', 'gpu', 'gpuMemory')),
        flag,
      ).hint,
    ).toMatch(/, or give --gpu-memory$/);

    const compute = thrown(() => paramsForBudget(1e20, 7e12));
    expect(compute.message).toBe(
      'no model fits: 1e20 FLOPs over 7e12 tokens is 1.4286e7 FLOPs per token, but the per-token term alone needs 2.3e8 (1.61e21 FLOPs in all)',
    );
    expect(compute.hint).toBe('raise flops or lower tokens');
    expect(renderError(compute, flag).hint).toBe('raise --flops or lower --tokens');
    expect(renderError(compute, planFieldName).hint).toBe('raise flops or lower training.tokens');

    const ratio = thrown(() => batchOverNoiseForRatio({ targetRatio: 0.5, experts: 4, topK: 4 }));
    expect(renderError(ratio, flag).hint).toBe('give more experts than the top-k, e.g. --experts 16 --top-k 1');
  });
});
