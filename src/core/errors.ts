/**
 * The one error type for mistakes a user can fix: bad input, a solve with no answer,
 * a file that cannot be read. It carries a stable `code`, a message that names the flag
 * or field, and a `hint` that says what to do. Anything thrown that is not a
 * `MoeplanError` is a bug.
 */
const BRAND = Symbol.for('moeplan.MoeplanError');

export class MoeplanError extends Error {
  /**
   * `instanceof MoeplanError` is true for a MoeplanError made by any copy of this module:
   * the CLI bundle and the modules it loads lazily (dist/lazy/) each carry their own copy.
   * Subclasses keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof, a subclass included
    if (this !== MoeplanError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /** The mark {@link MoeplanError}'s `instanceof` looks for. */
  readonly [BRAND] = true;

  /** A stable, machine-readable code such as `INVALID_QUANTITY` or `NO_SOLUTION`. */
  readonly code: string;
  /** What the user can do about it; printed below the message. */
  readonly hint: string | undefined;
  /** The flag or field the error is about, e.g. `--params` or `training.tokens`. */
  readonly field: string | undefined;

  constructor(code: string, message: string, options: { hint?: string; field?: string } = {}) {
    super(safeText(message));
    this.name = 'MoeplanError';
    this.code = code;
    this.hint = options.hint === undefined ? undefined : safeText(options.hint);
    this.field = options.field;
  }
}

// Control characters (C0, C1, DEL) and the Unicode controls that reorder or hide text
// (bidi overrides and isolates, zero-width characters, line and paragraph separators).
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * Text with every control character written as `\uXXXX` (but those in `keep`), so that
 * quoted user input can neither drive a terminal or CI log (cursor, colour, clear) nor
 * disguise itself in a message.
 *
 * @example escapeControls('7\u001b[2J') // '7\\u001b[2J'
 */
export function escapeControls(text: string, keep = ''): string {
  return text.replace(CONTROLS, (c) => (keep.includes(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Messages keep their line breaks and tabs. */
function safeText(text: string): string {
  return escapeControls(text, '\n\t');
}

/** True for errors the user can fix (as opposed to bugs). */
export function isMoeplanError(error: unknown): error is MoeplanError {
  return error instanceof MoeplanError;
}
