import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parameterCounts } from '../../src/core/architecture.js';
import { isMoeplanError } from '../../src/core/errors.js';
import { kvCacheBytesPerToken } from '../../src/core/kv-cache.js';
import { activatedParamsFromConfig, parseModelConfig, readModelConfig } from '../../src/io/model-config.js';

const examples = join(process.cwd(), 'examples', 'configs');
const load = (name: string) => JSON.parse(readFileSync(join(examples, name), 'utf8')) as Record<string, unknown>;
const billions = (value: number, decimals: number) => Number((value / 1e9).toFixed(decimals));

describe('example configs against published parameter counts', () => {
  it('Hunyuan-Large: 388.7B total; 52.14B / 51.32B / 50.50B activated; 81,920 KV bytes per token', async () => {
    const config = await readModelConfig('examples/configs/hunyuan-large.json', process.cwd());
    expect(config.family).toBe('hunyuan');
    const c = parameterCounts(config.architecture);
    expect(billions(c.totalParams, 1)).toBe(388.7);
    expect(billions(c.activatedParams, 2)).toBe(52.14);
    expect(billions(c.activatedParamsTiedOnce, 2)).toBe(51.32);
    expect(billions(c.activatedNonEmbeddingParams, 2)).toBe(50.5);
    expect(kvCacheBytesPerToken(config.architecture)).toBe(81_920);
  });

  it('Mixtral 8x7B: 46.7B total, 12.9B per token (Mistral AI, "Mixtral of experts", 11 Dec 2023)', () => {
    const c = parameterCounts(parseModelConfig(load('mixtral-8x7b.json')).architecture);
    expect(billions(c.totalParams, 1)).toBe(46.7);
    expect(billions(c.activatedParams, 1)).toBe(12.9);
    // model.safetensors.index.json of mistralai/Mixtral-8x7B-v0.1: total_size 93,405,585,408 bytes in bf16.
    expect(c.totalParams * 2).toBe(93_405_585_408);
  });

  it('Qwen1.5-MoE-A2.7B: 14.3B total, 2.7B activated (Qwen blog "Qwen1.5-MoE", 28 Mar 2024)', () => {
    const c = parameterCounts(parseModelConfig(load('qwen1.5-moe-a2.7b.json')).architecture);
    expect(billions(c.totalParams, 1)).toBe(14.3);
    expect(billions(c.activatedParams, 1)).toBe(2.7);
  });

  it('DeepSeek-V3: 671B total, 37B activated (DeepSeek-V3 technical report, arXiv 2412.19437)', () => {
    const config = parseModelConfig(load('deepseek-v3.json'));
    const c = parameterCounts(config.architecture);
    expect(Math.round(c.totalParams / 1e9)).toBe(671);
    // DeepSeek counts the output projection but not the embedding lookup as activated.
    const embedding = c.breakdown.find((x) => x.component === 'embedding')?.activated ?? 0;
    expect(Math.round((c.activatedParams - embedding) / 1e9)).toBe(37);
    expect(Math.abs(c.activatedParams / 37e9 - 1)).toBeLessThan(0.02);
    expect(config.notes.join(' ')).toMatch(/multi-token-prediction/);
    // MLA caches the 512-dim latent and the 64-dim RoPE key per layer.
    expect(kvCacheBytesPerToken(config.architecture)).toBe((512 + 64) * 61 * 2);
  });

  it('Llama-3-8B (dense): 8,030,261,248 parameters (safetensors total_size 16,060,522,496 bytes)', () => {
    const c = parameterCounts(parseModelConfig(load('llama-3-8b.json')).architecture);
    expect(c.totalParams * 2).toBe(16_060_522_496);
    expect(c.activatedParams).toBe(c.totalParams);
  });

  it('Qwen3-30B-A3B: 30.5B total, 3.3B activated (Qwen3 model card)', () => {
    const qwen3 = {
      architectures: ['Qwen3MoeForCausalLM'],
      attention_bias: false,
      decoder_sparse_step: 1,
      head_dim: 128,
      hidden_size: 2048,
      intermediate_size: 6144,
      mlp_only_layers: [],
      model_type: 'qwen3_moe',
      moe_intermediate_size: 768,
      norm_topk_prob: true,
      num_attention_heads: 32,
      num_experts: 128,
      num_experts_per_tok: 8,
      num_hidden_layers: 48,
      num_key_value_heads: 4,
      tie_word_embeddings: false,
      vocab_size: 151936,
    };
    const c = parameterCounts(parseModelConfig(qwen3).architecture);
    expect(billions(c.totalParams, 1)).toBe(30.5);
    // 3.353B counted with the output head; the card's 3.3B truncates.
    expect(Math.trunc(c.activatedParams / 1e8) / 10).toBe(3.3);
  });

  it('DeepSeek-V2 236B / 21B and V2-Lite 15.7B total (DeepSeek-V2 report, arXiv 2405.04434)', () => {
    const v2 = {
      model_type: 'deepseek_v2',
      hidden_size: 5120,
      intermediate_size: 12288,
      moe_intermediate_size: 1536,
      num_hidden_layers: 60,
      num_attention_heads: 128,
      num_key_value_heads: 128,
      n_routed_experts: 160,
      n_shared_experts: 2,
      num_experts_per_tok: 6,
      first_k_dense_replace: 1,
      moe_layer_freq: 1,
      q_lora_rank: 1536,
      kv_lora_rank: 512,
      qk_nope_head_dim: 128,
      qk_rope_head_dim: 64,
      v_head_dim: 128,
      vocab_size: 102400,
      topk_method: 'group_limited_greedy',
      tie_word_embeddings: false,
    };
    const big = parameterCounts(parseModelConfig(v2).architecture);
    expect(Math.round(big.totalParams / 1e9)).toBe(236);
    // DeepSeek counts one vocabulary matrix as activated (the output projection; the
    // embedding is a lookup): activatedParams less the embedding.
    const deepseekActivated = (c: ReturnType<typeof parameterCounts>) =>
      c.activatedParams - (c.breakdown.find((x) => x.component === 'embedding')?.activated ?? 0);
    expect(Math.round(deepseekActivated(big) / 1e9)).toBe(21);
    const lite = { ...v2, hidden_size: 2048, intermediate_size: 10944, moe_intermediate_size: 1408, num_hidden_layers: 27, num_attention_heads: 16 };
    const liteCounts = parameterCounts(parseModelConfig({ ...lite, num_key_value_heads: 16, n_routed_experts: 64, q_lora_rank: null }).architecture);
    expect(billions(liteCounts.totalParams, 1)).toBe(15.7);
    // Lite's published 2.4B activated lies between its non-embedding count and the count
    // with one vocabulary matrix.
    expect(liteCounts.activatedNonEmbeddingParams).toBeLessThan(2.4e9);
    expect(deepseekActivated(liteCounts)).toBeGreaterThan(2.4e9);
  });

  it('activatedParamsFromConfig gives the N of eq. 2', async () => {
    const n = await activatedParamsFromConfig('examples/configs/hunyuan-large.json', process.cwd());
    expect(billions(n, 2)).toBe(52.14);
  });
});

