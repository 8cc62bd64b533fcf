/**
 * `moeplan budget`: training compute from Hunyuan-Large eq. 2 (or another law's compute
 * model), solving for whichever of FLOPs, parameters and tokens is missing, with the
 * GPU-hours, days and cost on given hardware.
 */
import type { Command } from 'commander';
import { paramsForBudget, tokensForBudget, trainingFlops, DENSE_COMPUTE } from '../../core/compute.js';
import { MoeplanError } from '../../core/errors.js';
import { ACCELERATORS } from '../../core/hardware.js';
import { type ParamsMeaning, paramsForLaw } from '../../core/law-params.js';
import { COMPUTE_MODEL_LAWS, DEFAULT_LAW, type Law } from '../../core/laws/index.js';
import { group, sci, si, trimNumber, money } from '../../io/format.js';
import { resolveLaw } from '../../io/law-file.js';
import type { ModelConfig } from '../../io/model-config.js';
import {
  ARCH_LAW,
  type ArchitectureCompute,
  architectureCompute,
  architectureLaw,
  lawMismatchNote,
  readConfigOption,
  requireConfigForArch,
  STRICT_CONFIG_HELP,
} from '../architecture-compute.js';
import type { BatchSpec, RowKernel } from '../batch.js';
import type { CommandDefinition } from '../command.js';
import { type Context, type FieldName, type RawInputs, flagName, prepareFlags, quantity } from '../context.js';
import { HARDWARE_BUDGET_KEYS, HARDWARE_KEYS, type HardwareBudgetKey, hardwareInputs, hardwareTime, readHardware, readHardwareBudget } from '../hardware.js';
import { assertFiniteResult, finiteResult, representable } from '../numeric.js';
import { computeLabel } from '../law-text.js';
import { paramsLabel } from '../loss-text.js';
import { type Row, renderRows } from '../render.js';
import { warnUnitSlips } from '../sanity.js';

export interface BudgetResult {
  readonly law: string;
  /** Which of flops, params, tokens was solved for. */
  readonly solved: 'flops' | 'params' | 'tokens';
  readonly flops: number;
  readonly params: number;
  readonly tokens: number;
  /** 6·N·D beside the law's own compute. */
  readonly denseFlops: number;
  readonly flopsPerToken: number;
  readonly tokensPerParam: number;
  readonly inputs: Readonly<Record<string, number | string>>;
  readonly hardware?: {
    readonly gpu?: string;
    readonly peakFlops: number;
    readonly mfu: number;
    readonly gpus?: number;
    readonly price?: number;
  };
  readonly gpuHours?: number;
  readonly days?: number;
  readonly cost?: number;
  /** When the compute came from a hardware budget: which option gave it (C is then solved too). */
  readonly computeFrom?: HardwareBudgetKey;
}

const KEYS = ['params', 'tokens', 'flops', ...HARDWARE_KEYS, ...HARDWARE_BUDGET_KEYS] as const;
const HARDWARE_COLUMNS = ['gpu', 'peakFlops'];

/**
 * Evaluate one budget question (flags or one batch row). The compute C comes from
 * `flops`, or from a hardware budget (`days` with `gpus`, `gpuHours`, or `cost` with
 * `price`, on `gpu`/`peakFlops` at `mfu`); with one of N and D it solves the other, and
 * without C it solves C from N and D. Too few or too many givens say which to add or drop.
 */
