/**
 * The one error type for mistakes a user can fix: bad input, a solve with no answer,
 * a file that cannot be read. It carries a stable `code`, a message that names the flag
 * or field, and a `hint` that says what to do. Anything thrown that is not a
 * `MoeplanError` is a bug.
 *
 * The core throws it with its message and hint as data ({@link Message}, in `data`) and
 * the logical input in `field` (`tokens`, never `--tokens`); the CLI renders them with the
 * flag or plan-field names of where the input came from. `message` and `hint` read as
 * English with the logical names, rendered by the catalogue in src/messages/ (which
 * registers itself when loaded; the core never imports it).
 */
import type { Message } from './messages.js';

const BRAND = Symbol.for('moeplan.MoeplanError');
const RENDERER = Symbol.for('moeplan.renderMessage');

/** Renders a message in words with the logical input names; set by the message catalogue. */
export type MessageRenderer = (message: Message) => string;

/** The registered renderer, or a plain `code {args}` when no catalogue is loaded. */
function rendered(message: Message): string {
  const render = (globalThis as { [RENDERER]?: MessageRenderer })[RENDERER];
  return safeText(render ? render(message) : `${message.code} ${JSON.stringify(message.args)}`);
}

/** Called by the message catalogue when it loads (a global: each bundle has its own copy of this module). */
export function registerMessageRenderer(render: MessageRenderer): void {
  (globalThis as { [RENDERER]?: MessageRenderer })[RENDERER] = render;
}

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
  declare readonly hint: string | undefined;
  /**
   * The flag or field the error is about, e.g. `--params` or `training.tokens`; for an
   * error thrown with data, the logical input (`params`, `tokens`).
   */
  readonly field: string | undefined;
  /** The message and hint as data, for an error the core throws: the CLI renders them. */
  readonly data: { readonly message: Message; readonly hint?: Message } | undefined;

  constructor(code: string, message: string | Message, options: { hint?: string | Message; field?: string } = {}) {
    // An error the user fixes, not a bug: its stack is never shown, and capturing one is
    // most of what an error costs (a batch of bad rows makes one per row).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(typeof message === 'string' ? safeText(message) : undefined);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'MoeplanError';
    this.code = code;
    this.field = options.field;
    const hint = options.hint;
    if (typeof message === 'string') {
      this.data = undefined;
      Object.defineProperty(this, 'hint', {
        value: hint === undefined ? undefined : safeText(typeof hint === 'string' ? hint : rendered(hint)),
        enumerable: true,
      });
    } else {
      this.data = { message, ...(hint !== undefined && typeof hint !== 'string' ? { hint } : {}) };
      // Rendered when read, so that the catalogue may load after the error is made.
      Object.defineProperty(this, 'message', { get: () => rendered(message), configurable: true });
      Object.defineProperty(this, 'hint', {
        get: () => (hint === undefined ? undefined : typeof hint === 'string' ? safeText(hint) : rendered(hint)),
        enumerable: true,
        configurable: true,
      });
    }
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
