import { MoeplanError } from './errors.js';

/**
 * Peak dense BF16 throughput per accelerator in FLOP/s, from the vendors' datasheets
 * (no structured sparsity). SPEC §6.
 */
export const ACCELERATORS: Readonly<Record<string, { readonly name: string; readonly peakFlops: number }>> = {
  a100: { name: 'NVIDIA A100 SXM', peakFlops: 312e12 },
  h100: { name: 'NVIDIA H100 SXM', peakFlops: 989e12 },
  h200: { name: 'NVIDIA H200', peakFlops: 989e12 },
  b200: { name: 'NVIDIA B200', peakFlops: 2250e12 },
  mi300x: { name: 'AMD MI300X', peakFlops: 1307e12 },
};

/** Peak FLOP/s of a named accelerator (case-insensitive), or a `MoeplanError`. */
export function acceleratorPeakFlops(name: string, field = '--gpu'): number {
  const key = name.trim().toLowerCase();
  // Own keys only: "constructor" or "__proto__" is not an accelerator.
  const entry = Object.hasOwn(ACCELERATORS, key) ? ACCELERATORS[key] : undefined;
  if (!entry) {
    throw new MoeplanError('UNKNOWN_GPU', `${field}: unknown accelerator "${name}"`, {
      field,
      hint: `use one of ${Object.keys(ACCELERATORS).join(', ')}, or give --peak-flops`,
    });
  }
  return entry.peakFlops;
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
export function trainingTime(
  flops: number,
  hardware: { peakFlops: number; mfu: number; count?: number; pricePerGpuHour?: number },
): HardwareTime {
  const gpuSeconds = flops / (hardware.peakFlops * hardware.mfu);
  const gpuHours = gpuSeconds / 3600;
  return {
    gpuSeconds,
    gpuHours,
    days: hardware.count === undefined ? undefined : gpuSeconds / (hardware.count * 86400),
    cost: hardware.pricePerGpuHour === undefined ? undefined : gpuHours * hardware.pricePerGpuHour,
  };
}
