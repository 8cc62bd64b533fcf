import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bin, built } from '../helpers/loaded.js';

function moeplan(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...options.env },
    input: options.input ?? '',
  });
}

describe('the built binary', () => {
  it('is built (npm test builds first)', () => {
    expect(built, 'npm run build first').toBe(true);
  });

  it('answers the first question', () => {
    const r = moeplan(['budget', '--params', '52B', '--tokens', '7T']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('3.4924e24');
    expect(r.stdout).toContain('2.184e24');
  });

  it('prints parseable JSON and nothing else on stdout', () => {
    const r = moeplan(['budget', '--params', '52B', '--tokens', '7T', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).flops).toBeCloseTo(3.49237e24, -19);
  });

  it('exits 2 with a message and no stack for bad input', () => {
    const r = moeplan(['budget', '--params', '52BB', '--tokens', '7T']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--params/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('honours NO_COLOR even with FORCE_COLOR unset, and FORCE_COLOR when piped', () => {
    expect(moeplan(['budget', '--params', '52B', '--tokens', '7T'], { env: { NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    expect(moeplan(['budget', '--params', '52B', '--tokens', '7T'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
  });

  it('reads batch rows from stdin', () => {
    const r = moeplan(['budget', '--input', '-', '--json'], { input: 'params,tokens\n52B,7T\n1B,20B\n' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });
});
