/**
 * The one escaping of user-supplied text (plan names, file names, law names, field values,
 * messages that quote them) for every output format. Each format starts from
 * {@link plain} and adds what its own syntax needs:
 *
 * - {@link plain}: text for a terminal or a CI log. Control characters (ESC, OSC, C1,
 *   newlines, tabs), bidi overrides and zero-width characters are written `\uXXXX`, so a
 *   value can neither drive a terminal (colour, clipboard via OSC 52) nor start a line of
 *   its own; `::` and `##[` are broken (`:\u003a`), so it cannot become a GitHub Actions
 *   workflow command wherever it lands in a line.
 * - {@link markdown}: plain text, then HTML special characters as entities and Markdown
 *   punctuation backslash-escaped, and mentions, issue references and bare links broken by
 *   an invisible `&#8203;`, so a value shows as written and never becomes markup.
 * - {@link inlineCode}: plain text in a code span whose fence is longer than any run of
 *   backticks inside (nothing in a code span is markup).
 * - GitHub workflow commands escape their data and properties on top of {@link plain}
 *   (`report/github.ts`).
 * - {@link guardLines}: a last guard for whole output text (messages, warnings): a line
 *   that would start a workflow command gets its first `:` escaped.
 */
import { escapeControls } from '../../core/errors.js';

/** `::` (a workflow command) and `##[` (the older form), wherever they are. */
const COMMAND_MARKS = /::|##\[/g;

/**
 * User text safe for a terminal and a CI log: every control character as `\uXXXX`
 * (newlines and tabs too), `::` as `:\u003a` and `##[` as `#\u0023[`.
 *
 * @example plain('ok\n::error::x') // 'ok\\u000a:\\u003aerror:\\u003ax'
 */
export function plain(text: string): string {
  return escapeControls(text).replace(COMMAND_MARKS, (mark) => (mark === '::' ? ':\\u003a' : '#\\u0023['));
}

/** Markdown punctuation that could start emphasis, code, links, images, tables, math or footnotes. */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~$#]/g;
/** A list marker at the start of a list item's text (`- `, `+ `, `1. `). */
const LIST_MARKER = /^(?:[-+]|(\d{1,9})([.)]))(?= |$)/;

/**
 * User text safe in Markdown (a comment, a job summary), inline: plain text, `&`, `<`, `>`
 * as entities (no raw HTML), Markdown punctuation backslash-escaped (and a list marker at
 * its start), and `@name`,
 * `#123`, `www.` and `scheme://` broken with a zero-width space entity, so GitHub neither
 * notifies, links an issue nor turns the text into a link.
 *
 * @example markdown('<img src=x> @team') // '&lt;img src=x&gt; @&#8203;team'
 */
export function markdown(text: string): string {
  return plain(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, (c) => (c === '#' ? '#&#8203;' : `\\${c}`))
    .replace(LIST_MARKER, (m, digits?: string, mark?: string) => (digits ? `${digits}\\${mark}` : `\\${m}`))
    .replace(/@/g, '@&#8203;')
    .replace(/:\/\//g, '&#8203;://')
    .replace(/www\./gi, (w) => `${w.slice(0, 3)}&#8203;.`);
}

/**
 * User text as inline code: plain text inside a fence of backticks longer than any run in
 * it. Safe in a heading; in a table cell `|` is escaped as GitHub requires.
 *
 * @example inlineCode('a`b') // '``a`b``'
 */
export function inlineCode(text: string, inTable = false): string {
  const body = plain(text);
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || body.startsWith(' ') ? ' ' : '';
  const cell = inTable ? body.replace(/\|/g, '\\|') : body;
  return `${fence}${pad}${cell}${pad}${fence}`;
}

/** A line that would start a workflow command (after leading blanks, as the runner reads it). */
const COMMAND_LINE = /^([ \t]*)(:(?=:)|#(?=#\[))/gm;

/**
 * Output text with no line that starts a workflow command: the first character of `::` or
 * `##[` at the start of a line is escaped. Our own annotation lines are written past it.
 */
export function guardLines(text: string): string {
  return text.replace(COMMAND_LINE, (_match, blanks: string, mark: string) => `${blanks}${mark === ':' ? '\\u003a' : '\\u0023'}`);
}

/** Characters JSON.stringify leaves raw that a terminal or an editor may act on: DEL, C1, bidi and zero-width controls, line separators. */
const JSON_RAW_CONTROLS = /[\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * JSON text with every control character escaped (`JSON.stringify` escapes only C0): the
 * same document, safe to print. These characters only occur inside strings.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_RAW_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
