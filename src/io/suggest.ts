/**
 * "Did you mean …?" for names people type: the known name nearest by edit distance.
 * Used for plan keys, law presets and accelerator names (commands and flags get
 * commander's own suggestions).
 */

/**
 * The known name nearest to `name` by edit distance (case-insensitive), if close enough:
 * at most 2 edits, or a third of the name's length for longer names.
 *
 * @example closest('chinchila', ['hunyuan', 'chinchilla', 'kaplan']) // 'chinchilla'
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** Levenshtein distance; names over 64 characters are never close to anything. */
export function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