export function evaluateBudget(raw: RawInputs, name: FieldName, law: Law): BudgetResult {
  const hardware = readHardware(raw, name);
  const fromHardware = readHardwareBudget(raw, name, hardware);
  let flopsIn = quantity(raw, 'flops', name);
  const paramsIn = quantity(raw, 'params', name);
  const tokensIn = quantity(raw, 'tokens', name);
  if (fromHardware) {
    const budget = name(fromHardware.given);
    if (flopsIn !== undefined) {
      throw new MoeplanError('INVALID_INPUT', `${name('flops')} and ${budget} both give the compute: drop one`, {
        hint: `${budget} on the accelerators gives C = peak · MFU · GPU-seconds`,
      });
    }
    if (paramsIn === undefined && tokensIn === undefined) {
      throw new MoeplanError('MISSING_INPUT', `${budget} gives the compute; add ${name('params')} or ${name('tokens')} to solve the other`, {
        hint: 'e.g. moeplan budget --gpu h100 --gpus 2048 --mfu 40% --days 60 --params 52B (or moeplan optimal with the same options for Nopt and Dopt)',
      });
    }
    if (paramsIn !== undefined && tokensIn !== undefined) {
      throw new MoeplanError(
        'INVALID_INPUT',
        `${name('params')}, ${name('tokens')} and ${budget} over-determine the run: drop ${budget} (it is then computed from N and D) or one of ${name('params')} and ${name('tokens')} (it is then solved)`,
      );
    }
    flopsIn = fromHardware.flops;
  }
  const present = (['params', 'tokens', 'flops'] as const).filter((key) => ({ params: paramsIn, tokens: tokensIn, flops: flopsIn })[key] !== undefined);
  const given = present.length;
  if (given !== 2) {
    throw new MoeplanError(
      'MISSING_INPUT',
      given < 2
        ? `give two of ${name('params')}, ${name('tokens')} and ${name('flops')} (got ${given === 0 ? 'none' : `only ${name(present[0] as string)}`})`
        : `give only two of ${name('params')}, ${name('tokens')} and ${name('flops')}: the third is computed`,
      { hint: 'e.g. moeplan budget --params 52B --tokens 7T; the compute can also come from the hardware (--gpu h100 --gpus 2048 --mfu 40% --days 60)' },
    );
  }
  let inputs: Record<string, number | string>;
  let solved: BudgetResult['solved'];
  let flops: number;
  let params: number;
  let tokens: number;
  if (flopsIn === undefined) {
    params = paramsIn as number;
    tokens = tokensIn as number;
    inputs = { params, tokens };
    solved = 'flops';
    flops = finiteResult(trainingFlops(params, tokens, law.compute), 'the compute C');
  } else if (tokensIn === undefined) {
    flops = flopsIn;
    params = paramsIn as number;
    inputs = fromHardware ? { params } : { flops, params };
    solved = 'tokens';
    tokens = finiteResult(tokensForBudget(flops, params, law.compute), 'the token count D');
  } else {
    flops = flopsIn;
    tokens = tokensIn;
    inputs = fromHardware ? { tokens } : { flops, tokens };
    solved = 'params';
    params = finiteResult(paramsForBudget(flops, tokens, law.compute), 'the parameter count N');
  }

  const result: BudgetResult = {
    law: law.name,
    solved,
    flops,
    params,
    tokens,
    denseFlops: finiteResult(trainingFlops(params, tokens, DENSE_COMPUTE), 'the compute 6ND'),
    flopsPerToken: finiteResult(law.compute.paramsTokens * params + law.compute.tokens, 'the FLOPs per token'),
    tokensPerParam: finiteResult(tokens / params, 'the tokens per parameter D/N', 'N and D are too far apart in magnitude; check their units and exponents'),
    inputs,
  };
  if (hardware === undefined) return result;
  Object.assign(inputs, hardwareInputs(hardware, fromHardware));
  return {
    ...result,
    ...(fromHardware ? { computeFrom: fromHardware.given } : {}),
    hardware,
    ...hardwareTime(flops, hardware),
  };
}

