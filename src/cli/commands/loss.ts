/**
 * `moeplan loss`: the final loss a law predicts for a run of N parameters on D tokens, with
 * its terms (irreducible, model-limited, data-limited), and the inverse solves: the tokens
 * or the size that reach a target loss, or the cheapest (N, D) that does and its compute.
 */
import type { Command } from 'commander';
import { MoeplanError } from '../../core/errors.js';
import { DEFAULT_LOSS_LAW, type Law, PRESETS } from '../../core/laws/index.js';
import {
  type LossVariable,
  type MoeVariables,
  activatedFromTotal,
  cheapestForLoss,
  flopsPerTokenOf,
  lossFloor,
  lossTerms,
  lossVariables,
  paramsForLoss,
  requireLossModel,
  tokensForLoss,
  totalFromActivated,
} from '../../core/loss.js';
import { sci, si, trimNumber } from '../../io/format.js';
import { resolveLaw } from '../../io/law-file.js';
import type { BatchSpec, RowKernel } from '../batch.js';
import type { CommandDefinition } from '../command.js';
import { type Context, type FieldName, type RawInputs, flagName, prepareFlags, quantity } from '../context.js';
import { LOSS_VARIABLE_TEXT, PARAMS_MEANING_LABEL, describeLossModel } from '../loss-text.js';
import { assertFiniteResult, finiteResult, representable } from '../numeric.js';
import { type Row, renderRows } from '../render.js';

export interface LossResult {
  readonly law: string;
  /** What was asked: the loss of (N, D), the tokens or the size for a target, or the cheapest run for it. */
  readonly solved: 'loss' | 'tokens' | 'params' | 'cheapest';
  /** N, in the law's convention (`paramsMeaning`). */
  readonly params: number;
  readonly paramsMeaning: string;
  readonly tokens: number;
  /** The predicted loss, nats per token (the target, for an inverse solve, up to rounding). */
  readonly loss: number;
  readonly irreducible: number;
  readonly modelLimited: number;
  readonly dataLimited: number;
  /** Training FLOPs of (N, D) under the law's own compute. */
  readonly flops: number;
  readonly granularity?: number;
  readonly experts?: number;
  /** How a free MoE variable was chosen for the cheapest run. */
  readonly chosen?: 'free';
  /** Activated parameters, when N counts every expert (krajewski). */
  readonly activatedParams?: number;
  /** Total parameters ≈ N_act·(4 + 9E)/13, when N is activated (joint-moe). */
  readonly totalParams?: number;
  /** True when N or D lies outside the range the law was fitted on. */
  readonly extrapolation: boolean;
  readonly inputs: Readonly<Record<string, number>>;
}

const KEYS = ['params', 'tokens', 'targetLoss', 'granularity', 'experts'] as const;

