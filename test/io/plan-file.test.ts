import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFinding } from '../../src/cli/report/model.js';
import { checkPlan } from '../../src/core/checks/index.js';
import { PRESETS } from '../../src/core/laws/index.js';
import { parameterCountsFromConfig } from '../../src/io/model-config.js';
import { MAX_FLOW_DEPTH, MAX_PLAN_BYTES, PlanFileError, type PlanProblem, parsePlanText, readPlanFile } from '../../src/io/plan-file.js';

const dir = mkdtempSync(join(tmpdir(), 'moeplan-plan-'));

async function problems(text: string, file = 'plan.yaml'): Promise<PlanProblem[]> {
  try {
    await parsePlanText(text, { file, baseDir: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(PlanFileError);
    return [...(error as PlanFileError).problems];
  }
  throw new Error('expected the plan to be rejected');
}

const MINIMAL = 'limits:\n  flops: { max: 4e24 }\n';

describe('reading plans', () => {
  it('reads every field of the SPEC §5 example, quantities resolved to numbers', async () => {
    const loaded = await readPlanFile('examples/plans/hunyuan-large.yaml', { cwd: process.cwd() });
    expect(loaded.format).toBe('yaml');
    expect(loaded.file).toBe('examples/plans/hunyuan-large.yaml');
    expect(loaded.law.name).toBe('hunyuan');
    expect(loaded.plan).toEqual({
      name: 'hunyuan-large-pretrain',
      model: { activatedParams: 52e9, experts: 16, topK: 1 },
      training: {
        tokens: 7e12,
        batchTokens: 32e6,
        criticalBatchTokens: 64e6,
        lr: { max: 3e-4, noiseTokens: 128e6, shared: 2.4e-4, specialized: 7.4e-5 },
      },
      hardware: { gpu: 'h100', peakFlops: 989e12, count: 4096, mfu: 0.4 },
      limits: {
        flops: { value: 4e24, level: 'error' },
        paramsVsOptimal: { value: 0.15, level: 'error' },
        tokensVsOptimal: { value: 0.3, level: 'warn' },
        batchVsCritical: { value: 1, level: 'error' },
        expertLr: { value: 0.1, level: 'error' },
        days: { value: 120, level: 'error' },
      },
    });
    expect(loaded.positionOf(['limits', 'tokensVsOptimal'])).toEqual({ line: 19, column: 3 });
  });

  it('reads JSON with positions, and the $schema key', async () => {
    const text = JSON.stringify(
      { $schema: './plan.schema.json', model: { activatedParams: '6*8.5B' }, training: { tokens: 1e12 }, limits: { flops: { max: '1e23' } } },
      null,
      2,
    );
    const loaded = await parsePlanText(text, { file: 'plan.json', baseDir: dir });
    expect(loaded.format).toBe('json');
    expect(loaded.plan.model.activatedParams).toBe(51e9);
    expect(loaded.plan.name).toBe('plan');
    expect(loaded.positionOf(['limits', 'flops'])?.line).toBe(10);
  });

  it('reads model.config: N, experts and top-k from a Hugging Face config', async () => {
    writeFileSync(join(dir, 'config-plan.yaml'), `model:\n  config: ${join(process.cwd(), 'examples/configs/hunyuan-large.json')}\n${MINIMAL}`);
    const loaded = await readPlanFile(join(dir, 'config-plan.yaml'), { cwd: dir });
    expect(Math.abs(loaded.plan.model.activatedParams! - 52.14e9) / 52.14e9).toBeLessThan(1e-3); // SPEC §3: 52.14B
    expect(loaded.plan.model.experts).toBe(16);
    expect(loaded.plan.model.topK).toBe(1);
  });

  it('model.config gives the law its own count (non-embedding for kaplan), and the hint names model.config', async () => {
    const config = join(process.cwd(), 'examples/configs/hunyuan-large.json');
    const counts = await parameterCountsFromConfig(config, process.cwd());
    writeFileSync(
      join(dir, 'kaplan-config.yaml'),
      `law: kaplan\nmodel:\n  config: ${config}\ntraining: { tokens: 7T, batchTokens: 32M, criticalBatchTokens: 64M }\nlimits:\n  paramsVsOptimal: { within: 1% }\n`,
    );
    const loaded = await readPlanFile(join(dir, 'kaplan-config.yaml'), { cwd: dir });
    expect(loaded.plan.model.activatedParams).toBe(counts.activatedNonEmbeddingParams);
    expect(loaded.paramsFrom).toEqual({ field: 'model.config', meaning: 'non-embedding' });
    const result = checkPlan(loaded.plan, loaded.law);
    const finding = result.findings[0]!;
    expect(finding.status).toBe('fail');
    const { hint } = describeFinding(finding, { file: 'kaplan-config.yaml', loaded, result });
    expect(hint).toMatch(/model\.config/);
    expect(hint).toMatch(/non-embedding activated params/);
    expect(hint).not.toMatch(/model\.activatedParams/);
  });

  it('names a config that cannot be read, at model.config', async () => {
    const [p] = await problems('model:\n  config: ./no-such-config.json\nlimits: {}\n');
    expect(p).toMatchObject({ field: 'model.config', line: 2, column: 3 });
    expect(p!.message).toMatch(/no-such-config\.json.*no such file/);
  });

  it('resolves a law file relative to the plan file, not the working directory', async () => {
    const lawDir = mkdtempSync(join(tmpdir(), 'moeplan-law-'));
    writeFileSync(join(lawDir, 'my-law.json'), JSON.stringify({ ...PRESETS.hunyuan, name: 'my-law', title: 'a copy of hunyuan' }));
    writeFileSync(join(lawDir, 'plan.yaml'), `law: ./my-law.json\n${MINIMAL}`);
    const loaded = await readPlanFile(join(lawDir, 'plan.yaml'), { cwd: process.cwd() });
    expect(loaded.law.name).toBe('my-law');
    expect(loaded.law.allocation).toEqual(PRESETS.hunyuan!.allocation);
  });

  it('names a law file that cannot be read, at the law key', async () => {
    const lawDir = mkdtempSync(join(tmpdir(), 'moeplan-law-'));
    writeFileSync(join(lawDir, 'plan.yaml'), `law: ./missing-law.json\n${MINIMAL}`);
    const error = await readPlanFile(join(lawDir, 'plan.yaml'), { cwd: process.cwd() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanFileError);
    const problem = (error as PlanFileError).problems[0]!;
    expect(problem.field).toBe('law');
    expect(problem.message).toMatch(/missing-law\.json/);
    expect(problem.line).toBe(1);
  });
});

describe('schema errors name the field path and, for YAML, line and column', () => {
  it('unknown key, with a did-you-mean hint', async () => {
    const [p] = await problems('training:\n  tokens: 7T\n  batchTokns: 32M\nlimits: {}\n');
    expect(p).toMatchObject({ field: 'training.batchTokns', message: 'unknown key', line: 3, column: 3 });
    expect(p!.hint).toMatch(/did you mean "batchTokens"/);
  });

  it('unknown key inside a limit', async () => {
    const [p] = await problems('limits:\n  flops: { max: 4e24, maximum: 5e24 }\n');
    expect(p).toMatchObject({ field: 'limits.flops.maximum', line: 2, column: 23 });
  });

  it('wrong type', async () => {
    const [p] = await problems('model:\n  experts: true\nlimits: {}\n');
    expect(p).toMatchObject({ field: 'model.experts', line: 2, column: 3 });
    expect(p!.message).toMatch(/expected a number.*got true/);
  });

  it('bad quantity: unknown suffix, not a number, out of range, not whole', async () => {
    const all = await problems(
      ['training:', '  tokens: 7X', '  batchTokens: lots', 'model:', '  activatedParams: -5', '  experts: 2.5', 'limits: {}', ''].join('\n'),
    );
    expect(all.map((p) => [p.field, p.line])).toEqual([
      ['training.tokens', 2],
      ['training.batchTokens', 3],
      ['model.activatedParams', 5],
      ['model.experts', 6],
    ]);
    expect(all[0]!.message).toMatch(/unknown suffix "X"/);
    expect(all[1]!.message).toMatch(/"lots" is not a number/);
    expect(all[2]!.message).toMatch(/out of range/);
    expect(all[3]!.message).toMatch(/not a whole number/);
  });

  it('a tolerance above 100% must be written with %', async () => {
    const [p] = await problems('limits:\n  paramsVsOptimal: { within: 15 }\n');
    expect(p).toMatchObject({ field: 'limits.paramsVsOptimal.within', line: 2, column: 22 });
    expect(p!.hint).toMatch(/1500%/);
    const ok = await parsePlanText('limits:\n  paramsVsOptimal: { within: 150% }\n', { file: 'p.yaml', baseDir: dir });
    expect(ok.plan.limits.paramsVsOptimal?.value).toBe(1.5);
  });

  it('a ratio limit is not a tolerance: batchVsCritical.max takes 2, 1.5 and 9 as they are', async () => {
    for (const [written, value] of [
      ['2', 2],
      ['1.5', 1.5],
      ['9', 9],
      ['50%', 0.5],
      ['"150%"', 1.5],
    ] as const) {
      const ok = await parsePlanText(`limits:\n  batchVsCritical: { max: ${written} }\n`, { file: 'p.yaml', baseDir: dir });
      expect(ok.plan.limits.batchVsCritical?.value, written).toBe(value);
    }
    // Every other tolerance still refuses a bare number above 1.
    for (const id of ['paramsVsOptimal', 'tokensVsOptimal', 'expertLr']) {
      const [p] = await problems(`limits:\n  ${id}: { within: 2 }\n`);
      expect(p, id).toMatchObject({ field: `limits.${id}.within` });
      expect(p!.message).toMatch(/more than 100%/);
    }
  });

  it('memoryPerGpu takes a size in bytes or a headroom, one of them; parallelism is read with its types', async () => {
    const read = async (limit: string) =>
      (await parsePlanText(`limits:\n  memoryPerGpu: ${limit}\n`, { file: 'p.yaml', baseDir: dir })).plan.limits.memoryPerGpu;
    expect(await read('{ max: 75GB }')).toEqual({ value: 75e9, level: 'error' });
    expect(await read('{ max: 70GiB, level: warn }')).toEqual({ value: 70 * 2 ** 30, level: 'warn' });
    expect(await read('{ headroom: 10% }')).toEqual({ value: 0.1, level: 'error', key: 'headroom' });
    expect((await problems('limits:\n  memoryPerGpu: { max: 75GB, headroom: 10% }\n'))[0]?.message).toMatch(/give max or headroom, not both/);
    expect((await problems('limits:\n  memoryPerGpu: { level: warn }\n'))[0]?.message).toMatch(/give max or headroom/);
    expect((await problems('limits:\n  memoryPerGpu: { max: 75 gigs }\n'))[0]).toMatchObject({ field: 'limits.memoryPerGpu.max' });
    const plan = (
      await parsePlanText('parallelism: { tp: 8, pp: 4, seqLen: 4Ki, zero: 1, recompute: selective, sequenceParallel: true }\nlimits: {}\n', {
        file: 'p.yaml',
        baseDir: dir,
      })
    ).plan;
    expect(plan.parallelism).toEqual({ tp: 8, pp: 4, seqLen: 4096, zero: 1, recompute: 'selective', sequenceParallel: true });
    for (const [bad, field] of [
      ['{ zero: 4 }', 'parallelism.zero'],
      ['{ recompute: some }', 'parallelism.recompute'],
      ['{ tp: 1.5 }', 'parallelism.tp'],
      ['{ pipeline: 4 }', 'parallelism'],
    ] as const) {
      const [p] = await problems(`parallelism: ${bad}\nlimits: {}\n`);
      expect(p?.field, bad).toContain(field);
    }
  });

  it('a percentage where a quantity is not a tolerance', async () => {
    const [p] = await problems('training:\n  tokens: 15%\nlimits: {}\n');
    expect(p!.message).toMatch(/percentage/);
  });

  it('missing required fields and bad levels', async () => {
    const all = await problems('name: x\n');
    expect(all[0]).toMatchObject({ field: 'limits', message: 'is required' });
    const [level] = await problems('limits:\n  flops: { max: 1e24, level: fatal }\n');
    expect(level).toMatchObject({ field: 'limits.flops.level', line: 2 });
    expect(level!.message).toMatch(/error, warn, off/);
  });

  it('unknown accelerator, contradictory fields, topK above experts', async () => {
    const all = await problems('hardware: { gpu: v100 }\nlimits: {}\n');
    expect(all[0]).toMatchObject({ field: 'hardware.gpu', line: 1 });
    const both = await problems('model: { activatedParams: 52B, config: ./c.json, experts: 4, topK: 8 }\nlimits: {}\n');
    expect(both.map((p) => p.field).sort()).toEqual(['model.config', 'model.topK']);
  });

  it('JSON errors have positions too', async () => {
    const [p] = await problems('{\n  "limits": {\n    "flops": { "max": [1] }\n  }\n}\n', 'plan.json');
    expect(p).toMatchObject({ field: 'limits.flops.max', line: 3, column: 16 });
    const [syntax] = await problems('{ "limits": { }, }', 'plan.json');
    expect(syntax!.message).toMatch(/^JSON syntax/);
    expect(syntax!.line).toBe(1);
  });

  it('YAML syntax errors, duplicate keys, several documents, unknown tags', async () => {
    expect((await problems('limits:\n  flops: [1, 2\nname: x\n'))[0]!.message).toMatch(/^YAML syntax/);
    expect((await problems('limits: {}\nlimits: {}\n'))[0]).toMatchObject({ message: 'duplicate key "limits"', line: 2, column: 1 });
    expect((await problems('limits: {}\n---\nlimits: {}\n'))[0]!.message).toMatch(/multiple documents/);
    expect((await problems('name: !!js/function "function () {}"\nlimits: {}\n'))[0]!.message).toMatch(/tag/i);
  });

  it('YAML 1.1 types (!!omap, !!set, !!pairs, !!timestamp, !!binary) are errors with their field; plain tags are data', async () => {
    for (const [text, field, tag] of [
      ['limits: !!omap [ flops: { max: 1e24 } ]\n', 'limits', '!!omap'],
      ['limits: !!set { flops }\n', 'limits', '!!set'],
      ['limits: { flops: !!pairs [ max: 1e24 ] }\n', 'limits.flops', '!!pairs'],
      ['name: !!timestamp 2001-12-14\nlimits: {}\n', 'name', '!!timestamp'],
      ['name: !!binary aGVsbG8=\nlimits: {}\n', 'name', '!!binary'],
      ['limits: { flops: { max: [1, !!timestamp 2001-12-14] } }\n', 'limits.flops.max.1', '!!timestamp'],
    ] as const) {
      const [problem] = await problems(text);
      expect(problem, text).toMatchObject({ field, message: `the tag ${tag} is not accepted`, line: expect.any(Number) });
    }
    const loaded = await parsePlanText(
      'name: !!str 12\nmodel: !!map { activatedParams: 52B }\ntraining: { tokens: 7T }\nlimits: { flops: { max: !!float 4e24 } }\n',
      { file: 'plan.yaml', baseDir: dir },
    );
    expect(loaded.plan.name).toBe('12');
    expect(loaded.plan.limits.flops).toEqual({ value: 4e24, level: 'error' });
  });

  it('a root that is not a mapping, keys that are not text, an empty file', async () => {
    expect((await problems('- 1\n- 2\n'))[0]!.message).toMatch(/mapping/);
    expect((await problems('? [a]\n: 1\nlimits: {}\n'))[0]!.message).toMatch(/keys must be plain text/);
    expect((await problems(''))[0]!.message).toMatch(/empty/);
  });

  it('a missing file', async () => {
    const error = await readPlanFile('no/such/plan.yaml', { cwd: dir }).catch((e: unknown) => e);
    expect((error as PlanFileError).problems[0]!.message).toBe('no such file');
  });
});

describe('hostile plans are refused before anything expensive happens', () => {
  it('alias bombs', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
      ['h', 'g'],
    ]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const all = await problems(`${lines.join('\n')}\nlimits: {}\n`);
    expect(all[0]!.message).toMatch(/aliases/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('deep nesting (the YAML parser would exhaust memory)', async () => {
    for (const text of [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, `limits: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}`]) {
      const [p] = await problems(text);
      expect(p!.message).toMatch(new RegExp(`nested more than ${MAX_FLOW_DEPTH} levels`));
    }
  });

  it('deep block nesting (the parser would exhaust the stack)', async () => {
    const [seq] = await problems(`${'- '.repeat(100_000)}x\n`);
    expect(seq!.message).toMatch(/indented more than 256 columns/);
    expect(seq!.line).toBe(1);
    const lines = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}a:`);
    const [block] = await problems(`${lines.join('\n')}\n`);
    expect(block!.message).toMatch(/nested more than/);
    expect(block!.line).toBe(258);
  });

  it('thousands of unknown keys: one problem, a short message', async () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}: 1`).join('\n');
    const all = await problems(`limits: {}\n${keys}\n${'z'.repeat(500)}: 1\n`);
    expect(all).toHaveLength(1);
    expect(all[0]!.message).toMatch(/^unknown key \(also "k1", "k2", "k3", "k4", "k5" and 4995 more\)$/);
  });

  it('very large files', async () => {
    const big = `name: x\ndescription: "${'a'.repeat(MAX_PLAN_BYTES)}"\nlimits: {}\n`;
    expect((await problems(big))[0]!.message).toMatch(/at most 256 KiB/);
    writeFileSync(join(dir, 'big.yaml'), big);
    const error = await readPlanFile('big.yaml', { cwd: dir }).catch((e: unknown) => e);
    expect((error as PlanFileError).problems[0]!.message).toMatch(/KiB/);
  });

  it('very long strings', async () => {
    const [q] = await problems(`training:\n  tokens: "${'1+'.repeat(500)}1"\nlimits: {}\n`);
    expect(q).toMatchObject({ field: 'training.tokens', line: 2 });
    expect(q!.message).toMatch(/at most 200 characters/);
    const [t] = await problems(`name: ${'n'.repeat(5000)}\nlimits: {}\n`);
    expect(t!.message).toMatch(/at most 1000 characters/);
  });

  it('__proto__ keys are unknown keys, not prototype changes', async () => {
    const [p] = await problems('{ "__proto__": { "polluted": true }, "limits": {} }', 'plan.json');
    expect(p!.field).toBe('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
