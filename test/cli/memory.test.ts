import { describe, expect, it } from 'vitest';
import { HUNYUAN_LARGE } from '../../src/core/architecture.js';
import { PRECISIONS } from '../../src/core/memory-weights.js';
import { trainingMemory } from '../../src/core/memory.js';
import { json, runCli } from '../helpers/cli.js';

const HUNYUAN = 'examples/configs/hunyuan-large.json';
const MIXTRAL = 'examples/configs/mixtral-8x7b.json';
const GiB = 2 ** 30;
const hunyuanRun = [
  'memory',
  '--config',
  HUNYUAN,
  '--seq-len',
  '4096',
  '--tp',
  '8',
  '--pp',
  '4',
  '--ep',
  '16',
  '--etp',
  '1',
  '--gpus',
  '1024',
  '--zero',
  '1',
  '--recompute',
  'selective',
  '--sequence-parallel',
];

interface PerGpu {
  parameters: number;
  gradients: number;
  optimizerStates: number;
  activations: number;
  total: number;
}

describe('moeplan memory: training', () => {
  it('prints the parts of the most loaded GPU, the total against the GPU, headroom and verdict', async () => {
    const r = await runCli([...hunyuanRun, '--gpu', 'h100']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const text of [
      'TP 8 × PP 4 × CP 1 × DP 32 = 1,024 GPUs; EP 16, ETP 1 (expert data parallel 16)',
      'pipeline stage 0 of 4 (layers 0–15)',
      'parameters',
      'gradients',
      'optimizer states',
      'activations',
      'NVIDIA H100 SXM',
      '80.00 GiB',
      'headroom',
      'fits',
    ]) {
      expect(r.stdout).toContain(text);
    }
  });

  it('--json carries every part, adding up to the total, and the same numbers as the library', async () => {
    const doc = json(await runCli([...hunyuanRun, '--gpu', 'h100', '--json']));
    expect(doc.schemaVersion).toBe(1);
    expect(doc.mode).toBe('training');
    const p = doc.perGpu as PerGpu;
    expect(p.total).toBe(p.parameters + p.gradients + p.optimizerStates + p.activations);
    const layout = { tp: 8, pp: 4, cp: 1, dp: 32, ep: 16, etp: 1 };
    const m = trainingMemory({
      arch: HUNYUAN_LARGE,
      layout,
      precision: PRECISIONS.bf16,
      zero: 1,
      seqLen: 4096,
      microBatch: 1,
      recompute: 'selective',
      sequenceParallel: true,
    });
    expect(p.total).toBe(m.peak.total);
    expect((doc.inputs as { layout: unknown }).layout).toEqual(layout);
    expect(doc.verdict).toBe('fits');
    expect(doc.headroomBytes).toBe(80 * GiB - p.total);
    expect((doc.stages as unknown[]).length).toBe(4);
    expect(doc.gpu).toEqual({ name: 'NVIDIA H100 SXM', memoryBytes: 80 * GiB });
  });

  it('a layout that does not fit says by how much', async () => {
    const r = await runCli(['memory', '--config', HUNYUAN, '--seq-len', '4096', '--tp', '8', '--gpus', '64', '--ep', '16', '--etp', '1', '--gpu', 'h100']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict\s+does not fit\s+\d+\.\d+ GiB over the GPU's memory/);
  });

  it('EP that does not divide the experts is an input error naming both numbers', async () => {
    const r = await runCli(['memory', '--config', HUNYUAN, '--seq-len', '4096', '--ep', '6', '--gpus', '12']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ep: EP 6 does not divide the 16 routed experts');
    expect(r.stderr).not.toContain('    at ');
  });

  it('other bad layouts name their flag', async () => {
    const cases: Array<[string[], string]> = [
      [['--tp', '3'], '--tp: TP 3 does not divide the 80 attention heads'],
      [['--tp', '8', '--gpus', '100'], '--gpus: 100 GPUs is not a multiple of TP × PP × CP = 8'],
      [['--tp', '8', '--dp', '2', '--gpus', '64'], '--dp:'],
      [['--ep', '4', '--dp', '2'], '--ep: EP × ETP = 4 does not divide TP × CP × DP = 2'],
      [['--cp', '3'], '--cp: CP 3 does not divide --seq-len 4096'],
      [['--zero', '4'], '--zero: "4" is not one of 0, 1, 2, 3, distributed'],
      [['--gpu', 'tpu'], '--gpu: unknown accelerator "tpu"'],
      [['--gpu-memory', '80 gigs'], '--gpu-memory: unknown unit "gigs"'],
      [['--batch', '4'], '--batch is for --inference'],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(['memory', '--config', HUNYUAN, '--seq-len', '4096', ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    const missing = await runCli(['memory', '--config', HUNYUAN]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--seq-len is required');
  });

  it('--zero distributed is ZeRO 1; --gpu-memory takes any size', async () => {
    const one = json(await runCli([...hunyuanRun, '--json']));
    const zeroAt = hunyuanRun.indexOf('--zero') + 1;
    const distributed = json(await runCli([...hunyuanRun.slice(0, zeroAt), 'distributed', ...hunyuanRun.slice(zeroAt + 1), '--json']));
    expect(distributed.perGpu).toBeDefined();
    expect((distributed.perGpu as PerGpu).total).toBe((one.perGpu as PerGpu).total);
    const custom = json(await runCli([...hunyuanRun, '--gpu-memory', '96GiB', '--json']));
    expect((custom.gpu as { memoryBytes: number }).memoryBytes).toBe(96 * GiB);
  });

  it('reads the same model from shape flags as from its config', async () => {
    const flags = [
      '--hidden',
      '4096',
      '--layers',
      '32',
      '--heads',
      '32',
      '--kv-heads',
      '8',
      '--intermediate',
      '14336',
      '--experts',
      '8',
      '--topk',
      '2',
      '--vocab',
      '32000',
    ];
    const run = ['--seq-len', '4096', '--tp', '2', '--pp', '2', '--ep', '8', '--etp', '1', '--gpus', '16', '--zero', '1', '--json'];
    const fromFlags = json(await runCli(['memory', ...flags, ...run]));
    const fromConfig = json(await runCli(['memory', '--config', MIXTRAL, ...run]));
    expect(fromFlags.perGpu).toEqual(fromConfig.perGpu);
    const both = await runCli(['memory', '--config', MIXTRAL, '--hidden', '4096', ...run]);
    expect(both.code).toBe(2);
  });
});

describe('moeplan memory --fit', () => {
  it('lists layouts that fit, sorted by the stated cost, each as memory computes it', async () => {
    const r = await runCli([
      'memory',
      '--config',
      HUNYUAN,
      '--seq-len',
      '4096',
      '--gpus',
      '256',
      '--zero',
      '1',
      '--sequence-parallel',
      '--gpu',
      'h100',
      '--fit',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const doc = json(r);
    const layouts = doc.layouts as Array<{ layout: Record<string, number>; modelParallel: number; total: number }>;
    expect(layouts.length).toBeGreaterThan(0);
    expect(doc.cost).toContain('TP × PP × CP');
    expect((doc.inputs as Record<string, unknown>).etp).toBeUndefined();
    for (const f of layouts) expect(f.layout.etp).toBe(f.layout.tp);
    for (let i = 1; i < layouts.length; i++)
      expect((layouts[i] as { modelParallel: number }).modelParallel).toBeGreaterThanOrEqual((layouts[i - 1] as { modelParallel: number }).modelParallel);
    const first = layouts[0] as (typeof layouts)[number];
    const l = first.layout as Record<string, number>;
    const check = json(
      await runCli([
        'memory',
        '--config',
        HUNYUAN,
        '--seq-len',
        '4096',
        '--tp',
        `${l.tp}`,
        '--pp',
        `${l.pp}`,
        '--ep',
        `${l.ep}`,
        '--etp',
        `${l.etp}`,
        '--gpus',
        '256',
        '--zero',
        '1',
        '--sequence-parallel',
        '--gpu',
        'h100',
        '--json',
      ]),
    );
    expect((check.perGpu as PerGpu).total).toBe(first.total);
    expect(check.verdict).toBe('fits');
  });

  it('says so when nothing fits, and needs --gpus and a GPU', async () => {
    const none = await runCli(['memory', '--config', HUNYUAN, '--seq-len', '4096', '--gpus', '8', '--gpu', 'h100', '--fit']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('none: every layout of 8 GPUs needs more memory per GPU');
    expect((await runCli(['memory', '--config', HUNYUAN, '--seq-len', '4096', '--gpu', 'h100', '--fit'])).stderr).toContain('--gpus is required with --fit');
    expect((await runCli(['memory', '--config', HUNYUAN, '--seq-len', '4096', '--gpus', '8', '--fit'])).stderr).toContain(
      '--gpu or --gpu-memory is required with --fit',
    );
    expect((await runCli(['memory', '--config', HUNYUAN, '--seq-len', '4096', '--gpus', '8', '--gpu', 'h100', '--tp', '8', '--fit'])).stderr).toContain(
      '--tp: --fit chooses TP, PP and EP itself',
    );
  });
});

describe('moeplan memory --inference', () => {
  it('weights plus the KV cache of batch × context', async () => {
    const doc = json(await runCli(['memory', '--config', HUNYUAN, '--inference', '--tp', '8', '--batch', '8', '--context', '32Ki', '--gpu', 'h200', '--json']));
    const p = doc.perGpu as { parameters: number; kvCache: number; total: number };
    expect(p.kvCache).toBe((8 * 32768 * 81_920) / 8);
    expect(p.total).toBe(p.parameters + p.kvCache);
    expect(doc.gpu).toEqual({ name: 'NVIDIA H200', memoryBytes: 141 * GiB });
    const fp8 = json(
      await runCli(['memory', '--config', HUNYUAN, '--inference', '--tp', '8', '--batch', '8', '--context', '32Ki', '--dtype', 'fp8', '--json']),
    );
    expect((fp8.perGpu as { kvCache: number }).kvCache).toBe(p.kvCache / 2);
    const training = await runCli(['memory', '--config', HUNYUAN, '--inference', '--seq-len', '4096', '--context', '1K']);
    expect(training.code).toBe(2);
    expect(training.stderr).toContain('--seq-len is for training, not with --inference');
  });
});
