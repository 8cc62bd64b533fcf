/**
 * `moeplan optimal`: the compute-optimal model size Nopt and token count Dopt for a budget
 * under one law or all presets side by side, what they cost under the law's own compute
 * model, the closure ratio, and whether the budget is extrapolation; and the inverse (the
 * budget at which a given size or token count is optimal).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  type OptimalAllocation,
  allocationBudgetKind,
  allocationNumbers,
  closedFormAllocation,
  cminForParams,
  cminForTokens,
  optimalAllocation,
} from '../../core/allocation.js';
import { tokensAtBatch } from '../../core/batch-tokens.js';
import { trainingFlops } from '../../core/compute.js';
import { criticalBatchFromLoss, lossCriticalBatchConstants, flopsForMinimumCompute, minimumCompute, minimumSteps } from '../../core/critical-batch.js';
import { MoeplanError } from '../../core/errors.js';
import { paramsForLaw } from '../../core/law-params.js';
import { DEFAULT_LAW, type Law, PRESETS } from '../../core/laws/index.js';
import { ACCELERATORS } from '../../core/hardware.js';
import { type LossVariable, type OptimumOptions, lossVariables } from '../../core/loss.js';
import { money, sci, si, trimNumber } from '../../io/format.js';
import { resolveLaw } from '../../io/law-file.js';
import type { Message, MessageCode } from '../../core/messages.js';
import { renderMessage } from '../../messages/index.js';
import type { BatchSpec, RowKernel } from '../batch.js';
import type { CommandDefinition } from '../command.js';
import { readConfigOption, STRICT_CONFIG_HELP } from '../architecture-compute.js';
import { type Context, type FieldName, type RawInputs, flagName, prepareFlags, quantity } from '../context.js';
import { HARDWARE_BUDGET_KEYS, HARDWARE_KEYS, type HardwareBudgetKey, hardwareInputs, hardwareTime, readHardware, readHardwareBudget } from '../hardware.js';
import { assertFiniteResult, finiteResult, nonFiniteField, representable } from '../numeric.js';
import { type Row, renderRows, renderTable } from '../render.js';
import { rowInputs } from '../row-inputs.js';
import { type LawsChart, curveLabel, lawsChart, renderLawsChart } from '../laws-chart.js';
import { LOSS_VARIABLE_TEXT, PARAMS_MEANING_LABEL } from '../loss-text.js';
import { describeAllocation, describeCompute } from '../law-text.js';

/**
 * What to train at the real batch B, for a law of Cmin when B and Bcrit are known
 * (Kaplan 2020 §5.1; see core/batch-tokens.ts): N = Nopt, D(B) = Dopt·(1 + B/Bcrit).
 */
export interface RealBatch {
  readonly batch: number;
  readonly bcrit: number;
  /** B / Bcrit. */
  readonly batchOverCritical: number;
  /** D(B) = Dopt·(1 + B/Bcrit): the tokens that reach the loss of (Nopt, Dopt) at batch B. */
  readonly tokens: number;
  /** D(B) / Dopt = 1 + B/Bcrit. */
  readonly tokensOverOptimal: number;
  /** C(Nopt, D(B)) under the law's compute model, FLOPs. */
  readonly flops: number;
  /** flops / budgetFlops, where budgetFlops = Cmin·(1 + B/Bcrit): equal to the closure. */
  readonly flopsOverBudget: number;
  /** Optimiser steps S = D(B)/B. */
  readonly steps: number;
  /** Smin = S / (1 + Bcrit/B) (Kaplan eq. 5.4). */
  readonly minSteps: number;
}

/**
 * One law's answer, as printed in JSON. `flops` is the compute of the training run: at the
 * real batch when it is known (`realBatch.flops`), else that of (Nopt, Dopt);
 * `allocationFlops` is always C(Nopt, Dopt).
 */
export interface OptimalLawResult extends Omit<OptimalAllocation, 'notes'> {
  /** The allocation's remarks in words, then the command's own. */
  readonly notes: readonly string[];
  /**
   * The allocation's remarks as messages, in the order of the first `notes`: the text
   * output picks them by `code`. Not written in --json (see {@link lawJson}).
   */
  readonly messages: readonly Message[];
  readonly title: string;
  readonly source: string;
  /** C(Nopt, Dopt) under the law's compute model, FLOPs: the allocation's own compute. */
  readonly allocationFlops: number;
  /** The budget at the batch, C = Cmin·(1 + B/Bcrit), when batch and Bcrit are known. */
  readonly budgetFlops?: number;
  /** What to train at the real batch (laws of Cmin, with batch and Bcrit). */
  readonly realBatch?: RealBatch;
  /** Hardware time and cost of the training run (`flops`), when an accelerator is given. */
  readonly gpuHours?: number;
  readonly days?: number;
  readonly cost?: number;
}

export interface OptimalResult {
  /** What was asked: an allocation for a budget, or the budget for a size or token count. */
  readonly solved: 'allocation' | 'budget-for-params' | 'budget-for-tokens';
  readonly inputs: Readonly<Record<string, number | string>>;
  /** The hardware budget that gave C (`--days`, `--gpu-hours`, `--cost`), when one did. */
  readonly computeFrom?: HardwareBudgetKey;
  /** The compute C that hardware budget buys, FLOPs. */
  readonly hardwareFlops?: number;
  /** Critical batch in tokens, when given (`--bcrit`) or derived from `--loss`. */
  readonly bcrit?: number;
  readonly laws: readonly OptimalLawResult[];
}

const KEYS = [
  'cmin',
  'flops',
  'batch',
  'bcrit',
  'loss',
  'bStar',
  'alphaB',
  'params',
  'tokens',
  'granularity',
  'experts',
  'maxTotalParams',
  ...HARDWARE_KEYS,
  ...HARDWARE_BUDGET_KEYS,
] as const;

/** The MoE variables a law takes (none for a law without a loss model). */
function variablesOf(law: Law): readonly LossVariable[] {
  return law.loss ? lossVariables(law.loss) : [];
}

/**
 * The MoE options of the flags or a row, per law: `--granularity` and `--experts` for the
 * laws that take them, `--max-total-params` for the laws with an expert count. Given for a
 * single law that has no use for it: an error naming the flag.
 */
function moeOptions(raw: RawInputs, name: FieldName, laws: readonly Law[]): { forLaw: (law: Law) => OptimumOptions; inputs: Record<string, number> } {
  const granularity = quantity(raw, 'granularity', name, { describe: 'a granularity G ≥ 1 (d_ff / d_expert)' });
  const experts = quantity(raw, 'experts', name, { describe: 'a number of experts, at least 1' });
  const maxTotalParams = quantity(raw, 'maxTotalParams', name);
  if (granularity !== undefined && granularity < 1)
    throw new MoeplanError('INVALID_INPUT', `${name('granularity')}: must be at least 1 (G = 1 is a standard MoE), got ${granularity}`, {
      field: name('granularity'),
    });
  if (experts !== undefined && experts < 1)
    throw new MoeplanError('INVALID_INPUT', `${name('experts')}: must be at least 1 (E = 1 is dense), got ${experts}`, { field: name('experts') });
  if (experts !== undefined && maxTotalParams !== undefined) {
    throw new MoeplanError('INVALID_INPUT', `give ${name('experts')} or ${name('maxTotalParams')}, not both: under a memory budget the expert count is chosen`);
  }
  const given: [LossVariable | 'experts', string, number | undefined][] = [
    ['granularity', 'granularity', granularity],
    ['experts', 'experts', experts],
    ['experts', 'maxTotalParams', maxTotalParams],
  ];
  for (const [variable, key, value] of given) {
    if (value === undefined || laws.some((law) => variablesOf(law).includes(variable))) continue;
    const takers = Object.values(PRESETS)
      .filter((law) => variablesOf(law).includes(variable))
      .map((law) => law.name);
    throw new MoeplanError('INVALID_INPUT', `${name(key)} applies only to a law with ${LOSS_VARIABLE_TEXT[variable].what} (${takers.join(', ')})`, {
      field: name(key),
    });
  }
  const inputs: Record<string, number> = {
    ...(granularity !== undefined ? { granularity } : {}),
    ...(experts !== undefined ? { experts } : {}),
    ...(maxTotalParams !== undefined ? { maxTotalParams } : {}),
  };
  return {
    inputs,
    forLaw: (law) => {
      const takes = variablesOf(law);
      return {
        ...(granularity !== undefined && takes.includes('granularity') ? { granularity } : {}),
        ...(experts !== undefined && takes.includes('experts') ? { experts } : {}),
        ...(maxTotalParams !== undefined && takes.includes('experts') ? { maxTotalParams } : {}),
      };
    },
  };
}

