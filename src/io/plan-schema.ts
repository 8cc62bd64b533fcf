/**
 * The plan file (`moeplan check plan.yaml`) as a zod schema: the one source of both the
 * validator and the published JSON Schema (`moeplan schema`, `dist/plan.schema.json`).
 *
 * This module imports zod at the top, so it is itself imported only with `await import()`
 * by the code paths that read plans or print the schema.
 *
 * - Every object is strict: an unknown key is an error naming its path.
 * - Quantities are `number | string` in the JSON Schema; the validator turns a string into
 *   a number with the same rules as the flags (`52B`, `7T`, `15%`, `6*52B*7T` through the
 *   locked-down expression engine). A tolerance above 100% must be written with `%`, so
 *   that `within: 15` (a likely slip for 15%) is an error rather than a 1500% tolerance.
 * - Parsing is asynchronous (`parseAsync`) because an expression loads the engine lazily.
 */
import * as z from 'zod';
import { CHECKS, type CheckDefinition, type CheckId } from '../core/checks/index.js';
import { MoeplanError } from '../core/errors.js';
import { DEFAULT_LAW, PRESETS } from '../core/laws/index.js';
import { ACCELERATORS } from '../core/hardware.js';
import { RECOMPUTE_CHOICES, type Recompute } from '../core/memory-activations.js';
import { PRECISIONS, type PrecisionName } from '../core/memory-weights.js';
import { parseBytes } from './bytes.js';
import { type QuantitySpec, parseQuantityAsync } from './quantity.js';

/** How a plan's training compute is counted: by the law's compute model, or by model.config's architecture. */
export const COMPUTE_CHOICES = ['law', 'arch'] as const;

/** Longest text accepted for any string field (names, paths, quantities). */
export const MAX_TEXT_LENGTH = 1000;
/** Longest text accepted for a quantity; expressions are limited further by the engine. */
export const MAX_QUANTITY_LENGTH = 200;

/** Placeholder name given to the quantity parser; the field's path replaces it in messages. */
// A private-use character: printable, so error messages keep it as it is, and never in a flag name.
const FIELD = '\uE000field';

const QUANTITY_TEXT = 'a number, or text such as "52B", "7T", "3e-4", "6*52B*7T"';

interface QuantityOptions extends Omit<QuantitySpec, 'name'> {
  readonly description: string;
  /**
   * A relative tolerance (`within`): a bare number above 1 is refused as a likely slip
   * for a percentage. A ratio (`batchVsCritical.max`, B/Bcrit) is not a tolerance: 2 is
   * twice the critical batch.
   */
  readonly tolerance?: boolean;
  /** A size in bytes: `75GB` (10^9), `70GiB` (2^30) or a number of bytes. */
  readonly bytes?: boolean;
}

/**
 * A quantity field: a JSON number or a string parsed like a flag value. A parse error
 * becomes a zod issue whose message starts after the field name (the path is added when
 * the issue is reported) and which carries the hint in `params.hint`.
 */
function quantity(options: QuantityOptions) {
  const { description, tolerance, bytes, ...spec } = options;
  const accepts = spec.percent ? `${QUANTITY_TEXT}, or a percentage such as "15%"` : QUANTITY_TEXT;
  return z
    .union([z.number(), z.string().max(MAX_QUANTITY_LENGTH, { error: `expected at most ${MAX_QUANTITY_LENGTH} characters` })], {
      error: (issue) =>
        issue.input === undefined ? 'is required' : issue.code === 'invalid_union' ? `expected ${accepts}, got ${describeValue(issue.input)}` : undefined,
    })
    .transform(async (raw, ctx) => {
      try {
        const value = bytes ? parseBytes(raw, FIELD) : await parseQuantityAsync(raw, { ...spec, name: FIELD });
        if (tolerance && value > 1 && !(typeof raw === 'string' && raw.trim().endsWith('%'))) {
          ctx.addIssue({
            code: 'custom',
            message: `${raw} is more than 100%`,
            params: { hint: `write a tolerance as a fraction (0.15) or with % (15%); write ${trim(value * 100)}% if you mean it` },
          });
          return z.NEVER;
        }
        return value;
      } catch (error) {
        if (!(error instanceof MoeplanError)) throw error;
        ctx.addIssue({
          code: 'custom',
          message: error.message.split(`${FIELD}: `).join('').split(FIELD).join('the value'),
          params: { ...(error.hint ? { hint: error.hint } : {}), code: error.code },
        });
        return z.NEVER;
      }
    })
    .meta({
      description: `${description}. ${
        bytes
          ? 'A number of bytes or a size (75GB = 75·10^9 bytes, 70GiB = 70·2^30 bytes).'
          : tolerance
            ? 'A fraction (0.15) or a percentage (15%).'
            : spec.percent
              ? spec.max !== undefined && spec.max <= 1
                ? 'A fraction (0.4) or a percentage (40%).'
                : 'A ratio (0.5, 2) or a percentage (50%).'
              : 'A number or a quantity text (52B, 7T, 3e-4, 6*52B*7T).'
      }`,
    });
}

