/**
 * `moeplan fit`: a user's own scaling law from their own runs, the way Hunyuan-Large
 * §2.3.1 fitted Nopt = Nc·Cmin^α and Dopt = Dc·Cmin^β: isoFLOP parabolas per budget, a
 * log-log regression across budgets, bootstrap intervals, a law file and plots.
 */
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { type ComputeModel, trainingFlops } from '../../core/compute.js';
import { minimumCompute } from '../../core/critical-batch.js';
import { MoeplanError, isMoeplanError } from '../../core/errors.js';
import { type FitRun, type FittedPowerLaw, type IsoflopFit, fitIsoflop } from '../../core/fit/isoflop.js';
import { lawFromFit } from '../../core/fit/law.js';
import { COARSE_GRID, HOFFMANN_GRID, type ParametricFit, fitParametric } from '../../core/fit/parametric.js';
import { parametricLaw } from '../../core/fit/parametric-law.js';
import { groupAutomatically, groupByBudgets } from '../../core/fit/grouping.js';
import { COMPUTE_MODEL_LAWS, DEFAULT_LAW } from '../../core/laws/index.js';
import type { Law } from '../../core/laws/types.js';
import { printable, sci, showValue, si, trimNumber } from '../../io/format.js';
import { NeedsExpressionEngine, loadExpressionEngine, parseQuantity, parseQuantityAsync } from '../../io/quantity.js';
import type { RecordValue } from '../../io/records.js';
import { ExcludedRows, parseColumnMap as parseColumnMapOf, readRunsFile } from '../../io/runs-file.js';
import { architectureCompute } from '../../io/architecture-compute.js';
import type { ModelConfig } from '../../io/model-config.js';
import { warnUnknownKeys } from '../architecture-compute.js';
import type { CommandDefinition } from '../command.js';
import { FIT_METHODS, type FitMethod, parametricJson, renderComparison, renderParametric } from '../fit-parametric.js';
import { type Context, flagName, prepareFlags, quantity } from '../context.js';
import { computeLabel, computeShort, describeCompute } from '../law-text.js';
import { renderMessage } from '../../messages/index.js';
import { type Row, renderRows, renderTable } from '../render.js';
import { renderTextChart } from '../text-chart.js';

/** The columns a runs file may have, under these names or mapped with --columns. */
const COLUMNS = ['params', 'tokens', 'loss', 'flops', 'batch', 'bcrit', 'config', 'seqlen'] as const;
type ColumnKey = (typeof COLUMNS)[number];
/** Required columns; a `config` column stands in for `params` (N then comes from each run's config). */
const REQUIRED: readonly ColumnKey[] = ['params', 'tokens', 'loss'];

/** The compute models `--law-compute` takes, by name: the law registry's (the default law's and the compute-only presets). */
const COMPUTE_LAWS: ReadonlyMap<string, Law> = new Map(COMPUTE_MODEL_LAWS.map((law) => [law.name, law]));
const computeLaw = (name: string): Law => COMPUTE_LAWS.get(name) as Law;
/** `hunyuan (eq. 2) or dense (6ND)`. */
const COMPUTE_CHOICES = COMPUTE_MODEL_LAWS.map((law) => `${law.name} (${computeLabel(law)})`)
  .join(', ')
  .replace(/, ([^,]*)$/, ' or $1');
/** The compute model of runs priced by their config (a `config` column): `--law-compute arch`. */
const ARCH_COMPUTE = 'arch';

/** Most distinct config files one runs file may name (each is read once, up to 1 MiB). */
export const MAX_RUN_CONFIGS = 200;

/** One run as read, before the fit. */
export interface RunRow extends FitRun {
  readonly line: number;
  readonly batch?: number;
  readonly bcrit?: number;
  /** The run's config (as the file wrote it) and the sequence length its FLOPs were counted at, when C came from it. */
  readonly config?: string;
  readonly seqLen?: number;
}

/** A row whose C waits for its config file. */
interface PendingRun {
  readonly line: number;
  readonly config: string;
  readonly seqLen?: number;
  readonly params?: number;
  readonly tokens: number;
  readonly loss: number;
  readonly flops?: number;
  readonly batch?: number;
  readonly bcrit?: number;
}

/** The JSON of {@link ExcludedRows}: `leftOut` lists the first {@link ExcludedRows.LISTED} rows; these count all of them. */
function excludedJson(excluded: ExcludedRows): Record<string, unknown> {
  return excluded.toJSON();
}

export interface ReadRuns {
  readonly runs: RunRow[];
  readonly excluded: ExcludedRows;
  /** Which of the optional columns the file has (after mapping). */
  readonly has: Readonly<Record<ColumnKey, boolean>>;
  /** The file's own column names (CSV header, or every key seen in JSON Lines). */
  readonly columns: readonly string[];
}

/** Parse `--columns flops=C,params=N,tokens=D` into file column → moeplan key. */
export function parseColumnMap(text: string | undefined): Map<string, ColumnKey> {
  return parseColumnMapOf(
    text,
    COLUMNS,
    (part) =>
      new MoeplanError('INVALID_INPUT', `--columns: "${part}" is not KEY=COLUMN with KEY one of ${COLUMNS.join(', ')}`, {
        field: '--columns',
        hint: 'e.g. --columns flops=C,params=N,tokens=D',
      }),
  );
}

/**
 * Read a runs file (CSV or JSON Lines) into runs. A row with a missing, non-numeric,
 * non-finite or non-positive value is left out with its line and the reason; a file
 * without a required column is an error.
 */
