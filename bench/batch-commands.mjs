// Batch mode of every evaluation command beside awk computing the same formula and
// printing every number at 17 significant digits (`%.17g`): budget, cmin, optimal, lr and loss,
// each over a file of plain decimals and over the same numbers written with suffixes (52.3B,
// 7.1T, 16M), plus the JSON Lines form beside the CSV form. awk cannot read suffixes, so it
// always reads the plain file: the same numbers, the same formula.
//
// The awk program of each command prints the row moeplan prints: the line number, the
// input fields as written, every result column moeplan computes (each at %.17g) and the
// empty error column. The table also shows awk printing the headline formula alone, for
// reference. Every awk value is checked against moeplan's value of the same cell.
//
//   node bench/run.mjs --only commands [--rows 1000000] [--runs 5]
//
// Runs are interleaved (awk, awk formula only, plain, suffixed, awk, …) so that a change of
// load on a shared machine falls on all of them alike; each ratio is the median of the
// per-round ratios (paired runs), and the load average is recorded beside the figures.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/** mulberry32: a small seeded PRNG, so the inputs are the same on every machine. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A count written with a suffix and three or four significant digits: 52.3B, 7.1T, 16M. */
function suffixed(value, suffixes) {
  for (const [scale, suffix] of suffixes) {
    if (value >= scale) return `${Number((value / scale).toPrecision(4))}${suffix}`;
  }
  return String(Number(value.toPrecision(4)));
}
const COUNTS = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

// One input per command: its header and a function of the PRNG giving one row's cells, each
// [suffixed text, the double it reads as]. The plain file writes each double in the
// shortest form that reads back as it, so both files hold the same numbers.
export const CASES = [
  {
    command: 'budget',
    header: 'params,tokens',
    row: (r) => [suffixed(1e8 * 10 ** (4 * r()), COUNTS), suffixed(1e10 * 10 ** (3 * r()), COUNTS)],
    awk: '(9.59*$1+2.3e8)*$2',
    // flops
    awkRow: 'printf "%d,%s,%.17g,\\n", NR, $0, (9.59*$1+2.3e8)*$2',
    formula: 'C = (9.59·N + 2.3e8)·D (eq. 2)',
  },
  {
    command: 'cmin',
    header: 'flops,batch,bcrit',
    row: (r) => [(1e20 * 10 ** (5 * r())).toPrecision(4), suffixed(1e6 * 10 ** (2 * r()), COUNTS), suffixed(1e6 * 10 ** (2 * r()), COUNTS)],
    awk: '$1/(1+$2/$3)',
    // cmin, batch_over_critical, compute_over_min
    awkRow: 'r = $2/$3; c = $1/(1+r); printf "%d,%s,%.17g,%.17g,%.17g,\\n", NR, $0, c, r, $1/c',
    formula: 'Cmin = C / (1 + B/Bcrit) (eq. 3)',
  },
  {
    command: 'optimal',
    header: 'cmin',
    row: (r) => [suffixed(1e18 * 10 ** (6 * r()), [[1e15, 'P']])],
    awk: '0.0059*$1^0.5305',
    // params, tokens, flops_of_allocation, closure, extrapolation (outside Cmin 1e18–1e21)
    awkRow:
      'n = 0.0059*$1^0.5305; d = 3.2*$1^0.5; f = (9.59*n+2.3e8)*d; printf "%d,%s,%.17g,%.17g,%.17g,%.17g,%s,\\n", NR, $0, n, d, f, f/$1, ($1 < 1e18 || $1 > 1e21) ? "true" : "false"',
    formula: 'Nopt = 5.9e-3·Cmin^0.5305, Dopt = 3.2·Cmin^0.5 (§2.3.1)',
  },
  {
    command: 'lr',
    header: 'batch,noise,lr-max',
    row: (r) => [suffixed(1e5 * 10 ** (3 * r()), COUNTS), suffixed(1e5 * 10 ** (3 * r()), COUNTS), (1e-4 * (1 + 9 * r())).toPrecision(3)],
    awk: '2*$3/(sqrt($2/$1)+sqrt($1/$2))',
    // batch_over_noise, shared_lr, specialized_lr (no experts given: the shared rate), specialized_over_shared
    awkRow: 'r = $1/$2; e = $3*(2*sqrt(r)/(1+r)); printf "%d,%s,%.17g,%.17g,%.17g,%.17g,\\n", NR, $0, r, e, e, e/e',
    formula: 'ε = εmax·2√(B/Bnoise) / (1 + B/Bnoise) (eq. 1)',
  },
  {
    command: 'loss',
    header: 'params,tokens',
    row: (r) => [suffixed(1e8 * 10 ** (4 * r()), COUNTS), suffixed(1e10 * 10 ** (3 * r()), COUNTS)],
    awk: '1.69+406.4/$1^0.34+410.7/$2^0.28',
    // loss, irreducible, model_limited, data_limited, flops, extrapolation (outside N 7e7–1.6e10, D 5e9–5e11)
    awkRow:
      'a = 406.4/$1^0.34; b = 410.7/$2^0.28; printf "%d,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%s,\\n", NR, $0, 1.69+a+b, 1.69, a, b, 6*$1*$2, ($1 < 7e7 || $1 > 1.6e10 || $2 < 5e9 || $2 > 5e11) ? "true" : "false"',
    formula: 'L = E + A/N^α + B/D^β (Chinchilla, eq. 2; the default law)',
  },
];

