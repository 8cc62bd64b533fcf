/**
 * A plan's notes (extrapolation, C from the architecture, unknown model.config keys, a law
 * made for the other kind of model) are written once per output: in the report for text,
 * markdown and github, in `notes` for --json; never repeated on stderr.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'moeplan-check-notes-'));
const odd = JSON.parse(readFileSync('examples/configs/mixtral-8x7b.json', 'utf8'));
writeFileSync(join(dir, 'odd.json'), JSON.stringify({ ...odd, made_up_flag: 1 }));
copyFileSync('examples/configs/llama-3-8b.json', join(dir, 'llama.json'));

function plan(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const ARCH = 'examples/plans/llama-3-8b-arch.yaml';
const UNKNOWN = plan('unknown.yaml', 'name: odd\nlaw: chinchilla\nmodel: { config: odd.json }\ntraining: { tokens: 1T }\nlimits:\n  flops: { max: 1e25 }\n');
const MISMATCH = plan(
  'mismatch.yaml',
  'name: dense\nlaw: hunyuan\nmodel: { config: llama.json }\ntraining: { tokens: 15T }\nlimits:\n  flops: { max: 1e25 }\n',
);
const NO_LIMITS = plan('no-limits.yaml', 'name: bare\nlaw: chinchilla\nmodel: { config: odd.json }\ntraining: { tokens: 1T }\nlimits: {}\n');

const CASES: readonly (readonly [string, string, RegExp])[] = [
  ['extrapolation', ARCH, /law chinchilla was fitted on C 6e18–3e21 FLOPs; 7\.721e23 is extrapolation/g],
  ['C from the architecture', ARCH, /C counted from the architecture of \.\.\/configs\/llama-3-8b\.json/g],
  ['an unknown model.config key', UNKNOWN, /key "made_up_flag" not known for a mixtral config/g],
  ['a dense config under an MoE law', MISMATCH, /law hunyuan was made for MoE models and this is a dense model/g],
  ['an unknown key in a plan without limits', NO_LIMITS, /key "made_up_flag" not known for a mixtral config/g],
];

/** Markdown escapes punctuation (\_, \.): counted without the backslashes. */
const count = (text: string, pattern: RegExp) => (text.replace(/\\/g, '').match(pattern) ?? []).length;

describe('moeplan check: each note once', () => {
  for (const [what, file, note] of CASES) {
    it(`${what}: once in the text and markdown reports, in notes for --json, never on stderr`, async () => {
      for (const format of ['text', 'markdown'] as const) {
        const r = await runCli(['check', file, '--format', format]);
        expect(r.code, r.stderr).toBe(0);
        expect(count(r.stdout, note), `${format} stdout`).toBe(1);
        expect(r.stderr, `${format} stderr`).toBe('');
      }
      const r = await runCli(['check', file, '--json']);
      expect(r.stderr).toBe('');
      const notes = ((json(r).plans as { notes?: string[] }[])[0]?.notes ?? []).join('\n');
      expect(count(notes, note)).toBe(1);
    });
  }

  it('--format github: the note once in the log and once in the job summary, not as an annotation', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const r = await runCli(['check', UNKNOWN, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code, r.stderr).toBe(0);
    const note = /key "made_up_flag" not known/g;
    expect(count(r.stdout, note)).toBe(1);
    expect(r.stdout).not.toMatch(/^::/m);
    expect(r.stderr).toBe('');
    expect(count(readFileSync(summary, 'utf8'), note)).toBe(1);
  });

  it('a plan without limits says so once, in the report', async () => {
    const r = await runCli(['check', NO_LIMITS]);
    expect(count(r.stdout, /no limits set/gi)).toBe(1);
    expect(r.stderr).toBe('');
  });
});

describe('moeplan check --strict: an unknown model.config key', () => {
  it('makes the plan unreadable (exit 2, even with --no-exit-code), not a failed check; the other plans are still checked', async () => {
    const other = 'examples/plans/hunyuan-large.yaml';
    const r = await runCli(['check', UNKNOWN, other, '--strict', '--no-exit-code']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: .*unknown\.yaml.*model\.config: .*unknown key "made_up_flag" for a mixtral config/);
    expect(r.stdout).toMatch(/unknown\.yaml\s+could not be read\n\s+ERROR /);
    expect(r.stdout).toMatch(/1 could not be read/);
    const doc = json(await runCli(['check', UNKNOWN, other, '--strict', '--json']));
    const plans = doc.plans as { file: string; error?: { code: string }; passed?: boolean }[];
    expect(plans[0]?.error).toBeDefined();
    expect(plans[1]?.error).toBeUndefined();
    const help = await runCli(['check', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/an unknown model\.config key makes it unreadable \(exit 2\)/);
  });
});