/** Evaluate one question (flags or one batch row) under a law with a loss model. */
export function evaluateLoss(raw: RawInputs, name: FieldName, law: Law): LossResult {
  const model = requireLossModel(law);
  const paramsIn = quantity(raw, 'params', name);
  const tokensIn = quantity(raw, 'tokens', name);
  const target = quantity(raw, 'targetLoss', name, { describe: 'a loss in nats per token, greater than 0' });
  const takes = lossVariables(model);
  const inputs: Record<string, number> = {};
  const vars: { granularity?: number; experts?: number } = {};
  for (const variable of ['granularity', 'experts'] as const) {
    const value = quantity(raw, variable, name, { describe: variable === 'granularity' ? 'a granularity G ≥ 1' : 'a number of experts, at least 1' });
    if (value === undefined) continue;
    if (!takes.includes(variable)) {
      const takers = Object.values(PRESETS)
        .filter((l) => l.loss && lossVariables(l.loss).includes(variable))
        .map((l) => l.name);
      throw new MoeplanError(
        'INVALID_INPUT',
        `${name(variable)}: law ${law.name} has no ${LOSS_VARIABLE_TEXT[variable].what} (it applies to ${takers.join(', ')})`,
        { field: name(variable) },
      );
    }
    if (value < 1) throw new MoeplanError('INVALID_INPUT', `${name(variable)}: must be at least 1, got ${value}`, { field: name(variable) });
    vars[variable] = value;
    inputs[variable] = value;
  }
  const cheapest = target !== undefined && paramsIn === undefined && tokensIn === undefined;
  if (!cheapest) {
    for (const variable of takes) {
      if (vars[variable] === undefined) {
        throw new MoeplanError('MISSING_INPUT', `${name(variable)} is required by law ${law.name} (${LOSS_VARIABLE_TEXT[variable].what})`, {
          field: name(variable),
          hint: variable === 'granularity' ? 'G = 1 is a standard MoE; Krajewski et al. fit G from 1 to 16' : 'E = 1 is dense; the law was fitted on E ≤ 32',
        });
      }
    }
  }

  let solved: LossResult['solved'];
  let params: number;
  let tokens: number;
  let chosen: 'free' | undefined;
  if (target === undefined) {
    if (paramsIn === undefined || tokensIn === undefined) {
      throw new MoeplanError(
        'MISSING_INPUT',
        `give ${name('params')} and ${name('tokens')} (the loss), or ${name('targetLoss')} with one of them or neither (the inverse)`,
        {
          hint: 'e.g. moeplan loss --params 70B --tokens 1.4T --law chinchilla',
        },
      );
    }
    solved = 'loss';
    params = paramsIn;
    tokens = tokensIn;
    Object.assign(inputs, { params, tokens });
  } else {
    inputs.targetLoss = target;
    if (paramsIn !== undefined && tokensIn !== undefined) {
      throw new MoeplanError(
        'INVALID_INPUT',
        `${name('targetLoss')} with both ${name('params')} and ${name('tokens')}: give one of them (or neither) and it solves for the rest`,
      );
    }
    const floor = lossFloor(model, cheapest ? { ...vars, ...freeChoice(law, vars) } : vars);
    if (!(target > floor)) {
      throw new MoeplanError(
        'NO_SOLUTION',
        `${name('targetLoss')} ${trimNumber(target, 6)} is not above what law ${law.name} can reach: its floor is ${trimNumber(floor, 6)} nats (the irreducible loss, N and D → ∞)`,
        {
          field: name('targetLoss'),
          hint: `ask for a loss above ${trimNumber(floor, 6)}`,
        },
      );
    }
    if (paramsIn !== undefined) {
      solved = 'tokens';
      params = paramsIn;
      inputs.params = params;
      tokens = tokensForLoss(model, target, params, vars);
      if (Number.isNaN(tokens)) {
        const floorAtN = floor + lossTerms(model, { params, tokens: Number.POSITIVE_INFINITY, ...vars }).modelLimited;
        throw new MoeplanError(
          'NO_SOLUTION',
          `${name('targetLoss')} ${trimNumber(target, 6)} is out of reach for N = ${si(params)}: on unlimited data it gets to ${trimNumber(floorAtN, 6)} nats at best`,
          {
            field: name('targetLoss'),
            hint: `ask for a loss above ${trimNumber(floorAtN, 6)}, or a larger ${name('params')}`,
          },
        );
      }
    } else if (tokensIn !== undefined) {
      solved = 'params';
      tokens = tokensIn;
      inputs.tokens = tokens;
      params = paramsForLoss(model, target, tokens, vars);
      if (Number.isNaN(params)) {
        const floorAtD = floor + lossTerms(model, { params: Number.POSITIVE_INFINITY, tokens, ...vars }).dataLimited;
        throw new MoeplanError(
          'NO_SOLUTION',
          `${name('targetLoss')} ${trimNumber(target, 6)} is out of reach on D = ${si(tokens)} tokens: an unlimited model gets to ${trimNumber(floorAtD, 6)} nats at best`,
          {
            field: name('targetLoss'),
            hint: `ask for a loss above ${trimNumber(floorAtD, 6)}, or more ${name('tokens')}`,
          },
        );
      }
    } else {
      solved = 'cheapest';
      const optimum = cheapestForLoss(law, target, vars);
      params = optimum.params;
      tokens = optimum.tokens;
      if (optimum.granularity !== undefined) vars.granularity = optimum.granularity;
      if (optimum.experts !== undefined) vars.experts = optimum.experts;
      if (optimum.chosen) chosen = 'free';
    }
  }
  params = finiteResult(params, solved === 'params' ? 'the parameter count N' : 'N');
  tokens = finiteResult(tokens, solved === 'tokens' ? 'the token count D' : 'D');
  const terms = lossTerms(model, { params, tokens, ...vars });
  const flops = finiteResult(flopsPerTokenOf(law, params, vars) * tokens, 'the compute C(N, D)');
  const range = law.fittedRange;
  const outside = (value: number, r: readonly [number, number] | undefined) => r !== undefined && (value < r[0] || value > r[1]);
  const moeOutside = (['granularity', 'experts'] as const).some((k) => vars[k] !== undefined && outside(vars[k] as number, range?.[k]));
  return {
    law: law.name,
    solved,
    params,
    paramsMeaning: law.compute.paramsMeaning ?? 'activated',
    tokens,
    ...terms,
    flops,
    ...vars,
    ...(chosen ? { chosen } : {}),
    ...(model.kind === 'fine-grained-moe' ? { activatedParams: activatedFromTotal(model, params) } : {}),
    ...(model.kind === 'joint-moe' && vars.experts !== undefined ? { totalParams: totalFromActivated(model, params, vars.experts) } : {}),
    extrapolation: outside(params, range?.params) || outside(tokens, range?.tokens) || moeOutside,
    inputs,
  };
}

