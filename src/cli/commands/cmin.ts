/**
 * `moeplan cmin`: the minimum compute Cmin = C / (1 + B/Bcrit) of a run (Hunyuan-Large
 * eq. 3, Kaplan eq. 5.5), with the critical batch from `--bcrit`, from the loss
 * (Bcrit(L) = B* / L^(1/αB), Kaplan eq. 1.4), or from the law's own critical-batch law
 * (Kaplan table 6), and the steps S = D/B and Smin = S / (1 + Bcrit/B) when D is known.
 */
import type { Command } from 'commander';
import { tokensForBudget, trainingFlops } from '../../core/compute.js';
import {
  criticalBatchFromLoss,
  lossCriticalBatchConstants,
  minimumCompute,
  minimumComputeWithCriticalBatchLaw,
  minimumSteps,
} from '../../core/critical-batch.js';
import { MoeplanError } from '../../core/errors.js';
import { DEFAULT_LAW, type Law, PRESET_LIST } from '../../core/laws/index.js';
import { percent, sci, si, trimNumber } from '../../io/format.js';
import { resolveLaw } from '../../io/law-file.js';
import type { BatchSpec, RowKernel } from '../batch.js';
import type { CommandDefinition } from '../command.js';
import { describeCriticalBatchLaw } from '../law-text.js';
import { type Context, type FieldName, type RawInputs, flagName, prepareFlags, quantity } from '../context.js';
import {
  HARDWARE_BUDGET_KEYS,
  HARDWARE_KEYS,
  type Hardware,
  type HardwareBudgetKey,
  hardwareInputs,
  hardwareTime,
  readHardware,
  readHardwareBudget,
} from '../hardware.js';
import { assertFiniteResult, finiteResult, representable } from '../numeric.js';
import { paramsLabel } from '../loss-text.js';
import { type Row, renderRows } from '../render.js';
import { warnUnitSlips } from '../sanity.js';

export interface CminResult {
  readonly law: string;
  /** Training compute C, FLOPs (given, or from N and D under the law's compute model). */
  readonly flops: number;
  /** Minimum compute Cmin = C / (1 + B/Bcrit), FLOPs. */
  readonly cmin: number;
  /** Critical batch size, tokens. */
  readonly bcrit: number;
  /** Where Bcrit came from: the flag, the loss (Kaplan eq. 1.4), or the law's Bcrit(Cmin). */
  readonly bcritFrom: 'bcrit' | 'loss' | 'law';
  /** Batch size B, tokens per optimiser step. */
  readonly batch: number;
  /** B / Bcrit: below 1 spends little extra compute, above 1 saves little time. */
  readonly batchOverCritical: number;
  /** C / Cmin = 1 + B/Bcrit: the compute spent per unit of minimum compute. */
  readonly computeOverMin: number;
  /** C − Cmin, FLOPs spent beyond the minimum for the steps saved. */
  readonly excessFlops: number;
  readonly loss?: number;
  readonly bStar?: number;
  readonly alphaB?: number;
  readonly params?: number;
  readonly tokens?: number;
  /** Optimiser steps S = D/B. */
  readonly steps?: number;
  /** Minimum steps Smin = S / (1 + Bcrit/B) (Kaplan eq. 5.4). */
  readonly minSteps?: number;
  /** S / Smin = 1 + Bcrit/B. */
  readonly stepsOverMin?: number;
  /** The hardware budget that gave C (`--days`, `--gpu-hours`, `--cost`), when one did. */
  readonly computeFrom?: HardwareBudgetKey;
  readonly hardware?: Hardware;
  /** GPU-hours, days and cost of C on the hardware, when an accelerator is given. */
  readonly gpuHours?: number;
  readonly days?: number;
  readonly cost?: number;
  readonly inputs: Readonly<Record<string, number | string>>;
}

const KEYS = ['flops', 'params', 'tokens', 'batch', 'bcrit', 'loss', 'bStar', 'alphaB', ...HARDWARE_KEYS, ...HARDWARE_BUDGET_KEYS] as const;