/** The double a suffixed cell reads as (the product's own reader is checked against the general parser in its tests). */
function read(text) {
  const m = /^([\d.e+-]+)([KMBTP]?)$/.exec(text);
  const scale = { '': 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12, P: 1e15 }[m[2]];
  return m[2] ? Number(m[1]) * scale : Number(m[1]);
}

export function writeInputs(out, rows, c) {
  const plain = join(out, `${c.command}-plain-${rows}.csv`);
  const suffix = join(out, `${c.command}-suffixed-${rows}.csv`);
  if (!existsSync(plain) || !existsSync(suffix) || statSync(plain).size === 0) {
    const r = random(19);
    const plainRows = [c.header];
    const suffixRows = [c.header];
    for (let i = 0; i < rows; i++) {
      const cells = c.row(r);
      suffixRows.push(cells.join(','));
      plainRows.push(cells.map((cell) => String(read(cell))).join(','));
    }
    writeFileSync(plain, `${plainRows.join('\n')}\n`);
    writeFileSync(suffix, `${suffixRows.join('\n')}\n`);
  }
  return { plain, suffix };
}

function wall(command, args, root) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Interleaved rounds of `entries` after a warm-up: each entry's times, in round order. */
function rounds(entries, runs, root) {
  for (const [command, args] of entries) wall(command, args, root);
  const times = entries.map(() => []);
  for (let i = 0; i < runs; i++)
    entries.forEach(([command, args], j) => {
      times[j].push(wall(command, args, root));
    });
  return times;
}
const pairedRatio = (times, base) => median(times.map((t, i) => t / base[i]));

/** Standard output of a run, as text. */
function stdout(command, args) {
  return String(spawnSync(command, args, { maxBuffer: 1 << 30, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }).stdout);
}

/** The result columns of a batch output, without the line and the echoed inputs. */
function results(text, inputColumns) {
  return text
    .trimEnd()
    .split('\n')
    .map((line) =>
      line
        .split(',')
        .slice(1 + inputColumns)
        .join(','),
    );
}

/**
 * moeplan's rows beside awk's, cell by cell from the result columns on: the rows whose
 * cells differ (numbers compared as numbers), the largest relative difference of a
 * number, and whether every row has as many cells in both.
 */
function compareWithAwk(moeplanText, awkText, inputColumns) {
  const ours = results(moeplanText, inputColumns).slice(1); // the header
  const theirs = results(awkText, inputColumns);
  let differ = Math.abs(ours.length - theirs.length);
  let worst = 0;
  let sameShape = ours.length === theirs.length;
  for (let i = 0; i < Math.min(ours.length, theirs.length); i++) {
    const a = ours[i].split(',');
    const b = theirs[i].split(',');
    if (a.length !== b.length) sameShape = false;
    let rowDiffers = a.length !== b.length;
    for (let k = 0; k < Math.min(a.length, b.length); k++) {
      const x = Number(a[k]);
      const y = Number(b[k]);
      if (a[k] === '' && b[k] === '') continue;
      if (Number.isFinite(x) && Number.isFinite(y) && a[k] !== '' && b[k] !== '') {
        if (x !== y) {
          rowDiffers = true;
          worst = Math.max(worst, Math.abs(x - y) / Math.abs(y));
        }
      } else if (a[k] !== b[k]) rowDiffers = true;
    }
    if (rowDiffers) differ++;
  }
  return { differ, worst, sameShape };
}

