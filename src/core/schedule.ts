/**
 * The three-phase learning-rate schedule of Hunyuan-Large (§2.3.2): a warm-up to the peak,
 * a long gradual decay, and an annealing phase over the final 5% of the training tokens that
 * ends at one tenth of the peak.
 *
 * What the report does not specify, and what moeplan chose (all are options):
 * - warm-up length and shape: linear from 0 to the peak over the first 1% of the tokens;
 * - decay shape: cosine (also `linear` and `exponential`);
 * - where the decay ends: at 30% of the peak, when annealing starts. The report only says
 *   annealing "reduces" the rate to a tenth of the peak, so the decay must stop above that;
 *   30% (close to the 31.6% second step of DeepSeek LLM's multi-step schedule) keeps the
 *   annealing phase a real 3× drop;
 * - annealing shape: linear from the decay's end to the final rate.
 * The annealing fraction (5%) and the final factor (0.1) are the report's own numbers.
 *
 * The schedule is a function of tokens seen, so it does not depend on the batch size.
 * Phases meet without jumps: the warm-up ends at the peak where the decay starts, and the
 * decay ends at the floor where annealing starts.
 */
import { MoeplanError } from './errors.js';
import { message } from './messages.js';

export type DecayShape = 'cosine' | 'linear' | 'exponential';

export const DECAY_SHAPES: readonly DecayShape[] = ['cosine', 'linear', 'exponential'];

/**
 * The phases by name. `stable` stands in for `decay` when the decay floor is 1 (the rate
 * holds at the peak until annealing: a warm-up–stable–decay schedule); the name is the same
 * in text, CSV and JSON.
 */
export type SchedulePhase = 'warmup' | 'decay' | 'stable' | 'anneal';

/** Defaults, as documented in the module comment and `moeplan schedule --help`. */
export const SCHEDULE_DEFAULTS = {
  warmupFraction: 0.01,
  decay: 'cosine' as DecayShape,
  decayFloor: 0.3,
  annealFraction: 0.05,
  annealFactor: 0.1,
} as const;

export interface ScheduleOptions {
  /** Peak learning rate (reached at the end of the warm-up). */
  readonly peak: number;
  /** Total training tokens. */
  readonly totalTokens: number;
  /** Warm-up length as a fraction of the tokens (default 0.01); or give `warmupTokens`. */
  readonly warmupFraction?: number;
  /** Warm-up length in tokens (overrides `warmupFraction`). */
  readonly warmupTokens?: number;
  /** Decay shape (default cosine). */
  readonly decay?: DecayShape;
  /**
   * The rate at the end of the decay, as a fraction of the peak (default 0.3, or
   * `annealFactor` if that is larger). 1 keeps the rate at the peak until annealing
   * (a warm-up–stable–decay schedule). Must be positive for the exponential shape.
   */
  readonly decayFloor?: number;
  /** The annealing phase as a fraction of the tokens, in (0, 1) (default 0.05, as in the report). */
  readonly annealFraction?: number;
  /** The final rate as a fraction of the peak, in [0, 1] (default 0.1, as in the report). */
  readonly annealFactor?: number;
}

/** A resolved schedule: every option filled in, and where each phase starts and ends. */
export interface Schedule {
  readonly peak: number;
  readonly totalTokens: number;
  readonly decay: DecayShape;
  readonly decayFloor: number;
  readonly annealFraction: number;
  readonly annealFactor: number;
  /** Token count where the warm-up ends and the decay starts. */
  readonly warmupTokens: number;
  /** Token count where the decay ends and annealing starts. */
  readonly annealStartTokens: number;
  /** The phases in order, with their token range and the rates at both ends. */
  readonly phases: ReadonlyArray<{
    readonly phase: SchedulePhase;
    readonly startTokens: number;
    readonly endTokens: number;
    readonly startLr: number;
    readonly endLr: number;
  }>;
}

