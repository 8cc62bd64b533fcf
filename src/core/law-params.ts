/**
 * Which parameter count of a model a law's N is. Laws were fitted on different counts:
 * - `activated` (Hunyuan-Large eq. 2, Chinchilla, dense 6ND): the activated parameters,
 *   the output projection counted besides the embedding;
 * - `non-embedding` (Kaplan et al. 2020 §2.1): the activated parameters without the
 *   embedding and the output projection;
 * - `flops-per-token` (DeepSeek LLM §3.1, M = non-embedding FLOPs per token): N ≈ M/6, so
 *   the non-embedding count as well;
 * - `total-non-embedding` (Krajewski et al. 2024): every non-embedding weight of an MoE,
 *   every expert counted.
 * The law's `compute.paramsMeaning` says which (absent: activated). This is the one place
 * that decides it, for `budget --config`, `optimal --config` and a plan's `model.config`.
 *
 * @example paramsForLaw(parameterCounts(hunyuanLarge), PRESETS.kaplan)
 *   // { params: 50.5e9, meaning: 'non-embedding' }
 */
import type { Law, ParamsMeaning } from './laws/types.js';

export type { ParamsMeaning } from './laws/types.js';

/** The two counts a law may take (from `parameterCounts` of an architecture). */
export interface LawParamCounts {
  readonly activatedParams: number;
  readonly activatedNonEmbeddingParams: number;
  readonly totalNonEmbeddingParams: number;
}

/** The parameter count `law` takes from a model's counts, and what it means. */
export function paramsForLaw(counts: LawParamCounts, law: Pick<Law, 'compute'>): { readonly params: number; readonly meaning: ParamsMeaning } {
  const meaning = law.compute.paramsMeaning ?? 'activated';
  const params =
    meaning === 'activated' ? counts.activatedParams : meaning === 'total-non-embedding' ? counts.totalNonEmbeddingParams : counts.activatedNonEmbeddingParams;
  return { params, meaning };
}

/** What a count in a law's convention is called: `activated`, `non-embedding activated`. */
export function countName(meaning: ParamsMeaning): string {
  return meaning === 'activated' ? 'activated' : meaning === 'total-non-embedding' ? 'total non-embedding' : 'non-embedding activated';
}
