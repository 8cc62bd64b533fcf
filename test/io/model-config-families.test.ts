/**
 * Every config family against published parameter counts, one or more real config.json files
 * each (examples/configs/, sources in examples/configs/SOURCES.md). A family added to the
 * registry without an entry in PUBLISHED fails the first test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ParameterCounts, parameterCounts } from '../../src/core/architecture.js';
import { type ModelConfig, parseModelConfig } from '../../src/io/model-config.js';
import { FAMILIES } from '../../src/io/model-config/families/index.js';

const examples = join(process.cwd(), 'examples', 'configs');
const read = (file: string): ModelConfig => parseModelConfig(JSON.parse(readFileSync(join(examples, file), 'utf8')), file);
const billions = (value: number, decimals: number) => Number((value / 1e9).toFixed(decimals));
/** Activated without the input embedding (a lookup), as DeepSeek's and OpenAI's model cards count. */
const withoutInputEmbedding = (c: ParameterCounts) => c.activatedParams - (c.breakdown.find((x) => x.component === 'embedding')?.activated ?? 0);

interface Case {
  readonly file: string;
  /** Where the published numbers come from. */
  readonly source: string;
  readonly check: (counts: ParameterCounts, config: ModelConfig) => void;
}

const PUBLISHED: Readonly<Record<string, readonly Case[]>> = {
  hunyuan: [
    {
      file: 'hunyuan-large.json',
      source: 'Hunyuan-Large technical report (arXiv 2411.02265), Table 1: 389B total, 52B activated',
      check: (c) => {
        expect(c.totalParams).toBe(388_698_128_640);
        expect(c.activatedParams).toBe(52_141_277_440);
      },
    },
  ],
  mixtral: [
    {
      file: 'mixtral-8x7b.json',
      source: 'model.safetensors.index.json of mistralai/Mixtral-8x7B-v0.1: total_size 93,405,585,408 bytes in bf16',
      check: (c) => expect(c.totalParams * 2).toBe(93_405_585_408),
    },
  ],
  qwen2_moe: [
    {
      file: 'qwen1.5-moe-a2.7b.json',
      source: 'Qwen blog "Qwen1.5-MoE" (28 Mar 2024): 14.3B total, 2.7B activated',
      check: (c) => {
        expect(billions(c.totalParams, 1)).toBe(14.3);
        expect(billions(c.activatedParams, 1)).toBe(2.7);
      },
    },
  ],
  qwen3_moe: [
    {
      file: 'qwen3-30b-a3b.json',
      source: 'Qwen/Qwen3-30B-A3B model card: 30.5B total, 3.3B activated, 29.9B non-embedding',
      check: (c) => {
        expect(billions(c.totalParams, 1)).toBe(30.5);
        expect(billions(c.totalNonEmbeddingParams, 1)).toBe(29.9);
        expect(Math.trunc(c.activatedParams / 1e8) / 10).toBe(3.3);
      },
    },
  ],
  deepseek: [
    {
      file: 'deepseek-moe-16b.json',
      source: 'DeepSeekMoE (arXiv 2401.06066), Table 3: DeepSeekMoE 16B, 16.4B total, 2.8B activated',
      check: (c) => {
        expect(billions(c.totalParams, 1)).toBe(16.4);
        expect(billions(c.activatedParams, 1)).toBe(2.8);
      },
    },
  ],
  deepseek_v2: [
    {
      file: 'deepseek-v2-lite.json',
      source: 'DeepSeek-V2 report (arXiv 2405.04434), Appendix B: V2-Lite 15.7B total, 2.4B activated',
      check: (c) => {
        expect(billions(c.totalParams, 1)).toBe(15.7);
        expect(c.activatedNonEmbeddingParams).toBeLessThan(2.4e9);
        expect(withoutInputEmbedding(c)).toBeGreaterThan(2.4e9);
      },
    },
  ],
  deepseek_v3: [
    {
      file: 'deepseek-v3.json',
      source: 'DeepSeek-V3 technical report (arXiv 2412.19437): 671B total, 37B activated (multi-token prediction excluded)',
      check: (c, config) => {
        expect(Math.round(c.totalParams / 1e9)).toBe(671);
        expect(Math.round(withoutInputEmbedding(c) / 1e9)).toBe(37);
        expect(config.architecture.mtpLayers).toBe(1);
      },
    },
  ],
  kimi_k2: [
    {
      file: 'kimi-k2.json',
      source: 'Kimi K2 technical report (arXiv 2507.20534): 1.04T total, 32.6B activated',
      check: (c) => {
        expect(Math.abs(c.totalParams / 1.04e12 - 1)).toBeLessThan(0.015);
        expect(Math.abs(c.activatedParams / 32.6e9 - 1)).toBeLessThan(0.01);
      },
    },
  ],
  llama: [
    {
      file: 'llama-3-8b.json',
      source: 'model.safetensors.index.json of meta-llama/Meta-Llama-3-8B: total_size 16,060,522,496 bytes in bf16',
      check: (c) => {
        expect(c.totalParams * 2).toBe(16_060_522_496);
        expect(c.activatedParams).toBe(c.totalParams);
      },
    },
  ],
  mistral: [
    {
      file: 'mistral-7b.json',
      source: 'model.safetensors.index.json of mistralai/Mistral-7B-v0.1: total_size 14,483,464,192 bytes in bf16',
      check: (c, config) => {
        expect(c.totalParams * 2).toBe(14_483_464_192);
        expect(config.architecture.slidingWindow).toEqual({ window: 4096, layers: 32 });
      },
    },
  ],
  qwen2: [
    {
      file: 'qwen2.5-7b.json',
      source: 'Qwen/Qwen2.5-7B model card: 7.61B parameters, 6.53B non-embedding',
      check: (c) => {
        expect(billions(c.totalParams, 2)).toBe(7.62);
        expect(Math.trunc(c.totalParams / 1e7) / 100).toBe(7.61);
        expect(billions(c.totalNonEmbeddingParams, 2)).toBe(6.53);
      },
    },
  ],
  qwen3: [
    {
      file: 'qwen3-8b.json',
      source: 'Qwen/Qwen3-8B model card: 8.2B parameters, 6.95B non-embedding',
      check: (c) => {
        expect(billions(c.totalParams, 1)).toBe(8.2);
        expect(billions(c.totalNonEmbeddingParams, 2)).toBe(6.95);
      },
    },
  ],
};

describe('config family registry', () => {
  it('every family has a test against published counts', () => {
    const missing = FAMILIES.map((f) => f.name).filter((name) => !(PUBLISHED[name]?.length));
    expect(missing).toEqual([]);
    expect(Object.keys(PUBLISHED).filter((name) => !FAMILIES.some((f) => f.name === name))).toEqual([]);
  });

  it('a model_type or architecture names one family only', () => {
    const types = FAMILIES.flatMap((f) => f.modelTypes);
    const classes = FAMILIES.flatMap((f) => f.architectures);
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(classes).size).toBe(classes.length);
    for (const f of FAMILIES) {
      expect(f.modelTypes[0]).toBe(f.name);
      expect(f.title.length).toBeGreaterThan(0);
    }
  });

  for (const family of FAMILIES) {
    for (const c of PUBLISHED[family.name] ?? []) {
      it(`${family.name}: ${c.file} (${c.source})`, () => {
        const config = read(c.file);
        expect(config.family).toBe(family.name);
        expect(config.unknownKeys).toEqual([]);
        c.check(parameterCounts(config.architecture), config);
      });
    }
  }
});
