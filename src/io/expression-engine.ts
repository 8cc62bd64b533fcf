/**
 * The one place where arithmetic expressions are evaluated: a minimal, locked-down mathjs
 * instance. It is loaded lazily (dynamic import) only when an input is not a plain number,
 * because importing mathjs costs far more than the rest of the CLI.
 *
 * Lock-down, in order:
 * 1. the text is at most {@link MAX_EXPRESSION_LENGTH} characters and uses only digits,
 *    letters, `.`, `+ - * / ^ ( ) ,`, `%` and spaces;
 * 2. the instance is built from the dependencies of a few functions only, and `import`,
 *    `createUnit`, `evaluate`, `parse`, `compile`, `simplify`, `derivative`, `resolve`
 *    and `reviver` are replaced by functions that refuse;
 * 3. the parsed tree is walked before anything is evaluated: only constants, the four
 *    operations, powers, unary minus and plus, parentheses and calls to
 *    {@link ALLOWED_FUNCTIONS} pass, at most {@link MAX_DEPTH} levels deep. Symbols,
 *    assignments, function definitions, property access, matrices, ranges, conditionals
 *    and everything else are refused with the name of what was found.
 */
import {
  addDependencies,
  create,
  divideDependencies,
  expDependencies,
  logDependencies,
  maxDependencies,
  minDependencies,
  multiplyDependencies,
  parseDependencies,
  powDependencies,
  sqrtDependencies,
  subtractDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
} from 'mathjs';
import { MoeplanError } from '../core/errors.js';
import { printable } from './format.js';
import type { WrittenText } from './quantity.js';

