/**
 * Help for a new user: the usage line, then pasteable examples (which run from any
 * directory), the options, and the exit codes that command really has.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { COMPUTE_MODEL_LAWS, PRESET_LIST } from '../../src/core/laws/index.js';
import { runCli } from '../helpers/cli.js';

/** Help text with its line wrapping undone, to match phrases. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('help', () => {
  it('puts the usage line first, then the examples', async () => {
    for (const argv of [['budget', '--help'], ['check', '--help'], ['--help']]) {
      const lines = (await runCli(argv)).stdout.split('\n');
      expect(lines[0], argv.join(' ')).toMatch(/^Usage: moeplan/);
      expect(lines[1]).toBe('');
      expect(lines[2]).toBe('Examples:');
      expect(lines[3]).toMatch(/^ {2}\$ moeplan /);
    }
  });

  it('lists exit code 1 only where a check can fail, and 70 everywhere', async () => {
    const budget = (await runCli(['budget', '--help'])).stdout;
    expect(budget).not.toMatch(/a check failed/);
    expect(budget).toMatch(/^ {2}70 {2}a bug in moeplan/m);
    const check = (await runCli(['check', '--help'])).stdout;
    expect(check).toMatch(/^ {2}1 {3}a check failed$/m);
    expect(check).toMatch(/^ {2}70 {2}a bug in moeplan/m);
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}70 {2}a bug in moeplan/m);
  });

  it('mentions batch mode for --json only on commands that have --input', async () => {
    expect(flat((await runCli(['budget', '--help'])).stdout)).toContain('(batch mode: one per line)');
    for (const command of ['arch', 'laws', 'schema', 'check', 'fit']) {
      expect(flat((await runCli([command, '--help'])).stdout), command).not.toContain('batch mode');
    }
  });

  it('shows the shipped examples folder where the working directory has none, so examples run as shown', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'moeplan-help-'));
    const examplesDir = resolve('examples');
    let stdout = '';
    const sink = {
      write: (s: string | Uint8Array) => {
        stdout += typeof s === 'string' ? s : Buffer.from(s).toString('latin1');
        return true;
      },
    };
    const code = await run(['--help'], { stdout: sink, stderr: sink, stdin: Readable.from([]), env: {}, cwd: elsewhere, examplesDir });
    expect(code).toBe(0);
    const line = stdout.split('\n').find((l) => l.includes('moeplan check '));
    expect(line).toContain(`moeplan check ${examplesDir}/plans/hunyuan-large.yaml`);
    // In a checkout (examples/ here), the short relative path.
    expect((await runCli(['--help'])).stdout).toContain('$ moeplan check examples/plans/hunyuan-large.yaml');
    const pasted = await runCli(['check', `${examplesDir}/plans/hunyuan-large.yaml`], { cwd: elsewhere });
    expect(pasted.code).toBe(0);
  });
});

describe('messages that point at the slip', () => {
  it('suggests the law a misspelled name was meant to be', async () => {
    const r = await runCli(['optimal', '--cmin', '3e24', '--law', 'chinchila']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown law "chinchila"/);
    expect(r.stderr).toMatch(/hint: did you mean "chinchilla"\?/);
  });

  it('names a stray argument, and how to write a value with a space in it', async () => {
    const r = await runCli(['budget', '--tokens', '7', 'T', '--params', '52B']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/too many arguments/);
    expect(r.stderr).toMatch(/error: unexpected argument "T" after --tokens 7: a value is one word; write --tokens 7T/);
    const alone = await runCli(['cmin', 'oops', '--flops', '1e24']);
    expect(alone.stderr).toMatch(/unexpected argument "oops"/);
  });

  it('notes values that are almost surely a unit slip, and still computes', async () => {
    const params = await runCli(['budget', '--params', '52', '--tokens', '7T']);
    expect(params.code).toBe(0);
    expect(params.stderr).toMatch(/warning: --params 52 is 52 parameters; for 52 billion write 52B/);
    const batch = await runCli(['cmin', '--flops', '1e24', '--batch', '1024', '--bcrit', '64M']);
    expect(batch.code).toBe(0);
    expect(batch.stderr).toMatch(
      /warning: --batch 1024 is 1024 tokens per step: a batch is counted in tokens, not sequences \(1024 sequences of 4096 tokens is --batch 4\.194M\)/,
    );
    expect((await runCli(['lr', '--batch', '512', '--noise', '16M', '--lr-max', '3e-4'])).stderr).toMatch(/--batch 512 is 512 tokens per step/);
    // Real values give no note.
    expect((await runCli(['budget', '--params', '52B', '--tokens', '7T'])).stderr).toBe('');
  });
});

it('the law lists in --help come from the registry (budget: the compute models; cmin: the laws with a critical batch)', async () => {
  const help = async (command: string) => (await runCli([command, '--help'])).stdout.replace(/\s+/g, ' ');
  const budget = await help('budget');
  for (const law of COMPUTE_MODEL_LAWS) expect(budget).toMatch(new RegExp(`compute model: .*\\b${law.name} \\(`));
  const cmin = await help('cmin');
  const withBcrit = PRESET_LIST.filter((law) => law.criticalBatch).map((law) => law.name);
  expect(withBcrit.length).toBeGreaterThan(1);
  for (const name of withBcrit) expect(cmin).toMatch(new RegExp(`critical-batch law: .*\\b${name}\\b`));
});
