/**
 * `moeplan memory`: memory per GPU of training (weights, gradients, optimizer states,
 * activations) or inference (weights, KV cache) under a parallel layout, against the GPU's
 * memory; `--fit` lists the layouts that fit.
 */
import type { Command } from 'commander';
import type { ModelArchitecture } from '../../core/architecture.js';
import { MoeplanError } from '../../core/errors.js';
import { ACCELERATORS, accelerator } from '../../core/hardware.js';
import { KV_DTYPE_BYTES, type KvDtype, kvCacheBytesPerSequence } from '../../core/kv-cache.js';
import { RECOMPUTE_CHOICES, type Recompute } from '../../core/memory-activations.js';
import {
  type ParallelLayout,
  PRECISIONS,
  type PrecisionName,
  type ZeroStage,
  expertDataParallel,
  layoutProblem,
  worldSize,
} from '../../core/memory-weights.js';
import {
  DEFAULT_MIN_HEADROOM,
  type InferenceStageMemory,
  type LayoutFit,
  type MemoryVerdict,
  type StageMemory,
  fitLayouts,
  inferenceMemory,
  memoryVerdict,
  trainingMemory,
} from '../../core/memory.js';
import { formatBytes, parseBytes } from '../../io/bytes.js';
import { group, percent, si } from '../../io/format.js';
import { CONFIG_FAMILIES } from '../../io/model-config.js';
import type { CommandDefinition } from '../command.js';
import { STRICT_CONFIG_HELP } from '../architecture-compute.js';
import { type Context, type RawInputs, choice, flagName, prepareFlags, quantity } from '../context.js';
import { SHAPE_KEYS, addShapeOptions, count, modelFromOptions } from '../model-shape.js';
import { assertFiniteResult } from '../numeric.js';
import { type Row, renderRows, renderTable } from '../render.js';
import { renderMessage } from '../../messages/index.js';

/** The published formulas followed, and where moeplan departs from them (also in `--json`). */
export const MEMORY_SOURCES = [
  'weights and optimizer states: Megatron-LM megatron/training/theoretical_memory_usage.py (dense weights over TP × PP and DP, routed experts over EP × ETP and expert-data-parallel), computed per pipeline stage',
  'optimizer sharding: ZeRO stages 1-3 (Rajbhandari et al. 2020); Megatron-LM’s distributed optimizer is ZeRO 1',
  'activations: Korthikanti et al. 2022 Table 2, widened to GQA/MLA, SwiGLU (6 bytes per intermediate element) and MoE routed-token buffers; no dropout masks; flash attention keeps no scores',
] as const;

const ZERO_CHOICES = ['0', '1', '2', '3', 'distributed'] as const;
const PRECISION_NAMES = Object.keys(PRECISIONS) as PrecisionName[];
const DTYPES = Object.keys(KV_DTYPE_BYTES) as KvDtype[];
const TEXT_KEYS = ['zero', 'precision', 'recompute', 'dtype', 'kvDtype'];
const NUMBER_KEYS = ['seqLen', 'microBatch', 'tp', 'pp', 'ep', 'cp', 'dp', 'gpus', 'etp', 'capacityFactor', 'headroom', 'batch', 'context'] as const;

interface GpuInfo {
  readonly name: string;
  readonly memoryBytes: number;
}

