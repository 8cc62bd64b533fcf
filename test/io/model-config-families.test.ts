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
const read = (file: string, transform = (c: Record<string, unknown>) => c): ModelConfig =>
  parseModelConfig(transform(JSON.parse(readFileSync(join(examples, file), 'utf8')) as Record<string, unknown>), file);
const billions = (value: number, decimals: number) => Number((value / 1e9).toFixed(decimals));
/** Activated without the input embedding (a lookup), as DeepSeek's and OpenAI's model cards count. */
const withoutInputEmbedding = (c: ParameterCounts) => c.activatedParams - (c.breakdown.find((x) => x.component === 'embedding')?.activated ?? 0);

interface Case {
  readonly file: string;
  /** A change to the published config before reading it (a variant of the same layout). */
  readonly transform?: (config: Record<string, unknown>) => Record<string, unknown>;
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
  olmoe: [
    {
      file: 'olmoe-1b-7b.json',
      source: 'OLMoE paper (arXiv 2409.02060), Table 1: 6.9B total, 1.3B active',
      check: (c) => {
        expect(billions(c.totalParams, 1)).toBe(6.9);
        expect(billions(c.activatedParams, 1)).toBe(1.3);
      },
    },
  ],
  gpt_oss: [
    {
      file: 'gpt-oss-20b.json',
      source: 'gpt-oss model card (OpenAI, Aug 2025), Table 1: 20.91B total, 3.61B active (input embedding not counted)',
      check: (c) => {
        expect(billions(c.totalParams, 2)).toBe(20.91);
        expect(billions(withoutInputEmbedding(c), 2)).toBe(3.61);
      },
    },
    {
      file: 'gpt-oss-120b.json',
      source: 'gpt-oss model card, Table 1: 116.83B total, 5.13B active; MLP 114.71B, attention 0.96B, embed + unembed 1.16B',
      check: (c, config) => {
        expect(billions(c.totalParams, 2)).toBe(116.83);
        expect(billions(withoutInputEmbedding(c), 2)).toBe(5.13);
        const part = (name: string) => c.breakdown.find((x) => x.component === name)?.total ?? 0;
        expect(billions(part('routedExperts') + part('router'), 2)).toBe(114.71);
        expect(billions(part('attention'), 2)).toBe(0.96);
        expect(billions(part('embedding') + part('outputHead'), 2)).toBe(1.16);
        expect(config.architecture.slidingWindow).toEqual({ window: 128, layers: 18 });
      },
    },
  ],
  llama4: [
    {
      file: 'llama-4-scout.json',
      source: 'Llama 4 Scout model card (Meta, Apr 2025): 17B activated, 109B total with the vision tower',
      check: (c, config) => {
        expect(Math.round(c.activatedParams / 1e9)).toBe(17);
        // The language model alone: below the 109B of the whole model, within its vision tower (< 2%).
        expect(c.totalParams).toBeLessThan(109e9);
        expect(c.totalParams).toBeGreaterThan(109e9 * 0.98);
        expect(config.notes.join(' ')).toMatch(/vision tower .* not/);
        expect(config.architecture.slidingWindow).toEqual({ window: 8192, layers: 36 });
      },
    },
  ],
  gemma2: [
    {
      file: 'gemma-2-9b.json',
      source: 'Gemma 2 report (arXiv 2408.00118), Table 1: 9B, 8,324,201,984 non-embedding parameters',
      check: (c, config) => {
        expect(c.totalNonEmbeddingParams).toBe(8_324_201_984);
        expect(config.architecture.tiedEmbeddings).toBe(true);
        expect(config.architecture.slidingWindow).toEqual({ window: 4096, layers: 21 });
      },
    },
  ],
  gemma3: [
    {
      file: 'gemma-3-1b.json',
      source: 'Gemma 3 report (arXiv 2503.19786), Table 1: 1B, 302M embedding, 698M non-embedding',
      check: (c) => {
        expect(Math.round(c.totalNonEmbeddingParams / 1e6)).toBe(698);
        expect(Math.round((c.breakdown.find((x) => x.component === 'embedding')?.total ?? 0) / 1e6)).toBe(302);
      },
    },
    {
      file: 'gemma-3-27b.json',
      source: 'Gemma 3 report, Table 1: 27B, 25,600M non-embedding (417M vision encoder not counted)',
      check: (c, config) => {
        expect(Math.round(c.totalNonEmbeddingParams / 1e6)).toBe(25_600);
        expect(config.notes.join(' ')).toMatch(/vision tower/);
        expect(config.defaultsUsed).toContain('text_config.vocab_size = 262208 (Gemma3TextConfig default)');
      },
    },
  ],
  phimoe: [
    {
      file: 'phi-3.5-moe.json',
      source: 'microsoft/Phi-3.5-MoE-instruct model card: 41.9B total, 6.6B active',
      check: (c) => {
        expect(billions(c.totalParams, 1)).toBe(41.9);
        expect(billions(c.activatedParams, 1)).toBe(6.6);
      },
    },
  ],
  granitemoe: [
    {
      file: 'granite-3.0-1b-a400m.json',
      source: 'ibm-granite/granite-3.0-1b-a400m-base model card: 1.3B total, 400M active',
      check: (c) => {
        expect(billions(c.totalParams, 1)).toBe(1.3);
        expect(Math.round(c.activatedParamsTiedOnce / 1e8) / 10).toBe(0.4);
      },
    },
    {
      file: 'granite-3.0-3b-a800m.json',
      source: 'ibm-granite/granite-3.0-3b-a800m-base model card: 3.3B total, 800M active',
      check: (c) => {
        expect(billions(c.totalParams, 1)).toBe(3.3);
        expect(Math.round(c.activatedNonEmbeddingParams / 1e8) / 10).toBe(0.8);
      },
    },
  ],
  granitemoeshared: [
    {
      file: 'granite-3.0-1b-a400m.json',
      transform: (c) => ({ ...c, model_type: 'granitemoeshared', architectures: ['GraniteMoeSharedForCausalLM'], shared_intermediate_size: 1024 }),
      source: "transformers' GraniteMoeSharedMLP (input_linear H→2·I_s, output_linear I_s→H) on Granite 1B-A400M with a 1024-wide shared MLP",
      check: (c) => {
        // By hand: embedding 49155·1024 = 50,334,720 (tied); per layer q, o 2·1024² = 2,097,152,
        // k, v 2·1024·512 = 1,048,576, experts 32·3·1024·512 = 50,331,648, router 32·1024 = 32,768,
        // norms 2·1024, shared MLP 3·1024·1024 = 3,145,728: 56,657,920 · 24 = 1,359,790,080; final norm 1024.
        expect(c.totalParams).toBe(1_410_125_824);
        expect(c.activatedParams - c.totalParams).toBe(50_334_720 - 24 * 24 * 3 * 1024 * 512);
      },
    },
  ],
  dbrx: [
    {
      file: 'dbrx.json',
      source: 'Databricks, "Introducing DBRX" (27 Mar 2024): 132B total, 36B active',
      check: (c) => {
        expect(Math.round(c.totalParams / 1e9)).toBe(132);
        expect(Math.round(c.activatedParams / 1e9)).toBe(36);
      },
    },
  ],
  glm4_moe: [
    {
      file: 'glm-4.5-air.json',
      source: 'zai-org/GLM-4.5-Air model card: 106B total, 12B active (active without embedding and output head)',
      check: (c, config) => {
        expect(Math.trunc(c.totalParams / 1e9)).toBe(106);
        expect(Math.round(c.activatedNonEmbeddingParams / 1e9)).toBe(12);
        expect(config.architecture.mtpLayers).toBe(1);
      },
    },
    {
      file: 'glm-4.5.json',
      source: 'zai-org/GLM-4.5 model card: 355B total, 32B active (active without embedding and output head)',
      check: (c) => {
        expect(Math.abs(c.totalParams / 355e9 - 1)).toBeLessThan(0.01);
        expect(Math.round(c.activatedNonEmbeddingParams / 1e9)).toBe(32);
      },
    },
  ],
  jamba: [
    {
      file: 'jamba-v0.1.json',
      source: 'Jamba paper (arXiv 2403.19887), Table 1: 52B total, 12B active',
      check: (c, config) => {
        expect(Math.round(c.totalParams / 1e9)).toBe(52);
        expect(Math.round(c.activatedParams / 1e9)).toBe(12);
        expect(config.architecture.mamba?.layers).toBe(28);
        expect(config.architecture.moeLayers).toBe(16);
      },
    },
  ],
  arctic: [
    {
      file: 'snowflake-arctic.json',
      source: 'Snowflake, "Snowflake Arctic" (24 Apr 2024): 480B total (10B dense + 128×3.66B experts), 17B active',
      check: (c) => {
        expect(Math.abs(c.totalParams / 480e9 - 1)).toBeLessThan(0.005);
        expect(Math.round(c.activatedParams / 1e9)).toBe(17);
        const experts = c.breakdown.find((x) => x.component === 'routedExperts')?.total ?? 0;
        expect(Math.round(experts / 128 / 1e7) / 100).toBe(3.66);
      },
    },
  ],
};

describe('config family registry', () => {
  it('every family has a test against published counts', () => {
    const missing = FAMILIES.map((f) => f.name).filter((name) => !PUBLISHED[name]?.length);
    expect(missing).toEqual([]);
    expect(Object.keys(PUBLISHED).filter((name) => !FAMILIES.some((f) => f.name === name))).toEqual([]);
  });

  it('the README table lists every family and its example configs', () => {
    const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
    for (const f of FAMILIES) expect(readme, f.name).toContain(`\`${f.name}\``);
    for (const cases of Object.values(PUBLISHED)) for (const c of cases) expect(readme, c.file).toContain(c.file);
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
        const config = read(c.file, c.transform);
        expect(config.family).toBe(family.name);
        expect(config.unknownKeys).toEqual([]);
        c.check(parameterCounts(config.architecture), config);
      });
    }
  }
});
