/**
 * `moeplan lr`: optimal Adam learning rates for the shared and the specialized experts
 * (Hunyuan-Large eq. 1 and §2.2.4), the batch size that gives a target ratio between
 * them, the noise scale from a loss or from runs, and DeepSeek's batch-size and
 * learning-rate laws beside them.
 */
import type { Command } from 'commander';
import { KAPLAN_CRITICAL_BATCH, criticalBatchFromLoss } from '../../core/critical-batch.js';
import { MoeplanError, isMoeplanError } from '../../core/errors.js';
import { trainingFlops } from '../../core/compute.js';
import { optimalHyperparameters } from '../../core/hyperparameters.js';
import { type HyperparameterLaw, type Law, type ParamsMeaning, PRESETS } from '../../core/laws/index.js';
import {
  type PeakSide,
  RATIO_READINGS,
  type RatioReading,
  batchAndRateFromCompute,
  batchOverNoiseForRatio,
  expertLearningRates,
  learningRateAtRatio,
  otherReading,
  peakSide,
  perExpertBatch,
  specializedOverShared,
} from '../../core/learning-rate.js';
import { sci, si, trimNumber } from '../../io/format.js';
import type { BatchSpec, RowKernel } from '../batch.js';
import type { CommandDefinition } from '../command.js';
import { type NoiseSource, type RunsFit, fitRunsFile, resolveNoise } from '../noise.js';
import { readConfigOption, STRICT_CONFIG_HELP } from '../architecture-compute.js';
import { type Context, type FieldName, type RawInputs, choice, flagName, prepareFlags, quantity } from '../context.js';
import { assertFiniteResult, finiteResult, representable } from '../numeric.js';
import { type Row, renderRows } from '../render.js';
import { rowInputs } from '../row-inputs.js';
import { warnUnitSlips } from '../sanity.js';

export interface LrResult {
  /** `rates`: rates at a batch size; `solve`: the batch for a target ratio; `noise`: only the noise scale (and DeepSeek's laws). */
  readonly mode: 'rates' | 'solve' | 'noise';
  readonly inputs: Readonly<Record<string, number | string>>;
  readonly experts: number;
  readonly topK: number;
  /** Bnoise in tokens, when known. */
  readonly noise?: number;
  readonly noiseSource?: NoiseSource;
  /** Bcrit(L) constants used with --loss. */
  readonly noiseFromLoss?: { readonly loss: number; readonly bStar: number; readonly alphaB: number };
  readonly noiseFit?: Omit<RunsFit, 'slope' | 'intercept'>;
  /** B in tokens (given, or solved from the ratio and the noise scale). */
  readonly batch?: number;
  readonly lrMax?: number;
  /** x = B/Bnoise of the shared expert. */
  readonly batchOverNoise?: number;
  readonly specializedBatchOverNoise?: number;
  /** B·k/n, tokens per step each specialized expert sees. */
  readonly specializedBatch?: number;
  readonly sharedLr?: number;
  readonly specializedLr?: number;
  /** The rates as fractions of εmax (known without εmax). */
  readonly sharedLrOverMax?: number;
  readonly specializedLrOverMax?: number;
  readonly specializedOverShared?: number;
  readonly sharedSide?: PeakSide;
  readonly specializedSide?: PeakSide;
  readonly solve?: {
    readonly reading: RatioReading;
    readonly targetRatio: number;
    readonly solutions: readonly number[];
    readonly range: readonly [number, number];
    /** Solved from the batch and the ratio, when a batch (not a noise scale) was given. */
    readonly impliedNoise?: number;
    readonly otherReading: {
      readonly reading: RatioReading;
      readonly solutions: readonly number[];
      readonly batchOverNoise?: number;
      readonly specializedOverShared?: number;
      readonly error?: string;
    };
  };
  /** Shared experts every token passes through (1 unless a config or --shared-experts says otherwise). */
  readonly sharedExperts?: number;
  /** Where experts, top-k and shared experts came from, when a model config gave them. */
  readonly config?: string;
  /** Your own learning rate to compare (`--lr`), or the shared rate of eq. 1 when known. */
  readonly yourLr?: number;
  /** Each batch-size and learning-rate law that the inputs reach: Bopt, ηopt, and where your batch and rate stand. */
  readonly laws?: readonly LawHyperparameters[];
  readonly deepseek?: {
    readonly flops: number;
    readonly batch: number;
    readonly lr: number;
    readonly extrapolation: boolean;
    readonly fittedRange?: readonly [number, number];
    readonly source: string;
  };
}

/** One batch-size and learning-rate law at the run. */
export interface LawHyperparameters {
  readonly law: string;
  readonly title: string;
  readonly source: string;
  /** The compute the law was evaluated at: given, or from --params and --tokens under the law's compute model. */
  readonly flops?: number;
  readonly flopsFrom?: 'flops' | 'params-tokens';
  /** N and D the law was evaluated at, when it is a law of them. */
  readonly params?: number;
  readonly tokens?: number;
  readonly batch?: number;
  readonly lr?: number;
  /** Your batch over Bopt. */
  readonly batchOverLaw?: number;
  /** Your rate (`yourLr`) over ηopt. */
  readonly lrOverLaw?: number;
  readonly missing: readonly string[];
  readonly extrapolation: boolean;
  readonly paramsMeaning: ParamsMeaning;
}

/** The MoE shape a model config gives `lr --config`. */
export interface ConfigExperts {
  readonly file: string;
  readonly experts: number;
  readonly topK: number;
  readonly sharedExperts: number;
  /** Activated non-embedding parameters (Step Law's N). */
  readonly params: number;
  /** Keys of the config its family does not know (left out of the counts). */
  readonly unknownKeys: readonly string[];
}

const KEYS = ['batch', 'noise', 'loss', 'lrMax', 'experts', 'topK', 'sharedExperts', 'targetRatio', 'reading', 'flops', 'params', 'tokens', 'lr'] as const;

/** The presets with a batch-size or learning-rate law (DeepSeek LLM, Step Law). */
export function hyperparameterPresets(): Law[] {
  return Object.values(PRESETS).filter((law) => law.batchSize !== undefined || law.learningRate !== undefined);
}

/** True when one of the law's size-based hyperparameter laws depends on `key`. */
function sizeLaw(law: Law, key: 'params' | 'tokens'): boolean {
  return [law.batchSize, law.learningRate].some((h) => h?.budget === 'size' && (key === 'params' ? h.paramsExponent : h.tokensExponent) !== 0);
}