/** The presets `--law all` compares: every preset with an allocation (not `dense`). */
export function allocationPresets(): Law[] {
  return Object.values(PRESETS).filter((law) => law.allocation !== undefined);
}

/**
 * Evaluate one question for the given laws (flags or one batch row). `paramsFor`, when a
 * model config stands in for `params`, gives each law the count in its own convention
 * ({@link paramsForLaw}): activated parameters, or non-embedding ones (Kaplan; DeepSeek's M/6 as well).
 */
export function evaluateOptimal(raw: RawInputs, name: FieldName, laws: readonly Law[], paramsFor?: (law: Law) => number): OptimalResult {
  const hardware = readHardware(raw, name);
  const fromHardware = readHardwareBudget(raw, name, hardware);
  const cminIn = quantity(raw, 'cmin', name);
  let flopsIn = quantity(raw, 'flops', name);
  const paramsIn = quantity(raw, 'params', name);
  const tokensIn = quantity(raw, 'tokens', name);
  const batch = quantity(raw, 'batch', name);
  const bcritIn = quantity(raw, 'bcrit', name);
  const loss = quantity(raw, 'loss', name, { describe: 'a loss in nats per token, greater than 0' });
  const bStarIn = quantity(raw, 'bStar', name);
  const alphaBIn = quantity(raw, 'alphaB', name);
  const asked: string[] = (['cmin', 'flops', 'params', 'tokens'] as const).filter((k) => raw[k] !== undefined && raw[k] !== null && raw[k] !== '');
  if (fromHardware) asked.push(fromHardware.given);
  if (asked.length !== 1) {
    throw new MoeplanError(
      'MISSING_INPUT',
      asked.length === 0
        ? `give one of ${name('cmin')}, ${name('flops')} or a hardware budget (${name('days')}, ${name('gpuHours')}, ${name('cost')}; with ${name('batch')} and ${name('bcrit')} or ${name('loss')}), ${name('params')} or ${name('tokens')}`
        : `give only one of ${asked.map(name).join(', ')}: drop ${asked.length === 2 ? 'one' : 'all but one'}`,
      { hint: 'e.g. moeplan optimal --cmin 3.1e24, or moeplan optimal --params 52B (the inverse)' },
    );
  }
  const moe = moeOptions(raw, name, laws);
  const inputs: Record<string, number | string> = { ...moe.inputs };
  if (fromHardware) flopsIn = fromHardware.flops;

  // The critical batch, when batch-size information is given.
  if (bcritIn !== undefined && loss !== undefined) throw new MoeplanError('INVALID_INPUT', `give ${name('bcrit')} or ${name('loss')}, not both`);
  if ((bStarIn !== undefined || alphaBIn !== undefined) && loss === undefined) {
    throw new MoeplanError('INVALID_INPUT', `${name(bStarIn !== undefined ? 'bStar' : 'alphaB')} only applies with ${name('loss')}`);
  }
  let bcrit = bcritIn;
  if (loss !== undefined) {
    // One law with its own Bcrit(L) constants: use them; otherwise Kaplan's eq. 1.4.
    const own = lossCriticalBatchConstants(laws.length === 1 ? laws[0] : undefined);
    const bStar = bStarIn ?? own.bStar;
    const alphaB = alphaBIn ?? own.alphaB;
    bcrit = finiteResult(criticalBatchFromLoss(loss, { bStar, alphaB }), 'the critical batch Bcrit(L)');
    Object.assign(inputs, { loss, ...(bStarIn !== undefined ? { bStar } : {}), ...(alphaBIn !== undefined ? { alphaB } : {}) });
  } else if (bcritIn !== undefined) {
    inputs.bcrit = bcritIn;
  }
  if (batch !== undefined) inputs.batch = batch;
  if ((batch === undefined) !== (bcrit === undefined)) {
    throw new MoeplanError(
      'MISSING_INPUT',
      batch === undefined
        ? `${name(loss !== undefined ? 'loss' : 'bcrit')} needs ${name('batch')} (tokens per step)`
        : `${name('batch')} needs ${name('bcrit')} or ${name('loss')}`,
      { hint: 'Cmin = C / (1 + B/Bcrit) needs both the batch B and the critical batch Bcrit' },
    );
  }
  if (hardware) Object.assign(inputs, hardwareInputs(hardware, fromHardware));
  const withMeta = (law: Law, allocation: OptimalAllocation, extraNotes: string[] = []): OptimalLawResult => {
    const budgetFlops = batch !== undefined && bcrit !== undefined ? flopsForMinimumCompute(allocation.cmin, batch, bcrit) : undefined;
    const realBatch = batch !== undefined && bcrit !== undefined && allocation.budgetKind === 'cmin' ? atBatch(law, allocation, batch, bcrit) : undefined;
    const flops = realBatch?.flops ?? allocation.flops;
    return {
      ...allocation,
      notes: [...allocation.notes.map((note) => renderMessage(note, flagName)), ...extraNotes],
      messages: allocation.notes,
      title: law.title,
      source: law.source,
      flops,
      allocationFlops: allocation.flops,
      ...(budgetFlops !== undefined ? { budgetFlops } : {}),
      ...(realBatch ? { realBatch } : {}),
      ...(hardware ? hardwareTime(flops, hardware) : {}),
    };
  };

  if (cminIn !== undefined || flopsIn !== undefined) {
    let cmin: number;
    let flops: number | undefined;
    const extraNotes: string[] = [];
    if (cminIn !== undefined) {
      cmin = cminIn;
      inputs.cmin = cmin;
    } else {
      flops = flopsIn as number;
      if (!fromHardware) inputs.flops = flops;
      if (batch !== undefined && bcrit !== undefined) {
        cmin = minimumCompute(flops, batch, bcrit);
      } else {
        cmin = flops;
        extraNotes.push('no --batch and --bcrit/--loss: Cmin taken equal to C (true only for a batch far below critical)');
      }
    }
    return {
      solved: 'allocation',
      inputs,
      ...(fromHardware ? { computeFrom: fromHardware.given, hardwareFlops: fromHardware.flops } : {}),
      ...(bcrit !== undefined ? { bcrit } : {}),
      laws: laws.map((law) => {
        const notes = allocationBudgetKind(law) === 'cmin' ? extraNotes : [];
        const options = { ...(flops !== undefined ? { flops } : {}), ...moe.forLaw(law) };
        const allocation = optimalAllocation(law, cmin, options);
        return withMeta(law, allocation, [...notes, ...expertNotes(law, allocation, (experts) => lossWithExperts(law, cmin, { ...options, experts }))]);
      }),
    };
  }

  // Inverse: the budget at which a size (or token count) is optimal, and the other half.
  const byParams = paramsIn !== undefined;
  const target = (byParams ? paramsIn : tokensIn) as number;
  inputs[byParams ? 'params' : 'tokens'] = target;
  return {
    solved: byParams ? 'budget-for-params' : 'budget-for-tokens',
    inputs,
    ...(bcrit !== undefined ? { bcrit } : {}),
    laws: laws.map((law) => {
      const meaning = law.compute.paramsMeaning ?? 'activated';
      const lawTarget = byParams && paramsFor ? paramsFor(law) : target;
      const options = moe.forLaw(law);
      const budget = byParams ? cminForParams(law, lawTarget, options) : cminForTokens(law, lawTarget, options);
      const raw = allocationBudgetKind(law) === 'flops';
      const allocation = optimalAllocation(law, budget, { ...(raw ? { flops: budget } : {}), ...options });
      // Report the size or token count asked for exactly, not its round trip.
      const counted =
        meaning === 'total-non-embedding'
          ? `${sci(lawTarget, 4)} total non-embedding parameters (every expert), not the ${sci(target, 4)} activated`
          : `${sci(lawTarget, 4)} ${meaning === 'non-embedding' ? 'non-embedding' : 'non-embedding (for M/6)'} activated parameters, not all ${sci(target, 4)}`;
      const configNote = byParams && paramsFor && meaning !== 'activated' ? [`N from the config: its ${counted}`] : [];
      return withMeta(law, { ...allocation, ...(byParams ? { params: lawTarget } : { tokens: lawTarget }) }, configNote);
    }),
  };
}

