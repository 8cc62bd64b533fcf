/**
 * Every command that reads a model config treats a key its family does not know as `arch`
 * does: a note on stderr and `unknownKeys` in --json (the counts leave it out), an error
 * naming the key with --strict (exit 2). Plans (`model.config`) and fit (`config` column)
 * have their own tests.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'moeplan-unknown-keys-'));
const ODD = join(dir, 'mixtral-odd.json');
writeFileSync(ODD, JSON.stringify({ ...JSON.parse(readFileSync('examples/configs/mixtral-8x7b.json', 'utf8')), made_up_flag: 1 }));

const COMMANDS: readonly (readonly string[])[] = [
  ['arch'],
  ['budget', '--tokens', '1T'],
  ['budget', '--tokens', '1T', '--law', 'arch'],
  ['optimal'],
  ['lr', '--batch', '4M', '--noise', '16M'],
  ['memory', '--seq-len', '4096', '--gpus', '8'],
];

describe('unknown config keys in every command taking --config', () => {
  for (const args of COMMANDS) {
    const [command, ...rest] = args as [string, ...string[]];
    it(`${args.join(' ')}: a note and unknownKeys in --json; --strict exits 2 naming the key`, async () => {
      const plain = await runCli([command, '--config', ODD, ...rest]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stderr).toMatch(/key "made_up_flag" not known for a mixtral config, left out of the counts \(--strict makes this an error\)/);
      const doc = json(await runCli([command, '--config', ODD, ...rest, '--json'])) as { unknownKeys?: string[]; source?: { unknownKeys?: string[] } };
      expect(doc.unknownKeys ?? doc.source?.unknownKeys).toEqual(['made_up_flag']);
      const strict = await runCli([command, '--config', ODD, ...rest, '--strict']);
      expect(strict.code).toBe(2);
      expect(strict.stderr).toMatch(/unknown key "made_up_flag" for a mixtral config/);
      expect(strict.stdout).toBe('');
    });
  }

  it('a config the family knows entirely gives no note and an empty unknownKeys', async () => {
    const r = await runCli(['budget', '--config', 'examples/configs/mixtral-8x7b.json', '--tokens', '1T', '--json']);
    expect(r.stderr).not.toMatch(/not known/);
    expect((json(r) as { unknownKeys: string[] }).unknownKeys).toEqual([]);
  });
});
