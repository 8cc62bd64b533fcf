/**
 * Reading plan files: YAML or JSON (JSON is read by the same YAML parser, so both get
 * line and column positions), validated against the zod schema in `plan-schema.ts`.
 *
 * `yaml` and `zod` are imported lazily, inside {@link readPlanFile} and
 * {@link parsePlanText}, so that commands that never read a plan do not load them.
 *
 * Hostile input is refused before it can cost much:
 * - files larger than {@link MAX_PLAN_BYTES} are not read;
 * - more than {@link MAX_FLOW_DEPTH} nested `[` / `{` are refused before parsing (the YAML
 *   parser recurses and would exhaust the stack or memory);
 * - aliases are limited (`maxAliasCount`), so alias bombs stop early; tags the core schema
 *   does not know (`!!js/function`, `!foo`), several documents in one file, duplicate keys
 *   and keys that are not plain text are errors;
 * - nothing is quadratic in the size of the input (duplicate keys are found with a set);
 * - quantities are strings of at most 200 characters, evaluated only by the locked-down
 *   expression engine, which checks the parsed tree before evaluating anything.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import type { CheckId, Plan, PlanLimit } from '../core/checks/index.js';
import { MoeplanError } from '../core/errors.js';
import { fsReason } from './fs-error.js';
import { acceleratorPeakFlops } from '../core/hardware.js';
import { type ParamsMeaning, paramsForLaw } from '../core/law-params.js';
import type { Law } from '../core/laws/types.js';
import { resolveLaw } from './law-file.js';
import type { ArchitectureCompute } from './architecture-compute.js';
import type { ModelConfig } from './model-config.js';
import type { PlanData } from './plan-schema.js';
import { closest } from './suggest.js';
import { type InputName, withNames } from '../messages/index.js';
import { isStdin, readStdinBytes } from './stdin.js';

/** The plan fields of the core's logical inputs, where a plan sets them (others keep their name). */
const PLAN_FIELDS: Readonly<Record<string, string>> = {
  activatedParams: 'model.activatedParams',
  experts: 'model.experts',
  topK: 'model.topK',
  tokens: 'training.tokens',
  batchTokens: 'training.batchTokens',
  criticalBatchTokens: 'training.criticalBatchTokens',
  loss: 'training.loss',
  maxLr: 'training.lr.max',
  noiseTokens: 'training.lr.noiseTokens',
  seqLen: 'training.seqLen',
  gpu: 'hardware.gpu',
  peakFlops: 'hardware.peakFlops',
  count: 'hardware.count',
  mfu: 'hardware.mfu',
};

/** A logical input as the plan field that sets it: `tokens` is `training.tokens`, `gpu` is `hardware.gpu`. */
export const planFieldName: InputName = (input) => PLAN_FIELDS[input] ?? input;

/** Largest plan file read, in bytes. Plans are a few hundred bytes. */
export const MAX_PLAN_BYTES = 256 * 1024;
/** Deepest nesting of flow collections (`[`, `{`) accepted. A plan needs 3. */
export const MAX_FLOW_DEPTH = 32;
/** Largest number of alias expansions (`*name`) when building the data. */
export const MAX_ALIASES = 50;

/** A position in a file, 1-based. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One thing wrong with a plan file. */
export interface PlanProblem {
  /** Dotted path of the field, e.g. `training.tokens`; absent for syntax errors. */
  readonly field?: string;
  /** What is wrong, without the file and field. */
  readonly message: string;
  readonly hint?: string;
  readonly line?: number;
  readonly column?: number;
}

/** A plan file that could not be read: every problem found, each with its position. */
export class PlanFileError extends MoeplanError {
  readonly file: string;
  readonly problems: readonly PlanProblem[];

  constructor(file: string, problems: readonly PlanProblem[]) {
    const first = problems[0] as PlanProblem;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    super('INVALID_PLAN', `${formatProblem(file, first)}${more}`, {
      ...(first.hint ? { hint: first.hint } : {}),
      ...(first.field ? { field: first.field } : {}),
    });
    this.name = 'PlanFileError';
    this.file = file;
    this.problems = problems;
  }
}

/** `plan.yaml:12:5: training.tokens: "7X" has an unknown suffix "X"`. */
export function formatProblem(file: string, problem: PlanProblem): string {
  const where = problem.line !== undefined ? `${file}:${problem.line}:${problem.column ?? 1}` : file;
  return `${where}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`;
}