/**
 * For a law with an expert count and no memory budget: more experts keep lowering the
 * loss at a fixed compute within the fitted range, so the choice is the range's edge.
 */
/** The optimal loss with another expert count, for a note: undefined where there is none (the note then leaves it out). */
function lossWithExperts(law: Law, cmin: number, options: OptimumOptions & { flops?: number }): number | undefined {
  try {
    const loss = optimalAllocation(law, cmin, options).loss;
    return loss !== undefined && Number.isFinite(loss) ? loss : undefined;
  } catch (error) {
    if (error instanceof MoeplanError) return undefined;
    throw error;
  }
}

function expertNotes(law: Law, r: OptimalAllocation, lossWith: (experts: number) => number | undefined): string[] {
  const m = r.moe;
  if (!m || m.experts === undefined || m.chosen === 'memory') return [];
  const high = law.fittedRange?.experts?.[1];
  if (high === undefined) return [];
  const atEdge = lossWith(high);
  const atOne = lossWith(1);
  const losses = atEdge !== undefined && atOne !== undefined ? ` (loss ${trimNumber(atOne, 4)} at E = 1, ${trimNumber(atEdge, 4)} at E = ${high})` : '';
  return [
    `more experts keep helping at this budget within the fitted range E ≤ ${high}${losses}; only a memory budget (--max-total-params) makes a smaller E optimal`,
  ];
}

/** Default budget range of `--plot`, FLOPs. */
const PLOT_RANGE: readonly [number, number] = [1e18, 1e26];

/**
 * Draw Nopt(C) and Dopt(C) of `laws` from `--from` to `--to` (widened to take in the
 * user's budget when the range is not given), write the SVG atomically, and return the
 * chart for the terminal.
 */
async function writeLawsChart(
  plot: string,
  laws: readonly Law[],
  range: { from?: string; to?: string },
  raw: RawInputs,
  budget: number | undefined,
  ctx: Context,
): Promise<LawsChart> {
  const fromIn = quantity(range, 'from', flagName);
  const toIn = quantity(range, 'to', flagName);
  const from = fromIn ?? Math.min(PLOT_RANGE[0], toIn !== undefined ? toIn / 1e4 : PLOT_RANGE[0], budget !== undefined ? budget / 10 : PLOT_RANGE[0]);
  const to = toIn ?? Math.max(PLOT_RANGE[1], fromIn !== undefined ? fromIn * 1e4 : PLOT_RANGE[1], budget !== undefined ? budget * 10 : PLOT_RANGE[1]);
  if (!(to > from)) throw new MoeplanError('INVALID_INPUT', `--to ${sci(to)} must be above --from ${sci(from)}`, { field: '--to' });
  const moe = moeOptions(raw, flagName, laws);
  const chart = lawsChart(laws, from, to, moe.forLaw, budget);
  const { renderLawsSvg, writeFileAtomic } = await import('../../io/plot-laws-svg.js');
  const svg = await renderLawsSvg(
    { ...chart, curves: chart.curves.map((c) => ({ label: curveLabel(c), points: c.points })) },
    'Compute-optimal allocation by law',
  );
  const path = resolve(ctx.io.cwd, plot);
  try {
    await writeFileAtomic(path, svg);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new MoeplanError('CANNOT_WRITE', `--plot: cannot write ${plot} (${code})`, {
      field: '--plot',
      hint: 'check that the directory exists and is writable',
    });
  }
  return chart;
}

/** The numbers of {@link RealBatch} (no checks), filled by {@link realBatchNumbers}; batch rows reuse one. */
interface RealBatchNumbers {
  batchOverCritical: number;
  tokens: number;
  flops: number;
  steps: number;
  minSteps: number;
  flopsOverBudget: number;
}

/**
 * N = Nopt and D(B) = Dopt·(1 + B/Bcrit) at the real batch, their compute C(Nopt, D(B)),
 * the steps D/B and Smin, and C over the budget Cmin·(1 + B/Bcrit): numbers only, into `out`.
 */
function realBatchNumbers(
  law: Law,
  params: number,
  optimalTokens: number,
  cmin: number,
  batch: number,
  bcrit: number,
  out: RealBatchNumbers,
): RealBatchNumbers {
  out.batchOverCritical = batch / bcrit;
  out.tokens = tokensAtBatch(optimalTokens, batch, bcrit);
  out.flops = trainingFlops(params, out.tokens, law.compute);
  out.steps = out.tokens / batch;
  out.minSteps = minimumSteps(out.steps, batch, bcrit);
  out.flopsOverBudget = out.flops / flopsForMinimumCompute(cmin, batch, bcrit);
  return out;
}

/** {@link realBatchNumbers} checked, each value that does not fit an error naming it. */
function atBatch(law: Law, allocation: OptimalAllocation, batch: number, bcrit: number): RealBatch {
  const n = realBatchNumbers(law, allocation.params, allocation.tokens, allocation.cmin, batch, bcrit, emptyRealBatch());
  const apart = 'B and Bcrit are too far apart in magnitude; check their units and exponents';
  const batchOverCritical = finiteResult(n.batchOverCritical, 'B / Bcrit', apart);
  const tokens = finiteResult(n.tokens, 'the tokens at the batch D(B)');
  const flops = finiteResult(n.flops, 'the compute at the batch C(Nopt, D(B))');
  const steps = finiteResult(n.steps, 'the steps S = D/B', 'D and B are too far apart in magnitude; check their units and exponents');
  return {
    batch,
    bcrit,
    batchOverCritical,
    tokens,
    tokensOverOptimal: 1 + batchOverCritical,
    flops,
    flopsOverBudget: n.flopsOverBudget,
    steps,
    minSteps: finiteResult(n.minSteps, 'the minimum steps Smin', apart),
  };
}

function emptyRealBatch(): RealBatchNumbers {
  return { batchOverCritical: 0, tokens: 0, flops: 0, steps: 0, minSteps: 0, flopsOverBudget: 0 };
}

const PARAMS_LABEL = PARAMS_MEANING_LABEL;

/** The allocation's notes that the text output says in its rows instead. */
const SAID_IN_ROWS: ReadonlySet<MessageCode> = new Set<MessageCode>(['allocation.extrapolation']);

/** One law's answer for --json: everything but the messages, which `notes` words. */
function lawJson(r: OptimalLawResult): Omit<OptimalLawResult, 'messages'> {
  const { messages: _, ...rest } = r;
  return rest;
}

/** Rows of the MoE side of an optimum: G or E and how it was chosen, the other parameter count, the loss. */
function moeRows(r: OptimalLawResult, law: Law): Row[] {
  const rows: Row[] = [];
  const m = r.moe;
  if (m) {
    const how = m.chosen === 'memory' ? 'chosen: lowest loss within the memory budget' : m.chosen === 'free' ? 'chosen: lowest loss' : 'given';
    const range = (key: 'granularity' | 'experts') => law.fittedRange?.[key];
    if (m.granularity !== undefined) {
      const fitted = range('granularity');
      const outside = fitted && (m.granularity < fitted[0] || m.granularity > fitted[1]) ? `; outside the fitted G ${fitted[0]}–${fitted[1]}` : '';
      rows.push({
        label: 'Granularity G',
        value: trimNumber(m.granularity, 4),
        unit: '',
        strong: m.chosen !== undefined,
        note: `${how}${m.chosen ? ' over powers of two' : ''}${outside}`,
      });
    }
    if (m.experts !== undefined) {
      rows.push({
        label: 'Experts E',
        value: trimNumber(m.experts, 4),
        unit: '',
        strong: m.chosen !== undefined,
        note: `${how}${m.chosen ? ' over the fitted range' : ''}`,
      });
    }
    if (r.paramsMeaning === 'total-non-embedding') {
      rows.push({ label: 'Activated params', value: si(m.activatedParams), unit: 'params', note: 'non-embedding, N_act = 12·N/(8E + 4)' });
    } else {
      rows.push({
        label: 'Total params',
        value: si(m.totalParams),
        unit: 'params',
        note: m.totalApproximate ? '≈ N_act·(4 + 9E)/13 (embeddings not replicated, left out)' : '',
      });
    }
    if (m.memoryBound !== undefined) {
      rows.push({
        label: 'Memory budget',
        value: m.memoryBound ? 'binding' : 'not binding',
        unit: '',
        note: m.memoryBound ? 'N set by the total-parameter budget, not the compute' : 'the compute-optimal size fits',
      });
    }
  }
  if (r.loss !== undefined) rows.push({ label: 'Predicted loss', value: trimNumber(r.loss, 5), unit: 'nats', note: "the law's loss at Nopt, Dopt" });
  return rows;
}

