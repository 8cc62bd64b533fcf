/**
 * Resolving `--law NAME|FILE`: a preset name, or a path to a law file (JSON) written by
 * `moeplan fit` or by hand, in the same shape as the presets. A file is validated with the
 * schema in law-schema.ts, which (with zod) is loaded only when a file is read: preset
 * names never load it.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MoeplanError } from '../core/errors.js';
import { DEFAULT_LAW, type Law, PRESETS } from '../core/laws/index.js';

type LawSchemaModule = typeof import('./law-schema.js');
let lawSchemaModule: LawSchemaModule | undefined;

/** Load the law-file schema (and zod). Needed once before {@link parseLawObject}. */
export async function loadLawSchema(): Promise<LawSchemaModule> {
  lawSchemaModule ??= await import('./law-schema.js');
  return lawSchemaModule;
}

/**
 * Validate a parsed value (e.g. a law embedded in another document) as a law. Strict:
 * unknown keys are errors; errors name the field path and have code `INVALID_LAW`.
 * zod loads lazily, so `await loadLawSchema()` must have run first (resolveLaw does).
 */
export function parseLawObject(value: unknown, sourceLabel: string): Law {
  if (!lawSchemaModule) {
    throw new Error('parseLawObject: call `await loadLawSchema()` first (the schema loads lazily)');
  }
  return lawSchemaModule.parseLawObject(value, sourceLabel);
}

/** True for a value that names a file rather than a preset. */
function looksLikePath(value: string): boolean {
  return /[\\/]/.test(value) || /\.json$/i.test(value);
}

/**
 * Resolve a preset name (case-insensitive) or a law file path (relative to `cwd`).
 * Errors name `field` (default `--law`) and exit with code 2.
 */
export async function resolveLaw(nameOrPath: string | undefined, options: { cwd: string; field?: string }): Promise<Law> {
  const field = options.field ?? '--law';
  const name = (nameOrPath ?? DEFAULT_LAW).trim();
  const preset = PRESETS[name.toLowerCase()];
  if (preset) return preset;
  const path = resolve(options.cwd, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !looksLikePath(name)) {
      throw new MoeplanError('UNKNOWN_LAW', `${field}: unknown law "${name}"`, {
        field,
        hint: `use one of ${Object.keys(PRESETS).join(', ')}, or the path of a law file written by \`moeplan fit\``,
      });
    }
    throw new MoeplanError('UNREADABLE_LAW', `${field}: cannot read law file ${name} (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : (code ?? String(error))})`, {
      field,
      hint: `give a preset (${Object.keys(PRESETS).join(', ')}) or the path of a JSON law file`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MoeplanError('INVALID_LAW', `${field}: law file ${name} is not valid JSON (${(error as Error).message})`, {
      field,
      hint: 'law files are JSON, as written by `moeplan fit --out law.json`',
    });
  }
  const schema = await loadLawSchema();
  return schema.parseLawObject(value, `${field}: law file ${name}`);
}
