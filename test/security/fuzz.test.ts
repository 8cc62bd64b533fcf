/**
 * Property-based fuzzing of the CLI's run(argv, io), in-process: random flags and values
 * (mutations of the documented examples, and random option lists), random plan and law
 * objects. Every run must keep the invariants of `expectSane`: exit code 0, 1 or 2, no
 * stack trace, one JSON document with --json, finite numbers in JSON.
 *
 * Seeded, so a failure reproduces; fast-check prints the shrunk counterexample. For a
 * longer search, FUZZ_SCALE=20 multiplies the number of runs and FUZZ_SEED=n changes the seeds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { CHECK_IDS } from '../../src/core/checks/index.js';
import { PRESET_LIST } from '../../src/core/laws/index.js';
import { splitCsv } from '../../src/io/records.js';
import { commandOptions, definitions, exampleArgvs, expectSane, runRecorded, sandbox } from './support.js';

const dir = sandbox('fuzz');
const SCALE = Number(process.env.FUZZ_SCALE ?? '1') || 1;
const SEED_OFFSET = Number(process.env.FUZZ_SEED ?? '0') || 0;
/** fast-check settings: a fixed seed, `numRuns` times FUZZ_SCALE. */
const settings = (seed: number, numRuns: number) => ({ seed: seed + SEED_OFFSET, numRuns: Math.round(numRuns * SCALE) });
const DEFINITIONS = await definitions();
const OPTIONS = commandOptions(DEFINITIONS);
const EXAMPLES = exampleArgvs(DEFINITIONS);
const NAMES = [...OPTIONS.keys()];

/** Quantities: valid ones of every magnitude, and the hostile classes of the corpus. */
const magnitude = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: -330, max: 330 })).map(([m, e]) => `${m}e${e}`);
const hostileQuantity = fc.constantFrom(
  '0',
  '-1',
  '-52B',
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  'inf',
  '1e400',
  '-1e400',
  '1e-400',
  '5e-324',
  '1.7976931348623157e308',
  '',
  ' ',
  '%',
  '1%',
  '1e999%',
  '0x10',
  '1_000',
  '１２',
  '52 B',
  '52BB',
  '7T7',
  'B',
  'e9',
  '1e',
  '.',
  '-',
  '+',
  '1/0',
  '0/0',
  '-1/0',
  'sqrt(-1)',
  'log(0)',
  'log(-1)',
  'exp(1000)',
  '2^1024',
  '10^-400',
  'min()',
  'max(1)',
  'sqrt()',
  '1e308*10',
  'import("fs")',
  'createUnit("x")',
  'evaluate("1")',
  'parse("1")',
  'x=1',
  'f(x)=x',
  'a.b',
  '[1,2]',
  '{}',
  '1:3',
  'pi',
  'e',
  'i',
  'sqrt(-4)*1B',
  '__proto__',
  'constructor',
  'toString',
  'process.exit(1)',
  '$' + '{1}',
  '`1`',
  '$(id)',
  "'; DROP TABLE",
  '\u0000',
  '\u202e1',
  '\ufeff1',
  '1\n2',
  '1,2',
  `${'('.repeat(40)}1${')'.repeat(40)}`,
  `${'1+'.repeat(120)}1`,
  '9'.repeat(400),
  '1e-1'.repeat(60),
);
const quantity = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('52B', '7T', '16M', '32M', '64M', '4M', '3e-4', '0.4', '40%', '1.9', '3.1e24', '1e20', '16', '1', '2', '4096', '6*52B*7T'),
  },
  { weight: 3, arbitrary: magnitude },
  { weight: 4, arbitrary: hostileQuantity },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map(String) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const file = fc.constantFrom(
  'examples/configs/hunyuan-large.json',
  'examples/configs/mixtral-8x7b.json',
  'examples/configs/deepseek-v3.json',
  'config.json',
  'examples/fit/runs.csv',
  'examples/lr/runs.csv',
  'grid.csv',
  'runs.csv',
  'budgets.csv',
  'plan.yaml',
  'examples/plans/hunyuan-large.yaml',
  'missing.csv',
  'missing.json',
  'examples',
  '.',
  '/',
  '/dev/null',
  '-',
  '',
  'a\u0000b',
  '../../../../etc/passwd',
);
const choices: Record<string, fc.Arbitrary<string>> = {
  '--gpu': fc.constantFrom('h100', 'a100', 'H200', 'b200', 'mi300x', 'tpu', '', '__proto__', 'constructor'),
  '--dtype': fc.constantFrom('bf16', 'fp16', 'fp8', 'fp32', 'int4', '', 'toString'),
  '--decay': fc.constantFrom('cosine', 'linear', 'exponential', 'step', ''),
  '--reading': fc.constantFrom('specialized-over-shared', 'paper-literal', 'other', ''),
  '--law-compute': fc.constantFrom('hunyuan', 'dense', 'kaplan', '', 'hasOwnProperty'),
  '--format': fc.constantFrom('text', 'json', 'markdown', 'github', 'xml'),
  '--law': fc.constantFrom(
    'hunyuan',
    'dense',
    'chinchilla',
    'chinchilla-epoch',
    'kaplan',
    'deepseek',
    'all',
    'ALL',
    'none',
    '__proto__',
    'constructor',
    'missing.json',
    'config.json',
    'examples',
    'grid.csv',
  ),
  '--columns': fc.constantFrom('flops=C,params=N,tokens=D,loss=L', 'params=params', '=', ',,', 'a=b=c', 'x=flops,y=flops', '__proto__=params'),
  '--budgets': fc.constantFrom('6e18,1e19', '1e20', '', ',', '-1,2', 'x', '1e400', '1,1,1'),
  '--name': fc.constantFrom('my-law', '', ' ', '../x', 'a'.repeat(300)),
  '--bootstrap': fc.constantFrom('0', '3', '-1', 'x', '2e6', '1.5'),
  '--seed': fc.constantFrom('0', '1', '-1', 'x', '1e300'),
  '--out': fc.constantFrom('out/law.json', 'law.json', '.', 'examples', ''),
  '--plot': fc.constantFrom('out/fit.svg', 'fit.svg', '.', ''),
};
const FILE_FLAGS = new Set(['--config', '--input', '--noise-from']);