function renderOne(result: OptimalResult, law: Law, r: OptimalLawResult, ctx: Context): string {
  const symbol = r.budgetKind === 'cmin' ? 'Cmin' : 'C';
  const rows: Row[] = [];
  const inputs = result.inputs as Readonly<Record<string, number>>;
  const hardware = hardwareRows(result, r);
  const givenFlops = result.computeFrom !== undefined ? (r.budgetKind === 'flops' ? r.budget : r.budgetFlops) : inputs.flops;
  const flopsIsBudget = r.budgetKind === 'flops' && givenFlops === r.budget && result.computeFrom === undefined;
  if (hardware.accelerators) rows.push(hardware.accelerators);
  if (result.computeFrom !== undefined) {
    const given = hardware.given as Row;
    rows.push(given, {
      label: 'Compute C',
      value: sci(givenFlops ?? r.budget),
      unit: 'FLOPs',
      strong: true,
      note: `the budget: peak · MFU · GPU-seconds${r.budgetKind === 'flops' ? " (this law's budget)" : ''}`,
    });
  } else if (inputs.flops !== undefined && !flopsIsBudget) rows.push({ label: 'Compute C', value: sci(inputs.flops), unit: 'FLOPs', note: 'given' });
  if (inputs.batch !== undefined && result.bcrit !== undefined) {
    rows.push(
      { label: 'Batch B', value: si(inputs.batch), unit: 'tokens', note: 'per optimiser step' },
      {
        label: 'Critical batch Bcrit',
        value: si(result.bcrit),
        unit: 'tokens',
        note: inputs.loss !== undefined ? `B* / L^(1/αB) at L = ${inputs.loss}` : 'given',
      },
    );
  }
  const budgetGiven = result.solved === 'allocation';
  rows.push({
    label: r.budgetKind === 'cmin' ? 'Minimum compute Cmin' : 'Compute C',
    value: sci(r.budget),
    unit: 'FLOPs',
    strong: !budgetGiven,
    note: budgetGiven
      ? inputs.cmin !== undefined
        ? r.budgetKind === 'cmin'
          ? 'given'
          : 'given as Cmin, used as C (the law is one of raw compute)'
        : r.budgetKind === 'cmin'
          ? result.bcrit !== undefined
            ? 'C / (1 + B/Bcrit)'
            : 'taken equal to C (no --batch/--bcrit)'
          : 'given'
      : `solved: ${symbol} at which this ${result.solved === 'budget-for-params' ? 'size' : 'token count'} is optimal`,
  });
  const allocationText = describeAllocation(law).split(', ');
  if (r.native) {
    rows.push({ label: `Optimal ${r.native.quantity.split(' ')[0]}`, value: sci(r.native.value, 4), unit: 'FLOPs/token', note: allocationText[0] });
  }
  rows.push(
    {
      label: 'Optimal params Nopt',
      value: si(r.params),
      unit: 'params',
      strong: result.solved !== 'budget-for-params',
      note:
        result.solved === 'budget-for-params'
          ? `given (${PARAMS_LABEL[r.paramsMeaning]})`
          : `${PARAMS_LABEL[r.paramsMeaning]}${r.native ? '' : `; ${allocationText[0]}`}`,
    },
    {
      label: 'Optimal tokens Dopt',
      value: si(r.tokens),
      unit: 'tokens',
      strong: result.solved !== 'budget-for-tokens',
      note: result.solved === 'budget-for-tokens' ? 'given' : (allocationText[1] ?? ''),
    },
    { label: 'Tokens per param', value: trimNumber(r.tokensPerParam, 4), unit: 'D/N' },
    ...moeRows(r, law),
    {
      label: 'Compute of Nopt, Dopt',
      value: sci(r.allocationFlops),
      unit: 'FLOPs',
      note: law.loss?.kind === 'fine-grained-moe' && law.loss.flops ? "the law's FLOPs model (router included)" : describeCompute(law),
    },
    { label: `Closure C(N,D) / ${symbol}`, value: trimNumber(r.closure, 4), unit: '', note: '1 = the allocation and the compute model agree' },
  );
  const rb = r.realBatch;
  if (rb) {
    rows.push(
      {
        label: 'Tokens at your batch D',
        value: si(rb.tokens),
        unit: 'tokens',
        strong: true,
        note: `Dopt·(1 + B/Bcrit) = ${trimNumber(rb.tokensOverOptimal, 4)} × Dopt, same loss (Kaplan §5.1)`,
      },
      { label: 'Steps S = D/B', value: si(rb.steps), unit: 'steps', note: `Smin = ${si(rb.minSteps)} (S / (1 + Bcrit/B))` },
      { label: 'Compute of the run', value: sci(rb.flops), unit: 'FLOPs', strong: true, note: `C(Nopt, D) by ${describeCompute(law)}` },
    );
  } else if (r.budgetFlops !== undefined && r.budgetKind === 'cmin') {
    rows.push({ label: 'Compute at your batch', value: sci(r.budgetFlops), unit: 'FLOPs', note: 'C = Cmin·(1 + B/Bcrit)' });
  }
  rows.push(...hardware.time);
  if (r.fittedRange) {
    rows.push({
      label: 'Fitted range',
      value: `${sci(r.fittedRange[0], 3)}–${sci(r.fittedRange[1], 3)}`,
      unit: 'FLOPs',
      note: `${symbol}${r.extrapolation ? '; this budget is outside it: extrapolation' : '; this budget is inside it'}`,
    });
  }
  const unit = law.allocation?.kind === 'power' && law.allocation.budgetUnitName ? ` in ${law.allocation.budgetUnitName}` : '';
  const title = `Compute-optimal allocation · law ${law.name}: ${law.title} (budget: ${symbol}${unit})`;
  // The extrapolation is on the "Fitted range" row: not repeated as a note.
  const shown = r.notes.filter((_, i) => {
    const code = r.messages[i]?.code;
    return code === undefined || !SAID_IN_ROWS.has(code);
  });
  const notes = shown.map((n) => `  ${ctx.chalk.dim(`· ${n}`)}`);
  const relation = rb ? `  ${twoBudgets(r, rb)}\n` : '';
  return `${renderRows(rows, ctx.chalk, title)}${relation}${notes.length ? `${notes.join('\n')}\n` : ''}`;
}

/** One line relating the allocation's compute to the compute of the run at the real batch. */
function twoBudgets(r: OptimalLawResult, rb: RealBatch): string {
  const budget = r.budgetFlops as number;
  return (
    `At B = ${si(rb.batch)} the same loss takes ${trimNumber(rb.tokensOverOptimal, 4)} × the tokens and compute of (Nopt, Dopt), which is a run far below ` +
    `critical batch (${sci(r.allocationFlops, 4)} FLOPs): ${sci(rb.flops, 4)} FLOPs, ${trimNumber(rb.flopsOverBudget, 4)} × the budget C = ${sci(budget, 4)} (the closure).`
  );
}

