/**
 * `moeplan schedule`: the three-phase learning-rate schedule of Hunyuan-Large §2.3.2
 * (warm-up, gradual decay, annealing over the final 5% to one tenth of the peak) as a
 * table, CSV or JSON at N points, with a compact terminal chart; per-expert rates beside
 * it when the `lr` options are given.
 */
import type { ChalkInstance } from 'chalk';
import type { Command } from 'commander';
import { MoeplanError } from '../../core/errors.js';
import { expertLearningRates, optimalLearningRate, specializedOverShared } from '../../core/learning-rate.js';
import {
  DECAY_SHAPES,
  type DecayShape,
  SCHEDULE_DEFAULTS,
  type Schedule,
  type SchedulePhase,
  learningRateAt,
  learningRateSchedule,
  sampleSchedule,
  schedulePhase,
} from '../../core/schedule.js';
import { exactNumber, percent, sci, si, trimNumber } from '../../io/format.js';
import { withNames } from '../../messages/index.js';
import type { CommandDefinition } from '../command.js';
import { type Context, type RawInputs, choice, flagName, prepareFlags, quantity, requiredQuantity } from '../context.js';
import { assertFiniteResult } from '../numeric.js';
import { renderRows, renderTable } from '../render.js';
import { type RunsFit, fitRunsFile, resolveNoise } from '../noise.js';

export interface ScheduleResult {
  readonly inputs: Readonly<Record<string, number | string>>;
  /** Peak of the `lr` column: --peak, or the shared expert's εopt(B) from --lr-max. */
  readonly peak: number;
  readonly tokens: number;
  readonly decay: DecayShape;
  readonly warmupTokens: number;
  readonly annealStartTokens: number;
  readonly decayFloor: number;
  readonly annealFraction: number;
  readonly annealFactor: number;
  readonly finalLr: number;
  readonly phases: ReadonlyArray<Schedule['phases'][number] & { readonly startStep?: number; readonly endStep?: number }>;
  /** Optimiser steps, when `--batch` is given: S = D/B over the run, and at the phase boundaries. */
  readonly steps?: {
    readonly batch: number;
    readonly total: number;
    readonly warmup: number;
    readonly annealStart: number;
  };
  /** Per-expert peaks, when the lr options are given. */
  readonly experts?: {
    readonly experts: number;
    readonly topK: number;
    readonly batchOverNoise: number;
    readonly sharedPeak: number;
    readonly specializedPeak: number;
    readonly specializedOverShared: number;
    /** How the peaks were found: from εmax by eq. 1, or the shared peak is --peak. */
    readonly from: 'lr-max' | 'peak';
  };
  readonly points: ReadonlyArray<{
    readonly tokens: number;
    readonly lr: number;
    readonly sharedLr?: number;
    readonly specializedLr?: number;
    /** Optimiser step (tokens / batch), when `--batch` is given. */
    readonly step?: number;
    readonly phase: SchedulePhase;
  }>;
}

/** The flags of the schedule's inputs where they differ from the input's name (`totalTokens` is `--tokens`). */
const SCHEDULE_FLAGS: Readonly<Record<string, string>> = {
  warmupFraction: '--warmup',
  warmupTokens: '--warmup',
  annealFraction: '--anneal',
  totalTokens: '--tokens',
};

/** The schedule's inputs as flags, in its messages and fields. */
const scheduleFlag = (input: string): string => SCHEDULE_FLAGS[input] ?? flagName(input);

/** A core error of the schedule, its inputs named as the flags that set them. */
function withFlags<T>(evaluate: () => T): T {
  return withNames(evaluate, scheduleFlag);
}

