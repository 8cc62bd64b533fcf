import { MoeplanError } from './errors.js';
import { message } from './messages.js';

const GiB = 2 ** 30;

/**
 * Accelerators: peak dense BF16 throughput in FLOP/s, from the vendors' datasheets (no
 * structured sparsity; SPEC §6), and memory per device in bytes.
 *
 * Memory is the vendor's nominal capacity (A100 40 or 80 GB, H100 80 GB, H200 141 GB,
 * B200 192 GB, MI300X 192 GB). HBM stacks come in binary sizes, so the nominal "80 GB" is
 * counted as 80 GiB = 85.9e9 bytes; the driver, the CUDA context and the allocator take part
 * of it, which is what the headroom of `moeplan memory` is for.
 */
export const ACCELERATORS: Readonly<Record<string, { readonly name: string; readonly peakFlops: number; readonly memoryBytes: number }>> = {
  a100: { name: 'NVIDIA A100 SXM 80GB', peakFlops: 312e12, memoryBytes: 80 * GiB },
  'a100-40': { name: 'NVIDIA A100 SXM 40GB', peakFlops: 312e12, memoryBytes: 40 * GiB },
  h100: { name: 'NVIDIA H100 SXM', peakFlops: 989e12, memoryBytes: 80 * GiB },
  h200: { name: 'NVIDIA H200', peakFlops: 989e12, memoryBytes: 141 * GiB },
  b200: { name: 'NVIDIA B200', peakFlops: 2250e12, memoryBytes: 192 * GiB },
  mi300x: { name: 'AMD MI300X', peakFlops: 1307e12, memoryBytes: 192 * GiB },
};

/**
 * The accelerator entry of a name (case-insensitive), or a `MoeplanError` about the input
 * `field` (a logical input name) whose hint lists the accelerators and the input
 * `alternative` to give instead.
 */
export function accelerator(name: string, field = 'gpu', alternative = 'peakFlops'): (typeof ACCELERATORS)[string] {
  const key = name.trim().toLowerCase();
  // Own keys only: "constructor" or "__proto__" is not an accelerator.
  const entry = Object.hasOwn(ACCELERATORS, key) ? ACCELERATORS[key] : undefined;
  if (!entry) {
    throw new MoeplanError('UNKNOWN_GPU', message('hardware.unknown-accelerator', { input: field, value: name }), {
      field,
      hint: message('hardware.unknown-accelerator.hint', { known: Object.keys(ACCELERATORS), alternative }),
    });
  }
  return entry;
}

/** Peak FLOP/s of a named accelerator (case-insensitive), or a `MoeplanError`. */
export function acceleratorPeakFlops(name: string, field = 'gpu'): number {
  return accelerator(name, field).peakFlops;
}

export interface HardwareTime {
  /** Accelerator-seconds: C / (peak · MFU). */
  readonly gpuSeconds: number;
  /** Accelerator-hours: gpuSeconds / 3600. */
  readonly gpuHours: number;
  /** Wall-clock days on `count` accelerators: gpuSeconds / (count · 86400). Undefined without a count. */
  readonly days: number | undefined;
  /** gpuHours · price per accelerator-hour. Undefined without a price. */
  readonly cost: number | undefined;
}

/**
 * Time and cost of a training run (SPEC §6).
 *
 * GPU-seconds = C / (peak · MFU); days = GPU-seconds / (count · 86400); cost = GPU-hours · price.
 *
 * @example trainingTime(3.4924e24, { peakFlops: 989e12, mfu: 0.4, count: 4096 })
 * // { gpuHours: 2.4522e6, days: 24.95, … }
 */
export function trainingTime(flops: number, hardware: { peakFlops: number; mfu: number; count?: number; pricePerGpuHour?: number }): HardwareTime {
  const gpuSeconds = flops / (hardware.peakFlops * hardware.mfu);
  const gpuHours = gpuSeconds / 3600;
  return {
    gpuSeconds,
    gpuHours,
    days: hardware.count === undefined ? undefined : gpuSeconds / (hardware.count * 86400),
    cost: hardware.pricePerGpuHour === undefined ? undefined : gpuHours * hardware.pricePerGpuHour,
  };
}

/** What a hardware budget is measured in: wall-clock days on a count, accelerator-hours, or money. */
export type HardwareTimeGiven =
  | { readonly days: number; readonly count: number }
  | { readonly gpuHours: number }
  | { readonly cost: number; readonly pricePerGpuHour: number };

/**
 * The training compute a hardware budget buys: the inverse of {@link trainingTime}.
 *
 * C = peak · MFU · GPU-seconds, with GPU-seconds = days · 86400 · count, or
 * GPU-hours · 3600, or (cost / price per GPU-hour) · 3600 (SPEC §6, read the other way).
 *
 * @example flopsForHardware({ peakFlops: 989e12, mfu: 0.4 }, { days: 60, count: 2048 })
 * // 4.2000e24 (2048 H100s for 60 days at 40% MFU)
 * @example flopsForHardware({ peakFlops: 989e12, mfu: 0.4 }, { gpuHours: 2.4522e6 }) // 3.4924e24
 */
export function flopsForHardware(hardware: { peakFlops: number; mfu: number }, given: HardwareTimeGiven): number {
  let gpuSeconds: number;
  if ('days' in given) gpuSeconds = given.days * 86400 * given.count;
  else if ('gpuHours' in given) gpuSeconds = given.gpuHours * 3600;
  else gpuSeconds = (given.cost / given.pricePerGpuHour) * 3600;
  return hardware.peakFlops * hardware.mfu * gpuSeconds;
}