/** A plan read, validated and resolved. */
export interface LoadedPlan {
  /** The file as shown in reports (relative to the working directory when inside it). */
  readonly file: string;
  /** Absolute path. */
  readonly path: string;
  readonly format: 'yaml' | 'json';
  /** The validated data (every quantity a number). */
  readonly data: PlanData;
  /** The plan as the core checks take it. */
  readonly plan: Plan;
  readonly law: Law;
  /**
   * Where N came from when the plan gives `model.config` instead of
   * `model.activatedParams`, and which count of the model the law took (see `paramsForLaw`).
   */
  readonly paramsFrom?: { readonly field: 'model.config'; readonly meaning: ParamsMeaning };
  /**
   * The model config of `model.config`, when given: its path as the plan wrote it, the keys
   * its family does not know (left out of the counts; errors under `strict`), and its
   * architecture count of training FLOPs per token at the plan's sequence length.
   */
  readonly config?: { readonly path: string; readonly model: ModelConfig; readonly compute: ArchitectureCompute };
  /** How C is counted: `law` (the law's compute model) or `arch` (the architecture's, `law: arch` or `compute: arch`). */
  readonly computeFrom: 'law' | 'arch';
  /** Position of a field (its key) in the file, e.g. `['limits', 'days']`. */
  positionOf(path: readonly (string | number)[]): Position | undefined;
}

/**
 * Read, validate and resolve one plan file. Relative paths in the plan (`law:`,
 * `model.config`) are resolved against the plan file's directory.
 *
 * @throws PlanFileError listing every problem with its field path and line:column.
 * @example const loaded = await readPlanFile('examples/plans/hunyuan-large.yaml', { cwd: process.cwd() });
 */
export async function readPlanFile(file: string, options: { cwd: string; strict?: boolean }): Promise<LoadedPlan> {
  if (isStdin(file)) {
    // Paths in a plan read from stdin are relative to the working directory.
    let bytes: Uint8Array;
    try {
      bytes = await readStdinBytes('stdin', MAX_PLAN_BYTES);
    } catch (error) {
      if (!(error instanceof MoeplanError)) throw error;
      throw new PlanFileError('stdin', [{ message: error.message.replace(/^stdin: /, ''), ...(error.hint ? { hint: error.hint } : {}) }]);
    }
    return parsePlanText(decodePlan(bytes, 'stdin'), { file: 'stdin', baseDir: options.cwd, ...strictOf(options) });
  }
  const path = resolve(options.cwd, file);
  const shown = displayPath(path, options.cwd);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new PlanFileError(shown, [{ message: 'is not a file', hint: 'give the path of a .yaml, .yml or .json plan' }]);
    size = info.size;
  } catch (error) {
    if (error instanceof MoeplanError) throw error;
    throw new PlanFileError(shown, [{ message: fsReason(error), hint: 'check the path of the plan file' }]);
  }
  if (size > MAX_PLAN_BYTES) throw tooLarge(shown, size);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    // A read that fails after the file was found (permissions, I/O): this plan only.
    throw new PlanFileError(shown, [{ message: fsReason(error), hint: 'check the plan file and its permissions' }]);
  }
  return parsePlanText(decodePlan(bytes, shown), { file: shown, path, baseDir: dirname(path), ...strictOf(options) });
}

function strictOf(options: { strict?: boolean }): { strict?: true } {
  return options.strict === true ? { strict: true } : {};
}

function decodePlan(bytes: Uint8Array, shown: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PlanFileError(shown, [{ message: 'is not valid UTF-8 text', hint: 'save the plan as UTF-8' }]);
  }
}

/**
 * Validate and resolve plan text. `file` names it in messages, `baseDir` is where relative
 * paths in the plan are resolved; the format comes from the extension of `file` (`.json`)
 * or the first character (`{`). Under `strict`, a key of `model.config` that its family
 * does not know is an error (else it is listed in `config.model.unknownKeys`).
 */