/** Evaluate one Cmin question (flags or one batch row). */
export function evaluateCmin(raw: RawInputs, name: FieldName, law: Law): CminResult {
  const hardware = readHardware(raw, name);
  const fromHardware = readHardwareBudget(raw, name, hardware);
  let flopsIn = quantity(raw, 'flops', name);
  if (fromHardware) {
    if (flopsIn !== undefined) {
      throw new MoeplanError('INVALID_INPUT', `${name('flops')} and ${name(fromHardware.given)} both give the compute: drop one`);
    }
    flopsIn = fromHardware.flops;
  }
  const paramsIn = quantity(raw, 'params', name);
  const tokensIn = quantity(raw, 'tokens', name);
  const batch = quantity(raw, 'batch', name);
  const bcritIn = quantity(raw, 'bcrit', name);
  const loss = quantity(raw, 'loss', name, { describe: 'a loss in nats per token, greater than 0' });
  const bStarIn = quantity(raw, 'bStar', name);
  const alphaBIn = quantity(raw, 'alphaB', name);
  const inputs: Record<string, number | string> = {};

  let flops: number;
  const params = paramsIn;
  let tokens = tokensIn;
  if (flopsIn !== undefined) {
    if (paramsIn !== undefined && tokensIn !== undefined) {
      throw new MoeplanError('INVALID_INPUT', `give ${name('flops')}, or ${name('params')} and ${name('tokens')}, not all three`, {
        hint: "C is computed from N and D under the law's compute model",
      });
    }
    flops = flopsIn;
    if (fromHardware) Object.assign(inputs, hardwareInputs(hardware as Hardware, fromHardware));
    else inputs.flops = flops;
    if (paramsIn !== undefined) {
      inputs.params = paramsIn;
      tokens = finiteResult(tokensForBudget(flops, paramsIn, law.compute), 'the token count D');
    } else if (tokensIn !== undefined) {
      inputs.tokens = tokensIn;
    }
  } else {
    if (paramsIn === undefined || tokensIn === undefined) {
      throw new MoeplanError(
        'MISSING_INPUT',
        `give the compute: ${name('flops')}, a hardware budget (${name('days')}, ${name('gpuHours')} or ${name('cost')} on ${name('gpu')}), or ${name('params')} and ${name('tokens')}`,
        {
          hint: 'e.g. moeplan cmin --flops 3.49e24 --batch 32M --bcrit 64M',
        },
      );
    }
    Object.assign(inputs, { params: paramsIn, tokens: tokensIn });
    flops = finiteResult(trainingFlops(paramsIn, tokensIn, law.compute), 'the compute C');
  }
  if (batch === undefined) {
    throw new MoeplanError('MISSING_INPUT', `${name('batch')} is required: the batch size in tokens per optimiser step`, {
      field: name('batch'),
      hint: 'e.g. --batch 32M (tokens, not sequences: sequences × sequence length)',
    });
  }
  inputs.batch = batch;

  if (bcritIn !== undefined && loss !== undefined) {
    throw new MoeplanError('INVALID_INPUT', `give ${name('bcrit')} or ${name('loss')}, not both`);
  }
  if ((bStarIn !== undefined || alphaBIn !== undefined) && loss === undefined) {
    throw new MoeplanError('INVALID_INPUT', `${name(bStarIn !== undefined ? 'bStar' : 'alphaB')} only applies with ${name('loss')}`, {
      hint: 'Bcrit(L) = B* / L^(1/αB); give --loss too, or --bcrit directly',
    });
  }
  let cmin: number;
  let bcrit: number;
  let bcritFrom: CminResult['bcritFrom'];
  const extra: { loss?: number; bStar?: number; alphaB?: number } = {};
  if (bcritIn !== undefined) {
    bcrit = bcritIn;
    bcritFrom = 'bcrit';
    inputs.bcrit = bcrit;
    cmin = minimumCompute(flops, batch, bcrit);
  } else if (loss !== undefined) {
    const lawConstants = lossCriticalBatchConstants(law);
    const bStar = bStarIn ?? lawConstants.bStar;
    const alphaB = alphaBIn ?? lawConstants.alphaB;
    Object.assign(inputs, { loss, ...(bStarIn !== undefined ? { bStar } : {}), ...(alphaBIn !== undefined ? { alphaB } : {}) });
    Object.assign(extra, { loss, bStar, alphaB });
    bcrit = finiteResult(criticalBatchFromLoss(loss, { bStar, alphaB }), 'the critical batch Bcrit(L)');
    bcritFrom = 'loss';
    cmin = minimumCompute(flops, batch, bcrit);
  } else if (law.criticalBatch?.kind === 'power' && (law.criticalBatch.budget ?? 'cmin') === 'cmin') {
    ({ cmin, criticalBatchTokens: bcrit } = minimumComputeWithCriticalBatchLaw(flops, batch, law.criticalBatch));
    bcritFrom = 'law';
  } else {
    throw new MoeplanError('MISSING_INPUT', `give the critical batch: ${name('bcrit')} (tokens) or ${name('loss')} (nats, for Bcrit = B* / L^(1/αB))`, {
      hint: 'e.g. --bcrit 64M, or --loss 1.9 (the loss the run reaches); --law kaplan uses Bcrit = 2e6·Cmin^0.24',
    });
  }
  finiteResult(cmin, 'the minimum compute Cmin');
  const apart = 'B and Bcrit are too far apart in magnitude; check their units and exponents';
  const ratios = batchRatios(flops, cmin, batch, bcrit, [0, 0, 0]);
  const batchOverCritical = finiteResult(ratios[0] as number, 'B / Bcrit', apart);

  const result: CminResult = {
    law: law.name,
    flops,
    cmin,
    bcrit,
    bcritFrom,
    batch,
    batchOverCritical,
    computeOverMin: finiteResult(ratios[1] as number, 'C / Cmin', apart),
    excessFlops: ratios[2] as number,
    ...extra,
    ...(params !== undefined ? { params } : {}),
    ...(tokens !== undefined ? { tokens } : {}),
    ...(fromHardware ? { computeFrom: fromHardware.given } : {}),
    ...(hardware ? { hardware, ...hardwareTime(flops, hardware) } : {}),
    inputs,
  };
  if (tokens === undefined) return result;
  const steps = finiteResult(tokens / batch, 'the steps S = D/B', 'D and B are too far apart in magnitude; check their units and exponents');
  const minSteps = finiteResult(minimumSteps(steps, batch, bcrit), 'the minimum steps Smin', apart);
  return { ...result, steps, minSteps, stepsOverMin: finiteResult(1 + bcrit / batch, 'S / Smin', apart) };
}

