/**
 * Grouping runs into compute budgets. Runs of an isoFLOP study are planned at a few
 * budgets but rarely land exactly on them (rounded model shapes, whole steps, a changed
 * batch), so each run is assigned to a budget within a tolerance, or left out with the
 * reason.
 *
 * The tolerance t is a ratio: a run with compute C belongs to budget Cb when
 * Cb/(1 + t) ≤ C ≤ Cb·(1 + t), i.e. |ln C − ln Cb| ≤ ln(1 + t): symmetric in log C.
 */
import { type Message, message } from '../messages.js';

export interface BudgetGroup {
  /** The budget's raw compute in FLOPs: the planned budget, or the geometric mean of the runs found together. */
  readonly flops: number;
  /** Indices of the runs in the group (into the array passed in), in input order. */
  readonly members: readonly number[];
}

export interface Grouping {
  readonly groups: readonly BudgetGroup[];
  /** Runs not in any group, with the reason. */
  readonly leftOut: ReadonlyArray<{ readonly index: number; readonly reason: Message; readonly nearest?: number }>;
}

/**
 * Assign each run to the nearest planned budget (in log C) when it is within the tolerance.
 *
 * @example
 * groupByBudgets([Math.log(1.05e19), Math.log(2e19)], [1e19], 0.1)
 * // { groups: [{ flops: 1e19, members: [0] }], leftOut: [{ index: 1, reason: { code: 'fit.left-out.off-budget', … }, … }] }
 */
export function groupByBudgets(logFlops: readonly number[], budgets: readonly number[], tolerance: number): Grouping {
  const limit = Math.log1p(tolerance);
  const sorted = [...budgets].sort((x, y) => x - y);
  const logBudgets = sorted.map(Math.log);
  const members: number[][] = sorted.map(() => []);
  const leftOut: { index: number; reason: Message; nearest: number }[] = [];
  logFlops.forEach((u, index) => {
    let best = 0;
    for (let k = 1; k < logBudgets.length; k++) {
      if (Math.abs(u - (logBudgets[k] as number)) < Math.abs(u - (logBudgets[best] as number))) best = k;
    }
    const signed = u - (logBudgets[best] as number);
    if (Math.abs(signed) <= limit) (members[best] as number[]).push(index);
    else {
      leftOut.push({
        index,
        nearest: sorted[best] as number,
        reason: message('fit.left-out.off-budget', { flops: Math.exp(u), nearest: sorted[best] as number, off: Math.expm1(signed), tolerance }),
      });
    }
  });
  return { groups: sorted.map((flops, k) => ({ flops, members: members[k] as number[] })), leftOut };
}

/**
 * Find the budgets from the runs themselves: the modes of a Gaussian kernel density of
 * ln C with bandwidth σ = ln(1 + t)/2, found on a grid of step σ/20; each run then joins
 * the nearest mode within ln(1 + t), and a group's budget is the geometric mean of its
 * runs' compute. Runs near no mode are left out with the reason.
 *
 * Decided here: a density mode rather than fixed bins, because bins split a cluster that
 * straddles a bin edge; a bandwidth of half the tolerance, so that two clusters further
 * apart than the tolerance stay apart.
 *
 * @example
 * groupAutomatically([1e19, 1.1e19, 0.95e19, 1e20, 1.05e20].map(Math.log), 0.25).groups.length // 2
 */
export function groupAutomatically(logFlops: readonly number[], tolerance: number): Grouping {
  if (logFlops.length === 0) return { groups: [], leftOut: [] };
  const limit = Math.log1p(tolerance);
  const sigma = limit / 2;
  const sorted = [...logFlops].sort((x, y) => x - y);
  const low = (sorted[0] as number) - limit;
  const high = (sorted[sorted.length - 1] as number) + limit;
  // At most ~200k grid points however wide the range: the step grows if it must.
  const step = Math.max(sigma / 20, (high - low) / 200000);
  const points = Math.floor((high - low) / step) + 1;
  const reach = 4 * sigma;
  const density = new Float64Array(points);
  let from = 0;
  for (let g = 0; g < points; g++) {
    const x = low + g * step;
    while (from < sorted.length && (sorted[from] as number) < x - reach) from++;
    let sum = 0;
    for (let i = from; i < sorted.length && (sorted[i] as number) <= x + reach; i++) {
      const z = ((sorted[i] as number) - x) / sigma;
      sum += Math.exp(-0.5 * z * z);
    }
    density[g] = sum;
  }
  const modes: number[] = [];
  for (let g = 0; g < points; g++) {
    const here = density[g] as number;
    if (here <= 0) continue;
    const left = g > 0 ? (density[g - 1] as number) : 0;
    const right = g < points - 1 ? (density[g + 1] as number) : 0;
    // Strictly above the left neighbour and at least the right one: a plateau counts once.
    if (here > left && here >= right) modes.push(low + g * step);
  }
  const members: number[][] = modes.map(() => []);
  const leftOut: { index: number; reason: Message; nearest?: number }[] = [];
  logFlops.forEach((u, index) => {
    let best = -1;
    for (let k = 0; k < modes.length; k++) {
      if (best === -1 || Math.abs(u - (modes[k] as number)) < Math.abs(u - (modes[best] as number))) best = k;
    }
    const distance = best === -1 ? Number.POSITIVE_INFINITY : Math.abs(u - (modes[best] as number));
    if (distance <= limit) (members[best] as number[]).push(index);
    else leftOut.push({ index, reason: message('fit.left-out.no-cluster', { flops: Math.exp(u), tolerance }) });
  });
  const groups = members
    .filter((m) => m.length > 0)
    .map((m) => ({ flops: Math.exp(m.reduce((s, i) => s + (logFlops[i] as number), 0) / m.length), members: m }));
  return { groups, leftOut };
}