function render(result: BudgetResult, law: Law, ctx: Context): string {
  const mark = (key: BudgetResult['solved']) => result.solved === key;
  const rows: Row[] = [
    { label: paramsLabel(law), value: si(result.params), unit: 'params', strong: mark('params'), note: mark('params') ? '(solved)' : undefined },
    { label: 'Training tokens D', value: si(result.tokens), unit: 'tokens', strong: mark('tokens'), note: mark('tokens') ? '(solved)' : undefined },
    {
      label: `Compute C (${law.compute.equation ?? law.name})`,
      value: sci(result.flops),
      unit: 'FLOPs',
      strong: mark('flops') || result.computeFrom !== undefined,
      note: result.computeFrom
        ? `(solved) from ${flagName(result.computeFrom)}: peak · MFU · GPU-seconds`
        : `${law.compute.paramsTokens}·N·D${law.compute.tokens ? ` + ${sci(law.compute.tokens)}·D` : ''}`,
    },
  ];
  if (law.compute.paramsTokens !== 6 || law.compute.tokens !== 0) {
    rows.push({ label: 'Compute 6ND', value: sci(result.denseFlops), unit: 'FLOPs', note: 'dense rule of thumb, for comparison' });
  }
  rows.push(
    { label: 'FLOPs per token', value: sci(result.flopsPerToken), unit: 'FLOPs' },
    { label: 'Tokens per param', value: trimNumber(result.tokensPerParam, 4), unit: 'D/N' },
  );
  if (result.hardware) {
    const h = result.hardware;
    const device = h.gpu ? (ACCELERATORS[h.gpu]?.name ?? h.gpu) : 'custom accelerator';
    rows.push({
      label: 'Accelerators',
      value: h.gpus ? `${h.gpus} ×` : '1 ×',
      unit: h.gpu ? h.gpu.toUpperCase() : 'GPU',
      note: `${device}, ${si(h.peakFlops / 1e12, 4)} TFLOP/s peak, ${trimNumber(h.mfu * 100, 3)}% MFU`,
    });
    const given = (key: HardwareBudgetKey) => (result.computeFrom === key ? 'given' : undefined);
    rows.push({ label: 'GPU-hours', value: si(result.gpuHours as number), unit: 'GPU-h', note: given('gpuHours') });
    if (result.days !== undefined)
      rows.push({ label: 'Wall clock', value: trimNumber(result.days, 4), unit: 'days', strong: result.computeFrom !== 'days', note: given('days') });
    if (result.cost !== undefined) rows.push({ label: 'Cost', value: money(result.cost), note: `${given('cost') ? 'given, ' : ''}at $${h.price}/GPU-h` });
  }
  return renderRows(rows, ctx.chalk, `Training budget · law ${law.name}: ${law.title}`);
}

/** The JSON of the architecture compute model beside the law's. */
function architectureJson(info: ConfigInfo, tokens: number) {
  const f = info.compute.flops;
  return {
    seqLen: f.seqLen,
    seqLenSource: info.compute.seqLenSource,
    convention: info.compute.convention,
    flopsPerToken: f.perToken,
    flops: finiteResult(f.perToken * tokens, 'the architecture compute'),
    paramsTokens: f.compute.paramsTokens,
    tokensTerm: f.compute.tokens,
    pieces: f.pieces,
  };
}

const PIECE_LABELS: Readonly<Record<keyof ArchitectureCompute['flops']['pieces'], string>> = {
  attentionProjections: 'attention projections',
  attentionScores: 'attention scores and values',
  routedExperts: 'routed experts',
  sharedExperts: 'shared experts',
  denseFeedForward: 'dense FFN',
  router: 'router',
  mamba: 'Mamba mixers',
  outputHead: 'output head',
  multiTokenPrediction: 'multi-token prediction',
};