/** The MoE variables the cheapest solve chooses when they are not given (for its floor). */
function freeChoice(law: Law, vars: MoeVariables): MoeVariables {
  const model = requireLossModel(law);
  const missing = lossVariables(model).filter((v: LossVariable) => vars[v] === undefined);
  if (missing.length === 0) return {};
  // The floor of every kind here is its constant c, whatever G or E: any value will do.
  return Object.fromEntries(missing.map((v) => [v, 1]));
}

function render(r: LossResult, law: Law, ctx: Context): string {
  const meaning = PARAMS_MEANING_LABEL[r.paramsMeaning as keyof typeof PARAMS_MEANING_LABEL] ?? r.paramsMeaning;
  const solvedNote = '(solved)';
  const rows: Row[] = [];
  if (r.inputs.targetLoss !== undefined) rows.push({ label: 'Target loss', value: trimNumber(r.inputs.targetLoss, 6), unit: 'nats', note: 'given' });
  rows.push({
    label: 'Params N',
    value: si(r.params),
    unit: 'params',
    strong: r.solved === 'params' || r.solved === 'cheapest',
    note: `${meaning}${r.solved === 'params' || r.solved === 'cheapest' ? ` ${solvedNote}` : ''}`,
  });
  if (r.activatedParams !== undefined)
    rows.push({ label: 'Activated params', value: si(r.activatedParams), unit: 'params', note: 'non-embedding, N_act = 12·N/(8E + 4)' });
  if (r.totalParams !== undefined)
    rows.push({ label: 'Total params', value: si(r.totalParams), unit: 'params', note: '≈ N_act·(4 + 9E)/13 (embeddings left out)' });
  rows.push({
    label: 'Tokens D',
    value: si(r.tokens),
    unit: 'tokens',
    strong: r.solved === 'tokens' || r.solved === 'cheapest',
    note: r.solved === 'tokens' || r.solved === 'cheapest' ? solvedNote : undefined,
  });
  if (r.granularity !== undefined)
    rows.push({ label: 'Granularity G', value: trimNumber(r.granularity, 4), unit: '', note: r.chosen ? 'chosen: lowest cost over powers of two' : 'given' });
  if (r.experts !== undefined)
    rows.push({
      label: 'Experts E',
      value: trimNumber(r.experts, 4),
      unit: '',
      note: r.chosen ? 'chosen: lowest cost in the fitted range (more experts keep helping)' : 'given',
    });
  rows.push(
    { label: 'Irreducible', value: trimNumber(r.irreducible, 5), unit: 'nats', note: 'N, D → ∞' },
    { label: 'Model-limited', value: trimNumber(r.modelLimited, 5), unit: 'nats', note: 'from finite N' },
    { label: 'Data-limited', value: trimNumber(r.dataLimited, 5), unit: 'nats', note: 'from finite D' },
    {
      label: 'Loss L',
      value: trimNumber(r.loss, 5),
      unit: 'nats',
      strong: r.solved === 'loss',
      note: r.solved === 'loss' ? 'predicted' : 'at the solved point',
    },
    {
      label: 'Compute C(N, D)',
      value: sci(r.flops),
      unit: 'FLOPs',
      strong: r.solved === 'cheapest',
      note: r.solved === 'cheapest' ? 'the least compute that reaches the target' : "under the law's compute",
    },
  );
  const title = `Predicted loss · law ${law.name}: ${law.title}`;
  const notes = [`${describeLossModel(requireLossModel(law))}`].map((n) => `  ${ctx.chalk.dim(`· ${n}`)}`);
  return `${renderRows(rows, ctx.chalk, title)}${notes.join('\n')}\n`;
}

