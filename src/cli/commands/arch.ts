/**
 * `moeplan arch`: total and activated parameters and the KV cache of a model, from a
 * Hugging Face config.json or from its shape given as flags.
 */
import type { Command } from 'commander';
import { type ComponentName, type ModelArchitecture, type ParameterCounts, kvLayers, parameterCounts } from '../../core/architecture.js';
import { MoeplanError } from '../../core/errors.js';
import { KV_DTYPE_BYTES, type KvCacheVariant, type KvDtype, kvCacheBytesPerSequence, kvCacheBytesPerToken, kvCacheVariants } from '../../core/kv-cache.js';
import { group, percent, sci, si, trimNumber } from '../../io/format.js';
import { CONFIG_FAMILIES, type ModelConfig, readModelConfig } from '../../io/model-config.js';
import { STRICT_CONFIG_HELP, warnUnknownKeys } from '../architecture-compute.js';
import { HUNYUAN_COMPUTE } from '../../core/compute.js';
import { type TrainingFlops, seqLenWhere, trainingFlopsPerToken } from '../../core/training-flops.js';
import { FLOPS_CONVENTION } from '../architecture-compute.js';
import type { CommandDefinition } from '../command.js';
import { SHAPE_KEYS, addShapeOptions, architectureFromFlags } from '../model-shape.js';
import { type Context, type FieldName, type RawInputs, choice, flagName, prepareFlags, quantity } from '../context.js';
import { assertFiniteResult, finiteResult } from '../numeric.js';
import { type Row, renderRows, renderTable } from '../render.js';

/** What each count means for a tied embedding/output matrix (also in `--json`). */
export const COUNT_CONVENTIONS = {
  totalParams: 'every distinct weight once; a tied embedding/output matrix counted once',
  activatedParams: 'weights a token touches, the output projection counted besides the embedding even when tied (the N of Hunyuan-Large eq. 2)',
  activatedParamsTiedOnce: 'weights a token touches, a tied embedding/output matrix counted once',
  activatedParamsWithoutInputEmbedding:
    'weights a token touches less the input embedding (a lookup); the output projection counted (DeepSeek and OpenAI model cards)',
  activatedNonEmbeddingParams: 'weights a token touches, without the embedding and the output projection',
} as const;

export interface ArchResult {
  readonly source: { readonly config?: string; readonly family?: string; readonly title?: string };
  readonly inputs: {
    readonly architecture: ModelArchitecture;
    readonly dtype: KvDtype;
    readonly bytesPerElement: number;
    readonly context?: number;
  };
  readonly totalParams: number;
  readonly activatedParams: number;
  readonly activatedParamsTiedOnce: number;
  readonly activatedParamsWithoutInputEmbedding: number;
  readonly activatedNonEmbeddingParams: number;
  readonly totalNonEmbeddingParams: number;
  readonly conventions: typeof COUNT_CONVENTIONS;
  readonly breakdown: Readonly<Record<ComponentName, { readonly total: number; readonly activated: number }>>;
  readonly kvCacheBytesPerToken: number;
  readonly kvCache: {
    readonly dtype: KvDtype;
    readonly bytesPerElement: number;
    readonly layersWithOwnKv: number;
    readonly savingVsMha: number;
    readonly variants: readonly KvCacheVariant[];
    readonly context?: number;
    /** At `context`: windowed layers cache min(context, window) tokens; Mamba state included. */
    readonly bytesPerSequence?: number;
    /** Windowed attention: K/V-owning layers that cache only the window, and its size. */
    readonly slidingWindow?: { readonly window: number; readonly layers: number };
    /** Fixed Mamba state per sequence, in bytes (hybrid models). */
    readonly stateBytesPerSequence?: number;
  };
  readonly defaultsUsed: readonly string[];
  readonly notes: readonly string[];
  /** Keys of the config that its family does not know; left out of the counts. */
  readonly unknownKeys: readonly string[];
  /** Training FLOPs per token from the architecture at each sequence length, beside eq. 2. */
  readonly trainingFlops: {
    readonly convention: string;
    readonly rows: ReadonlyArray<TrainingFlops & { readonly eq2PerToken: number; readonly densePerToken: number }>;
    /** Sequence length at which the attention scores reach eq. 2's b = 2.3e8 per token. */
    readonly eq2AttentionTermSeqLen?: number;
    /** Sequence length at which the whole count reaches eq. 2's 9.59·N + 2.3e8. */
    readonly eq2SeqLen?: number;
  };
}