/** The architecture count for people: per token beside the law and 6N, and its pieces. */
function renderArchitecture(info: ConfigInfo, result: BudgetResult, ctx: Context): string {
  const f = info.compute.flops;
  const rows: Row[] = [
    {
      label: 'Architecture FLOPs/token',
      value: sci(f.perToken),
      unit: 'FLOPs',
      note: `at ${group(f.seqLen)} tokens (${info.compute.seqLenSource}); = 6·N + ${sci(f.compute.tokens)}`,
    },
    { label: 'Law FLOPs/token', value: sci(result.flopsPerToken), unit: 'FLOPs', note: `law ${result.law}` },
    { label: '6·N', value: sci(6 * result.params), unit: 'FLOPs' },
    { label: 'Architecture compute', value: sci(f.perToken * result.tokens), unit: 'FLOPs', note: 'for D tokens' },
  ];
  for (const [key, label] of Object.entries(PIECE_LABELS) as [keyof typeof PIECE_LABELS, string][]) {
    const value = f.pieces[key];
    if (value > 0) rows.push({ label: `  ${label}`, value: sci(value), unit: 'FLOPs/token', note: `${((100 * value) / f.perToken).toFixed(1)}%` });
  }
  return `${renderRows(rows, ctx.chalk, `Architecture compute · ${info.model.source}`)}${ctx.chalk.dim(`  ${info.compute.convention}\n`)}`;
}

export const budgetCommand: CommandDefinition = {
  examples: [
    ['moeplan budget --params 52B --tokens 7T', 'compute of the Hunyuan-Large run: 3.4924e24 FLOPs (6ND: 2.184e24)'],
    ['moeplan budget --flops 3.5e24 --params 52B', 'how many tokens a budget buys for a 52B-activated model'],
    [
      'moeplan budget --config examples/configs/hunyuan-large.json --tokens 7T',
      'N from a Hugging Face config.json (52.14B activated), beside its architecture count',
    ],
    [
      'moeplan budget --config examples/configs/llama-3-8b.json --tokens 15T --seq-len 8K --law arch',
      "priced by the architecture: Megatron-LM's count at 8,192 tokens",
    ],
    ['moeplan budget --flops 3.5e24 --tokens 7T', 'how large a model a budget allows for 7T tokens'],
    ['moeplan budget --params 52B --tokens 7T --gpu h100 --gpus 4096 --mfu 0.4 --price 2.5', 'GPU-hours, days and cost'],
    [
      'moeplan budget --gpu h100 --gpus 2048 --mfu 40% --days 60 --params 40B',
      'hardware first: the compute 2048 H100s buy in 60 days, and the tokens it trains 40B on',
    ],
    ['moeplan budget --gpu h100 --mfu 40% --cost 5M --price 2.5 --tokens 7T', 'the model a budget of $5M allows for 7T tokens'],
    ['moeplan budget --params "6*8.6B" --tokens 7T --law dense --json', 'plain 6ND, as JSON'],
    ['moeplan budget --input grid.csv > costs.csv', 'batch: one output row per CSV/JSONL row (columns named like the flags)'],
  ],
  notes: `Givens: two of N, D and C. C is --flops, or a hardware budget on an accelerator
(--gpu or --peak-flops, with --mfu): --days with --gpus, --gpu-hours, or --cost with
--price; C = peak · MFU · GPU-seconds. Too few or too many givens is an error that says
which to add or drop.
Quantities: plain numbers (3.1e24), suffixes K=1e3 M=1e6 B=G=1e9 (billion, not bytes
or batch) T=1e12 P=1e15 (case-insensitive), percentages for --mfu (40%), and
arithmetic (6*52B*7T, sqrt, log, exp, min, max).
Accelerators (peak dense BF16): ${Object.entries(ACCELERATORS)
    .map(([k, v]) => `${k} ${v.peakFlops / 1e12}`)
    .join(', ')} TFLOP/s.`,
  configure(command: Command) {
    command
      .option('--params <N>', 'activated parameters N (e.g. 52B)')
      .option('--config <file>', 'a Hugging Face config.json whose activated parameters stand in for --params (see moeplan arch)')
      .option('--tokens <D>', 'training tokens D (e.g. 7T)')
      .option('--flops <C>', 'training compute C in FLOPs (e.g. 3.5e24)')
      .option(
        '--law <name|file>',
        `compute model: ${COMPUTE_MODEL_LAWS.map((law) => `${law.name} (${computeLabel(law)}${law.name === DEFAULT_LAW ? ', default' : ''})`).join(', ')}, arch (the --config architecture), or a law file`,
        DEFAULT_LAW,
      )
      .option('--strict', STRICT_CONFIG_HELP)
      .option('--seq-len <tokens>', 'training sequence length for the architecture count with --config (default: max_position_embeddings, at most 4096)')
      .option('--gpu <name>', `accelerator: ${Object.keys(ACCELERATORS).join(', ')}`)
      .option('--peak-flops <F>', 'peak FLOP/s per accelerator, for one not listed')
      .option('--gpus <count>', 'number of accelerators (gives wall-clock days)')
      .option('--mfu <fraction>', 'model FLOPs utilisation, e.g. 0.4 or 40%')
      .option('--price <$>', 'price per GPU-hour (gives cost)')
      .option('--days <d>', 'hardware budget: wall-clock days on --gpus accelerators (gives C in place of --flops)')
      .option('--gpu-hours <h>', 'hardware budget: accelerator-hours (gives C in place of --flops)')
      .option('--cost <$>', 'hardware budget: money, with --price (gives C in place of --flops)')
      .option('--input <file|->', 'batch mode: CSV (with header) or JSONL rows; - reads stdin');
  },
  async run(options, _args, ctx) {
    const { law, raw, config, meaning, info } = await resolveBudgetOptions(options, ctx);
    if (typeof options.input === 'string') {
      return (await import('../batch.js')).runBatch(ctx, options.input, raw, budgetBatchSpec(law));
    }
    await prepareFlags(raw, ['gpu']);
    const result = assertFiniteResult(evaluateBudget(raw, flagName, law));
    warnUnitSlips(ctx, raw, ['params', 'tokens']);
    const convention = meaning !== undefined && meaning !== 'activated' ? { paramsMeaning: meaning } : {};
    const mismatch = info && config !== undefined ? lawMismatchNote(law, result.params, info.compute, info.model, config) : undefined;
    if (ctx.json) {
      ctx.emitJson('budget', {
        ...result,
        ...(config !== undefined ? { config, ...convention } : {}),
        ...(info ? { unknownKeys: info.model.unknownKeys } : {}),
        ...(info ? { architecture: architectureJson(info, result.tokens) } : {}),
        ...(mismatch ? { notes: [mismatch] } : {}),
      });
    } else {
      ctx.out(
        `${render(result, law, ctx)}${config !== undefined ? ctx.chalk.dim(`  N: ${configCountText(meaning ?? 'activated', config)}\n`) : ''}${
          info ? `\n${renderArchitecture(info, result, ctx)}` : ''
        }${mismatch ? ctx.chalk.dim(`  note: ${mismatch}\n`) : ''}`,
      );
    }
    return 0;
  },
};

