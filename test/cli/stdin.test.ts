/** Every file argument accepts `-` for stdin, and messages name it "stdin". */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/core/laws/index.js';
import { runCli } from '../helpers/cli.js';

const plan = readFileSync('examples/plans/hunyuan-large.yaml', 'utf8');
const config = readFileSync('examples/configs/hunyuan-large.json', 'utf8');

describe('- reads stdin', () => {
  it('check -', async () => {
    const r = await runCli(['check', '-'], { stdin: plan });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^stdin {2}hunyuan-large-pretrain/m);
    const bad = await runCli(['check', '-'], { stdin: 'limits: {flops: {max: x}}\n' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error: stdin:1:18: limits\.flops\.max: "x" is not a number/);
  });

  it('--config -', async () => {
    const budget = await runCli(['budget', '--config', '-', '--tokens', '7T'], { stdin: config });
    expect(budget.code).toBe(0);
    expect(budget.stdout).toMatch(/52\.14B params/);
    expect(budget.stdout).toMatch(/activated parameters of stdin/);
    const arch = await runCli(['arch', '--config', '-'], { stdin: config });
    expect(arch.code).toBe(0);
    expect(arch.stdout).toMatch(/^Architecture · stdin /);
    const broken = await runCli(['arch', '--config', '-'], { stdin: '{' });
    expect(broken.stderr).toMatch(/--config: stdin /);
  });

  it('--law -', async () => {
    // A preset has the shape of a law file.
    const law = JSON.stringify(PRESETS.dense);
    const r = await runCli(['budget', '--law', '-', '--params', '52B', '--tokens', '7T'], { stdin: law });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const broken = await runCli(['budget', '--law', '-', '--params', '1B', '--tokens', '1T'], { stdin: '{' });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/--law: law file stdin is not valid JSON/);
  });

  it('says so when nothing is piped in', async () => {
    const r = await runCli(['budget', '--law', '-', '--params', '1B', '--tokens', '1T'], { stdin: '' });
    expect(r.code).toBe(2);
  });
});
