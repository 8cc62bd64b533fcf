/**
 * Writing output files (a fitted law, a chart, the GitHub job summary) atomically: the text
 * goes to a temporary file in the same folder, which is then renamed over the target. A
 * full disk, a crash or a concurrent writer leaves either the old file or the new one,
 * never a truncated or interleaved one; on failure the temporary file is removed and the
 * message says the previous file is unchanged.
 */
import { randomBytes } from 'node:crypto';
import { realpathSync, statSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MoeplanError } from '../core/errors.js';
import { printable } from './format.js';

/**
 * Write `text` to `path` atomically (temporary file in the same folder, then rename).
 * `flag` names the option in messages (`--out`).
 *
 * @throws MoeplanError CANNOT_WRITE naming the flag, the file and the error code.
 * @example await writeFileAtomic('law.json', '{}\n', '--out');
 */
export async function writeFileAtomic(path: string, text: string, flag: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, 'wx', 0o644);
    created = true;
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    created = false;
  } catch (error) {
    if (created) await unlink(temp).catch(() => undefined);
    throw cannotWrite(path, error, flag);
  }
}

/**
 * Append `text` to `path` atomically: the old content and the new are written to a
 * temporary file that replaces it (for `$GITHUB_STEP_SUMMARY`, read after the step).
 */
export async function appendFileAtomic(path: string, text: string, flag: string): Promise<void> {
  let before = '';
  try {
    before = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotWrite(path, error, flag);
  }
  await writeFileAtomic(path, before + text, flag);
}

function cannotWrite(path: string, error: unknown, flag: string): MoeplanError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message ?? String(error);
  const hint =
    code === 'ENOSPC' ? 'free some disk space' : code === 'ENOENT' ? 'check that the directory exists' : 'check that the directory exists and is writable';
  return new MoeplanError('CANNOT_WRITE', `${flag}: cannot write ${printable(path)} (${code}); the previous file, if any, is unchanged`, { field: flag, hint });
}

/** One file a command reads or writes, with the flag or argument that names it. */
export interface NamedPath {
  readonly flag: string;
  readonly path: string;
}

/**
 * Refuse an output that is one of the inputs or another output (`fit runs.csv --out
 * runs.csv`, `--out x --plot x`): the same path, or the same file reached by a link.
 *
 * @throws MoeplanError SAME_FILE naming both flags.
 */
export function checkDistinctOutputs(outputs: readonly NamedPath[], inputs: readonly NamedPath[], cwd: string): void {
  const seen: { flag: string; key: string; identity: string | undefined; output: boolean }[] = inputs.map((input) => ({
    flag: input.flag,
    ...fileKey(resolve(cwd, input.path)),
    output: false,
  }));
  for (const output of outputs) {
    const key = fileKey(resolve(cwd, output.path));
    const clash = seen.find((other) => other.key === key.key || (key.identity !== undefined && other.identity === key.identity));
    if (clash) {
      throw new MoeplanError('SAME_FILE', `${output.flag}: ${printable(output.path)} is also ${clash.output ? 'written by' : 'read as'} ${clash.flag}`, {
        field: output.flag,
        hint: `give ${output.flag} a file of its own`,
      });
    }
    seen.push({ flag: output.flag, ...key, output: true });
  }
}

/** The real path (links resolved where the file or its folder exists) and the device and inode of an existing file. */
function fileKey(path: string): { key: string; identity: string | undefined } {
  let key = path;
  try {
    key = realpathSync(path);
  } catch {
    try {
      key = join(realpathSync(dirname(path)), basename(path));
    } catch {
      // Neither exists: the resolved path is the key.
    }
  }
  let identity: string | undefined;
  try {
    const info = statSync(path);
    identity = `${info.dev}:${info.ino}`;
  } catch {
    identity = undefined;
  }
  return { key, identity };
}
