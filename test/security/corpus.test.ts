/**
 * The hostile-input corpus (test/fixtures/hostile/): every file and every quantity in it
 * goes through the command that reads it, and must give exit code 2 with a message that
 * names the flag, field, file or line, and no stack trace; in batch mode, one output row
 * per input row, in order, an error row for each bad one and the good ones computed.
 *
 * The large inputs (a million-character line, 100,000 columns, deep nesting, files over
 * the size limits) are generated here rather than kept on disk.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { MAX_LINE_CHARS, splitCsv } from '../../src/io/records.js';
import { FIXTURES, STACK_LINE, expectSane, runRecorded, sandbox } from './support.js';

const dir = sandbox('corpus');
const files = (kind: string) => readdirSync(join(FIXTURES, kind)).sort();
const QUANTITIES = JSON.parse(readFileSync(join(FIXTURES, 'quantities.json'), 'utf8')) as [string, string][];

/** Exit code 2, the message on stderr (or in check's report), no stack trace. */
async function expectRefused(argv: string[], message: RegExp, options: { stdin?: string } = {}) {
  const r = await runRecorded(argv, { cwd: dir, ...options });
  expectSane(argv, r);
  expect(r.code, `${argv.join(' ')}\n${r.stderr}`).toBe(2);
  expect(`${r.stderr}\n${r.stdout}`).toMatch(message);
  return r;
}

describe('hostile quantities', () => {
  it(`${QUANTITIES.length} values are refused as a flag, naming the flag`, async () => {
    for (const [value, message] of QUANTITIES) {
      const r = await expectRefused(['budget', '--params', value, '--tokens', '7T'], new RegExp(message));
      expect(r.stderr).toMatch(/^error: --params: /);
    }
  });

  it('and as a batch cell: one error row each, naming its line, the good rows between them computed', async () => {
    const lines = QUANTITIES.flatMap(([value]) => [JSON.stringify({ params: value, tokens: '7T' }), '{"params": "52B", "tokens": "7T"}']);
    const r = await runRecorded(['budget', '--input', '-', '--json'], { cwd: dir, stdin: `${lines.join('\n')}\n` });
    expectSane(['budget', '--input', '-', '--json'], r);
    expect(r.code).toBe(2);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(lines.length);
    rows.forEach((row, i) => {
      expect(row.line).toBe(i + 1);
      if (i % 2 === 0) expect(row.error.message).toMatch(new RegExp(`line ${i + 1}: (?:params|tokens|give two of params)\\b`));
      else expect(row.flops).toBeCloseTo(3.4924e24, -20);
    });
  });

  it('a cell of a million characters is refused by its length before any pattern runs (no quadratic scan)', async () => {
    // Digits with no suffix: a pattern that tries each start of the run is quadratic
    // (160,000 characters took 12 s, a MiB about 8 minutes).
    const long = `${'1'.repeat(MAX_LINE_CHARS - 100)}*2`;
    const started = performance.now();
    const r = await runRecorded(['budget', '--input', '-', '--json'], {
      cwd: dir,
      stdin: `params,tokens\n${long},7T\n${'2'.repeat(100_000)}+1k,7T\n1e3k ${' '.repeat(200_000)}*2,7T\n52B,7T\n`,
    });
    expect(performance.now() - started).toBeLessThan(3000);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((row) => row.error?.message ?? row.flops)).toEqual([
      `line 2: params: is longer than 200 characters (${long.length})`,
      'line 3: params: is longer than 200 characters (100003)',
      expect.stringMatching(/^line 4: params: is longer than 200 characters/),
      expect.closeTo(3.4924e24, -20),
    ]);
    const flag = await expectRefused(['budget', '--params', `${'9'.repeat(100_000)}k`, '--tokens', '7T'], /--params: is longer than 200 characters/);
    expect(flag.stderr.length).toBeLessThan(1000);
  });

  it('and as a plan field, naming the field and its line', async () => {
    for (const [value, message] of QUANTITIES) {
      if (value.trim() === '') continue; // an empty quantity is a schema error of its own
      const path = join(dir, 'quantity-plan.json');
      writeFileSync(path, JSON.stringify({ model: { activatedParams: '52B' }, training: { tokens: value }, limits: { flops: { max: 4e24 } } }, null, 1));
      const r = await expectRefused(['check', path], new RegExp(`${message}|expected at most 200 characters`));
      expect(r.stdout).toMatch(/quantity-plan\.json:\d+:\d+: training\.tokens: /);
    }
  });
});

