import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const bin = `${root}bin/moeplan.js`;

/** True when `npm run build` has produced the CLI (the test command always builds first). */
export const built = existsSync(`${root}dist/cli.cjs`);

/**
 * Run the built binary and list the files of dist/ it loaded, relative to dist/ (e.g.
 * `cli.cjs`, `commands/budget.cjs`, `lazy/expression-engine.js`), in load order. Node's
 * own module debug log (NODE_DEBUG=module,esm) names every CommonJS file loaded and
 * every ES module stored, so this sees what ran, not what the bundle might contain.
 */
export function distFilesLoaded(args: readonly string[], options: { cwd?: string } = {}): { files: string[]; status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    cwd: options.cwd ?? root,
    env: { PATH: process.env.PATH ?? '', NODE_DEBUG: 'module,esm' },
  });
  const files: string[] = [];
  const dist = `${root}dist/`;
  for (const line of r.stderr.split('\n')) {
    const match = /^MODULE \d+: load "([^"]+)"/.exec(line) ?? /^ESM \d+: Storing file:\/\/(\S+) /.exec(line);
    const path = match?.[1];
    if (path?.startsWith(dist)) {
      const file = path.slice(dist.length);
      if (!files.includes(file)) files.push(file);
    }
  }
  return { files, status: r.status, stdout: r.stdout };
}