/** Evaluate the schedule question from the flags: the result for output, and the schedule. */
export function evaluateSchedule(raw: RawInputs, fitted?: RunsFit): { readonly result: ScheduleResult; readonly schedule: Schedule } {
  const name = flagName;
  const tokens = requiredQuantity(raw, 'tokens', name, {}, 'training tokens, e.g. --tokens 7T');
  const peakIn = quantity(raw, 'peak', name, { describe: 'a learning rate above 0 (e.g. 3e-4)' });
  const warmup = quantity(raw, 'warmup', name, {
    percent: true,
    min: 0,
    minInclusive: true,
    describe: 'a fraction of the tokens (0.01 or 1%) or a token count (20B)',
  });
  const annealFraction = quantity(raw, 'anneal', name, { percent: true, max: 1, describe: 'a fraction of the tokens in (0, 1), e.g. 5%' });
  const annealFactor = quantity(raw, 'annealFactor', name, {
    percent: true,
    min: 0,
    minInclusive: true,
    max: 1,
    describe: 'a fraction of the peak in [0, 1], e.g. 0.1 or 10%',
  });
  const decayFloor = quantity(raw, 'decayFloor', name, {
    percent: true,
    min: 0,
    minInclusive: true,
    max: 1,
    describe: 'a fraction of the peak in [0, 1], e.g. 30%',
  });
  const decay = choice(raw, 'decay', name, DECAY_SHAPES) ?? SCHEDULE_DEFAULTS.decay;
  const points = quantity(raw, 'points', name, { integer: true, min: 2, minInclusive: true, max: 100000, describe: 'a whole number from 2 to 100000' }) ?? 20;

  // Per-expert options (as in `moeplan lr`).
  const batch = quantity(raw, 'batch', name, { describe: 'tokens per optimizer step, above 0 (e.g. 4M)' });
  const lrMax = quantity(raw, 'lrMax', name, { describe: 'a learning rate above 0 (e.g. 3e-4)' });
  const experts = quantity(raw, 'experts', name, { integer: true, min: 1, minInclusive: true, describe: 'a whole number of specialized experts, at least 1' });
  const topKIn = quantity(raw, 'topK', name, { integer: true, min: 1, minInclusive: true, describe: 'a whole number, at least 1' });
  const noise = resolveNoise(raw, name, fitted);
  const lrGiven = batch !== undefined || noise !== undefined || lrMax !== undefined || experts !== undefined || topKIn !== undefined;

  if (peakIn !== undefined && lrMax !== undefined) {
    throw new MoeplanError('INVALID_INPUT', 'give --peak or --lr-max, not both', {
      hint: '--lr-max with --batch and --noise computes the peak by eq. 1; --peak sets it directly',
    });
  }
  if (peakIn === undefined && lrMax === undefined) {
    throw new MoeplanError('MISSING_INPUT', '--peak is required (or --lr-max with --batch and a noise scale, to compute it)', {
      field: '--peak',
      hint: 'e.g. moeplan schedule --peak 3e-4 --tokens 7T',
    });
  }
  if (topKIn !== undefined && experts === undefined) {
    throw new MoeplanError('MISSING_INPUT', '--top-k needs --experts', { hint: 'e.g. --experts 16 --top-k 1' });
  }
  let peak = peakIn as number;
  let expertPeaks: ScheduleResult['experts'];
  const stepsOnly = batch !== undefined && noise === undefined && lrMax === undefined && experts === undefined;
  if (stepsOnly) {
    // --batch alone: the steps of each phase, no per-expert rates.
  } else if (lrGiven && (lrMax !== undefined || experts !== undefined)) {
    const missing = [batch === undefined && '--batch', noise === undefined && '--noise (or --loss, --noise-from)'].filter(Boolean);
    if (missing.length > 0) {
      throw new MoeplanError('MISSING_INPUT', `per-expert rates need ${missing.join(' and ')}`, {
        hint: 'e.g. moeplan schedule --tokens 7T --lr-max 3e-4 --batch 4M --noise 16M --experts 16',
      });
    }
    const b = batch as number;
    const bNoise = (noise as { noise: number }).noise;
    const topK = topKIn ?? 1;
    if (experts !== undefined && topK > experts) {
      throw new MoeplanError('OUT_OF_RANGE', `--top-k: ${topK} is more than --experts (${experts})`, { field: '--top-k' });
    }
    if (lrMax !== undefined) {
      peak = optimalLearningRate(b, bNoise, lrMax);
      if (experts !== undefined) {
        const rates = expertLearningRates({ batchTokens: b, noiseTokens: bNoise, maxLr: lrMax, experts, topK: topK });
        expertPeaks = {
          experts,
          topK,
          batchOverNoise: rates.batchOverNoise,
          sharedPeak: rates.shared,
          specializedPeak: rates.specialized,
          specializedOverShared: rates.specializedOverShared,
          from: 'lr-max',
        };
      }
    } else if (experts !== undefined) {
      const x = b / bNoise;
      const ratio = specializedOverShared(x, experts, topK);
      expertPeaks = { experts, topK, batchOverNoise: x, sharedPeak: peak, specializedPeak: peak * ratio, specializedOverShared: ratio, from: 'peak' };
    }
  } else if (lrGiven) {
    throw new MoeplanError('MISSING_INPUT', 'a noise scale makes per-expert schedules only with --experts (or --lr-max)', {
      hint: 'e.g. --peak 3e-4 --batch 4M --noise 16M --experts 16',
    });
  }

  const schedule = withFlags(() =>
    learningRateSchedule({
      peak,
      totalTokens: tokens,
      ...(warmup === undefined ? {} : warmup <= 1 ? { warmupFraction: warmup } : { warmupTokens: warmup }),
      decay,
      ...(decayFloor !== undefined ? { decayFloor } : {}),
      ...(annealFraction !== undefined ? { annealFraction } : {}),
      ...(annealFactor !== undefined ? { annealFactor } : {}),
    }),
  );
  const sampled = withFlags(() => sampleSchedule(schedule, points));

  const inputs: Record<string, number | string> = { tokens };
  const set = (key: string, value: number | string | undefined) => {
    if (value !== undefined) inputs[key] = value;
  };
  set('peak', peakIn);
  set('warmup', warmup);
  set('anneal', annealFraction);
  set('annealFactor', annealFactor);
  set('decay', decay);
  set('decayFloor', decayFloor);
  set('points', points);
  set('batch', batch);
  if (noise?.source === 'noise') set('noise', noise.noise);
  set('loss', noise?.loss);
  if (noise?.source === 'runs') set('noiseFrom', fitted?.file);
  set('lrMax', lrMax);
  set('experts', experts);
  set('topK', topKIn);

  const scale = (lr: number, to: number) => (lr / peak) * to;
  const step = (t: number) => (batch === undefined ? {} : { step: t / batch });
  const steps: ScheduleResult['steps'] =
    batch === undefined ? undefined : { batch, total: tokens / batch, warmup: schedule.warmupTokens / batch, annealStart: schedule.annealStartTokens / batch };
  const result: ScheduleResult = {
    inputs,
    peak,
    tokens,
    decay: schedule.decay,
    warmupTokens: schedule.warmupTokens,
    annealStartTokens: schedule.annealStartTokens,
    decayFloor: schedule.decayFloor,
    annealFraction: schedule.annealFraction,
    annealFactor: schedule.annealFactor,
    finalLr: learningRateAt(schedule, tokens),
    phases: batch === undefined ? schedule.phases : schedule.phases.map((p) => ({ ...p, startStep: p.startTokens / batch, endStep: p.endTokens / batch })),
    ...(steps ? { steps } : {}),
    ...(expertPeaks ? { experts: expertPeaks } : {}),
    points: sampled.map((p) =>
      expertPeaks
        ? {
            tokens: p.tokens,
            lr: p.lr,
            sharedLr: scale(p.lr, expertPeaks.sharedPeak),
            specializedLr: scale(p.lr, expertPeaks.specializedPeak),
            ...step(p.tokens),
            phase: p.phase,
          }
        : { tokens: p.tokens, lr: p.lr, ...step(p.tokens), phase: p.phase },
    ),
  };
  return { result, schedule };
}