/** The good rows of the batch fixtures; every other non-blank line is hostile. */
const GOOD_ROW = /^(?:\ufeff)?(?:52B,7T|1B,1T|\{"params": "(?:52B|1B)", "tokens": "(?:7T|1T)"\})$/;

/** Batch fixtures that are refused as a whole (a bad header, nothing to read): the message. */
const WHOLE_FILE: Record<string, RegExp> = {
  'empty.csv': /: the input is empty/,
  'empty.jsonl': /: the input is empty/,
  'only-bom.csv': /: the input is empty/,
  'blank-lines.csv': /: the input is empty/,
  'header-unknown-column.csv': /--input: unknown column "rm -rf \/"/,
  'header-duplicate-column.csv': /line 1: column "params" appears twice/,
  'header-aliased-columns.csv': /--input: line 1: columns "params" and "Params" both name params/,
  'header-empty-name.csv': /line 1: the header has an empty column name/,
  'header-unclosed-quote.csv': /line 1: the header has a quoted field that is not closed/,
  'header-invalid-utf8.csv': /line 1: the header is not valid UTF-8/,
};

describe('hostile batch inputs (CSV and JSON Lines)', () => {
  const batchFiles = [...files('csv').map((f) => `csv/${f}`), ...files('jsonl').map((f) => `jsonl/${f}`)];

  it.each(batchFiles)('%s', async (name) => {
    const path = join(FIXTURES, name);
    const base = name.split('/')[1] as string;
    const argv = ['budget', '--input', path, '--json'];
    const r = await runRecorded(argv, { cwd: dir });
    expectSane(argv, r);
    expect(r.code).toBe(2);
    if (WHOLE_FILE[base]) {
      expect(r.stderr).toMatch(WHOLE_FILE[base] as RegExp);
      expect(r.stdout).toBe('');
      return;
    }
    const text = readFileSync(path, 'latin1');
    const lines = text.split('\n').map((l, i) => ({ line: i + 1, text: l.replace(/\r$/, '') }));
    const records = lines.filter((l) => l.text.trim() !== '' && l.text !== '\u00ef\u00bb\u00bf').slice(name.endsWith('.csv') ? 1 : 0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; error?: { message: string }; flops?: number });
    expect(rows.map((row) => row.line)).toEqual(records.map((l) => l.line));
    records.forEach((record, i) => {
      const row = rows[i] as (typeof rows)[number];
      const good = GOOD_ROW.test(Buffer.from(record.text, 'latin1').toString('utf8'));
      expect(row.error === undefined, `line ${record.line}: ${record.text}\n${JSON.stringify(row)}`).toBe(good);
      if (row.error) expect(row.error.message).toMatch(new RegExp(`line ${record.line}:`));
      else expect(Number.isFinite(row.flops)).toBe(true);
    });
    expect(r.stderr).toMatch(
      new RegExp(`${records.filter((l) => !GOOD_ROW.test(Buffer.from(l.text, 'latin1').toString('utf8'))).length} of ${records.length} rows had errors`),
    );
  });

  it('in CSV text output too: one line per input row, the error column filled for the bad ones', async () => {
    for (const name of files('csv').filter((f) => !WHOLE_FILE[f])) {
      const path = join(FIXTURES, 'csv', name);
      const r = await runRecorded(['budget', '--input', path], { cwd: dir });
      const records = readFileSync(path, 'latin1')
        .split('\n')
        .map((l) => Buffer.from(l.replace(/\r$/, ''), 'latin1').toString('utf8'))
        .filter((l) => l.replace(/^\ufeff/, '').trim() !== '')
        .slice(1);
      const rows = r.stdout.trimEnd().split('\n').slice(1).map(splitCsv);
      expect(rows, name).toHaveLength(records.length);
      rows.forEach((fields, i) => {
        expect((fields[fields.length - 1] ?? '') !== '', `${name}: ${records[i]}`).toBe(!GOOD_ROW.test(records[i] as string));
      });
    }
  });

  it('a line of a million characters is one error row; the rows after it are computed', async () => {
    const path = join(dir, 'long-line.csv');
    writeFileSync(path, `params,tokens\n52B,7T\n${'9'.repeat(MAX_LINE_CHARS + 10)},7T\n1B,1T\n${'x'.repeat(3 * MAX_LINE_CHARS)}\n52B,7T\n`);
    const r = await runRecorded(['budget', '--input', path, '--json'], { cwd: dir });
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((row) => [row.line, row.error !== undefined])).toEqual([
      [2, false],
      [3, true],
      [4, false],
      [5, true],
      [6, false],
    ]);
    expect(rows[1].error.message).toMatch(/line 3: is longer than 1048576 characters/);
    expect(r.code).toBe(2);
  });

  it('100,000 columns: in the header, refused by name; in a row, an error row', async () => {
    const wide = join(dir, 'wide.csv');
    writeFileSync(wide, `params,tokens,${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n1,2\n`);
    await expectRefused(['budget', '--input', wide], /unknown column "c0"/);
    const row = join(dir, 'wide-row.csv');
    writeFileSync(row, `params,tokens\n52B,7T\n${'1,'.repeat(100_000)}1\n1B,1T\n`);
    const r = await runRecorded(['budget', '--input', row, '--json'], { cwd: dir });
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => x.error?.message ?? 'ok')).toEqual(['ok', 'line 3: 100001 fields, but the header has 2', 'ok']);
  });

  it('a deeply nested JSON value is an error row with a short message', async () => {
    const deep = `{"params": ${'['.repeat(100_000)}${']'.repeat(100_000)}, "tokens": "7T"}`;
    const r = await runRecorded(['budget', '--input', '-', '--json'], { cwd: dir, stdin: `${deep}\n{"params": "52B", "tokens": "7T"}\n` });
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[0].error.message).toMatch(/^line 1: params: expected a number, got \[\[\[\[/);
    expect(rows[0].error.message.length).toBeLessThan(200);
    expect(rows[1].flops).toBeGreaterThan(0);
  });

  it('a file that does not exist, a directory, an empty or closed stdin, a failed read: clear errors', async () => {
    await expectRefused(['budget', '--input', 'no-such.csv'], /--input: cannot read "no-such.csv": no such file/);
    await expectRefused(['budget', '--input', 'examples'], /--input: "examples" is a directory/);
    await expectRefused(['budget', '--input', '-'], /--input -: standard input is empty \(nothing was piped in, or it is closed\)/, { stdin: '' });
    for (const command of ['cmin', 'optimal', 'lr']) await expectRefused([command, '--input', 'no-such.jsonl'], /no such file/);

    const io = (stdin: NodeJS.ReadableStream & { isTTY?: boolean }) => {
      const out = { stdout: '', stderr: '' };
      return {
        out,
        io: {
          stdout: {
            write: (s: string | Uint8Array) => {
              out.stdout += typeof s === 'string' ? s : Buffer.from(s).toString('latin1');
              return true;
            },
          },
          stderr: {
            write: (s: string | Uint8Array) => {
              out.stderr += typeof s === 'string' ? s : Buffer.from(s).toString('latin1');
              return true;
            },
          },
          stdin,
          env: {},
          cwd: dir,
        },
      };
    };
    // A terminal.
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const t = io(tty);
    expect(await run(['budget', '--input', '-'], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/standard input is a terminal/);
    // A stream that fails part-way (EIO, EBADF: a closed descriptor).
    for (const code of ['EIO', 'EBADF']) {
      const broken = new Readable({
        read() {
          this.push('params,tokens\n52B,7T\n');
          this.destroy(Object.assign(new Error(`${code}: i/o error, read`), { code }));
        },
      });
      const b = io(broken);
      expect(await run(['budget', '--input', '-', '--json'], b.io)).toBe(2);
      expect(b.out.stderr).toMatch(new RegExp(`--input -: reading failed after line \\d \\(${code}\\)`));
      expect(b.out.stderr).not.toMatch(STACK_LINE);
    }
    // A stream that is already destroyed.
    const closed = new Readable({ read() {} });
    closed.destroy();
    const c = io(closed);
    expect(await run(['budget', '--input', '-'], c.io)).toBe(2);
    expect(c.out.stderr).toMatch(/--input -: (?:reading failed|standard input is empty)/);
  });
});

/** What `moeplan check` says about each hostile plan. */
const PLANS: Record<string, RegExp> = {
  'alias-limits.yaml': /uses aliases too often/,
  'billion-laughs.yaml': /uses aliases too often/,
  'bom-crlf.yaml': /bom-crlf\.yaml:4:3: training\.tokens: "lots" is not a number/,
  'comments-only.yaml': /comments-only\.yaml: is empty/,
  'config-is-directory.yaml': /model\.config: .*(?:directory|not a regular file)/,
  'control-characters.yaml': /\\u001b/,
  'custom-tag.yaml': /custom-tag\.yaml:2:\d+: .*tag/i,
  'duplicate-keys.json': /duplicate-keys\.json:1:\d+: .*(?:duplicate|unique|twice)/i,
  'duplicate-keys.yaml': /duplicate-keys\.yaml:3:\d+: .*(?:duplicate|unique|twice)/i,
  'empty.yaml': /empty\.yaml: is empty/,
  'huge-numbers.yaml': /model\.activatedParams: .*got Infinity[\s\S]*training\.tokens: "1e400" is not a finite number/,
  'injection.yaml': /the function "import"/,
  'invalid-utf8.yaml': /invalid-utf8\.yaml: is not valid UTF-8 text/,
  'law-missing.yaml': /law: .*no-such-law\.json.*no such file/,
  'learning-rate-underflow.yaml': /(?:B\/Bnoise|optimal shared-expert rate εopt\(B\)) of this plan is too small to represent/,
  'limit-far-apart.yaml': /limits\.flops: the excess over the limit is too large to represent \(Infinity\)/,
  'law-traversal.yaml': /law: .*passwd.*(?:not valid JSON|is not accepted)/,
  'list.yaml': /list\.yaml:1:1: .*(?:mapping|object)/,
  'long-string.yaml': /name: .*(?:at most|too long|characters)/,
  'merge-keys.yaml': /limits\.flops\.<<: unknown key|merge/,
  'multi-document.yaml': /multi-document\.yaml:\d+:\d+: .*(?:document)/i,
  'non-string-keys.yaml': /non-string-keys\.yaml:\d+:\d+: .*key/,
  'not-finite.yaml': /model\.activatedParams: .*(?:not a finite number|NaN)/,
  'null.json': /null\.json: is empty|null\.json:1:1: .*(?:mapping|object)/,
  'overflowing-compute.yaml': /the training compute C of this plan is too large to represent/,
  'prototype.json': /prototype\.json:1:\d+: __proto__: unknown key/,
  'tags.yaml': /tags\.yaml:1:\d+: .*tag/i,
  // YAML 1.1 types would be a Map, Set, Date or bytes that the schema reads as `{}`: the limit vanishes.
  'tag-binary.yaml': /tag-binary\.yaml:1:\d+: name: the tag !!binary is not accepted/,
  'tag-omap-limits.yaml': /tag-omap-limits\.yaml:\d+:\d+: limits: the tag !!omap is not accepted/,
  'tag-omap-model.yaml': /tag-omap-model\.yaml:1:\d+: model: the tag !!omap is not accepted/,
  'tag-set-limits.yaml': /tag-set-limits\.yaml:3:\d+: limits: the tag !!set is not accepted/,
  'tag-timestamp.yaml': /tag-timestamp\.yaml:1:\d+: name: the tag !!timestamp is not accepted/,
  'tag-verbatim.yaml': /tag-verbatim\.yaml:4:\d+: limits\.flops: the tag !!omap is not accepted/,
  'truncated.json': /truncated\.json:1:\d+: JSON syntax/,
  'unknown-gpu.yaml': /hardware\.gpu: .*constructor/,
  'zero-negative.yaml': /model\.activatedParams: 0 is out of range/,
};

describe('hostile plan files (moeplan check)', () => {
  it('every plan in the corpus has an expected message', () => {
    expect(files('plans')).toEqual(Object.keys(PLANS).sort());
  });

  it.each(Object.entries(PLANS))('%s', async (name, message) => {
    const path = join(FIXTURES, 'plans', name);
    await expectRefused(['check', path], message);
    await expectRefused(['check', '--strict', path], message);
    // The same as JSON: one document, the plan reported as unreadable.
    const r = await runRecorded(['check', path, '--json'], { cwd: dir });
    expectSane(['check', path, '--json'], r);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).passed).toBe(false);
  });

  it('deep nesting, a huge file and a large alias bomb, generated', async () => {
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, `{"limits": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`);
    await expectRefused(['check', deep], /deep\.json:1:\d+: is nested more than 32 levels deep/);
    const huge = join(dir, 'huge.yaml');
    writeFileSync(huge, `limits: {}\nname: ${'x'.repeat(300 * 1024)}\n`);
    await expectRefused(['check', huge], /huge\.yaml: is 300 KiB; a plan file may be at most 256 KiB/);
    const bomb = join(dir, 'bomb.yaml');
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 20; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    writeFileSync(bomb, `${lines.join('\n')}\nlimits: {}\n`);
    await expectRefused(['check', bomb], /uses aliases too often/);
  });
});

