import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MoeplanError } from '../../src/core/errors.js';
import type { RecordValue } from '../../src/io/records.js';
import { ExcludedRows, type RunsFileOptions, parseColumnMap, readRunsFile } from '../../src/io/runs-file.js';

const KEYS = ['params', 'tokens', 'loss', 'flops'] as const;
type Key = (typeof KEYS)[number];
const dir = mkdtempSync(join(tmpdir(), 'moeplan-runs-file-'));
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};
const fail =
  (code: string) =>
  (...args: unknown[]) =>
    new MoeplanError('INVALID_INPUT', `${code} ${JSON.stringify(args)}`);

async function read(path: string, extra: Partial<RunsFileOptions<Key>> = {}) {
  const rows: { line: number; values: Partial<Record<Key, RecordValue>> }[] = [];
  const bad: { line: number; message: string; aliased?: unknown }[] = [];
  const result = await readRunsFile<Key>({
    path,
    cwd: dir,
    stdin: new PassThrough(),
    keys: KEYS,
    required: ['params', 'tokens', 'loss'],
    errors: {
      unreadable: fail('unreadable'),
      directory: fail('directory'),
      aliasedColumns: fail('aliased'),
      missingColumns: fail('missing'),
      unmappedColumn: fail('unmapped'),
    },
    onRow: (line, values) => {
      rows.push({ line, values });
      return undefined;
    },
    onBadRow: (line, error, aliased) => {
      bad.push({ line, message: error.message, ...(aliased ? { aliased } : {}) });
    },
    ...extra,
  });
  return { rows, bad, ...result };
}

describe('readRunsFile', () => {
  it('matches CSV columns by name without case, - and _, and ignores other columns', async () => {
    const r = await read(file('a.csv', 'Params,TOKENS,lo_ss,note\n1e9,2e10,2.5,x\n'));
    expect(r.rows).toEqual([{ line: 2, values: { params: '1e9', tokens: '2e10', loss: '2.5' } }]);
    expect([...r.seen].sort()).toEqual(['loss', 'params', 'tokens']);
    expect(r.columns).toEqual(['Params', 'TOKENS', 'lo_ss', 'note']);
  });

  it('maps columns with a column map, and the mapped field is no longer matched by name', async () => {
    const columnMap = parseColumnMap('flops=C,params=N,tokens=D', KEYS, fail('invalid'));
    const r = await read(file('b.csv', 'C,N,D,loss,flops\n6e18,1e8,1e10,3.1,9\n'), { columnMap });
    expect(r.rows[0]?.values).toEqual({ flops: '6e18', params: '1e8', tokens: '1e10', loss: '3.1' });
  });

  it('names the part of a column map that is not KEY=COLUMN', () => {
    expect(() => parseColumnMap('flops=C,size', KEYS, fail('invalid'))).toThrow('invalid ["size"]');
    expect(() => parseColumnMap('weight=W', KEYS, fail('invalid'))).toThrow('invalid ["weight=W"]');
  });

  it('two header columns naming one field are an error naming both', async () => {
    await expect(read(file('c.csv', 'params,Params,tokens,loss\n1,2,3,4\n'))).rejects.toThrow('aliased [["params","Params"],"params"]');
  });

  it('a JSON Lines object with two keys naming one field is a bad row; the read goes on', async () => {
    const r = await read(file('d.jsonl', '{"params":1,"PARAMS":2,"tokens":3,"loss":4}\n{"params":1,"tokens":3,"loss":4}\n'));
    expect(r.bad).toEqual([
      { line: 1, message: 'line 1: two keys name params (["params","PARAMS"])', aliased: { key: 'params', names: ['params', 'PARAMS'] } },
    ]);
    expect(r.rows.map((row) => row.line)).toEqual([2]);
  });

  it('required columns: after the CSV header, before any row; for JSON Lines at the end', async () => {
    await expect(read(file('e.csv', 'params,loss\n1,2\n'))).rejects.toThrow('missing [["tokens"],["params","loss"]]');
    const rows: number[] = [];
    await expect(
      read(file('e.jsonl', '{"params":1,"loss":2}\n'), {
        onRow: (line) => {
          rows.push(line);
          return undefined;
        },
      }),
    ).rejects.toThrow('missing [["tokens"],["params","loss"]]');
    expect(rows).toEqual([1]);
  });

  it('a mapped column the file lacks is an error', async () => {
    const columnMap = parseColumnMap('params=N', KEYS, fail('invalid'));
    await expect(read(file('f.csv', 'params,tokens,loss\n1,2,3\n'), { columnMap })).rejects.toThrow('unmapped ["N","params",["params","tokens","loss"]]');
  });

  it('an unknown column is an error when the caller says so, in CSV and JSON Lines', async () => {
    const errors = { unreadable: fail('unreadable'), directory: fail('directory'), aliasedColumns: fail('aliased'), unknownColumn: fail('unknown') };
    await expect(read(file('g.csv', 'params,size\n1,2\n'), { errors })).rejects.toThrow('unknown ["size"]');
    await expect(read(file('g.jsonl', '{"params":1,"size":2}\n'), { errors })).rejects.toThrow('unknown ["size"]');
  });

  it('names why a file cannot be read, and a directory', async () => {
    await expect(read('no-such.csv')).rejects.toThrow('unreadable ["no such file"]');
    await expect(read('.')).rejects.toThrow('directory []');
  });

  it('a terminal on stdin is an error only when the caller gives one', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    await expect(
      read('-', { stdin, errors: { unreadable: fail('u'), directory: fail('d'), aliasedColumns: fail('a'), terminal: fail('terminal') } }),
    ).rejects.toThrow('terminal []');
  });

  it('an unreadable record is a bad row with its line', async () => {
    const r = await read(file('h.jsonl', '{"params":1,"tokens":2,"loss":3}\nnot json\n'));
    expect(r.bad.map((b) => b.line)).toEqual([2]);
    expect(r.rows).toHaveLength(1);
  });
});

describe('ExcludedRows', () => {
  it('keeps the first LISTED rows and counts the rest by reason, values left out of the reason', () => {
    const excluded = new ExcludedRows();
    const n = ExcludedRows.LISTED + 500;
    for (let line = 2; line < n + 2; line++) excluded.add(line, `line ${line}: params: "${line}x" is not a number`);
    expect(excluded.count).toBe(n);
    expect(excluded.listed).toHaveLength(ExcludedRows.LISTED);
    expect(excluded.byReason.size).toBe(1);
    expect(excluded.summary()).toBe(`params: "…" is not a number (${n} rows; lines 2, 3, 4, 5, 6, …)`);
    expect(excluded.toJSON()).toEqual({
      count: n,
      listed: ExcludedRows.LISTED,
      byReason: [{ reason: 'params: "…" is not a number', count: n, firstLines: [2, 3, 4, 5, 6] }],
    });
  });

  it('counts past REASONS distinct reasons as other reasons', () => {
    const excluded = new ExcludedRows();
    for (let i = 0; i < ExcludedRows.REASONS + 5; i++) excluded.add(i + 2, `line ${i + 2}: reason ${i}`);
    expect(excluded.byReason.size).toBe(ExcludedRows.REASONS + 1);
    expect(excluded.byReason.get('other reasons')?.count).toBe(5);
  });
});