/** The accelerator row, the hardware budget given, and the time and cost of the run. */
function hardwareRows(result: OptimalResult, r: OptimalLawResult): { accelerators?: Row; given?: Row; time: Row[] } {
  const inputs = result.inputs;
  if (inputs.peakFlops === undefined) return { time: [] };
  const gpu = typeof inputs.gpu === 'string' ? inputs.gpu : undefined;
  const gpus = inputs.gpus as number | undefined;
  const accelerators: Row = {
    label: 'Accelerators',
    value: `${gpus ?? 1} ×`,
    unit: gpu ? gpu.toUpperCase() : 'GPU',
    note: `${gpu ? (ACCELERATORS[gpu]?.name ?? gpu) : 'custom accelerator'}, ${si((inputs.peakFlops as number) / 1e12, 4)} TFLOP/s peak, ${trimNumber((inputs.mfu as number) * 100, 3)}% MFU`,
  };
  const from = result.computeFrom;
  const given: Row | undefined =
    from === 'days'
      ? { label: 'Wall clock', value: trimNumber(inputs.days as number, 4), unit: 'days', note: 'given' }
      : from === 'gpuHours'
        ? { label: 'GPU-hours', value: si(inputs.gpuHours as number), unit: 'GPU-h', note: 'given' }
        : from === 'cost'
          ? { label: 'Cost', value: money(inputs.cost as number), note: `given, at $${inputs.price}/GPU-h` }
          : undefined;
  const what = r.realBatch ? 'the run at your batch' : 'Nopt, Dopt';
  const time: Row[] = [];
  if (r.gpuHours !== undefined) time.push({ label: 'GPU-hours of the run', value: si(r.gpuHours), unit: 'GPU-h', note: what });
  if (r.days !== undefined) time.push({ label: 'Wall clock of the run', value: trimNumber(r.days, 4), unit: 'days', strong: true, note: what });
  if (r.cost !== undefined) time.push({ label: 'Cost of the run', value: money(r.cost), note: `${what}, at $${inputs.price}/GPU-h` });
  return { accelerators, ...(given ? { given } : {}), time };
}

function renderAll(result: OptimalResult, ctx: Context, all = true): string {
  const withMoe = result.laws.some((r) => r.moe);
  const withLoss = result.laws.some((r) => r.loss !== undefined);
  const withBatch = result.laws.some((r) => r.realBatch !== undefined);
  const header = [
    'law',
    'budget (FLOPs)',
    'Nopt',
    'Dopt',
    ...(withBatch ? ['D at B'] : []),
    'D/N',
    ...(withMoe ? ['MoE'] : []),
    ...(withLoss ? ['loss'] : []),
    'C(Nopt,Dopt)',
    'closure',
    'fitted range',
  ];
  const body = result.laws.map((r) => {
    const mark =
      r.paramsMeaning === 'non-embedding' ? ' ¹' : r.paramsMeaning === 'flops-per-token' ? ' ²' : r.paramsMeaning === 'total-non-embedding' ? ' ³' : '';
    const moe = r.moe
      ? [r.moe.granularity !== undefined ? `G ${r.moe.granularity}` : '', r.moe.experts !== undefined ? `E ${r.moe.experts}` : ''].filter(Boolean).join(' ')
      : '';
    return [
      r.law,
      `${r.budgetKind === 'cmin' ? 'Cmin' : 'C   '} ${sci(r.budget, 4)}`,
      `${si(r.params)}${mark}`,
      si(r.tokens),
      ...(withBatch ? [r.realBatch ? si(r.realBatch.tokens) : '–'] : []),
      trimNumber(r.tokensPerParam, 3),
      ...(withMoe ? [moe] : []),
      ...(withLoss ? [r.loss !== undefined ? trimNumber(r.loss, 4) : ''] : []),
      sci(r.allocationFlops, 4),
      trimNumber(r.closure, 3),
      r.fittedRange ? (r.extrapolation ? 'outside (extrapolation)' : 'inside') : 'unknown',
    ];
  });
  const what =
    result.solved === 'allocation'
      ? result.inputs.cmin !== undefined
        ? `at Cmin = ${sci(result.inputs.cmin as number)} FLOPs`
        : `for C = ${sci((result.inputs.flops ?? result.hardwareFlops) as number)} FLOPs${result.computeFrom ? ` (from ${flagName(result.computeFrom)})` : ''}`
      : result.solved === 'budget-for-params'
        ? `the budget at which N = ${si(result.inputs.params as number)} is optimal`
        : `the budget at which D = ${si(result.inputs.tokens as number)} tokens is optimal`;
  const footnotes = [
    'budget: the compute each law is a function of (Cmin: minimum compute, eq. 3; C: raw training compute).',
    result.inputs.cmin !== undefined ? 'Laws of raw C are applied to the given Cmin as if it were C.' : '',
    "closure: C(Nopt, Dopt) under the law's own compute model, divided by its budget (Kaplan ≈ 2 by design: C = 2·Cmin at B = Bcrit).",
    result.laws.some((r) => r.paramsMeaning === 'non-embedding') ? '¹ non-embedding parameters (Kaplan).' : '',
    result.laws.some((r) => r.paramsMeaning === 'flops-per-token') ? "² N ≈ M/6 from DeepSeek's M (non-embedding FLOPs per token): an approximation." : '',
    result.laws.some((r) => r.paramsMeaning === 'total-non-embedding')
      ? '³ total non-embedding parameters, every expert counted (Krajewski); see --law krajewski for the activated count.'
      : '',
    withMoe ? 'MoE: the granularity G or expert count E at the optimum (chosen for the lowest loss unless given).' : '',
    withLoss ? "loss: the law's predicted loss at Nopt, Dopt (nats), for laws with a loss model." : '',
    result.inputs.flops !== undefined && result.bcrit === undefined && result.laws.some((r) => r.budgetKind === 'cmin')
      ? 'no --batch and --bcrit/--loss: laws of Cmin take Cmin equal to C (true only for a batch far below critical; see moeplan cmin).'
      : '',
    withBatch
      ? 'D at B: the tokens that reach the same loss at your batch, Dopt·(1 + B/Bcrit) (Kaplan §5.1), for laws of Cmin; laws of raw C already include their batch.'
      : '',
  ].filter(Boolean);
  const align: ('l' | 'r')[] = [
    'l',
    'r',
    'r',
    'r',
    ...(withBatch ? (['r'] as const) : []),
    'r',
    ...(withMoe ? (['l'] as const) : []),
    ...(withLoss ? (['r'] as const) : []),
    'r',
    'r',
    'l',
  ];
  const which = all ? 'every preset' : `the laws ${result.laws.map((r) => r.law).join(', ')}`;
  return `${ctx.chalk.bold(`Compute-optimal allocation under ${which}, ${what}`)}\n${renderTable(header, body, ctx.chalk, align)}${footnotes.map((f) => `  ${ctx.chalk.dim(f)}`).join('\n')}\n`;
}

function hardwareFields(result: OptimalResult): Record<string, unknown> {
  return result.computeFrom ? { computeFrom: result.computeFrom, hardwareFlops: result.hardwareFlops } : {};
}

