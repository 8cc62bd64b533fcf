/**
 * `gpuHours` (max): accelerator-hours C / (peak · MFU) / 3600 at most `max` (SPEC §6).
 *
 * detail: gpuHours, flops, peakFlops, mfu, count, price, flopsAtLimit.
 *
 * @example C = 3.4924e24 on H100 (989 TFLOP/s) at 40% MFU: 2.452M GPU-hours
 */
import { hardwareTimeCheck } from './hardware-time.js';
import { defineCheck } from './types.js';

export const gpuHoursCheck = defineCheck({
  id: 'gpuHours',
  ...hardwareTimeCheck('gpuHours'),
  label: 'GPU-hours',
  limit: { description: 'Accelerator-hours at most `max`', max: { description: 'Largest allowed GPU-hours' } },
  formatValue: (value, { si }) => `${si(value, 4)} GPU-h`,
});