/** The plain file of a command as JSON Lines: each row an object keyed by the header, numbers as JSON numbers. */
function jsonLinesOf(csv, jsonl) {
  if (existsSync(jsonl) && statSync(jsonl).size > 0) return;
  const [header, ...lines] = readFileSync(csv, 'utf8').trimEnd().split('\n');
  const keys = header.split(',');
  writeFileSync(
    jsonl,
    `${lines
      .map(
        (l) =>
          `{${l
            .split(',')
            .map((v, i) => `"${keys[i]}":${v.replace(/e\+/, 'e')}`)
            .join(',')}}`,
      )
      .join('\n')}\n`,
  );
}

export async function runCommandsComparison({ root, out, rows, runs }) {
  const bin = join(root, 'bin', 'moeplan.js');
  const load = os.loadavg();
  const table = [];
  let allSame = true;
  let allAwk = true;
  for (const c of CASES) {
    const { plain, suffix } = writeInputs(out, rows, c);
    const awkRow = ['-F,', `NR>1{${c.awkRow}}`, plain];
    const entries = [
      ['awk', awkRow],
      ['awk', ['-F,', `NR>1{printf "%.17g\\n", ${c.awk}}`, plain]],
      [process.execPath, [bin, c.command, '--input', plain]],
      [process.execPath, [bin, c.command, '--input', suffix]],
    ];
    const times = rounds(entries, runs, root);
    const columns = c.header.split(',').length;
    // Both files hold the same numbers: every result column must be the same text; and
    // awk's values must be moeplan's.
    const plainText = stdout(process.execPath, [bin, c.command, '--input', plain]);
    const plainOut = results(plainText, columns);
    const suffixOut = results(stdout(process.execPath, [bin, c.command, '--input', suffix]), columns);
    let differ = plainOut.length === rows + 1 ? 0 : Math.abs(plainOut.length - rows - 1);
    for (let i = 0; i < plainOut.length; i++) if (plainOut[i] !== suffixOut[i]) differ++;
    if (differ > 0) allSame = false;
    const awk = compareWithAwk(plainText, stdout('awk', awkRow), columns);
    if (!awk.sameShape) allAwk = false;
    table.push({
      ...c,
      awkMs: median(times[0]),
      awkFormulaMs: median(times[1]),
      plainMs: median(times[2]),
      suffixMs: median(times[3]),
      plainRatio: pairedRatio(times[2], times[0]),
      suffixRatio: pairedRatio(times[3], times[0]),
      plainFormulaRatio: pairedRatio(times[2], times[1]),
      suffixFormulaRatio: pairedRatio(times[3], times[1]),
      differ,
      awk,
    });
  }

  // JSON Lines beside CSV: budget and cmin, the plain numbers as JSON numbers.
  const json = [];
  for (const command of ['budget', 'cmin']) {
    const csv = join(out, `${command}-plain-${rows}.csv`);
    const jsonl = join(out, `${command}-plain-${rows}.jsonl`);
    jsonLinesOf(csv, jsonl);
    const pairTimes = rounds(
      [
        [process.execPath, [bin, command, '--input', csv]],
        [process.execPath, [bin, command, '--input', jsonl]],
      ],
      runs,
      root,
    );
    json.push({ command, csvMs: median(pairTimes[0]), jsonMs: median(pairTimes[1]), ratio: pairedRatio(pairTimes[1], pairTimes[0]) });
  }
  const jsonRatio = Math.max(...json.map((j) => j.ratio));
  const loadAfter = os.loadavg();

  const worst = Math.max(...table.flatMap((t) => [t.plainRatio, t.suffixRatio]));
  const met = worst <= 1;
  const jsonMet = jsonRatio <= 1.5;
  const loadText = `load average ${load[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after, on ${os.availableParallelism()} cores`;
  const verdicts = [
    `Batch, every command: ${rows} rows, worst ${worst.toFixed(2)}x awk printing the same row with %.17g (target ≤ 1.0x, plain and suffixed alike; ${loadText}), suffixed results identical to plain: ${allSame}, awk's values moeplan's: ${table.map((t) => `${t.command} ${t.awk.differ} rows differ`).join(', ')}: ${met && allSame ? 'met' : 'NOT met'}`,
    `JSON Lines: ${json.map((j) => `${j.command} ${j.ratio.toFixed(2)}x`).join(', ')} the CSV form (target ≤ 1.5x): ${jsonMet ? 'met' : 'NOT met'}`,
  ];
  const cell = (ms, ratio) => `${(ms / 1000).toFixed(2)} s | **${ratio.toFixed(2)}x**`;
  const section = `## 6. Batch mode of every evaluation command (target: at most 1.0x awk computing the same formula with \`%.17g\`, plain and suffixed alike)

${rows.toLocaleString('en-US')} rows per input, seeded (bench/batch-commands.mjs). The suffixed file writes the same numbers as
the plain one with suffixes (\`52.3B\`, \`7.1T\`, \`16M\`, \`3.1e9P\`); awk reads the plain file (it cannot read suffixes).
awk prints the row moeplan prints: the line number, the input fields as written, every result column moeplan computes
for that row at \`%.17g\`, and the empty error column (the programs are in bench/batch-commands.mjs); the ratio is to that
program. \`awk, formula\` prints the headline formula alone (\`printf "%.17g\\n"\`), for reference.
${runs} interleaved rounds (awk, awk formula, plain, suffixed) after a warm-up; each ratio is the median of the
per-round ratios. Measured at ${loadText}: on a loaded machine the ratios are
only indicative; re-run \`node bench/run.mjs --only commands\` on a quiet one.

| command | formula | awk, same row | awk, formula | moeplan, plain | ratio | moeplan, suffixed | ratio | ratio to awk formula (plain / suffixed) | suffixed ≠ plain | rows ≠ awk (largest relative difference) |
|---|---|---|---|---|---|---|---|---|---|---|
${table
  .map(
    (t) =>
      `| \`${t.command} --input\` (${t.header}) | ${t.formula} | ${(t.awkMs / 1000).toFixed(2)} s | ${(t.awkFormulaMs / 1000).toFixed(2)} s | ${cell(t.plainMs, t.plainRatio)} | ${cell(t.suffixMs, t.suffixRatio)} | ${t.plainFormulaRatio.toFixed(2)}x / ${t.suffixFormulaRatio.toFixed(2)}x | ${t.differ} | ${t.awk.differ}${t.awk.sameShape ? '' : ' (columns differ)'} (${t.awk.worst === 0 ? '0' : t.awk.worst.toExponential(1)}) |`,
  )
  .join('\n')}