export async function readRuns(
  path: string,
  ctx: Context,
  options: { columnMap: Map<string, ColumnKey>; batch?: number; bcrit?: number; compute: ComputeModel; seqLen?: number; strict?: boolean },
): Promise<ReadRuns> {
  const rows: (RunRow | PendingRun)[] = [];
  const excluded = new ExcludedRows();
  let seen: ReadonlySet<ColumnKey> = new Set();

  const parseRow = (line: number, values: Partial<Record<ColumnKey, RecordValue>>): RunRow | PendingRun => {
    const name = (key: string) => `line ${line}: ${key}`;
    const number = (key: ColumnKey, required: boolean): number | undefined => {
      const raw = values[key];
      if (raw === undefined || raw === null || raw === '') {
        if (required) throw new MoeplanError('MISSING_INPUT', `${name(key)} is missing`);
        return undefined;
      }
      if (typeof raw !== 'string' && typeof raw !== 'number') {
        throw new MoeplanError('INVALID_QUANTITY', `${name(key)}: expected a number, got ${showValue(raw)}`);
      }
      return parseQuantity(raw, { name: name(key) });
    };
    const configCell = values.config;
    const config = typeof configCell === 'string' && configCell.trim() !== '' ? configCell.trim() : undefined;
    if (configCell !== undefined && configCell !== null && configCell !== '' && typeof configCell !== 'string') {
      throw new MoeplanError('INVALID_INPUT', `${name('config')}: expected the path of a config.json, got ${showValue(configCell)}`);
    }
    if (config !== undefined && config.length > MAX_CONFIG_PATH) {
      throw new MoeplanError('INVALID_INPUT', `${name('config')}: a path of at most ${MAX_CONFIG_PATH} characters`);
    }
    const params = number('params', config === undefined);
    const tokens = number('tokens', true) as number;
    const loss = number('loss', true) as number;
    const given = number('flops', false);
    const rowSeqLen = number('seqlen', false);
    if (rowSeqLen !== undefined && !(Number.isSafeInteger(rowSeqLen) && rowSeqLen >= 1)) {
      throw new MoeplanError('INVALID_QUANTITY', `${name('seqlen')}: a whole number of tokens, at least 1, got ${rowSeqLen}`);
    }
    if (config === undefined && seen.has('config') && given === undefined) {
      throw new MoeplanError(
        'MISSING_INPUT',
        `${name('config')} is missing (a runs file with a config column prices each run by its config; give one, or the run's flops)`,
      );
    }
    const batch = number('batch', false) ?? options.batch;
    const bcrit = number('bcrit', false) ?? options.bcrit;
    if (
      (batch === undefined) !== (bcrit === undefined) &&
      (seen.has('batch') || seen.has('bcrit') || options.batch !== undefined || options.bcrit !== undefined)
    ) {
      throw new MoeplanError('MISSING_INPUT', `${name(batch === undefined ? 'batch' : 'bcrit')} is missing (the batch adjustment needs both batch and bcrit)`);
    }
    const seqLen = rowSeqLen ?? options.seqLen;
    if (config !== undefined) {
      return {
        line,
        config,
        tokens,
        loss,
        ...(params !== undefined ? { params } : {}),
        ...(given !== undefined ? { flops: given } : {}),
        ...(seqLen !== undefined ? { seqLen } : {}),
        ...(batch !== undefined ? { batch } : {}),
        ...(bcrit !== undefined ? { bcrit } : {}),
      };
    }
    return finishRun({ line, params: params as number, tokens, loss, flops: given ?? trainingFlops(params as number, tokens, options.compute), batch, bcrit });
  };
  const accept = (line: number, values: Partial<Record<ColumnKey, RecordValue>>): undefined | Promise<void> => {
    try {
      rows.push(parseRow(line, values));
    } catch (error) {
      if (error instanceof NeedsExpressionEngine) return loadExpressionEngine().then(() => accept(line, values));
      if (!isMoeplanError(error)) throw error;
      excluded.add(line, error.message);
    }
    return undefined;
  };

  const read = await readRunsFile<ColumnKey>({
    path,
    cwd: ctx.io.cwd,
    stdin: ctx.io.stdin,
    keys: COLUMNS,
    required: REQUIRED,
    satisfiedBy: { params: ['config'] },
    columnMap: options.columnMap,
    errors: {
      terminal: () =>
        new MoeplanError('BAD_INPUT', 'runs file -: standard input is a terminal', { hint: 'pipe the runs in (moeplan fit - < runs.csv) or give the path' }),
      unreadable: (reason) =>
        new MoeplanError(reason === 'no such file' ? 'FILE_NOT_FOUND' : 'CANNOT_READ', `cannot read the runs file "${printable(path)}": ${reason}`, {
          hint: 'give the path of a CSV (params,tokens,loss[,flops,batch,bcrit]) or JSON Lines file, or - for standard input',
        }),
      directory: () => new MoeplanError('BAD_INPUT', `runs file "${path}" is a directory`, { hint: 'give a CSV or JSONL file of runs' }),
      aliasedColumns: ([first, second], key) =>
        new MoeplanError('DUPLICATE_COLUMN', `${printable(path)}: line 1: columns ${showValue(first, 40)} and ${showValue(second, 40)} both name ${key}`, {
          hint: 'keep one of them (names are matched without case, - and _), or map one with --columns',
        }),
      unmappedColumn: (column, key, columns) =>
        new MoeplanError('MISSING_COLUMN', `--columns: ${key}=${column}, but ${path} has no column "${column}" (it has ${columns.join(', ')})`, {
          field: '--columns',
        }),
      missingColumns: (missing, columns) => {
        const lower = columns.map((c) => c.toLowerCase());
        const chinchilla = ['c', 'n', 'd'].every((c) => lower.includes(c));
        return new MoeplanError(
          'MISSING_COLUMN',
          `${path}: no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''} (columns: ${columns.length > 0 ? columns.join(', ') : 'none'})`,
          {
            field: missing[0] as string,
            hint: chinchilla
              ? 'these look like C, N, D: try --columns flops=C,params=N,tokens=D'
              : "a runs file has params, tokens and loss columns (optional flops, batch, bcrit; a config column naming each run's config.json stands in for params); map other names with --columns params=N,tokens=D",
          },
        );
      },
    },
    onRow: (line, values, fields) => {
      seen = fields;
      return accept(line, values);
    },
    onBadRow: (line, error) => excluded.add(line, error.message),
  });
  const baseDir = path === '-' ? ctx.io.cwd : dirname(resolve(ctx.io.cwd, path));
  const configs = await loadRunConfigs(rows, baseDir, ctx, options.strict === true);
  const runs: RunRow[] = [];
  for (const row of rows) {
    if (!('config' in row) || row.config === undefined || 'cmin' in row) {
      runs.push(row as RunRow);
      continue;
    }
    const pending = row as PendingRun;
    const loaded = configs.get(pending.config) as ConfigOrError;
    if ('error' in loaded) {
      excluded.add(pending.line, `line ${pending.line}: config: ${loaded.error}`);
      continue;
    }
    try {
      const compute = architectureCompute(loaded.config, pending.seqLen, '--seq-len or a seqlen column');
      const params = pending.params ?? compute.flops.compute.activatedParams;
      const flops = pending.flops ?? compute.flops.perToken * pending.tokens;
      runs.push({
        ...finishRun({ line: pending.line, params, tokens: pending.tokens, loss: pending.loss, flops, batch: pending.batch, bcrit: pending.bcrit }),
        config: pending.config,
        seqLen: compute.flops.seqLen,
      });
    } catch (error) {
      if (!isMoeplanError(error)) throw error;
      excluded.add(pending.line, error.message);
    }
  }
  runs.sort((a, b) => a.line - b.line);
  const has = Object.fromEntries(COLUMNS.map((c) => [c, read.seen.has(c)])) as Record<ColumnKey, boolean>;
  return { runs, excluded, has, columns: read.columns };
}

/** Longest config path a runs file may give. */
const MAX_CONFIG_PATH = 1000;

type ConfigOrError = { readonly config: ModelConfig } | { readonly error: string };

/** The run's C and Cmin once its FLOPs are known. */
function finishRun(r: {
  line: number;
  params: number;
  tokens: number;
  loss: number;
  flops: number;
  batch: number | undefined;
  bcrit: number | undefined;
}): RunRow {
  if (!Number.isFinite(r.flops)) throw new MoeplanError('OVERFLOW', `line ${r.line}: flops: the compute of this run overflows`);
  const cmin = r.batch !== undefined && r.bcrit !== undefined ? minimumCompute(r.flops, r.batch, r.bcrit) : r.flops;
  return {
    line: r.line,
    params: r.params,
    tokens: r.tokens,
    loss: r.loss,
    flops: r.flops,
    cmin,
    ...(r.batch !== undefined ? { batch: r.batch } : {}),
    ...(r.bcrit !== undefined ? { bcrit: r.bcrit } : {}),
  };
}

/**
 * The config files the runs name, each read once, relative to the runs file's folder (the
 * working directory for stdin), as `model.config` in a plan is to the plan's. A config that
 * cannot be read leaves its runs out with the reason; its unknown keys are one note per
 * file, or an error under `strict`. More than {@link MAX_RUN_CONFIGS} files is an error.
 */