/** Sequence lengths of the FLOPs table when --seq-len is absent. */
export const FLOPS_SEQ_LENS = [4096, 8192, 32_768, 262_144] as const;

const DTYPES = Object.keys(KV_DTYPE_BYTES) as KvDtype[];

/** Counts and KV cache for one architecture (from a config or from flags). */
export function evaluateArch(raw: RawInputs, name: FieldName, config?: ModelConfig): ArchResult {
  if (config) {
    const stray = SHAPE_KEYS.find((k) => raw[k] !== undefined && raw[k] !== false);
    if (stray) {
      throw new MoeplanError('INVALID_INPUT', `give ${name('config')} or shape flags such as ${name(stray)}, not both`, { field: name(stray) });
    }
  }
  const architecture = config ? config.architecture : architectureFromFlags(raw, name);
  const dtype = choice(raw, 'dtype', name, DTYPES) ?? 'bf16';
  const bytesPerElement = KV_DTYPE_BYTES[dtype];
  // At most 2^53 − 1: larger counts are not exact integers (and print hundreds of digits).
  const context = quantity(raw, 'context', name, {
    integer: true,
    max: Number.MAX_SAFE_INTEGER,
    describe: 'a whole number of tokens from 1 to 2^53 − 1 (e.g. 32K, 256Ki)',
  });
  const counts: ParameterCounts = parameterCounts(architecture);
  for (const [key, value] of Object.entries(counts)) if (typeof value === 'number') finiteResult(value, key);
  const perToken = kvCacheBytesPerToken(architecture, bytesPerElement);
  const variants = kvCacheVariants(architecture, bytesPerElement);
  const mha = variants.find((v) => v.name === 'MHA')?.bytesPerToken ?? perToken;
  const breakdown = Object.fromEntries(counts.breakdown.map((c) => [c.component, { total: c.total, activated: c.activated }])) as ArchResult['breakdown'];
  return {
    source: config ? { config: config.source, family: config.family, title: CONFIG_FAMILIES[config.family]?.title ?? config.family } : {},
    inputs: { architecture, dtype, bytesPerElement, ...(context !== undefined ? { context } : {}) },
    totalParams: counts.totalParams,
    activatedParams: counts.activatedParams,
    activatedParamsTiedOnce: counts.activatedParamsTiedOnce,
    activatedParamsWithoutInputEmbedding: counts.activatedParamsWithoutInputEmbedding,
    activatedNonEmbeddingParams: counts.activatedNonEmbeddingParams,
    totalNonEmbeddingParams: counts.totalNonEmbeddingParams,
    conventions: COUNT_CONVENTIONS,
    breakdown,
    kvCacheBytesPerToken: perToken,
    kvCache: {
      dtype,
      bytesPerElement,
      layersWithOwnKv: architecture.attention.kind === 'grouped' ? kvLayers(architecture) : architecture.layers,
      savingVsMha: 1 - perToken / mha,
      variants,
      ...(architecture.slidingWindow ? { slidingWindow: architecture.slidingWindow } : {}),
      ...(context !== undefined
        ? (() => {
            const sequence = kvCacheBytesPerSequence(architecture, context, bytesPerElement);
            return {
              context,
              bytesPerSequence: finiteResult(sequence.bytes, 'the KV cache per sequence'),
              ...(architecture.mamba ? { stateBytesPerSequence: sequence.stateBytes } : {}),
            };
          })()
        : {}),
    },
    defaultsUsed: config?.defaultsUsed ?? [],
    notes: config?.notes ?? [],
    unknownKeys: config?.unknownKeys ?? [],
    trainingFlops: trainingFlopsSummary(architecture, counts.activatedParams, seqLens(raw, name)),
  };
}

function seqLens(raw: RawInputs, name: FieldName): readonly number[] {
  const one = quantity(raw, 'seqLen', name, { integer: true, describe: 'a whole number of tokens, at least 1 (e.g. 4096, 8Ki)' });
  return one === undefined ? FLOPS_SEQ_LENS : [one];
}

