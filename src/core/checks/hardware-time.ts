/**
 * What `gpuHours`, `days` and `cost` share: a value of the plan's hardware time (SPEC §6:
 * GPU-hours = C / (peak · MFU) / 3600; days = GPU-hours / count / 24; cost = GPU-hours ·
 * price) at most `max`, and what would meet the limit with everything else unchanged.
 *
 * detail: the value, flops, gpuHours, peakFlops, mfu, count, price (where they apply),
 * flopsAtLimit, countAtLimit (days), priceAtLimit (cost).
 */
import { NEEDS_SIZE } from './flops.js';
import type { CheckDefinition } from './types.js';

type Which = 'gpuHours' | 'days' | 'cost';

const NEEDS = {
  size: NEEDS_SIZE,
  peakFlops: 'hardware.gpu (or hardware.peakFlops)',
  mfu: 'hardware.mfu',
  count: 'hardware.count',
  price: 'hardware.price',
} as const;

/** The parts of a hardware-time check that differ only by which value it bounds. */
export function hardwareTimeCheck(which: Which): Pick<CheckDefinition, 'kind' | 'needs' | 'help' | 'measure' | 'describe'> {
  return {
    kind: 'max',
    needs: NEEDS,
    help: 'from hardware: gpu (or peakFlops), mfu, count, price',
    measure({ plan, derived, limit }) {
      const { peakFlops, mfu, count, price } = plan.hardware;
      const missing = [
        derived.flops === undefined && 'size',
        peakFlops === undefined && 'peakFlops',
        mfu === undefined && 'mfu',
        which === 'days' && count === undefined && 'count',
        which === 'cost' && price === undefined && 'price',
      ].filter((x): x is string => typeof x === 'string');
      const value = derived[which];
      if (missing.length > 0 || value === undefined || derived.gpuHours === undefined || derived.flops === undefined) return { missing };
      const scale = limit / value;
      return {
        actual: value,
        detail: {
          [which]: value,
          flops: derived.flops,
          gpuHours: derived.gpuHours,
          peakFlops: peakFlops as number,
          mfu: mfu as number,
          ...(count !== undefined ? { count } : {}),
          ...(price !== undefined ? { price } : {}),
          // What would meet the limit with everything else unchanged.
          flopsAtLimit: derived.flops * scale,
          ...(which === 'days' && count !== undefined ? { countAtLimit: Math.ceil(count / scale) } : {}),
          ...(which === 'cost' && price !== undefined ? { priceAtLimit: price * scale } : {}),
        },
      };
    },
    describe({ finding, out, plan, format: { si, sci, percent, money } }) {
      const n = (key: string) => finding.detail[key] as number;
      const hw = plan?.hardware;
      const device = `${hw?.count !== undefined ? `${hw.count} × ` : ''}${hw?.gpu ?? `${si(n('peakFlops') / 1e12, 4)} TFLOP/s`} at ${percent(n('mfu'))} MFU`;
      const details = which === 'cost' ? `${si(n('gpuHours'))} GPU-h at ${money(n('price'))}/GPU-h` : `C ${sci(n('flops'), 5)} FLOPs on ${device}`;
      const less = `C at most ${sci(n('flopsAtLimit'), 4)} FLOPs (fewer tokens or params)`;
      const hint =
        which === 'days'
          ? `hardware.count at least ${n('countAtLimit')}, a higher hardware.mfu, or ${less}`
          : which === 'cost'
            ? `hardware.price at most ${money(n('priceAtLimit'))}/GPU-h, or ${less}`
            : `a higher hardware.mfu, or ${less}`;
      return { details, ...(out ? { hint: `${hint}; or raise limits.${which}.max` } : {}) };
    },
  };
}