/**
 * What the batch costs a run of compute C at batch B, given Cmin and Bcrit: B/Bcrit, C/Cmin
 * = 1 + B/Bcrit and the excess C − Cmin = C·r/(1 + r), r = B/Bcrit (exact where the
 * difference of two close numbers is 0), in `into` in that order. One definition for
 * {@link evaluateCmin} and its batch row kernel.
 *
 * @example batchRatios(3e24, 2e24, 32e6, 64e6, [0, 0, 0]) // [0.5, 1.5, 1e24]
 */
export function batchRatios(flops: number, cmin: number, batch: number, bcrit: number, into: number[]): number[] {
  const batchOverCritical = batch / bcrit;
  into[0] = batchOverCritical;
  into[1] = flops / cmin;
  into[2] = (flops * batchOverCritical) / (1 + batchOverCritical);
  return into;
}

/** One plain sentence on what B/Bcrit means for this run. */
export function batchVerdict(batchOverCritical: number): string {
  const extraCompute = percent(batchOverCritical, 3);
  const extraSteps = percent(1 / batchOverCritical, 3);
  if (batchOverCritical < 0.5) {
    return `batch well below critical: only ${extraCompute} more compute than the minimum, but ${extraSteps} more steps (wall clock) than the minimum`;
  }
  if (batchOverCritical <= 2) {
    return `batch near critical: ${extraCompute} more compute and ${extraSteps} more steps than the minimum of each (the usual trade-off)`;
  }
  return `batch well above critical: ${extraCompute} more compute than the minimum to save steps (only ${extraSteps} above the minimum steps)`;
}