function trim(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** Short description of a value for messages: `true`, `a list`, `"abc"`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return String(value);
}

const text = (description: string) =>
  z
    .string({ error: (issue) => `expected text, got ${describeValue(issue.input)}` })
    .max(MAX_TEXT_LENGTH, { error: `expected at most ${MAX_TEXT_LENGTH} characters` })
    .meta({ description });

const positive = (description: string) => quantity({ description });
const count = (description: string) => quantity({ description, integer: true, min: 1, minInclusive: true, describe: 'a whole number, at least 1' });
const tolerance = (description: string) => quantity({ description, percent: true, tolerance: true, describe: 'a tolerance above 0, such as 0.15 or 15%' });

/** How a check's violation counts: `error` fails the check, `warn` warns, `off` skips it. */
export const LEVELS = ['error', 'warn', 'off'] as const;

const level = z
  .enum(LEVELS, { error: (issue) => `expected one of ${LEVELS.join(', ')}, got ${describeValue(issue.input)}` })
  .optional()
  .meta({ description: 'error (default): out of limit fails the check; warn: it only warns; off: the check is skipped' });

const mappingError = {
  error: (issue: z.core.$ZodRawIssue) =>
    issue.input === undefined ? 'is required' : issue.code === 'invalid_type' ? `expected a mapping, got ${describeValue(issue.input)}` : undefined,
};

/** A strict object (unknown keys are errors) with a description for the JSON Schema. */
function object<T extends z.core.$ZodLooseShape>(shape: T, description: string) {
  return z.strictObject(shape, mappingError).meta({ description });
}

/** Like {@link object}, with every key optional. */
function optionalKeys<T extends z.core.$ZodLooseShape>(shape: T, description: string) {
  return z.strictObject(shape, mappingError).partial().meta({ description });
}

const maxLimit = (description: string, max: ReturnType<typeof quantity>) => object({ max, level }, description);
const withinLimit = (description: string) =>
  object({ within: tolerance('Largest allowed relative deviation from the optimum, either side'), level }, description);

/**
 * The limit of one check: `{ max, level }` or `{ within, level }`, from its registry entry;
 * `{ max | headroom, level }` for a check that also takes a headroom.
 */
function checkLimit(check: CheckDefinition) {
  if (check.kind === 'within') return withinLimit(check.limit.description);
  if (!check.limit.max) throw new Error(`check ${check.id}: a max check needs limit.max`);
  if (check.limit.headroom) return maxOrHeadroomLimit(check.limit.description, quantity(check.limit.max), quantity(check.limit.headroom));
  return maxLimit(check.limit.description, quantity(check.limit.max));
}

/** `{ max, level }` or `{ headroom, level }`: exactly one of the two. */
function maxOrHeadroomLimit(description: string, max: ReturnType<typeof quantity>, headroom: ReturnType<typeof quantity>) {
  return object({ max: max.optional(), headroom: headroom.optional(), level }, `${description}. Give max or headroom`).superRefine((limit, ctx) => {
    if ((limit.max === undefined) === (limit.headroom === undefined)) {
      ctx.addIssue({ code: 'custom', message: limit.max === undefined ? 'give max or headroom' : 'give max or headroom, not both' });
    }
  });
}

/** Limits of the plan; each key is the `id` of its check, in the registry's order. */
const limits = optionalKeys(
  Object.fromEntries(CHECKS.map((check) => [check.id, checkLimit(check)])) as Record<CheckId, ReturnType<typeof checkLimit>>,
  'The checks: each key is a check id with its limit and level',
);

const model = optionalKeys(
  {
    activatedParams: positive('Activated parameters N per token'),
    config: text('Path of a Hugging Face config.json (relative to the plan file) to count the activated parameters from'),
    experts: count('Number of specialized experts n'),
    topK: count('Specialized experts each token is routed to (top-k), default 1'),
  },
  'The model: give activatedParams or config',
);

