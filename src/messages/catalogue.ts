/**
 * The message catalogue: the English words of every message the core returns as data
 * ({@link Message}, src/core/messages.ts). One entry per code; the compiler rejects a
 * missing entry or an unknown code.
 *
 * Each entry gets the message's arguments and `name`, which writes a logical input name
 * the way the user gave it: `--decay-floor` at the terminal, `training.tokens` in a plan
 * file, the name itself (`decayFloor`) for the library. The core never imports this
 * module; the CLI (src/cli/) and the library API (src/index.ts) do.
 *
 * @example renderMessage({ code: 'allocation.extrapolation', args: { budget: 1e27, low: 1e20, high: 1e25 } })
 * // '1e27 FLOPs is outside the fitted range 1e20–1e25: extrapolation'
 */
import { registerMessageRenderer } from '../core/errors.js';
import { PRESET_LIST } from '../core/laws/index.js';
import type { Message, MessageArgs, MessageCode, PlanQuantity } from '../core/messages.js';
import { percent, sci, si, trimNumber } from '../io/format.js';

/** Writes a logical input name (`tokens`, `decayFloor`) as the user gave it: a flag, a plan field, a column. */
export type InputName = (input: string) => string;

/** The library's names: the logical name itself (`decayFloor`), as the API's options spell it. */
export const LOGICAL_NAMES: InputName = (input) => input;

type Entry<C extends MessageCode> = (args: Readonly<MessageArgs[C]>, name: InputName) => string;

/** A figure in a message: four significant digits, scientific notation. */
const short = (x: number): string => sci(x, 4);

const WHAT = { params: 'parameters', tokens: 'tokens' } as const;

const PLAN_QUANTITY: { readonly [Q in PlanQuantity]: string } = {
  flops: 'the training compute C',
  criticalBatch: 'the critical batch Bcrit',
  cmin: 'the minimum compute Cmin',
  batchOverNoise: 'B/Bnoise',
  sharedLr: 'the optimal shared-expert rate εopt(B)',
  specializedLr: 'the optimal specialized-expert rate εopt(B·k/n)',
  lr: 'the optimal rate εopt(B)',
  gpuHours: 'the GPU-hours',
  days: 'the wall-clock days',
  cost: 'the cost',
};

/** A figure with four significant digits, plain (`0.25`, `61.5`). */
const digits4 = (x: number): string => String(Number(x.toPrecision(4)));

/** A fraction as a percentage with three significant digits: `42%`, `76.7%`. */
const percent3 = (fraction: number): string => `${Number((fraction * 100).toPrecision(3))}%`;

/** Why an isoFLOP parabola failed. */
const PARABOLA_FAILURE = {
  'too-few-runs': 'fewer than three runs',
  'too-few-sizes': 'fewer than three distinct sizes',
  'not-convex': 'the parabola opens downward or is flat (no minimum)',
  'far-outside': 'the minimum lies far outside the sizes tried',
  overflow: 'the losses are too far apart in magnitude to fit (the fit overflows)',
} as const;

/** The expert learning-rate ratio, as each reading writes it. */
const RATIO = { 'paper-literal': 'εopt(B)/εopt(B·k/n)', 'specialized-over-shared': 'specialized/shared' } as const;