function valueFor(flag: string): fc.Arbitrary<string> {
  if (choices[flag]) return fc.oneof({ weight: 4, arbitrary: choices[flag] as fc.Arbitrary<string> }, { weight: 1, arbitrary: quantity });
  if (FILE_FLAGS.has(flag)) return file;
  return quantity;
}

/** One option of `command` with a value (or none, for a switch). */
function option(command: string): fc.Arbitrary<string[]> {
  const info = OPTIONS.get(command);
  const options = info?.options ?? [];
  if (options.length === 0) return fc.constant([]);
  return fc.constantFrom(...options).chain((o) => (o.takesValue ? valueFor(o.flag).map((v) => [o.flag, v]) : fc.constant([o.flag])));
}

/** A documented example with a few values replaced, flags dropped and flags added. */
const mutatedExample = fc.constantFrom(...EXAMPLES).chain((example) => {
  const command = example[0] as string;
  return fc
    .record({
      replace: fc.array(fc.tuple(fc.nat(), quantity), { maxLength: 3 }),
      drop: fc.array(fc.nat(), { maxLength: 2 }),
      extra: fc.array(option(command), { maxLength: 3 }),
      json: fc.boolean(),
    })
    .map(({ replace, drop, extra, json }) => {
      const argv = [...example];
      for (const [at, value] of replace) {
        const i = 1 + (at % Math.max(1, argv.length - 1));
        if (i < argv.length && !(argv[i] as string).startsWith('--')) argv[i] = value;
        else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) argv[i + 1] = value;
      }
      for (const at of drop) if (argv.length > 1) argv.splice(1 + (at % (argv.length - 1)), 1);
      argv.push(...extra.flat());
      if (json && !argv.includes('--json')) argv.push('--json');
      return argv;
    });
});

/** A command (real or not) with random options and positional arguments. */
const randomArgv = fc
  .oneof(fc.constantFrom(...NAMES), fc.constantFrom('', 'budgett', 'help', '--json', '-x', '--', 'BUDGET', '__proto__'))
  .chain((command) =>
    fc
      .tuple(
        fc.array(option(command), { maxLength: 5 }),
        fc.array(fc.oneof(file, quantity), { maxLength: (OPTIONS.get(command)?.args ?? 0) + 1 }),
        fc.array(fc.constantFrom('--json', '--no-color', '--', '-', '--unknown', '-z', '--json=1', '--params=52B', '--help'), { maxLength: 2 }),
      )
      .map(([options, positional, junk]) => [command, ...positional, ...options.flat(), ...junk]),
  );