/**
 * Each law at the run: the compute is --flops, or C(N, D) of --params and --tokens under
 * the law's compute model. A law named with --law whose inputs are missing is an error.
 */
function lawsAt(
  laws: readonly Law[],
  explicit: boolean,
  run: { flops?: number; params?: number; tokens?: number },
  batch: number | undefined,
  yourLr: number | undefined,
  name: FieldName,
): LawHyperparameters[] {
  const out: LawHyperparameters[] = [];
  for (const law of laws) {
    const derived =
      run.flops === undefined && run.params !== undefined && run.tokens !== undefined ? trainingFlops(run.params, run.tokens, law.compute) : undefined;
    const flops = run.flops ?? derived;
    const at = optimalHyperparameters(law, { ...run, ...(flops !== undefined ? { flops } : {}) });
    if (!at) {
      if (explicit)
        throw new MoeplanError('INVALID_INPUT', `--law ${law.name}: this law has no batch-size or learning-rate law`, {
          field: '--law',
          hint: `use ${hyperparameterPresets()
            .map((l) => l.name)
            .join(' or ')}`,
        });
      continue;
    }
    if (at.batchTokens === undefined && at.lr === undefined) {
      if (explicit) {
        throw new MoeplanError(
          'MISSING_INPUT',
          `--law ${law.name} needs ${at.missing.map((k) => name(k === 'flops' ? 'flops' : k)).join(' and ')}${at.missing.includes('flops') ? ` (or ${name('params')} and ${name('tokens')})` : ''}`,
          {
            hint: at.missing.includes('flops')
              ? `e.g. moeplan lr --law ${law.name} --flops 3.5e24`
              : `e.g. moeplan lr --law ${law.name} --params 52B --tokens 7T`,
          },
        );
      }
      continue;
    }
    out.push({
      law: law.name,
      title: law.title,
      source: law.source,
      ...(at.missing.includes('flops') || !(law.batchSize?.budget === 'flops' || law.learningRate?.budget === 'flops')
        ? {}
        : { flops: flops as number, flopsFrom: run.flops !== undefined ? 'flops' : 'params-tokens' }),
      ...(sizeLaw(law, 'params') && run.params !== undefined ? { params: run.params } : {}),
      ...(sizeLaw(law, 'tokens') && run.tokens !== undefined ? { tokens: run.tokens } : {}),
      ...(at.batchTokens !== undefined ? { batch: finiteResult(at.batchTokens, `${law.name}'s Bopt`) } : {}),
      ...(at.lr !== undefined ? { lr: finiteResult(at.lr, `${law.name}'s ηopt`) } : {}),
      ...(batch !== undefined && at.batchTokens !== undefined ? { batchOverLaw: batch / at.batchTokens } : {}),
      ...(yourLr !== undefined && at.lr !== undefined ? { lrOverLaw: yourLr / at.lr } : {}),
      missing: at.missing,
      extrapolation: at.extrapolation,
      paramsMeaning: law.compute.paramsMeaning ?? 'activated',
    });
  }
  return out;
}

/**
 * Evaluate one lr question (flags or one batch row). `options.laws` are the batch-size and
 * learning-rate laws to compare with (default: every preset that has them, where the inputs
 * reach them); `options.config` gives the experts, top-k and shared experts of a model.
 */
