/**
 * `cost` (max): GPU-hours × hardware.price at most `max`, in the currency of the price.
 *
 * detail: cost, flops, gpuHours, peakFlops, mfu, count, price, flopsAtLimit, priceAtLimit.
 *
 * @example 2.452M GPU-hours at 2.5 per GPU-hour: 6.131M
 */
import { hardwareTimeCheck } from './hardware-time.js';
import { defineCheck } from './types.js';

export const costCheck = defineCheck({
  id: 'cost',
  ...hardwareTimeCheck('cost'),
  label: 'cost',
  limit: {
    description: 'Cost (GPU-hours × hardware.price) at most `max`',
    max: { description: 'Largest allowed cost, in the currency of hardware.price', min: 0, minInclusive: true },
  },
  formatValue: (value, { money }) => money(value),
});