function render(result: CminResult, law: Law, ctx: Context): string {
  const bcritNote =
    result.bcritFrom === 'bcrit'
      ? 'given'
      : result.bcritFrom === 'loss'
        ? `B*/L^(1/αB), L = ${trimNumber(result.loss as number)}, B* = ${sci(result.bStar as number, 3)}, αB = ${result.alphaB} (Kaplan eq. 1.4)`
        : `law ${law.name}: ${describeCriticalBatchLaw(law)} at this Cmin`;
  const rows: Row[] = [];
  if (result.hardware) {
    const h = result.hardware;
    const budget =
      result.computeFrom === 'days'
        ? `, ${trimNumber(result.days as number, 4)} days`
        : result.computeFrom === 'gpuHours'
          ? `, ${si(result.gpuHours as number)} GPU-hours`
          : result.computeFrom === 'cost'
            ? `, $${si(result.cost as number)}`
            : '';
    rows.push({
      label: 'Accelerators',
      value: `${h.gpus ?? 1} ×`,
      unit: h.gpu ? h.gpu.toUpperCase() : 'GPU',
      note: `${sci(h.peakFlops, 4)} FLOP/s peak, ${trimNumber(h.mfu * 100, 3)}% MFU${budget}`,
    });
  }
  if (result.params !== undefined) rows.push({ label: paramsLabel(law), value: si(result.params), unit: 'params' });
  if (result.tokens !== undefined) rows.push({ label: 'Training tokens D', value: si(result.tokens), unit: 'tokens' });
  rows.push(
    {
      label: 'Compute C',
      value: sci(result.flops),
      unit: 'FLOPs',
      note: result.computeFrom
        ? `from ${flagName(result.computeFrom)}: peak · MFU · GPU-seconds`
        : result.inputs.flops !== undefined
          ? 'given'
          : `law ${law.name}: ${law.compute.paramsTokens}·N·D${law.compute.tokens ? ` + ${sci(law.compute.tokens)}·D` : ''}`,
    },
    { label: 'Batch B', value: si(result.batch), unit: 'tokens', note: 'per optimiser step' },
    { label: 'Critical batch Bcrit', value: si(result.bcrit), unit: 'tokens', note: bcritNote },
    { label: 'B / Bcrit', value: trimNumber(result.batchOverCritical, 4), unit: '' },
    { label: 'Minimum compute Cmin', value: sci(result.cmin), unit: 'FLOPs', strong: true, note: 'C / (1 + B/Bcrit), eq. 3' },
    { label: 'C / Cmin', value: trimNumber(result.computeOverMin, 4), unit: '', note: `${sci(result.excessFlops, 4)} FLOPs above the minimum` },
  );
  if (result.steps !== undefined) {
    rows.push(
      { label: 'Steps S = D/B', value: si(result.steps), unit: 'steps' },
      { label: 'Minimum steps Smin', value: si(result.minSteps as number), unit: 'steps', note: 'S / (1 + Bcrit/B), Kaplan eq. 5.4' },
      { label: 'S / Smin', value: trimNumber(result.stepsOverMin as number, 4), unit: '' },
    );
  }
  return `${renderRows(rows, ctx.chalk, `Minimum compute · law ${law.name}`)}  ${ctx.chalk.dim(batchVerdict(result.batchOverCritical))}\n`;
}