const lr = optionalKeys(
  {
    max: positive('εmax, the largest optimal Adam learning rate over batch sizes (Hunyuan eq. 1)'),
    noiseTokens: positive('Bnoise, the gradient noise scale in tokens'),
    shared: positive('Planned peak learning rate of the shared expert'),
    specialized: positive('Planned peak learning rate of the specialized experts'),
  },
  'Learning rates: εmax and Bnoise give εopt; shared and specialized are the planned rates',
);

const training = optionalKeys(
  {
    tokens: positive('Training tokens D'),
    batchTokens: positive('Batch size B, tokens per optimizer step'),
    criticalBatchTokens: positive('Critical batch size Bcrit in tokens'),
    loss: positive('Expected final loss in nats per token; gives Bcrit by Kaplan eq. 1.4 when criticalBatchTokens is not set'),
    seqLen: count(
      "Training sequence length in tokens: the sequence of the architecture count (law: arch, compute: arch; default: model.config's max_position_embeddings, at most 4096), and parallelism.seqLen's default",
    ),
    lr,
  },
  'The training run',
);

const gpuNames = Object.keys(ACCELERATORS) as [string, ...string[]];
const PRECISION_NAMES = Object.keys(PRECISIONS) as [PrecisionName, ...PrecisionName[]];
const hardware = optionalKeys(
  {
    gpu: z
      .enum(gpuNames, { error: (issue) => `expected one of ${gpuNames.join(', ')}, got ${describeValue(issue.input)}` })
      .meta({ description: `Accelerator (peak dense BF16): ${gpuNames.join(', ')}; or give peakFlops` }),
    peakFlops: positive('Peak FLOP/s per accelerator, for one not listed under gpu'),
    count: count('Number of accelerators (gives wall-clock days)'),
    mfu: quantity({ description: 'Model FLOPs utilisation in (0, 1]', percent: true, max: 1, describe: 'a fraction in (0, 1] such as 0.4 or 40%' }),
    price: quantity({ description: 'Price per GPU-hour (gives cost)', min: 0, minInclusive: true, describe: 'a price per GPU-hour, 0 or more' }),
  },
  'Hardware: gives GPU-hours, days and cost',
);

const parallelism = optionalKeys(
  {
    tp: count('Tensor parallelism TP (default 1)'),
    pp: count('Pipeline stages PP (default 1)'),
    ep: count('Expert parallelism EP, dividing the routed experts (default 1)'),
    etp: count('Tensor parallelism inside each expert (default: tp)'),
    cp: count('Context parallelism CP (default 1)'),
    microBatch: count('Sequences per micro-batch (default 1)'),
    seqLen: count('Training sequence length in tokens (default: training.seqLen)'),
    zero: z
      .union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], { error: (issue) => `expected 0, 1, 2 or 3, got ${describeValue(issue.input)}` })
      .meta({ description: "ZeRO stage: 0 nothing sharded (default), 1 optimizer states (Megatron's distributed optimizer), 2 and gradients, 3 and weights" }),
    recompute: z
      .enum(RECOMPUTE_CHOICES as [Recompute, ...Recompute[]], {
        error: (issue) => `expected one of ${RECOMPUTE_CHOICES.join(', ')}, got ${describeValue(issue.input)}`,
      })
      .meta({ description: 'Activation recomputation: none (default), selective (attention scores), full (layer inputs only)' }),
    sequenceParallel: z
      .boolean({ error: (issue) => `expected true or false, got ${describeValue(issue.input)}` })
      .meta({ description: 'Sequence parallelism (default false)' }),
    precision: z
      .enum(PRECISION_NAMES, { error: (issue) => `expected one of ${PRECISION_NAMES.join(', ')}, got ${describeValue(issue.input)}` })
      .meta({ description: 'bf16 (default: bf16 weights, fp32 gradients, master weights and Adam moments), fp16, fp8 or fp32' }),
  },
  'How the training is laid over the GPUs (for limits.memoryPerGpu); DP = hardware.count / (tp · pp · cp)',
);