export function evaluateLr(raw: RawInputs, name: FieldName, fitted?: RunsFit, options: { laws?: readonly Law[]; config?: ConfigExperts } = {}): LrResult {
  const batch = quantity(raw, 'batch', name, { describe: 'tokens per optimizer step, above 0 (e.g. 4M)' });
  const lrMax = quantity(raw, 'lrMax', name, { describe: 'a learning rate above 0 (e.g. 3e-4)' });
  const expertsIn = quantity(raw, 'experts', name, {
    integer: true,
    min: 1,
    minInclusive: true,
    describe: 'a whole number of specialized experts, at least 1',
  });
  const topKIn = quantity(raw, 'topK', name, { integer: true, min: 1, minInclusive: true, describe: 'a whole number, at least 1' });
  const targetRatio = quantity(raw, 'targetRatio', name, { describe: 'a ratio above 0 (e.g. 0.31)' });
  const readingIn = choice(raw, 'reading', name, RATIO_READINGS);
  const flops = quantity(raw, 'flops', name, { describe: 'training compute in FLOPs, above 0 (e.g. 3.5e24)' });
  const paramsIn = quantity(raw, 'params', name, { describe: 'parameters, above 0 (e.g. 52B)' });
  const tokens = quantity(raw, 'tokens', name, { describe: 'training tokens, above 0 (e.g. 7T)' });
  const lrIn = quantity(raw, 'lr', name, { describe: 'a learning rate above 0 (e.g. 3e-4)' });
  const sharedIn = quantity(raw, 'sharedExperts', name, { integer: true, min: 0, minInclusive: true, describe: 'a whole number of shared experts, 0 or more' });
  const noise = resolveNoise(raw, name, fitted);
  const config = options.config;
  if (config) {
    const clash = (['experts', 'topK', 'sharedExperts'] as const).find((key) => raw[key] !== undefined && raw[key] !== null && raw[key] !== '');
    if (clash)
      throw new MoeplanError('INVALID_INPUT', `give --config or ${name(clash)}, not both: the config gives the experts, top-k and shared experts`, {
        field: name(clash),
      });
  }
  const params = paramsIn ?? config?.params;

  if (expertsIn === undefined && topKIn !== undefined) {
    throw new MoeplanError('MISSING_INPUT', `${name('topK')} needs ${name('experts')}`, { hint: 'e.g. --experts 16 --top-k 1' });
  }
  const experts = config?.experts ?? expertsIn ?? 1;
  const topK = config?.topK ?? topKIn ?? 1;
  const sharedExperts = config?.sharedExperts ?? sharedIn ?? 1;
  if (topK > experts) {
    throw new MoeplanError('OUT_OF_RANGE', `${name('topK')}: ${topK} is more than ${name('experts')} (${experts})`, { field: name('topK') });
  }
  if (readingIn !== undefined && targetRatio === undefined) {
    throw new MoeplanError('MISSING_INPUT', `${name('reading')} applies to ${name('targetRatio')}`, {
      hint: 'e.g. --target-ratio 0.31 --experts 16 --reading paper-literal',
    });
  }

  const inputs: Record<string, number | string> = {};
  const set = (key: string, value: number | string | undefined) => {
    if (value !== undefined) inputs[key] = value;
  };
  set('batch', batch);
  if (noise?.source === 'noise') set('noise', noise.noise);
  set('loss', noise?.loss);
  if (fitted && noise?.source === 'runs') set('noiseFrom', fitted.file);
  set('lrMax', lrMax);
  set('experts', expertsIn);
  set('topK', topKIn);
  set('targetRatio', targetRatio);
  if (targetRatio !== undefined) set('reading', readingIn ?? 'specialized-over-shared');
  set('flops', flops);
  set('params', paramsIn);
  set('tokens', tokens);
  set('lr', lrIn);
  set('sharedExperts', sharedIn);
  if (config) set('config', config.file);

  const explicit = options.laws !== undefined;
  const lawList = options.laws ?? hyperparameterPresets();
  const lawsFor = (yourLr: number | undefined) =>
    lawsAt(
      lawList,
      explicit,
      { ...(flops !== undefined ? { flops } : {}), ...(params !== undefined ? { params } : {}), ...(tokens !== undefined ? { tokens } : {}) },
      batch,
      yourLr,
      name,
    );
  const moe = config !== undefined || expertsIn !== undefined;
  const common = {
    inputs,
    experts,
    topK,
    ...(moe ? { sharedExperts } : {}),
    ...(config ? { config: config.file } : {}),
    ...(noise ? { noise: noise.noise, noiseSource: noise.source } : {}),
    ...(noise?.loss !== undefined ? { noiseFromLoss: { loss: noise.loss, ...KAPLAN_CRITICAL_BATCH } } : {}),
    ...(fitted && noise?.source === 'runs' ? { noiseFit: withoutLine(fitted) } : {}),
    ...(lrMax !== undefined ? { lrMax } : {}),
    ...(flops !== undefined ? { deepseek: deepseekAt(flops) } : {}),
  };

  if (targetRatio !== undefined) {
    if (expertsIn === undefined && config === undefined) {
      throw new MoeplanError('MISSING_INPUT', `${name('targetRatio')} needs ${name('experts')}: the ratio depends on n/k`, {
        hint: 'e.g. moeplan lr --target-ratio 0.31 --experts 16',
      });
    }
    if (batch !== undefined && noise !== undefined) {
      throw new MoeplanError('INVALID_INPUT', `with ${name('targetRatio')} give ${name('batch')} or a noise scale, not both: B/Bnoise is what is solved`, {
        hint: 'with a noise scale the batch is solved; with a batch the noise scale is',
      });
    }
    const reading = readingIn ?? 'specialized-over-shared';
    const solved = batchOverNoiseForRatio({ targetRatio, experts, topK: topK, reading });
    const x = solved.solutions[0] as number;
    const other = otherReading(reading);
    let otherResult: NonNullable<LrResult['solve']>['otherReading'];
    try {
      const o = batchOverNoiseForRatio({ targetRatio, experts, topK: topK, reading: other });
      const ox = o.solutions[0] as number;
      otherResult = { reading: other, solutions: o.solutions, batchOverNoise: ox, specializedOverShared: specializedOverShared(ox, experts, topK) };
    } catch (error) {
      if (!isMoeplanError(error)) throw error;
      otherResult = { reading: other, solutions: [], error: error.message };
    }
    const solvedBatch = noise ? finiteResult(x * noise.noise, 'the batch size B') : batch;
    const impliedNoise = batch !== undefined ? finiteResult(batch / x, 'the noise scale Bnoise') : undefined;
    const atRatio = ratesAt(x, experts, topK, lrMax);
    const yourLr = lrIn ?? atRatio.sharedLr;
    const lawsHere = lawsFor(yourLr);
    return {
      mode: 'solve',
      ...common,
      ...(yourLr !== undefined ? { yourLr } : {}),
      ...(lawsHere.length > 0 ? { laws: lawsHere } : {}),
      ...(impliedNoise !== undefined ? { noise: impliedNoise } : {}),
      ...(solvedBatch !== undefined ? { batch: solvedBatch, specializedBatch: perExpertBatch(solvedBatch, experts, topK) } : {}),
      ...atRatio,
      solve: {
        reading,
        targetRatio,
        solutions: solved.solutions,
        range: solved.range,
        ...(impliedNoise !== undefined ? { impliedNoise } : {}),
        otherReading: otherResult,
      },
    };
  }

  if (batch === undefined) {
    const lawsHere = lawsFor(lrIn);
    const extra = { ...(lrIn !== undefined ? { yourLr: lrIn } : {}), ...(lawsHere.length > 0 ? { laws: lawsHere } : {}) };
    if (noise && noise.source !== 'noise') return { mode: 'noise', ...common, ...extra };
    if (flops !== undefined || lawsHere.length > 0) return { mode: 'noise', ...common, ...extra };
    throw new MoeplanError(
      'MISSING_INPUT',
      `${name('batch')} is required (or ${name('targetRatio')} to solve for it, or ${name('params')} and ${name('tokens')} for Step Law's batch and rate)`,
      {
        hint: 'e.g. moeplan lr --batch 4M --noise 16M --lr-max 3e-4 --experts 16, or moeplan lr --law steplaw --params 52B --tokens 7T',
      },
    );
  }
  if (noise === undefined) {
    const lawsHere = lawsFor(lrIn);
    if (lawsHere.length > 0 && lrMax === undefined) {
      // Only where the batch (and --lr) stand against the laws.
      return { mode: 'noise', ...common, batch, ...(lrIn !== undefined ? { yourLr: lrIn } : {}), laws: lawsHere };
    }
    throw new MoeplanError('MISSING_INPUT', `a noise scale is required: ${name('noise')}, ${name('loss')} or ${name('noiseFrom')}`, {
      hint: "--noise 16M (tokens), --loss 2.0 (Kaplan's Bcrit(L) as the noise scale), or --noise-from runs.csv",
    });
  }
  // εmax is optional: without it the rates are fractions of εmax, and their ratio is the same.
  const rates = expertLearningRates({ batchTokens: batch, noiseTokens: noise.noise, maxLr: lrMax ?? 1, experts, topK: topK });
  const atBatch = ratesAt(rates.batchOverNoise, experts, topK, lrMax);
  const yourLr = lrIn ?? atBatch.sharedLr;
  const lawsHere = lawsFor(yourLr);
  return {
    mode: 'rates',
    ...common,
    batch,
    specializedBatch: rates.specializedBatchTokens,
    ...atBatch,
    ...(yourLr !== undefined ? { yourLr } : {}),
    ...(lawsHere.length > 0 ? { laws: lawsHere } : {}),
  };
}

