/**
 * `days` (max): wall-clock days GPU-hours / count / 24 at most `max` (SPEC §6).
 *
 * detail: days, flops, gpuHours, peakFlops, mfu, count, price, flopsAtLimit, countAtLimit.
 *
 * @example 2.452M GPU-hours on 4096 accelerators: 24.9 days
 */
import { hardwareTimeCheck } from './hardware-time.js';
import { defineCheck } from './types.js';

export const daysCheck = defineCheck({
  id: 'days',
  ...hardwareTimeCheck('days'),
  label: 'wall-clock days',
  limit: { description: 'Wall-clock days at most `max`', max: { description: 'Largest allowed wall-clock days' } },
  formatValue: (value, { trimNumber }) => `${trimNumber(value, 4)} days`,
});
