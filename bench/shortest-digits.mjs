// writeShortest (src/io/shortest-digits.ts), the batch lanes' number printer, against V8's
// own shortest digits (`toExponential()`): the same text for every value it prints, how
// many it declines (printed by toExponential instead), and the time per number of each.
//
//   node bench/shortest-digits.mjs [--values 1000000]
//
// Values: random bit patterns (every magnitude), magnitudes spread over 10^±32, products
// and ratios of 4-digit numbers like a batch row's, short decimals and whole numbers, and
// the neighbours of every power of ten.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// The module as the bundle has it, on its own.
const outfile = join(mkdtempSync(join(tmpdir(), 'moeplan-bench-')), 'shortest-digits.mjs');
await build({ entryPoints: [new URL('../src/io/shortest-digits.ts', import.meta.url).pathname], bundle: true, format: 'esm', outfile, logLevel: 'warning' });
const { writeShortest } = await import(pathToFileURL(outfile).href);

const arg = process.argv.indexOf('--values');
const N = arg === -1 ? 1_000_000 : Number(process.argv[arg + 1]);
const bytes = new Uint8Array(64);
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
let seed = 12345;
const next = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed;
};

const values = [];
for (let i = 0; i < N; i++) {
  u32[0] = next();
  u32[1] = next() & 0x7fffffff;
  values.push(f64[0]);
  values.push(Math.exp((next() / 4294967296 - 0.5) * 150));
  const a = Number(((next() / 4294967296) * 1e4).toPrecision(4));
  const b = Number(((next() / 4294967296) * 1e3).toPrecision(4));
  values.push((9.59 * a * 1e8 + 2.3e8) * b * 1e10, a / b, Math.sqrt(a / b) * 3e-4);
  values.push(Number(`${next() % 100000}e${(next() % 500) - 250}`), next(), next() * 2 ** 21 + next());
}
for (let e = -279; e <= 279; e++) {
  for (const step of [1, -1]) {
    f64[0] = Number(`1e${e}`);
    for (let k = 0; k < 50; k++) {
      values.push(f64[0]);
      u32[0] += step;
    }
  }
}
const positive = values.filter((v) => v > 0 && Number.isFinite(v));

let declined = 0;
let wrong = 0;
for (const value of positive) {
  const end = writeShortest(value, bytes, 0);
  if (end === -1) {
    declined++;
    continue;
  }
  const text = Buffer.from(bytes.subarray(0, end)).toString('latin1');
  if (text !== value.toExponential().replace('e+', 'e')) {
    if (wrong++ < 10) console.log(`differs: ${value}: ${text} against ${value.toExponential()}`);
  }
}

// Time: the batch-row values only (budget-like products), each printer over all of them, interleaved rounds.
const rows = new Float64Array(2_000_000);
for (let i = 0; i < rows.length; i++) rows[i] = (9.59 * (1e8 + (next() % 1e12)) + 2.3e8) * (1e10 + (next() % 1e13));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fast = [];
const v8 = [];
let sink = 0;
for (let round = 0; round < 7; round++) {
  let t = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i++) {
    const end = writeShortest(rows[i], bytes, 0);
    sink += end === -1 ? rows[i].toExponential().length : end;
  }
  fast.push(Number(process.hrtime.bigint() - t) / rows.length);
  t = process.hrtime.bigint();
  for (let i = 0; i < rows.length; i++) sink += rows[i].toExponential().length;
  v8.push(Number(process.hrtime.bigint() - t) / rows.length);
}
console.log(
  `${positive.length} values: ${wrong} printed differently from toExponential, ${declined} declined (${((100 * declined) / positive.length).toFixed(2)}%)`,
);
console.log(
  `time per number (median of 7 rounds over 2,000,000 budget-like values): writeShortest ${median(fast).toFixed(0)} ns, toExponential ${median(v8).toFixed(0)} ns (${(median(fast) / median(v8)).toFixed(2)}x)${sink < 0 ? '' : ''}`,
);
process.exitCode = wrong === 0 ? 0 : 1;