/** `fit` runs a bootstrap of 1000 resamples by default: keep fuzzed fits small. */
function bounded(argv: string[]): string[] {
  if (argv[0] === 'fit' && !argv.includes('--bootstrap')) return [...argv, '--bootstrap', '0'];
  return argv;
}

const stdin = fc.constantFrom('', 'params,tokens\n52B,7T\n', '{"cmin":1e20}\n', '\u0000\u0001', 'x\n'.repeat(50));

describe('fuzzing the CLI: random flags and values', () => {
  it('mutations of the documented examples keep the invariants', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedExample, stdin, async (argv, input) => {
        const args = bounded(argv);
        expectSane(args, await runRecorded(args, { cwd: dir, stdin: input }));
      }),
      settings(42, 300),
    );
  });

  it('random option lists keep the invariants', async () => {
    await fc.assert(
      fc.asyncProperty(randomArgv, stdin, async (argv, input) => {
        const args = bounded(argv);
        expectSane(args, await runRecorded(args, { cwd: dir, stdin: input }));
      }),
      settings(7, 300),
    );
  });
});

/** A JSON-ish leaf: the values a hand-written or generated file could hold. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: quantity },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, 5e-324, [], {}, ['7T'], { max: 1 }, 'hunyuan', 'h100') },
);

/** A plan: the documented keys, each present or not, with valid or hostile values. */
const planObject = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 20 }), leaf),
    law: fc.oneof(choices['--law'] as fc.Arbitrary<string>, leaf),
    model: fc.oneof(fc.record({ activatedParams: leaf, experts: leaf, topK: leaf, config: fc.oneof(file, leaf) }, { requiredKeys: [] }), leaf),
    training: fc.oneof(
      fc.record(
        {
          tokens: leaf,
          batchTokens: leaf,
          criticalBatchTokens: leaf,
          loss: leaf,
          lr: fc.oneof(fc.record({ max: leaf, noiseTokens: leaf, shared: leaf, specialized: leaf }, { requiredKeys: [] }), leaf),
        },
        { requiredKeys: [] },
      ),
      leaf,
    ),
    hardware: fc.oneof(
      fc.record({ gpu: fc.oneof(choices['--gpu'] as fc.Arbitrary<string>, leaf), count: leaf, mfu: leaf, peakFlops: leaf, price: leaf }, { requiredKeys: [] }),
      leaf,
    ),
    limits: fc.oneof(
      fc.dictionary(
        fc.constantFrom(...CHECK_IDS, 'unknown'),
        fc.oneof(fc.record({ max: leaf, within: leaf, level: fc.constantFrom('error', 'warn', 'off', 'fatal') }, { requiredKeys: [] }), leaf),
        { maxKeys: 4 },
      ),
      leaf,
    ),
    extra: leaf,
  },
  { requiredKeys: [] },
);