/** Batch mode of loss: the row evaluation and output columns under `law`. */
export function lossBatchSpec(law: Law): BatchSpec<LossResult> {
  return {
    keys: KEYS,
    evaluate: (row, name) => evaluateLoss(row, name, law),
    numericRows: true,
    resolvedInput: (r, key) => (key === 'params' ? r.params : key === 'tokens' ? r.tokens : r.inputs[key]),
    columns: [
      { name: 'params', key: 'params', get: (r) => r.params },
      { name: 'tokens', key: 'tokens', get: (r) => r.tokens },
      ...moeColumns(law),
      { name: 'loss', get: (r) => r.loss },
      { name: 'irreducible', get: (r) => r.irreducible },
      { name: 'model_limited', get: (r) => r.modelLimited },
      { name: 'data_limited', get: (r) => r.dataLimited },
      { name: 'flops', get: (r) => r.flops },
      { name: 'extrapolation', kind: 'boolean', get: (r) => r.extrapolation },
    ],
    rowKernel: (inputKeys, given, resultColumns) => lossRowKernel(law, inputKeys, given, resultColumns),
  };
}

/**
 * The columns of an MoE loss law: the granularity G or expert count E (an input, echoed;
 * chosen, for the cheapest run of a target), and the activated and total parameters.
 */
function moeColumns(law: Law): BatchSpec<LossResult>['columns'] {
  const variables = law.loss ? lossVariables(law.loss) : [];
  if (variables.length === 0) return [];
  return [
    ...(variables.includes('granularity') ? [{ name: 'granularity', key: 'granularity', get: (r: LossResult) => r.granularity }] : []),
    ...(variables.includes('experts') ? [{ name: 'experts', key: 'experts', get: (r: LossResult) => r.experts }] : []),
    { name: 'activated_params', get: (r: LossResult) => r.activatedParams ?? r.params },
    { name: 'total_params', get: (r: LossResult) => r.totalParams ?? r.params },
  ];
}

/** The result columns the loss row kernel computes. */
const KERNEL_COLUMNS = [
  'activated_params',
  'total_params',
  'loss',
  'irreducible',
  'model_limited',
  'data_limited',
  'flops',
  'extrapolation',
  'params',
  'tokens',
  'granularity',
  'experts',
];

/**
 * The batch row kernel of loss (BatchSpec.rowKernel): rows that give N and D, or a target
 * loss with N, with D or with neither (the cheapest run), and the MoE variable the law
 * takes (G or E) as a column, on numbers: through the core's own lossTerms,
 * flopsPerTokenOf, tokensForLoss, paramsForLoss and cheapestForLoss, as evaluateLoss. A
 * row evaluateLoss would reject (a value out of range, a target out of reach, a result
 * that overflows) is declined, and the general path reports it. Inputs it does not cover
 * (a flag default): no kernel.
 */