async function loadRunConfigs(rows: readonly (RunRow | PendingRun)[], baseDir: string, ctx: Context, strict: boolean): Promise<Map<string, ConfigOrError>> {
  const names = [...new Set(rows.flatMap((r) => ('config' in r && r.config !== undefined && !('cmin' in r) ? [r.config] : [])))];
  if (names.length > MAX_RUN_CONFIGS) {
    throw new MoeplanError('INVALID_INPUT', `the runs name ${names.length} config files; at most ${MAX_RUN_CONFIGS} are read`, {
      field: 'config',
      hint: 'runs of one model size share one config file',
    });
  }
  const out = new Map<string, ConfigOrError>();
  if (names.length === 0) return out;
  const { readModelConfig, unknownKeyError } = await import('../../io/model-config.js');
  for (const name of names) {
    let config: ModelConfig;
    try {
      config = await readModelConfig(name, baseDir, 'config');
    } catch (error) {
      if (!isMoeplanError(error)) throw error;
      out.set(name, { error: error.message.replace(/^config: /, '') });
      continue;
    }
    if (strict && config.unknownKeys.length > 0) throw unknownKeyError(`config ${name}`, config.family, config.unknownKeys);
    warnUnknownKeys(config, ctx);
    out.set(name, { config });
  }
  return out;
}

/**
 * The compute model C = a·N·D + b·D closest to the runs' own FLOPs per token f = C/D, for the
 * law file of runs priced by their architectures (b grows with width, so one b cannot fit
 * every size exactly): a and b minimise Σ((a·N + b)/f − 1)², the relative error per run.
 * With fewer than two distinct N (or a fit with a ≤ 0), a = 6 and b is the mean of f − 6·N.
 * `maxDeviation` is the largest |(a·N + b)/f − 1| over the runs.
 *
 * @example fitComputeModel([{ params: 1e8, tokens: 1, flops: 7e8 }, { params: 1e9, tokens: 1, flops: 6.5e9 }]) // a ≈ 6.444, b ≈ 5.556e7: exact at both runs
 */
export function fitComputeModel(runs: readonly Pick<RunRow, 'params' | 'tokens' | 'flops'>[]): ComputeModel & { readonly maxDeviation: number } {
  const points = runs.map((r) => ({ n: r.params, f: r.flops / r.tokens }));
  let a = 6;
  let b = points.reduce((sum, p) => sum + (p.f - 6 * p.n), 0) / Math.max(points.length, 1);
  if (new Set(points.map((p) => p.n)).size >= 2) {
    // Least squares of the rows [n/f, 1/f] · [a, b] = 1: normal equations.
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    let sx = 0;
    let sy = 0;
    for (const { n, f } of points) {
      const x = n / f;
      const y = 1 / f;
      sxx += x * x;
      sxy += x * y;
      syy += y * y;
      sx += x;
      sy += y;
    }
    const det = sxx * syy - sxy * sxy;
    const fa = (sx * syy - sy * sxy) / det;
    const fb = (sxx * sy - sxy * sx) / det;
    if (Number.isFinite(fa) && Number.isFinite(fb) && fa > 0) {
      a = fa;
      b = fb;
    }
  }
  const maxDeviation = points.reduce((m, p) => Math.max(m, Math.abs((a * p.n + b) / p.f - 1)), 0);
  return { paramsTokens: a, tokens: b, maxDeviation };
}

/** Runs identical in every value to an earlier run: how many, and the lines of the first few copies. */
export function duplicateRuns(runs: readonly RunRow[]): { count: number; lines: number[] } {
  const seen = new Set<string>();
  const lines: number[] = [];
  let count = 0;
  for (const run of runs) {
    const key = `${run.params}|${run.tokens}|${run.loss}|${run.flops}|${run.batch}|${run.bcrit}`;
    if (seen.has(key)) {
      count++;
      if (lines.length < 20) lines.push(run.line);
    } else {
      seen.add(key);
    }
  }
  return { count, lines };
}

/**
 * Which compute model of `--law-compute` the runs' own `flops` follow (dense 6·N·D or
 * Hunyuan eq. 2): the name of the first whose median run agrees within 1%; otherwise undefined.
 */
export function inferComputeModel(runs: readonly RunRow[]): string | undefined {
  if (runs.length === 0) return undefined;
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  for (const law of COMPUTE_MODEL_LAWS) {
    const offs = runs.map((r) => Math.abs(r.flops / trainingFlops(r.params, r.tokens, law.compute) - 1));
    if (median(offs) < 0.01) return law.name;
  }
  return undefined;
}

export interface FitReport {
  readonly fit: IsoflopFit;
  readonly runs: readonly RunRow[];
  readonly excluded: ReadRuns['excluded'];
  readonly law: Law;
  readonly budgetKind: 'cmin' | 'flops';
  /** The `--law-compute` name of the compute model the law file takes. */
  readonly computeName: string;
  readonly computeReason: string;
  readonly tolerance: number;
  readonly seconds: number;
}

function parseList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A coefficient for people: plain for everyday magnitudes, scientific otherwise. */
function coefficientText(x: number, digits = 4): string {
  const magnitude = Math.abs(x);
  return magnitude >= 1e-3 && magnitude < 1e5 ? trimNumber(x, digits) : sci(x, digits);
}

function ci(interval: readonly [number, number] | undefined, format: (x: number) => string): string {
  return interval ? `${format(interval[0])} – ${format(interval[1])}` : '';
}

function lines(members: readonly number[], runs: readonly RunRow[]): number[] {
  return members.map((i) => (runs[i] as RunRow).line);
}

/** Compress [2,3,4,7,9,10] into "2–4, 7, 9–10" (cut to `max` characters with "…"). */
export function lineRanges(values: readonly number[], max = Number.POSITIVE_INFINITY): string {
  const sorted = [...values].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  const text = parts.join(', ');
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(', ', max - 2);
  return `${text.slice(0, cut === -1 ? max - 1 : cut)}, …`;
}

