/**
 * Loss laws in words and formulas, shared by `laws`, `loss` and `optimal`: the formula
 * of each loss-model kind with its constants, what its N counts, and the names of its
 * MoE variables.
 */
import { GRANULARITY_GRID, type LossVariable } from '../core/loss.js';
import type { Law, LossModel, ParamsMeaning } from '../core/laws/index.js';

/** What N counts, for labels: `activated`, `total non-embedding`. */
export const PARAMS_MEANING_LABEL: Readonly<Record<ParamsMeaning, string>> = {
  activated: 'activated',
  'non-embedding': 'non-embedding',
  'flops-per-token': 'N ≈ M/6, an approximation',
  'total-non-embedding': 'total non-embedding',
};

/** The label of N in a law's convention: `Activated params N`, `Params N (total non-embedding)`. */
export function paramsLabel(law: Law): string {
  const meaning = law.compute.paramsMeaning ?? 'activated';
  return meaning === 'activated' ? 'Activated params N' : `Params N (${PARAMS_MEANING_LABEL[meaning]})`;
}

/** The flag of each MoE variable and its symbol. */
export const LOSS_VARIABLE_TEXT: Readonly<Record<LossVariable, { readonly flag: string; readonly symbol: string; readonly what: string }>> = {
  granularity: { flag: '--granularity', symbol: 'G', what: 'granularity G = d_ff / d_expert' },
  experts: { flag: '--experts', symbol: 'E', what: 'number of experts E' },
};

/** The loss formula with its constants, e.g. `L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28`. */
export function describeLossModel(model: LossModel): string {
  switch (model.kind) {
    case 'chinchilla':
      return `L = ${model.E} + ${model.A}/N^${model.alpha} + ${model.B}/D^${model.beta}`;
    case 'fine-grained-moe':
      return `L = ${model.c} + (${model.g}/G^${model.gamma} + ${model.a})/N^${model.alpha} + ${model.b}/D^${model.beta}  (E = ${model.experts})`;
    case 'joint-moe':
      return (
        `L = ${model.a}·Ê^${model.delta}·N^(${model.alpha} + ${model.gamma}·ln Ê) + ${model.b}·Ê^${model.omega}·D^(${model.beta} ${model.zeta < 0 ? '−' : '+'} ${Math.abs(model.zeta)}·ln Ê) + ${model.c}` +
        `, 1/Ê = 1/(E − 1 + (1/${model.eStart} − 1/${model.eMax})^−1) + 1/${model.eMax}`
      );
  }
}

/** How a loss law's allocation is found, for laws whose loss is not Chinchilla's. */
export function describeLossAllocation(law: Law): string | undefined {
  const model = law.loss;
  if (!model || model.kind === 'chinchilla') return undefined;
  if (model.kind === 'fine-grained-moe') {
    return `Nopt: the loss minimum under the law's FLOPs model (root of dL/d ln N), Dopt = C / FLOPs per token; G the best of ${GRANULARITY_GRID[0]}–${GRANULARITY_GRID[GRANULARITY_GRID.length - 1]} in powers of two unless given`;
  }
  return "Nopt = Gc·(C/6)^(β'/(α'+β')) per expert count E (eq. 7 with the exponents' magnitudes), Dopt = C/(6·Nopt); E the best of the fitted range unless given";
}

/** The FLOPs model of a fine-grained MoE law, e.g. `F = (6·N_act + 14·E·G·d²/64)·D, d = 64·n_blocks`. */
export function describeLossFlops(model: LossModel): string | undefined {
  if (model.kind !== 'fine-grained-moe' || !model.flops) return undefined;
  const f = model.flops;
  return `F = (${f.perActiveParam}·N_act + ${f.routing}·E·G·d²/${f.widthPerBlock})·D with d = ${f.widthPerBlock}·n_blocks, N_act = 12·N/(8E + 4)`;
}
