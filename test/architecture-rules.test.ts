/**
 * The house rules that the compiler does not check: the core (src/core/) is pure math
 * that returns data. It imports only the core (and Node built-ins): nothing from src/io/,
 * src/cli/ or src/messages/ (the words of its messages). And no string in it names a CLI
 * flag (`--tokens`): the core returns `{ code, args }` and the CLI writes the words and
 * knows the flag names. Doc comments may name flags.
 *
 * The source is read with the TypeScript parser, so that comments, strings and template
 * literals are told apart as the compiler tells them apart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const core = join(root, 'src', 'core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Found {
  readonly imports: string[];
  readonly strings: string[];
}

/** The modules a source imports (imports, re-exports, `import()`) and the text of its string and template literals. */
function scan(text: string, name = 'x.ts'): Found {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const imports: string[] = [];
  const strings: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      imports.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      imports.push(node.arguments[0].text);
    } else if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      strings.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, strings };
}

/** A CLI flag in a string: `--` and a letter, not inside a word (`a--b`) or a longer dash run. */
const FLAG = /(?<![\w-])--[a-z][a-z0-9-]*/i;

/** The imports of `file` that leave the core (neither relative within src/core/ nor `node:`). */
function importsOutsideCore(file: string, imports: readonly string[]): string[] {
  return imports.filter((spec) => {
    if (spec.startsWith('node:')) return false;
    if (!spec.startsWith('.')) return true;
    return relative(core, resolve(dirname(file), spec)).startsWith('..');
  });
}

const files = sourceFiles(core);
/** Each core file scanned once. */
const scanned = new Map(files.map((file) => [file, scan(readFileSync(file, 'utf8'), file)]));

describe('architecture rules', () => {
  it('reads the whole core', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.map((f) => relative(core, f))).toEqual(
      expect.arrayContaining(['allocation.ts', 'schedule.ts', join('fit', 'isoflop.ts'), join('checks', 'derive.ts')]),
    );
  });

  it('tells a flag in a string from one in a comment, and an import that leaves the core from one that does not', () => {
    const sample = scan(
      [
        "import { si } from '../io/format.js';",
        "import { MoeplanError } from './errors.js';",
        "export { x } from '../cli/context.js';",
        "import { y } from 'chalk';",
        '/** Doc comments may say `--law` and `moeplan optimal --help`. */',
        '// and so may line comments: --tokens',
        "const hint = 'raise --flops';",
        `const other = \`use \${a} --top-k \${b} and x--y or a --- rule\`;`,
        "const load = () => import('../messages/index.js');",
      ].join('\n'),
      join(core, 'sample.ts'),
    );
    expect(importsOutsideCore(join(core, 'sample.ts'), sample.imports)).toEqual(['../io/format.js', '../cli/context.js', 'chalk', '../messages/index.js']);
    expect(sample.strings.filter((s) => FLAG.test(s)).map((s) => s.match(FLAG)?.[0])).toEqual(['--flops', '--top-k']);
  });

  it('the core imports only the core and Node built-ins: never src/io, src/cli or src/messages', () => {
    const bad = files.flatMap((file) =>
      importsOutsideCore(file, (scanned.get(file) as Found).imports).map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(bad).toEqual([]);
  });

  it('no string in the core names a CLI flag (the CLI names them; doc comments may)', () => {
    const bad = files.flatMap((file) =>
      (scanned.get(file) as Found).strings.filter((s) => FLAG.test(s)).map((s) => `${relative(root, file)}: ${JSON.stringify(s)}`),
    );
    expect(bad).toEqual([]);
  });
});