/** The numbers of {@link ratesAt}, filled by {@link rateNumbers}; batch rows reuse one. */
interface RateNumbers {
  specializedX: number;
  sharedLrOverMax: number;
  specializedLrOverMax: number;
  /** NaN without εmax. */
  sharedLr: number;
  specializedLr: number;
  specializedOverShared: number;
}

/** The expert rates at x = B/Bnoise (eq. 1 at x and at x·k/n), numbers only, into `out`; the absolute rates only with εmax. */
function rateNumbers(x: number, experts: number, topK: number, lrMax: number | undefined, out: RateNumbers): RateNumbers {
  out.specializedX = perExpertBatch(x, experts, topK);
  out.sharedLrOverMax = learningRateAtRatio(x, 1);
  out.specializedLrOverMax = learningRateAtRatio(out.specializedX, 1);
  out.sharedLr = lrMax !== undefined ? out.sharedLrOverMax * lrMax : Number.NaN;
  out.specializedLr = lrMax !== undefined ? out.specializedLrOverMax * lrMax : Number.NaN;
  out.specializedOverShared = specializedOverShared(x, experts, topK);
  return out;
}

function emptyRates(): RateNumbers {
  return { specializedX: 0, sharedLrOverMax: 0, specializedLrOverMax: 0, sharedLr: 0, specializedLr: 0, specializedOverShared: 0 };
}

/** The rates and sides at x = B/Bnoise (absolute rates only with εmax). */
function ratesAt(x: number, experts: number, topK: number, lrMax: number | undefined) {
  const n = rateNumbers(x, experts, topK, lrMax, emptyRates());
  const specializedX = n.specializedX;
  return {
    batchOverNoise: x,
    specializedBatchOverNoise: specializedX,
    ...(lrMax !== undefined
      ? {
          sharedLr: finiteResult(n.sharedLr, 'the shared rate'),
          specializedLr: finiteResult(n.specializedLr, 'the specialized rate'),
        }
      : {}),
    sharedLrOverMax: n.sharedLrOverMax,
    specializedLrOverMax: n.specializedLrOverMax,
    specializedOverShared: n.specializedOverShared,
    sharedSide: peakSide(x),
    specializedSide: peakSide(specializedX),
  };
}

function deepseekAt(flops: number): NonNullable<LrResult['deepseek']> {
  const law = PRESETS.deepseek;
  const at = law ? batchAndRateFromCompute(law, flops) : undefined;
  if (!law || !at) throw new Error('the deepseek preset has no batch-size and learning-rate laws');
  return {
    flops,
    batch: finiteResult(at.batchTokens, "DeepSeek's Bopt"),
    lr: finiteResult(at.lr, "DeepSeek's ηopt"),
    extrapolation: at.extrapolation,
    ...(at.range ? { fittedRange: at.range } : {}),
    source: law.source,
  };
}

function withoutLine(fit: RunsFit): Omit<RunsFit, 'slope' | 'intercept'> {
  const { slope: _slope, intercept: _intercept, ...rest } = fit;
  return rest;
}

const SIDE_TEXT: Record<PeakSide, string> = {
  below: 'below the peak (B < Bnoise): a larger batch raises it',
  at: 'at the peak (B = Bnoise): εopt = εmax',
  above: 'above the peak (B > Bnoise): a larger batch lowers it',
};

const READING_TEXT: Record<RatioReading, string> = {
  'specialized-over-shared': 'εopt(B·k/n)/εopt(B) = specialized/shared',
  'paper-literal': 'εopt(B)/εopt(B·k/n) = shared/specialized, as the report writes it',
};

const FORMULA: Record<RatioReading, string> = {
  'specialized-over-shared': 'εopt(B·k/n)/εopt(B)',
  'paper-literal': 'εopt(B)/εopt(B·k/n)',
};

function lrText(value: number): string {
  return sci(value, 4);
}