export async function parsePlanText(text: string, options: { file: string; path?: string; baseDir: string; strict?: boolean }): Promise<LoadedPlan> {
  const { file, baseDir } = options;
  if (text.length > MAX_PLAN_BYTES) throw tooLarge(file, text.length);
  const format: 'yaml' | 'json' = extname(file).toLowerCase() === '.json' || /^\uFEFF?\s*\{/.test(text) ? 'json' : 'yaml';
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;

  const deep = tooDeep(body);
  if (deep !== undefined) {
    throw new PlanFileError(file, [
      {
        message: `is nested more than ${MAX_FLOW_DEPTH} levels deep (or indented more than ${MAX_INDENT} columns)`,
        hint: 'a plan nests three levels; check the file is a plan',
        ...lineColumn(body, deep),
      },
    ]);
  }

  if (format === 'json') {
    // The YAML parser reads JSON (and gives positions) but forgives trailing commas and
    // comments; JSON.parse says whether the file really is JSON.
    try {
      JSON.parse(body);
    } catch (error) {
      const message = (error as Error).message;
      const offset = /position (\d+)/.exec(message)?.[1];
      throw new PlanFileError(file, [
        {
          message: `JSON syntax: ${message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '')}`,
          ...(offset !== undefined ? lineColumn(body, Number(offset)) : {}),
        },
      ]);
    }
  }
  const yaml = await loadYaml();
  const lineCounter = new yaml.LineCounter();
  // `resolveKnownTags: false`: the YAML 1.1 types (!!omap, !!set, !!timestamp, !!binary,
  // !!pairs) would become Map, Set, Date or bytes, which the schema would read as `{}`.
  const doc = yaml.parseDocument(body, {
    lineCounter,
    uniqueKeys: false,
    prettyErrors: false,
    strict: true,
    schema: 'core',
    resolveKnownTags: false,
    logLevel: 'error',
  });
  const at = (offset: number | undefined): Partial<Position> => (offset === undefined ? {} : toPosition(lineCounter, offset));
  const syntax = doc.errors.map((e): PlanProblem => ({ message: syntaxMessage(e.message, format), ...at(e.pos[0]) }));
  if (syntax.length > 0) throw new PlanFileError(file, syntax);
  const tags = tagProblems(doc, yaml, at);
  if (tags.length > 0) throw new PlanFileError(file, tags);
  const warnings = doc.warnings.map((e): PlanProblem => ({ message: syntaxMessage(e.message, format), ...at(e.pos[0]) }));
  if (warnings.length > 0) throw new PlanFileError(file, warnings);
  const structural = structureProblems(doc, yaml, (offset) => at(offset));
  if (structural.length > 0) throw new PlanFileError(file, structural);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      throw new PlanFileError(file, [
        { message: `uses aliases too often (at most ${MAX_ALIASES} expansions): ${error.message}`, hint: 'write the values out instead of repeating aliases' },
      ]);
    }
    throw error;
  }
  if (raw === null || raw === undefined) {
    throw new PlanFileError(file, [{ message: 'is empty', hint: 'a plan needs at least `limits:`; run `moeplan schema` for the format' }]);
  }

  const positionOf = (path: readonly (string | number)[]): Position | undefined => {
    const node = locate(doc, yaml, path);
    return node === undefined ? undefined : toPosition(lineCounter, node);
  };
  // Whatever the parser's options, only plain data goes on: objects, arrays, text, numbers,
  // booleans and null. A Map, Set, Date or byte array would pass the schema as `{}`.
  const foreign = notPlainData(raw, []);
  if (foreign) {
    throw new PlanFileError(file, [
      {
        ...(foreign.path.length > 0 ? { field: foreign.path.join('.') } : {}),
        message: `is ${foreign.what}, not plain data`,
        hint: PLAIN_HINT,
        ...positionOf(foreign.path),
      },
    ]);
  }

  const { planSchema, knownPlanKeys } = await import('./plan-schema.js');
  const result = await planSchema.safeParseAsync(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => issueProblem(issue, positionOf, knownPlanKeys)).sort(byPosition);
    throw new PlanFileError(file, problems);
  }
  const data = result.data;

  const archLaw = data.law?.trim().toLowerCase() === 'arch';
  let law: Law | undefined;
  if (!archLaw) {
    try {
      law = await resolveLaw(data.law, { cwd: baseDir, field: 'law' });
    } catch (error) {
      throw located(file, error, 'law', positionOf(['law']));
    }
  }
  const resolved = await toPlan(data, law, file, baseDir, positionOf, options.strict === true);
  return {
    file,
    path: options.path ?? resolve(baseDir, basename(file)),
    format,
    data,
    plan: resolved.plan,
    law: resolved.law,
    ...(resolved.paramsFrom ? { paramsFrom: resolved.paramsFrom } : {}),
    ...(resolved.config ? { config: resolved.config } : {}),
    computeFrom: archLaw || data.compute === 'arch' ? 'arch' : 'law',
    positionOf,
  };
}