/** The layout from the flags: DP given, or derived from --gpus; ETP defaults to TP. */
function layoutFromFlags(raw: RawInputs, arch: ModelArchitecture, defaultsUsed: string[], inference: boolean): ParallelLayout {
  const tp = count(raw, 'tp', flagName) ?? 1;
  const pp = count(raw, 'pp', flagName) ?? 1;
  const cp = count(raw, 'cp', flagName) ?? 1;
  const ep = count(raw, 'ep', flagName) ?? 1;
  const etp = count(raw, 'etp', flagName) ?? tp;
  if (raw.etp === undefined && arch.moe) defaultsUsed.push(`--etp ${tp} (= --tp, Megatron-LM's default)`);
  const gpus = count(raw, 'gpus', flagName);
  let dp = count(raw, 'dp', flagName);
  const modelParallel = tp * pp * cp;
  if (gpus !== undefined) {
    if (gpus % modelParallel !== 0) {
      throw new MoeplanError('INVALID_INPUT', `--gpus: ${gpus} GPUs is not a multiple of TP × PP × CP = ${modelParallel}`, { field: '--gpus' });
    }
    if (dp !== undefined && dp * modelParallel !== gpus) {
      throw new MoeplanError('INVALID_INPUT', `--dp: DP ${dp} × TP × PP × CP ${modelParallel} is ${dp * modelParallel}, not --gpus ${gpus}`, { field: '--dp' });
    }
    dp = gpus / modelParallel;
  }
  if (dp === undefined) {
    dp = 1;
    if (!inference) defaultsUsed.push('--dp 1 (give --dp or --gpus for data parallelism)');
  }
  const layout = { tp, pp, cp, dp, ep, etp };
  const problem = layoutProblem(arch, layout);
  if (problem)
    throw new MoeplanError('INVALID_INPUT', `${flagName(problem.field)}: ${renderMessage(problem.problem, flagName)}`, { field: flagName(problem.field) });
  return layout;
}

function gpuFrom(options: Record<string, unknown>): GpuInfo | undefined {
  if (options.gpu !== undefined && options.gpuMemory !== undefined) {
    throw new MoeplanError('INVALID_INPUT', 'give --gpu or --gpu-memory, not both', { field: '--gpu-memory' });
  }
  if (typeof options.gpuMemory === 'string') return { name: 'custom GPU', memoryBytes: parseBytes(options.gpuMemory, '--gpu-memory') };
  if (typeof options.gpu === 'string') {
    const entry = accelerator(options.gpu, 'gpu', 'gpuMemory');
    return { name: entry.name, memoryBytes: entry.memoryBytes };
  }
  return undefined;
}

interface Verdict {
  readonly headroomBytes: number;
  readonly headroom: number;
  readonly minHeadroom: number;
  readonly verdict: MemoryVerdict;
}

function layoutText(l: ParallelLayout, arch: ModelArchitecture): string {
  const base = `TP ${l.tp} × PP ${l.pp} × CP ${l.cp} × DP ${l.dp} = ${group(worldSize(l))} GPUs`;
  return arch.moe ? `${base}; EP ${l.ep}, ETP ${l.etp} (expert data parallel ${group(expertDataParallel(l))})` : base;
}

const VERDICT_TEXT: Readonly<Record<MemoryVerdict, string>> = { fits: 'fits', tight: 'tight', over: 'does not fit' };

function verdictRows(gpu: GpuInfo | undefined, verdict: Verdict | undefined, ctx: Context): Row[] {
  if (!gpu || !verdict) return [];
  const colour = verdict.verdict === 'fits' ? ctx.chalk.green : verdict.verdict === 'tight' ? ctx.chalk.yellow : ctx.chalk.red;
  return [
    { label: gpu.name, value: formatBytes(gpu.memoryBytes), unit: '', note: 'per GPU' },
    {
      label: 'headroom',
      value: formatBytes(verdict.headroomBytes),
      unit: '',
      note: `${percent(verdict.headroom)} of the GPU; asked ≥ ${percent(verdict.minHeadroom)}`,
    },
    {
      label: 'verdict',
      value: colour(VERDICT_TEXT[verdict.verdict]),
      unit: '',
      strong: true,
      note:
        verdict.verdict === 'tight'
          ? `less free than the ${percent(verdict.minHeadroom)} asked`
          : verdict.verdict === 'over'
            ? `${formatBytes(-verdict.headroomBytes)} over the GPU's memory`
            : undefined,
    },
  ];
}

function stageText(s: { stage: number; layers: { first: number; count: number } }, pp: number): string {
  const layers =
    s.layers.count === 0 ? 'no layers' : s.layers.count === 1 ? `layer ${s.layers.first}` : `layers ${s.layers.first}–${s.layers.first + s.layers.count - 1}`;
  return `pipeline stage ${s.stage} of ${pp} (${layers})`;
}