/** The hunyuan preset as a law file, with a few leaves replaced and keys dropped or added. */
const LAW = {
  name: 'fuzzed',
  source: 'fuzz',
  compute: { paramsTokens: 9.59, tokens: 2.3e8 },
  allocation: {
    kind: 'power',
    budget: 'cmin',
    budgetUnitFlops: 1,
    params: { coefficient: 5.9e-3, exponent: 0.5305 },
    tokens: { coefficient: 3.2, exponent: 0.5 },
  },
  criticalBatch: { kind: 'loss', bStar: 2e8, alphaB: 0.21 },
  batchSize: { coefficient: 0.292, exponent: 0.3271, budget: 'flops' },
  learningRate: { coefficient: 0.3118, exponent: -0.125, budget: 'flops' },
  fittedRange: { cmin: [1e18, 1e21] },
};
const LAW_PATHS = [
  ['name'],
  ['compute', 'paramsTokens'],
  ['compute', 'tokens'],
  ['allocation', 'kind'],
  ['allocation', 'budget'],
  ['allocation', 'budgetUnitFlops'],
  ['allocation', 'params', 'coefficient'],
  ['allocation', 'params', 'exponent'],
  ['allocation', 'tokens', 'coefficient'],
  ['allocation', 'tokens', 'exponent'],
  ['criticalBatch', 'bStar'],
  ['criticalBatch', 'alphaB'],
  ['criticalBatch', 'kind'],
  ['batchSize', 'exponent'],
  ['learningRate', 'coefficient'],
  ['fittedRange', 'cmin'],
  ['allocation'],
  ['criticalBatch'],
  ['compute'],
  ['loss'],
  ['extra'],
];
const lawNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1e-300, 1e300, 5e-324, 1.7976931348623157e308, 0.999999, 1e-9, 1, 2),
  leaf,
);
const lawObject = fc.array(fc.tuple(fc.constantFrom(...LAW_PATHS), fc.oneof(lawNumber, fc.constant(undefined))), { maxLength: 4 }).map((edits) => {
  const law = structuredClone(LAW) as Record<string, unknown>;
  for (const [path, value] of edits) {
    let node = law;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (next === null || typeof next !== 'object') break;
      node = next as Record<string, unknown>;
    }
    const last = path[path.length - 1] as string;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return law;
});

let files = 0;
function write(name: string, text: string): string {
  const path = join(dir, `${++files}-${name}`);
  writeFileSync(path, text);
  return path;
}

describe('fuzzing the CLI: random plan and law files', () => {
  it('random plans, as YAML or JSON, keep the invariants of check', async () => {
    await fc.assert(
      fc.asyncProperty(
        planObject,
        fc.constantFrom('yaml', 'json'),
        fc.constantFrom([], ['--json'], ['--format', 'markdown'], ['--format', 'github'], ['--strict'], ['--no-exit-code']),
        async (plan, format, flags) => {
          const path = write(`plan.${format}`, format === 'json' ? JSON.stringify(plan) : toYaml(plan));
          const argv = ['check', path, ...flags];
          expectSane(argv, await runRecorded(argv, { cwd: dir }));
        },
      ),
      settings(3, 200),
    );
  });

  it('random law files keep the invariants of budget, cmin, optimal and lr', async () => {
    await fc.assert(
      fc.asyncProperty(
        lawObject,
        fc.constantFrom(
          ['optimal', '--cmin', '3e24'],
          ['optimal', '--cmin', '1e-300'],
          ['optimal', '--params', '1e300'],
          ['optimal', '--tokens', '7T'],
          ['optimal', '--flops', '1e300', '--batch', '1', '--loss', '1e-300'],
          ['budget', '--params', '52B', '--tokens', '7T'],
          ['budget', '--flops', '1e300', '--params', '1e-300'],
          ['cmin', '--flops', '3e24', '--batch', '32M', '--loss', '1.9'],
          ['cmin', '--flops', '3e24', '--batch', '1e300'],
          ['laws'],
        ),
        fc.boolean(),
        async (law, argv, json) => {
          const path = write('law.json', JSON.stringify(law));
          const args = argv[0] === 'laws' ? ['laws', path] : [...argv, '--law', path];
          if (json) args.push('--json');
          expectSane(args, await runRecorded(args, { cwd: dir }));
        },
      ),
      settings(5, 200),
    );
  });
});

/** Runs files (`fit RUNS`, `lr --noise-from RUNS`): the example runs with hostile cells and lines mixed in. */
const RUNS = {
  fit: readFileSync(join(dir, 'examples/fit/runs.csv'), 'utf8').trim().split('\n'),
  lr: readFileSync(join(dir, 'examples/lr/runs.csv'), 'utf8').trim().split('\n'),
};
const hostileCell = fc.oneof(hostileQuantity, magnitude, fc.constantFrom('', '"', '""', 'true', '{}'));
const runsFile = fc.constantFrom('fit' as const, 'lr' as const).chain((command) => {
  const [header, ...lines] = RUNS[command];
  const line = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...lines) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom(...lines), fc.nat(), hostileCell).map(([l, at, cell]) => {
        const cells = l.split(',');
        cells[at % cells.length] = /[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
        return cells.join(',');
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom('', '1,2', '1,2,3,4,5', '{"a": 1}', '\u00ff') },
  );
  return fc.record({
    command: fc.constant(command),
    header: fc.oneof(
      { weight: 9, arbitrary: fc.constant(header as string) },
      { weight: 1, arbitrary: fc.constantFrom('', 'x', 'batch,batch', 'params,tokens') },
    ),
    lines: fc.array(line, { maxLength: 70 }),
    json: fc.boolean(),
  });
});