function render(result: LrResult, ctx: Context): string {
  const { chalk } = ctx;
  const rows: Row[] = [];
  const moe = result.experts > 1 || result.topK > 1 || result.inputs.experts !== undefined;
  const noiseNote = (): string | undefined => {
    switch (result.noiseSource) {
      case 'noise':
        return 'given';
      case 'loss':
        return `Kaplan's Bcrit(L = ${result.noiseFromLoss?.loss}) = 2e8/L^(1/0.21), taken as Bnoise`;
      case 'runs': {
        const fit = result.noiseFit;
        return fit ? `fitted to ${fit.runs} runs in ${fit.file}` : undefined;
      }
      default:
        return result.solve?.impliedNoise !== undefined ? 'solved: B / (B/Bnoise)' : undefined;
    }
  };
  if (result.noise !== undefined) {
    rows.push({
      label: 'Noise scale Bnoise',
      value: si(result.noise),
      unit: 'tokens',
      strong: result.mode === 'noise' || result.solve?.impliedNoise !== undefined,
      note: noiseNote(),
    });
  }
  if (result.noiseFit) {
    const fit = result.noiseFit;
    rows.push(
      { label: '  ± standard error', value: si(fit.noiseTokensStdError), unit: 'tokens', note: fit.runs > 2 ? undefined : 'two runs: no error estimate' },
      { label: '  Smin', value: si(fit.minSteps), unit: 'steps', note: 'fewest steps to the loss (huge batches)' },
      { label: '  Emin', value: si(fit.minExamples), unit: 'tokens', note: 'fewest tokens to the loss (tiny batches)' },
      { label: '  Fit quality R²', value: trimNumber(fit.rSquared, 4), note: '1/S = −Bnoise·(1/E) + 1/Smin (Li et al. 2024 eq. 22)' },
    );
  }
  if (result.batch !== undefined) {
    rows.push({
      label: 'Batch B',
      value: si(result.batch),
      unit: 'tokens',
      strong: result.mode === 'solve' && result.solve?.impliedNoise === undefined,
      note: result.mode === 'solve' ? 'solved: (B/Bnoise)·Bnoise' : undefined,
    });
  }
  if (result.lrMax !== undefined) rows.push({ label: 'εmax', value: lrText(result.lrMax), note: 'peak of eq. 1, at B = Bnoise' });
  if (result.batchOverNoise !== undefined && result.mode === 'rates') {
    rows.push({ label: 'B/Bnoise', value: trimNumber(result.batchOverNoise, 4), note: SIDE_TEXT[result.sharedSide as PeakSide] });
  }
  if (result.batchOverNoise !== undefined && result.specializedOverShared !== undefined) {
    const x = result.batchOverNoise;
    const sx = result.specializedBatchOverNoise as number;
    const shared = result.sharedLr !== undefined ? lrText(result.sharedLr) : `${trimNumber(result.sharedLrOverMax as number, 4)} εmax`;
    const specialized = result.specializedLr !== undefined ? lrText(result.specializedLr) : `${trimNumber(result.specializedLrOverMax as number, 4)} εmax`;
    if (moe) {
      const s = result.sharedExperts ?? 1;
      const sharedText = s === 0 ? ', no shared expert' : s === 1 ? ', plus one shared expert' : `, plus ${s} shared experts`;
      rows.push(
        {
          label: 'Specialized experts n',
          value: `${result.experts}`,
          note: `top-${result.topK} routing${sharedText}${result.config ? ` (from ${result.config})` : ''}`,
        },
        s > 0
          ? { label: 'Shared expert rate', value: shared, strong: true, note: `εopt(B); B/Bnoise = ${trimNumber(x, 4)}, ${result.sharedSide} the peak` }
          : {
              label: 'Rate of the rest',
              value: shared,
              strong: true,
              note: `εopt(B) for what sees every token (attention, router, embeddings); B/Bnoise = ${trimNumber(x, 4)}, ${result.sharedSide} the peak`,
            },
        {
          label: 'Specialized expert rate',
          value: specialized,
          strong: true,
          note: `εopt(B·k/n)${result.specializedBatch !== undefined ? `, ${si(result.specializedBatch)} tokens per step` : ''}; (B·k/n)/Bnoise = ${trimNumber(sx, 4)}, ${result.specializedSide} the peak`,
        },
        {
          label: (result.sharedExperts ?? 1) > 0 ? 'specialized/shared' : 'specialized/rest',
          value: trimNumber(result.specializedOverShared, 4),
          strong: true,
          note:
            result.specializedOverShared < 1 ? 'specialized experts scaled down' : result.specializedOverShared > 1 ? 'specialized experts scaled up' : 'equal',
        },
      );
    } else {
      rows.push({ label: 'Optimal rate εopt(B)', value: shared, strong: true, note: 'one rate for all parameters (no --experts)' });
    }
  }
  let title: string;
  if (result.mode === 'solve' && result.solve) {
    const s = result.solve;
    const o = s.otherReading;
    title = `Batch for a target expert learning-rate ratio · n = ${result.experts}, k = ${result.topK}`;
    rows.unshift(
      { label: 'Target ratio', value: trimNumber(s.targetRatio, 6), note: `read as ${READING_TEXT[s.reading]} (--reading ${s.reading})` },
      {
        label: 'B/Bnoise',
        value: s.solutions.map((v) => trimNumber(v, 4)).join(', '),
        strong: true,
        note: `solved; ${SIDE_TEXT[peakSide(s.solutions[0] as number)].split(':')[0]}`,
      },
      o.batchOverNoise !== undefined
        ? {
            label: 'B/Bnoise, other reading',
            value: o.solutions.map((v) => trimNumber(v, 4)).join(', '),
            note: `if ${FORMULA[o.reading]} = ${s.targetRatio} (${o.reading}); there specialized/shared = ${trimNumber(o.specializedOverShared as number, 4)}`,
          }
        : { label: 'B/Bnoise, other reading', value: 'none', note: o.error },
      {
        label: 'Reachable ratios',
        value: `(${trimNumber(s.range[0], 4)}, ${trimNumber(s.range[1], 4)})`,
        note: `either reading, for n/k = ${trimNumber(result.experts / result.topK, 4)}`,
      },
    );
  } else if (result.mode === 'noise') {
    title =
      result.noiseSource === 'runs'
        ? 'Noise scale from runs · Li et al. 2024 eq. 22'
        : result.noise !== undefined
          ? 'Noise scale'
          : `Optimal batch size and learning rate · ${(result.laws ?? []).map((l) => l.title.split(',')[0]).join('; ') || 'DeepSeek LLM'}`;
  } else {
    title = moe
      ? `Learning rates for the ${(result.sharedExperts ?? 1) > 0 ? 'shared and specialized experts' : 'specialized experts and the rest'} · Hunyuan-Large eq. 1, §2.2.4`
      : 'Optimal learning rate · eq. 1 (Li et al. 2024)';
  }
  if (result.inputs.lr !== undefined) rows.push({ label: 'Your learning rate', value: lrText(result.inputs.lr as number), note: '--lr' });
  const yourRate = result.inputs.lr !== undefined ? 'your rate' : 'your shared rate';
  for (const l of result.laws ?? []) {
    const law = PRESETS[l.law];
    const at = atText(l, result);
    // Said once, on the law's last row (not repeated on stderr): with the fitted range when known.
    const range = l.law === 'deepseek' ? result.deepseek?.fittedRange : undefined;
    const outside = l.extrapolation ? `; extrapolation${range ? ` (fitted on C ${sci(range[0], 2)}–${sci(range[1], 2)} FLOPs)` : ''}` : '';
    if (l.batch !== undefined) {
      rows.push({
        label: `Bopt · ${l.law}`,
        value: si(l.batch),
        unit: 'tokens',
        note: `${law?.batchSize ? formulaText(law.batchSize) : ''}${at}${l.batchOverLaw !== undefined ? `; your B is ${trimNumber(l.batchOverLaw, 3)}× this` : ''}${l.lr === undefined ? outside : ''}`,
      });
    }
    if (l.lr !== undefined) {
      rows.push({
        label: `ηopt · ${l.law}`,
        value: lrText(l.lr),
        note: `${law?.learningRate ? formulaText(law.learningRate) : ''}${law?.learningRate?.budget === 'size' ? '' : at}${l.lrOverLaw !== undefined ? `; ${yourRate} is ${trimNumber(l.lrOverLaw, 3)}× this` : ''}${outside}`,
      });
    }
  }
  let text = renderRows(rows, chalk, title);
  if ((result.mode === 'solve' || result.mode === 'rates') && result.lrMax === undefined)
    text += chalk.dim('  (the ratio does not depend on εmax; give --lr-max for the rates themselves)\n');
  // A law made for dense models whose rates follow N: for an MoE, N is the activated count in the law's convention.
  if (result.experts > 1) {
    for (const l of result.laws ?? []) {
      const law = PRESETS[l.law];
      const bySize = law?.batchSize?.budget === 'size' || law?.learningRate?.budget === 'size';
      if (law?.modelKind !== 'dense' || !bySize) continue;
      const counted = law.compute.paramsMeaning === 'non-embedding' ? 'activated non-embedding' : 'activated';
      text += chalk.dim(`  ${law.name} was fitted on dense models; for an MoE its N is taken as the ${counted} parameters, an approximation.\n`);
    }
  }
  return text;
}

