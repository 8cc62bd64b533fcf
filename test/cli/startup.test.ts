/**
 * The start-up path: what the built binary loads. Only the CLI file and the command that
 * runs; mathjs, yaml, zod and vega only in dist/lazy/, and those only when an input needs
 * them. Checked on the modules Node reports loading, not on time.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { built, distFilesLoaded } from '../helpers/loaded.js';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));

function loads(args: string[]): string[] {
  expect(built, 'npm run build first').toBe(true);
  const r = distFilesLoaded(args);
  expect(r.status, `moeplan ${args.join(' ')}`).toBe(0);
  return r.files;
}

describe('start-up of the built binary', () => {
  it('budget with plain numbers reads the CLI file and the budget command, nothing else', () => {
    expect(loads(['budget', '--params', '52B', '--tokens', '7T', '--json'])).toEqual(['cli.cjs', 'commands/budget.cjs']);
  });

  it('--help and the short help read only the CLI file', () => {
    expect(loads(['--help'])).toEqual(['cli.cjs']);
    expect(loads([])).toEqual(['cli.cjs']);
  });

  it("each command's --help reads only that command", () => {
    for (const { name } of COMMANDS) expect(loads([name, '--help'])).toEqual(['cli.cjs', `commands/${name}.cjs`]);
  });

  it('loads mathjs only for an expression', () => {
    // (chunks/ holds code the lazy modules share)
    const files = loads(['budget', '--params', '6*8B', '--tokens', '7T']).filter((f) => !f.startsWith('chunks/'));
    expect(files).toEqual(['cli.cjs', 'commands/budget.cjs', 'lazy/expression-engine.js']);
    expect(readFileSync(`${dist}lazy/expression-engine.js`, 'utf8')).toContain('node_modules/mathjs/');
  });

  it('loads yaml and the plan schema for a plan, and no charting code', () => {
    const files = loads(['check', 'examples/plans/hunyuan-large.yaml']);
    expect(files).toContain('lazy/yaml.js');
    expect(files).toContain('lazy/plan-schema.js');
    expect(files.filter((f) => /expression-engine|plot-svg/.test(f))).toEqual([]);
  });

  it('optimal loads its charting code (and vega) only with --plot', () => {
    expect(loads(['optimal', '--cmin', '1e22', '--law', 'all']).filter((f) => /plot-|vega/.test(f))).toEqual([]);
    expect(loads(['loss', '--params', '1e9', '--tokens', '2e10', '--law', 'joint-moe', '--experts', '8'])).toEqual(['cli.cjs', 'commands/loss.cjs']);
  });

  it('fit without --svg loads no charting code', () => {
    expect(loads(['fit', 'examples/fit/runs.csv', '--bootstrap', '50', '--json']).filter((f) => /plot-svg|expression-engine|yaml/.test(f))).toEqual([]);
  });

  it('the CLI files bundle none of mathjs, yaml, zod and vega', () => {
    const meta = JSON.parse(readFileSync(`${dist}cli.meta.json`, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const outputs = Object.entries(meta.outputs);
    expect(outputs.map(([file]) => file)).toContain('dist/cli.cjs');
    for (const [file, { inputs }] of outputs) {
      expect(
        Object.keys(inputs).filter((input) => /node_modules\/(mathjs|yaml|zod|vega)/.test(input)),
        file,
      ).toEqual([]);
    }
  });
});
