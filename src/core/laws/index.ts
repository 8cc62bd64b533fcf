import { chinchillaEpoch } from './chinchilla-epoch.js';
import { chinchilla } from './chinchilla.js';
import { deepseek } from './deepseek.js';
import { dense } from './dense.js';
import { hunyuan } from './hunyuan.js';
import { jointMoe } from './joint-moe.js';
import { kaplan } from './kaplan.js';
import { krajewski } from './krajewski.js';
import { steplaw } from './steplaw.js';
import type { Law } from './types.js';

export type {
  Allocation,
  ChinchillaLoss,
  CriticalBatchLaw,
  FineGrainedMoeLoss,
  FittedRange,
  HyperparameterLaw,
  JointMoeLoss,
  Law,
  LossKind,
  LossModel,
  ParamsConversion,
  ParamsMeaning,
  PowerLaw,
} from './types.js';
export { PF_DAY_FLOPS } from './kaplan.js';

/**
 * The laws that ship with moeplan, in the order they are listed: add a preset here (one
 * file in this folder with its doc comment and source, and its test in test/core/laws/).
 * A preset is data of the same shape as a law file; what sets a law apart (its budget
 * unit, its parameter convention, a note on its closure) is data on the law.
 */
export const PRESET_LIST: readonly Law[] = [hunyuan, chinchilla, chinchillaEpoch, kaplan, deepseek, krajewski, jointMoe, steplaw, dense];

/** The presets by name. */
export const PRESETS: Readonly<Record<string, Law>> = Object.fromEntries(PRESET_LIST.map((law) => [law.name, law]));

/** A law moeplan knows of but does not ship, and why. */
export interface UnavailableLaw {
  readonly name: string;
  readonly title: string;
  readonly source: string;
  /** Why it is not shipped. */
  readonly reason: string;
}

/**
 * Laws that are known but not available: their constants could not be verified from the
 * papers themselves (laws.md §2, §3), and constants from memory or secondary write-ups are
 * not shipped.
 */
export const UNAVAILABLE_LAWS: readonly UnavailableLaw[] = [
  {
    name: 'abnar',
    title: 'Optimal sparsity (Abnar et al. 2025), L(N, D, S)',
    source: 'Abnar et al. 2025 (arXiv 2501.12370), eq. 6',
    reason: 'the fitted coefficients (appendix F, table 3) could not be read from the paper; only the form of the law is verified',
  },
  {
    name: 'clark',
    title: 'Unified scaling laws for routed language models (Clark et al. 2022)',
    source: 'Clark et al. 2022 (arXiv 2202.01169)',
    reason:
      "the paper's per-router coefficients (S-BASE, RL-R, Hash) could not be read; its form is known only from later papers, which disagree on its sign convention",
  },
];

/** The preset used when no law is given (`--law`, a plan's `law:`). */
export const DEFAULT_LAW: string = hunyuan.name;

/** The law `loss` uses when no law is given: the first preset with a loss model. */
export const DEFAULT_LOSS_LAW: string = (PRESET_LIST.find((law) => law.loss !== undefined) as Law).name;

/** True for a law that is a compute model only: it prices a run and says nothing else (no allocation, loss, batch or learning-rate law). */
export function isComputeModelOnly(law: Law): boolean {
  return !law.allocation && !law.loss && !law.criticalBatch && !law.batchSize && !law.learningRate;
}

/**
 * The compute models a fitted law can take (`fit --law-compute`), in registry order: the
 * default law's, and each preset that is a compute model only. A new compute-only preset
 * is a new choice.
 */
export const COMPUTE_MODEL_LAWS: readonly Law[] = PRESET_LIST.filter((law) => law.name === DEFAULT_LAW || isComputeModelOnly(law));