/** What N is when it comes from a config: `activated parameters of x.json (…)`. */
function configCountText(meaning: ParamsMeaning, file: string): string {
  const config = file === '-' ? 'stdin' : file;
  return meaning === 'activated'
    ? `activated parameters of ${config} (output projection counted; moeplan arch)`
    : `non-embedding activated parameters of ${config} (embedding and output projection left out, as the law counts N; moeplan arch)`;
}

interface ConfigInfo {
  readonly model: ModelConfig;
  readonly compute: ArchitectureCompute;
}

/**
 * The law and the raw flag values, with `--config` resolved to the law's parameter count and
 * to its architecture count (which `--law arch` prices with).
 */
async function resolveBudgetOptions(options: Record<string, unknown>, ctx: Context) {
  const cwd = ctx.io.cwd;
  const raw: Record<string, string | undefined> = {};
  for (const key of KEYS) raw[key] = options[key] as string | undefined;
  const config = typeof options.config === 'string' ? options.config : undefined;
  const lawName = options.law as string | undefined;
  requireConfigForArch(lawName, config);
  const seqRaw: Record<string, string | undefined> = { seqLen: options.seqLen as string | undefined };
  if (seqRaw.seqLen !== undefined && config === undefined) {
    throw new MoeplanError('INVALID_INPUT', '--seq-len sets the sequence length of the architecture count: give --config FILE too', { field: '--seq-len' });
  }
  await prepareFlags(seqRaw);
  const seqLen = quantity(seqRaw, 'seqLen', flagName, { integer: true, describe: 'a whole number of tokens, at least 1 (e.g. 4096, 8K)' });
  let info: ConfigInfo | undefined;
  if (config !== undefined) {
    if (raw.params !== undefined) throw new MoeplanError('INVALID_INPUT', 'give --config or --params, not both', { field: '--config' });
    const model = await readConfigOption(config, ctx, { strict: options.strict });
    info = { model, compute: architectureCompute(model, seqLen) };
  }
  const law = lawName === ARCH_LAW && info ? architectureLaw(info.model, info.compute) : await resolveLaw(lawName, { cwd });
  let meaning: ParamsMeaning | undefined;
  if (info) {
    const { parameterCounts } = await import('../../core/architecture.js');
    const chosen = paramsForLaw(parameterCounts(info.model.architecture), law);
    raw.params = String(chosen.params);
    meaning = chosen.meaning;
  }
  return { law, raw, config, meaning, info };
}

