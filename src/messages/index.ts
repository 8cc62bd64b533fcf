/**
 * Words for the core's messages: {@link renderMessage} for a note or hint
 * (`{ code, args }`), {@link renderError} and {@link withInputNames} for a
 * {@link MoeplanError} the core threw with its message as data. See catalogue.ts.
 */
import { MoeplanError } from '../core/errors.js';
import { type InputName, LOGICAL_NAMES, renderMessage } from './catalogue.js';

export { CATALOGUE, type InputName, LOGICAL_NAMES, renderMessage } from './catalogue.js';

/**
 * The message and hint of an error in words, inputs named with `name`; an error thrown
 * with words (not data) as it is.
 */
export function renderError(error: MoeplanError, name: InputName = LOGICAL_NAMES): { readonly message: string; readonly hint: string | undefined } {
  const data = error.data;
  if (!data) return { message: error.message, hint: error.hint };
  return { message: renderMessage(data.message, name), hint: data.hint ? renderMessage(data.hint, name) : error.hint };
}

/** `evaluate()`, with a core error it throws named as `name` writes its inputs ({@link withInputNames}). */
export function withNames<T>(evaluate: () => T, name: InputName): T {
  try {
    return evaluate();
  } catch (error) {
    throw withInputNames(error, name);
  }
}

/**
 * The same error in words, its inputs named with `name` and its `field` so named: for a
 * command to rethrow a core error as its user gave the input (a flag, a plan field).
 * Anything else is returned as it is.
 */
export function withInputNames<E>(error: E, name: InputName): E | MoeplanError {
  if (!(error instanceof MoeplanError) || !error.data) return error;
  const { message, hint } = renderError(error, name);
  return new MoeplanError(error.code, message, {
    ...(hint !== undefined ? { hint } : {}),
    ...(error.field !== undefined ? { field: name(error.field) } : {}),
  });
}