function phaseColour(chalk: ChalkInstance, phase: SchedulePhase): (text: string) => string {
  return phase === 'warmup' ? chalk.yellow : phase === 'anneal' ? chalk.magenta : chalk.cyan;
}

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * A compact column chart of the schedule: `width` columns of block characters, `height`
 * rows high, the rate on a linear axis from 0 to the peak. Phases are coloured when colour
 * is on; without colour it is plain Unicode.
 */
export function renderChart(schedule: Schedule, chalk: ChalkInstance, width = 60, height = 8): string {
  const columns = Array.from({ length: width }, (_, c) => {
    const tokens = (schedule.totalTokens * c) / (width - 1);
    return { eighths: Math.round((learningRateAt(schedule, tokens) / schedule.peak) * height * 8), phase: schedulePhase(schedule, tokens) };
  });
  const top = sci(schedule.peak, 3);
  const labelWidth = top.length;
  const lines: string[] = [];
  for (let r = 0; r < height; r++) {
    const level = (height - 1 - r) * 8;
    let line = '';
    for (const { eighths, phase } of columns) {
      const fill = Math.max(0, Math.min(8, eighths - level));
      line += fill === 0 ? ' ' : phaseColour(chalk, phase)(BLOCKS[fill] as string);
    }
    const label = r === 0 ? top : r === height - 1 ? '0'.padStart(labelWidth) : '';
    lines.push(`  ${label.padStart(labelWidth)} ┤${line}`.trimEnd());
  }
  // The axis, with ┬ where the decay and the annealing start.
  const mark = (tokens: number) => Math.round((tokens / schedule.totalTokens) * (width - 1));
  const marks = new Set([mark(schedule.warmupTokens), mark(schedule.annealStartTokens)]);
  const axis = `  ${' '.repeat(labelWidth)} └${Array.from({ length: width }, (_, c) => (marks.has(c) && c > 0 ? '┬' : '─')).join('')}`;
  const right = `${si(schedule.totalTokens)} tokens`;
  const scale = `  ${' '.repeat(labelWidth)}  0${right.padStart(width - 1)}`;
  const legend = `  ${' '.repeat(labelWidth)}  ${schedule.phases.map(({ phase }) => phaseColour(chalk, phase)(`█ ${phase}`)).join('  ')}`;
  return `${lines.join('\n')}\n${axis}\n${scale}\n${chalk.level > 0 ? `${legend}\n` : ''}`;
}

