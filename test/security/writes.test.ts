/**
 * Output files (fit --out and --plot, $GITHUB_STEP_SUMMARY): written atomically (a failed
 * or concurrent write leaves the old file or a whole new one, never part of one), and an
 * output is never one of the inputs or another output.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendFileAtomic, writeFileAtomic } from '../../src/io/output-file.js';
import { runCli } from '../helpers/cli.js';
import { bin, built } from '../helpers/loaded.js';
import { REPO, sandbox } from './support.js';

const dir = sandbox('writes');
cpSync(join(REPO, 'examples/fit/runs.csv'), join(dir, 'mine.csv'));
const RUNS = readFileSync(join(dir, 'mine.csv'), 'utf8');
const fitRuns = (...args: string[]) => runCli(['fit', 'mine.csv', '--bootstrap', '0', ...args], { cwd: dir });

describe('fit never writes over its own input or one output over the other', () => {
  it('--out equal to the runs file, also through a link or another spelling, is refused and the runs are kept', async () => {
    symlinkSync(join(dir, 'mine.csv'), join(dir, 'link.csv'));
    for (const out of ['mine.csv', './mine.csv', join(dir, 'mine.csv'), 'link.csv']) {
      const r = await fitRuns('--out', out);
      expect(r.code, out).toBe(2);
      expect(r.stderr).toMatch(/^error: --out: .* is also read as the runs file/);
    }
    expect(readFileSync(join(dir, 'mine.csv'), 'utf8')).toBe(RUNS);
  });

  it('--out X --plot X is refused before anything is written, and nothing claims "Wrote"', async () => {
    const r = await fitRuns('--out', 'same.json', '--plot', 'same.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--plot: same\.json is also written by --out/);
    expect(r.stdout).not.toMatch(/Wrote/);
    expect(readdirSync(dir)).not.toContain('same.json');
  });

  it('a --plot that fails after the law was written says so', async () => {
    const r = await fitRuns('--out', 'written.json', '--plot', 'no-such-dir/fit.svg');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--plot: cannot write .*no-such-dir\/fit\.svg \(ENOENT\); the previous file, if any, is unchanged; the law was written to written\.json/,
    );
    expect(JSON.parse(readFileSync(join(dir, 'written.json'), 'utf8')).compute).toBeDefined();
  });
});

describe('atomic writes', () => {
  it('a write that fails leaves the old file whole and no temporary file behind', async () => {
    writeFileSync(join(dir, 'old.json'), '{"old": true}\n');
    mkdirSync(join(dir, 'target-dir/inside'), { recursive: true });
    await expect(writeFileAtomic(join(dir, 'target-dir'), 'x', '--out')).rejects.toThrow(
      /--out: cannot write .*target-dir \(EISDIR\); the previous file, if any, is unchanged/,
    );
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await appendFileAtomic(join(dir, 'old.json'), 'more\n', '$GITHUB_STEP_SUMMARY');
    expect(readFileSync(join(dir, 'old.json'), 'utf8')).toBe('{"old": true}\nmore\n');
  });

  it('a file size limit hit mid-write (as a full disk) leaves the previous law intact', () => {
    expect(built, 'npm run build first').toBe(true);
    writeFileSync(join(dir, 'law.json'), '{"old": true}\n');
    // ulimit -f 1: at most 512 bytes per file; the law is larger, so the write fails part-way (EFBIG).
    const r = spawnSync('sh', ['-c', `ulimit -f 1; exec "${process.execPath}" "${bin}" fit mine.csv --bootstrap 0 --out law.json`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out: cannot write .*law\.json \(EFBIG\); the previous file, if any, is unchanged/);
    expect(readFileSync(join(dir, 'law.json'), 'utf8')).toBe('{"old": true}\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('concurrent writers of one law file leave one whole law', async () => {
    expect(built, 'npm run build first').toBe(true);
    const once = (name: string) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [bin, 'fit', 'mine.csv', '--bootstrap', '0', '--name', name, '--out', 'shared.json'], {
          cwd: dir,
          stdio: 'ignore',
        });
        child.on('close', (code) => resolve(code ?? -1));
      });
    for (let trial = 0; trial < 2; trial++) {
      const codes = await Promise.all([once('first'), once('second'), once('third')]);
      expect(codes).toEqual([0, 0, 0]);
      const law = JSON.parse(readFileSync(join(dir, 'shared.json'), 'utf8'));
      expect(['first', 'second', 'third']).toContain(law.name);
    }
  });

  it('the job summary is appended atomically: the earlier steps kept, the report added', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCli(['check', 'plan.yaml', '--format', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(0);
    expect(readFileSync(summary, 'utf8')).toMatch(/^# earlier step\n## ✅ moeplan check/);
    const missing = await runCli(['check', 'plan.yaml', '--format', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: join(dir, 'no-dir/summary.md') } });
    expect(missing.stderr).toMatch(/warning: \$GITHUB_STEP_SUMMARY: cannot write .*no-dir\/summary\.md \(ENOENT\)/);
  });
});

describe('standard output that fails', () => {
  // the built binary, spawned: a failing build would otherwise pass as skipped
  beforeAll(() => expect(built, 'npm run build first').toBe(true));
  const shell = (script: string) =>
    spawnSync('bash', ['--noprofile', '--norc', '-c', `set -o pipefail; ${script}`], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', M: bin, NODE: process.execPath },
    });

  it('a full disk (> /dev/full) is a clear error with exit 2, no stack trace', () => {
    const r = shell('"$NODE" "$M" budget --params 52B --tokens 7T > /dev/full');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: cannot write to standard output \(ENOSPC\)/);
    expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });

  it('a batch whose reader closes the pipe keeps its exit code: an error row already written is exit 2', () => {
    writeFileSync(join(dir, 'err-first.csv'), `params,tokens\nx,7T\n${'52B,7T\n'.repeat(20_000)}`);
    const r = shell('"$NODE" "$M" budget --input err-first.csv | head -2');
    expect(r.stdout.split('\n')[1]).toMatch(/line 2: params/);
    expect(r.status).toBe(2);
    const good = shell('"$NODE" "$M" budget --input grid.csv | head -1');
    expect(good.status).toBe(0);
  });
});