function trainingFlopsSummary(architecture: ModelArchitecture, activatedParams: number, lengths: readonly number[]): ArchResult['trainingFlops'] {
  const eq2PerToken = HUNYUAN_COMPUTE.paramsTokens * activatedParams + HUNYUAN_COMPUTE.tokens;
  const rows = lengths.map((s) => ({ ...trainingFlopsPerToken(architecture, s), eq2PerToken, densePerToken: 6 * activatedParams }));
  const attention = seqLenWhere(architecture, HUNYUAN_COMPUTE.tokens, (f) => f.pieces.attentionScores);
  const whole = seqLenWhere(architecture, eq2PerToken);
  return {
    convention: FLOPS_CONVENTION,
    rows,
    ...(attention !== undefined ? { eq2AttentionTermSeqLen: attention } : {}),
    ...(whole !== undefined ? { eq2SeqLen: whole } : {}),
  };
}

/** Bytes for people, binary units: `bytes(21474836480)` → `20 GiB`. */
function bytes(value: number): string {
  const units: ReadonlyArray<readonly [number, string]> = [
    [2 ** 40, 'TiB'],
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  for (const [scale, unit] of units) if (value >= scale) return `${trimNumber(value / scale, 4)} ${unit}`;
  return `${value} bytes`;
}

function shapeText(a: ModelArchitecture): string {
  const att = a.attention;
  const attention =
    att.kind === 'latent'
      ? `${att.heads} heads, latent attention (K/V rank ${att.kvLoraRank}, RoPE dim ${att.qkRopeHeadDim})`
      : `${att.heads} heads × ${att.headDim}, ${att.kvHeads === att.heads ? 'no K/V grouping' : `${att.kvHeads} K/V heads`}${
          att.claShareFactor > 1 ? `, K/V shared by ${att.claShareFactor} layers` : ''
        }${att.qkNorm ? ', QK-norm' : ''}`;
  const moe = a.moe;
  const ffn = moe
    ? `${moe.routedExperts} routed experts (top-${moe.topK}, intermediate ${moe.expertIntermediate})${
        moe.sharedExperts > 0 ? ` + ${moe.sharedExperts} shared (intermediate ${moe.sharedIntermediate})` : ''
      }${a.moeLayers < a.layers ? ` in ${a.moeLayers} layers, ${a.layers - a.moeLayers} dense (intermediate ${a.denseIntermediate})` : ''}`
    : `dense FFN, intermediate ${a.denseIntermediate}`;
  return [
    `${a.layers} layers, hidden ${a.hiddenSize}, vocabulary ${a.vocabSize}, ${a.tiedEmbeddings ? 'tied' : 'untied'} embeddings`,
    `attention: ${attention}`,
    `feed-forward: ${ffn}`,
  ]
    .map((line) => `  ${line}`)
    .join('\n');
}

const COMPONENT_LABELS: Readonly<Record<ComponentName, string>> = {
  embedding: 'embedding',
  outputHead: 'output head',
  attention: 'attention',
  qkNorm: 'QK-norm',
  router: 'router',
  sharedExperts: 'shared experts',
  routedExperts: 'routed experts',
  denseFeedForward: 'dense FFN',
  mamba: 'Mamba mixers',
  norms: 'norms',
};

function render(result: ArchResult, ctx: Context): string {
  const a = result.inputs.architecture;
  const tied = a.tiedEmbeddings;
  const title = result.source.config
    ? `Architecture · ${result.source.config === '-' ? 'stdin' : result.source.config} (${result.source.title})`
    : 'Architecture · from flags';
  const out: string[] = [`${ctx.chalk.bold(title)}\n${shapeText(a)}\n`];

  const rows: Row[] = [
    { label: 'Total', value: si(result.totalParams), unit: 'params', note: tied ? 'tied matrix counted once' : undefined },
    {
      label: 'Activated per token',
      value: si(result.activatedParams),
      unit: 'params',
      strong: true,
      note: tied ? 'output projection counted besides the embedding (N of eq. 2)' : 'N of eq. 2',
    },
  ];
  if (tied)
    rows.push({
      label: 'Activated, tied once',
      value: si(result.activatedParamsTiedOnce),
      unit: 'params',
      note: 'tied matrix counted once (= without the input embedding)',
    });
  else {
    rows.push({
      label: 'Activated w/o input embedding',
      value: si(result.activatedParamsWithoutInputEmbedding),
      unit: 'params',
      note: 'output projection counted (DeepSeek, OpenAI model cards)',
    });
  }
  rows.push({ label: 'Activated non-embedding', value: si(result.activatedNonEmbeddingParams), unit: 'params', note: 'no embedding, no output projection' });
  if (a.moe) rows.push({ label: 'Activated / total', value: percent(result.activatedParams / result.totalParams), unit: '' });
  out.push(renderRows(rows, ctx.chalk, 'Parameters'));

  const body = (Object.keys(COMPONENT_LABELS) as ComponentName[])
    .filter((c) => result.breakdown[c].activated > 0 || result.breakdown[c].total > 0)
    .map((c) => {
      const { total, activated } = result.breakdown[c];
      return [COMPONENT_LABELS[c], c === 'outputHead' && tied ? 'tied' : si(total), si(activated)];
    });
  body.push(['sum', si(result.totalParams), si(result.activatedParams)]);
  out.push(renderTable(['component', 'total', 'activated'], body, ctx.chalk, ['l', 'r', 'r']));

  const kv = result.kvCache;
  const header = ['attention', 'bytes/token', 'formula', 'saved vs MHA'];
  if (kv.context !== undefined) header.push(`per sequence (${group(kv.context)} tokens)`);
  const kvBody = kv.variants.map((v) => {
    const row = [`${v.name}${v.configured ? ' *' : ''}`, group(v.bytesPerToken), v.formula, v.name === 'MHA' ? '-' : percent(v.savingVsMha)];
    if (kv.context !== undefined) row.push(bytes(v.bytesPerToken * kv.context));
    return row;
  });
  out.push(
    `${ctx.chalk.bold(
      `KV cache · ${kv.dtype} (${kv.bytesPerElement} byte${kv.bytesPerElement > 1 ? 's' : ''} per element)${
        a.attention.kind === 'grouped' ? ', variants of Table 2 of the Hunyuan-Large report' : ', latent attention as in DeepSeek-V2 §2.1'
      }`,
    )}\n${renderTable(header, kvBody, ctx.chalk, [
      'l',
      'r',
      'l',
      'r',
      'r',
    ])}  * this model: ${group(result.kvCacheBytesPerToken)} bytes per token, ${percent(kv.savingVsMha)} less than MHA${
      kv.bytesPerSequence !== undefined ? `; ${bytes(kv.bytesPerSequence)} per sequence of ${group(kv.context as number)} tokens` : ''
    }\n${
      kv.slidingWindow
        ? `  windowed attention: ${kv.slidingWindow.layers} of ${a.layers - (a.mamba?.layers ?? 0)} attention layers attend to the last ${group(kv.slidingWindow.window)} tokens and cache min(context, ${group(kv.slidingWindow.window)}) tokens${kv.context !== undefined ? ' (in the per-sequence figure; the table counts every token)' : ''}\n`
        : ''
    }${
      a.mamba
        ? `  Mamba layers (${a.mamba.layers}) hold a fixed state, not a per-token cache${kv.stateBytesPerSequence !== undefined ? `: ${bytes(kv.stateBytesPerSequence)} per sequence` : ''}\n`
        : ''
    }`,
  );
  const tf = result.trainingFlops;
  const flopsBody = tf.rows.map((r) => [
    group(r.seqLen),
    sci(r.perToken),
    sci(r.pieces.attentionScores),
    `6·N + ${sci(r.compute.tokens)}`,
    sci(r.eq2PerToken),
    `${trimNumber(r.eq2PerToken / r.perToken, 3)}×`,
  ]);
  out.push(
    `${ctx.chalk.bold('Training FLOPs per token · architecture count beside eq. 2 (9.59·N + 2.3e8)')}\n${renderTable(
      ['sequence', 'FLOPs/token', 'attention scores', 'as a·N + b', 'eq. 2', 'eq. 2 / count'],
      flopsBody,
      ctx.chalk,
      ['r', 'r', 'r', 'l', 'r', 'r'],
    )}${ctx.chalk.dim(
      `  ${tf.convention}\n${
        tf.eq2AttentionTermSeqLen !== undefined
          ? `  eq. 2's 2.3e8 FLOPs per token equals this model's attention scores at ${group(Math.round(tf.eq2AttentionTermSeqLen))} tokens\n`
          : ''
      }${tf.eq2SeqLen !== undefined ? `  eq. 2 as a whole equals this count at ${group(Math.round(tf.eq2SeqLen))} tokens\n` : ''}`,
    )}`,
  );
  const extra = [
    ...result.defaultsUsed.map((d) => `default used: ${d}`),
    ...result.notes,
    ...(a.attention.kind === 'grouped' && a.attention.claShareFactor === 1 ? ['CLA rows: K/V shared by pairs of layers, as in the report'] : []),
  ];
  if (extra.length > 0) out.push(`${ctx.chalk.dim(extra.map((e) => `  ${e}`).join('\n'))}\n`);
  return out.join('\n');
}

const FLAG_KEYS = [...SHAPE_KEYS, 'context', 'dtype', 'seqLen'] as const;

export const archCommand: CommandDefinition = {
  examples: [
    [
      'moeplan arch --config examples/configs/hunyuan-large.json',
      'Hunyuan-Large: 388.7B total, 52.14B activated; KV cache 81,920 bytes/token (95% less than MHA)',
    ],
    ['moeplan arch --config config.json --context 256Ki --dtype fp8', 'KV cache per sequence of 262,144 tokens in fp8'],
    ['moeplan arch --config examples/configs/mixtral-8x7b.json --json', 'Mixtral 8x7B as JSON (46.7B total, 12.9B activated)'],
    ['moeplan arch --hidden 4096 --layers 32 --heads 32 --kv-heads 8 --intermediate 14336 --experts 8 --top-k 2 --vocab 32000', 'the same model from flags'],
    ['moeplan budget --config examples/configs/hunyuan-large.json --tokens 7T', 'the activated count feeds the other commands'],
  ],
  notes: `Config families (model_type): ${Object.keys(CONFIG_FAMILIES).join(', ')}.
A config that cannot be read (a missing size, a wrong type, a negative size, a per-layer
list whose values differ) is an error naming the key. A key the family does not know is
a note on stderr (unknownKeys in --json) and is left out of the counts; --strict makes it
an error.
Tied embeddings: Total counts the shared matrix once; Activated counts the output
projection besides the embedding (the N of eq. 2); "tied once" counts it once;
non-embedding leaves both out.
Context: 256K = 256,000 tokens; 256Ki = 262,144. KV-cache bytes per element: bf16 2,
fp16 2, fp8 1, fp32 4.`,
  configure(command: Command) {
    command
      .option('--config <file>', 'a Hugging Face config.json')
      .option('--strict', STRICT_CONFIG_HELP)
      .option('--context <tokens>', 'sequence length for the KV cache per sequence (e.g. 32K, 256Ki)')
      .option('--dtype <type>', `KV-cache element type: ${DTYPES.join(', ')} (default bf16)`)
      .option('--seq-len <tokens>', 'sequence length of the training-FLOPs count (default: 4Ki, 8Ki, 32Ki and 256Ki)');
    addShapeOptions(command);
  },
  async run(options, _args, ctx) {
    const raw: Record<string, string | boolean | undefined> = {};
    for (const key of FLAG_KEYS) raw[key] = options[key] as string | boolean | undefined;
    if (options.config === '') throw new MoeplanError('INVALID_INPUT', '--config: empty value', { field: '--config', hint: 'give the path of a config.json' });
    const config =
      typeof options.config === 'string' ? await readModelConfig(options.config, ctx.io.cwd, '--config', { strict: options.strict === true }) : undefined;
    if (config) warnUnknownKeys(config, ctx);
    await prepareFlags(raw, ['dtype']);
    const result = assertFiniteResult(evaluateArch(raw, flagName, config));
    if (ctx.json) ctx.emitJson('arch', { ...result });
    else ctx.out(render(result, ctx));
    return 0;
  },
};