export const cminCommand: CommandDefinition = {
  examples: [
    ['moeplan cmin --flops 3.49e24 --batch 32M --bcrit 64M', 'Cmin of a 3.49e24-FLOP run at half the critical batch: 2.33e24'],
    ['moeplan cmin --params 52B --tokens 7T --batch 32M --loss 1.9', 'C from eq. 2, Bcrit from the loss (B* = 2e8, αB = 0.21), steps and Smin'],
    ['moeplan cmin --flops 3.49e24 --batch 32M --loss 1.9 --b-star 2.1e8', "Kaplan's appendix value of B*"],
    ['moeplan cmin --flops 1e21 --batch 1M --law kaplan', "Bcrit from Kaplan's Bcrit = 2e6·Cmin^0.24 (solved together with Cmin)"],
    ['moeplan cmin --flops 3.49e24 --batch 32M --bcrit 64M --json', 'as JSON: flops, cmin, bcrit, batch, …'],
    ['moeplan cmin --gpu h100 --gpus 2048 --days 60 --mfu 40% --batch 16M --loss 1.9', 'C from the hardware (2048 H100s, 60 days) in place of --flops'],
    ['moeplan cmin --input runs.csv', 'batch: one output row per CSV/JSONL row (columns named like the flags)'],
  ],
  notes: `Cmin is the compute the same loss would need at a batch far below critical; C/Cmin =
1 + B/Bcrit is what the batch size costs in compute. Smin is the fewest steps (at a batch
far above critical); S/Smin = 1 + Bcrit/B is what it costs in wall-clock steps.
Batch sizes are in tokens per optimiser step. Quantities: 3.1e24, 52B (billion), 7T,
32M, arithmetic (6*52B*7T).`,
  configure(command: Command) {
    command
      .option('--flops <C>', 'training compute C in FLOPs (e.g. 3.49e24)')
      .option('--params <N>', "activated parameters N (with --tokens, gives C under the law's compute model)")
      .option('--tokens <D>', 'training tokens D (gives the steps S = D/B)')
      .option('--batch <B>', 'batch size in tokens per step (e.g. 32M)')
      .option('--bcrit <B>', 'critical batch size in tokens (e.g. 64M)')
      .option('--loss <L>', 'loss in nats the run reaches: Bcrit(L) = B* / L^(1/αB)')
      .option('--b-star <B>', 'B* in tokens for --loss (default 2e8, Kaplan eq. 1.4)')
      .option('--alpha-b <a>', 'αB for --loss (default 0.21, Kaplan eq. 1.4)')
      .option(
        '--law <name|file>',
        `compute model and critical-batch law: ${PRESET_LIST.filter((law) => law.criticalBatch)
          .map((law) => `${law.name}${law.name === DEFAULT_LAW ? ' (default)' : ''}`)
          .join(', ')}, … or a law file`,
        DEFAULT_LAW,
      )
      .option('--gpu <name>', 'accelerator (with --mfu): the hardware budget options give C in place of --flops')
      .option('--peak-flops <F>', 'peak FLOP/s per accelerator, for one not listed')
      .option('--gpus <count>', 'number of accelerators')
      .option('--mfu <fraction>', 'model FLOPs utilisation, e.g. 0.4 or 40%')
      .option('--price <$>', 'price per GPU-hour')
      .option('--days <d>', 'hardware budget: wall-clock days on --gpus accelerators')
      .option('--gpu-hours <h>', 'hardware budget: accelerator-hours')
      .option('--cost <$>', 'hardware budget: money, with --price')
      .option('--input <file|->', 'batch mode: CSV (with header) or JSONL rows; - reads stdin');
  },
  async run(options, _args, ctx) {
    const law = await resolveLaw(options.law as string | undefined, { cwd: ctx.io.cwd });
    const raw: Record<string, string | undefined> = {};
    for (const key of KEYS) raw[key] = options[key] as string | undefined;
    if (typeof options.input === 'string') {
      return (await import('../batch.js')).runBatch(ctx, options.input, raw, cminBatchSpec(law));
    }
    await prepareFlags(raw, ['gpu']);
    const result = assertFiniteResult(evaluateCmin(raw, flagName, law));
    warnUnitSlips(ctx, raw, ['params', 'tokens', 'batch', 'bcrit']);
    if (ctx.json) ctx.emitJson('cmin', { ...result });
    else ctx.out(render(result, law, ctx));
    return 0;
  },
};

/** Batch mode of cmin: the row evaluation and output columns under `law`. */
export function cminBatchSpec(law: Law): BatchSpec<CminResult> {
  return {
    keys: KEYS,
    rowKernel: (inputKeys, given, resultColumns) => cminRowKernel(law, inputKeys, given, resultColumns),
    numericRows: true,
    percentKeys: ['mfu'],
    evaluate: (row, name) => evaluateCmin(row, name, law),
    resolvedInput: (r, key) => r.inputs[key],
    columns: [
      { name: 'flops', key: 'flops', get: (r) => r.flops },
      { name: 'tokens', key: 'tokens', when: ['params', 'tokens'], get: (r) => r.tokens },
      { name: 'bcrit', key: 'bcrit', get: (r) => r.bcrit },
      { name: 'cmin', get: (r) => r.cmin },
      { name: 'batch_over_critical', get: (r) => r.batchOverCritical },
      { name: 'compute_over_min', get: (r) => r.computeOverMin },
      { name: 'steps', when: ['params', 'tokens'], get: (r) => r.steps },
      { name: 'min_steps', when: ['params', 'tokens'], get: (r) => r.minSteps },
    ],
  };
}

