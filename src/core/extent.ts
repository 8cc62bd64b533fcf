/**
 * The smallest and largest of a list of numbers, by a loop: `Math.min(...values)` passes
 * every value as an argument and overflows the call stack at about 130,000 of them.
 * An empty list gives `[Infinity, -Infinity]`, as `Math.min()` and `Math.max()` do.
 *
 * @example extent([3, 1, 2]) // [1, 3]
 */
export function extent(values: ArrayLike<number>): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value < low) low = value;
    if (value > high) high = value;
    if (Number.isNaN(value)) return [Number.NaN, Number.NaN]; // as Math.min and Math.max give
  }
  return [low, high];
}
