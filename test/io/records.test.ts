import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type InputRecord, formatFromPath, readRecords, splitCsv } from '../../src/io/records.js';

const dir = mkdtempSync(join(tmpdir(), 'moeplan-records-'));

async function read(name: string, text: string) {
  writeFileSync(join(dir, name), text);
  const header: string[][] = [];
  const records: InputRecord[] = [];
  const count = await readRecords({
    path: name,
    cwd: dir,
    stdin: Readable.from([]),
    onHeader: (columns) => {
      header.push([...columns]);
    },
    onRecord: (record) => {
      records.push(record);
      return undefined;
    },
  });
  return { header, records, count };
}

describe('readRecords', () => {
  it('CSV: the header once, then each row as fields with its line number (blank lines skipped)', async () => {
    const { header, records, count } = await read('runs.csv', 'batch,steps\n1M,2000\n\n2M,"1,200"\n');
    expect(header).toEqual([['batch', 'steps']]);
    expect(count).toBe(2);
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [2, ['1M', '2000']],
      [4, ['2M', '1,200']],
    ]);
  });

  it('JSON Lines: each object as values; a line that is not an object is an error record, and reading goes on', async () => {
    const { header, records } = await read('runs.jsonl', '{"batch": 1e6, "steps": 2000}\n[1, 2]\n{"batch": "2M"}\n');
    expect(header).toEqual([]);
    expect(records[0]).toMatchObject({ line: 1, values: { batch: 1e6, steps: 2000 } });
    expect(records[1]?.error).toBeDefined();
    expect(records[2]).toMatchObject({ line: 3, values: { batch: '2M' } });
  });

  it('reads stdin for -', async () => {
    const records: InputRecord[] = [];
    await readRecords({ path: '-', cwd: dir, stdin: Readable.from(['a,b\n', '1,2\n']), onRecord: (r) => void records.push(r) });
    expect(records.map((r) => r.fields)).toEqual([['1', '2']]);
  });
});

describe('splitCsv and formatFromPath', () => {
  it('splits quoted fields with doubled quotes (RFC 4180)', () => {
    expect(splitCsv('a,"b,c","d ""e"""')).toEqual(['a', 'b,c', 'd "e"']);
  });

  it('tells the format from the extension', () => {
    expect(formatFromPath('x.csv')).toBe('csv');
    expect(formatFromPath('x.jsonl')).toBe('jsonl');
  });
});