/**
 * Turn validated data into the core's `Plan` (defaults applied, accelerator resolved), and
 * the law it is checked under: `law` as resolved, or, with `model.config`, the
 * architecture's compute model (`law: arch`, when `law` is undefined) or the law with its
 * compute replaced by the architecture's (`compute: arch`).
 */
async function toPlan(
  data: PlanData,
  resolvedLaw: Law | undefined,
  file: string,
  baseDir: string,
  positionOf: (path: readonly (string | number)[]) => Position | undefined,
  strict: boolean,
): Promise<{ plan: Plan; law: Law; paramsFrom?: LoadedPlan['paramsFrom']; config?: LoadedPlan['config'] }> {
  const model = data.model ?? {};
  let { activatedParams, experts, topK } = model;
  let paramsFrom: LoadedPlan['paramsFrom'];
  let architecture: Plan['model']['architecture'];
  let config: LoadedPlan['config'];
  let law = resolvedLaw;
  const seqLen = data.training?.seqLen ?? data.parallelism?.seqLen;
  if (model.config !== undefined) {
    // The config gives N (the count the law takes: activated, output projection counted,
    // for eq. 2; non-embedding for Kaplan) and, for an MoE model, the expert count and
    // top-k unless the plan states them.
    const [{ readModelConfig }, { parameterCounts }, arch] = await Promise.all([
      import('./model-config.js'),
      import('../core/architecture.js'),
      import('./architecture-compute.js'),
    ]);
    let read: ModelConfig;
    try {
      read = await readModelConfig(model.config, baseDir, 'model.config', { strict });
    } catch (error) {
      throw located(file, error, 'model.config', positionOf(['model', 'config']));
    }
    const seqLenField =
      data.training?.seqLen !== undefined ? 'training.seqLen' : data.parallelism?.seqLen !== undefined ? 'parallelism.seqLen' : 'training.seqLen';
    const compute = arch.architectureCompute(read, seqLen, seqLenField);
    config = { path: model.config, model: read, compute };
    const counts = parameterCounts(read.architecture);
    if (law === undefined) law = arch.architectureLaw(read, compute);
    const counted = paramsForLaw(counts, law);
    if (data.compute === 'arch' && resolvedLaw !== undefined) law = arch.withArchitectureCompute(law, compute, counted.params);
    activatedParams = counted.params;
    paramsFrom = { field: 'model.config', meaning: counted.meaning };
    architecture = read.architecture;
    experts ??= read.architecture.moe?.routedExperts;
    topK ??= read.architecture.moe?.topK;
  }
  // The schema refuses law: arch and compute: arch without model.config.
  if (law === undefined) throw new Error('plan law unresolved');
  const hardware = data.hardware ?? {};
  const gpu = hardware.gpu;
  const peakFlops = hardware.peakFlops ?? (gpu !== undefined ? withNames(() => acceleratorPeakFlops(gpu), planFieldName) : undefined);
  const limits: Partial<Record<CheckId, PlanLimit>> = {};
  for (const [id, limit] of Object.entries(data.limits) as [
    CheckId,
    { max?: number; within?: number; headroom?: number; level?: PlanLimit['level'] } | undefined,
  ][]) {
    if (!limit) continue;
    const key = limit.max !== undefined ? 'max' : limit.within !== undefined ? 'within' : 'headroom';
    limits[id] = { value: (limit.max ?? limit.within ?? limit.headroom) as number, level: limit.level ?? 'error', ...(key === 'headroom' ? { key } : {}) };
  }
  const plan: Plan = {
    name: data.name ?? basename(file).replace(/\.(ya?ml|json)$/i, ''),
    model: defined({ activatedParams, experts, topK, architecture }),
    training: defined({
      tokens: data.training?.tokens,
      batchTokens: data.training?.batchTokens,
      criticalBatchTokens: data.training?.criticalBatchTokens,
      loss: data.training?.loss,
      seqLen: data.training?.seqLen,
      lr: data.training?.lr ? defined({ ...data.training.lr }) : undefined,
    }),
    hardware: defined({ gpu: hardware.gpu, peakFlops, count: hardware.count, mfu: hardware.mfu, price: hardware.price }),
    ...(data.parallelism ? { parallelism: defined({ ...data.parallelism, seqLen }) } : {}),
    limits,
  };
  return { plan, law, ...(paramsFrom ? { paramsFrom } : {}), ...(config ? { config } : {}) };
}