function render(result: ScheduleResult, schedule: Schedule, ctx: Context, chart: boolean): string {
  const { chalk } = ctx;
  const e = result.experts;
  const shapeOf: Record<SchedulePhase, string> = { warmup: 'linear', decay: result.decay, stable: 'constant', anneal: 'linear' };
  const phaseNote: Record<SchedulePhase, string> = {
    warmup: `${percent(result.warmupTokens / result.tokens)} of the tokens`,
    decay: `to ${percent(result.decayFloor)} of the peak`,
    stable: 'at the peak (--decay-floor 100%)',
    anneal: `final ${percent(result.annealFraction)}, to ${percent(result.annealFactor)} of the peak`,
  };
  const title = `Learning-rate schedule · Hunyuan-Large §2.3.2 · ${si(result.tokens)} tokens, peak ${sci(result.peak, 4)}`;
  const withSteps = result.steps !== undefined;
  const phases = renderTable(
    ['phase', 'from', 'to', ...(withSteps ? ['from step', 'to step'] : []), 'shape', 'lr from', 'lr to', ''],
    result.phases.map((p) => [
      p.phase,
      si(p.startTokens),
      si(p.endTokens),
      ...(withSteps ? [si(p.startStep as number), si(p.endStep as number)] : []),
      shapeOf[p.phase],
      sci(p.startLr, 4),
      sci(p.endLr, 4),
      phaseNote[p.phase],
    ]),
    chalk,
    ['l', 'r', 'r', ...(withSteps ? (['r', 'r'] as const) : []), 'l', 'r', 'r', 'l'],
  );
  let out = `${chalk.bold(title)}\n${phases}`;
  if (result.steps) {
    out += `  ${chalk.dim(`${si(result.steps.total)} optimiser steps at ${si(result.steps.batch)} tokens per step (S = D/B)`)}\n`;
  }
  if (e) {
    out += `\n${renderRows(
      [
        {
          label: 'Shared expert peak',
          value: sci(e.sharedPeak, 4),
          note: e.from === 'lr-max' ? `εopt(B), B/Bnoise = ${trimNumber(e.batchOverNoise, 4)}` : '--peak',
        },
        {
          label: 'Specialized expert peak',
          value: sci(e.specializedPeak, 4),
          note: `εopt(B·k/n), n = ${e.experts}, k = ${e.topK}`,
        },
        {
          label: 'specialized/shared',
          value: trimNumber(e.specializedOverShared, 4),
          note: 'every point of the specialized schedule is the shared one times this',
        },
      ],
      chalk,
    )}`;
  }
  const header = ['tokens', ...(withSteps ? ['step'] : []), 'of total', 'phase', e ? 'shared lr' : 'lr', ...(e ? ['specialized lr'] : [])];
  const body = result.points.map((p) => [
    si(p.tokens),
    ...(withSteps ? [si(p.step as number)] : []),
    percent(p.tokens / result.tokens),
    p.phase,
    sci(e ? (p.sharedLr as number) : p.lr, 4),
    ...(e ? [sci(p.specializedLr as number, 4)] : []),
  ]);
  out += `\n${renderTable(header, body, chalk, ['r', ...(withSteps ? (['r'] as const) : []), 'r', 'l', 'r', 'r'])}`;
  if (chart) out += `\n${renderChart(schedule, chalk)}`;
  return out;
}

