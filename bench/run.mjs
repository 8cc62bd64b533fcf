// moeplan benchmarks: `npm run bench`. Generates its inputs under bench/out/, runs each
// comparison with a warm-up and repeated, interleaved runs, prints median/min/max and the
// ratio, and writes bench/RESULTS.md. Not part of `npm test`.
//
//   node bench/run.mjs [--quick] [--only startup,fit,memory,parametric,commands,printer] [--rows N] [--runs N]
//
// Batch throughput is section 6 (commands): every evaluation command beside awk printing the
// same rows; section 2 (budget alone beside awk) is folded into it.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', 'out');
mkdirSync(out, { recursive: true });
const bin = join(root, 'bin', 'moeplan.js');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1].split(',')) : undefined;
const want = (name) => !only || only.has(name);
const option = (name) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);

/** Wall time of one run in ms (stdout to a file or /dev/null). */
function time(command, commandArgs, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, { stdio: ['ignore', options.stdout ?? 'ignore', 'pipe'], cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && !options.allowFail) throw new Error(`${command} ${commandArgs.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stderr: String(result.stderr) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length });
const fmt = (s) => `${s.median.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)}, n=${s.runs})`;

/** Run several commands interleaved (A B C A B C …) after one warm-up each. */
function compare(entries, runs) {
  const times = entries.map(() => []);
  for (const e of entries) time(e.command, e.args, e.options);
  for (let i = 0; i < runs; i++) {
    entries.forEach((e, j) => {
      times[j].push(time(e.command, e.args, e.options).ms);
    });
  }
  return times.map(stats);
}

const sections = [];
const verdicts = [];

// 1. Start-up -----------------------------------------------------------------
if (want('startup')) {
  const runs = quick ? 10 : 40;
  const [node0, budget, help] = compare(
    [
      { command: process.execPath, args: ['-e', '0'] },
      { command: process.execPath, args: [bin, 'budget', '--params', '52B', '--tokens', '7T', '--json'] },
      { command: process.execPath, args: [bin, '--help'] },
    ],
    runs,
  );
  const r1 = budget.median / node0.median;
  const r2 = help.median / node0.median;
  const ok = r1 <= 1.3 && r2 <= 1.3;
  verdicts.push(`Start-up: budget ${r1.toFixed(2)}x, --help ${r2.toFixed(2)}x node -e 0 (target ≤ 1.3x): ${ok ? 'met' : 'NOT met'}`);
  sections.push(`## 1. Start-up (target: at most 1.3x \`node -e 0\`)

| command | median | min | max | ratio to node -e 0 |
|---|---|---|---|---|
| \`node -e 0\` | ${node0.median.toFixed(1)} ms | ${node0.min.toFixed(1)} | ${node0.max.toFixed(1)} | 1.00 |
| \`moeplan budget --params 52B --tokens 7T --json\` | ${budget.median.toFixed(1)} ms | ${budget.min.toFixed(1)} | ${budget.max.toFixed(1)} | **${r1.toFixed(2)}** |
| \`moeplan --help\` | ${help.median.toFixed(1)} ms | ${help.min.toFixed(1)} | ${help.max.toFixed(1)} | **${r2.toFixed(2)}** |

${runs} interleaved runs each after a warm-up. ${ok ? 'Target met.' : 'Target not met.'}`);
  console.log(`startup: node -e 0 ${fmt(node0)}; budget ${fmt(budget)} = ${r1.toFixed(2)}x; --help ${fmt(help)} = ${r2.toFixed(2)}x`);
}

