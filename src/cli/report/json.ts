/**
 * `moeplan check --format json` (or `--json`): one document. Top level: `passed` and
 * `checks` (every finding of every plan, each `{ plan, id, status, actual, limit, … }`),
 * then per plan the resolved inputs, the derived quantities and its own findings, and the
 * counts of the summary line.
 */
import type { Finding } from '../../core/checks/index.js';
import { type CheckRun, type PlanOutcome, nothingRan, planNotes, planPassed, runPassed, skipReasonText, summarize, summaryLine } from './model.js';

function findingJson(finding: Finding, plan: string): Record<string, unknown> {
  return {
    plan,
    id: finding.id,
    status: finding.status,
    actual: finding.actual,
    limit: finding.limit,
    kind: finding.kind,
    level: finding.level,
    excess: finding.excess,
    ...(finding.reason !== undefined ? { reason: skipReasonText(finding) } : {}),
    detail: finding.detail,
  };
}

function planJson(outcome: PlanOutcome, run: CheckRun): Record<string, unknown> {
  if (!outcome.result || !outcome.loaded) {
    return {
      file: outcome.file,
      passed: false,
      error: {
        code: outcome.error?.code ?? 'INVALID_PLAN',
        message: outcome.error?.message ?? 'could not be read',
        problems: outcome.error?.problems ?? [],
      },
      checks: [],
    };
  }
  const { plan, law, config, computeFrom } = outcome.loaded;
  const derived = outcome.result.derived;
  const optimal = derived.optimal;
  const notes = planNotes(outcome);
  const f = config?.compute.flops;
  return {
    file: outcome.file,
    name: plan.name,
    law: law.name,
    compute: computeFrom,
    passed: planPassed(outcome, run),
    ...(config && f
      ? {
          config: {
            path: config.path,
            family: config.model.family,
            unknownKeys: config.model.unknownKeys,
            architecture: {
              seqLen: f.seqLen,
              seqLenSource: config.compute.seqLenSource,
              flopsPerToken: f.perToken,
              paramsTokens: f.compute.paramsTokens,
              tokensTerm: f.compute.tokens,
              pieces: f.pieces,
            },
          },
        }
      : {}),
    ...(notes.length > 0 ? { notes } : {}),
    checks: outcome.result.findings.map((f) => findingJson(f, outcome.file)),
    inputs: {
      model: plan.model,
      training: plan.training,
      hardware: plan.hardware,
      ...(plan.parallelism ? { parallelism: plan.parallelism } : {}),
      limits: plan.limits,
    },
    derived: {
      ...(derived.flops !== undefined ? { flops: derived.flops } : {}),
      ...(derived.criticalBatchTokens !== undefined ? { bcrit: derived.criticalBatchTokens, bcritFrom: derived.criticalBatchFrom } : {}),
      ...(derived.cmin !== undefined ? { cmin: derived.cmin } : {}),
      ...(optimal
        ? {
            optimalParams: optimal.params,
            optimalTokens: optimal.tokens,
            closure: optimal.closure,
            extrapolation: optimal.extrapolation,
            ...(optimal.fittedRange ? { fittedRange: optimal.fittedRange } : {}),
          }
        : {}),
      ...(derived.batchOverNoise !== undefined ? { batchOverNoise: derived.batchOverNoise } : {}),
      ...(derived.optimalSharedLr !== undefined ? { optimalSharedLr: derived.optimalSharedLr } : {}),
      ...(derived.optimalSpecializedLr !== undefined ? { optimalSpecializedLr: derived.optimalSpecializedLr } : {}),
      ...(derived.gpuHours !== undefined ? { gpuHours: derived.gpuHours } : {}),
      ...(derived.days !== undefined ? { days: derived.days } : {}),
      ...(derived.cost !== undefined ? { cost: derived.cost } : {}),
    },
  };
}

/** The document (without `schemaVersion` and `command`, which `ctx.emitJson` adds). */
export function checkJson(run: CheckRun): Record<string, unknown> {
  const plans = run.outcomes.map((o) => planJson(o, run));
  return {
    passed: runPassed(run),
    strict: run.strict,
    failOnSkip: run.failOnSkip === true,
    checksRan: !nothingRan(run),
    checks: run.outcomes.flatMap((o) => (o.result ? o.result.findings.map((f) => findingJson(f, o.file)) : [])),
    plans,
    summary: { ...summarize(run), line: summaryLine(run) },
  };
}