export const optimalCommand: CommandDefinition = {
  examples: [
    ['moeplan optimal --cmin 3.1e24', 'Hunyuan-Large §2.3.1: Nopt ≈ 58B activated params, Dopt ≈ 5.6T tokens'],
    ['moeplan optimal --cmin 3.1e24 --law all', 'every published law side by side at one budget'],
    ['moeplan optimal --params 52B', 'inverse: the Cmin at which 52B activated params is optimal, and its tokens'],
    ['moeplan optimal --config examples/configs/hunyuan-large.json', 'inverse for a model given as a Hugging Face config.json (N = its activated params)'],
    ['moeplan optimal --tokens 7T --law chinchilla', 'inverse: the budget at which 7T tokens is optimal'],
    ['moeplan optimal --flops 3.49e24 --batch 32M --bcrit 64M', 'Cmin from C, batch and critical batch first (eq. 3), and the tokens to train at that batch'],
    [
      'moeplan optimal --gpu h100 --gpus 2048 --days 60 --mfu 40% --batch 16M --loss 1.9',
      'from GPUs to a plan: the budget, Cmin, Nopt, Dopt, the tokens at 16M per step and the days',
    ],
    ['moeplan optimal --flops 5.76e23 --law chinchilla', "Chinchilla's own budget: N ≈ 32B, D ≈ 3T"],
    ['moeplan optimal --cmin 1e21 --law ./law.json --json', 'a law file written by `moeplan fit`, as JSON'],
    ['moeplan optimal --plot laws.svg --from 1e20 --to 1e26', 'Nopt(C), Dopt(C) of every preset as SVG (fitted ranges solid) and in the terminal'],
    ['moeplan optimal --flops 1e21 --law joint-moe --max-total-params 10B', 'joint MoE: the expert count and split of lowest loss within 10B total parameters'],
    ['moeplan optimal --flops 1.93e20 --law krajewski', 'fine-grained MoE: N, D and the optimal granularity G (Table 2: G = 16)'],
    ['moeplan optimal --input budgets.csv', 'batch: one output row per CSV/JSONL row (column cmin, flops, params or tokens)'],
  ],
  notes: `Budgets: hunyuan and kaplan are laws of the minimum compute Cmin (eq. 3); chinchilla,
chinchilla-epoch and deepseek are laws of raw training compute C. Given --cmin, the
laws of C are applied to it as if it were C; given --flops with --batch and --bcrit (or
--loss), each law gets its own budget. Kaplan's N is non-embedding parameters (budget in
PF-days, 8.64e19 FLOPs); DeepSeek's is M, non-embedding FLOPs per token, shown as
N ≈ M/6 (an approximation).
closure = C(Nopt, Dopt) / budget under the law's own compute model: for hunyuan
0.181·Cmin^0.0305, 1 only near Cmin ≈ 2e24. A budget outside the range a law was fitted
on is flagged on the "Fitted range" row (a column with several laws; "extrapolation":
true in JSON), not repeated on stderr.
The real batch: Nopt and Dopt are what a batch far below critical trains. With --batch
and --bcrit (or --loss), a law of Cmin also gives the tokens that reach the same loss at
batch B, D = Dopt·(1 + B/Bcrit) (Kaplan 2020 §5.1), their compute C(Nopt, D) and the
steps D/B. In JSON, flops is the compute of that run (of Nopt, Dopt without a batch),
allocationFlops the allocation's own, budgetFlops = Cmin·(1 + B/Bcrit).
Hardware: --gpu (or --peak-flops) with --mfu and --days (with --gpus), --gpu-hours or
--cost (with --price) give C in place of --flops; any accelerator adds the GPU-hours,
days and cost of the run. A solve with no answer
(a law without an allocation, a size too large to represent) exits with code 2.`,
  configure(command: Command) {
    command
      .option('--cmin <C>', 'minimum compute Cmin in FLOPs (e.g. 3.1e24)')
      .option('--flops <C>', 'training compute C in FLOPs; with --batch and --bcrit/--loss gives Cmin')
      .option('--batch <B>', 'batch size in tokens per step (with --flops: Cmin; with --cmin: the C you will spend)')
      .option('--bcrit <B>', 'critical batch size in tokens')
      .option('--loss <L>', 'loss in nats: Bcrit(L) = B* / L^(1/αB)')
      .option('--b-star <B>', 'B* in tokens for --loss (default 2e8)')
      .option('--alpha-b <a>', 'αB for --loss (default 0.21)')
      .option('--params <N>', 'inverse: the budget at which N (activated params) is optimal')
      .option('--tokens <D>', 'inverse: the budget at which D tokens is optimal')
      .option('--granularity <G>', 'krajewski: the granularity G = d_ff/d_expert (default: the loss-optimal power of two)')
      .option('--experts <E>', 'joint-moe: the number of experts E (default: the loss-optimal count in the fitted range, E ≤ 32)')
      .option('--max-total-params <N>', 'joint-moe: a memory budget in total parameters; gives the expert count and split of lowest loss under it')
      .option('--gpu <name>', `accelerator: ${Object.keys(ACCELERATORS).join(', ')} (with --mfu; days and cost of the run)`)
      .option('--peak-flops <F>', 'peak FLOP/s per accelerator, for one not listed')
      .option('--gpus <count>', 'number of accelerators')
      .option('--mfu <fraction>', 'model FLOPs utilisation, e.g. 0.4 or 40%')
      .option('--price <$>', 'price per GPU-hour (gives cost)')
      .option('--days <d>', 'hardware budget in place of --flops: wall-clock days on --gpus accelerators')
      .option('--gpu-hours <h>', 'hardware budget in place of --flops: accelerator-hours')
      .option('--cost <$>', 'hardware budget in place of --flops: money, with --price')
      .option(
        '--config <file>',
        'inverse: like --params, with N from a Hugging Face config.json: activated params, non-embedding for kaplan and deepseek (see moeplan arch)',
      )
      .option('--strict', STRICT_CONFIG_HELP)
      .option(
        '--law <name|file|all>',
        `law: ${allocationPresets()
          .map((l) => l.name)
          .join(', ')}, all, a comma-separated list, or a law file (default ${DEFAULT_LAW}; with --plot alone, all)`,
      )
      .option(
        '--plot <laws.svg>',
        'write an SVG of Nopt(C) and Dopt(C) of every preset (or the --law list), fitted ranges solid, extrapolation dashed; the same chart compact in the terminal',
      )
      .option('--from <C>', 'with --plot: the lowest budget drawn, FLOPs (default 1e18)')
      .option('--to <C>', 'with --plot: the highest budget drawn, FLOPs (default 1e26)')
      .option('--input <file|->', 'batch mode: CSV (with header) or JSONL rows; - reads stdin');
  },
  async run(options, _args, ctx) {
    const plot = typeof options.plot === 'string' ? options.plot : undefined;
    const asked = (['cmin', 'flops', 'params', 'tokens', 'config', ...HARDWARE_BUDGET_KEYS] as const).some((k) => options[k] !== undefined);
    const lawName = ((options.law as string | undefined) ?? (plot !== undefined && !asked ? 'all' : DEFAULT_LAW)).trim();
    const names = lawName
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    const all = lawName.toLowerCase() === 'all';
    const laws = all ? allocationPresets() : await Promise.all(names.map((n) => resolveLaw(n, { cwd: ctx.io.cwd })));
    const several = all || laws.length > 1;
    if (laws.length === 0) throw new MoeplanError('UNKNOWN_LAW', '--law: no law named', { field: '--law' });
    const raw: Record<string, string | undefined> = {};
    for (const key of KEYS) raw[key] = options[key] as string | undefined;
    const config = typeof options.config === 'string' ? options.config : undefined;
    let paramsFor: ((law: Law) => number) | undefined;
    let unknownKeys: readonly string[] | undefined;
    if (config !== undefined) {
      if (raw.params !== undefined) throw new MoeplanError('INVALID_INPUT', 'give --config or --params, not both', { field: '--config' });
      const model = await readConfigOption(config, ctx, { strict: options.strict });
      unknownKeys = model.unknownKeys;
      const counts = (await import('../../core/architecture.js')).parameterCounts(model.architecture);
      raw.params = String(counts.activatedParams);
      paramsFor = (law) => paramsForLaw(counts, law).params;
    }
    const without = laws.find((law) => !law.allocation);
    if (!all && without) {
      throw new MoeplanError('NO_SOLUTION', `--law ${without.name}: this law has no compute-optimal allocation (it is a compute model only)`, {
        field: '--law',
        hint: `use one of ${allocationPresets()
          .map((l) => l.name)
          .join(', ')}, all, or a law file with an allocation`,
      });
    }
    if (typeof options.input === 'string') {
      if (plot !== undefined) throw new MoeplanError('INVALID_INPUT', '--plot is not available in batch mode', { field: '--plot' });
      if (several) {
        throw new MoeplanError('INVALID_INPUT', `--law ${all ? 'all' : 'with several laws'} is not available in batch mode`, {
          field: '--law',
          hint: 'run the batch once per law (e.g. --law chinchilla), or ask one budget at a time with --law all',
        });
      }
      let extrapolated = 0;
      const code = await (await import('../batch.js')).runBatch(
        ctx,
        options.input,
        raw,
        optimalBatchSpec(
          laws[0] as Law,
          () => {
            extrapolated++;
          },
          raw,
        ),
      );
      if (extrapolated > 0)
        ctx.warn(`${extrapolated} ${extrapolated === 1 ? 'row lies' : 'rows lie'} outside the range law ${(laws[0] as Law).name} was fitted on: extrapolation`);
      return code;
    }
    const range = { from: options.from as string | undefined, to: options.to as string | undefined };
    await prepareFlags({ ...raw, ...range }, ['gpu']);
    if (plot === undefined && (range.from !== undefined || range.to !== undefined)) {
      throw new MoeplanError('INVALID_INPUT', `${range.from !== undefined ? '--from' : '--to'} only applies with --plot`, {
        field: range.from !== undefined ? '--from' : '--to',
      });
    }
    if (plot !== undefined && !asked) {
      // Only the chart: no budget question.
      const chart = await writeLawsChart(plot, laws, range, raw, undefined, ctx);
      if (ctx.json) ctx.emitJson('optimal', { solved: 'plot', plot: { file: plot, from: chart.from, to: chart.to }, curves: chart.curves });
      else ctx.out(`${renderLawsChart(chart, ctx.chalk)}Wrote the chart to ${plot}.\n`);
      return 0;
    }
    const result = assertFiniteResult(evaluateOptimal(raw, flagName, laws, paramsFor));
    const chart = plot !== undefined ? await writeLawsChart(plot, laws, range, raw, result.laws[0]?.budget, ctx) : undefined;
    const plotJson = chart && plot !== undefined ? { plot: { file: plot, from: chart.from, to: chart.to } } : {};
    // Extrapolation and "Cmin taken equal to C" are in the output (the "Fitted range" row or
    // column, a note or footnote; `extrapolation` and `notes` in --json): not repeated on stderr.
    if (ctx.json) {
      if (several) {
        ctx.emitJson('optimal', {
          law: all ? 'all' : laws.map((l) => l.name).join(','),
          solved: result.solved,
          inputs: result.inputs,
          ...(config !== undefined ? { config, unknownKeys } : {}),
          ...hardwareFields(result),
          ...(result.bcrit !== undefined ? { bcrit: result.bcrit } : {}),
          laws: result.laws.map(lawJson),
          ...plotJson,
        });
      } else {
        ctx.emitJson('optimal', {
          solved: result.solved,
          inputs: result.inputs,
          ...(config !== undefined ? { config, unknownKeys } : {}),
          ...hardwareFields(result),
          ...(result.bcrit !== undefined ? { bcrit: result.bcrit } : {}),
          ...lawJson(result.laws[0] as OptimalLawResult),
          ...plotJson,
        });
      }
    } else {
      ctx.out(several ? renderAll(result, ctx, all) : renderOne(result, laws[0] as Law, result.laws[0] as OptimalLawResult, ctx));
      if (chart) ctx.out(`\n${renderLawsChart(chart, ctx.chalk)}Wrote the chart to ${plot}.\n`);
    }
    return 0;
  },
};