describe('fuzzing the CLI: random runs files', () => {
  it('fit and lr --noise-from keep the invariants on runs files with hostile cells', async () => {
    await fc.assert(
      fc.asyncProperty(runsFile, async ({ command, header, lines, json }) => {
        const path = write('runs.csv', `${[header, ...lines].join('\n')}\n`);
        const argv =
          command === 'fit' ? ['fit', path, '--bootstrap', '20'] : ['lr', '--noise-from', path, '--batch', '4M', '--lr-max', '3e-4', '--experts', '16'];
        if (json) argv.push('--json');
        expectSane(argv, await runRecorded(argv, { cwd: dir }));
      }),
      settings(17, 150),
    );
  });
});

/**
 * Batch mode: one output row per input row, in order, whatever the mix. Each command gets
 * rows that are valid (computed) and rows that are not (an error row each: a hostile value,
 * a wrong number of fields, an open quote, bytes that are not UTF-8, broken JSON, an
 * unknown or duplicate key). The good rows must come out exactly as they do without the
 * bad rows around them, in JSON and in CSV text output.
 */
const BATCH: Record<string, { header: string[]; good: fc.Arbitrary<string[]>; bad?: string[][] }> = {
  budget: {
    header: ['params', 'tokens'],
    // Valid inputs whose results overflow (C) or underflow (D/N).
    bad: [
      ['1e300', '1e300'],
      ['1e-300', '1e300'],
      ['52B', '1e-320'],
      ['1e200', '1e-200'],
    ],
    good: fc
      .tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('M', 'B', 'e9', ''), fc.integer({ min: 1, max: 999 }), fc.constantFrom('B', 'T', 'e12'))
      .map(([n, ns, d, ds]) => [`${n}${ns}`, `${d}${ds}`]),
  },
  cmin: {
    header: ['flops', 'batch', 'bcrit'],
    good: fc
      .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 18, max: 26 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 128 }))
      .map(([c, e, b, k]) => [`${c}e${e}`, `${b}M`, `${k}M`]),
  },
  optimal: {
    header: ['cmin'],
    good: fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 18, max: 26 })).map(([c, e]) => [`${c}e${e}`]),
  },
  lr: {
    header: ['batch', 'noise', 'lr-max', 'experts'],
    good: fc
      .tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 64 }))
      .map(([b, n, l, x]) => [`${b}M`, `${n}M`, `${l}e-4`, `${x}`]),
  },
};
const badCell = fc.constantFrom(
  '0',
  '-1',
  'NaN',
  'Infinity',
  '1e400',
  '-1e400',
  'abc',
  '52X',
  'import(x)',
  'min()',
  '1/0',
  'sqrt(-1)',
  '1e-400',
  '=1+1',
  '\u001b[2J',
);

/** One input row, as a line of bytes in the given format, and whether it is good. */
function batchRow(command: string, format: 'csv' | 'jsonl'): fc.Arbitrary<{ bytes: Buffer; good: boolean }> {
  const { header, good, bad: badRows = [] } = BATCH[command] as (typeof BATCH)[string];
  const line = (cells: string[]) =>
    format === 'csv'
      ? cells.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')
      : JSON.stringify(Object.fromEntries(header.map((h, i) => [h, cells[i]])));
  const bad: fc.Arbitrary<Buffer> = fc.oneof(
    fc.tuple(good, fc.nat(), badCell).map(([cells, at, cell]) => {
      const copy = [...cells];
      copy[at % copy.length] = cell;
      return Buffer.from(line(copy));
    }),
    good.map((cells) => Buffer.from(format === 'csv' ? `${line(cells)},1` : `${line(cells).slice(0, -1)}, "extra": 1}`)),
    good.map((cells) => Buffer.from(format === 'csv' ? `"${line(cells)}` : line(cells).slice(0, -2))),
    good.map((cells) => Buffer.concat([Buffer.from(line(cells).slice(0, 2)), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(line(cells).slice(2))])),
    good.map((cells) => Buffer.from(format === 'csv' ? cells.slice(1).join(',') : `{"${header[0]}": ${JSON.stringify(cells[0])}, ${line(cells).slice(1)}`)),
    fc.constantFrom('[1]', 'null', '{', '"', ',,,,', 'x').map((s) => Buffer.from(s)),
    ...(badRows.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...badRows).map((cells) => Buffer.from(line(cells))) }] : []),
  );
  return fc.oneof(
    { weight: 3, arbitrary: good.map((cells) => ({ bytes: Buffer.from(line(cells)), good: true })) },
    { weight: 2, arbitrary: bad.map((bytes) => ({ bytes, good: false })) },
  );
}