function render(report: FitReport, ctx: Context, file: string): string {
  const { fit, runs } = report;
  const { chalk } = ctx;
  const budget = report.budgetKind === 'cmin' ? 'Cmin' : 'C';
  const level = `${trimNumber(fit.bootstrap.confidence * 100, 3)}%`;
  const withCi = fit.bootstrap.used > 0;
  const grouping = fit.grouping === 'budgets' ? `${fit.groups.length} planned budgets` : 'budgets found from the runs';
  const header = `isoFLOP fit · ${file}: ${runs.length} runs, ${grouping}, tolerance ${trimNumber(report.tolerance * 100, 3)}%`;
  /** The rows of one power law: its formula, exponent, coefficient and R². */
  const powerRows = (y: 'N' | 'D', exponent: 'α' | 'β', law: FittedPowerLaw, unit: string, note?: string): Row[] => [
    { label: `${y}opt = ${y}c·${budget}^${exponent}`, value: '', ...(note !== undefined ? { note } : {}) },
    { label: `  ${exponent} (exponent)`, value: trimNumber(law.exponent, 4), strong: true, note: ci(law.exponentCi, (x) => trimNumber(x, 4)) },
    { label: `  ${y}c (coefficient)`, value: coefficientText(law.coefficient), unit, note: ci(law.coefficientCi, (x) => coefficientText(x, 3)) },
    { label: '  R² (log-log)', value: trimNumber(law.r2, 4) },
  ];
  const lawRows: Row[] = [
    ...powerRows('N', 'α', fit.params, 'params', withCi ? `${level} bootstrap interval, ${fit.bootstrap.used} resamples` : 'no bootstrap (--bootstrap 0)'),
    ...powerRows('D', 'β', fit.tokens, 'tokens'),
    {
      label: 'Budget',
      value: budget,
      note: report.budgetKind === 'cmin' ? 'Cmin = C/(1 + B/Bcrit), Hunyuan eq. 3' : 'raw training FLOPs (no --batch/--bcrit: no Cmin adjustment)',
    },
    { label: 'Compute model', value: report.computeName, note: report.computeReason },
  ];
  let text = renderRows(lawRows, chalk, header);

  const showCmin = report.budgetKind === 'cmin';
  const body = fit.budgets.map((b) => [
    sci(b.flops, 3),
    ...(showCmin ? [sci(b.cmin, 3)] : []),
    String(b.members.length),
    si(b.params, 3),
    si(b.tokens, 3),
    trimNumber(b.loss, 4),
    `${si(b.paramsRange[0], 2)}–${si(b.paramsRange[1], 2)}${b.paramsFit.inRange ? '' : ' (optimum outside)'}`,
    lineRanges(lines(b.members, runs), 24),
  ]);
  text += `\n${chalk.bold('Per budget')} (vertex of each parabola)\n`;
  text += renderTable(['budget C', ...(showCmin ? ['Cmin'] : []), 'runs', 'Nopt', 'Dopt', 'min loss', 'N tried', 'lines'], body, chalk, [
    'r',
    ...(showCmin ? (['r'] as const) : []),
    'r',
    'r',
    'r',
    'r',
    'l',
    'l',
  ]);
  if (fit.dropped.length > 0) {
    text += `\n${chalk.bold('Dropped budgets')}\n`;
    text += renderTable(
      ['budget C', 'runs', 'lines', 'reason'],
      fit.dropped.map((d) => [sci(d.flops, 3), String(d.members.length), lineRanges(lines(d.members, runs), 24) || '–', renderMessage(d.reason, flagName)]),
      chalk,
      ['r', 'r', 'l', 'l'],
    );
  }
  const leftOut = [...report.excluded.listed, ...fit.leftOut.map((l) => ({ line: (runs[l.index] as RunRow).line, reason: renderMessage(l.reason, flagName) }))];
  const leftOutCount = report.excluded.count + fit.leftOut.length;
  if (leftOut.length > 0) {
    const shown = leftOut.slice(0, 8);
    text += `\n${chalk.bold('Runs left out')}: ${leftOutCount} (${report.excluded.count > ExcludedRows.LISTED ? `the first ${ExcludedRows.LISTED} unreadable rows and counts by reason` : 'all of them'} in --json)\n`;
    text += shown.map((l) => `  line ${l.line}: ${l.reason.replace(/^line \d+: /, '')}`).join('\n');
    text += leftOutCount > shown.length ? `\n  … and ${leftOutCount - shown.length} more\n` : '\n';
  }
  text += `\n${renderTextChart(fit, budget, chalk)}`;
  return text;
}