/**
 * Resolve and check a three-phase schedule (Hunyuan-Large §2.3.2).
 *
 * @example
 * const s = learningRateSchedule({ peak: 3e-4, totalTokens: 7e12 });
 * s.warmupTokens // 7e10 (1%)
 * s.annealStartTokens // 6.65e12 (the final 5% anneal)
 * @throws MoeplanError for options out of range (the message names the option).
 */
export function learningRateSchedule(options: ScheduleOptions): Schedule {
  const { peak, totalTokens } = options;
  positive('peak', peak);
  positive('totalTokens', totalTokens);
  const decay = options.decay ?? SCHEDULE_DEFAULTS.decay;
  if (!DECAY_SHAPES.includes(decay)) {
    throw new MoeplanError('INVALID_INPUT', message('input.not-one-of', { input: 'decay', value: decay, choices: DECAY_SHAPES }), { field: 'decay' });
  }
  const annealFraction = options.annealFraction ?? SCHEDULE_DEFAULTS.annealFraction;
  fraction('annealFraction', annealFraction, {});
  const annealFactor = options.annealFactor ?? SCHEDULE_DEFAULTS.annealFactor;
  fraction('annealFactor', annealFactor, { zero: true, one: true });
  const decayFloor = options.decayFloor ?? Math.max(SCHEDULE_DEFAULTS.decayFloor, annealFactor);
  fraction('decayFloor', decayFloor, { zero: decay !== 'exponential', one: true });
  if (decayFloor < annealFactor) {
    throw new MoeplanError('OUT_OF_RANGE', message('schedule.floor-below-anneal', { decayFloor, annealFactor }), {
      field: 'decayFloor',
      hint: message('schedule.floor-below-anneal.hint', {}),
    });
  }
  let warmupTokens: number;
  if (options.warmupTokens !== undefined) {
    if (!(Number.isFinite(options.warmupTokens) && options.warmupTokens >= 0)) {
      throw new MoeplanError('OUT_OF_RANGE', message('input.negative-tokens', { input: 'warmupTokens', value: options.warmupTokens }), {
        field: 'warmupTokens',
      });
    }
    warmupTokens = options.warmupTokens;
  } else {
    const warmupFraction = options.warmupFraction ?? SCHEDULE_DEFAULTS.warmupFraction;
    fraction('warmupFraction', warmupFraction, { zero: true });
    warmupTokens = warmupFraction * totalTokens;
  }
  const annealStartTokens = totalTokens * (1 - annealFraction);
  if (!(annealStartTokens < totalTokens)) {
    throw new MoeplanError('OUT_OF_RANGE', message('schedule.no-anneal-tokens', { annealFraction }), { field: 'annealFraction' });
  }
  if (!(warmupTokens < annealStartTokens)) {
    throw new MoeplanError('OUT_OF_RANGE', message('schedule.no-decay-tokens', { warmupTokens, totalTokens, annealFraction }), {
      field: 'warmupTokens',
      hint: message('schedule.no-decay-tokens.hint', {}),
    });
  }
  const floorLr = peak * decayFloor;
  const endLr = peak * annealFactor;
  return {
    peak,
    totalTokens,
    decay,
    decayFloor,
    annealFraction,
    annealFactor,
    warmupTokens,
    annealStartTokens,
    phases: [
      { phase: 'warmup', startTokens: 0, endTokens: warmupTokens, startLr: 0, endLr: peak },
      { phase: decayFloor === 1 ? 'stable' : 'decay', startTokens: warmupTokens, endTokens: annealStartTokens, startLr: peak, endLr: floorLr },
      { phase: 'anneal', startTokens: annealStartTokens, endTokens: totalTokens, startLr: floorLr, endLr },
    ],
  };
}

/** The phase a token count falls in (the boundary token belongs to the later phase). */
export function schedulePhase(schedule: Schedule, tokens: number): SchedulePhase {
  if (tokens < schedule.warmupTokens) return 'warmup';
  if (tokens < schedule.annealStartTokens) return schedule.decayFloor === 1 ? 'stable' : 'decay';
  return 'anneal';
}