/**
 * Batch mode of optimal under one law: the row evaluation and output columns;
 * `onExtrapolation` is called for each row outside the law's fitted range.
 */
export function optimalBatchSpec(
  law: Law,
  onExtrapolation: () => void = () => {},
  defaults: RawInputs = {},
): BatchSpec<OptimalLawResult & { inputs: OptimalResult['inputs'] }> {
  return {
    keys: KEYS,
    numericRows: true,
    percentKeys: ['mfu'],
    rowKernel: (inputKeys, given, resultColumns) =>
      optimalRowKernel(law, inputKeys, given, resultColumns, onExtrapolation, defaults) ??
      moeRowKernel(law, inputKeys, given, resultColumns, onExtrapolation, defaults),
    evaluate: (row, name) => {
      const result = evaluateOptimal(row, name, [law]);
      const one = result.laws[0] as OptimalLawResult;
      if (one.extrapolation) onExtrapolation();
      return { ...one, inputs: result.inputs };
    },
    resolvedInput: (r, key) => r.inputs[key],
    columns: [
      { name: 'cmin', key: 'cmin', get: (r) => r.cmin },
      { name: 'params', key: 'params', get: (r) => r.params },
      { name: 'tokens', key: 'tokens', get: (r) => r.tokens },
      ...moeColumns(law),
      { name: 'flops_of_allocation', get: (r) => r.allocationFlops },
      { name: 'tokens_at_batch', when: ['batch'], get: (r) => r.realBatch?.tokens },
      { name: 'steps', when: ['batch'], get: (r) => r.realBatch?.steps },
      { name: 'flops_at_batch', when: ['batch'], get: (r) => r.realBatch?.flops },
      { name: 'closure', get: (r) => r.closure },
      { name: 'extrapolation', kind: 'boolean', get: (r) => r.extrapolation },
    ],
  };
}

/**
 * The columns of an MoE loss law's answer: the granularity G or expert count E it used
 * (given, or the one of lowest loss it chose), and the activated and total parameters.
 */
function moeColumns(law: Law): BatchSpec<OptimalLawResult>['columns'] {
  const variables = variablesOf(law);
  if (variables.length === 0) return [];
  return [
    ...(variables.includes('granularity') ? [{ name: 'granularity', key: 'granularity', get: (r: OptimalLawResult) => r.moe?.granularity }] : []),
    ...(variables.includes('experts') ? [{ name: 'experts', key: 'experts', get: (r: OptimalLawResult) => r.moe?.experts }] : []),
    { name: 'activated_params', get: (r: OptimalLawResult) => r.moe?.activatedParams },
    { name: 'total_params', get: (r: OptimalLawResult) => r.moe?.totalParams },
  ];
}

/** The inputs and the result columns of the MoE row kernel of optimal. */
const MOE_KEYS = ['cmin', 'flops', 'granularity', 'experts', 'maxTotalParams'];
const MOE_COLUMNS = [
  'cmin',
  'params',
  'tokens',
  'granularity',
  'experts',
  'activated_params',
  'total_params',
  'flops_of_allocation',
  'closure',
  'extrapolation',
];
/** Each of MOE_COLUMNS from an allocation, as the kernel gives it: NaN for none (an empty cell), 1 or 0 for yes or no. */
const MOE_CELLS: readonly ((a: OptimalAllocation) => number)[] = [
  (a) => a.cmin,
  (a) => a.params,
  (a) => a.tokens,
  (a) => a.moe?.granularity ?? Number.NaN,
  (a) => a.moe?.experts ?? Number.NaN,
  (a) => a.moe?.activatedParams ?? Number.NaN,
  (a) => a.moe?.totalParams ?? Number.NaN,
  (a) => a.flops,
  (a) => a.closure,
  (a) => (a.extrapolation ? 1 : 0),
];

/**
 * The batch row kernel of optimal for an MoE loss law (krajewski, joint-moe): a budget
 * (cmin, or flops without a batch) and the law's own G or E, or a memory budget, each a
 * column or a flag. It calls the core's {@link optimalAllocation}, as
 * {@link evaluateOptimal} does, without the notes the CSV does not show; a row that
 * evaluation would reject (its values out of range, a result not finite) is declined, and
 * the general path reports it.
 */
