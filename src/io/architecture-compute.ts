/**
 * The architecture compute model of a model config: training FLOPs per token from the
 * config's shape at a sequence length (Megatron-LM's count, core/training-flops.ts), and the
 * same as a law C = 6·N·D + b·D. Shared by `budget --law arch`, plan files (`law: arch`,
 * `compute: arch`) and `fit` (a `config` column).
 */
import type { Law } from '../core/laws/index.js';
import { type TrainingFlops, trainingFlopsPerToken } from '../core/training-flops.js';
import { group } from './format.js';
import type { ModelConfig } from './model-config.js';

/** The name a law field takes for the architecture compute model. */
export const ARCH_LAW = 'arch';

/** Sequence length used when none is given: the config's max_position_embeddings, at most this. */
export const DEFAULT_TRAINING_SEQ_LEN = 4096;

export interface ArchitectureCompute {
  readonly flops: TrainingFlops;
  /** Where the sequence length came from, for people. */
  readonly seqLenSource: string;
  readonly convention: string;
}

export const FLOPS_CONVENTION =
  'Megatron-LM num_floating_point_operations (causal attention, 3 passes × 2 FLOPs per multiply-add), plus the router; embedding lookup, norms and softmax not counted';

/**
 * The FLOPs per token of `config` at `seqLen`, or at its max_position_embeddings capped at
 * {@link DEFAULT_TRAINING_SEQ_LEN}. `seqLenField` names where a given length came from
 * (`--seq-len`, `training.seqLen`), and the field to set in the capped case.
 */
export function architectureCompute(config: ModelConfig, seqLen: number | undefined, seqLenField = '--seq-len'): ArchitectureCompute {
  const positions = config.maxPositionEmbeddings;
  const s = seqLen ?? Math.min(positions ?? DEFAULT_TRAINING_SEQ_LEN, DEFAULT_TRAINING_SEQ_LEN);
  const seqLenSource =
    seqLen !== undefined
      ? seqLenField
      : positions === undefined
        ? `default ${DEFAULT_TRAINING_SEQ_LEN} (the config states no max_position_embeddings)`
        : positions > DEFAULT_TRAINING_SEQ_LEN
          ? `max_position_embeddings ${positions} capped at ${DEFAULT_TRAINING_SEQ_LEN} (give ${seqLenField} for another)`
          : `max_position_embeddings ${positions}`;
  return { flops: trainingFlopsPerToken(config.architecture, s), seqLenSource, convention: FLOPS_CONVENTION };
}

/** The source every architecture law cites. */
export const ARCH_SOURCE = 'Megatron-LM num_floating_point_operations (megatron/training/training.py), with the router';

/** The architecture compute model as a law: a = 6, b = FLOPs per token − 6·N (no allocation). */
export function architectureLaw(config: ModelConfig, compute: ArchitectureCompute): Law {
  return {
    name: ARCH_LAW,
    title: `architecture of ${config.source} at ${group(compute.flops.seqLen)} tokens`,
    source: ARCH_SOURCE,
    compute: { paramsTokens: compute.flops.compute.paramsTokens, tokens: compute.flops.compute.tokens, paramsMeaning: 'activated' },
  };
}

/**
 * `law` with its compute model replaced by the architecture's, its allocation and the rest
 * kept. `lawParams` is the model's N in the law's own convention (`paramsForLaw`): the FLOPs
 * per token are the architecture's whatever N counts, so b = FLOPs per token − 6·N of that N.
 */
export function withArchitectureCompute(law: Law, compute: ArchitectureCompute, lawParams: number): Law {
  return {
    ...law,
    compute: {
      ...law.compute,
      paramsTokens: compute.flops.compute.paramsTokens,
      tokens: compute.flops.perToken - compute.flops.compute.paramsTokens * lawParams,
      equation: `architecture at ${group(compute.flops.seqLen)} tokens`,
    },
  };
}

/** Whether a config is an MoE model (some layer routes to experts). */
export function configKind(config: ModelConfig): 'moe' | 'dense' {
  return config.architecture.moe && config.architecture.moeLayers > 0 ? 'moe' : 'dense';
}
