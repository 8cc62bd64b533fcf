import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planJsonSchema } from '../../src/io/plan-schema.js';
import { json, runCli } from '../helpers/cli.js';

const HUNYUAN = 'examples/plans/hunyuan-large.yaml';
const FAILING = 'examples/plans/over-budget.yaml';
const dir = mkdtempSync(join(tmpdir(), 'moeplan-check-'));

/** 1-based line of the first line of a file containing `text`. */
function lineOf(file: string, text: string): number {
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1
  );
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('moeplan check: exit codes', () => {
  it('0 when all pass, warnings allowed (SPEC §5 example)', async () => {
    const r = await runCli(['check', HUNYUAN]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/note: .*extrapolation/); // Cmin 2.33e24 is far above the fitted 1e18–1e21
    expect(r.stderr).toBe(''); // the notes are in the report, not repeated on stderr
  });

  it('1 when a check fails; --no-exit-code reports without failing', async () => {
    expect((await runCli(['check', FAILING])).code).toBe(1);
    const r = await runCli(['check', FAILING, '--no-exit-code']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/FAIL/);
  });

  it('--strict turns the warning into a failure', async () => {
    const r = await runCli(['check', HUNYUAN, '--strict']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+tokensVsOptimal/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/strict/);
  });

  it('2 when a plan cannot be read, even if the others pass or fail; the others are still checked', async () => {
    const bad = write('bad.yaml', 'training:\n  tokens: 7X\nlimits: {}\n');
    const r = await runCli(['check', HUNYUAN, bad, FAILING, '--no-exit-code']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2:3: training.tokens: "7X" has an unknown suffix "X"`);
    expect(r.stdout).toMatch(/hunyuan-large-pretrain/);
    expect(r.stdout).toMatch(/moe-20b-overtrained/);
  });

  it('2 for usage errors: no plan, an unknown format, --json with another format', async () => {
    expect((await runCli(['check'])).code).toBe(2);
    expect((await runCli(['check', HUNYUAN, '--format', 'xml'])).code).toBe(2);
    const r = await runCli(['check', HUNYUAN, '--json', '--format', 'markdown']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--json and --format markdown/);
  });
});

describe('moeplan check: text', () => {
  it('puts failures first, with actual, limit, how far off and a hint; the summary line last', async () => {
    const r = await runCli(['check', HUNYUAN, FAILING]);
    const lines = r.stdout.trimEnd().split('\n');
    // The failing plan is shown first, its failures first.
    expect(lines[0]).toMatch(/^examples\/plans\/over-budget\.yaml/);
    expect(lines[2]).toMatch(/^\s+FAIL\s+flops\s+3\.8406e24 FLOPs\s+≤ 3e24 FLOPs\s+28% over/);
    expect(lines[3]).toMatch(/hint: at 20B params at most 15\.62T tokens fit/);
    expect(lines[4]).toMatch(/FAIL\s+batchVsCritical\s+8\.682\s+≤ 1\s+768% over/);
    const warn = lines.find((l) => /WARN\s+tokensVsOptimal/.test(l));
    expect(warn).toMatch(/\+43\.4%\s+±30%\s+13\.4 pts outside\s+7T tokens vs Dopt 4\.883T at Cmin 2\.328e24/);
    expect(lines.at(-1)).toBe('✗ failed: 1 of 2 plans passed (1 failed) · 12 checks: 9 passed, 1 warning, 2 failed, 0 skipped');
  });

  it('the report of both example plans (snapshot)', async () => {
    const r = await runCli(['check', HUNYUAN, FAILING]);
    expect(r.stdout).toMatchSnapshot();
  });

  it('says so when a plan sets no limits', async () => {
    const r = await runCli(['check', write('empty-limits.yaml', 'limits: {}\n')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no limits set: nothing checked/);
    expect(r.stderr).toBe('');
  });

  it('reports checks without inputs as skipped, with the reason', async () => {
    const plan = write('skips.yaml', 'model: { activatedParams: 7B }\ntraining: { tokens: 1T }\nlimits:\n  flops: { max: 1e23 }\n  days: { max: 30 }\n');
    const r = await runCli(['check', plan]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skip\s+days\s+–\s+≤ 30 days\s+skipped: needs hardware\.gpu \(or hardware\.peakFlops\), hardware\.mfu and hardware\.count/);
    expect(r.stdout).toMatch(/1 passed, 0 warnings, 0 failed, 1 skipped/);
  });

  it('a plan whose every check is skipped says "0 of N checks ran", and fails with --fail-on-skip or --strict', async () => {
    const plan = write(
      'all-skipped.yaml',
      'model: { activatedParams: 7B }\nlimits:\n  flops: { max: 1e23 }\n  days: { max: 30 }\n  cost: { max: 1M, level: off }\n',
    );
    const plain = await runCli(['check', plan]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(/✓ passed/);
    expect(plain.stdout.trimEnd().split('\n').at(-1)).toBe(
      '! nothing checked: 1 of 1 plan passed · 0 of 3 checks ran: 0 passed, 0 warnings, 0 failed, 3 skipped',
    );
    for (const flag of ['--fail-on-skip', '--strict']) {
      const r = await runCli(['check', plan, flag]);
      expect(r.code, flag).toBe(1);
      expect(r.stdout, flag).toMatch(/✗ failed: 0 of 1 plan passed \(1 failed\) · 0 of 3 checks ran/);
      const doc = json(await runCli(['check', plan, flag, '--json']));
      expect(doc).toMatchObject({ passed: false, failOnSkip: true, checksRan: false });
      expect((await runCli(['check', plan, flag, '--format', 'markdown'])).stdout).toMatch(/^## ❌ moeplan check/);
    }
    expect((await runCli(['check', plan, '--format', 'markdown'])).stdout).toMatch(/\*\*Nothing checked:\*\* /);
    // A check turned off by the plan is its own decision: never a failure.
    const off = write(
      'off-only.yaml',
      'model: { activatedParams: 7B }\ntraining: { tokens: 1T }\nlimits:\n  flops: { max: 1e23 }\n  cost: { max: 1M, level: off }\n',
    );
    expect((await runCli(['check', off, '--fail-on-skip'])).code).toBe(0);
  });

  it('colours only on a terminal', async () => {
    expect((await runCli(['check', FAILING])).stdout).not.toMatch(/\u001b\[/);
    expect((await runCli(['check', FAILING], { tty: true })).stdout).toMatch(/\u001b\[/);
  });
});

describe('moeplan check: json', () => {
  it('one document with passed and checks [{ id, status, actual, limit }] as numbers, and per-plan detail', async () => {
    const r = await runCli(['check', HUNYUAN, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'check', passed: true });
    const checks = doc.checks as Array<{ id: string; status: string; actual: number; limit: number }>;
    expect(checks.map((c) => c.id)).toEqual(['flops', 'paramsVsOptimal', 'tokensVsOptimal', 'batchVsCritical', 'expertLr', 'days']);
    for (const c of checks) {
      expect(typeof c.actual).toBe('number');
      expect(typeof c.limit).toBe('number');
    }
    const tokens = checks.find((c) => c.id === 'tokensVsOptimal')!;
    expect(tokens.status).toBe('warn');
    expect(tokens.limit).toBe(0.3);
    const plan = (doc.plans as Array<Record<string, unknown>>)[0]!;
    expect(plan).toMatchObject({ file: HUNYUAN, name: 'hunyuan-large-pretrain', law: 'hunyuan', passed: true });
    expect((plan.inputs as { training: { tokens: number } }).training.tokens).toBe(7e12);
    expect((plan.derived as { extrapolation: boolean }).extrapolation).toBe(true);
    expect(Number((plan.derived as { cmin: number }).cmin.toPrecision(3))).toBe(2.33e24);
  });

  it('--json is --format json', async () => {
    const a = await runCli(['check', HUNYUAN, FAILING, '--json']);
    const b = await runCli(['check', HUNYUAN, FAILING, '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.code).toBe(1);
    expect(json(a).passed).toBe(false);
  });

  it('unreadable plans appear with their problems; stdout stays one document', async () => {
    const bad = write('bad.json', '{ "limits": { "flops": { "max": "lots" } } }');
    const r = await runCli(['check', bad, '--json']);
    expect(r.code).toBe(2);
    const plan = (json(r).plans as Array<{ error: { problems: Array<{ field: string; line: number }> } }>)[0]!;
    expect(plan.error.problems[0]).toMatchObject({ field: 'limits.flops.max', line: 1 });
  });
});

describe('moeplan check: markdown', () => {
  it('a table per plan for a pull-request comment', async () => {
    const r = await runCli(['check', HUNYUAN, FAILING, '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatchSnapshot();
  });

  it('escapes pipes in cells', async () => {
    const plan = write('pipe.yaml', 'name: "a | b"\nlimits: {}\n');
    const r = await runCli(['check', plan, '--format', 'markdown']);
    expect(r.stdout).toContain('a \\| b');
  });
});

describe('moeplan check: github', () => {
  it('annotates failures and warnings at the line of their limit, and appends the table to $GITHUB_STEP_SUMMARY', async () => {
    const summary = write('summary.md', '# earlier step\n');
    const r = await runCli(['check', HUNYUAN, FAILING, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(3);
    expect(annotations[0]).toMatch(
      new RegExp(
        `^::error file=examples/plans/over-budget\\.yaml,line=${lineOf(FAILING, 'flops:')},col=3,title=moeplan check%3A flops::training compute: 3\\.8406e24 FLOPs`,
      ),
    );
    expect(annotations[1]).toMatch(new RegExp(`^::error file=examples/plans/over-budget\\.yaml,line=${lineOf(FAILING, 'batchVsCritical:')},`));
    expect(annotations[2]).toMatch(new RegExp(`^::warning file=examples/plans/hunyuan-large\\.yaml,line=${lineOf(HUNYUAN, 'tokensVsOptimal:')},col=3,`));
    expect(annotations[2]).toContain('+43.4%25 against ±30%25'); // % escaped in the message
    expect(annotations[2]).toContain('%0Ahint: '); // a line break in the message
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('# earlier step\n## ❌ moeplan check')).toBe(true);
    expect(written).toContain('| ❌ fail | `flops` |');
  });

  it('annotates at most 10 errors, and says how many were left out', async () => {
    const limits =
      'limits:\n  flops: { max: 1 }\n  gpuHours: { max: 1 }\n  days: { max: 1 }\n  cost: { max: 1 }\n  batchVsCritical: { max: 0.01 }\n  tokensVsOptimal: { within: 1% }\n';
    const body =
      'model: { activatedParams: 52B }\ntraining: { tokens: 7T, batchTokens: 32M, criticalBatchTokens: 64M }\nhardware: { gpu: h100, count: 8, mfu: 0.4, price: 2 }\n';
    const a = write('many-a.yaml', body + limits);
    const b = write('many-b.yaml', body + limits);
    const r = await runCli(['check', a, b, '--format', 'github'], { cwd: dir });
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(10);
    expect(r.stdout).toContain('::notice title=moeplan check::2 more errors not annotated');
    expect(errors[0]).toMatch(/^::error file=many-a\.yaml,line=5,/);
  });

  it('an unreadable plan is an error annotation at the line and column of the problem', async () => {
    const bad = write('bad-gh.yaml', 'name: x\nlimits:\n  flops: { max: 4e24, lvl: warn }\n');
    const r = await runCli(['check', bad, '--format', 'github'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /^::error file=bad-gh\.yaml,line=3,col=23,title=moeplan check%3A limits\.flops\.lvl::limits\.flops\.lvl: unknown key%0Ahint: did you mean "level"\?/m,
    );
  });
});

describe('moeplan schema', () => {
  it('prints the JSON Schema generated from the validator', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(planJsonSchema());
    // A published artifact: a change to it should be deliberate.
    expect(r.stdout).toMatchSnapshot();
  });

  it('help starts with pasteable examples', async () => {
    for (const command of ['check', 'schema']) {
      const r = await runCli([command, '--help']);
      expect(r.stdout.split('\n')[0]).toMatch(/^Usage: moeplan /);
      expect(r.stdout.split('\n')[2]).toBe('Examples:');
      expect(r.stdout.split('\n')[3]).toMatch(/^ {2}\$ moeplan /);
    }
  });
});

describe('moeplan check: memory per GPU', () => {
  it('checks examples/plans/hunyuan-large-memory.yaml: the layout fits with 10% of each H100 free', async () => {
    const r = await runCli(['check', 'examples/plans/hunyuan-large-memory.yaml', '--json']);
    expect(r.code).toBe(0);
    const doc = json(r);
    const finding = (doc.checks as Array<{ id: string; status: string; actual: number; limit: number }>)[0];
    expect(finding).toMatchObject({ id: 'memoryPerGpu', status: 'pass', limit: 0.9 * 80 * 2 ** 30 });
    const text = await runCli(['check', 'examples/plans/hunyuan-large-memory.yaml']);
    expect(text.stdout).toMatch(/pass\s+memoryPerGpu\s+51\.07 GiB\s+≤ 72 GiB/);
  });
});