export const MAX_EXPRESSION_LENGTH = 200;
export const MAX_DEPTH = 24;
export const ALLOWED_FUNCTIONS: readonly string[] = ['sqrt', 'log', 'exp', 'min', 'max'];
const ALLOWED_OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);
const REFUSED = ['import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'derivative', 'resolve', 'reviver'];

const dependencies = {
  addDependencies,
  subtractDependencies,
  multiplyDependencies,
  divideDependencies,
  powDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  sqrtDependencies,
  logDependencies,
  expDependencies,
  minDependencies,
  maxDependencies,
  parseDependencies,
};
const math = create(dependencies as unknown as Parameters<typeof create>[0], { number: 'number', predictable: true });
// Keep a private handle on parse, then refuse the dangerous entry points on the instance.
const parse = math.parse;
const refuse = (name: string) => () => {
  throw new Error(`${name} is disabled`);
};
math.import(Object.fromEntries(REFUSED.map((name) => [name, refuse(name)])), { override: true });

/** What a refused character would do in mathjs, for the message. */
const CHARACTER_USE: Readonly<Record<string, string>> = {
  '=': 'assignments and function definitions',
  '[': 'matrices',
  ']': 'matrices',
  '{': 'objects',
  '}': 'objects',
  ':': 'ranges',
  '?': 'conditionals',
  '"': 'strings',
  "'": 'strings and transposes',
  ';': 'several statements',
  '!': 'factorials',
  '&': 'logical operators',
  '|': 'logical operators',
  '<': 'comparisons and shifts',
  '>': 'comparisons and shifts',
  _: 'names',
  $: 'names',
};

interface MathNodeLike {
  type: string;
  fn?: unknown;
  op?: string;
  name?: string;
  value?: unknown;
  args?: MathNodeLike[];
  content?: MathNodeLike;
  implicit?: boolean;
}

function describe(node: MathNodeLike): string {
  switch (node.type) {
    case 'AssignmentNode':
      return 'assignments';
    case 'FunctionAssignmentNode':
      return 'function definitions';
    case 'AccessorNode':
    case 'IndexNode':
    case 'ObjectNode':
      return 'property access';
    case 'ArrayNode':
    case 'RangeNode':
      return 'matrices and ranges';
    case 'SymbolNode':
      return `the name "${node.name}" (only numbers and ${ALLOWED_FUNCTIONS.join(', ')} are allowed)`;
    default:
      return `${node.type.replace(/Node$/, '').toLowerCase()} expressions`;
  }
}

function check(node: MathNodeLike, depth: number, field: string, text: string): void {
  const fail = (what: string) =>
    new MoeplanError('UNSAFE_EXPRESSION', `${field}: "${text}" uses ${what}, which is not allowed`, {
      field,
      hint: `expressions may use numbers, + - * / ^, parentheses and ${ALLOWED_FUNCTIONS.join(', ')}`,
    });
  if (depth > MAX_DEPTH) throw fail(`more than ${MAX_DEPTH} levels of nesting`);
  switch (node.type) {
    case 'ConstantNode':
      if (typeof node.value !== 'number') throw fail('a non-numeric constant');
      return;
    case 'ParenthesisNode':
      if (!node.content) throw fail('an empty parenthesis');
      check(node.content, depth + 1, field, text);
      return;
    case 'OperatorNode':
      if (typeof node.fn !== 'string' || !ALLOWED_OPERATORS.has(node.fn)) throw fail(`the operator "${node.op}"`);
      for (const arg of node.args ?? []) check(arg, depth + 1, field, text);
      return;
    case 'FunctionNode': {
      const fn = node.fn as MathNodeLike | undefined;
      if (fn?.type !== 'SymbolNode' || !ALLOWED_FUNCTIONS.includes(fn.name ?? '')) {
        throw fail(`the function "${fn?.name ?? '?'}"`);
      }
      for (const arg of node.args ?? []) check(arg, depth + 1, field, text);
      return;
    }
    default:
      throw fail(describe(node));
  }
}

/**
 * Evaluate an arithmetic expression to a number, or throw a `MoeplanError` naming `field`.
 * `written` is what the user typed when `text` was rewritten from it (suffixes expanded):
 * messages quote it, and character positions point into it.
 *
 * @example evaluateExpression('6*52e9*7e12', '--flops') // 2.184e24
 */
export function evaluateExpression(text: string, field: string, written: WrittenText = { text, position: (i) => i }): number {
  const shown = truncate(written.text);
  if (written.text.length > MAX_EXPRESSION_LENGTH) {
    throw new MoeplanError('UNSAFE_EXPRESSION', `${field}: expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, {
      field,
      hint: 'write the value as a plain number',
    });
  }
  if (!/^[0-9A-Za-z.+\-*/^(), \t]*$/.test(text)) {
    const index = text.search(/[^0-9A-Za-z.+\-*/^(), \t]/u);
    const bad = printable(Array.from(text.slice(index))[0] ?? '');
    const what = CHARACTER_USE[bad] ? ` (${CHARACTER_USE[bad]})` : '';
    const at = written.position(index) + 1;
    throw new MoeplanError('UNSAFE_EXPRESSION', `${field}: "${shown}" contains "${bad}"${what} at character ${at}, which is not allowed in a quantity`, {
      field,
      hint:
        bad === '%'
          ? `a percentage inside an expression is not read as one: write it as a fraction (40% is 0.4)`
          : `expressions may use numbers, + - * / ^, parentheses and ${ALLOWED_FUNCTIONS.join(', ')}`,
    });
  }
  let tree: MathNodeLike;
  try {
    tree = parse(text) as unknown as MathNodeLike;
  } catch (error) {
    const message = (error as Error).message.replace(/\(char (\d+)\)/g, (_m, at: string) => `(character ${written.position(Number(at) - 1) + 1})`);
    throw new MoeplanError('INVALID_QUANTITY', `${field}: "${shown}" is not a number or an expression (${message})`, {
      field,
      hint: 'use a plain number (52e9), a suffix (52B) or an expression (6*52e9*7e12)',
    });
  }
  check(tree, 0, field, shown);
  let value: unknown;
  try {
    value = (tree as unknown as { compile(): { evaluate(): unknown } }).compile().evaluate();
  } catch (error) {
    // A whitelisted function called wrongly, e.g. min() with no arguments.
    throw new MoeplanError('INVALID_QUANTITY', `${field}: "${shown}" cannot be evaluated (${firstLine((error as Error).message)})`, {
      field,
      hint: `expressions may use numbers, + - * / ^, parentheses and ${ALLOWED_FUNCTIONS.join(', ')} (each with at least one argument)`,
    });
  }
  if (typeof value !== 'number') {
    throw new MoeplanError('INVALID_QUANTITY', `${field}: "${shown}" does not evaluate to a real number`, { field });
  }
  return value;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

function truncate(text: string): string {
  return printable(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