/** `0.292·C^0.3271` or `1.79·N^-0.713·D^0.307`. */
function formulaText(law: HyperparameterLaw): string {
  const c = trimNumber(law.coefficient, 4);
  if (law.budget !== 'size') return `${c}·${law.budget === 'cmin' ? 'Cmin' : 'C'}^${trimNumber(law.exponent, 4)}`;
  return [c, law.paramsExponent !== 0 && `N^${trimNumber(law.paramsExponent, 4)}`, law.tokensExponent !== 0 && `D^${trimNumber(law.tokensExponent, 4)}`]
    .filter(Boolean)
    .join('·');
}

/** Where a law was evaluated: ` at C = 3.5e24` or ` at N = 52B (non-embedding), D = 7T`. */
function atText(l: LawHyperparameters, result: LrResult): string {
  if (l.flops !== undefined) return ` at C = ${sci(l.flops, 4)}${l.flopsFrom === 'params-tokens' ? ' (its compute model, from N and D)' : ''}`;
  const fromConfig = result.config !== undefined && result.inputs.params === undefined ? ` from ${result.config}` : '';
  const parts = [
    l.params !== undefined && `N = ${si(l.params)}${l.paramsMeaning === 'non-embedding' ? ' non-embedding' : ''}${fromConfig}`,
    l.tokens !== undefined && `D = ${si(l.tokens)}`,
  ].filter(Boolean);
  return parts.length ? ` at ${parts.join(', ')}` : '';
}

/**
 * What stderr adds to the output. A law's extrapolation is not here: the text says it on the
 * law's row, --json has `extrapolation`.
 */
function warnings(result: LrResult, ctx: Context): void {
  if (result.noiseFit && result.noiseFit.runs > 2 && result.noiseFit.rSquared < 0.9) {
    ctx.warn(`the noise-scale fit is poor (R² = ${trimNumber(result.noiseFit.rSquared, 3)}): check that every run reached the same loss`);
  }
}

/** The presets named by `--law a,b`, each with a batch-size or learning-rate law. */
function hyperparameterLaws(list: string): Law[] {
  const names = list
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  const known = hyperparameterPresets().map((l) => l.name);
  if (names.length === 0) throw new MoeplanError('INVALID_INPUT', '--law: empty value', { field: '--law', hint: `give ${known.join(' or ')}` });
  return names.map((n) => {
    const law = Object.hasOwn(PRESETS, n) ? PRESETS[n] : undefined;
    if (!law || !known.includes(n)) {
      throw new MoeplanError('INVALID_INPUT', `--law: "${n}" has no batch-size or learning-rate law`, {
        field: '--law',
        hint: `use ${known.join(', ')} (comma-separated for several)`,
      });
    }
    return law;
  });
}

/** Experts, top-k, shared experts and activated non-embedding parameters of a model config. */
async function configExperts(file: string, ctx: Context, strict: unknown): Promise<ConfigExperts> {
  const { parameterCounts } = await import('../../core/architecture.js');
  const config = await readConfigOption(file, ctx, { strict });
  const moe = config.architecture.moe;
  if (!moe) {
    throw new MoeplanError('INVALID_INPUT', `--config ${file}: a dense model (no experts); expert learning rates need an MoE config`, {
      field: '--config',
      hint: 'for a dense model give --batch, a noise scale and --lr-max without --config',
    });
  }
  return {
    file,
    experts: moe.routedExperts,
    topK: moe.topK,
    sharedExperts: moe.sharedExperts,
    params: parameterCounts(config.architecture).activatedNonEmbeddingParams,
    unknownKeys: config.unknownKeys,
  };
}