JSON Lines beside CSV (the plain numbers as JSON numbers, \`{"params":…,"tokens":…}\`): ${json
    .map((j) => `\`${j.command}\` ${(j.jsonMs / 1000).toFixed(2)} s against ${(j.csvMs / 1000).toFixed(2)} s, **${j.ratio.toFixed(2)}x**`)
    .join(
      '; ',
    )} (target ≤ 1.5x): ${jsonMet ? 'met' : 'not met'}.${allAwk ? '' : '\n\nSome awk rows do not have the columns moeplan prints: the awk program is out of date.'}

Where the time goes (\`node --cpu-prof\` of the batch runner, self time): over \`budget-suffixed-1000000.csv\`, reading
each field and, in the same pass, where its shortest digits are (\`quantityDigitsAt\`) 23%, printing the computed cell
(\`writeShortest\`, V8's shortest digits written straight into bytes, about 0.7x the time of \`toExponential\`:
\`node bench/shortest-digits.mjs\`) 22%, the row loop with the kernel inlined (\`csvLines\`) 17%, the echo of the
suffixed inputs from their written digits (\`echoNumbers\`) 12%, reading the file and writing the output 7%, garbage
collection 3%; over \`cmin-plain-1000000.csv\` (three computed cells a row) printing is 30%, the row loop 22%, reading
the fields 19%. Files are read in 16 KiB chunks, rows in place, and the output goes to the stream as bytes, so a row
makes no string of its own. Where awk's values and moeplan's differ (\`rows ≠ awk\`), they differ in the last bits of a
double, as the largest relative difference shows: awk's C library \`pow\` and \`sqrt\` and its order of operations
against V8's, not the printing.`;
  const summary = `commands (${loadText}): ${table.map((t) => `${t.command} ${t.plainRatio.toFixed(2)}x/${t.suffixRatio.toFixed(2)}x`).join(', ')}; jsonl ${json.map((j) => `${j.command} ${j.ratio.toFixed(2)}x`).join(', ')}; suffixed≠plain ${table.map((t) => t.differ).join('/')}; ≠awk ${table.map((t) => t.awk.differ).join('/')}`;
  return { verdicts, section, summary };
}
