/**
 * The library API (src/index.ts, published as dist/index.js with dist/types/index.d.ts):
 * the first answers through the public names, and every runtime export declared in the
 * published types.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as moeplan from '../src/index.js';
import { built } from './helpers/loaded.js';

describe('library API', () => {
  it('answers the first questions', () => {
    expect(moeplan.trainingFlops(52e9, 7e12)).toBe((9.59 * 52e9 + 2.3e8) * 7e12); // 3.49237e24
    expect(moeplan.trainingFlops(52e9, 7e12, moeplan.DENSE_COMPUTE)).toBe(6 * 52e9 * 7e12);
    const hunyuan = moeplan.PRESETS.hunyuan as moeplan.Law;
    const allocation = moeplan.optimalAllocation(hunyuan, 3.109e24);
    expect(allocation.params / 58.1e9).toBeCloseTo(1, 2);
    const jointMoe = moeplan.PRESETS['joint-moe'] as moeplan.Law;
    expect(moeplan.lossAt(jointMoe, { params: 1e9, tokens: 2e10, experts: 8 })).toBeCloseTo(2.50878, 5); // laws.md §4
  });

  it('prices a config by its architecture: Llama-3-8B at 8,192 tokens, Megatron-LM count 5.14704e10 per token (laws.md §9)', async () => {
    const config = await moeplan.readModelConfig('examples/configs/llama-3-8b.json', process.cwd());
    const compute = moeplan.architectureCompute(config, 8192);
    expect(compute.flops.perToken / 5.14704e10).toBeCloseTo(1, 5);
    const law = moeplan.withArchitectureCompute(moeplan.PRESETS.chinchilla as moeplan.Law, compute, compute.flops.compute.activatedParams);
    expect(moeplan.trainingFlops(compute.flops.compute.activatedParams, 15e12, law.compute) / (5.14704e10 * 15e12)).toBeCloseTo(1, 5);
    expect(moeplan.architectureLaw(config, compute).allocation).toBeUndefined();
  });

  it('declares every runtime export in the published types', () => {
    expect(built, 'npm run build first').toBe(true);
    const types = readFileSync(fileURLToPath(new URL('../dist/types/index.d.ts', import.meta.url)), 'utf8');
    const runtime = Object.keys(moeplan);
    expect(runtime.length).toBeGreaterThan(30);
    for (const name of runtime) expect(types, name).toMatch(new RegExp(`\\b${name}\\b`));
  });
});