/** What a law file gets, through `--law FILE`. */
const LAWS: Record<string, RegExp> = {
  'array.json': /\(law\): expected an object, got an array|expected an object/,
  'bom-invalid.json': /compute\.tokens: must be 0 or more, got -1/,
  'comments.json': /is not valid JSON \(Unexpected token '\/'\)/,
  'control-characters.json': /compute\.paramsTokens: must be greater than 0/,
  'duplicate-keys.json': /is not accepted: line 1, column \d+: duplicate key "paramsTokens"/,
  'empty.json': /law file [^ ]*empty\.json is empty/,
  'exponent-out-of-range.json': /allocation\.params\.exponent: must be between 0 and 1 \(exclusive\), got 1\.5/,
  'huge-number.json': /compute\.paramsTokens: expected a number, got Infinity/,
  'infinity-literal.json': /is not valid JSON/,
  'invalid-utf8.json': /is not valid UTF-8 text/,
  'missing-compute.json': /compute: missing/,
  'nan-literal.json': /is not valid JSON/,
  'negative.json': /allocation\.params\.coefficient: must be greater than 0/,
  'null.json': /\(law\): expected an object, got null|expected an object/,
  'overflowing-law.json': /too large to represent/,
  'prototype.json': /__proto__: unknown key/,
  'string.json': /expected an object, got "hunyuan"/,
  'strings-for-numbers.json': /compute\.paramsTokens: expected a number, got "9\.59"/,
  'trailing-garbage.json': /is not valid JSON \(line 1, column \d+: Unexpected non-whitespace character after JSON\)/,
  'truncated.json': /is not valid JSON/,
  'underflowing-law.json': /Dopt \/ Nopt is too small to represent \(it rounds to 0\)/,
  'unknown-keys.json': /extra: unknown key/,
  'whitespace.json': /is empty/,
  'zero-coefficient.json': /compute\.paramsTokens: must be greater than 0/,
};