export const memoryCommand: CommandDefinition = {
  examples: [
    [
      'moeplan memory --config examples/configs/hunyuan-large.json --seq-len 4096 --tp 8 --pp 4 --ep 16 --etp 1 --gpus 1024 --zero 1 --recompute selective --sequence-parallel --gpu h100',
      'Hunyuan-Large on 1,024 H100s: weights, gradients, optimizer states and activations per GPU',
    ],
    [
      'moeplan memory --config examples/configs/hunyuan-large.json --seq-len 4096 --gpus 256 --zero 1 --sequence-parallel --gpu h100 --fit',
      'the layouts of 256 H100s that fit, fewest GPUs per model copy first',
    ],
    [
      'moeplan memory --config examples/configs/mixtral-8x7b.json --inference --batch 16 --context 32K --tp 2 --gpu h100',
      'inference: weights and KV cache of 16 sequences of 32,000 tokens',
    ],
    [
      'moeplan memory --config examples/configs/deepseek-v3.json --seq-len 4096 --pp 16 --ep 64 --gpus 2048 --zero 1 --precision fp8 --gpu h100 --json',
      'DeepSeek-V3 as JSON',
    ],
  ],
  notes: `Training, per GPU of the most loaded pipeline stage (1F1B: stage s keeps PP - s micro-batches):
  parameters, gradients, optimizer states  dense weights split by TP x PP, experts by EP x ETP;
                                           ZeRO shards them over DP x CP (experts: expert data parallel)
  activations                              Korthikanti et al. 2022 Table 2, per micro-batch
Sources: ${MEMORY_SOURCES.map((s) => `\n  - ${s}`).join('')}
Precision (bytes per weight: weights + gradients + master + Adam moments):
${PRECISION_NAMES.map((n) => {
  const p = PRECISIONS[n];
  return `  ${n.padEnd(5)} ${p.weights} + ${p.gradients} + ${p.master} + ${p.moments} = ${p.weights + p.gradients + p.master + p.moments}`;
}).join('\n')}
GPU memory: ${Object.entries(ACCELERATORS)
    .map(([k, v]) => `${k} ${v.memoryBytes / 2 ** 30} GiB`)
    .join(', ')}; or --gpu-memory 96GiB.
GB is 10^9 bytes, GiB 2^30. Verdict: fits with at least --headroom free (default ${percent(DEFAULT_MIN_HEADROOM)}),
tight below it, does not fit above the GPU's memory. --fit sorts the fitting layouts by
TP x PP x CP (GPUs per copy of the dense weights), then EP, then memory.
Not modelled: interleaved schedules, MTP modules, vocabulary padding, communication buffers.`,
  configure(command: Command) {
    command
      .option('--config <file>', 'a Hugging Face config.json (or the shape flags below)')
      .option('--strict', STRICT_CONFIG_HELP)
      .option('--seq-len <tokens>', 'training sequence length (e.g. 4096, 4Ki)')
      .option('--micro-batch <n>', 'sequences per micro-batch (default 1)')
      .option('--tp <n>', 'tensor parallelism (default 1)')
      .option('--pp <n>', 'pipeline stages (default 1)')
      .option('--ep <n>', 'expert parallelism: must divide the routed experts (default 1)')
      .option('--etp <n>', 'tensor parallelism inside each expert (default: --tp)')
      .option('--cp <n>', 'context parallelism (default 1)')
      .option('--dp <n>', 'data-parallel replicas (default: --gpus / (TP x PP x CP), else 1)')
      .option('--gpus <n>', 'GPUs in all: derives DP')
      .option('--zero <stage>', `optimizer sharding: ${ZERO_CHOICES.join(', ')} (distributed = Megatron's distributed optimizer = 1; default 0)`)
      .option('--precision <name>', `${PRECISION_NAMES.join(', ')} (default bf16: bf16 weights, fp32 gradients, master and Adam moments)`)
      .option('--recompute <mode>', `activation recomputation: ${RECOMPUTE_CHOICES.join(', ')} (default none)`)
      .option('--sequence-parallel', 'sequence parallelism (splits the norms and dropout by TP)')
      .option('--no-flash-attention', 'keep the attention scores (no flash attention)')
      .option('--capacity-factor <c>', 'expert capacity factor for the routed-token buffers (default 1)')
      .option('--gpu <name>', `accelerator: ${Object.keys(ACCELERATORS).join(', ')}`)
      .option('--gpu-memory <size>', 'memory per GPU for any other accelerator (e.g. 96GiB)')
      .option('--headroom <fraction>', `least free memory for the verdict "fits" (default ${percent(DEFAULT_MIN_HEADROOM)})`)
      .option('--fit', 'list the layouts of --gpus that fit the GPU (chooses TP, PP and EP)')
      .option('--inference', 'inference: weights and KV cache instead of training state')
      .option('--batch <n>', 'inference: sequences in the batch (default 1)')
      .option('--context <tokens>', 'inference: tokens per sequence (e.g. 32K)')
      .option('--dtype <type>', `inference: weight type, ${DTYPES.join(', ')} (default bf16)`)
      .option('--kv-dtype <type>', `inference: KV-cache type, ${DTYPES.join(', ')} (default: --dtype)`);
    addShapeOptions(command);
  },
  async run(options, _args, ctx) {
    const raw: Record<string, string | boolean | undefined> = {};
    for (const key of [...SHAPE_KEYS, ...NUMBER_KEYS, ...TEXT_KEYS]) raw[key] = options[key] as string | boolean | undefined;
    await prepareFlags(raw, TEXT_KEYS);
    const { architecture: arch, config } = await modelFromOptions(options, raw, ctx, flagName);
    const gpu = gpuFrom(options);
    const minHeadroom =
      quantity(raw, 'headroom', flagName, { percent: true, min: 0, minInclusive: true, max: 0.99, describe: 'a fraction in [0, 0.99], e.g. 10%' }) ??
      DEFAULT_MIN_HEADROOM;
    const defaultsUsed: string[] = [];
    const verdictOf = (total: number): Verdict | undefined => (gpu ? { ...memoryVerdict(total, gpu.memoryBytes, minHeadroom), minHeadroom } : undefined);
    const familyTitle = config ? (CONFIG_FAMILIES[config.family]?.title ?? config.family) : '';
    const source = config ? { config: config.source, family: config.family, title: familyTitle, unknownKeys: config.unknownKeys } : {};
    const notes = [...(config?.notes ?? []), ...(config?.defaultsUsed ?? []).map((d) => `config default used: ${d}`)];
    const title = config ? `${config.source} (${familyTitle})` : 'model from flags';

    if (options.inference === true) {
      for (const key of ['seqLen', 'microBatch', 'zero', 'precision', 'recompute', 'fit'] as const) {
        if (options[key] !== undefined)
          throw new MoeplanError('INVALID_INPUT', `${flagName(key)} is for training, not with --inference`, { field: flagName(key) });
      }
      const layout = layoutFromFlags(raw, arch, defaultsUsed, true);
      const context = quantity(raw, 'context', flagName, { integer: true, describe: 'a whole number of tokens, at least 1 (e.g. 32K)' });
      if (context === undefined)
        throw new MoeplanError('MISSING_INPUT', '--context is required with --inference', {
          field: '--context',
          hint: 'tokens per sequence, e.g. --context 32K',
        });
      const batch = count(raw, 'batch', flagName) ?? 1;
      const dtype = choice(raw, 'dtype', flagName, DTYPES) ?? 'bf16';
      const kvDtype = choice(raw, 'kvDtype', flagName, DTYPES) ?? dtype;
      const m = inferenceMemory({ arch, layout, weightBytes: KV_DTYPE_BYTES[dtype], kvBytesPerElement: KV_DTYPE_BYTES[kvDtype], batch, context });
      const sequence = kvCacheBytesPerSequence(arch, context, KV_DTYPE_BYTES[kvDtype]);
      if (sequence.windowedLayers > 0) {
        notes.push(`KV cache: ${sequence.windowedLayers} windowed attention layers cache min(context, window) = ${group(sequence.windowTokens)} tokens each`);
      }
      if (arch.mamba)
        notes.push(`KV cache: ${arch.mamba.layers} Mamba layers hold a fixed state (${formatBytes(sequence.stateBytes)} per sequence), not a per-token cache`);
      const verdict = verdictOf(m.peak.total);
      const doc = assertFiniteResult({
        mode: 'inference',
        source,
        inputs: { architecture: arch, layout: { tp: layout.tp, pp: layout.pp, ep: layout.ep, etp: layout.etp }, dtype, kvDtype, batch, context },
        gpu: gpu ?? null,
        perGpu: { parameters: m.peak.parameters, kvCache: m.peak.kvCache, total: m.peak.total },
        peakStage: m.peak.stage,
        stages: m.stages,
        ...(verdict ?? {}),
        defaultsUsed,
        notes,
      });
      if (ctx.json) ctx.emitJson('memory', doc);
      else
        ctx.out(
          renderInference(
            title,
            m.peak,
            layout.pp,
            { dtype, kvDtype, batch, context, tp: layout.tp, ep: layout.ep, etp: layout.etp },
            gpu,
            verdict,
            defaultsUsed,
            ctx,
          ),
        );
      return 0;
    }

    for (const key of ['batch', 'context', 'dtype', 'kvDtype'] as const) {
      if (options[key] !== undefined)
        throw new MoeplanError('INVALID_INPUT', `${flagName(key)} is for --inference`, {
          field: flagName(key),
          hint: 'add --inference, or give --seq-len and --micro-batch for training',
        });
    }
    const seqLen = quantity(raw, 'seqLen', flagName, { integer: true, describe: 'a whole number of tokens, at least 1 (e.g. 4096)' });
    if (seqLen === undefined)
      throw new MoeplanError('MISSING_INPUT', '--seq-len is required', {
        field: '--seq-len',
        hint: 'the training sequence length, e.g. --seq-len 4096 (or --inference)',
      });
    const microBatch = count(raw, 'microBatch', flagName) ?? 1;
    const zeroChoice = choice(raw, 'zero', flagName, ZERO_CHOICES) ?? '0';
    const zero = (zeroChoice === 'distributed' ? 1 : Number(zeroChoice)) as ZeroStage;
    const precisionName = choice(raw, 'precision', flagName, PRECISION_NAMES) ?? 'bf16';
    const recompute: Recompute = choice(raw, 'recompute', flagName, RECOMPUTE_CHOICES) ?? 'none';
    const capacityFactor = quantity(raw, 'capacityFactor', flagName, { min: 1, minInclusive: true, describe: 'a factor of 1 or more' }) ?? 1;
    const sequenceParallel = options.sequenceParallel === true;
    const flashAttention = options.flashAttention !== false;
    const training = { arch, precision: PRECISIONS[precisionName], zero, seqLen, microBatch, recompute, sequenceParallel, flashAttention, capacityFactor };
    const cp = count(raw, 'cp', flagName) ?? 1;
    if (seqLen % cp !== 0) throw new MoeplanError('INVALID_INPUT', `--cp: CP ${cp} does not divide --seq-len ${seqLen}`, { field: '--cp' });
    const settings = {
      seqLen,
      microBatch,
      zero,
      precision: { name: precisionName, bytesPerParam: PRECISIONS[precisionName] },
      recompute,
      sequenceParallel,
      flashAttention,
      capacityFactor,
    };

    if (options.fit === true) {
      for (const key of ['tp', 'pp', 'ep', 'dp'] as const) {
        if (raw[key] !== undefined)
          throw new MoeplanError('INVALID_INPUT', `${flagName(key)}: --fit chooses TP, PP and EP itself`, {
            field: flagName(key),
            hint: 'leave out --tp, --pp, --ep and --dp; give --gpus',
          });
      }
      const gpus = count(raw, 'gpus', flagName);
      if (gpus === undefined) throw new MoeplanError('MISSING_INPUT', '--gpus is required with --fit', { field: '--gpus' });
      if (!gpu) throw new MoeplanError('MISSING_INPUT', '--gpu or --gpu-memory is required with --fit', { field: '--gpu' });
      const etp = count(raw, 'etp', flagName);
      const layouts = fitLayouts(training, { gpus, capacity: gpu.memoryBytes, minHeadroom, cp, ...(etp !== undefined ? { etp } : {}) });
      const doc = assertFiniteResult({
        mode: 'fit',
        source,
        // ETP absent: each layout's own is its TP.
        inputs: { architecture: arch, gpus, cp, ...(etp !== undefined ? { etp } : {}), ...settings },
        gpu,
        minHeadroom,
        cost: 'TP × PP × CP (GPUs per copy of the dense weights), then EP, then memory per GPU',
        layouts,
        defaultsUsed,
        notes,
      });
      if (ctx.json) ctx.emitJson('memory', doc);
      else ctx.out(renderFit(title, layouts, gpus, gpu, minHeadroom, ctx));
      return 0;
    }

    const layout = layoutFromFlags(raw, arch, defaultsUsed, false);
    const m = trainingMemory({ ...training, layout });
    const verdict = verdictOf(m.peak.total);
    const p = m.peak;
    const doc = assertFiniteResult({
      mode: 'training',
      source,
      inputs: { architecture: arch, layout, world: worldSize(layout), expertDataParallel: expertDataParallel(layout), ...settings },
      gpu: gpu ?? null,
      perGpu: { parameters: p.parameters, gradients: p.gradients, optimizerStates: p.optimizerStates, activations: p.activations, total: p.total },
      peakStage: p.stage,
      shardGroups: m.shardGroups,
      stages: m.stages,
      ...(verdict ?? {}),
      sources: MEMORY_SOURCES,
      defaultsUsed,
      notes,
    });
    if (ctx.json) ctx.emitJson('memory', doc);
    else ctx.out(renderTraining(title, arch, layout, settings, m.stages, p, m.shardGroups, gpu, verdict, defaultsUsed, ctx));
    return 0;
  },
};

