/**
 * The q-quantile of a sample by linear interpolation between order statistics (Hyndman
 * and Fan 1996 type 7, the default of numpy and R): h = (n − 1)·q, then interpolate
 * between the sorted values at ⌊h⌋ and ⌈h⌉. An empty sample gives NaN. `sorted` must be
 * ascending and hold no NaN ({@link percentileInterval} leaves non-finite values out).
 *
 * @example quantileSorted([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

/**
 * A central percentile interval [q, 1 − q] with q = (1 − level)/2 of the finite values.
 *
 * @example percentileInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.8) // [2, 10]
 */
export function percentileInterval(values: ArrayLike<number>, level: number): [number, number] {
  const finite = Float64Array.from(Array.prototype.filter.call(values, Number.isFinite) as number[]).sort();
  const tail = (1 - level) / 2;
  return [quantileSorted(finite, tail), quantileSorted(finite, 1 - tail)];
}
