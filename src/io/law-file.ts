/**
 * Resolving `--law NAME|FILE`: a preset name, or a path to a law file (JSON) written by
 * `moeplan fit` or by hand, in the same shape as the presets. A file is validated with the
 * schema in law-schema.ts, which (with zod) is loaded only when a file is read: preset
 * names never load it.
 */
import { MoeplanError } from '../core/errors.js';
import { DEFAULT_LAW, type Law, PRESETS, UNAVAILABLE_LAWS } from '../core/laws/index.js';
import { printable } from './format.js';
import { closest } from './suggest.js';

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

/** Largest law file read, in bytes (a law file is a few KiB, more with fit metadata). */
export const MAX_LAW_BYTES = 1024 * 1024;

/** `did you mean "chinchilla"? ` for a near miss of a preset name, else nothing. */
function near(name: string): string {
  const found = closest(name, Object.keys(PRESETS));
  return found ? `did you mean "${found}"? ` : '';
}

/** True for a value that names a file rather than a preset. */
function looksLikePath(value: string): boolean {
  return value === '-' || /[\\/]/.test(value) || /\.json$/i.test(value);
}

/**
 * Resolve a preset name (case-insensitive) or a law file path (relative to `cwd`).
 * Errors name `field` (default `--law`) and exit with code 2.
 */
export async function resolveLaw(nameOrPath: string | undefined, options: { cwd: string; field?: string }): Promise<Law> {
  const field = options.field ?? '--law';
  const name = (nameOrPath ?? DEFAULT_LAW).trim();
  const key = name.toLowerCase();
  // Own keys only: "constructor" or "__proto__" is no preset.
  const preset = Object.hasOwn(PRESETS, key) ? PRESETS[key] : undefined;
  if (preset) return preset;
  const known = UNAVAILABLE_LAWS.find((law) => law.name === key);
  if (known) {
    throw new MoeplanError('UNAVAILABLE_LAW', `${field}: ${known.name} (${known.title}) is known but not available: ${known.reason}`, {
      field,
      hint: `use one of ${Object.keys(PRESETS).join(', ')}, or a law file with constants you have checked`,
    });
  }
  const unknown = () =>
    new MoeplanError('UNKNOWN_LAW', `${field}: unknown law ${JSON.stringify(name.length > 60 ? `${name.slice(0, 57)}...` : name)}`, {
      field,
      hint: `${near(name)}use one of ${Object.keys(PRESETS).join(', ')}, or the path of a law file written by \`moeplan fit\``,
    });
  if (name === '') throw unknown();
  const { readJsonFile } = await import('./json-file.js');
  const value = await readJsonFile(name, {
    field,
    what: 'law file',
    cwd: options.cwd,
    maxBytes: MAX_LAW_BYTES,
    codes: { unreadable: 'UNREADABLE_LAW', invalid: 'INVALID_LAW' },
    hint: 'law files are JSON, as written by `moeplan fit --out law.json`; `moeplan laws hunyuan --law-file` prints one to start from',
    ...(looksLikePath(name) ? {} : { missing: unknown }),
  });
  const schema = await loadLawSchema();
  return schema.parseLawObject(value, `${field}: law file ${printable(name.length > 60 ? `${name.slice(0, 57)}...` : name)}`);
}
