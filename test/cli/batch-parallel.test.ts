import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/moeplan.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/batch-worker.js', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'moeplan-parallel-'));

function budget(file: string, threads: string, extra: string[] = []) {
  const r = spawnSync(process.execPath, [bin, 'budget', '--input', file, ...extra], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', MOEPLAN_THREADS: threads },
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const goodRow = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('M', 'B', 'e9', ''), fc.integer({ min: 1, max: 999 }), fc.constantFrom('B', 'T', 'e12')).map(
  ([n, ns, d, ds]) => `${n}${ns},${d}${ds}`,
);
const row = fc.oneof(
  { weight: 8, arbitrary: goodRow },
  { weight: 1, arbitrary: fc.constantFrom('abc,1', '-5,7T', '1e400,7T', '0,1', '1,2,3', '1', '"1,5",7T', '"52B","7T"', '"a\nb",7T', '', '  ', '6*8B,7T', '"unclosed,1', '"x""y",1') },
);

describe.runIf(built)('parallel batch mode (worker threads)', () => {
  it('writes exactly what the sequential path writes, for any mix of rows', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 0, maxLength: 400 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (rows, crlf, bom, json) => {
          const eol = crlf ? '\r\n' : '\n';
          const file = join(dir, 'grid.csv');
          // Repeat the mix past 2 MiB so it spans several 1 MiB blocks: quoted fields,
          // line breaks inside quotes and bad rows then land on block boundaries too.
          const body = rows.length > 0 ? `${rows.join(eol)}${eol}` : '';
          const copies = body.length > 0 ? Math.ceil((2.2 * 2 ** 20) / body.length) : 1;
          writeFileSync(file, `${bom ? '\ufeff' : ''}params,tokens${eol}${body.repeat(copies)}`);
          const extra = json ? ['--json'] : [];
          const sequential = budget(file, '0', extra);
          const parallel = budget(file, '3', extra);
          expect(parallel.stdout).toBe(sequential.stdout);
          expect(parallel.code).toBe(sequential.code);
          expect(parallel.stderr).toBe(sequential.stderr);
        },
      ),
      { seed: 11, numRuns: 6 },
    );
  });

  it('keeps every row of a file many blocks long, in order', () => {
    const file = join(dir, 'big.csv');
    let text = 'params,tokens\n';
    for (let i = 1; i <= 120_000; i++) text += i % 997 === 0 ? `bad${i},1T\n` : `${i}e6,${(i % 50) + 1}e10\n`;
    writeFileSync(file, text);
    const parallel = budget(file, '2');
    const sequential = budget(file, '0');
    expect(parallel.stdout).toBe(sequential.stdout);
    const lines = parallel.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(120_001);
    expect(lines[120_000]?.startsWith('120001,')).toBe(true);
    expect(parallel.code).toBe(2);
  });

  it('rejects a bad MOEPLAN_THREADS', () => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, 'params,tokens\n1B,1T\n');
    const r = budget(file, 'many');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/MOEPLAN_THREADS/);
  });
});
