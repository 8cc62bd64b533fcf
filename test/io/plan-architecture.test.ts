/**
 * Plans priced by the architecture of their model.config: `compute: arch` beside a law (its
 * allocation kept), `law: arch` alone, `training.seqLen`, and the config's unknown keys as a
 * note (an error under --strict). The expected FLOPs are Megatron-LM's
 * num_floating_point_operations worked on Llama-3-8B at 8,192 tokens (laws.md §9:
 * 5.14704e10 per token), not moeplan's own count.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/core/checks/index.js';
import { PlanFileError, parsePlanText, readPlanFile } from '../../src/io/plan-file.js';
import { planJsonSchema } from '../../src/io/plan-schema.js';
import { json, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'moeplan-plan-arch-'));
copyFileSync('examples/configs/llama-3-8b.json', join(dir, 'llama.json'));
const MEGATRON_LLAMA3_8B_8K = 5.14704e10;

async function load(text: string, strict = false) {
  return parsePlanText(text, { file: 'plan.yaml', baseDir: dir, strict });
}

async function problem(text: string, strict = false) {
  const error = await load(text, strict).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PlanFileError);
  return (error as PlanFileError).problems[0]!;
}

describe('plans priced by the architecture', () => {
  it('compute: arch gives C = FLOPs per token × D at training.seqLen; the law keeps its allocation', async () => {
    const loaded = await load(
      'law: chinchilla\ncompute: arch\nmodel: { config: ./llama.json }\ntraining: { tokens: 15T, seqLen: 8Ki }\nlimits:\n  flops: { max: 1e25 }\n  paramsVsOptimal: { within: 90% }\n',
    );
    expect(loaded.computeFrom).toBe('arch');
    expect(loaded.law.name).toBe('chinchilla');
    expect(loaded.law.allocation).toBeDefined();
    const result = checkPlan(loaded.plan, loaded.law);
    expect(result.derived.flops! / (MEGATRON_LLAMA3_8B_8K * 15e12)).toBeCloseTo(1, 5);
    // the optimum is the law's, evaluated at that C
    expect(result.findings.find((f) => f.id === 'paramsVsOptimal')!.detail.budget).toBe(result.derived.flops);
  });

  it('compute: arch with a law of non-embedding N (kaplan) still prices FLOPs per token × D', async () => {
    const loaded = await load(
      'law: kaplan\ncompute: arch\nmodel: { config: ./llama.json }\ntraining: { tokens: 1T, seqLen: 8192, batchTokens: 4M, criticalBatchTokens: 8M }\nlimits:\n  flops: { max: 1e25 }\n',
    );
    expect(loaded.paramsFrom?.meaning).toBe('non-embedding');
    const result = checkPlan(loaded.plan, loaded.law);
    expect(result.derived.flops! / (MEGATRON_LLAMA3_8B_8K * 1e12)).toBeCloseTo(1, 5);
    // Cmin = C / (1 + B/Bcrit) (Hunyuan eq. 3) on that C
    expect(result.derived.cmin! / ((MEGATRON_LLAMA3_8B_8K * 1e12) / 1.5)).toBeCloseTo(1, 5);
  });

  it('law: arch alone: C, GPU-hours and days by the architecture; the optimum is skipped (no allocation)', async () => {
    const loaded = await load(
      'law: arch\nmodel: { config: ./llama.json }\ntraining: { tokens: 15T, seqLen: 8Ki }\nhardware: { gpu: h100, count: 1000, mfu: 50% }\nlimits:\n  gpuHours: { max: 1e9 }\n  paramsVsOptimal: { within: 10% }\n',
    );
    expect(loaded.law.name).toBe('arch');
    const result = checkPlan(loaded.plan, loaded.law);
    const hours = (MEGATRON_LLAMA3_8B_8K * 15e12) / (989e12 * 0.5) / 3600;
    expect(result.findings.find((f) => f.id === 'gpuHours')!.actual! / hours).toBeCloseTo(1, 5);
    expect(result.findings.find((f) => f.id === 'paramsVsOptimal')!.reason?.code).toBe('noAllocation');
  });

  it('without training.seqLen the sequence is max_position_embeddings capped at 4,096, and the source says so', async () => {
    const loaded = await load('compute: arch\nmodel: { config: ./llama.json }\ntraining: { tokens: 1T }\nlimits: {}\n');
    expect(loaded.config!.compute.flops.seqLen).toBe(4096);
    expect(loaded.config!.compute.seqLenSource).toMatch(/max_position_embeddings 8192 capped at 4096 \(give training\.seqLen/);
  });

  it('parallelism.seqLen defaults to training.seqLen; the two differing is an error naming parallelism.seqLen', async () => {
    const loaded = await load('model: { config: ./llama.json }\ntraining: { seqLen: 8Ki }\nparallelism: { tp: 8 }\nlimits: {}\n');
    expect(loaded.plan.parallelism?.seqLen).toBe(8192);
    const p = await problem('training: { seqLen: 8Ki }\nparallelism: { seqLen: 4Ki }\nlimits: {}\n');
    expect(p.field).toBe('parallelism.seqLen');
    expect(p.message).toMatch(/differs from training\.seqLen 8192/);
  });

  it('compute: arch or law: arch without model.config is an error naming the field', async () => {
    expect((await problem('compute: arch\nmodel: { activatedParams: 8B }\nlimits: {}\n')).field).toBe('compute');
    expect((await problem('law: arch\nlimits: {}\n')).field).toBe('law');
    expect((await problem('compute: exact\nlimits: {}\n')).message).toMatch(/expected one of law, arch/);
    expect((await problem('law: arch\ncompute: law\nmodel: { config: ./llama.json }\nlimits: {}\n')).field).toBe('compute');
  });

  it('the published schema documents compute and training.seqLen', async () => {
    const schema = (await planJsonSchema()) as { properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> };
    expect(schema.properties.compute!.description).toMatch(/arch/);
    expect(schema.properties.training!.properties!.seqLen!.description).toMatch(/architecture count/);
  });
});

describe('unknown keys of model.config', () => {
  const config = JSON.parse(readFileSync('examples/configs/llama-3-8b.json', 'utf8'));
  writeFileSync(join(dir, 'odd.json'), JSON.stringify({ ...config, made_up_flag: true }));
  const PLAN = 'model: { config: ./odd.json }\ntraining: { tokens: 1T }\nlimits:\n  flops: { max: 1e25 }\n';

  it('are listed (the counts leave them out), and are an error naming the key under strict', async () => {
    const loaded = await load(PLAN);
    expect(loaded.config!.model.unknownKeys).toEqual(['made_up_flag']);
    const p = await problem(PLAN, true);
    expect(p.field).toBe('model.config');
    expect(p.message).toMatch(/unknown key "made_up_flag"/);
  });

  it('moeplan check: a note in the text and JSON reports; --strict exits 2 naming the key', async () => {
    const file = join(dir, 'odd-plan.yaml');
    writeFileSync(file, PLAN);
    const text = await runCli(['check', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/note: model\.config \.\/odd\.json: key "made_up_flag" not known for a llama config/);
    const doc = json(await runCli(['check', file, '--json'])) as { plans: { config: { unknownKeys: string[] }; notes: string[] }[] };
    expect(doc.plans[0]!.config.unknownKeys).toEqual(['made_up_flag']);
    expect(doc.plans[0]!.notes.some((n) => n.includes('made_up_flag'))).toBe(true);
    const strict = await runCli(['check', file, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/model\.config: .*unknown key "made_up_flag"/);
  });

  it('a dense config under an MoE law gets the one-line note naming compute: arch', async () => {
    const file = join(dir, 'dense-under-hunyuan.yaml');
    writeFileSync(file, 'law: hunyuan\nmodel: { config: ./llama.json }\ntraining: { tokens: 1T }\nlimits:\n  flops: { max: 1e25 }\n');
    const r = await runCli(['check', file]);
    const notes = r.stdout.split('\n').filter((l) => l.includes('was made for MoE models'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/compute: arch in the plan prices it by its architecture/);
  });

  it('the example plan passes, its C from the architecture', async () => {
    const loaded = await readPlanFile('examples/plans/llama-3-8b-arch.yaml', { cwd: process.cwd() });
    const result = checkPlan(loaded.plan, loaded.law);
    expect(result.derived.flops! / (MEGATRON_LLAMA3_8B_8K * 15e12)).toBeCloseTo(1, 5);
    expect(result.passed).toBe(true);
  });
});
