// Bundle the CLI and the library with esbuild. Code splitting keeps heavy dependencies
// (mathjs, yaml, zod, vega) in chunks that load only when a command needs them.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Start-up trims (measured: each saves milliseconds on every run):
 * - chalk's colour auto-detection (`#supports-color`) loads node:tty and node:os; moeplan
 *   decides the colour level itself (src/cli/colour.ts) and passes it to chalk, so the
 *   detection is replaced by a module that detects nothing.
 * - commander loads node:child_process (and with it net, dgram, …) only to run external
 *   sub-commands, which moeplan never does; it is required on first use instead.
 */
const startupTrims = {
  name: 'startup-trims',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^#supports-color$/ }, () => ({ path: 'supports-color', namespace: 'moeplan-stub' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'moeplan-stub' }, () => ({
      contents: 'export default { stdout: false, stderr: false };',
      loader: 'js',
    }));
    pluginBuild.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error('commander changed: update the startup-trims plugin');
      return {
        contents: source.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"),
        loader: 'js',
      };
    });
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts', 'batch-worker': 'src/cli/batch-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  minifySyntax: true,
  legalComments: 'none',
  define: { __MOEPLAN_VERSION__: JSON.stringify(pkg.version) },
  // Some bundled dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __moeplanCreateRequire } from 'node:module'; const require = __moeplanCreateRequire(import.meta.url);" },
  plugins: [startupTrims],
  logLevel: 'warning',
});

// The JSON Schema of plan files (package export "./plan.schema.json"), generated from the
// same zod schema that validates plans.
const { planJsonSchema } = await import(new URL('../dist/index.js', import.meta.url).href);
writeFileSync(new URL('../dist/plan.schema.json', import.meta.url), `${JSON.stringify(await planJsonSchema(), null, 2)}\n`);