/** Batch mode of budget: the row evaluation and output columns under `law`. */
export function budgetBatchSpec(law: Law): BatchSpec<BudgetResult> {
  return {
    keys: KEYS,
    evaluate: (row, name) => evaluateBudget(row, name, law),
    resolvedInput: (r, key) => r.inputs[key],
    columns: [
      { name: 'params', key: 'params', get: (r) => r.params },
      { name: 'tokens', key: 'tokens', get: (r) => r.tokens },
      { name: 'flops', key: 'flops', get: (r) => r.flops },
      { name: 'gpu_hours', key: 'gpuHours', when: HARDWARE_COLUMNS, get: (r) => r.gpuHours },
      { name: 'days', key: 'days', when: HARDWARE_COLUMNS, get: (r) => r.days },
      { name: 'cost', key: 'cost', when: HARDWARE_COLUMNS, get: (r) => r.cost },
    ],
    rowKernel: (inputKeys, given, resultColumns) => budgetRowKernel(law, inputKeys, given, resultColumns),
  };
}

/**
 * The batch row kernel for the common grid: columns params and tokens, nothing else given,
 * one result column (flops). Every number {@link evaluateBudget} computes is computed the
 * same way and checked the same way; a row it would reject or flag is left to it.
 */
function budgetRowKernel(law: Law, inputKeys: readonly string[], given: ReadonlySet<string>, resultColumns: readonly string[]): RowKernel | undefined {
  if (inputKeys.length !== 2 || resultColumns.length !== 1 || resultColumns[0] !== 'flops') return undefined;
  if (KEYS.some((key) => given.has(key) && key !== 'params' && key !== 'tokens')) return undefined;
  const paramsAt = inputKeys.indexOf('params');
  const tokensAt = inputKeys.indexOf('tokens');
  if (paramsAt === -1 || tokensAt === -1) return undefined;
  const { compute } = law;
  return (values, results) => {
    const params = values[paramsAt] as number;
    const tokens = values[tokensAt] as number;
    if (!(params > 0 && params < Number.POSITIVE_INFINITY && tokens > 0 && tokens < Number.POSITIVE_INFINITY)) return false;
    const flops = trainingFlops(params, tokens, compute);
    const denseFlops = trainingFlops(params, tokens, DENSE_COMPUTE);
    const flopsPerToken = compute.paramsTokens * params + compute.tokens;
    const tokensPerParam = tokens / params;
    // finiteResult's test on each: a row that fails it gets its error on the general path.
    if (!(representable(flops) && representable(denseFlops) && representable(flopsPerToken) && representable(tokensPerParam))) return false;
    results[0] = flops;
    return true;
  };
}