// 4. Memory (batch throughput: section 6) ----------------------------------------
function writeGrid(path, rows) {
  if (existsSync(path) && statSync(path).size > 0) return;
  let seed = 12345;
  const random = () => {
    // mulberry32: a small seeded PRNG, so the grid is the same on every machine.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const stream = createWriteStream(path);
  let chunk = 'params,tokens\n';
  for (let i = 0; i < rows; i++) {
    chunk += `${(1e8 * 10 ** (4 * random())).toPrecision(6)},${(1e10 * 10 ** (3 * random())).toPrecision(6)}\n`;
    if (chunk.length > 1 << 20) {
      stream.write(chunk);
      chunk = '';
    }
  }
  stream.end(chunk);
  return new Promise((resolve) => stream.on('finish', resolve));
}

if (want('memory')) {
  {
    const sizes = quick ? [100_000, 300_000, 1_000_000] : [100_000, 1_000_000, 3_000_000, 10_000_000];
    const rss = [];
    for (const size of sizes) {
      const file = join(out, `grid-${size}.csv`);
      await writeGrid(file, size);
      const samples = [];
      for (let i = 0; i < 3; i++) {
        const { stderr } = time(process.execPath, [join(root, 'bench', 'with-rss.mjs'), 'budget', '--input', file]);
        samples.push(Number(/maxrss (\d+)/.exec(stderr)?.[1]) / 1024);
      }
      rss.push({ size, mb: median(samples), fileMb: statSync(file).size / 1e6 });
    }
    // Flat: from the second size on (by then the heap has grown to its working size), the
    // peak of the largest input within 10% of that of the second, for 10x the rows.
    const base = rss[1];
    const growth = rss[rss.length - 1].mb / base.mb;
    const ok = growth < 1.1;
    verdicts.push(
      `Memory: peak RSS ${rss.map((r) => `${r.mb.toFixed(0)} MB`).join(' → ')} for ${rss.map((r) => r.size.toLocaleString('en-US')).join(' → ')} rows (${growth.toFixed(2)}x from ${base.size.toLocaleString('en-US')} rows on; target flat): ${ok ? 'met' : 'NOT met'}`,
    );
    sections.push(`## 4. Memory (target: batch peak memory flat as the input grows)

| rows | input size | peak RSS (median of 3) |
|---|---|---|
${rss.map((r) => `| ${r.size.toLocaleString('en-US')} | ${r.fileMb.toFixed(1)} MB | ${r.mb.toFixed(1)} MB |`).join('\n')}

From ${base.size.toLocaleString('en-US')} rows on, peak RSS grows ${growth.toFixed(2)}x while the input grows ${(rss[rss.length - 1].size / base.size).toFixed(0)}x
(${base.fileMb.toFixed(0)} MB to ${rss[rss.length - 1].fileMb.toFixed(0)} MB): the input is read in 16 KiB chunks, never loaded, and the fast lanes'
output goes to the stream as bytes, so that a row leaves no garbage on the JavaScript heap but its
share of one chunk's text. What growth remains is V8's young generation growing to its working
size (the more collections a run has, the larger it makes it; at most its maximum semi-space,
16 MiB on 64-bit builds), so peak memory is bounded whatever the input; the smallest input peaks
lower because the heap has not grown yet.
Measured in-process with \`process.resourceUsage().maxRSS\` (bench/with-rss.mjs).`);
    console.log(`memory: ${rss.map((r) => `${r.size} rows ${r.mb.toFixed(1)} MB`).join('; ')}`);
  }
}

// 3. Fitting ------------------------------------------------------------------------
if (want('fit')) {
  const fit = await import('./fit-compare.mjs').then((m) => m.runFitComparison({ root, out, quick, compare, stats }));
  verdicts.push(fit.verdict);
  sections.push(fit.section);
  console.log(fit.summary);
}

// 5. Approach 3 (parametric fit) beside numpy/scipy ---------------------------------------
if (want('parametric')) {
  const parametric = await import('./parametric-compare.mjs').then((m) => m.runParametricComparison({ root, quick }));
  verdicts.push(parametric.verdict);
  sections.push(parametric.section);
  console.log(parametric.summary);
}

// 6. Every evaluation command's batch mode beside awk ------------------------------------
if (want('commands')) {
  const commands = await import('./batch-commands.mjs').then((m) =>
    m.runCommandsComparison({ root, out, rows: option('--rows') ?? (quick ? 200_000 : 1_000_000), runs: option('--runs') ?? (quick ? 3 : 5) }),
  );
  verdicts.push(...commands.verdicts);
  sections.push(commands.section);
  console.log(commands.summary);
}

// 7. The batch lanes' number printer beside V8's own ---------------------------------------
if (want('printer')) {
  const values = quick ? 100_000 : 1_000_000;
  const run = spawnSync(process.execPath, [join(root, 'bench', 'shortest-digits.mjs'), '--values', String(values)], { encoding: 'utf8', cwd: root });
  const [checked = '', timed = ''] = run.stdout.trim().split('\n').slice(-2);
  const same = run.status === 0;
  verdicts.push(
    `Number printer (writeShortest): ${checked}; ${timed} (target: the same text as toExponential for every value printed): ${same ? 'met' : 'NOT met'}`,
  );
  sections.push(`## 7. The batch lanes' number printer (target: exactly V8's shortest digits)

\`writeShortest\` (src/io/shortest-digits.ts) prints each computed cell of the fast lanes straight into bytes; a
value it cannot decide with certainty (a decimal exactly half-way between two doubles, a power of two, a magnitude
beyond 1e±280) it declines, and \`toExponential\` prints it. Checked against \`toExponential\` over random bit
patterns, magnitudes over 10^±32, batch-like products and ratios, short decimals, whole numbers and the neighbours
of every power of ten (\`node bench/shortest-digits.mjs --values ${values}\`):

- ${checked}
- ${timed}
`);
  console.log(`printer: ${checked}; ${timed}`);
}

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.availableParallelism()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
const report = `# moeplan benchmark results

Machine: ${machine}.
Date: ${new Date().toISOString().slice(0, 10)}. Command: \`npm run bench\`${quick ? ' (quick mode)' : ''}.

${verdicts.map((v) => `- ${v}`).join('\n')}

${[...sections].sort((x, y) => Number(/^## (\d+)/.exec(x)?.[1]) - Number(/^## (\d+)/.exec(y)?.[1])).join('\n\n')}
`;
const resultsFile = join(root, 'bench', 'RESULTS.md');
if (!quick && !only) writeFileSync(resultsFile, report);
else if (only && !quick && existsSync(resultsFile)) {
  // --only: the sections run replace theirs in RESULTS.md (the others stay as measured),
  // and so do their verdict lines (matched by the text before the first colon).
  const old = readFileSync(resultsFile, 'utf8');
  const [head, ...rest] = old.split(/\n(?=## \d+\. )/);
  const kept = rest.filter((section) => !sections.some((n) => /^## (\d+)/.exec(n)?.[1] === /^## (\d+)/.exec(section)?.[1]));
  const all = [...kept.map((x) => x.trimEnd()), ...sections].sort((x, y) => Number(/^## (\d+)/.exec(x)?.[1]) - Number(/^## (\d+)/.exec(y)?.[1]));
  const label = (line) => line.slice(2, line.indexOf(':'));
  const headLines = head
    .trimEnd()
    .split('\n')
    .filter((line) => !(line.startsWith('- ') && verdicts.some((v) => v.slice(0, v.indexOf(':')) === label(line))));
  const lastVerdict = headLines.findLastIndex((line) => line.startsWith('- '));
  headLines.splice(lastVerdict + 1, 0, ...verdicts.map((v) => `- ${v}`));
  writeFileSync(resultsFile, `${headLines.join('\n')}\n\n${all.join('\n\n')}\n`);
}
console.log(`\n${verdicts.join('\n')}`);
