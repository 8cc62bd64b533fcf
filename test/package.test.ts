/**
 * The package as a user gets it: `npm pack`, installed into an empty project as a
 * devDependency (the README's CI steps), then the README's GitHub Actions command run
 * there. It also checks what the tarball holds and that `require` and `import` load the
 * library. The install reads npm's cache first (`--prefer-offline`) and skips the audit.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { built } from './helpers/loaded.js';

const root = process.cwd();
const README = readFileSync(join(root, 'README.md'), 'utf8');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** npm without the test runner's environment (no NODE_ENV=test, no npm_config_* of this run). */
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NODE_ENV$|VITEST)/i.test(key)));

/** The command of the README's "Check training plans" step. */
function actionsCommand(): string {
  const block = /```yaml\n([\s\S]*?)```/.exec(README.slice(README.indexOf('A GitHub Actions')))?.[1] ?? '';
  const command = /name: Check training plans\n\s+run: (.+)\n/.exec(block)?.[1];
  if (!command) throw new Error('the README has no "Check training plans" step');
  return command.trim();
}

describe('the packed package', () => {
  it('installs from its tarball into a project and runs the GitHub Actions step there', { timeout: 120_000 }, () => {
    expect(built, 'npm run build first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'moeplan-package-'));
    // dist/ is built (npm test builds first): pack it as it is.
    const packed = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, env, encoding: 'utf8' })) as {
      filename: string;
      files: { path: string }[];
    }[];
    const { filename, files } = packed[0] as (typeof packed)[number];
    const paths = files.map((f) => f.path);
    expect(paths).toContain('LICENSE');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(paths).not.toContain('dist/cli.meta.json');
    expect(paths).toContain('examples/plans/hunyuan-large.yaml');
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);
    // The tarball is not committed by accident.
    expect(spawnSync('git', ['check-ignore', '-q', filename], { cwd: root }).status).toBe(0);

    const project = join(dir, 'project');
    mkdirSync(join(project, 'plans'), { recursive: true });
    mkdirSync(join(project, 'tools'));
    copyFileSync(join(dir, filename), join(project, 'tools', filename));
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'plans', version: '1.0.0', private: true }, null, 2)}\n`);
    copyFileSync(join(root, 'examples/plans/hunyuan-large.yaml'), join(project, 'plans/hunyuan-large.yaml'));
    execFileSync(npm, ['install', '--save-dev', `./tools/${filename}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: project,
      env,
      stdio: 'pipe',
    });
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies.moeplan).toBe(`file:tools/${filename}`);

    // The step's command, as the README writes it, in a shell as Actions runs it.
    const step = spawnSync('sh', ['-c', actionsCommand()], { cwd: project, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(step.stderr).toBe('');
    expect(step.status).toBe(0);
    expect(step.stdout).toMatch(/^::warning file=plans\/hunyuan-large\.yaml,line=\d+/m);
    expect(step.stdout).toMatch(/✓ passed: 1 of 1 plan passed/);

    // The library loads with import and with require.
    const library = spawnSync(
      process.execPath,
      ['-e', "import('moeplan').then((m) => { const r = require('moeplan'); console.log(m.trainingFlops(52e9, 7e12) === r.trainingFlops(52e9, 7e12)); })"],
      { cwd: project, env, encoding: 'utf8' },
    );
    expect(library.stderr).toBe('');
    expect(library.stdout.trim()).toBe('true');

    // Help examples name the installed examples folder, and run as shown from the project.
    // (The installed launcher directly: npx costs a second or two per run.)
    const installed = join(project, 'node_modules', '.bin', 'moeplan');
    const help = spawnSync(installed, ['--help'], { cwd: project, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8' });
    const example = /\$ (moeplan check \S+hunyuan-large\.yaml)/.exec(help.stdout)?.[1];
    expect(example).toContain(join(project, 'node_modules', 'moeplan', 'examples', 'plans'));
    expect(spawnSync('sh', ['-c', `${installed}${(example as string).slice('moeplan'.length)}`], { cwd: project, env, encoding: 'utf8' }).status).toBe(0);
  });
});