/**
 * The learning rate after `tokens` training tokens.
 *
 * - warm-up, t < Tw: peak·t/Tw;
 * - decay, Tw ≤ t < Ta, with p = (t − Tw)/(Ta − Tw) and floor f = decayFloor:
 *   cosine peak·(f + (1 − f)·(1 + cos πp)/2), linear peak·(1 − (1 − f)·p),
 *   exponential peak·f^p;
 * - annealing, t ≥ Ta: linear from peak·f to peak·annealFactor at the last token.
 * Token counts outside [0, total] are clamped.
 *
 * @example
 * const s = learningRateSchedule({ peak: 3e-4, totalTokens: 7e12 });
 * learningRateAt(s, 7e10) // 3e-4 (end of warm-up)
 * learningRateAt(s, 7e12) // 3e-5 (one tenth of the peak)
 */
export function learningRateAt(schedule: Schedule, tokens: number): number {
  const { peak, warmupTokens, annealStartTokens, totalTokens, decayFloor, annealFactor } = schedule;
  const t = Math.min(Math.max(tokens, 0), totalTokens);
  if (t < warmupTokens) return (peak * t) / warmupTokens;
  if (t < annealStartTokens) {
    if (decayFloor === 1) return peak;
    const p = (t - warmupTokens) / (annealStartTokens - warmupTokens);
    switch (schedule.decay) {
      case 'cosine':
        return peak * (decayFloor + ((1 - decayFloor) * (1 + Math.cos(Math.PI * p))) / 2);
      case 'linear':
        return peak * (1 - (1 - decayFloor) * p);
      case 'exponential':
        return peak * decayFloor ** p;
    }
  }
  const q = (t - annealStartTokens) / (totalTokens - annealStartTokens);
  return peak * (decayFloor + (annealFactor - decayFloor) * q);
}

export interface SchedulePoint {
  readonly tokens: number;
  readonly lr: number;
  readonly phase: SchedulePhase;
}

/** The token counts where phases meet: 0, the end of warm-up, the start of annealing, the end. */
export function phaseBoundaries(schedule: Schedule): number[] {
  return [...new Set([0, schedule.warmupTokens, schedule.annealStartTokens, schedule.totalTokens])];
}

/**
 * The schedule at `points` evenly spaced token counts from 0 to the total, both included,
 * and at every phase boundary ({@link phaseBoundaries}) not already among them, in order:
 * a table or plot of the points shows the peak (end of warm-up), the rate where annealing
 * starts, and the final rate. So there are `points` to `points + 2` points.
 *
 * @example sampleSchedule(learningRateSchedule({ peak: 3e-4, totalTokens: 7e12 }), 20).length // 22
 */
export function sampleSchedule(schedule: Schedule, points: number): SchedulePoint[] {
  if (!(Number.isInteger(points) && points >= 2)) {
    throw new MoeplanError('OUT_OF_RANGE', message('input.not-whole-at-least', { input: 'points', value: points, min: 2 }), { field: 'points' });
  }
  const at = new Set<number>(phaseBoundaries(schedule));
  for (let i = 0; i < points; i++) at.add(i === points - 1 ? schedule.totalTokens : (schedule.totalTokens * i) / (points - 1));
  return [...at].sort((a, b) => a - b).map((tokens) => ({ tokens, lr: learningRateAt(schedule, tokens), phase: schedulePhase(schedule, tokens) }));
}

function positive(key: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new MoeplanError('OUT_OF_RANGE', message('input.not-positive', { input: key, value }), { field: key });
  }
}

function fraction(key: string, value: number, allow: { zero?: boolean; one?: boolean }): void {
  const ok = Number.isFinite(value) && (allow.zero ? value >= 0 : value > 0) && (allow.one ? value <= 1 : value < 1);
  if (!ok) {
    throw new MoeplanError('OUT_OF_RANGE', message('input.not-fraction', { input: key, value, zero: allow.zero === true, one: allow.one === true }), {
      field: key,
    });
  }
}