export const lrCommand: CommandDefinition = {
  examples: [
    ['moeplan lr --batch 4M --noise 16M --lr-max 3e-4 --experts 16', 'shared 2.4e-4, specialized 7.385e-5: specialized/shared = 0.3077'],
    [
      'moeplan lr --target-ratio 0.31 --experts 16',
      "B/Bnoise for the report's 0.31, read as specialized/shared (0.2602); the literal reading beside it (61.5)",
    ],
    [
      'moeplan lr --target-ratio 0.31 --experts 16 --reading paper-literal --noise 16M --lr-max 3e-4',
      'solve εopt(B)/εopt(B/n) = 0.31: the batch and both rates',
    ],
    ['moeplan lr --batch 4M --loss 2.0 --lr-max 3e-4 --experts 16 --top-k 2', "noise scale from Kaplan's Bcrit(L); top-2 routing"],
    ['moeplan lr --noise-from examples/lr/runs.csv', 'fit the noise scale to runs (columns batch,steps,examples)'],
    ['moeplan lr --batch 4M --noise 16M --lr-max 3e-4 --experts 16 --flops 3.5e24', "DeepSeek's Bopt and ηopt at that compute, beside"],
    ['moeplan lr --law steplaw --params 52B --tokens 7T', "Step Law's ηopt and Bopt for 52B (non-embedding) parameters and 7T tokens"],
    ['moeplan lr --batch 16M --lr 3e-4 --params 52B --tokens 7T', 'where your batch and rate stand against DeepSeek LLM and Step Law'],
    [
      'moeplan lr --config examples/configs/hunyuan-large.json --batch 4M --noise 16M',
      'experts, top-k and shared expert from a config; the ratio needs no --lr-max',
    ],
    ['moeplan lr --input grid.csv --lr-max 3e-4', 'batch: one output row per CSV/JSONL row (columns named like the flags)'],
  ],
  notes: `Eq. 1 (Hunyuan-Large; Li et al. 2024 eq. 2): εopt(B) = 2·εmax / (√(Bnoise/B) + √(B/Bnoise)),
largest (εmax) at B = Bnoise. The shared expert sees the whole batch B; each of n
specialized experts with top-k routing sees about B·k/n, so its rate is εopt(B·k/n).
With x = B/Bnoise and m = n/k: specialized/shared = √m·(1 + x)/(m + x), from 1/√m to √m.

The report's "εopt(B)/εopt(B/n) ≈ 0.31" with n = 16 cannot be both that expression and a
scale-down: read as specialized/shared it holds at x = 0.260, read literally at x = 61.5
(where specialized = 3.23 × shared). --reading picks one (default specialized-over-shared);
the other reading's solution is shown beside it.

Noise scale: --noise in tokens; --loss L uses Kaplan's Bcrit(L) = 2e8/L^(1/0.21) tokens
(Li et al. take Bnoise ≈ Bcrit); --noise-from FILE fits 1/S = −Bnoise·(1/E) + 1/Smin
(Li et al. 2024 eq. 22) to runs trained to the same loss: CSV columns batch (tokens per
step), steps and examples (tokens), one row per batch size.

Batch-size and learning-rate laws beside eq. 1: DeepSeek LLM (arXiv 2401.02954) eq. 1,
Bopt = 0.2920·C^0.3271 tokens and ηopt = 0.3118·C^−0.1250, at --flops (or C = 6·N·D of
--params and --tokens); Step Law (Li et al. 2025, arXiv 2503.04715), ηopt =
1.79·N^−0.713·D^0.307 and Bopt = 0.58·D^0.571 tokens, N non-embedding parameters, at
--params and --tokens. lr shows each one the inputs reach (--law picks), with your batch
and your rate (--lr, or the shared rate of eq. 1) as multiples of them.
--config FILE takes n, k and the shared experts from a Hugging Face config.json; a model
without a shared expert gets the rate of what sees every token instead. The ratio of the
expert rates does not depend on εmax, so --lr-max is optional.

Batch sizes and noise scales are in tokens (4M = 4·10^6; B is billion, never batch).`,
  configure(command: Command) {
    command
      .option('--batch <B>', 'tokens per optimizer step (e.g. 4M)')
      .option('--noise <Bnoise>', 'gradient noise scale in tokens (e.g. 16M)')
      .option('--loss <L>', "loss in nats: noise scale from Kaplan's Bcrit(L)")
      .option('--noise-from <file>', 'fit the noise scale to runs (CSV/JSONL: batch,steps,examples)')
      .option('--lr-max <ε>', 'εmax of eq. 1, the largest optimal rate (e.g. 3e-4)')
      .option('--experts <n>', 'number of specialized experts (e.g. 16)')
      .option('--top-k <k>', 'specialized experts per token (default 1)')
      .option('--target-ratio <r>', 'solve B/Bnoise for this expert learning-rate ratio (e.g. 0.31)')
      .option('--reading <which>', 'what --target-ratio divides: specialized-over-shared (default) or paper-literal')
      .option('--flops <C>', "training compute: DeepSeek's Bopt and ηopt at it")
      .option('--params <N>', "parameters N (non-embedding for Step Law): with --tokens, Step Law's ηopt and Bopt, and C for DeepSeek's")
      .option('--tokens <D>', 'training tokens D (Step Law)')
      .option('--lr <η>', 'your learning rate, to see where it stands against each law')
      .option(
        '--law <names>',
        `batch-size and learning-rate laws to compare with: ${hyperparameterPresets()
          .map((law) => law.name)
          .join(', ')} (comma-separated; default every one the inputs reach)`,
      )
      .option('--config <file>', 'a Hugging Face config.json: experts, top-k and shared experts (and N for Step Law) from the model')
      .option('--strict', STRICT_CONFIG_HELP)
      .option('--shared-experts <s>', 'shared experts every token passes through (default 1; 0 for none)')
      .option('--input <file|->', 'batch mode: CSV (with header) or JSONL rows; - reads stdin');
  },
  async run(options, _args, ctx) {
    const raw: Record<string, string | undefined> = {};
    for (const key of KEYS) raw[key] = options[key] as string | undefined;
    const noiseFrom = options.noiseFrom as string | undefined;
    if (noiseFrom !== undefined && noiseFrom.trim() === '') {
      throw new MoeplanError('INVALID_INPUT', '--noise-from: empty value', { field: '--noise-from', hint: 'give a runs file' });
    }
    if (noiseFrom !== undefined && noiseFrom === options.input) {
      throw new MoeplanError('INVALID_INPUT', '--noise-from and --input cannot read the same file');
    }
    const fitted = noiseFrom !== undefined ? await fitRunsFile(noiseFrom, ctx) : undefined;
    const laws = typeof options.law === 'string' ? hyperparameterLaws(options.law) : undefined;
    const config = typeof options.config === 'string' ? await configExperts(options.config, ctx, options.strict) : undefined;
    const evalOptions = { ...(laws ? { laws } : {}), ...(config ? { config } : {}) };
    if (typeof options.input === 'string') {
      return (await import('../batch.js')).runBatch(ctx, options.input, raw, lrBatchSpec(fitted, evalOptions, raw));
    }
    await prepareFlags(raw, ['reading']);
    const result = assertFiniteResult(evaluateLr(raw, flagName, fitted, evalOptions));
    warnUnitSlips(ctx, raw, ['batch', 'noise']);
    warnings(result, ctx);
    if (ctx.json) ctx.emitJson('lr', { ...result, ...(config ? { unknownKeys: config.unknownKeys } : {}) });
    else ctx.out(render(result, ctx));
    return 0;
  },
};

/**
 * Batch mode of lr: the row evaluation and output columns, with the noise scale fitted to runs and the laws and config, if given;
 * `defaults` are the flags every row starts from (the row kernel reads them once).
 */
export function lrBatchSpec(fitted: RunsFit | undefined, evalOptions: Parameters<typeof evaluateLr>[3] = {}, defaults: RawInputs = {}): BatchSpec<LrResult> {
  return {
    keys: KEYS,
    numericRows: true,
    rowKernel: (inputKeys, given, resultColumns) =>
      fitted === undefined && evalOptions.laws === undefined && evalOptions.config === undefined
        ? lrRowKernel(inputKeys, given, resultColumns, defaults)
        : undefined,
    evaluate: (row, name) => evaluateLr(row, name, fitted, evalOptions),
    resolvedInput: (r, key) => r.inputs[key],
    columns: [
      { name: 'noise', key: 'noise', get: (r) => r.noise },
      { name: 'batch', key: 'batch', get: (r) => r.batch },
      { name: 'lr_max', key: 'lrMax', get: (r) => r.lrMax },
      { name: 'batch_over_noise', get: (r) => r.batchOverNoise },
      { name: 'shared_lr', get: (r) => r.sharedLr },
      { name: 'specialized_lr', get: (r) => r.specializedLr },
      { name: 'specialized_over_shared', get: (r) => r.specializedOverShared },
      { name: 'other_reading_batch_over_noise', when: ['targetRatio'], get: (r) => r.solve?.otherReading.batchOverNoise },
      { name: 'deepseek_batch', when: ['flops'], get: (r) => r.deepseek?.batch },
      { name: 'deepseek_lr', when: ['flops'], get: (r) => r.deepseek?.lr },
      { name: 'steplaw_batch', when: ['tokens'], get: (r) => r.laws?.find((l) => l.law === 'steplaw')?.batch },
      { name: 'steplaw_lr', when: ['params', 'tokens'], get: (r) => r.laws?.find((l) => l.law === 'steplaw')?.lr },
    ],
  };
}