function lossRowKernel(law: Law, inputKeys: readonly string[], given: ReadonlySet<string>, resultColumns: readonly string[]): RowKernel | undefined {
  const model = law.loss;
  const codes = resultColumns.map((column) => KERNEL_COLUMNS.indexOf(column));
  if (model === undefined || codes.includes(-1)) return undefined;
  const takes = lossVariables(model);
  if ([...given].some((key) => !inputKeys.includes(key))) return undefined;
  if (inputKeys.some((key) => key !== 'params' && key !== 'tokens' && key !== 'targetLoss' && !takes.includes(key as LossVariable))) return undefined;
  const paramsAt = inputKeys.indexOf('params');
  const tokensAt = inputKeys.indexOf('tokens');
  const targetAt = inputKeys.indexOf('targetLoss');
  const granularityAt = inputKeys.indexOf('granularity');
  const expertsAt = inputKeys.indexOf('experts');
  const withTarget = targetAt !== -1;
  if (withTarget ? paramsAt !== -1 && tokensAt !== -1 : paramsAt === -1 || tokensAt === -1) return undefined;
  const cheapest = withTarget && paramsAt === -1 && tokensAt === -1;
  // Every variable the law takes, but for the cheapest run, which chooses those not given.
  if (!cheapest && takes.some((variable) => !inputKeys.includes(variable))) return undefined;
  const range = law.fittedRange;
  const outside = (value: number, r: readonly [number, number] | undefined) => r !== undefined && (value < r[0] || value > r[1]);
  const inf = Number.POSITIVE_INFINITY;
  return (values, results) => {
    const vars: { granularity?: number; experts?: number } = {};
    if (granularityAt !== -1) vars.granularity = values[granularityAt] as number;
    if (expertsAt !== -1) vars.experts = values[expertsAt] as number;
    for (const variable of takes) {
      const value = vars[variable];
      if (value !== undefined && !(value >= 1 && value < inf)) return false;
    }
    let params = paramsAt === -1 ? Number.NaN : (values[paramsAt] as number);
    let tokens = tokensAt === -1 ? Number.NaN : (values[tokensAt] as number);
    if (paramsAt !== -1 && !(params > 0 && params < inf)) return false;
    if (tokensAt !== -1 && !(tokens > 0 && tokens < inf)) return false;
    if (withTarget) {
      const target = values[targetAt] as number;
      if (!(target > 0 && target < inf)) return false;
      if (!(target > lossFloor(model, cheapest ? { ...vars, ...freeChoice(law, vars) } : vars))) return false;
      if (paramsAt !== -1) tokens = tokensForLoss(model, target, params, vars);
      else if (tokensAt !== -1) params = paramsForLoss(model, target, tokens, vars);
      else {
        let optimum: ReturnType<typeof cheapestForLoss>;
        try {
          optimum = cheapestForLoss(law, target, vars);
        } catch {
          return false; // the general path reports it
        }
        params = optimum.params;
        tokens = optimum.tokens;
        if (optimum.granularity !== undefined) vars.granularity = optimum.granularity;
        if (optimum.experts !== undefined) vars.experts = optimum.experts;
      }
      // finiteResult's test on the solved N and D (NaN: out of reach).
      if (!(representable(params) && representable(tokens))) return false;
    }
    const terms = lossTerms(model, { params, tokens, ...vars });
    const flops = flopsPerTokenOf(law, params, vars) * tokens;
    const { loss, irreducible, modelLimited, dataLimited } = terms;
    // Every number evaluateLoss returns must be finite (assertFiniteResult), the other counts included.
    const activated = model.kind === 'fine-grained-moe' ? activatedFromTotal(model, params) : params;
    const total = model.kind === 'joint-moe' && vars.experts !== undefined ? totalFromActivated(model, params, vars.experts) : params;
    if (
      !(
        Number.isFinite(loss) &&
        Number.isFinite(irreducible) &&
        Number.isFinite(modelLimited) &&
        Number.isFinite(dataLimited) &&
        representable(flops) && // finiteResult's test: neither overflowed nor rounded to 0
        Number.isFinite(activated) &&
        Number.isFinite(total)
      )
    ) {
      return false;
    }
    const moeOutside = (['granularity', 'experts'] as const).some((k) => vars[k] !== undefined && outside(vars[k] as number, range?.[k]));
    const extrapolation = outside(params, range?.params) || outside(tokens, range?.tokens) || moeOutside;
    const columns = [
      activated,
      total,
      loss,
      irreducible,
      modelLimited,
      dataLimited,
      flops,
      extrapolation ? 1 : 0,
      params,
      tokens,
      vars.granularity ?? Number.NaN,
      vars.experts ?? Number.NaN,
    ];
    for (let i = 0; i < codes.length; i++) results[i] = columns[codes[i] as number] as number;
    return true;
  };
}

