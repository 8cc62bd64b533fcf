// Timing of `moeplan fit` on the Chinchilla runs (234 runs, nine planned budgets, 1000
// bootstrap resamples), beside the numpy reference of the same algorithm
// (bench/fit_reference.py, vectorised over resamples).
//
// Standalone: `npm run build && node bench/fit-compare.mjs [--quick]` prints the results and
// writes bench/fit-results.md. `node bench/run.mjs --only fit` runs it as part of the suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BUDGETS = '6e18,1e19,3e19,6e19,1e20,3e20,6e20,1e21,3e21';
const TOLERANCE = 0.25;
const RESAMPLES = 1000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const defaultStats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length });

function dataFile(root) {
  const file = join(root, 'examples', 'data', 'chinchilla-runs.csv');
  if (!existsSync(file)) throw new Error(`the Chinchilla runs are not at ${file}`);
  return file;
}

function readRuns(file) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [C, N, D, L] = line.split(',').map(Number);
      return { flops: C, params: N, tokens: D, loss: L, cmin: C };
    });
}

/** In-process timings of fitIsoflop from the built library (dist/index.js). */
async function timeLibrary(root, repeats, stats) {
  const { fitIsoflop } = await import(pathToFileURL(join(root, 'dist', 'index.js')).href);
  const runs = readRuns(dataFile(root));
  const budgets = BUDGETS.split(',').map(Number);
  const options = (resamples) => ({ budgets, tolerance: TOLERANCE, resamples, seed: 1, confidence: 0.9 });
  for (let i = 0; i < 3; i++) fitIsoflop(runs, options(RESAMPLES)); // warm-up (JIT)
  const whole = [];
  const point = [];
  let result;
  for (let i = 0; i < repeats; i++) {
    let t = performance.now();
    result = fitIsoflop(runs, options(RESAMPLES));
    whole.push(performance.now() - t);
    t = performance.now();
    fitIsoflop(runs, options(0));
    point.push(performance.now() - t);
  }
  // a cold run in a fresh process: what one `moeplan fit` call pays, without start-up and I/O
  const cold = [];
  for (let i = 0; i < Math.min(repeats, 7); i++) {
    const script = `const { fitIsoflop } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)});
const runs = ${JSON.stringify(runs)};
const t = performance.now();
fitIsoflop(runs, ${JSON.stringify(options(RESAMPLES))});
process.stdout.write(String(performance.now() - t));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    cold.push(Number(r.stdout));
  }
  return { whole: stats(whole), point: stats(point), cold: stats(cold), result };
}

function runNumpy(root, repeats) {
  const r = spawnSync(
    'python3',
    [
      join(root, 'bench', 'fit_reference.py'),
      dataFile(root),
      '--budgets',
      BUDGETS,
      '--tolerance',
      String(TOLERANCE),
      '--bootstrap',
      String(RESAMPLES),
      '--seed',
      '1',
      '--repeat',
      String(repeats),
      '--json',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || 'python3 failed').trim().split('\n').pop() };
  return JSON.parse(r.stdout);
}

export async function runFitComparison({ root, quick = false, compare, stats = defaultStats }) {
  const repeats = quick ? 7 : 21;
  const lib = await timeLibrary(root, repeats, stats);
  const numpy = runNumpy(root, repeats);
  const file = dataFile(root);
  const cliArgs = [join(root, 'bin', 'moeplan.js'), 'fit', file, '--columns', 'flops=C,params=N,tokens=D', '--budgets', BUDGETS, '--json'];
  let cli;
  if (compare) [cli] = compare([{ command: process.execPath, args: cliArgs }], quick ? 5 : 15);
  else {
    const times = [];
    for (let i = 0; i < (quick ? 5 : 15) + 1; i++) {
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, cliArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw new Error(String(r.stderr));
      if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    cli = stats(times);
  }
  const bootstrapMs = lib.whole.median - lib.point.median;
  // Targets: faster than the same algorithm in numpy (both warm: numpy's figure is the
  // median of repeated fits in one Python process), and well under a second.
  const ok = lib.whole.median < 250 && lib.cold.median < 500 && !numpy.error && lib.whole.median < numpy.fitSecondsMedian * 1000;
  const f = lib.result;
  const ms = (x) => `${x.toFixed(1)} ms`;
  const ci = (x) => `${x[0].toFixed(4)}–${x[1].toFixed(4)}`;
  const numpyRows = numpy.error
    ? `| numpy reference | not run: ${numpy.error} | | |`
    : `| numpy ${numpy.numpy}: bootstrap only (vectorised over resamples) | ${ms(numpy.bootstrapSecondsMedian * 1000)} | | median of ${numpy.repeats} |
| numpy ${numpy.numpy}: whole fit | ${ms(numpy.fitSecondsMedian * 1000)} | | median of ${numpy.repeats} |`;
  const agreement = numpy.error
    ? ''
    : `
Same algorithm, same data (explicit budgets, tolerance ${TOLERANCE * 100}%), seed 1 (the random streams differ: xoshiro128** in moeplan, PCG64 in numpy):

| | moeplan | numpy reference |
|---|---|---|
| α (params exponent) | ${f.params.exponent.toFixed(6)} | ${numpy.point.alpha.toFixed(6)} |
| α 90% interval | ${ci(f.params.exponentCi)} | ${ci(numpy.alphaCi)} |
| β (tokens exponent) | ${f.tokens.exponent.toFixed(6)} | ${numpy.point.beta.toFixed(6)} |
| β 90% interval | ${ci(f.tokens.exponentCi)} | ${ci(numpy.betaCi)} |
| Nc | ${f.params.coefficient.toPrecision(6)} | ${numpy.point.Nc.toPrecision(6)} |
| Dc | ${f.tokens.coefficient.toPrecision(6)} | ${numpy.point.Dc.toPrecision(6)} |
`;
  const section = `## 3. Fitting (target: 1000 bootstrap resamples on the Chinchilla runs faster than the same algorithm in numpy, and well under a second)

| what | median | min / max | runs |
|---|---|---|---|
| fitIsoflop, 1000 resamples, warm (grouping, 2×9 parabolas, power laws, bootstrap) | **${ms(lib.whole.median)}** | ${lib.whole.min.toFixed(1)} / ${lib.whole.max.toFixed(1)} | ${lib.whole.runs} |
| fitIsoflop, no resamples (point fit only), warm | ${ms(lib.point.median)} | ${lib.point.min.toFixed(1)} / ${lib.point.max.toFixed(1)} | ${lib.point.runs} |
| → the 1000 resamples alone | ${ms(bootstrapMs)} | | |
| fitIsoflop, 1000 resamples, cold (fresh process, first call) | ${ms(lib.cold.median)} | ${lib.cold.min.toFixed(1)} / ${lib.cold.max.toFixed(1)} | ${lib.cold.runs} |
| \`moeplan fit … --json\` end to end (Node start-up, read, fit, output) | ${ms(cli.median)} | ${cli.min.toFixed(1)} / ${cli.max.toFixed(1)} | ${cli.runs} |
${numpyRows}
${agreement}
Warm against warm: numpy's figure is the median of repeated fits in one Python process, so
neither includes start-up; the cold figure is moeplan's first fit in a fresh process (it
includes compiling the code), and the end-to-end figure everything a user waits for.

Command: \`npm run build && node bench/fit-compare.mjs\` (or \`node bench/run.mjs --only fit\`). ${ok ? 'Target met.' : 'Target NOT met.'}`;
  const verdict = `Fit: 1000 bootstrap resamples on the Chinchilla runs, whole fit ${ms(lib.whole.median)} warm / ${ms(lib.cold.median)} cold vs numpy ${numpy.error ? 'not run' : `${ms(numpy.fitSecondsMedian * 1000)} warm = ${(lib.whole.median / (numpy.fitSecondsMedian * 1000)).toFixed(2)}x`} (target: faster than numpy, well under 1 s): ${ok ? 'met' : 'NOT met'}`;
  const summary = `fit: whole fit ${ms(lib.whole.median)} warm, ${ms(lib.cold.median)} cold, resamples alone ${ms(bootstrapMs)}; CLI ${ms(cli.median)}; numpy ${numpy.error ? numpy.error : `${ms(numpy.bootstrapSecondsMedian * 1000)} bootstrap, ${ms(numpy.fitSecondsMedian * 1000)} whole`}`;
  return { verdict, section, summary };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const quick = process.argv.includes('--quick');
  const { verdict, section, summary } = await runFitComparison({ root, quick });
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.availableParallelism()}, Node ${process.version}`;
  if (!quick)
    writeFileSync(
      join(root, 'bench', 'fit-results.md'),
      `# moeplan fit: timing\n\nMachine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.\n\n- ${verdict}\n\n${section}\n`,
    );
  console.log(`${summary}\n${verdict}`);
}