/** The inputs the fast lane of lr takes: the rates at a batch, from a noise scale or a loss. */
const LR_FAST_KEYS = ['batch', 'noise', 'loss', 'lrMax', 'experts', 'topK', 'sharedExperts', 'lr', 'flops'] as const;
const LR_FAST_COLUMNS = [
  'noise',
  'batch',
  'lr_max',
  'batch_over_noise',
  'shared_lr',
  'specialized_lr',
  'specialized_over_shared',
  'deepseek_batch',
  'deepseek_lr',
];

/**
 * The batch row kernel of lr (BatchSpec.rowKernel): rows that ask for the rates at a batch,
 * with a noise scale or a loss, εmax, the experts and top-k, your rate and the compute for
 * DeepSeek's laws (as columns, or flags read once, {@link rowInputs}). It computes what
 * {@link evaluateLr} computes for them, with the same functions ({@link rateNumbers},
 * {@link perExpertBatch}, {@link criticalBatchFromLoss}, {@link batchAndRateFromCompute});
 * a row it would reject, or whose result is not finite, is declined and
 * the general path reports it.
 */
function lrRowKernel(inputKeys: readonly string[], given: ReadonlySet<string>, resultColumns: readonly string[], defaults: RawInputs): RowKernel | undefined {
  const inputs = rowInputs(LR_FAST_KEYS, inputKeys, given, defaults);
  if (!inputs) return undefined;
  const codes = resultColumns.map((name) => LR_FAST_COLUMNS.indexOf(name));
  if (codes.includes(-1)) return undefined;
  const { has, get } = inputs;
  const [BATCH, NOISE, LOSS, LR_MAX, EXPERTS, TOP_K, SHARED, LR, FLOPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
  if (!has(BATCH) || has(NOISE) === has(LOSS) || (has(TOP_K) && !has(EXPERTS))) return undefined;
  const withLrMax = has(LR_MAX);
  const [withNoise, withExperts, withTopK, withShared, withLr] = [has(NOISE), has(EXPERTS), has(TOP_K), has(SHARED), has(LR)];
  const withFlops = has(FLOPS);
  // The laws lawsAt would compare with: with --flops only DeepSeek's, computed here as deepseekAt
  // does; any other law the inputs reach leaves the rows to the general path.
  const deepseek = PRESETS.deepseek;
  if (!deepseek) return undefined;
  for (const law of hyperparameterPresets()) {
    const at = optimalHyperparameters(law, withFlops ? { flops: 1 } : {});
    const reached = at !== undefined && (at.batchTokens !== undefined || at.lr !== undefined);
    if (reached !== (withFlops && law === deepseek)) return undefined;
  }
  const n = emptyRates();
  const positive = (v: number) => v > 0 && v < Number.POSITIVE_INFINITY;
  const count = (v: number, min: number) => Number.isInteger(v) && v >= min;
  return (values, results) => {
    const batch = get(values, BATCH);
    if (!positive(batch)) return false;
    let noise: number;
    if (withNoise) {
      noise = get(values, NOISE);
      if (!positive(noise)) return false;
    } else {
      const loss = get(values, LOSS);
      if (!positive(loss)) return false;
      noise = criticalBatchFromLoss(loss);
      if (!representable(noise)) return false;
    }
    const lrMax = withLrMax ? get(values, LR_MAX) : undefined;
    if (lrMax !== undefined && !positive(lrMax)) return false;
    const experts = withExperts ? get(values, EXPERTS) : 1;
    const topK = withTopK ? get(values, TOP_K) : 1;
    if (!(count(experts, 1) && count(topK, 1) && topK <= experts)) return false;
    if (withShared && !count(get(values, SHARED), 0)) return false;
    if (withLr && !positive(get(values, LR))) return false;
    // What evaluateLr computes, and what its result must hold: finite numbers, rates that are not 0.
    const x = batch / noise;
    if (!Number.isFinite(x) || !Number.isFinite(perExpertBatch(batch, experts, topK))) return false;
    rateNumbers(x, experts, topK, lrMax, n);
    if (!(Number.isFinite(n.specializedX) && Number.isFinite(n.sharedLrOverMax) && Number.isFinite(n.specializedLrOverMax))) return false;
    if (!Number.isFinite(n.specializedOverShared)) return false;
    if (lrMax !== undefined && !(representable(n.sharedLr) && representable(n.specializedLr))) return false;
    let deepseekBatch = 0;
    let deepseekLr = 0;
    if (withFlops) {
      const flops = get(values, FLOPS);
      if (!positive(flops)) return false;
      const at = batchAndRateFromCompute(deepseek, flops) as NonNullable<ReturnType<typeof batchAndRateFromCompute>>;
      deepseekBatch = at.batchTokens;
      deepseekLr = at.lr;
      if (!(representable(deepseekBatch) && representable(deepseekLr) && Number.isFinite(batch / deepseekBatch))) return false;
      // Your rate over ηopt: --lr, or the shared rate.
      const yourLr = withLr ? get(values, LR) : lrMax !== undefined ? n.sharedLr : undefined;
      if (yourLr !== undefined && !Number.isFinite(yourLr / deepseekLr)) return false;
    }
    // The cells, in the result columns' order: NaN for an empty one (no εmax, no rates).
    for (let i = 0; i < codes.length; i++) {
      let cell: number;
      switch (codes[i]) {
        case 0:
          cell = noise;
          break;
        case 1:
          cell = batch;
          break;
        case 2:
          cell = lrMax ?? Number.NaN;
          break;
        case 3:
          cell = x;
          break;
        case 4:
          cell = lrMax !== undefined ? n.sharedLr : Number.NaN;
          break;
        case 5:
          cell = lrMax !== undefined ? n.specializedLr : Number.NaN;
          break;
        case 6:
          cell = n.specializedOverShared;
          break;
        case 7:
          cell = deepseekBatch;
          break;
        default:
          cell = deepseekLr;
      }
      results[i] = cell;
    }
    return true;
  };
}