function renderTraining(
  title: string,
  arch: ModelArchitecture,
  layout: ParallelLayout,
  s: {
    seqLen: number;
    microBatch: number;
    zero: ZeroStage;
    precision: { name: PrecisionName };
    recompute: Recompute;
    sequenceParallel: boolean;
    flashAttention: boolean;
    capacityFactor: number;
  },
  stages: readonly StageMemory[],
  p: StageMemory,
  shards: { dense: number; expert: number },
  gpu: GpuInfo | undefined,
  verdict: Verdict | undefined,
  defaultsUsed: readonly string[],
  ctx: Context,
): string {
  const pr = PRECISIONS[s.precision.name];
  const bytes = pr.weights + pr.gradients + pr.master + pr.moments;
  const zeroText =
    s.zero === 0
      ? 'ZeRO 0: nothing sharded'
      : `ZeRO ${s.zero}: ${['', 'optimizer states', 'optimizer states and gradients', 'optimizer states, gradients and weights'][s.zero]} sharded over DP × CP = ${group(shards.dense)}${arch.moe ? ` (experts: ${group(shards.expert)})` : ''}`;
  const head = [
    `  layout: ${layoutText(layout, arch)}`,
    `  ${s.precision.name}: ${pr.weights} + ${pr.gradients} + ${pr.master} + ${pr.moments} = ${bytes} bytes per weight (weights, gradients, master, Adam moments); ${zeroText}`,
    `  sequence ${group(s.seqLen)} × micro-batch ${s.microBatch}; recompute ${s.recompute}${s.sequenceParallel ? ', sequence parallel' : ''}${s.flashAttention ? ', flash attention' : ', attention scores kept'}${
      arch.moe ? `; capacity factor ${s.capacityFactor}` : ''
    }`,
  ].join('\n');
  const w = p.weights;
  const rows: Row[] = [
    {
      label: 'parameters',
      value: formatBytes(p.parameters),
      unit: '',
      note: `${si(w.tpSharded + w.replicated)} dense${arch.moe ? ` + ${si(w.expertSharded)} expert` : ''} weights on this GPU`,
    },
    { label: 'gradients', value: formatBytes(p.gradients), unit: '' },
    { label: 'optimizer states', value: formatBytes(p.optimizerStates), unit: '', note: 'master weights and Adam moments' },
    {
      label: 'activations',
      value: formatBytes(p.activations),
      unit: '',
      note: `${p.inFlightMicroBatches} micro-batch${p.inFlightMicroBatches > 1 ? 'es' : ''} in flight`,
    },
    { label: 'total', value: formatBytes(p.total), unit: '', strong: true },
    ...verdictRows(gpu, verdict, ctx),
  ];
  const out = [
    `${ctx.chalk.bold(`Memory per GPU · training · ${title}`)}\n${head}\n`,
    renderRows(rows, ctx.chalk, `Most loaded GPU: ${stageText(p, layout.pp)}`),
  ];
  if (stages.length > 1) {
    const body = stages.map((st) => [
      String(st.stage),
      String(st.layers.count),
      formatBytes(st.parameters + st.gradients + st.optimizerStates),
      formatBytes(st.activations),
      formatBytes(st.total),
    ]);
    out.push(renderTable(['stage', 'layers', 'weights+grads+optimizer', 'activations', 'total'], body, ctx.chalk, ['r', 'r', 'r', 'r', 'r']));
  }
  if (defaultsUsed.length > 0) out.push(`${ctx.chalk.dim(defaultsUsed.map((d) => `  default used: ${d}`).join('\n'))}\n`);
  return out.join('\n');
}

