/**
 * Why a file could not be read, in words, from the error code of a failed `stat` or read:
 * only ENOENT and ENOTDIR are "no such file"; a loop of links, a permission, an I/O error
 * each say what they are.
 *
 * @example fsReason(Object.assign(new Error('x'), { code: 'ELOOP' })) // 'too many levels of symbolic links (ELOOP)'
 */
export function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links (ELOOP)';
    case 'ENAMETOOLONG':
      return 'the path is too long (ENAMETOOLONG)';
    default:
      return `cannot be read (${code ?? (error as Error | undefined)?.message ?? String(error)})`;
  }
}