export const fitCommand: CommandDefinition = {
  examples: [
    ['moeplan fit examples/fit/runs.csv', 'budgets found from the runs, 90% bootstrap intervals from 1000 resamples'],
    [
      'moeplan fit examples/data/chinchilla-runs.csv --columns flops=C,params=N,tokens=D --budgets 6e18,1e19,3e19,6e19,1e20,3e20,6e20,1e21,3e21',
      'planned budgets, other column names',
    ],
    ['moeplan fit runs.csv --batch 4M --bcrit 16M --out law.json', 'budgets as Cmin = C/(1 + B/Bcrit); write a law file for --law'],
    ['moeplan fit sweep.csv --seq-len 2K', "a config column names each run's config.json: C from its architecture at 2,048 tokens"],
    ['moeplan fit runs.csv --plot fit.svg --bootstrap 5000 --seed 7', 'isoFLOP curves and power laws as SVG; more resamples'],
    ['moeplan fit runs.jsonl --json', 'one JSON document: params/tokens {coefficient, exponent, ci}, budgets, dropped runs'],
    ['moeplan fit runs.csv --method parametric --out law.json', 'approach 3: L = E + A/N^α + B/D^β from 4,500 starts; the law file has the loss model'],
    ['moeplan fit runs.csv --method both --plot fit.svg', "approaches 2 and 3, their allocations side by side; the fitted loss's isoFLOP curves"],
  ],
  notes: `Runs file: CSV with a header, or JSON Lines (- reads stdin). Columns: params (activated N),
tokens (D), loss (final loss), and optional flops (C; else from --law-compute), batch and
bcrit (tokens; per run, or --batch/--bcrit for all) to use Cmin = C/(1 + B/Bcrit).
A config column names each run's Hugging Face config.json (relative to the runs file):
C is then the run's architecture count (Megatron-LM's, at --seq-len or a seqlen column,
default the config's max_position_embeddings capped at 4096) times D, N is the config's
activated count unless params is given, and the law file's compute is C = a·N·D + b·D
fitted to the runs' FLOPs per token. --strict: unknown config keys are errors.
Grouping: each run joins the nearest --budgets entry within --tolerance (|ln C − ln budget|
≤ ln(1 + tolerance)); without --budgets, budgets are the modes of the runs' log-compute
density. Runs off every budget, rows with bad values, and budgets with fewer than three
runs or sizes or no loss minimum are left out, each with the reason.
Per budget: least-squares parabolas (Householder QR, centred logs) of loss in ln N and in
ln D; their vertices are Nopt and Dopt. Across budgets: log-log least squares, R², and
percentile intervals from a bootstrap that resamples runs within budgets (seeded).
--method parametric (Hoffmann et al. 2022 approach 3): L(N, D) = E + A/N^α + B/D^β by the
sum of Huber losses (δ = 1e-3) of log residuals, L-BFGS from Hoffmann's 4,500 starts, the
best polished by Newton steps; Nopt = G·(C/6)^a in closed form; the bootstrap resamples all
runs and refits from the optimum (default 100 refits).`,
  configure(command: Command) {
    command
      .argument('<runs>', 'runs file: CSV or JSON Lines (- for stdin)')
      .option('--columns <map>', 'map column names, e.g. flops=C,params=N,tokens=D')
      .option('--budgets <list>', 'planned budgets (raw C, FLOPs), e.g. 6e18,1e19,3e19')
      .option('--tolerance <ratio>', 'grouping tolerance in C, e.g. 25% (within ×/÷1.25)', '25%')
      .option(
        '--method <method>',
        'isoflop (approach 2: a parabola per budget), parametric (approach 3: L = E + A/N^α + B/D^β), or both side by side',
        'isoflop',
      )
      .option('--starts <grid>', "starting points of the parametric fit: hoffmann (4,500, the paper's grid) or coarse (32, for many runs)", 'hoffmann')
      .option('--bootstrap <K>', 'bootstrap resamples (0: no intervals; default 1000, or 100 refits with --method parametric or both)')
      .option('--seed <n>', 'seed of the resampling', '1')
      .option('--confidence <level>', 'interval level', '90%')
      .option('--batch <tokens>', 'batch size in tokens for every run (with --bcrit: budgets become Cmin)')
      .option('--bcrit <tokens>', 'critical batch size in tokens for every run')
      .option('--offset-term', 'add a linear term in ln(C_run/C_budget) to each parabola (corrects runs off their budget)')
      .option(
        '--law-compute <model>',
        `compute model for C when there is no flops column, and for the law file: ${COMPUTE_CHOICES}; or arch (each run's config column; the default with one)`,
      )
      .option(
        '--seq-len <tokens>',
        "training sequence length of the runs priced by their config (default: each config's max_position_embeddings, at most 4096; a seqlen column sets it per run)",
      )
      .option('--strict', "a key of a run's config that its family does not know is an error, not a note")
      .option('--name <name>', 'name of the fitted law (default: fit-<file name>)')
      .option('--out <law.json>', 'write the fitted law as a law file (for --law in budget, optimal, cmin, check)')
      .option('--plot <fit.svg>', 'write an SVG of the isoFLOP curves and the two power laws');
  },
  async run(options, args, ctx) {
    const path = String(args[0]);
    const method = String(options.method ?? 'isoflop').toLowerCase() as FitMethod;
    if (!FIT_METHODS.includes(method)) {
      throw new MoeplanError('INVALID_INPUT', `--method: "${String(options.method)}" is not one of ${FIT_METHODS.join(', ')}`, {
        field: '--method',
        hint: 'e.g. --method parametric',
      });
    }
    if (method === 'both' && options.out !== undefined) {
      throw new MoeplanError('INVALID_INPUT', '--out with --method both: a law file holds one law', {
        field: '--out',
        hint: 'write it with --method parametric (loss model and closed form) or --method isoflop (power laws)',
      });
    }
    const starts = String(options.starts ?? 'hoffmann').toLowerCase();
    if (starts !== 'hoffmann' && starts !== 'coarse') {
      throw new MoeplanError('INVALID_INPUT', `--starts: "${String(options.starts)}" is not one of hoffmann, coarse`, { field: '--starts' });
    }
    // Before any work: an output may be neither the runs file nor the other output.
    const { checkDistinctOutputs } = await import('../../io/output-file.js');
    checkDistinctOutputs(
      [
        ...(typeof options.out === 'string' ? [{ flag: '--out', path: options.out }] : []),
        ...(typeof options.plot === 'string' ? [{ flag: '--plot', path: options.plot }] : []),
      ],
      path === '-' ? [] : [{ flag: 'the runs file', path }],
      ctx.io.cwd,
    );
    const columnMap = parseColumnMap(options.columns as string | undefined);
    const tolerance = await parseQuantityAsync(String(options.tolerance), {
      name: '--tolerance',
      percent: true,
      max: 10,
      describe: 'a ratio above 0 such as 25% or 0.25 (at most 1000%)',
    });
    const resamples = await parseQuantityAsync(String(options.bootstrap ?? (method === 'isoflop' ? '1000' : '100')), {
      name: '--bootstrap',
      min: 0,
      minInclusive: true,
      max: 1e6,
      integer: true,
      describe: 'a whole number of resamples from 0 to 1e6',
    });
    // The generator is seeded with 32 bits: a larger seed would silently fold onto a smaller one.
    const seed = await parseQuantityAsync(String(options.seed), {
      name: '--seed',
      min: 0,
      minInclusive: true,
      max: 2 ** 32 - 1,
      integer: true,
      describe: 'a whole number from 0 to 4294967295 (2^32 − 1)',
    });
    const confidence = await parseQuantityAsync(String(options.confidence), {
      name: '--confidence',
      percent: true,
      max: 0.999,
      describe: 'a level between 0 and 1 such as 90% or 0.9',
    });
    const batch = options.batch !== undefined ? await parseQuantityAsync(String(options.batch), { name: '--batch' }) : undefined;
    const bcrit = options.bcrit !== undefined ? await parseQuantityAsync(String(options.bcrit), { name: '--bcrit' }) : undefined;
    let budgets: number[] | undefined;
    if (options.budgets !== undefined) {
      const items = parseList(String(options.budgets));
      if (items.length === 0)
        throw new MoeplanError('INVALID_QUANTITY', '--budgets: empty list', { field: '--budgets', hint: 'e.g. --budgets 6e18,1e19,3e19' });
      budgets = [...new Set(await Promise.all(items.map((item) => parseQuantityAsync(item, { name: '--budgets' }))))];
    }
    const computeFlag = (options.lawCompute as string | undefined)?.toLowerCase();
    if (computeFlag !== undefined && computeFlag !== ARCH_COMPUTE && !COMPUTE_LAWS.has(computeFlag)) {
      throw new MoeplanError(
        'INVALID_INPUT',
        `--law-compute: "${String(options.lawCompute)}" is not one of ${[...COMPUTE_LAWS.keys(), ARCH_COMPUTE].join(', ')}`,
        {
          field: '--law-compute',
        },
      );
    }
    const defaultCompute = computeLaw(DEFAULT_LAW);
    const otherComputes = COMPUTE_MODEL_LAWS.filter((law) => law !== defaultCompute);
    const compute = computeLaw(computeFlag === undefined || computeFlag === ARCH_COMPUTE ? DEFAULT_LAW : computeFlag).compute;
    const seqRaw: Record<string, string | undefined> = { seqLen: options.seqLen as string | undefined };
    await prepareFlags(seqRaw);
    const seqLen = quantity(seqRaw, 'seqLen', flagName, { integer: true, describe: 'a whole number of tokens, at least 1 (e.g. 4096, 8K)' });

    const read = await readRuns(path, ctx, {
      columnMap,
      compute,
      strict: options.strict === true,
      ...(seqLen !== undefined ? { seqLen } : {}),
      ...(batch !== undefined ? { batch } : {}),
      ...(bcrit !== undefined ? { bcrit } : {}),
    });
    if (!read.has.config && (computeFlag === 'arch' || seqLen !== undefined)) {
      throw new MoeplanError(
        'MISSING_COLUMN',
        `${computeFlag === 'arch' ? '--law-compute arch' : '--seq-len'} prices runs by their architecture: the runs file needs a config column (the path of each run's config.json)`,
        { field: computeFlag === 'arch' ? '--law-compute' : '--seq-len', hint: 'e.g. a CSV with the columns config,tokens,loss' },
      );
    }
    if ((read.has.batch || batch !== undefined) !== (read.has.bcrit || bcrit !== undefined)) {
      const missing = read.has.batch || batch !== undefined ? 'bcrit' : 'batch';
      throw new MoeplanError('MISSING_INPUT', `the batch adjustment needs both batch and bcrit: give --${missing} or a ${missing} column`, {
        field: `--${missing}`,
        hint: 'Cmin = C/(1 + B/Bcrit) (Hunyuan eq. 3); leave both out to fit on raw C',
      });
    }
    // A few rows one by one, then the rest counted by reason: bounded output however many rows are bad.
    const WARNED = 10;
    for (const e of read.excluded.listed.slice(0, WARNED)) ctx.warn(`left out ${e.reason.startsWith('line') ? e.reason : `line ${e.line}: ${e.reason}`}`);
    if (read.excluded.count > WARNED) ctx.warn(`${read.excluded.count} rows left out in all: ${read.excluded.summary()}`);
    const copies = duplicateRuns(read.runs);
    if (copies.count > 0) {
      ctx.warn(
        `${copies.count} run${copies.count === 1 ? ' repeats' : 's repeat'} another exactly (line${copies.lines.length === 1 ? '' : 's'} ${lineRanges(copies.lines, 60)}${copies.count > copies.lines.length ? ', …' : ''}): each copy counts as one more measurement, so the bootstrap intervals come out narrower than the data supports; remove the copies unless they are separate runs`,
      );
    }
    if (read.runs.length === 0) {
      throw new MoeplanError(
        'NO_RUNS',
        `${path}: no usable runs${read.excluded.count > 0 ? ` (${read.excluded.count} rows left out, see the warnings above)` : ''}`,
        {
          hint: 'each run needs positive, finite params, tokens and loss',
        },
      );
    }
    const budgetKind: 'cmin' | 'flops' = read.runs.some((r) => r.batch !== undefined) ? 'cmin' : 'flops';
    let computeName: string;
    let computeReason: string;
    let lawCompute: ComputeModel;
    if (computeFlag === ARCH_COMPUTE || (computeFlag === undefined && read.has.config)) {
      const archRuns = read.runs.filter((r) => r.config !== undefined);
      const fitted = fitComputeModel(archRuns.length > 0 ? archRuns : read.runs);
      computeName = ARCH_COMPUTE;
      lawCompute = { paramsTokens: fitted.paramsTokens, tokens: fitted.tokens };
      const lengths = [...new Set(archRuns.map((r) => r.seqLen as number))].sort((x, y) => x - y);
      const at = lengths.length === 0 ? '' : lengths.length === 1 ? ` at ${lengths[0]} tokens` : ` at ${lengths[0]}–${lengths.at(-1)} tokens`;
      const b = `${fitted.tokens < 0 ? '−' : '+'} ${sci(Math.abs(fitted.tokens), 4)}`;
      computeReason = `C from each run's config (Megatron-LM's count${at}); law file: C = ${trimNumber(fitted.paramsTokens, 4)}·N·D ${b}·D fitted to the runs, within ${trimNumber(
        fitted.maxDeviation * 100,
        3,
      )}% of each`;
    } else if (computeFlag !== undefined) {
      computeName = computeFlag;
      lawCompute = computeLaw(computeName).compute;
      computeReason =
        read.has.flops || read.has.config ? 'from --law-compute (for the law file; C from the flops column)' : 'from --law-compute (C derived from N and D)';
    } else if (read.has.flops) {
      const inferred = inferComputeModel(read.runs);
      computeName = inferred ?? defaultCompute.name;
      lawCompute = computeLaw(computeName).compute;
      computeReason = inferred
        ? `the runs' flops match C = ${computeShort(computeLaw(inferred))}`
        : `the flops column matches neither ${[...otherComputes, defaultCompute].map(computeLabel).join(' nor ')}: the law file uses ${computeLabel(defaultCompute)} (choose with --law-compute)`;
    } else {
      computeName = defaultCompute.name;
      lawCompute = defaultCompute.compute;
      const others = otherComputes.map((law) => `--law-compute ${law.name} for ${computeLabel(law)}`);
      computeReason = `no flops column: ${describeCompute(defaultCompute)} (${[computeLabel(defaultCompute), ...others, 'or a config column to count each run by its architecture'].join('; ')})`;
    }
    if (method !== 'isoflop') {
      return runParametric(ctx, read, {
        method,
        starts,
        path,
        name: options.name as string | undefined,
        out: typeof options.out === 'string' ? options.out : undefined,
        plot: typeof options.plot === 'string' ? options.plot : undefined,
        resamples,
        seed,
        confidence,
        tolerance,
        budgets,
        isoflop: () => {
          // approach 2's bootstrap is cheap: its own default unless --bootstrap was given
          const isoflopResamples = options.bootstrap === undefined ? 1000 : resamples;
          const fit = fitIsoflop(read.runs, {
            ...(budgets ? { budgets } : {}),
            tolerance,
            resamples: isoflopResamples,
            seed,
            confidence,
            offsetTerm: options.offsetTerm === true,
          });
          const file = path === '-' ? 'stdin' : basename(path);
          const law = lawFromFit(fit, { name: `fit-${file.replace(/\.[^.]+$/, '')}`, file, runs: read.runs.length, budgetKind, compute: lawCompute });
          const report: FitReport = { fit, runs: read.runs, excluded: read.excluded, law, budgetKind, computeName, computeReason, tolerance, seconds: 0 };
          return {
            fit,
            text: render(report, ctx, file),
            json: jsonDocument(report, {
              path,
              tolerance,
              resamples: isoflopResamples,
              seed,
              confidence,
              budgets,
              batch,
              bcrit,
              columnMap,
              offsetTerm: options.offsetTerm === true,
            }),
          };
        },
      });
    }

    const started = performance.now();
    const progress = makeProgress(ctx);
    let fit: IsoflopFit;
    try {
      fit = fitIsoflop(read.runs, {
        ...(budgets ? { budgets } : {}),
        tolerance,
        resamples,
        seed,
        confidence,
        offsetTerm: options.offsetTerm === true,
        onProgress: progress.update,
      });
    } finally {
      progress.done();
    }
    const seconds = (performance.now() - started) / 1000;
    const file = path === '-' ? 'stdin' : basename(path);
    const name = (options.name as string | undefined) ?? `fit-${file.replace(/\.[^.]+$/, '')}`;
    // The law, with the fit's settings as free-form provenance (the law-file schema's `metadata`).
    const law = {
      ...lawFromFit(fit, { name, file, runs: read.runs.length, budgetKind, compute: lawCompute }),
      metadata: {
        fittedBy: 'moeplan fit',
        file,
        grouping: fit.grouping,
        ...(budgets ? { budgets: [...budgets].sort((a, b) => a - b) } : {}),
        tolerance,
        offsetTerm: options.offsetTerm === true,
        budgetsFitted: fit.budgets.length,
        runsFitted: fit.budgets.reduce((n, b) => n + b.members.length, 0),
        r2: { params: finiteOrNull(fit.params.r2), tokens: finiteOrNull(fit.tokens.r2) },
        bootstrap: { resamples: resamples, seed, confidence },
      },
    };
    const report: FitReport = { fit, runs: read.runs, excluded: read.excluded, law, budgetKind, computeName, computeReason, tolerance, seconds };

    for (const b of fit.budgets) {
      if (!b.paramsFit.inRange || !b.tokensFit.inRange) {
        ctx.warn(
          `budget ${sci(b.flops, 3)}: the loss minimum lies outside the ${!b.paramsFit.inRange ? 'model sizes' : 'token counts'} tried, so its optimum is extrapolated`,
        );
      }
    }
    for (const [what, law] of [
      ['params', fit.params],
      ['tokens', fit.tokens],
    ] as const) {
      if (!(law.exponent > 0 && law.exponent < 1)) {
        ctx.warn(`the ${what} exponent ${trimNumber(law.exponent, 4)} is not between 0 and 1: these optima do not describe a compute-optimal allocation`);
      } else if (fit.budgets.length > 2 && law.r2 < 0.8) {
        ctx.warn(`the ${what} optima follow the power law loosely (R² ${trimNumber(law.r2, 3)}): check the dropped budgets and the grouping`);
      }
    }
    if (fit.budgets.length === 2) ctx.warn('only two budgets: the power laws pass exactly through both (R² is not meaningful)');
    if (resamples > 0 && fit.bootstrap.used < resamples) {
      ctx.warn(
        `${resamples - fit.bootstrap.used} of ${resamples} resamples gave no power law (fewer than two budgets with a minimum); the intervals use the other ${fit.bootstrap.used}`,
      );
    }

    let exit = 0;
    let wroteLaw = false;
    const { writeFileAtomic } = await import('../../io/output-file.js');
    // Render the chart before writing anything, so that a failure leaves no half-written outputs.
    let svg: string | undefined;
    if (typeof options.plot === 'string') {
      const { renderFitSvg } = await import('../../io/plot-svg.js');
      svg = await renderFitSvg(fit, read.runs, { budget: budgetKind === 'cmin' ? 'Cmin' : 'C', title: `isoFLOP fit of ${file}` });
    }
    if (typeof options.out === 'string') {
      const problem = lawProblem(fit);
      if (problem) {
        ctx.warn(`not writing ${options.out}: ${problem}`);
        exit = 2;
      } else {
        await writeFileAtomic(resolve(ctx.io.cwd, options.out), `${JSON.stringify(law, null, 2)}\n`, '--out');
        wroteLaw = true;
      }
    }
    if (svg !== undefined) {
      try {
        await writeFileAtomic(resolve(ctx.io.cwd, options.plot as string), svg, '--plot');
      } catch (error) {
        if (!wroteLaw || !(error instanceof MoeplanError)) throw error;
        throw new MoeplanError(error.code, `${error.message}; the law was written to ${options.out}`, {
          field: '--plot',
          ...(error.hint ? { hint: error.hint } : {}),
        });
      }
    }

    if (ctx.json)
      ctx.emitJson(
        'fit',
        jsonDocument(report, { path, tolerance, resamples, seed, confidence, budgets, batch, bcrit, columnMap, offsetTerm: options.offsetTerm === true }),
      );
    else {
      ctx.out(render(report, ctx, file));
      if (typeof options.out === 'string' && exit === 0) ctx.out(`\nWrote the law to ${options.out} (use it with --law ${options.out}).\n`);
      if (typeof options.plot === 'string') ctx.out(`Wrote the chart to ${options.plot}.\n`);
    }
    return exit;
  },
};

