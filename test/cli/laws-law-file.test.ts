import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESET_LIST } from '../../src/core/laws/index.js';
import { runCli } from '../helpers/cli.js';

describe('moeplan laws --law-file', () => {
  it('writes a preset as a law file that reads back as the same law', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-law-file-'));
    for (const { name: preset } of PRESET_LIST) {
      const printed = await runCli(['laws', preset, '--law-file']);
      expect(printed.code).toBe(0);
      const file = join(dir, `${preset}.json`);
      writeFileSync(file, printed.stdout);
      const back = await runCli(['laws', file, '--json']);
      expect(back.code, back.stderr).toBe(0);
      const original = await runCli(['laws', preset, '--json']);
      expect(JSON.parse(back.stdout).laws).toEqual(JSON.parse(original.stdout).laws);
    }
  });

  it('gives the same allocation as the preset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-law-file-'));
    const file = join(dir, 'mine.json');
    writeFileSync(file, (await runCli(['laws', 'hunyuan', '--law-file'])).stdout);
    const fromFile = JSON.parse((await runCli(['optimal', '--cmin', '3.1e24', '--law', file, '--json'])).stdout);
    const fromPreset = JSON.parse((await runCli(['optimal', '--cmin', '3.1e24', '--json'])).stdout);
    expect(fromFile.params).toBe(fromPreset.params);
    expect(fromFile.tokens).toBe(fromPreset.tokens);
  });

  it('prints one law only', async () => {
    const r = await runCli(['laws', '--law-file']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--law-file prints one law/);
  });
});