function renderInference(
  title: string,
  p: InferenceStageMemory,
  pp: number,
  s: { dtype: KvDtype; kvDtype: KvDtype; batch: number; context: number; tp: number; ep: number; etp: number },
  gpu: GpuInfo | undefined,
  verdict: Verdict | undefined,
  defaultsUsed: readonly string[],
  ctx: Context,
): string {
  const head = `  layout: TP ${s.tp} × PP ${pp}; EP ${s.ep}, ETP ${s.etp}\n  weights ${s.dtype}, KV cache ${s.kvDtype}; ${group(s.batch)} sequence${s.batch > 1 ? 's' : ''} × ${group(s.context)} tokens`;
  const rows: Row[] = [
    { label: 'weights', value: formatBytes(p.parameters), unit: '' },
    { label: 'KV cache', value: formatBytes(p.kvCache), unit: '' },
    { label: 'total', value: formatBytes(p.total), unit: '', strong: true },
    ...verdictRows(gpu, verdict, ctx),
  ];
  const out = [`${ctx.chalk.bold(`Memory per GPU · inference · ${title}`)}\n${head}\n`, renderRows(rows, ctx.chalk, `Most loaded GPU: ${stageText(p, pp)}`)];
  if (defaultsUsed.length > 0) out.push(`${ctx.chalk.dim(defaultsUsed.map((d) => `  default used: ${d}`).join('\n'))}\n`);
  return out.join('\n');
}