const batchInput = fc.tuple(fc.constantFrom(...Object.keys(BATCH)), fc.constantFrom('csv' as const, 'jsonl' as const)).chain(([command, format]) =>
  fc.record({
    command: fc.constant(command),
    format: fc.constant(format),
    rows: fc.array(
      fc.oneof(
        { weight: 12, arbitrary: batchRow(command, format) },
        { weight: 1, arbitrary: fc.constantFrom({ bytes: Buffer.from(''), good: true }, { bytes: Buffer.from('  \t'), good: true }) },
      ),
      { maxLength: 40 },
    ),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    json: fc.boolean(),
  }),
);

/** Parse batch output into rows of { line, error?, rest } (rest: the result without its line). */
function outputRows(stdout: string, json: boolean): { line: number; error: boolean; rest: string }[] {
  const lines = stdout.split('\n').filter((l) => l !== '');
  if (json) {
    return lines.map((l) => {
      const { line, ...rest } = JSON.parse(l) as { line: number; error?: unknown };
      return { line, error: rest.error !== undefined, rest: JSON.stringify(rest) };
    });
  }
  return lines.slice(1).map((l) => {
    const fields = splitCsv(l);
    return { line: Number(fields[0]), error: (fields[fields.length - 1] ?? '') !== '', rest: fields.slice(1).join(',') };
  });
}

describe('batch mode: nothing lost', () => {
  it('one output row per input row, in order, bad rows as error rows, good rows as computed alone', async () => {
    await fc.assert(
      fc.asyncProperty(batchInput, async ({ command, format, rows, crlf, bom, json }) => {
        const eol = crlf ? '\r\n' : '\n';
        const header = format === 'csv' ? [Buffer.from((BATCH[command] as (typeof BATCH)[string]).header.join(','))] : [];
        const build = (list: typeof rows) =>
          Buffer.concat([Buffer.from(bom ? '\ufeff' : ''), ...[...header, ...list.map((r) => r.bytes)].flatMap((b) => [b, Buffer.from(eol)])]);
        const path = write(`rows.${format}`, '');
        writeFileSync(path, build(rows));
        const argv = [command, '--input', path, ...(json ? ['--json'] : [])];
        const r = await runRecorded(argv, { cwd: dir });
        expectSane(argv, r);
        // Records: every line that is not blank (after the CSV header), numbered from 1.
        const first = header.length;
        const records = rows.map((row, i) => ({ ...row, line: first + i + 1 })).filter((row) => row.bytes.toString('utf8').trim() !== '');
        if (format === 'jsonl' && records.length === 0) {
          // Nothing to read is an error, as for a CSV input without a header.
          expect(r.code).toBe(2);
          expect(r.stderr).toMatch(/the input is empty/);
          return;
        }
        const out = outputRows(r.stdout, json);
        expect(out.map((o) => o.line)).toEqual(records.map((row) => row.line));
        expect(out.map((o) => o.error)).toEqual(records.map((row) => !row.good));
        expect(r.code).toBe(records.some((row) => !row.good) ? 2 : 0);
        // The good rows, alone: the same results.
        const goodOnly = rows.filter((row) => row.good && row.bytes.toString('utf8').trim() !== '');
        if (goodOnly.length === 0 || goodOnly.length === records.length) return;
        writeFileSync(path, build(goodOnly));
        const alone = outputRows((await runRecorded(argv, { cwd: dir })).stdout, json);
        expect(out.filter((o) => !o.error).map((o) => o.rest)).toEqual(alone.map((o) => o.rest));
      }),
      settings(1234, 200),
    );
  });
});

