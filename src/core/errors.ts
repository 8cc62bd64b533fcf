/**
 * The one error type for mistakes a user can fix: bad input, a solve with no answer,
 * a file that cannot be read. It carries a stable `code`, a message that names the flag
 * or field, and a `hint` that says what to do. Anything thrown that is not a
 * `MoeplanError` is a bug.
 */
export class MoeplanError extends Error {
  /** A stable, machine-readable code such as `INVALID_QUANTITY` or `NO_SOLUTION`. */
  readonly code: string;
  /** What the user can do about it; printed below the message. */
  readonly hint: string | undefined;
  /** The flag or field the error is about, e.g. `--params` or `training.tokens`. */
  readonly field: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; field?: string } = {}) {
    super(message);
    this.name = 'MoeplanError';
    this.code = code;
    this.hint = options.hint;
    this.field = options.field;
  }
}

/** True for errors the user can fix (as opposed to bugs). */
export function isMoeplanError(error: unknown): error is MoeplanError {
  return error instanceof MoeplanError;
}