export const CATALOGUE: { readonly [C in MessageCode]: Entry<C> } = {
  'allocation.raw-compute': (a) => `${a.law} is a law of raw training compute C: applied to C = ${short(a.budget)} FLOPs`,
  'allocation.raw-compute-from-cmin': (a) => `${a.law} is a law of raw training compute C: applied to Cmin as if it were C (give C to use C)`,
  'allocation.minimum-compute': (a) => `${a.law} is a law of minimum compute Cmin: applied to Cmin = ${short(a.cmin)} FLOPs`,
  'allocation.budget-unit': (a) => `budget in the law's unit: ${trimNumber(a.value, 4)} × ${short(a.unitFlops)} FLOPs${a.unitName ? ` (${a.unitName})` : ''}`,
  'allocation.native-size': (a) =>
    `native size ${a.quantity} = ${short(a.value)}; N = ${a.quantity.split(' ')[0]}/${a.perParam}${a.approximate ? ' is an approximation' : ''}`,
  'allocation.non-embedding': () => 'N counts non-embedding parameters',
  'law.note': (a) => a.text,
  'allocation.extrapolation': (a) => `${short(a.budget)} FLOPs is outside the fitted range ${short(a.low)}–${short(a.high)}: extrapolation`,

  'allocation.budget-not-positive': (a) => `the budget must be a positive number of FLOPs, got ${a.budget}`,
  'allocation.no-allocation': (a) => `law ${a.law} has no compute-optimal allocation (it is a compute model only)`,
  'allocation.no-allocation.hint': (_a, name) =>
    `use ${name('law')} ${PRESET_LIST.filter((law) => law.allocation)
      .map((law) => law.name)
      .join(', ')}, or a law file with an allocation`,
  'allocation.needs-loss-model': (a) => `law ${a.law}: allocation kind "loss" needs a loss model (loss.E, A, B, alpha, beta)`,
  'allocation.no-closed-form': (a) => `law ${a.law}: loss kind "${a.kind}" has no closed form here`,
  'allocation.not-positive': (a) => `the ${a.what === 'params' ? 'parameter' : 'token'} count must be a positive finite number, got ${a.value}`,
  'allocation.no-budget': (a) => `no budget makes ${a.value} ${WHAT[a.what]} optimal under law ${a.law}: the solve ${a.overflows ? 'overflows' : 'underflows'}`,
  'allocation.no-budget.hint': () => 'check the magnitude of the size or token count',

  'input.not-one-of': (a, name) => `${name(a.input)}: "${a.value}" is not one of ${a.choices.join(', ')}`,
  'input.not-positive': (a, name) => `${name(a.input)}: ${a.value} is out of range; expected a positive number`,
  'input.not-fraction': (a, name) => `${name(a.input)}: ${a.value} is out of range; expected a fraction in ${a.zero ? '[0' : '(0'}, ${a.one ? '1]' : '1)'}`,
  'input.not-whole-at-least': (a, name) => `${name(a.input)}: ${a.value} is out of range; expected a whole number, at least ${a.min}`,
  'input.negative-tokens': (a, name) => `${name(a.input)}: ${a.value} is out of range; expected 0 or more tokens`,

  'schedule.floor-below-anneal': (a, name) =>
    `${name('decayFloor')} (${a.decayFloor}) is below ${name('annealFactor')} (${a.annealFactor}): annealing would raise the rate`,
  'schedule.floor-below-anneal.hint': () => 'the decay ends at or above the final rate; annealing then lowers it',
  'schedule.no-anneal-tokens': (a, name) => `${name('annealFraction')}: ${a.annealFraction} is too small to leave any annealing tokens`,
  'schedule.no-decay-tokens': (a, name) =>
    `${name('warmupTokens')} (${si(a.warmupTokens)}, ${percent(a.warmupTokens / a.totalTokens)} of the tokens) and ${name('annealFraction')} (${percent(a.annealFraction)}) leave no tokens for the decay`,
  'schedule.no-decay-tokens.hint': () => 'shorten the warm-up or the annealing phase',

  'compute.no-model-fits': (a) =>
    `no model fits: ${sci(a.flops, 5)} FLOPs over ${sci(a.tokens, 5)} tokens is ${sci(a.perToken, 5)} FLOPs per token, ` +
    `but the per-token term alone needs ${sci(a.perTokenTerm, 5)} (${sci(a.overhead, 5)} FLOPs in all)`,
  'compute.no-model-fits.hint': (_a, name) => `raise ${name('flops')} or lower ${name('tokens')}`,

  'lr.equal-top-k': (a) => `with top-k = n = ${a.experts} every expert sees the whole batch, so ${RATIO[a.reading]} is 1 at every batch size`,
  'lr.equal-top-k.hint': (_a, name) => `give more experts than the top-k, e.g. ${name('experts')} 16 ${name('topK')} 1`,
  'lr.ratio-out-of-reach': (a) =>
    `no batch size gives ${RATIO[a.reading]} = ${a.target} with n = ${a.experts}, k = ${a.topK}: it ranges only over (${digits4(a.low)}, ${digits4(a.high)})`,
  'lr.ratio-out-of-reach.hint': (a) =>
    `the ratio tends to ${digits4(a.low)} for tiny batches and to ${digits4(a.high)} for huge ones; give a target between them`,
  'lr.top-k-out-of-range': (a, name) => `${name('topK')}: ${a.value} is out of range; expected a whole number from 1 to the number of experts (${a.experts})`,

  'hardware.unknown-accelerator': (a, name) => `${name(a.input)}: unknown accelerator "${a.value}"`,
  'hardware.unknown-accelerator.hint': (a, name) => `use one of ${a.known.join(', ')}, or give ${name(a.alternative)}`,

  'fit.too-few-budgets': (a, name) =>
    `need at least two budgets with an optimum to fit a power law, found ${a.found}${
      a.dropped.length > 0 ? `; dropped: ${a.dropped.map((d) => `${sci(d.flops, 3)} (${renderMessage(d.reason, name)})`).join('; ')}` : ''
    }`,
  'fit.dropped.no-runs': () => 'no runs within the tolerance',
  'fit.dropped.parabola': (a) =>
    a.failure === 'too-few-runs' || a.failure === 'too-few-sizes'
      ? `${PARABOLA_FAILURE[a.failure]} (${a.runs} run${a.runs === 1 ? '' : 's'})`
      : `loss against ${a.against === 'params' ? 'N' : 'D'}: ${PARABOLA_FAILURE[a.failure]}`,
  'fit.left-out.off-budget': (a) =>
    `C = ${sci(a.flops, 3)} is ${percent3(Math.abs(a.off))} ${a.off > 0 ? 'above' : 'below'} the nearest budget ${sci(a.nearest, 3)} (tolerance ${percent3(a.tolerance)})`,
  'fit.left-out.no-cluster': (a) => `C = ${sci(a.flops, 3)} is near no cluster of runs (tolerance ${percent3(a.tolerance)})`,
  'fit.too-few-budgets.one-budget': (_a, name) =>
    `the runs cover only one budget: add runs at other budgets, or list them with ${name('budgets')} and a wider ${name('tolerance')}`,
  'fit.too-few-budgets.bracket': () => 'each budget needs three or more runs of different sizes that bracket the loss minimum',
  'fit.same-budget': () => 'all budgets with an optimum have the same Cmin: a power law needs two or more different budgets',
  'fit.same-budget.hint': () => 'add runs at other budgets',
  'fit.too-few-runs': (a) => `the parametric fit has five constants and needs at least five runs, got ${a.runs}`,
  'fit.too-few-runs.hint': (_a, name) => `give more runs (Hoffmann et al. fitted about 400), or use ${name('method')} isoflop`,
  'fit.exponents-not-positive': (a) => `α = ${digits4(a.alpha)} and β = ${digits4(a.beta)} must both be positive for a compute-optimal allocation`,
  'fit.constant-not-positive': (a) => `${a.constant} = ${digits4(a.value)} is not a positive finite number`,

  text: (a) => a.text,

  'number.too-small': (a, name) => `${renderMessage(a.what, name)} is too small to represent (it rounds to 0)`,
  'number.nan': (a, name) => `${renderMessage(a.what, name)} is not a number (NaN): an intermediate result overflowed`,
  'number.too-large': (a, name) => `${renderMessage(a.what, name)} is too large to represent (${a.value})`,
  'number.magnitudes.hint': () => 'check the magnitudes of the inputs',
  'quantity.optimal-params': (a) => `law ${a.law}: the optimal size Nopt at ${short(a.budget)} FLOPs`,
  'quantity.optimal-tokens': (a) => `law ${a.law}: the optimal token count Dopt at ${short(a.budget)} FLOPs`,
  'quantity.allocation-flops': (a) => `law ${a.law}: the compute C(Nopt, Dopt)`,
  'quantity.closure': (a) => `law ${a.law}: the closure C(Nopt, Dopt) / budget`,
  'quantity.tokens-per-param': (a) => `law ${a.law}: Dopt / Nopt`,
  'allocation.magnitudes.hint': () => "the law's constants and the budget are too far apart in magnitude; check the law file and the budget",
  'quantity.of-plan': (a) => `${PLAN_QUANTITY[a.quantity]} of this plan`,
  'plan.magnitudes.hint': () => "check the magnitudes of the plan's quantities",

  'loss.no-loss-model': (a) => `law ${a.law} has no loss model`,
  'loss.required': (a, name) => `${name(a.input)}: a positive number is required`,

  'fit.run-not-positive': (a) => `run ${a.run}: ${a.column} must be a positive finite number, got ${a.value}`,
  'fit.no-optimum': () => 'the parametric fit found no finite optimum from any start',
  'fit.no-optimum.hint': () => 'check the runs: losses must be positive and vary with N and D',
  'noise.too-few-runs': (a) => `the noise-scale fit needs at least two runs (got ${a.runs}); three or more give a fit quality`,
  'noise.too-few-runs.hint': () => 'train to the same loss at several batch sizes and give one row per run: batch,steps,examples',
  'noise.run-out-of-range': (a) => `run ${a.run}: ${a.column} = ${a.value} is out of range; expected a positive number`,
  'noise.same-tokens': () => 'every run processed the same number of tokens, so the slope (−Bnoise) cannot be fitted',
  'noise.same-tokens.hint': () => 'use runs at different batch sizes',
  'noise.positive-slope': (a) => `the runs give a non-negative slope of 1/steps on 1/tokens (${a.slope.toPrecision(3)}), so no positive noise scale fits them`,
  'noise.positive-slope.hint': () =>
    'runs that need more tokens should also need fewer steps; check that every run reached the same loss and that examples are in tokens',
  'noise.no-minimum-steps': (a) => `the fitted line gives 1/Smin = ${a.intercept.toPrecision(3)} ≤ 0, so no finite minimum number of steps fits the runs`,
  'noise.no-minimum-steps.hint': () => 'add runs at larger batch sizes, where the number of steps levels off',

  'shape.moe-layers': (a) => `${a.moeLayers} MoE layers in a ${a.layers}-layer model`,
  'shape.mamba-layers': (a) => `${a.mambaLayers} Mamba layers in a ${a.layers}-layer model`,
  'shape.window-layers': (a) => `${a.windowLayers} windowed layers but ${a.attentionLayers} attention layers`,
  'shape.kv-heads-above-heads': (a) => `${a.kvHeads} K/V heads is more than the ${a.heads} query heads`,
  'shape.kv-groups': (a) => `${a.heads} query heads cannot be split into ${a.kvHeads} K/V groups`,
  'shape.top-k-above-experts': (a) => `top-${a.topK} routing over ${a.experts} experts`,
  'layout.tp-heads': (a) => `TP ${a.tp} does not divide the ${a.heads} attention heads`,
  'layout.tp-kv-heads': (a) => `TP ${a.tp} and the ${a.kvHeads} K/V heads: neither divides the other`,
  'layout.pp-layers': (a) => `PP ${a.pp} is more than the ${a.layers} layers`,
  'layout.ep-dense': (a) => `EP ${a.ep} on a dense model (no routed experts)`,
  'layout.ep-experts': (a) => `EP ${a.ep} does not divide the ${a.experts} routed experts`,
  'layout.etp-intermediate': (a) => `ETP ${a.etp} does not divide the expert intermediate size ${a.intermediate}`,
  'layout.expert-gpus': (a) => `EP × ETP = ${a.expertParallel} does not divide TP × CP × DP = ${a.expertGpus}`,

  'plan.unknown-check': (a) => `limits.${a.id}: unknown check`,
  'plan.limit-not-representable': (a) =>
    `limits.${a.id}: ${a.what === 'actual' ? 'the value checked' : a.what === 'excess' ? 'the excess over the limit' : a.what} is ${
      Number.isFinite(a.value)
        ? 'too small to represent (it rounds to 0)'
        : Number.isNaN(a.value)
          ? 'not a number (NaN)'
          : `too large to represent (${a.value})`
    }`,
  'plan.limit-not-representable.hint': () => "the plan's quantities and this limit are too far apart in magnitude; check their units and exponents",
  'plan.model-parallel-count': (a) => `parallelism: TP × PP × CP = ${a.modelParallel} does not divide hardware.count ${a.count}`,
  'plan.layout': (a, name) => `parallelism.${a.field}: ${renderMessage(a.problem, name)}`,
  'plan.cp-seq-len': (a) => `parallelism.cp: CP ${a.cp} does not divide parallelism.seqLen ${a.seqLen}`,

  'plan.total-params-law': (a) =>
    `law ${a.law} counts N as total non-embedding parameters (every expert), so a plan's model.activatedParams cannot be checked against it`,
  'plan.total-params-law.hint': (a) =>
    `check the plan under a law of activated parameters (${PRESET_LIST.filter(
      (law) => law.allocation && (law.compute.paramsMeaning ?? 'activated') === 'activated',
    )
      .map((law) => law.name)
      .join(', ')}); use \`moeplan optimal --law ${a.law}\` for its allocation`,
};

/**
 * A message in English, naming inputs with `name` (by default their logical names).
 *
 * @example renderMessage({ code: 'allocation.non-embedding', args: {} }) // 'N counts non-embedding parameters'
 */
export function renderMessage(message: Message, name: InputName = LOGICAL_NAMES): string {
  const entry = CATALOGUE[message.code] as Entry<typeof message.code>;
  return entry(message.args as never, name);
}

registerMessageRenderer((message) => renderMessage(message));