/** Every numeric flag of the evaluation commands at magnitudes from 1e-330 to 1e330. */
describe('numeric safety', () => {
  const magnitudes = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -330, max: 330 })).map(([m, e]) => `${m}e${e}`);
  const NOT_NUMERIC = new Set([
    '--config',
    '--input',
    '--noise-from',
    '--law',
    '--gpu',
    '--dtype',
    '--decay',
    '--reading',
    '--format',
    '--columns',
    '--name',
    '--out',
    '--plot',
    '--law-compute',
    '--budgets',
  ]);
  const numericFlags = (command: string) => (OPTIONS.get(command)?.options ?? []).filter((o) => o.takesValue && !NOT_NUMERIC.has(o.flag)).map((o) => o.flag);
  // Every command that answers from flags alone (no file argument) and takes a number.
  const NUMERIC_COMMANDS = [...OPTIONS].filter(([command, { args }]) => args === 0 && numericFlags(command).length > 0).map(([command]) => command);
  const takesLaw = (command: string) => OPTIONS.get(command)?.options.some((o) => o.flag === '--law') ?? false;
  const numericArgv = fc
    .constantFrom(...NUMERIC_COMMANDS)
    .chain((command) =>
      fc.tuple(
        fc.constant(command),
        fc.subarray(numericFlags(command), { minLength: 1, maxLength: Math.min(6, numericFlags(command).length) }),
        fc.array(magnitudes, { minLength: 6, maxLength: 6 }),
        fc.oneof(
          fc.constant([]),
          fc.constantFrom(...PRESET_LIST).map((law) => ['--law', law.name]),
        ),
      ),
    )
    .map(([command, flags, values, law]) => [command, ...flags.flatMap((f, i) => [f, values[i] as string]), ...(takesLaw(command) ? law : []), '--json']);

  const number = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -323, max: 307 })).map(([m, e]) => Number(`${m}e${e}`));
  const extremePlan = fc.record({
    law: fc.constantFrom(...PRESET_LIST.map((l) => l.name)),
    model: fc.record({ activatedParams: number, experts: fc.integer({ min: 1, max: 1e6 }), topK: fc.constant(1) }, { requiredKeys: ['activatedParams'] }),
    training: fc.record(
      {
        tokens: number,
        batchTokens: number,
        criticalBatchTokens: number,
        lr: fc.record({ max: number, noiseTokens: number, shared: number, specialized: number }, { requiredKeys: [] }),
      },
      { requiredKeys: ['tokens'] },
    ),
    hardware: fc.record(
      { gpu: fc.constant('h100'), count: fc.integer({ min: 1, max: 1e9 }), mfu: fc.double({ min: 1e-300, max: 1, noNaN: true }), price: number },
      { requiredKeys: ['gpu', 'mfu'] },
    ),
    limits: fc.record(
      {
        flops: fc.record({ max: number }),
        paramsVsOptimal: fc.record({ within: fc.constant(0.15) }),
        tokensVsOptimal: fc.record({ within: fc.constant(0.3) }),
        batchVsCritical: fc.record({ max: number }),
        expertLr: fc.record({ within: fc.constant(0.1) }),
        gpuHours: fc.record({ max: number }),
        days: fc.record({ max: number }),
        cost: fc.record({ max: number }),
      },
      { requiredKeys: [] },
    ),
  });

  it('check: plans at extreme magnitudes report finite numbers, or an error naming what overflowed', async () => {
    await fc.assert(
      fc.asyncProperty(extremePlan, async (plan) => {
        const path = write('extreme.json', JSON.stringify(plan));
        const argv = ['check', path, '--json'];
        const r = await runRecorded(argv, { cwd: dir });
        expectSane(argv, r);
      }),
      settings(21, 300),
    );
  });

  it('results never overflow to Infinity or NaN silently: an error names what overflowed', async () => {
    expect(NUMERIC_COMMANDS).toEqual(expect.arrayContaining(['budget', 'optimal', 'lr']));
    await fc.assert(
      fc.asyncProperty(numericArgv, async (argv) => {
        const r = await runRecorded(argv, { cwd: dir });
        expectSane(argv, r);
        if (r.code === 2) expect(r.stderr).toMatch(/^error: /);
      }),
      settings(99, 1500),
    );
  });
});