/** Drop keys whose value is undefined (so optional fields are absent, not undefined). */
function defined<T extends Record<string, unknown>>(object: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function located(file: string, error: unknown, field: string, position: Position | undefined): unknown {
  if (!(error instanceof MoeplanError) || error instanceof PlanFileError) return error;
  const message = error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
  return new PlanFileError(file, [{ field, message, ...(error.hint ? { hint: error.hint } : {}), ...position }]);
}

type Yaml = typeof import('yaml');

/** The yaml module; bundled, its CommonJS build arrives as the default export. */
async function loadYaml(): Promise<Yaml> {
  const module = (await import('yaml')) as Yaml & { default?: Yaml };
  return typeof module.parseDocument === 'function' ? module : (module.default as Yaml);
}

/** Problems the parser accepts but a plan must not have: a root that is not a mapping, keys that are not text. */
function structureProblems(doc: Document, yaml: Yaml, at: (offset: number | undefined) => Partial<Position>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const root = doc.contents;
  if (root !== null && !yaml.isMap(root)) {
    problems.push({
      message: `must be a mapping of keys (name, model, training, hardware, limits), not ${yaml.isSeq(root) ? 'a list' : 'a single value'}`,
      ...at(root.range?.[0]),
    });
    return problems;
  }
  // Duplicate keys are found here with a set per mapping: the parser's own check
  // (`uniqueKeys`) compares every pair with every other, which is slow on large input.
  yaml.visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key as YamlNode | null;
        if (key === null) continue;
        if (!(yaml.isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number'))) {
          problems.push({ message: 'keys must be plain text', ...at(key.range?.[0]) });
          continue;
        }
        const name = String(key.value);
        if (seen.has(name)) problems.push({ message: `duplicate key "${name.length > 60 ? `${name.slice(0, 57)}...` : name}"`, ...at(key.range?.[0]) });
        seen.add(name);
      }
    },
  });
  return problems;
}

const PLAIN_HINT = 'a plan holds only plain mappings, lists and values: remove the tag (!!omap, !!set, !!timestamp, !!binary …)';

/** Tags a plan may carry: those of plain data (`!!str 12` is text). */
const PLAIN_TAGS = new Set([
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
]);

/** Every node with a tag other than those of plain data: an error with its field path and position. */
function tagProblems(doc: Document, yaml: Yaml, at: (offset: number | undefined) => Partial<Position>): PlanProblem[] {
  const problems: PlanProblem[] = [];
  yaml.visit(doc, (_key, node, path) => {
    if (!yaml.isNode(node) || node.tag === undefined || PLAIN_TAGS.has(node.tag)) return;
    const field = fieldPath(path, node, yaml);
    const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
    problems.push({
      ...(field.length > 0 ? { field: field.join('.') } : {}),
      message: `the tag ${JSON.stringify(shorten(tag)).slice(1, -1)} is not accepted`,
      hint: PLAIN_HINT,
      ...at(node.range?.[0]),
    });
    if (problems.length >= 20) return yaml.visit.BREAK;
    return undefined;
  });
  return problems;
}

/** The dotted path of a node from the visitor's ancestors (`limits.flops`, `a.0`). */
function fieldPath(ancestors: readonly unknown[], node: unknown, yaml: Yaml): (string | number)[] {
  const path: (string | number)[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length; i++) {
    const item = chain[i];
    const next = chain[i + 1];
    if (yaml.isPair(item)) {
      if (next === item.key) break; // a tag on a key: the path of its mapping
      path.push(yaml.isScalar(item.key) ? shorten(String(item.key.value)) : '?');
    } else if (yaml.isSeq(item) && next !== undefined) {
      const index = item.items.indexOf(next as never);
      if (index >= 0) path.push(index);
    }
  }
  return path;
}

