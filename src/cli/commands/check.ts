/**
 * `moeplan check plan.yaml [more…]`: plan files checked against budgets and scaling laws,
 * for people (text), programs (json), pull requests (markdown) and GitHub Actions (github).
 *
 * The plan reader (yaml, zod) and the checks are imported only when this command runs.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CHECKS } from '../../core/checks/index.js';
import { MoeplanError } from '../../core/errors.js';
import { renderError } from '../../messages/index.js';
import type { CommandDefinition } from '../command.js';
import type { Context } from '../context.js';
import type { CheckRun, PlanOutcome } from '../report/model.js';

export const CHECK_FORMATS = ['text', 'json', 'markdown', 'github'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** Read and check each plan file in turn; a plan that cannot be read does not stop the others. */
export async function checkPlanFiles(files: readonly string[], options: { cwd: string; strict: boolean; failOnSkip?: boolean }): Promise<CheckRun> {
  const [{ readPlanFile, PlanFileError, displayPath, planFieldName }, { checkPlan }] = await Promise.all([
    import('../../io/plan-file.js'),
    import('../../core/checks/index.js'),
  ]);
  const outcomes: PlanOutcome[] = [];
  for (const file of files) {
    const shown = file === '-' ? 'stdin' : displayPath(resolve(options.cwd, file), options.cwd);
    try {
      const loaded = await readPlanFile(file, { cwd: options.cwd, strict: options.strict });
      outcomes.push({ file: loaded.file, loaded, result: checkPlan(loaded.plan, loaded.law, { strict: options.strict }) });
    } catch (error) {
      if (!(error instanceof MoeplanError)) throw error;
      // A core error names its inputs as the plan's fields.
      const { message, hint } = renderError(error, planFieldName);
      const problems = error instanceof PlanFileError ? error.problems : [{ message, ...(hint ? { hint } : {}) }];
      outcomes.push({
        file: shown,
        error: { code: error.code, message, ...(hint ? { hint } : {}), problems },
      });
    }
  }
  return { outcomes, strict: options.strict, failOnSkip: options.failOnSkip === true || options.strict };
}

/** One line per check (consecutive checks with the same help and kind share a line). */
function checkList(): string {
  const lines: { ids: string[]; kind: string; help: string }[] = [];
  for (const check of CHECKS) {
    const last = lines[lines.length - 1];
    if (last && last.help === check.help && last.kind === check.kind) last.ids.push(check.id);
    else lines.push({ ids: [check.id], kind: check.kind, help: check.help });
  }
  return lines
    .map(({ ids, kind, help }) => {
      const names = ids.join(', ');
      return names.length > 16 ? `  ${names} { ${kind} } ${help}` : `  ${names.padEnd(16)} ${`{ ${kind} }`.padEnd(11)} ${help}`;
    })
    .join('\n');
}

function chooseFormat(options: Record<string, unknown>, ctx: Context): CheckFormat {
  const format = options.format as CheckFormat | undefined;
  if (ctx.json && format !== undefined && format !== 'json') {
    throw new MoeplanError('INVALID_INPUT', `--json and --format ${format} contradict each other`, {
      hint: '--json is short for --format json; give one of them',
    });
  }
  return ctx.json ? 'json' : (format ?? 'text');
}