/** Layouts shown in text; `--json` has them all. */
const SHOWN_LAYOUTS = 10;

function renderFit(title: string, layouts: readonly LayoutFit[], gpus: number, gpu: GpuInfo, minHeadroom: number, ctx: Context): string {
  const head = `${ctx.chalk.bold(`Layouts that fit · ${title}`)}\n  ${group(gpus)} × ${gpu.name} (${formatBytes(gpu.memoryBytes)}), at least ${percent(minHeadroom)} free; sorted by TP × PP × CP, then EP, then memory\n`;
  if (layouts.length === 0)
    return `${head}  none: every layout of ${group(gpus)} GPUs needs more memory per GPU (more GPUs, ZeRO, recompute or a shorter sequence)\n`;
  const body = layouts
    .slice(0, SHOWN_LAYOUTS)
    .map((f) => [
      String(f.layout.tp),
      String(f.layout.pp),
      String(f.layout.cp),
      String(f.layout.dp),
      String(f.layout.ep),
      String(f.layout.etp),
      String(f.modelParallel),
      formatBytes(f.total),
      percent(f.headroom),
    ]);
  const more = layouts.length > SHOWN_LAYOUTS ? `  … ${layouts.length - SHOWN_LAYOUTS} more (--json lists them all)\n` : '';
  return `${head}\n${renderTable(['TP', 'PP', 'CP', 'DP', 'EP', 'ETP', 'TP×PP×CP', 'per GPU', 'free'], body, ctx.chalk, ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'])}${more}`;
}