/** The plan-file schema (input: numbers or quantity strings; output: numbers). */
export const planSchema = object(
  {
    $schema: text('URL or path of this JSON Schema, for editor completion').optional(),
    name: text('Name of the plan (default: the file name)').optional(),
    description: text('Free text about the plan').optional(),
    law: text(
      `Scaling law: a preset name (${Object.keys(PRESETS).join(', ')}), arch (the architecture compute model of model.config alone: no allocation), or the path of a law file written by \`moeplan fit\`, relative to the plan file (default: ${DEFAULT_LAW})`,
    ).optional(),
    compute: z
      .enum(COMPUTE_CHOICES, { error: (issue) => `expected one of ${COMPUTE_CHOICES.join(', ')}, got ${describeValue(issue.input)}` })
      .optional()
      .meta({
        description:
          "How the training compute C is counted: law (default: the law's compute model, eq. 2 for hunyuan) or arch (from model.config's architecture at training.seqLen, Megatron-LM's count; the law's allocation is kept)",
      }),
    model: model.optional(),
    training: training.optional(),
    hardware: hardware.optional(),
    parallelism: parallelism.optional(),
    limits,
  },
  'A training plan checked by `moeplan check` against budgets and scaling laws',
).superRefine((plan, ctx) => {
  const both = (path: string[], a: string, b: string, value: Record<string, unknown> | undefined) => {
    if (value && value[a] !== undefined && value[b] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [...path, b], message: `give ${[...path, a].join('.')} or ${[...path, b].join('.')}, not both` });
    }
  };
  both(['model'], 'activatedParams', 'config', plan.model);
  both(['training'], 'criticalBatchTokens', 'loss', plan.training);
  both(['hardware'], 'gpu', 'peakFlops', plan.hardware);
  if (plan.model?.config === undefined) {
    if (plan.compute === 'arch') {
      ctx.addIssue({
        code: 'custom',
        path: ['compute'],
        message: 'arch counts C from the architecture: give model.config',
        params: { hint: 'model: { config: ./config.json }' },
      });
    }
    if (plan.law?.trim().toLowerCase() === 'arch') {
      ctx.addIssue({
        code: 'custom',
        path: ['law'],
        message: 'arch prices the model by its architecture: give model.config',
        params: { hint: 'model: { config: ./config.json }' },
      });
    }
  }
  if (plan.law?.trim().toLowerCase() === 'arch' && plan.compute === 'law') {
    ctx.addIssue({
      code: 'custom',
      path: ['compute'],
      message: 'law: arch is itself the architecture count; compute: law contradicts it',
      params: { hint: 'drop compute, or give another law' },
    });
  }
  const seqLen = plan.training?.seqLen;
  const parallelSeqLen = plan.parallelism?.seqLen;
  if (seqLen !== undefined && parallelSeqLen !== undefined && seqLen !== parallelSeqLen) {
    ctx.addIssue({
      code: 'custom',
      path: ['parallelism', 'seqLen'],
      message: `${parallelSeqLen} differs from training.seqLen ${seqLen}`,
      params: { hint: 'give the training sequence length once (training.seqLen; parallelism.seqLen defaults to it)' },
    });
  }
  const { experts, topK } = plan.model ?? {};
  if (experts !== undefined && topK !== undefined && topK > experts) {
    ctx.addIssue({ code: 'custom', path: ['model', 'topK'], message: `${topK} is more than model.experts (${experts})` });
  }
});

/**
 * The keys a plan allows at a path (`[]`, `['training', 'lr']`, `['limits', 'flops']`),
 * read from the schema itself; `undefined` where the path is not a mapping of the schema.
 *
 * @example knownPlanKeys(['limits', 'expertLr']) // ['within', 'level']
 */
export function knownPlanKeys(path: readonly (string | number)[]): readonly string[] | undefined {
  let shape = shapeOf(planSchema);
  for (const segment of path) {
    const next = shape && Object.hasOwn(shape, segment) ? shape[segment] : undefined;
    shape = next === undefined ? undefined : shapeOf(next);
  }
  return shape ? Object.keys(shape) : undefined;
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : undefined;
}

/** A plan as written (quantities as numbers or text). */
export type PlanInput = z.input<typeof planSchema>;
/** A plan after validation: every quantity a number. */
export type PlanData = z.output<typeof planSchema>;

/**
 * The JSON Schema of plan files (draft 2020-12), generated from {@link planSchema}: the
 * input side, so quantities are `number | string`.
 */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(planSchema, { io: 'input', unrepresentable: 'throw' }) as Record<string, unknown>;
  return { $schema: schema.$schema, title: 'moeplan plan file', ...schema };
}