export const checkCommand: CommandDefinition = {
  failure: 'a check failed',
  examples: [
    ['moeplan check examples/plans/hunyuan-large.yaml', 'the Hunyuan-Large plan: passes, with a warning (7T tokens is 43% above Dopt)'],
    ['moeplan check plans/*.yaml --format github', 'in GitHub Actions: annotations on the plan lines, table in the job summary'],
    ['moeplan check plan.yaml --format markdown > comment.md', 'a table for a pull-request comment'],
    ['moeplan check plan.yaml --json', 'one JSON document: passed, checks [{ id, status, actual, limit }], per-plan detail'],
    ['moeplan check plan.yaml --strict', 'warnings and checks skipped for want of inputs fail too'],
    ['moeplan check plan.yaml --fail-on-skip', 'a check skipped for want of inputs fails (warnings still pass)'],
    ['moeplan schema > plan.schema.json', 'the JSON Schema of plan files, for editor completion'],
  ],
  notes: `Checks (each key under limits: is the check's id; level: error (default), warn or off):
${checkList()}
A check whose inputs the plan lacks is reported as skipped, with the reason; never passed.
When not one check ran, the summary says "nothing checked: 0 of N checks ran".
--fail-on-skip: a check skipped for want of inputs fails the plan (level: off never does);
--strict implies it, since a strict run accepts nothing short of a pass; under --strict a
key of model.config that its family does not know is an error, as in every command that
reads a config: the plan cannot be read (exit 2, even with --no-exit-code); else a note.
compute: arch (or law: arch) counts C from model.config's architecture at training.seqLen.
Plan quantities accept the same forms as flags (52B, 7T, 15%, 6*52B*7T).
--no-exit-code: exit 0 even when checks fail (a plan that cannot be read still exits 2).`,
  configure(command: Command) {
    command
      .argument('<plans...>', 'plan files (.yaml, .yml or .json)')
      .addOption(command.createOption('--format <format>', 'output: text (default), json, markdown, github').choices(CHECK_FORMATS))
      .option('--strict', 'warnings and skipped checks fail the plan (implies --fail-on-skip); an unknown model.config key makes it unreadable (exit 2)')
      .option('--fail-on-skip', 'a check skipped because the plan lacks its inputs counts as a failure')
      .option('--no-exit-code', 'report without failing: exit 0 when checks fail');
  },
  async run(options, args, ctx) {
    const files = (args[0] as string[] | undefined) ?? [];
    const format = chooseFormat(options, ctx);
    const strict = options.strict === true;
    const run = await checkPlanFiles(files, { cwd: ctx.io.cwd, strict, failOnSkip: options.failOnSkip === true });
    const [model, { formatProblem }, { plain }] = await Promise.all([
      import('../report/model.js'),
      import('../../io/plan-file.js'),
      import('../report/escape.js'),
    ]);
    const exit = run.outcomes.some((o) => !o.result) ? 2 : !model.runPassed(run) && options.exitCode !== false ? 1 : 0;
    // Known before the report is written: `check … | head` exits with it too.
    ctx.io.exitCodeSoFar?.(exit);

    // A plan that cannot be read is an error on stderr as well (the report may be on its way to
    // a file). A plan's notes and "no limits set" are in the report only (for --json its
    // `notes`), never repeated on stderr.
    if (format !== 'github') {
      for (const outcome of run.outcomes) {
        for (const problem of outcome.error?.problems ?? []) {
          ctx.io.stderr.write(`${ctx.errChalk.red('error:')} ${plain(formatProblem(outcome.file, problem))}\n`);
          if (problem.hint) ctx.io.stderr.write(`${ctx.errChalk.dim(`  hint: ${plain(problem.hint)}`)}\n`);
        }
      }
    }

    switch (format) {
      case 'json': {
        const { checkJson } = await import('../report/json.js');
        ctx.emitJson('check', checkJson(run));
        break;
      }
      case 'markdown': {
        const { renderMarkdown } = await import('../report/markdown.js');
        const { commentLimit } = await import('../report/markdown.js');
        ctx.out(renderMarkdown(run, commentLimit));
        break;
      }
      case 'github': {
        const [{ renderAnnotations }, { renderText }, { renderMarkdown }] = await Promise.all([
          import('../report/github.js'),
          import('../report/text.js'),
          import('../report/markdown.js'),
        ]);
        // The annotation lines are the only lines that start a workflow command: written past
        // ctx.out's guard, every value in them escaped by renderAnnotations.
        ctx.io.stdout.write(renderAnnotations(run));
        ctx.out(renderText(run, ctx.chalk));
        const summaryFile = ctx.io.env.GITHUB_STEP_SUMMARY;
        if (summaryFile) {
          const { appendFileAtomic } = await import('../../io/output-file.js');
          try {
            const { stepSummaryLimit } = await import('../report/markdown.js');
            const used = await stat(summaryFile).then(
              (info) => info.size,
              () => 0,
            );
            await appendFileAtomic(summaryFile, `${renderMarkdown(run, stepSummaryLimit(used + 1))}\n`, '$GITHUB_STEP_SUMMARY');
          } catch (error) {
            ctx.warn((error as Error).message);
          }
        }
        break;
      }
      default: {
        const { renderText } = await import('../report/text.js');
        ctx.out(renderText(run, ctx.chalk));
      }
    }

    return exit;
  },
};
