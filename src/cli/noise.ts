/**
 * The gradient noise scale Bnoise of the commands that take one (`lr`, `schedule`): given
 * as `--noise`, from a loss by Kaplan's Bcrit(L) (the surge paper takes Bnoise ≈ Bcrit),
 * or fitted to a runs file (`--noise-from`, McCandlish et al. 2018 eq. 2.11).
 */
import { criticalBatchFromLoss } from '../core/critical-batch.js';
import { MoeplanError, isMoeplanError } from '../core/errors.js';
import { type NoiseScaleFit, type NoiseScaleRun, fitNoiseScale } from '../core/noise-scale.js';
import { printable, showValue } from '../io/format.js';
import { parseQuantityAsync } from '../io/quantity.js';
import type { RecordValue } from '../io/records.js';
import { readRunsFile } from '../io/runs-file.js';
import { type Context, type FieldName, type RawInputs, quantity } from './context.js';
import { finiteResult } from './numeric.js';

/** Where the noise scale came from. */
export type NoiseSource = 'noise' | 'loss' | 'runs';

/** A noise scale fitted from a runs file, with the file it came from. */
export interface RunsFit extends NoiseScaleFit {
  readonly file: string;
}

export interface ResolvedNoise {
  readonly noise: number;
  readonly source: NoiseSource;
  /** The loss it was computed from (source `loss`). */
  readonly loss?: number;
}

/**
 * The noise scale from `noise`, or from `loss` via Kaplan's Bcrit(L) = 2e8/L^(1/0.21) (the
 * surge paper takes Bnoise ≈ Bcrit), or from a runs fit; `undefined` when none is given.
 */
export function resolveNoise(raw: RawInputs, name: FieldName, fitted?: RunsFit): ResolvedNoise | undefined {
  const noise = quantity(raw, 'noise', name);
  const loss = quantity(raw, 'loss', name, { describe: 'a loss in nats per token, above 0' });
  const given = [noise !== undefined && 'noise', loss !== undefined && 'loss'].filter(Boolean) as string[];
  if (given.length === 2 || (given.length === 1 && fitted)) {
    const names = fitted ? [...given, 'noiseFrom'] : given;
    throw new MoeplanError('INVALID_INPUT', `give one noise scale: ${names.map(name).join(' or ')}, not ${names.length === 2 ? 'both' : 'several'}`, {
      hint: `${name('noise')} in tokens, ${name('loss')} for Kaplan's Bcrit(L), or ${name('noiseFrom')} for a fit to runs`,
    });
  }
  if (noise !== undefined) return { noise, source: 'noise' };
  if (loss !== undefined) {
    return { noise: finiteResult(criticalBatchFromLoss(loss), 'the critical batch Bcrit(L)'), source: 'loss', loss };
  }
  if (fitted) return { noise: fitted.noiseTokens, source: 'runs' };
  return undefined;
}

/** The columns of a noise-scale runs file. */
const NOISE_KEYS = ['batch', 'steps', 'examples'] as const;
type NoiseKey = (typeof NOISE_KEYS)[number];

/**
 * Read a runs file (CSV with columns `batch,steps,examples`, or JSON Lines with those keys)
 * and fit the noise scale. `examples` (tokens to the target loss) may be left out when
 * `batch` is given: it is then batch × steps.
 */
export async function fitRunsFile(path: string, ctx: Context, flag = '--noise-from'): Promise<RunsFit> {
  const runs: NoiseScaleRun[] = [];
  let inconsistent = 0;
  const addRun = async (line: number, values: Partial<Record<NoiseKey, RecordValue>>) => {
    const number = async (key: NoiseKey): Promise<number | undefined> => {
      const value = values[key];
      if (value === undefined || value === null || value === '') return undefined;
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new MoeplanError('INVALID_QUANTITY', `${path} line ${line}: ${key}: expected a number, got ${showValue(value)}`);
      }
      return parseQuantityAsync(value, { name: `${path} line ${line}: ${key}` });
    };
    const batch = await number('batch');
    const steps = await number('steps');
    const examplesIn = await number('examples');
    if (steps === undefined || (examplesIn === undefined && batch === undefined)) {
      throw new MoeplanError('MISSING_INPUT', `${path} line ${line}: give steps and examples (or batch, to compute examples = batch × steps)`, {
        field: flag,
      });
    }
    const examples = examplesIn ?? (batch as number) * steps;
    if (examplesIn !== undefined && batch !== undefined && Math.abs(examplesIn / (batch * steps) - 1) > 0.01) inconsistent++;
    runs.push({ steps, examples });
  };
  await readRunsFile<NoiseKey>({
    path,
    cwd: ctx.io.cwd,
    stdin: ctx.io.stdin,
    keys: NOISE_KEYS,
    errors: {
      unreadable: (reason) =>
        new MoeplanError(reason === 'no such file' ? 'FILE_NOT_FOUND' : 'CANNOT_READ', `${flag}: cannot read "${printable(path)}": ${reason}`, {
          field: flag,
          hint: 'give a CSV file with columns batch,steps,examples (one row per run, all trained to the same loss)',
        }),
      directory: () => new MoeplanError('BAD_INPUT', `${flag}: "${path}" is a directory`, { field: flag }),
      unknownColumn: (name) =>
        new MoeplanError('UNKNOWN_COLUMN', `${flag}: unknown column "${name}" in ${path}`, {
          field: flag,
          hint: 'columns: batch (tokens per step), steps (to the target loss), examples (tokens to the target loss)',
        }),
      aliasedColumns: (names, key) => aliasedColumns(flag, path, 'line 1: columns', names, key),
    },
    onRow: (line, values) => addRun(line, values),
    onBadRow: (line, error, aliased) => {
      if (aliased) throw aliasedColumns(flag, path, `line ${line}: keys`, [aliased.names[0] as string, aliased.names[1] as string], aliased.key);
      throw new MoeplanError(error.code, `${flag} ${path}: ${error.message}`, { field: flag });
    },
  });
  if (inconsistent > 0) {
    ctx.warn(`${path}: in ${inconsistent} of ${runs.length} runs, examples differs from batch × steps by more than 1%; the fit uses examples (tokens)`);
  }
  try {
    return { ...fitNoiseScale(runs), file: path };
  } catch (error) {
    if (isMoeplanError(error))
      throw new MoeplanError(error.code, `${flag} ${path}: ${error.message}`, { field: flag, ...(error.hint ? { hint: error.hint } : {}) });
    throw error;
  }
}

/** Two columns or keys of a runs file that name the same field. */
function aliasedColumns(flag: string, path: string, where: string, names: readonly [string, string], key: string): MoeplanError {
  return new MoeplanError(
    'DUPLICATE_COLUMN',
    `${flag} ${printable(path)}: ${where} ${showValue(names[0], 40)} and ${showValue(names[1], 40)} both name ${key}`,
    {
      field: flag,
      hint: 'keep one of them: names are matched without case, - and _',
    },
  );
}
