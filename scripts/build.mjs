// Bundle the CLI and the library with esbuild. Code splitting keeps heavy dependencies
// (mathjs, yaml, zod, vega) in chunks that load only when a command needs them.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
const define = { __MOEPLAN_VERSION__: JSON.stringify(pkg.version) };

/**
 * Modules with heavy dependencies, or needed only by some runs: each is bundled on its own
 * as dist/lazy/<name>.js and loaded by the CLI with `import()` when a command needs it.
 * mathjs (expression-engine), zod (law-schema, plan-schema) and vega (plot-svg, plot-laws-svg) live only
 * there; so does the yaml package (dist/lazy/yaml.js).
 */
const LAZY_MODULES = {
  'expression-engine': 'src/io/expression-engine.ts',
  'law-schema': 'src/io/law-schema.ts',
  'plan-schema': 'src/io/plan-schema.ts',
  'plot-svg': 'src/io/plot-svg.ts',
  'plot-laws-svg': 'src/io/plot-laws-svg.ts',
};
const LAZY_PACKAGES = ['yaml'];
const lazyByPath = new Map(Object.entries(LAZY_MODULES).map(([name, path]) => [resolve(path), name]));

/**
 * In the CLI's files, `import()` of a lazy module loads dist/lazy/<name>.js instead;
 * `prefix` is the way there from the output file.
 */
const lazyModules = (prefix) => ({
  name: 'lazy-modules',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: new RegExp(`^(${LAZY_PACKAGES.join('|')})$`) }, (args) => {
      if (args.kind !== 'dynamic-import') throw new Error(`${args.importer} imports ${args.path} statically`);
      return { path: `${prefix}lazy/${args.path}.js`, external: true };
    });
    pluginBuild.onResolve({ filter: /^\./ }, (args) => {
      const name = lazyByPath.get(resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
      if (name === undefined) return undefined;
      if (args.kind !== 'dynamic-import') {
        throw new Error(`${args.importer} imports ${args.path} statically: lazy modules are loaded with import() only`);
      }
      return { path: `${prefix}lazy/${name}.js`, external: true };
    });
  },
});

// 1. The library and the lazy modules: ES modules sharing chunks.
await build({
  entryPoints: {
    index: 'src/index.ts',
    ...Object.fromEntries(Object.entries(LAZY_MODULES).map(([name, path]) => [`lazy/${name}`, path])),
    ...Object.fromEntries(LAZY_PACKAGES.map((name) => [`lazy/${name}`, name])),
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  minifySyntax: true,
  legalComments: 'none',
  define,
  // Some bundled dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __moeplanCreateRequire } from 'node:module'; const require = __moeplanCreateRequire(import.meta.url);" },
  plugins: [startupTrims],
  logLevel: 'warning',
});

// 2. The CLI: CommonJS, so that start-up skips the ES module loader. dist/cli.cjs holds
// the argument parsing and the command list; each command is one file,
// dist/commands/<name>.cjs, required only when it runs. The lazy modules above are in
// none of them. Minified: less to parse on every run.
/**
 * The command list (src/cli/commands/index.ts) loads each command with `import('./x.js')`.
 * Resolved here, each such import becomes a require of dist/commands/x.cjs, and the
 * commands found this way are the entry points of the command files: the list itself
 * says which commands there are.
 */
const commandIndex = resolve('src/cli/commands/index.ts');
const commandEntries = new Map();
const commandFiles = {
  name: 'command-files',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) => {
      if (args.importer !== commandIndex) return undefined;
      if (args.kind !== 'dynamic-import') throw new Error(`${args.importer} imports ${args.path} statically: commands are loaded with import() only`);
      const name = args.path.slice(2, -3);
      commandEntries.set(name, resolve(args.resolveDir, `${name}.ts`));
      return { path: name, namespace: 'moeplan-command' };
    });
    // A module of one require, bundled in place of the command; the command file stays outside.
    pluginBuild.onLoad({ filter: /.*/, namespace: 'moeplan-command' }, (args) => ({
      contents: `module.exports = require('./commands/${args.path}.cjs');`,
      loader: 'js',
    }));
    pluginBuild.onResolve({ filter: /^\.\/commands\/[a-z-]+\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};
const cliOptions = {
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',

  // Names are kept as written (not minified, and no keepNames wrappers, which cost time
  // in hot loops), so that the stack of an internal error stays readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  define,
  metafile: true,
  logLevel: 'warning',
};
const cliMain = await build({ ...cliOptions, entryPoints: { cli: 'src/cli/main.ts' }, plugins: [startupTrims, lazyModules('./'), commandFiles] });
if (commandEntries.size === 0) throw new Error('no command found in src/cli/commands/index.ts');
const cliCommands = await build({
  ...cliOptions,
  entryPoints: Object.fromEntries([...commandEntries].map(([name, path]) => [`commands/${name}`, path])),
  plugins: [startupTrims, lazyModules('../')],
});
const cli = {
  metafile: {
    inputs: { ...cliMain.metafile.inputs, ...cliCommands.metafile.inputs },
    outputs: { ...cliMain.metafile.outputs, ...cliCommands.metafile.outputs },
  },
};
for (const [output, { inputs }] of Object.entries(cli.metafile.outputs)) {
  const heavy = Object.keys(inputs).filter((input) => /node_modules[\\/](mathjs|yaml|zod|vega[^\\/]*)[\\/]/.test(input));
  if (heavy.length > 0) throw new Error(`${output} must not contain ${heavy.slice(0, 3).join(', ')}`);
  if (output !== 'dist/cli.cjs' && Object.keys(inputs).some((input) => input.includes('node_modules/commander/'))) {
    throw new Error(`${output} must not contain commander (the CLI file has it)`);
  }
}
writeFileSync(new URL('../dist/cli.meta.json', import.meta.url), JSON.stringify(cli.metafile));

// The JSON Schema of plan files (package export "./plan.schema.json"), generated from the
// same zod schema that validates plans.
const { planJsonSchema } = await import(new URL('../dist/index.js', import.meta.url).href);
writeFileSync(new URL('../dist/plan.schema.json', import.meta.url), `${JSON.stringify(await planJsonSchema(), null, 2)}\n`);