function moeRowKernel(
  law: Law,
  inputKeys: readonly string[],
  given: ReadonlySet<string>,
  resultColumns: readonly string[],
  onExtrapolation: () => void,
  defaults: RawInputs,
): RowKernel | undefined {
  const variables = variablesOf(law);
  if (variables.length === 0 || law.allocation === undefined) return undefined;
  const inputs = rowInputs(MOE_KEYS, inputKeys, given, defaults);
  if (!inputs) return undefined;
  const [CMIN, FLOPS, GRANULARITY, EXPERTS, MAX_TOTAL] = [0, 1, 2, 3, 4] as const;
  const withFlops = inputs.has(FLOPS);
  if (inputs.has(CMIN) === withFlops) return undefined;
  const withGranularity = inputs.has(GRANULARITY);
  const withExperts = inputs.has(EXPERTS);
  const withMaxTotal = inputs.has(MAX_TOTAL);
  // What moeOptions rejects for this law: the general path's error.
  if (withGranularity && !variables.includes('granularity')) return undefined;
  if ((withExperts || withMaxTotal) && !variables.includes('experts')) return undefined;
  if (withExperts && withMaxTotal) return undefined;
  const codes = resultColumns.map((name) => MOE_COLUMNS.indexOf(name));
  if (codes.includes(-1)) return undefined;
  return (values, results) => {
    const budget = inputs.get(values, withFlops ? FLOPS : CMIN);
    if (!(budget > 0 && budget < Number.POSITIVE_INFINITY)) return false;
    const options: { flops?: number; granularity?: number; experts?: number; maxTotalParams?: number } = {};
    if (withFlops) options.flops = budget;
    if (withGranularity) {
      options.granularity = inputs.get(values, GRANULARITY);
      if (!(options.granularity >= 1 && options.granularity < Number.POSITIVE_INFINITY)) return false;
    }
    if (withExperts) {
      options.experts = inputs.get(values, EXPERTS);
      if (!(options.experts >= 1 && options.experts < Number.POSITIVE_INFINITY)) return false;
    }
    if (withMaxTotal) {
      options.maxTotalParams = inputs.get(values, MAX_TOTAL);
      if (!(options.maxTotalParams > 0 && options.maxTotalParams < Number.POSITIVE_INFINITY)) return false;
    }
    let allocation: OptimalAllocation;
    try {
      allocation = optimalAllocation(law, budget, options);
    } catch {
      return false;
    }
    if (nonFiniteField(allocation) !== undefined) return false;
    for (let i = 0; i < codes.length; i++) results[i] = (MOE_CELLS[codes[i] as number] as (a: OptimalAllocation) => number)(allocation);
    if (allocation.extrapolation) onExtrapolation();
    return true;
  };
}

/** The inputs the fast lane of optimal takes: a budget, a size or a token count, and the critical batch. */
const FAST_KEYS = ['cmin', 'flops', 'params', 'tokens', 'batch', 'bcrit', 'loss', 'bStar', 'alphaB'];
const FAST_COLUMNS = ['cmin', 'params', 'tokens', 'flops_of_allocation', 'tokens_at_batch', 'steps', 'flops_at_batch', 'closure', 'extrapolation'];

/**
 * The batch row kernel of optimal (BatchSpec.rowKernel) for a law of closed form: each row is
 * a budget (cmin, or flops with or without batch and bcrit or loss), a size or a token
 * count, each input a column or a flag ({@link rowInputs}). It computes what {@link evaluateOptimal} computes, with the
 * same functions ({@link closedFormAllocation}, {@link realBatchNumbers}, the critical-batch
 * formulas) and none of its notes; a row it would reject, or whose result holds a number
 * that is not finite, is declined, and the general path reports it.
 */
function optimalRowKernel(
  law: Law,
  inputKeys: readonly string[],
  given: ReadonlySet<string>,
  resultColumns: readonly string[],
  onExtrapolation: () => void,
  defaults: RawInputs,
): RowKernel | undefined {
  if (!law.allocation || (law.allocation.kind !== 'power' && law.loss?.kind !== 'chinchilla')) return undefined;
  const closed = closedFormAllocation(law);
  if (!closed) return undefined;
  const inputs = rowInputs(FAST_KEYS, inputKeys, given, defaults);
  if (!inputs) return undefined;
  const codes = resultColumns.map((name) => FAST_COLUMNS.indexOf(name));
  if (codes.includes(-1)) return undefined;
  const [CMIN, FLOPS, PARAMS, TOKENS, BATCH, BCRIT, LOSS, B_STAR, ALPHA_B] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
  const present = FAST_KEYS.map((_, k) => inputs.has(k));
  const [withCmin, withFlops, withParams, withTokens, hasBatch, withBcrit, withLoss, withBStar, withAlphaB] = present;
  const get = inputs.get;
  if ([withCmin, withFlops, withParams, withTokens].filter(Boolean).length !== 1) return undefined;
  if (withBcrit && withLoss) return undefined;
  if ((withBStar || withAlphaB) && !withLoss) return undefined;
  if (hasBatch !== (withBcrit || withLoss)) return undefined;
  const own = lossCriticalBatchConstants(law);
  const ownConstants = { bStar: own.bStar, alphaB: own.alphaB };
  const budgetKind = allocationBudgetKind(law);
  const atRealBatch = hasBatch && budgetKind === 'cmin';
  const byParams = withParams === true;
  const inverse = withParams || withTokens;
  const n = allocationNumbers();
  const rb = emptyRealBatch();
  return (values, results) => {
    // Every input positive and finite, as quantity() reads them.
    for (let k = 0; k < present.length; k++) {
      if (!present[k]) continue;
      const v = get(values, k);
      if (!(v > 0 && v < Number.POSITIVE_INFINITY)) return false;
    }
    const batch = hasBatch ? get(values, BATCH) : 0;
    let bcrit = 0;
    if (withLoss) {
      const constants =
        !withBStar && !withAlphaB
          ? ownConstants
          : { bStar: withBStar ? get(values, B_STAR) : own.bStar, alphaB: withAlphaB ? get(values, ALPHA_B) : own.alphaB };
      bcrit = criticalBatchFromLoss(get(values, LOSS), constants);
      if (!representable(bcrit)) return false;
    } else if (withBcrit) bcrit = get(values, BCRIT);
    let cmin: number;
    let budget: number;
    // An inverse reports the size (or token count) asked for exactly, not its round trip.
    let target = Number.NaN;
    if (inverse) {
      target = get(values, byParams ? PARAMS : TOKENS);
      budget = byParams ? closed.budgetForParams(target) : closed.budgetForTokens(target);
      if (!(budget > 0 && budget < Number.POSITIVE_INFINITY)) return false;
      cmin = budget;
      closed.at(budget, n);
    } else {
      if (withCmin) cmin = get(values, CMIN);
      else {
        const flops = get(values, FLOPS);
        cmin = hasBatch ? minimumCompute(flops, batch, bcrit) : flops;
      }
      budget = budgetKind === 'flops' && withFlops ? get(values, FLOPS) : cmin;
      if (!(budget > 0 && budget < Number.POSITIVE_INFINITY)) return false;
      closed.at(budget, n);
    }
    // What optimalAllocation checks: its own Nopt and Dopt, before an inverse's target replaces one.
    if (!(n.params > 0 && n.params < Number.POSITIVE_INFINITY && n.tokens > 0 && n.tokens < Number.POSITIVE_INFINITY)) return false;
    const params = inverse && byParams ? target : n.params;
    const tokens = inverse && !byParams ? target : n.tokens;
    if (!(representable(n.flops) && representable(n.closure) && representable(n.tokensPerParam) && Number.isFinite(n.nativeParams))) return false;
    if (!Number.isFinite(cmin)) return false;
    if (hasBatch) {
      if (!Number.isFinite(flopsForMinimumCompute(cmin, batch, bcrit))) return false;
      if (atRealBatch) {
        realBatchNumbers(law, params, tokens, cmin, batch, bcrit, rb);
        if (!(representable(rb.batchOverCritical) && representable(rb.tokens) && representable(rb.flops) && representable(rb.steps))) return false;
        if (!(representable(rb.minSteps) && Number.isFinite(rb.flopsOverBudget) && Number.isFinite(1 + rb.batchOverCritical))) return false;
      }
    }
    if (n.extrapolation) onExtrapolation();
    for (let i = 0; i < codes.length; i++) {
      switch (codes[i]) {
        case 0:
          results[i] = cmin;
          break;
        case 1:
          results[i] = params;
          break;
        case 2:
          results[i] = tokens;
          break;
        case 3:
          results[i] = n.flops;
          break;
        case 4:
          results[i] = atRealBatch ? rb.tokens : Number.NaN;
          break;
        case 5:
          results[i] = atRealBatch ? rb.steps : Number.NaN;
          break;
        case 6:
          results[i] = atRealBatch ? rb.flops : Number.NaN;
          break;
        case 7:
          results[i] = n.closure;
          break;
        default:
          results[i] = n.extrapolation ? 1 : 0;
      }
    }
    return true;
  };
}