/** The presets with a loss model, for help and hints. */
function lossPresets(): string[] {
  return Object.values(PRESETS)
    .filter((law) => law.loss !== undefined)
    .map((law) => law.name);
}

export const lossCommand: CommandDefinition = {
  examples: [
    ['moeplan loss --params 70B --tokens 1.4T', "Chinchilla's own run: L ≈ 1.937 nats, with its three terms"],
    ['moeplan loss --params 1e9 --tokens 1e10 --law krajewski --granularity 8', 'fine-grained MoE (N = total non-embedding): L = 3.2415'],
    ['moeplan loss --params 1B --tokens 20B --law joint-moe --experts 8', 'joint MoE law, 8 experts (N = activated): L = 2.5088'],
    ['moeplan loss --target-loss 2.1 --params 7B', 'inverse: the tokens a 7B model needs to reach 2.1 nats'],
    ['moeplan loss --target-loss 2.1 --tokens 1T', 'inverse: the size that reaches 2.1 nats on 1T tokens'],
    ['moeplan loss --target-loss 2.1', 'inverse: the cheapest (N, D) that reaches 2.1 nats, and its compute'],
    ['moeplan loss --input runs.csv --law chinchilla-epoch', 'batch: one output row per CSV/JSONL row (columns params, tokens, target-loss, …)'],
  ],
  notes: `Laws with a loss model: ${lossPresets().join(', ')}, or a law file with "loss" (default ${DEFAULT_LOSS_LAW}).
N is in the law's own convention: activated parameters for chinchilla, chinchilla-epoch and
joint-moe (embeddings included there), total non-embedding parameters (every expert counted)
for krajewski; the output labels it and gives the other count.
krajewski needs --granularity (G = d_ff/d_expert) and joint-moe --experts (E), except for the
cheapest solve, which chooses them. A target at or below the law's floor (its irreducible
loss), or out of reach for the given N or D, exits with code 2 and says the floor.`,
  configure(command: Command) {
    command
      .option('--params <N>', "model size N in the law's convention (e.g. 70B)")
      .option('--tokens <D>', 'training tokens D (e.g. 1.4T)')
      .option('--target-loss <L>', 'inverse: the loss to reach, in nats; with --params gives D, with --tokens N, with neither the cheapest (N, D)')
      .option('--granularity <G>', 'krajewski: granularity G = d_ff/d_expert (1 = standard MoE)')
      .option('--experts <E>', 'joint-moe: number of experts E (1 = dense)')
      .option('--law <name|file>', `law with a loss model: ${lossPresets().join(', ')}, or a law file`, DEFAULT_LOSS_LAW)
      .option('--input <file|->', 'batch mode: CSV (with header) or JSONL rows; - reads stdin');
  },
  async run(options, _args, ctx) {
    const law = await resolveLaw((options.law as string | undefined) ?? DEFAULT_LOSS_LAW, { cwd: ctx.io.cwd });
    if (!law.loss) {
      throw new MoeplanError('NO_SOLUTION', `--law ${law.name}: this law has no loss model, so it predicts no loss`, {
        field: '--law',
        hint: `use one of ${lossPresets().join(', ')}, or a law file with "loss"`,
      });
    }
    const raw: Record<string, string | undefined> = {};
    for (const key of KEYS) raw[key] = options[key] as string | undefined;
    if (typeof options.input === 'string') {
      return (await import('../batch.js')).runBatch(ctx, options.input, raw, lossBatchSpec(law));
    }
    await prepareFlags(raw);
    const result = assertFiniteResult(evaluateLoss(raw, flagName, law));
    if (result.extrapolation) ctx.warn(`${law.name}: this run lies outside the range the law was fitted on: extrapolation`);
    if (ctx.json) ctx.emitJson('loss', { ...result, title: law.title, source: law.source });
    else ctx.out(render(result, law, ctx));
    return 0;
  },
};
