/**
 * User strings in every output format of `moeplan check`: for random plan names, file
 * names, law names and field values made of hostile pieces (control characters, newlines,
 * `::`, `%`, HTML, ESC and OSC sequences, Markdown links, mentions), no format emits a line
 * that starts a workflow command (other than moeplan's own annotations), a control
 * character, or raw HTML (beyond moeplan's own `<br>`). Seeded.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inlineCode, markdown, plain } from '../../src/cli/report/escape.js';
import { runCli } from '../helpers/cli.js';
import { sandbox } from './support.js';

const dir = sandbox('escaping');
const SCALE = Number(process.env.FUZZ_SCALE ?? '1') || 1;
const SEED_OFFSET = Number(process.env.FUZZ_SEED ?? '0') || 0;

const PIECES = [
  '\n',
  '\r',
  '\r\n',
  '\t',
  '::',
  ':',
  '%',
  '%0A',
  '::error::forged',
  '::add-mask::secret',
  '##[error]',
  '::set-output name=x::y',
  '<img src=x onerror=alert(1)>',
  '<!--',
  '-->',
  '<script>',
  '</details>',
  '&lt;',
  '\u001b[2J',
  '\u001b]52;c;aGk=\u0007',
  '\u001b]8;;https://e\u001b\\',
  '\u009b31m',
  '\u0085',
  '\u202e',
  '\u2028',
  '\u200b',
  '\ufeff',
  '\u0000',
  '\u007f',
  '@team',
  '@octocat',
  '#1',
  '# heading',
  '## ✅ all plans passed',
  '[x](https://evil.example)',
  '![i](x.png)',
  'https://evil.example',
  'www.evil.example',
  '`',
  '``',
  '|',
  '\\',
  '*',
  '_',
  '~~',
  '$x$',
  '- ',
  '1. ',
  '> ',
  'plan',
  'a',
  ' ',
  'ok',
  'é',
  '中',
];
const hostile = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
/** File names cannot hold `/` or NUL (and `\\` is shown as `/`). */
const fileName = hostile.map((s) => `${s.replace(/[/\\\u0000]/g, '_').slice(0, 120)}.json`);

const LAW = {
  source: 'test',
  compute: { paramsTokens: 9.59, tokens: 2.3e8 },
  allocation: {
    kind: 'power',
    budget: 'cmin',
    budgetUnitFlops: 1,
    params: { coefficient: 0.0059, exponent: 0.5305 },
    tokens: { coefficient: 3.2, exponent: 0.5 },
  },
};

/** moeplan's own annotation lines: every value in them escaped (no raw `:` or `,` in the properties). */
const OWN_ANNOTATION = /^::(?:error|warning) file=[^:,\n]*(?:,line=\d+,col=\d+)?,title=[^:,\n]*::|^::notice title=moeplan check::\d+ more/;
const COMMAND_LINE = /^[ \t]*(?:::|##\[)/;
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

function expectClean(text: string, where: string, options: { annotations?: boolean; markdown?: boolean } = {}): void {
  for (const line of text.split('\n')) {
    if (COMMAND_LINE.test(line)) {
      expect(options.annotations && OWN_ANNOTATION.test(line), `${where}: a line starts a workflow command:\n${line}`).toBe(true);
    }
  }
  expect(CONTROL.exec(text)?.[0], `${where}: a raw control character in\n${JSON.stringify(text).slice(0, 2000)}`).toBeUndefined();
  if (options.markdown) {
    // Inside a code span nothing is markup (the span cannot end early: see inlineCode).
    const html = text.replace(/<br>/g, '').replace(/(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
    expect(html, `${where}: raw HTML`).not.toMatch(/<[A-Za-z!/?]/);
    expect(html, `${where}: a mention`).not.toMatch(/@[A-Za-z0-9]/);
    expect(html, `${where}: a link`).not.toMatch(/(?<!\\)\[|(?<!&#8203;):\/\/|www\./i);
    expect(html, `${where}: a heading`).not.toMatch(/\n#{1,6} (?!(?:❌|✅|⚠️) )/);
  }
}

describe('no output format lets a user string out unescaped (property, seeded)', () => {
  it('plan names, file names, law names and field values through text, json, markdown and github', async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(hostile, fileName, hostile, hostile, fc.boolean(), async (name, file, lawName, value, broken) => {
        const case_ = join(dir, `case-${count++}`);
        mkdirSync(case_, { recursive: true });
        writeFileSync(join(case_, 'law.json'), JSON.stringify({ name: lawName, ...LAW }));
        const plan = {
          name,
          law: './law.json',
          model: { activatedParams: '52B' },
          training: { tokens: broken ? value : '7T', batchTokens: '32M', criticalBatchTokens: '64M' },
          limits: { flops: { max: 1e24 }, paramsVsOptimal: { within: '15%' }, ...(broken ? { [value]: { max: 1 } } : {}) },
        };
        writeFileSync(join(case_, file), JSON.stringify(plan, null, 1));
        const summary = join(case_, 'summary.md');
        writeFileSync(summary, '');
        for (const format of ['text', 'json', 'markdown', 'github']) {
          const r = await runCli(['check', '--format', format, '--', file], { cwd: case_, env: { GITHUB_STEP_SUMMARY: summary } });
          expect([1, 2]).toContain(r.code);
          expectClean(r.stdout, `${format} stdout`, { annotations: format === 'github', markdown: format === 'markdown' });
          expectClean(r.stderr, `${format} stderr`);
          if (format === 'json') {
            const document = JSON.parse(r.stdout);
            expect(document.plans[0].file).toBe(file);
            if (!broken) expect([document.plans[0].name, document.plans[0].law]).toEqual([name, lawName]);
          }
        }
        expectClean(readFileSync(summary, 'utf8'), 'step summary', { markdown: true });
      }),
      { seed: 12 + SEED_OFFSET, numRuns: Math.round(15 * SCALE) },
    );
  });

  it('an argument commander refuses is quoted escaped', async () => {
    const r = await runCli(['check', '-x\n::error::forged\u001b]52;c;aGk=\u0007', 'plan.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expectClean(r.stderr, 'stderr');
  });

  it('the escapes keep the text readable: plain, markdown and code spans', () => {
    expect(plain('ok\n::error::x\u001b[2J')).toBe('ok\\u000a:\\u003aerror:\\u003ax\\u001b[2J');
    expect(plain('##[error]')).toBe('#\\u0023[error]');
    expect(markdown('<img src=x> @team #1 [a](b) www.x.org https://y')).toBe(
      '&lt;img src=x&gt; @&#8203;team #&#8203;1 \\[a\\](b) www&#8203;.x.org https&#8203;://y',
    );
    expect(markdown('- item')).toBe('\\- item');
    expect(markdown('2. item')).toBe('2\\. item');
    expect(markdown('a | b')).toBe('a \\| b');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('a|b', true)).toBe('`a\\|b`');
  });
});