describe('hostile law files (--law FILE)', () => {
  it('every law in the corpus has an expected message', () => {
    expect(files('laws')).toEqual(Object.keys(LAWS).sort());
  });

  it.each(Object.entries(LAWS))('%s', async (name, message) => {
    const path = join(FIXTURES, 'laws', name);
    const r = await expectRefused(['optimal', '--cmin', '3e24', '--law', path], message);
    expect(r.stderr).toMatch(/^error: (?:--law: )?/);
    // And in a plan, relative to the plan file.
    const plan = join(dir, 'law-plan.yaml');
    writeFileSync(
      plan,
      `law: ${JSON.stringify(path)}\nmodel: { activatedParams: 52B }\ntraining: { tokens: 7T, batchTokens: 32M, criticalBatchTokens: 64M }\nlimits: { paramsVsOptimal: { within: 15% } }\n`,
    );
    const c = await runRecorded(['check', plan], { cwd: dir });
    expectSane(['check', plan], c);
    expect(c.code).toBe(2);
  });

  it('deep nesting and files over the size limit, generated', async () => {
    const deep = join(dir, 'deep-law.json');
    writeFileSync(
      deep,
      `{"name": "x", "source": "y", "compute": {"paramsTokens": 6, "tokens": 0}, "metadata": {"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
    );
    await expectRefused(['optimal', '--cmin', '3e24', '--law', deep], /line 1, column \d+: nested more than 64 levels deep/);
    const big = join(dir, 'big-law.json');
    writeFileSync(big, `{"name": "x", "source": "${'y'.repeat(2 * 1024 * 1024)}", "compute": {"paramsTokens": 6, "tokens": 0}}`);
    await expectRefused(['budget', '--params', '1B', '--tokens', '1T', '--law', big], /big-law\.json is 2049 KiB; at most 1024 KiB is read/);
    await expectRefused(['budget', '--params', '1B', '--tokens', '1T', '--law', 'examples'], /--law: cannot read law file examples \(a directory\)/);
    await expectRefused(['budget', '--params', '1B', '--tokens', '1T', '--law', 'constructor'], /--law: unknown law "constructor"/);
    await expectRefused(['budget', '--params', '1B', '--tokens', '1T', '--law', '__proto__'], /--law: unknown law "__proto__"/);
  });
});

/** What `moeplan arch --config FILE` says about each hostile config. */
const CONFIGS: Record<string, RegExp> = {
  'array.json': /a config must be a JSON object, got an array/,
  'bom-crlf.json': /"vocab_size" \(vocabulary size\) must be at least 1, got -1/,
  'duplicate-keys.json': /is not accepted: line 1, column \d+: duplicate key "hidden_size"/,
  'empty.json': /is empty/,
  'fractional.json': /"num_attention_heads" \(query heads\) must be a whole number, got 4\.5/,
  'heads-not-dividing.json': /hidden_size 64 is not a multiple of num_attention_heads 7/,
  'huge-number.json': /"hidden_size" \(model width\) must be a number, got Infinity/,
  'invalid-utf8.json': /is not valid UTF-8 text/,
  'missing-size.json': /missing key "hidden_size"/,
  'model-type-constructor.json': /model_type "constructor" is not a family moeplan reads/,
  'model-type-object.json': /"model_type" must be text, got \{"x":\[1,\[2,\[3\]\]\]\}/,
  'model-type-proto.json': /model_type "__proto__" is not a family moeplan reads/,
  'nan-literal.json': /is not valid JSON/,
  'null.json': /a config must be a JSON object, got null/,
  'per-layer-list.json': /"intermediate_size" is a per-layer list \(\[128,128,/,
  'strings-for-numbers.json': /"hidden_size" \(model width\) must be a number, got "64"/,
  'truncated.json': /is not valid JSON/,
  'unsafe-integer.json': /"vocab_size" \(vocabulary size\) is too large/,
  'zero-negative.json': /"hidden_size" \(model width\) must be at least 1, got 0|"num_hidden_layers" \(layers\) must be at least 1, got -2/,
};

/** Configs that are read, with a note, and refused only under --strict. */
const STRICT_ONLY: Readonly<Record<string, RegExp>> = {
  'unknown-key.json': /unknown key "\\u001b\[2Jevil"/,
};

describe('hostile model configs (--config FILE)', () => {
  it('every config in the corpus has an expected message', () => {
    expect(files('configs')).toEqual([...Object.keys(CONFIGS), ...Object.keys(STRICT_ONLY)].sort());
  });

  it.each(Object.entries(STRICT_ONLY))('%s: a note, escaped; an error under --strict', async (name, message) => {
    const path = join(FIXTURES, 'configs', name);
    const r = await runRecorded(['arch', '--config', path], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\\u001b\[2Jevil" not known/);
    expect(r.stderr).not.toContain('\u001b');
    await expectRefused(['arch', '--config', path, '--strict'], message);
  });

  it.each(Object.entries(CONFIGS))('%s', async (name, message) => {
    const path = join(FIXTURES, 'configs', name);
    await expectRefused(['arch', '--config', path], message);
    await expectRefused(['budget', '--config', path, '--tokens', '7T', '--json'], message);
  });

  it('deep nesting and a file over the size limit, generated', async () => {
    const deep = join(dir, 'deep-config.json');
    writeFileSync(deep, `{"model_type": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    await expectRefused(['arch', '--config', deep], /nested more than 64 levels deep/);
    const big = join(dir, 'big-config.json');
    writeFileSync(big, `{"model_type": "llama", "x": "${'y'.repeat(1100 * 1024)}"}`);
    await expectRefused(['arch', '--config', big], /is 1101 KiB; at most 1024 KiB is read/);
    mkdirSync(join(dir, 'cfgdir'), { recursive: true });
    await expectRefused(['arch', '--config', 'cfgdir'], /--config: cannot read "cfgdir" \(a directory\)/);
  });
});

describe('columns that name the same field', () => {
  it('are an error in every reader of tables: batch CSV and JSON Lines, fit runs, lr --noise-from runs', async () => {
    writeFileSync(join(dir, 'lr-aliased.csv'), 'lr-max,lr_max,lrMax,batch,noise\n1e-3,2e-3,3e-3,1M,4M\n');
    await expectRefused(['lr', '--input', 'lr-aliased.csv'], /--input: line 1: columns "lr-max" and "lr_max" both name lr-max/);
    writeFileSync(join(dir, 'fit-aliased.csv'), 'params,Params,tokens,loss\n1B,2B,1T,3\n');
    await expectRefused(['fit', 'fit-aliased.csv'], /fit-aliased\.csv: line 1: columns "params" and "Params" both name params/);
    writeFileSync(join(dir, 'fit-aliased.jsonl'), '{"params": 1e9, "PARAMS": 2e9, "tokens": 1e12, "loss": 3}\n');
    await expectRefused(['fit', 'fit-aliased.jsonl'], /line 1: two keys name params/);
    writeFileSync(join(dir, 'noise-aliased.csv'), 'batch,Batch,steps\n1M,2M,1000\n');
    await expectRefused(
      ['lr', '--noise-from', 'noise-aliased.csv', '--batch', '1M', '--lr-max', '1e-3'],
      /--noise-from noise-aliased\.csv: line 1: columns "batch" and "Batch" both name batch/,
    );
  });
});

describe('files that cannot be read', () => {
  it.runIf(existsSync('/proc/self/mem'))('a plan whose read fails (EIO) is reported; the other plans are still checked', async () => {
    const argv = ['check', '/proc/self/mem', 'plan.yaml', '--json'];
    const r = await runRecorded(argv, { cwd: dir });
    expectSane(argv, r);
    expect(r.code).toBe(2);
    const plans = JSON.parse(r.stdout).plans;
    expect(plans.map((p: { file: string; passed: boolean }) => [p.file, p.passed])).toEqual([
      ['/proc/self/mem', false],
      ['plan.yaml', true],
    ]);
    expect(plans[0].error.message).toMatch(/\/proc\/self\/mem: cannot be read \(EIO\)/);
  });

  it('a loop of symbolic links is named as such, not "no such file", wherever a file is read', async () => {
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    const ELOOP = /too many levels of symbolic links \(ELOOP\)|cannot be read \(ELOOP\)/;
    for (const argv of [
      ['budget', '--input', 'loop-a'],
      ['fit', 'loop-a'],
      ['lr', '--noise-from', 'loop-a', '--batch', '1M', '--lr-max', '1e-3'],
      ['optimal', '--cmin', '3e24', '--law', './loop-a'],
      ['arch', '--config', 'loop-a'],
      ['check', 'loop-a'],
    ]) {
      const r = await expectRefused(argv, ELOOP);
      expect(`${r.stderr}${r.stdout}`, argv.join(' ')).not.toMatch(/no such file/);
    }
  });
});

describe('an intermediate value that overflows', () => {
  it('Cmin = C/(1 + B/Bcrit) with B/Bcrit beyond 1e308 is still computed; cmin says what overflowed, not "rounds to 0"', async () => {
    const { minimumCompute, flopsForMinimumCompute, minimumSteps } = await import('../../src/core/critical-batch.js');
    expect(minimumCompute(1e300, 1e300, 1e-10) / 1e-10).toBeCloseTo(1, 12);
    expect(flopsForMinimumCompute(1e-10, 1e300, 1e-10) / 1e300).toBeCloseTo(1, 12);
    expect(minimumSteps(1e300, 1e-10, 1e300) / 1e-10).toBeCloseTo(1, 12);
    expect(minimumCompute(3.4924e24, 32e6, 64e6)).toBeCloseTo(3.4924e24 / 1.5, -12);
    const r = await expectRefused(['cmin', '--flops', '1e300', '--batch', '1e300', '--bcrit', '1e-10'], /B \/ Bcrit is too large to represent/);
    expect(r.stderr).not.toMatch(/rounds to 0/);
  });
});

describe('values past what a flag can mean', () => {
  it('--seed above 2^32 − 1 is refused (the generator would fold it onto a smaller seed); --context above 2^53 − 1 too', async () => {
    for (const seed of ['4294967296', '1e20'])
      await expectRefused(['fit', 'runs.csv', '--seed', seed], /--seed: .* is out of range; expected a whole number from 0 to 4294967295/);
    const r = await expectRefused(
      ['arch', '--config', 'config.json', '--context', '1e300'],
      /--context: 1e300 is out of range; expected a whole number of tokens from 1 to 2\^53 − 1/,
    );
    expect(r.stderr.length).toBeLessThan(300);
    expect((await runRecorded(['arch', '--config', 'config.json', '--context', '256Ki'], { cwd: dir })).code).toBe(0);
  });
});
