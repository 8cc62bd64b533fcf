/**
 * A small seeded pseudo-random generator for resampling: xoshiro128** (Blackman and Vigna
 * 2018) seeded through splitmix32, so that every seed (0, 1, 2, …) gives a well-mixed
 * state. The same seed always gives the same stream, on every platform, which is what
 * makes `moeplan fit --seed 1` reproducible.
 */
export interface Random {
  /** A uniform number in [0, 1) with 32 random bits. */
  next(): number;
  /** A uniform integer in [0, n), for n ≥ 1 (bias below 2^-32·n, negligible for resampling). */
  int(n: number): number;
}

/**
 * Create a seeded generator.
 *
 * @example const random = seededRandom(1); random.int(10) // an integer in 0…9, the same every time
 */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0 || 0;
  // Fold in the high bits of seeds above 2^32 so they do not collide with small ones.
  s = (s ^ Math.floor(seed / 4294967296)) >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  if ((a | b | c | d) === 0) a = 1;
  const nextUint = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    next: () => nextUint() / 4294967296,
    int: (n) => Math.floor((nextUint() / 4294967296) * n),
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