describe('strict reading', () => {
  const hunyuan = load('hunyuan-large.json');
  const expectError = (config: unknown, ...named: string[]) => {
    let error: unknown;
    try {
      parseModelConfig(config, 'c.json');
    } catch (e) {
      error = e;
    }
    expect(isMoeplanError(error)).toBe(true);
    for (const n of named) expect((error as Error).message).toContain(n);
    return error as Error & { field?: string };
  };
  const without = (key: string) => Object.fromEntries(Object.entries(hunyuan).filter(([k]) => k !== key));

  it.each(['hidden_size', 'num_hidden_layers', 'num_attention_heads', 'vocab_size', 'intermediate_size', 'moe_topk'])('names the missing key %s', (key) => {
    const error = expectError(without(key), `missing key "${key}"`);
    expect(error.field).toBe(key);
  });

  it('accepts the keys of a full save_pretrained dump that set no size', () => {
    const dump = { ...hunyuan, output_attentions: false, id2label: { 0: 'LABEL_0' }, num_beams: 1, use_mla: false, kv_lora_rank: 512 };
    expect(parameterCounts(parseModelConfig(dump).architecture).totalParams).toBe(parameterCounts(parseModelConfig(hunyuan).architecture).totalParams);
  });

  it('lists an unknown key as a note, and refuses it under strict', () => {
    const config = parseModelConfig({ ...hunyuan, num_experts_per_layer: 4 });
    expect(config.unknownKeys).toEqual(['num_experts_per_layer']);
    expect(parameterCounts(config.architecture)).toEqual(parameterCounts(parseModelConfig(hunyuan).architecture));
    expect(() => parseModelConfig({ ...hunyuan, num_experts_per_layer: 4 }, 'config', { strict: true })).toThrow(/unknown key "num_experts_per_layer"/);
    expect(parseModelConfig(hunyuan, 'config', { strict: true }).unknownKeys).toEqual([]);
  });

  it.each([
    [{ hidden_size: '6400' }, 'hidden_size', 'must be a number'],
    [{ hidden_size: -6400 }, 'hidden_size', 'at least 1'],
    [{ hidden_size: 6400.5 }, 'hidden_size', 'whole number'],
    [{ num_experts: -16 }, 'num_experts', 'at least 1'],
    [{ num_shared_expert: -1 }, 'num_shared_expert', '0 or more'],
    [{ moe_topk: [1, 1, 2] }, 'moe_topk', 'per-layer list'],
    [{ use_cla: 'yes' }, 'use_cla', 'true or false'],
    [{ hidden_size: null }, 'hidden_size', 'missing key'],
    [{ mlp_bias: true }, 'mlp_bias', 'not supported'],
    [{ num_key_value_heads: 7 }, 'num_key_value_heads', '7 K/V groups'],
    [{ moe_topk: 17 }, 'moe_topk', 'top-17'],
    [{ model_type: 'gpt_bigcode' }, 'model_type', 'not a family'],
    [{ model_type: 3 }, 'model_type', 'must be text'],
  ])('rejects %j naming %s', (patch, key, what) => {
    const error = expectError({ ...hunyuan, ...patch }, key, what);
    expect(error.field).toBe(key);
  });

  it('needs cla_share_factor when use_cla is true', () => {
    expectError(without('cla_share_factor'), 'missing key "cla_share_factor"');
  });

  it('needs a family', () => {
    const bare = Object.fromEntries(Object.entries(hunyuan).filter(([k]) => k !== 'model_type' && k !== 'architectures'));
    expectError(bare, 'missing key "model_type"');
    // architectures alone is enough
    expect(parseModelConfig({ ...bare, architectures: ['HunYuanForCausalLM'] }).family).toBe('hunyuan');
  });

  it('rejects what is not a JSON object', () => {
    expectError([1, 2], 'JSON object');
    expectError('config', 'JSON object');
  });

  it('names the keys of other families', () => {
    const mixtral = load('mixtral-8x7b.json');
    expectError(Object.fromEntries(Object.entries(mixtral).filter(([k]) => k !== 'num_local_experts')), '"num_local_experts"');
    expectError({ ...mixtral, num_key_value_heads: undefined }, '"num_key_value_heads"');
    const qwen = load('qwen1.5-moe-a2.7b.json');
    expectError(Object.fromEntries(Object.entries(qwen).filter(([k]) => k !== 'shared_expert_intermediate_size')), '"shared_expert_intermediate_size"');
    const deepseek = load('deepseek-v3.json');
    expectError({ ...deepseek, kv_lora_rank: -512 }, '"kv_lora_rank"');
  });

  it('lists the transformers defaults it used', () => {
    const config = parseModelConfig(load('llama-3-8b.json'));
    expect(config.defaultsUsed).toEqual(['head_dim = hidden_size / num_attention_heads = 128']);
    const mha = parseModelConfig(Object.fromEntries(Object.entries(load('llama-3-8b.json')).filter(([k]) => k !== 'num_key_value_heads')));
    expect(mha.defaultsUsed).toContain('num_key_value_heads = num_attention_heads = 32');
  });

  it('reads Qwen-MoE dense layers (mlp_only_layers, decoder_sparse_step)', () => {
    const qwen = load('qwen1.5-moe-a2.7b.json');
    const all = parameterCounts(parseModelConfig(qwen).architecture);
    const twoDense = parseModelConfig({ ...qwen, mlp_only_layers: [0, 1] });
    expect(twoDense.architecture.moeLayers).toBe(22);
    expect(parseModelConfig({ ...qwen, decoder_sparse_step: 2 }).architecture.moeLayers).toBe(12);
    expect(parameterCounts(twoDense.architecture).totalParams).toBeLessThan(all.totalParams);
  });

  it('reports file errors with the flag', async () => {
    await expect(readModelConfig('no/such/config.json', process.cwd())).rejects.toThrow(/--config: cannot read "no\/such\/config.json" \(no such file\)/);
    await expect(readModelConfig('package.json', process.cwd())).rejects.toThrow(/model_type/);
  });
});
