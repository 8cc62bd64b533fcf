/**
 * `memoryPerGpu` (max): the memory of the most loaded GPU under the plan's parallelism at
 * most `max` bytes, or, written `headroom`, at least that share of the GPU's memory left
 * free (max = memory · (1 − headroom)).
 *
 * Memory per GPU = weights + gradients + optimizer states + activations of one micro-batch
 * on the most loaded pipeline stage (core/memory.ts: Megatron-LM's sharding of dense and
 * expert weights, ZeRO, Korthikanti et al. 2022 Table 2 activations). DP = hardware.count /
 * (TP · PP · CP).
 *
 * detail: total, parameters, gradients, optimizerStates, activations, stage, stages, dp,
 * expertDataParallel; with hardware.gpu: gpuMemory, headroom (the share left free); with a
 * headroom limit: headroomAsked.
 *
 * @example Hunyuan-Large on 1,024 H100s at TP 8, PP 4, EP 16, ETP 1, ZeRO 1, 4,096 tokens,
 * selective recompute with SP: 51.07 GiB on stage 0, 36% of the 80 GiB free.
 */
import { accelerator } from '../hardware.js';
import { MoeplanError } from '../errors.js';
import { type ParallelLayout, PRECISIONS, expertDataParallel, layoutProblem } from '../memory-weights.js';
import { trainingMemory } from '../memory.js';
import { defineCheck } from './types.js';
import { message } from '../messages.js';

const GiB = 2 ** 30;

export const memoryPerGpuCheck = defineCheck({
  id: 'memoryPerGpu',
  kind: 'max',
  needs: {
    model: 'model.config (the architecture)',
    parallelism: 'parallelism.seqLen (and parallelism.tp, pp, ep, cp, zero, recompute, or their defaults)',
    count: 'hardware.count (gives DP)',
    gpu: 'hardware.gpu (for a headroom limit)',
  },
  label: 'memory per GPU',
  help: 'memory per GPU under parallelism: (weights, gradients, optimizer, activations) vs max or headroom',
  limit: {
    description:
      'Memory of the most loaded GPU (weights, gradients, optimizer states and activations under `parallelism`) at most `max` bytes, or at least `headroom` of hardware.gpu left free',
    max: { description: 'Largest allowed memory per GPU', bytes: true },
    headroom: {
      description: "Least share of the GPU's memory (hardware.gpu) left free",
      percent: true,
      min: 0,
      minInclusive: true,
      max: 0.99,
      describe: 'a fraction in [0, 0.99] such as 0.1 or 10%',
    },
  },
  measure({ plan, limit, limitKey }) {
    const arch = plan.model.architecture;
    const p = plan.parallelism;
    const count = plan.hardware.count;
    const gpu = plan.hardware.gpu;
    const headroomForm = limitKey === 'headroom';
    const missing = [
      arch === undefined && 'model',
      p?.seqLen === undefined && 'parallelism',
      count === undefined && 'count',
      headroomForm && gpu === undefined && 'gpu',
    ].filter((x): x is string => typeof x === 'string');
    if (missing.length > 0 || arch === undefined || p?.seqLen === undefined || count === undefined) return { missing };
    const tp = p.tp ?? 1;
    const pp = p.pp ?? 1;
    const cp = p.cp ?? 1;
    const modelParallel = tp * pp * cp;
    if (count % modelParallel !== 0) {
      throw new MoeplanError('INVALID_PLAN', message('plan.model-parallel-count', { modelParallel, count }), { field: 'parallelism' });
    }
    const layout: ParallelLayout = { tp, pp, cp, dp: count / modelParallel, ep: p.ep ?? 1, etp: p.etp ?? tp };
    const problem = layoutProblem(arch, layout);
    if (problem) {
      throw new MoeplanError('INVALID_PLAN', message('plan.layout', { field: problem.field, problem: problem.problem }), {
        field: `parallelism.${problem.field}`,
      });
    }
    if (p.seqLen % cp !== 0) throw new MoeplanError('INVALID_PLAN', message('plan.cp-seq-len', { cp, seqLen: p.seqLen }), { field: 'parallelism.cp' });
    const m = trainingMemory({
      arch,
      layout,
      precision: PRECISIONS[p.precision ?? 'bf16'],
      zero: p.zero ?? 0,
      seqLen: p.seqLen,
      microBatch: p.microBatch ?? 1,
      recompute: p.recompute ?? 'none',
      sequenceParallel: p.sequenceParallel ?? false,
    }).peak;
    const gpuMemory = gpu !== undefined ? accelerator(gpu).memoryBytes : undefined;
    return {
      actual: m.total,
      ...(headroomForm && gpuMemory !== undefined ? { limit: gpuMemory * (1 - limit) } : {}),
      detail: {
        total: m.total,
        parameters: m.parameters,
        gradients: m.gradients,
        optimizerStates: m.optimizerStates,
        activations: m.activations,
        stage: m.stage,
        stages: pp,
        dp: layout.dp,
        expertDataParallel: expertDataParallel(layout),
        ...(gpuMemory !== undefined ? { gpuMemory, headroom: 1 - m.total / gpuMemory } : {}),
        ...(headroomForm ? { headroomAsked: limit } : {}),
      },
    };
  },
  formatValue: (value, { trimNumber }) => (value >= 2 ** 20 ? `${trimNumber(value / GiB, 4)} GiB` : `${trimNumber(value, 4)} bytes`),
  describe({ finding, out, plan, format: { trimNumber, percent } }) {
    const n = (key: string) => finding.detail[key] as number;
    const gib = (key: string) => `${trimNumber(n(key) / GiB, 4)}`;
    const device = `the ${plan?.hardware.gpu ?? 'GPU'}'s ${gib('gpuMemory')} GiB`;
    const free = n('headroom');
    const gpu =
      finding.detail.gpuMemory === undefined
        ? ''
        : free >= 0
          ? `; ${percent(free)} of ${device} free`
          : `; ${trimNumber((-free * n('gpuMemory')) / GiB, 4)} GiB over ${device}`;
    const details = `stage ${n('stage')} of ${n('stages')}: weights ${gib('parameters')} + gradients ${gib('gradients')} + optimizer ${gib('optimizerStates')} + activations ${gib('activations')} GiB${gpu}`;
    return {
      details,
      ...(out
        ? { hint: 'more TP, PP or EP, a higher parallelism.zero, parallelism.recompute selective or full, a smaller microBatch; or raise limits.memoryPerGpu' }
        : {}),
    };
  },
});
