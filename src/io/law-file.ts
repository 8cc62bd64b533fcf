/**
 * Resolving `--law NAME|FILE`: a preset name, or a path to a law file (JSON) written by
 * `moeplan fit` or by hand, in the same shape as the presets.
 */
import { MoeplanError } from '../core/errors.js';
import { DEFAULT_LAW, type Law, PRESETS } from '../core/laws/index.js';

/** Resolve a preset name (case-insensitive) or a law file path. */
export async function resolveLaw(nameOrPath: string | undefined, options: { cwd: string; field?: string }): Promise<Law> {
  const field = options.field ?? '--law';
  const name = (nameOrPath ?? DEFAULT_LAW).trim();
  const preset = PRESETS[name.toLowerCase()];
  if (preset) return preset;
  throw new MoeplanError('UNKNOWN_LAW', `${field}: unknown law "${name}"`, {
    field,
    hint: `use one of ${Object.keys(PRESETS).join(', ')}, or the path of a law file written by \`moeplan fit\``,
  });
}
