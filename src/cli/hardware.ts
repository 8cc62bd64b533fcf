/**
 * The hardware options shared by `budget`, `optimal` and `cmin`: an accelerator (`--gpu`
 * or `--peak-flops`), `--mfu`, `--gpus`, `--price`, and a hardware budget (`--days`,
 * `--gpu-hours`, or `--cost`) that stands in for `--flops`.
 */
import { MoeplanError } from '../core/errors.js';
import { ACCELERATORS, type HardwareTimeGiven, acceleratorPeakFlops, flopsForHardware, trainingTime } from '../core/hardware.js';
import { type FieldName, type RawInputs, quantity, text } from './context.js';
import { finiteResult } from './numeric.js';
import { withNames } from '../messages/index.js';

/** Keys of the accelerator and its use. */
export const HARDWARE_KEYS = ['gpu', 'peakFlops', 'gpus', 'mfu', 'price'] as const;
/** Keys of a hardware budget: any one of them, with the accelerator, gives the compute. */
export const HARDWARE_BUDGET_KEYS = ['days', 'gpuHours', 'cost'] as const;
export type HardwareBudgetKey = (typeof HARDWARE_BUDGET_KEYS)[number];

export interface Hardware {
  readonly gpu?: string;
  readonly peakFlops: number;
  readonly mfu: number;
  readonly gpus?: number;
  readonly price?: number;
}

export interface HardwareBudget {
  /** Which option gave the budget. */
  readonly given: HardwareBudgetKey;
  /** Its value (days, GPU-hours or money). */
  readonly value: number;
  /** The training compute it buys, FLOPs. */
  readonly flops: number;
}

const EXAMPLE = `e.g. --gpu h100 --gpus 2048 --mfu 40% --days 60 (accelerators: ${Object.keys(ACCELERATORS).join(', ')})`;

function present(raw: RawInputs, key: string): boolean {
  const value = raw[key];
  return value !== undefined && value !== null && value !== '';
}

/** True when any hardware option (accelerator, use or budget) is given. */
export function hardwareGiven(raw: RawInputs): boolean {
  return [...HARDWARE_KEYS, ...HARDWARE_BUDGET_KEYS].some((key) => present(raw, key));
}

/**
 * The accelerator and its use, or `undefined` when no hardware option is given. An option
 * without an accelerator, both `--gpu` and `--peak-flops`, or an accelerator without
 * `--mfu`, is an error naming the option.
 */
export function readHardware(raw: RawInputs, name: FieldName): Hardware | undefined {
  if (!hardwareGiven(raw)) return undefined;
  const gpu = text(raw, 'gpu', name);
  const peakIn = quantity(raw, 'peakFlops', name, { describe: 'peak FLOP/s per accelerator, above 0 (e.g. 989T)' });
  const mfu = quantity(raw, 'mfu', name, { percent: true, max: 1, describe: 'a fraction in (0, 1] such as 0.4 or 40%' });
  const gpus = quantity(raw, 'gpus', name, { integer: true, describe: 'a whole number of accelerators, at least 1' });
  const price = quantity(raw, 'price', name, { min: 0, minInclusive: true, describe: 'a price per GPU-hour, 0 or more' });
  if (gpu === undefined && peakIn === undefined) {
    const stray = ['mfu', 'gpus', 'price', ...HARDWARE_BUDGET_KEYS].find((key) => present(raw, key)) as string;
    throw new MoeplanError('MISSING_INPUT', `${name(stray)} needs an accelerator: add ${name('gpu')} or ${name('peakFlops')}`, { hint: EXAMPLE });
  }
  if (gpu !== undefined && peakIn !== undefined) {
    throw new MoeplanError('INVALID_INPUT', `give ${name('gpu')} or ${name('peakFlops')}, not both: drop one`);
  }
  if (mfu === undefined) {
    throw new MoeplanError('MISSING_INPUT', `${name('mfu')} is required with ${name(gpu !== undefined ? 'gpu' : 'peakFlops')}`, {
      hint: 'model FLOPs utilisation, e.g. --mfu 0.4 (large MoE runs typically reach 0.3 to 0.5)',
    });
  }
  const peakFlops = peakIn ?? withNames(() => acceleratorPeakFlops(gpu as string), name);
  return {
    ...(gpu !== undefined ? { gpu: gpu.toLowerCase() } : {}),
    peakFlops,
    mfu,
    ...(gpus !== undefined ? { gpus } : {}),
    ...(price !== undefined ? { price } : {}),
  };
}

/**
 * The compute a hardware budget buys (`--days` with `--gpus`, `--gpu-hours`, or `--cost`
 * with `--price`), or `undefined` when none is given. Two budgets at once, `--days`
 * without `--gpus` or `--cost` without `--price` is an error saying what to drop or add.
 */
export function readHardwareBudget(raw: RawInputs, name: FieldName, hardware: Hardware | undefined): HardwareBudget | undefined {
  const given = HARDWARE_BUDGET_KEYS.filter((key) => present(raw, key));
  if (given.length === 0 || hardware === undefined) return undefined;
  if (given.length > 1) {
    throw new MoeplanError('INVALID_INPUT', `${given.map(name).join(' and ')} each give the compute: drop ${given.length === 2 ? 'one' : 'all but one'}`, {
      hint: 'days, GPU-hours and cost are three measures of one budget; the others are computed',
    });
  }
  const key = given[0] as HardwareBudgetKey;
  const value = quantity(raw, key, name, {
    describe: key === 'days' ? 'a number of days, above 0' : key === 'gpuHours' ? 'a number of GPU-hours, above 0' : 'an amount of money, above 0',
  }) as number;
  let time: HardwareTimeGiven;
  if (key === 'days') {
    if (hardware.gpus === undefined) {
      throw new MoeplanError('MISSING_INPUT', `${name('days')} needs ${name('gpus')}: days of wall clock on how many accelerators?`, { hint: EXAMPLE });
    }
    time = { days: value, count: hardware.gpus };
  } else if (key === 'gpuHours') {
    time = { gpuHours: value };
  } else {
    if (!(hardware.price !== undefined && hardware.price > 0)) {
      throw new MoeplanError('MISSING_INPUT', `${name('cost')} needs ${name('price')} above 0: the price per GPU-hour turns money into GPU-hours`, {
        hint: 'e.g. --cost 10M --price 2.5',
      });
    }
    time = { cost: value, pricePerGpuHour: hardware.price };
  }
  return { given: key, value, flops: finiteResult(flopsForHardware(hardware, time), 'the compute C the hardware budget buys') };
}

/** GPU-hours, and days and cost when the count and price are known, of `flops` on `hardware`. */
export function hardwareTime(flops: number, hardware: Hardware): { gpuHours: number; days?: number; cost?: number } {
  const time = trainingTime(flops, {
    peakFlops: hardware.peakFlops,
    mfu: hardware.mfu,
    ...(hardware.gpus !== undefined ? { count: hardware.gpus } : {}),
    ...(hardware.price !== undefined ? { pricePerGpuHour: hardware.price } : {}),
  });
  return {
    gpuHours: finiteResult(time.gpuHours, 'GPU-hours'),
    ...(time.days !== undefined ? { days: finiteResult(time.days, 'days') } : {}),
    ...(time.cost !== undefined ? { cost: time.cost } : {}),
  };
}

/** The hardware's resolved inputs, for the `inputs` of a JSON document. */
export function hardwareInputs(hardware: Hardware, budget: HardwareBudget | undefined): Record<string, number | string> {
  return { ...hardware, ...(budget ? { [budget.given]: budget.value } : {}) };
}