function toCsv(result: ScheduleResult): string {
  const e = result.experts !== undefined;
  const s = result.steps !== undefined;
  const lines = [`tokens,${s ? 'step,' : ''}phase,lr${e ? ',shared_lr,specialized_lr' : ''}`];
  for (const p of result.points) {
    lines.push(
      `${exactNumber(p.tokens)},${s ? `${p.step},` : ''}${p.phase},${exactNumber(p.lr)}${e ? `,${exactNumber(p.sharedLr as number)},${exactNumber(p.specializedLr as number)}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const KEYS = [
  'peak',
  'tokens',
  'warmup',
  'anneal',
  'annealFactor',
  'decay',
  'decayFloor',
  'points',
  'batch',
  'noise',
  'loss',
  'lrMax',
  'experts',
  'topK',
] as const;

export const scheduleCommand: CommandDefinition = {
  examples: [
    ['moeplan schedule --peak 3e-4 --tokens 7T', 'defaults: 1% warm-up, cosine decay to 30% of the peak, anneal over the final 5% to 3e-5'],
    ['moeplan schedule --peak 3e-4 --tokens 7T --warmup 20B --decay linear --points 10', 'a 20B-token warm-up, linear decay, 10 points'],
    ['moeplan schedule --peak 3e-4 --tokens 7T --decay-floor 100%', 'warmup, stable at the peak, then anneal (warm-up–stable–decay)'],
    ['moeplan schedule --peak 3e-4 --tokens 7T --batch 16M', 'the steps of each phase and point at 16M tokens per step'],
    ['moeplan schedule --tokens 7T --lr-max 3e-4 --batch 4M --noise 16M --experts 16', 'per-expert schedules: shared εopt(B), specialized εopt(B/n)'],
    ['moeplan schedule --peak 3e-4 --tokens 7T --points 200 --csv > lr.csv', 'CSV for plotting elsewhere'],
  ],
  notes: `Phases (Hunyuan-Large §2.3.2): warm-up, linear from 0 to the peak; a long decay; and an
annealing phase over the final --anneal of the tokens (5%), linear down to --anneal-factor
of the peak (0.1). The report gives neither the decay shape nor where it ends: moeplan's
defaults are a cosine decay to --decay-floor = 30% of the peak, a 1% warm-up, and a linear
anneal. Decay shapes: cosine, linear, exponential (peak·floor^progress). With
--decay-floor 100% the middle phase holds the peak and is named stable, not decay.
Phase names (warmup, decay or stable, anneal) are the same in text, CSV and JSON.

Points: --points evenly spaced token counts from 0 to the end, plus each phase boundary
(end of warm-up, start of annealing) not already among them, so the peak and the rate
where annealing starts are always in the table. --batch adds the optimiser step of each
point and phase boundary (step = tokens / batch).

--warmup takes a fraction of the tokens (0.01, 1%) or a token count (20B).
Per-expert schedules: --lr-max with --batch and --noise (or --loss, --noise-from) set the
shared peak to εopt(B) and the specialized peak to εopt(B·k/n), as in \`moeplan lr\`;
with --peak instead of --lr-max, the shared peak is --peak and the specialized one is
scaled by specialized/shared.

--json: \`points\` is an array of { tokens, lr, phase } (with step when --batch is given,
sharedLr and specializedLr when experts are), plus the phases, \`steps\` with --batch,
and every resolved option.`,
  configure(command: Command) {
    command
      .option('--peak <lr>', 'peak learning rate (e.g. 3e-4)')
      .option('--tokens <D>', 'training tokens (e.g. 7T)')
      .option('--warmup <f|D>', 'warm-up: a fraction (1%, the default) or tokens (20B)')
      .option('--decay <shape>', `decay shape: ${DECAY_SHAPES.join(', ')} (default cosine)`)
      .option('--decay-floor <f>', 'rate at the end of the decay, as a fraction of the peak (default 30%)')
      .option('--anneal <f>', 'annealing phase, a fraction of the tokens (default 5%)')
      .option('--anneal-factor <f>', 'final rate, as a fraction of the peak (default 0.1)')
      .option('--points <n>', 'evenly spaced points in the table, CSV or JSON (default 20), plus the phase boundaries')
      .option('--csv', 'print the points as CSV: tokens,[step,]phase,lr[,shared_lr,specialized_lr]')
      .option('--no-chart', 'leave out the terminal chart')
      .option('--batch <B>', 'tokens per optimizer step: the steps of each phase and point (per-expert rates too, with a noise scale)')
      .option('--noise <Bnoise>', 'per-expert: gradient noise scale in tokens')
      .option('--loss <L>', "per-expert: noise scale from Kaplan's Bcrit(L)")
      .option('--noise-from <file>', 'per-expert: noise scale fitted to runs (batch,steps,examples)')
      .option('--lr-max <ε>', 'per-expert: εmax of eq. 1 (sets the peaks instead of --peak)')
      .option('--experts <n>', 'per-expert: number of specialized experts')
      .option('--top-k <k>', 'per-expert: specialized experts per token (default 1)');
  },
  async run(options, _args, ctx) {
    if (ctx.json && options.csv) throw new MoeplanError('INVALID_INPUT', 'give --json or --csv, not both');
    const raw: Record<string, string | undefined> = {};
    for (const key of KEYS) raw[key] = options[key] as string | undefined;
    const noiseFrom = options.noiseFrom as string | undefined;
    if (noiseFrom !== undefined && noiseFrom.trim() === '') {
      throw new MoeplanError('INVALID_INPUT', '--noise-from: empty value', { field: '--noise-from', hint: 'give a runs file' });
    }
    await prepareFlags(raw, ['decay']);
    const fitted = noiseFrom !== undefined ? await fitRunsFile(noiseFrom, ctx) : undefined;
    const { result, schedule } = evaluateSchedule(raw, fitted);
    assertFiniteResult(result);
    if (ctx.json) ctx.emitJson('schedule', { ...result });
    else if (options.csv) ctx.out(toCsv(result));
    else ctx.out(render(result, schedule, ctx, options.chart !== false));
    return 0;
  },
};