/** Why a fitted law cannot be a law file, or undefined when it can. */
function lawProblem(fit: IsoflopFit): string | undefined {
  for (const [what, law] of [
    ['params', fit.params],
    ['tokens', fit.tokens],
  ] as const) {
    if (!(law.exponent > 0 && law.exponent < 1))
      return `the ${what} exponent ${trimNumber(law.exponent, 4)} is not between 0 and 1, so it is no compute-optimal allocation`;
    if (!(law.coefficient > 0 && Number.isFinite(law.coefficient))) return `the ${what} coefficient ${law.coefficient} is not a positive finite number`;
    if (law.coefficientCi && !law.coefficientCi.every((x) => x > 0 && Number.isFinite(x))) return `the ${what} coefficient interval is not finite`;
  }
  return undefined;
}

function makeProgress(ctx: Context) {
  const started = performance.now();
  let shown = false;
  const tty = ctx.io.stderr.isTTY === true;
  return {
    update: (done: number, total: number) => {
      if (!tty || performance.now() - started < 400) return;
      shown = true;
      ctx.io.stderr.write(`\r  bootstrap ${done}/${total} resamples (${Math.round((100 * done) / total)}%)`);
    },
    done: () => {
      if (shown) ctx.io.stderr.write('\r\x1b[K');
    },
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function jsonDocument(
  report: FitReport,
  inputs: {
    path: string;
    tolerance: number;
    resamples: number;
    seed: number;
    confidence: number;
    budgets: number[] | undefined;
    batch: number | undefined;
    bcrit: number | undefined;
    columnMap: Map<string, ColumnKey>;
    offsetTerm: boolean;
  },
): Record<string, unknown> {
  const { fit, runs } = report;
  const power = (law: FittedPowerLaw) => ({
    coefficient: law.coefficient,
    exponent: law.exponent,
    // R² means nothing through two points (NaN): null, not a number JSON cannot hold.
    r2: finiteOrNull(law.r2),
    budgets: law.points,
    ci: { coefficient: law.coefficientCi ?? null, exponent: law.exponentCi ?? null },
    coefficientCi: law.coefficientCi ?? null,
    exponentCi: law.exponentCi ?? null,
  });
  return {
    inputs: {
      file: inputs.path,
      columns: Object.fromEntries([...inputs.columnMap].map(([column, key]) => [key, column])),
      grouping: fit.grouping,
      ...(inputs.budgets ? { budgets: [...inputs.budgets].sort((a, b) => a - b) } : {}),
      tolerance: inputs.tolerance,
      bootstrap: inputs.resamples,
      seed: inputs.seed,
      confidence: inputs.confidence,
      ...(inputs.batch !== undefined ? { batch: inputs.batch } : {}),
      ...(inputs.bcrit !== undefined ? { bcrit: inputs.bcrit } : {}),
      offsetTerm: inputs.offsetTerm,
      lawCompute: report.computeName,
      ...(report.computeName === 'arch' ? { lawComputeModel: { paramsTokens: report.law.compute.paramsTokens, tokens: report.law.compute.tokens } } : {}),
    },
    budget: report.budgetKind,
    params: power(fit.params),
    tokens: power(fit.tokens),
    budgets: fit.budgets.map((b) => ({
      flops: b.flops,
      cmin: b.cmin,
      runs: b.members.length,
      lines: lines(b.members, runs),
      params: b.params,
      tokens: b.tokens,
      loss: b.loss,
      paramsCurvature: b.paramsFit.curvature,
      tokensCurvature: b.tokensFit.curvature,
      paramsInRange: b.paramsFit.inRange,
      tokensInRange: b.tokensFit.inRange,
      paramsRange: b.paramsRange,
      tokensRange: b.tokensRange,
    })),
    dropped: fit.dropped.map((d) => ({ flops: d.flops, runs: d.members.length, lines: lines(d.members, runs), reason: renderMessage(d.reason, flagName) })),
    leftOut: [
      ...report.excluded.listed,
      ...fit.leftOut.map((l) => ({
        line: (runs[l.index] as RunRow).line,
        reason: renderMessage(l.reason, flagName),
        ...(l.nearest !== undefined ? { nearestBudget: l.nearest } : {}),
      })),
    ],
    // leftOut lists the first ExcludedRows.LISTED unreadable rows; these count all of them.
    excludedRows: excludedJson(report.excluded),
    runs: { read: runs.length + report.excluded.count, usable: runs.length, fitted: fit.budgets.reduce((s, b) => s + b.members.length, 0) },
    bootstrap: { ...fit.bootstrap, seconds: report.seconds },
    fittedRange: fit.fittedRange,
    law: report.law,
  };
}

interface ParametricInputs {
  readonly method: 'parametric' | 'both';
  readonly starts: 'hoffmann' | 'coarse';
  readonly path: string;
  readonly name: string | undefined;
  readonly out: string | undefined;
  readonly plot: string | undefined;
  readonly resamples: number;
  readonly seed: number;
  readonly confidence: number;
  readonly tolerance: number;
  readonly budgets: number[] | undefined;
  /** The isoFLOP fit for --method both: its report as text and JSON. */
  readonly isoflop: () => { fit: IsoflopFit; text: string; json: Record<string, unknown> };
}

/** `fit --method parametric|both`: approach 3, and approach 2 beside it. */
async function runParametric(ctx: Context, read: ReadRuns, inputs: ParametricInputs): Promise<number> {
  const { runs } = read;
  const file = inputs.path === '-' ? 'stdin' : basename(inputs.path);
  const started = performance.now();
  // The law's compute is C = 6·N·D: without a flops column the fitted range uses it.
  const fitRuns = runs.map((r) => ({
    params: r.params,
    tokens: r.tokens,
    loss: r.loss,
    flops: read.has.flops || read.has.config ? r.flops : 6 * r.params * r.tokens,
  }));
  if (inputs.starts === 'hoffmann' && fitRuns.length > 5000) {
    ctx.warn(`fitting ${fitRuns.length} runs from each of Hoffmann's 4,500 starts takes minutes; --starts coarse uses 32 starts`);
  }
  const tty = ctx.io.stderr.isTTY === true;
  let shown = false;
  const onProgress = (done: number, total: number, phase: 'starts' | 'bootstrap') => {
    if (!tty || performance.now() - started < 400) return;
    shown = true;
    ctx.io.stderr.write(
      `\r\x1b[K  ${phase === 'starts' ? `L-BFGS from start ${done}/${total}` : `bootstrap ${done}/${total} refits`} (${Math.round((100 * done) / total)}%)`,
    );
  };
  let fit: ParametricFit;
  try {
    fit = fitParametric(fitRuns, {
      resamples: inputs.resamples,
      seed: inputs.seed,
      confidence: inputs.confidence,
      grid: inputs.starts === 'coarse' ? COARSE_GRID : HOFFMANN_GRID,
      onProgress,
    });
  } finally {
    if (shown) ctx.io.stderr.write('\r\x1b[K');
  }
  const seconds = (performance.now() - started) / 1000;
  let isoflop: ReturnType<ParametricInputs['isoflop']> | { error: string } | undefined;
  if (inputs.method === 'both') {
    try {
      isoflop = inputs.isoflop();
    } catch (error) {
      if (!isMoeplanError(error)) throw error;
      isoflop = { error: error.message };
      ctx.warn(`isoFLOP fit: ${error.message}`);
    }
  }
  const name = inputs.name ?? `fit-${file.replace(/\.[^.]+$/, '')}`;
  const built = parametricLaw(fit, { name, file, fittedBy: `moeplan fit ${file} --method parametric` });
  const law =
    'law' in built
      ? {
          ...built.law,
          metadata: {
            fittedBy: 'moeplan fit --method parametric',
            file,
            runsFitted: fit.runs,
            starts: fit.starts,
            grid: inputs.starts,
            delta: fit.delta,
            objective: fit.objective,
            r2: Number.isFinite(fit.r2) ? fit.r2 : null,
            bootstrap: { resamples: inputs.resamples, seed: inputs.seed, confidence: inputs.confidence },
          },
        }
      : undefined;
  if ('problem' in built) ctx.warn(`the fitted loss has no compute-optimal allocation: ${renderMessage(built.problem, flagName)}`);
  if (inputs.resamples > 0 && fit.bootstrap.used < inputs.resamples) {
    ctx.warn(`${inputs.resamples - fit.bootstrap.used} of ${inputs.resamples} resamples gave no finite fit; the intervals use the other ${fit.bootstrap.used}`);
  }
  if (fit.r2 < 0.9) ctx.warn(`the fitted loss follows the runs loosely (R² ${trimNumber(fit.r2, 3)}): check the runs and the intervals`);
  if (fit.runs < 20) ctx.warn(`only ${fit.runs} runs for five constants: the fit is loosely determined (look at the intervals)`);

  let exit = 0;
  let svg: string | undefined;
  if (inputs.plot !== undefined) {
    // Budgets of the chart: the runs grouped by C (the flops column, else 6·N·D, the law's compute).
    const flops = runs.map((r) => (read.has.flops || read.has.config ? r.flops : 6 * r.params * r.tokens));
    const logFlops = flops.map((c) => Math.log(c));
    const grouping =
      inputs.budgets && inputs.budgets.length > 0 ? groupByBudgets(logFlops, inputs.budgets, inputs.tolerance) : groupAutomatically(logFlops, inputs.tolerance);
    const chartBudgets = grouping.groups.filter((g) => g.members.length > 0).map((g) => ({ flops: g.flops, members: g.members }));
    const { renderParametricSvg } = await import('../../io/plot-svg.js');
    svg = await renderParametricSvg(fit, fitRuns, chartBudgets, { title: `Parametric fit of ${file}: isoFLOP curves of the fitted loss` });
  }
  if (inputs.out !== undefined) {
    if (!law) {
      ctx.warn(`not writing ${inputs.out}: ${'problem' in built ? renderMessage(built.problem, flagName) : 'no law'}`);
      exit = 2;
    } else {
      await writeOutput(resolve(ctx.io.cwd, inputs.out), `${JSON.stringify(law, null, 2)}\n`, '--out');
    }
  }
  if (svg !== undefined && inputs.plot !== undefined)
    await writeOutput(resolve(ctx.io.cwd, inputs.plot), svg, '--plot', law && exit === 0 ? inputs.out : undefined);

  const iso = isoflop && !('error' in isoflop) ? isoflop : undefined;
  if (ctx.json) {
    ctx.emitJson('fit', {
      method: inputs.method,
      inputs: { file: inputs.path, bootstrap: inputs.resamples, seed: inputs.seed, confidence: inputs.confidence, starts: inputs.starts, delta: fit.delta },
      parametric: { ...parametricJson(fit), seconds },
      ...(inputs.method === 'both' ? { isoflop: iso ? iso.json : { error: (isoflop as { error: string }).error } } : {}),
      leftOut: read.excluded.listed,
      excludedRows: excludedJson(read.excluded),
      runs: { read: runs.length + read.excluded.count, usable: runs.length, fitted: fit.runs },
      law: law ?? null,
    });
  } else {
    let text = '';
    if (iso) text += `${iso.text}\n`;
    text += renderParametric(fit, ctx, file);
    if (inputs.method === 'both' && isoflop) text += renderComparison(iso ? iso.fit : (isoflop as { error: string }), fit, ctx);
    ctx.out(text);
    if (inputs.out !== undefined && exit === 0) ctx.out(`\nWrote the law to ${inputs.out} (use it with --law ${inputs.out}).\n`);
    if (inputs.plot !== undefined) ctx.out(`Wrote the chart to ${inputs.plot}.\n`);
  }
  return exit;
}

/** Write an output file atomically; a failure after the law was written (`written`) says so. */
async function writeOutput(path: string, text: string, flag: string, written?: string): Promise<void> {
  const { writeFileAtomic } = await import('../../io/output-file.js');
  try {
    await writeFileAtomic(path, text, flag);
  } catch (error) {
    if (written === undefined || !(error instanceof MoeplanError)) throw error;
    throw new MoeplanError(error.code, `${error.message}; the law was written to ${written}`, { field: flag, ...(error.hint ? { hint: error.hint } : {}) });
  }
}
