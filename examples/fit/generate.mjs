#!/usr/bin/env node
// Synthetic isoFLOP runs from a known law, for `moeplan fit` to recover.
//
// The law: the Epoch replication of Chinchilla (Besiroglu et al. 2024),
//   L(N, D) = E + A/N^alpha + B/D^beta,  E 1.8172, A 482.01, B 2085.43, alpha 0.3478, beta 0.3658,
// with C = 6·N·D. Its compute-optimal allocation is exactly a power law (Hoffmann 2022, eq. 4):
//   Nopt = G·(C/6)^a, Dopt = (C/6)^b / G, a = beta/(alpha+beta) = 0.5126, b = alpha/(alpha+beta) = 0.4874,
//   G = (alpha·A/(beta·B))^(1/(alpha+beta)).
//
// Per budget, nine model sizes from Nopt/4 to 4·Nopt (log-spaced, rounded to two significant
// digits as real model sizes are); each run lands off its budget by up to ±spread, and its
// loss carries Gaussian noise of standard deviation `noise` (seeded, reproducible).
//
// Usage: node examples/fit/generate.mjs [--seed 1] [--noise 0.01] [--spread 0.08] [--out runs.csv]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LAW = { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };
export const BUDGETS = [1e18, 3e18, 1e19, 3e19, 1e20, 3e20, 1e21];

/** The law's analytic optimum: exponents and coefficients of Nopt = Nc·C^a, Dopt = Dc·C^b. */
export function analyticOptimum(law = LAW) {
  const a = law.beta / (law.alpha + law.beta);
  const b = law.alpha / (law.alpha + law.beta);
  const G = ((law.alpha * law.A) / (law.beta * law.B)) ** (1 / (law.alpha + law.beta));
  return { paramsExponent: a, tokensExponent: b, paramsCoefficient: G * 6 ** -a, tokensCoefficient: 6 ** -b / G };
}

/** mulberry32: a tiny seeded generator, enough for synthetic noise. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The runs: { flops, params, tokens, loss } for every budget and size. */
export function generateRuns({ seed = 1, noise = 0.01, spread = 0.08, sizes = 9, budgets = BUDGETS, law = LAW, round = true } = {}) {
  const next = random(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const opt = analyticOptimum(law);
  const runs = [];
  for (const budget of budgets) {
    const nopt = opt.paramsCoefficient * budget ** opt.paramsExponent;
    for (let i = 0; i < sizes; i++) {
      const planned = nopt * 4 ** (-1 + (2 * i) / (sizes - 1));
      const params = round ? Number(planned.toPrecision(2)) : planned;
      const flops = budget * Math.exp(Math.log1p(spread) * (2 * next() - 1));
      const tokens = flops / (6 * params);
      const loss = law.E + law.A / params ** law.alpha + law.B / tokens ** law.beta + noise * gaussian();
      runs.push({ flops, params, tokens, loss });
    }
  }
  return runs;
}

function main(argv) {
  const arg = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? fallback : argv[i + 1];
  };
  const seed = Number(arg('seed', '1'));
  const noise = Number(arg('noise', '0.01'));
  const spread = Number(arg('spread', '0.08'));
  const out = arg('out', fileURLToPath(new URL('./runs.csv', import.meta.url)));
  const runs = generateRuns({ seed, noise, spread });
  const sig = (x) => Number(x.toPrecision(6));
  const text = `flops,params,tokens,loss\n${runs.map((r) => [sig(r.flops), r.params, sig(r.tokens), r.loss.toFixed(5)].join(',')).join('\n')}\n`;
  writeFileSync(out, text);
  const opt = analyticOptimum();
  process.stdout.write(
    `wrote ${runs.length} runs to ${out}\n` +
      `known law: Nopt = ${opt.paramsCoefficient.toPrecision(4)}·C^${opt.paramsExponent.toFixed(4)}, ` +
      `Dopt = ${opt.tokensCoefficient.toPrecision(4)}·C^${opt.tokensExponent.toFixed(4)} (seed ${seed}, loss noise ${noise}, compute spread ±${spread * 100}%)\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