/** The result columns {@link cminRowKernel} gives, in order: for a row of C, and for a row of N and D. */
const KERNEL_COLUMNS = 'cmin,batch_over_critical,compute_over_min';
const KERNEL_COLUMNS_OF_RUN = 'flops,cmin,batch_over_critical,compute_over_min,steps,min_steps';

/**
 * The batch row kernel of cmin (BatchSpec.rowKernel): rows of flops, batch and bcrit, or
 * of params, tokens, batch and bcrit (in any order, nothing else given): C from N and D
 * under the law's compute (eq. 2 for hunyuan), Cmin (eq. 3), B/Bcrit, C/Cmin and, for a
 * run, the steps S = D/B and Smin, computed and checked as {@link evaluateCmin} computes
 * and checks them; a row it would reject is left to it.
 */
function cminRowKernel(law: Law, inputKeys: readonly string[], given: ReadonlySet<string>, resultColumns: readonly string[]): RowKernel | undefined {
  const ofRun = inputKeys.length === 4;
  if (!(inputKeys.length === 3 || ofRun) || resultColumns.join(',') !== (ofRun ? KERNEL_COLUMNS_OF_RUN : KERNEL_COLUMNS)) return undefined;
  const flopsAt = inputKeys.indexOf('flops');
  const paramsAt = inputKeys.indexOf('params');
  const tokensAt = inputKeys.indexOf('tokens');
  const batchAt = inputKeys.indexOf('batch');
  const bcritAt = inputKeys.indexOf('bcrit');
  if ((ofRun ? paramsAt === -1 || tokensAt === -1 : flopsAt === -1) || batchAt === -1 || bcritAt === -1) return undefined;
  if (KEYS.some((key) => given.has(key) && !inputKeys.includes(key))) return undefined;
  const compute = law.compute;
  const ratios = [0, 0, 0];
  const inf = Number.POSITIVE_INFINITY;
  return (values, results) => {
    const batch = values[batchAt] as number;
    const bcrit = values[bcritAt] as number;
    // quantity's test on each input, then finiteResult's on C, Cmin, B/Bcrit and C/Cmin, and
    // the finite excess assertFiniteResult asks for.
    if (!(batch > 0 && batch < inf && bcrit > 0 && bcrit < inf)) return false;
    let flops: number;
    let tokens = 0;
    if (ofRun) {
      const params = values[paramsAt] as number;
      tokens = values[tokensAt] as number;
      if (!(params > 0 && params < inf && tokens > 0 && tokens < inf)) return false;
      flops = trainingFlops(params, tokens, compute);
      if (!representable(flops)) return false;
    } else {
      flops = values[flopsAt] as number;
      if (!(flops > 0 && flops < inf)) return false;
    }
    const cmin = minimumCompute(flops, batch, bcrit);
    batchRatios(flops, cmin, batch, bcrit, ratios);
    if (!(representable(cmin) && representable(ratios[0] as number) && representable(ratios[1] as number) && Number.isFinite(ratios[2]))) return false;
    if (!ofRun) {
      results[0] = cmin;
      results[1] = ratios[0] as number;
      results[2] = ratios[1] as number;
      return true;
    }
    // The steps of the run, and finiteResult's tests on S, Smin and S/Smin.
    const steps = tokens / batch;
    const minSteps = minimumSteps(steps, batch, bcrit);
    if (!(representable(steps) && representable(minSteps) && representable(1 + bcrit / batch))) return false;
    results[0] = flops;
    results[1] = cmin;
    results[2] = ratios[0] as number;
    results[3] = ratios[1] as number;
    results[4] = steps;
    results[5] = minSteps;
    return true;
  };
}
