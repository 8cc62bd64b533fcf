/**
 * The message catalogue: the English words of every message the core returns as data
 * ({@link Message}, src/core/messages.ts). One entry per code; the compiler rejects a
 * missing entry or an unknown code.
 *
 * Each entry gets the message's arguments and `name`, which writes a logical input name
 * the way the user gave it: `--decay-floor` at the terminal, `training.tokens` in a plan
 * file, the name itself (`decayFloor`) for the library. The core never imports this
 * module; the CLI (src/cli/) and the library API (src/index.ts) do.
 *
 * @example renderMessage({ code: 'allocation.extrapolation', args: { budget: 1e27, low: 1e20, high: 1e25 } })
 * // '1e27 FLOPs is outside the fitted range 1e20–1e25: extrapolation'
 */
import { registerMessageRenderer } from '../core/errors.js';
import { PRESET_LIST } from '../core/laws/index.js';
import type { Message, MessageArgs, MessageCode } from '../core/messages.js';
import { percent, sci, si, trimNumber } from '../io/format.js';

/** Writes a logical input name (`tokens`, `decayFloor`) as the user gave it: a flag, a plan field, a column. */
export type InputName = (input: string) => string;

/** The library's names: the logical name itself (`decayFloor`), as the API's options spell it. */
export const LOGICAL_NAMES: InputName = (input) => input;

type Entry<C extends MessageCode> = (args: Readonly<MessageArgs[C]>, name: InputName) => string;

/** A figure in a message: four significant digits, scientific notation. */
const short = (x: number): string => sci(x, 4);

const WHAT = { params: 'parameters', tokens: 'tokens' } as const;

export const CATALOGUE: { readonly [C in MessageCode]: Entry<C> } = {
  'allocation.raw-compute': (a) => `${a.law} is a law of raw training compute C: applied to C = ${short(a.budget)} FLOPs`,
  'allocation.raw-compute-from-cmin': (a) => `${a.law} is a law of raw training compute C: applied to Cmin as if it were C (give C to use C)`,
  'allocation.minimum-compute': (a) => `${a.law} is a law of minimum compute Cmin: applied to Cmin = ${short(a.cmin)} FLOPs`,
  'allocation.budget-unit': (a) => `budget in the law's unit: ${trimNumber(a.value, 4)} × ${short(a.unitFlops)} FLOPs${a.unitName ? ` (${a.unitName})` : ''}`,
  'allocation.native-size': (a) =>
    `native size ${a.quantity} = ${short(a.value)}; N = ${a.quantity.split(' ')[0]}/${a.perParam}${a.approximate ? ' is an approximation' : ''}`,
  'allocation.non-embedding': () => 'N counts non-embedding parameters',
  'law.note': (a) => a.text,
  'allocation.extrapolation': (a) => `${short(a.budget)} FLOPs is outside the fitted range ${short(a.low)}–${short(a.high)}: extrapolation`,

  'allocation.budget-not-positive': (a) => `the budget must be a positive number of FLOPs, got ${a.budget}`,
  'allocation.no-allocation': (a) => `law ${a.law} has no compute-optimal allocation (it is a compute model only)`,
  'allocation.no-allocation.hint': (_a, name) =>
    `use ${name('law')} ${PRESET_LIST.filter((law) => law.allocation)
      .map((law) => law.name)
      .join(', ')}, or a law file with an allocation`,
  'allocation.needs-loss-model': (a) => `law ${a.law}: allocation kind "loss" needs a loss model (loss.E, A, B, alpha, beta)`,
  'allocation.no-closed-form': (a) => `law ${a.law}: loss kind "${a.kind}" has no closed form here`,
  'allocation.not-positive': (a) => `the ${a.what === 'params' ? 'parameter' : 'token'} count must be a positive finite number, got ${a.value}`,
  'allocation.no-budget': (a) => `no budget makes ${a.value} ${WHAT[a.what]} optimal under law ${a.law}: the solve ${a.overflows ? 'overflows' : 'underflows'}`,
  'allocation.no-budget.hint': () => 'check the magnitude of the size or token count',

  'input.not-one-of': (a, name) => `${name(a.input)}: "${a.value}" is not one of ${a.choices.join(', ')}`,
  'input.not-positive': (a, name) => `${name(a.input)}: ${a.value} is out of range; expected a positive number`,
  'input.not-fraction': (a, name) => `${name(a.input)}: ${a.value} is out of range; expected a fraction in ${a.zero ? '[0' : '(0'}, ${a.one ? '1]' : '1)'}`,
  'input.not-whole-at-least': (a, name) => `${name(a.input)}: ${a.value} is out of range; expected a whole number, at least ${a.min}`,
  'input.negative-tokens': (a, name) => `${name(a.input)}: ${a.value} is out of range; expected 0 or more tokens`,

  'schedule.floor-below-anneal': (a, name) =>
    `${name('decayFloor')} (${a.decayFloor}) is below ${name('annealFactor')} (${a.annealFactor}): annealing would raise the rate`,
  'schedule.floor-below-anneal.hint': () => 'the decay ends at or above the final rate; annealing then lowers it',
  'schedule.no-anneal-tokens': (a, name) => `${name('annealFraction')}: ${a.annealFraction} is too small to leave any annealing tokens`,
  'schedule.no-decay-tokens': (a, name) =>
    `${name('warmupTokens')} (${si(a.warmupTokens)}, ${percent(a.warmupTokens / a.totalTokens)} of the tokens) and ${name('annealFraction')} (${percent(a.annealFraction)}) leave no tokens for the decay`,
  'schedule.no-decay-tokens.hint': () => 'shorten the warm-up or the annealing phase',
};

/**
 * A message in English, naming inputs with `name` (by default their logical names).
 *
 * @example renderMessage({ code: 'allocation.non-embedding', args: {} }) // 'N counts non-embedding parameters'
 */
export function renderMessage(message: Message, name: InputName = LOGICAL_NAMES): string {
  const entry = CATALOGUE[message.code] as Entry<typeof message.code>;
  return entry(message.args as never, name);
}

registerMessageRenderer((message) => renderMessage(message));
