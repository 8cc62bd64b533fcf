/**
 * The README shows real output: each ```sh block of one `npx moeplan …` line that is
 * followed by an output block must print exactly that block (stdout, with stderr before
 * or after it when the block shows warnings).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, words } from './helpers/cli.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

const pairs = [...README.matchAll(/```sh\n((?:(?!```).)*?)```\n+```(?:text)?\n((?:(?!```).)*?)```/gs)].flatMap(([, command = '', output = '']) => {
  const lines = command.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const line = (lines[0] ?? '').replace(/#.*$/, '').trim();
  if (lines.length !== 1 || !/^(npx )?moeplan /.test(line) || /[>|]/.test(line)) return [];
  return [{ line, output: output.trimEnd() }];
});

describe('README', () => {
  it('shows output that the commands really print', async () => {
    expect(pairs.length).toBeGreaterThanOrEqual(12);
    for (const { line, output } of pairs) {
      const r = await runCli(words(line.replace(/^npx /, '')).slice(1), { env: { NO_COLOR: '1' } });
      const shown = [r.stdout.trimEnd(), `${r.stderr}${r.stdout}`.trimEnd(), `${r.stdout}${r.stderr}`.trimEnd()];
      expect(shown, line).toContain(output);
    }
  });
});