/** The first value that is not plain data (a Map, Set, Date, bytes…) and where it is. */
function notPlainData(value: unknown, path: (string | number)[], depth = 0): { path: (string | number)[]; what: string } | undefined {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint' ? { path, what: `a ${typeof value}` } : undefined;
  }
  if (depth > MAX_FLOW_DEPTH * 4) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = notPlainData(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as object).constructor?.name ?? 'an object';
    return { path, what: `a ${name === 'Uint8Array' || name === 'Buffer' ? 'byte string' : name === 'Date' ? 'timestamp' : name}` };
  }
  for (const [key, item] of Object.entries(value)) {
    const found = notPlainData(item, [...path, shorten(key)], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The node at a path: for an object key, the key itself (where the field starts). */
function locate(doc: Document, yaml: Yaml, path: readonly (string | number)[]): YamlNode | undefined {
  let node: unknown = doc.contents;
  let found: YamlNode | undefined = yaml.isNode(node) ? node : undefined;
  for (const segment of path) {
    if (yaml.isMap(node)) {
      const pair = node.items.find((p) => yaml.isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return found;
      found = (pair.key as YamlNode) ?? found;
      node = yaml.isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    } else if (yaml.isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!yaml.isNode(item)) return found;
      found = item;
      node = item;
    } else {
      return found;
    }
  }
  return found;
}

function toPosition(lineCounter: LineCounter, at: YamlNode | number): Position {
  const offset = typeof at === 'number' ? at : (at.range?.[0] ?? 0);
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
  readonly params?: { hint?: string };
}

/** A zod issue as a problem with a dotted field path and the position of that field. */
function issueProblem(
  issue: ZodIssueLike,
  positionOf: (path: readonly (string | number)[]) => Position | undefined,
  knownKeys: (path: readonly (string | number)[]) => readonly string[] | undefined,
): PlanProblem {
  const rawPath = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const path = rawPath.map((p) => (typeof p === 'number' ? p : shorten(p)));
  if (issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0) {
    const key = issue.keys[0] as string;
    const fieldPath = [...path, shorten(key)];
    const known = knownKeys(path);
    const near = known ? closest(key, known) : undefined;
    return {
      field: fieldPath.join('.'),
      message: `unknown key${issue.keys.length > 1 ? ` (also ${alsoKeys(issue.keys.slice(1))})` : ''}`,
      hint: near
        ? `did you mean "${near}"?${known ? ` Keys here: ${known.join(', ')}` : ''}`
        : known
          ? `keys here: ${known.join(', ')}`
          : 'run `moeplan schema` for the format',
      ...positionOf([...rawPath, key]),
    };
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'is required';
  else if (issue.code === 'invalid_type' && /^Invalid input/.test(message)) message = message.replace(/^Invalid input: /, '');
  return {
    ...(path.length > 0 ? { field: path.join('.') } : {}),
    message,
    ...(issue.params?.hint ? { hint: issue.params.hint } : {}),
    ...positionOf(rawPath),
  };
}

/** `"a", "b", "c" and 12 more`, each key shortened. */
function alsoKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(shorten(k)));
  return keys.length > 5 ? `${shown.join(', ')} and ${keys.length - 5} more` : shown.join(', ');
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function byPosition(a: PlanProblem, b: PlanProblem): number {
  return (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || (a.column ?? 0) - (b.column ?? 0);
}

/** Widest block indentation accepted (spaces and `- `, `? `, `: ` indicators before the content of a line). */
export const MAX_INDENT = 256;

/**
 * Offset where the text nests too deeply, if anywhere: the first `[`/`{` nested deeper than
 * {@link MAX_FLOW_DEPTH} (brackets inside strings count too: a plan has no reason to hold
 * 32 of them), or the first line indented wider than {@link MAX_INDENT} columns (block
 * nesting such as `- - - - …`).
 */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      // space, tab, '-', '?', ':'
      if (c === 0x20 || c === 0x09 || c === 0x2d || c === 0x3f || c === 0x3a) {
        if (++indent > MAX_INDENT) return i;
      } else {
        lineStart = false;
      }
    }
    if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function lineColumn(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The parser's message without its own "at line …" part and code excerpt. */
function syntaxMessage(message: string, format: 'yaml' | 'json'): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  return `${format === 'json' ? 'JSON' : 'YAML'} syntax: ${first}`;
}

function tooLarge(file: string, size: number): PlanFileError {
  return new PlanFileError(file, [
    { message: `is ${Math.round(size / 1024)} KiB; a plan file may be at most ${MAX_PLAN_BYTES / 1024} KiB`, hint: 'check the file is a plan' },
  ]);
}

/** `examples/plans/x.yaml` when inside `cwd`, else the absolute path; always with `/`. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  return shown.split('\\').join('/');
}

/**
 * The JSON Schema of plan files (draft 2020-12), generated from the zod schema that
 * validates them. Loads zod on first use.
 *
 * @example const schema = await planJsonSchema(); schema.properties.limits
 */
export async function planJsonSchema(): Promise<Record<string, unknown>> {
  return (await import('./plan-schema.js')).planJsonSchema();
}
