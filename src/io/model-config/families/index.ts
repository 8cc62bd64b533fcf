/**
 * Every config family moeplan reads, one file each. A new family is a new file in this folder,
 * listed here, with its test in test/io/model-config-families.test.ts (the test fails for a
 * family it does not cover).
 */
import type { ConfigFamilyDefinition } from '../family.js';
import deepseek from './deepseek.js';
import deepseekV2 from './deepseek-v2.js';
import deepseekV3 from './deepseek-v3.js';
import hunyuan from './hunyuan.js';
import kimiK2 from './kimi-k2.js';
import llama from './llama.js';
import mistral from './mistral.js';
import mixtral from './mixtral.js';
import qwen2 from './qwen2.js';
import qwen2Moe from './qwen2-moe.js';
import qwen3 from './qwen3.js';
import qwen3Moe from './qwen3-moe.js';

export const FAMILIES: readonly ConfigFamilyDefinition[] = [
  hunyuan,
  mixtral,
  qwen2Moe,
  qwen3Moe,
  deepseek,
  deepseekV2,
  deepseekV3,
  kimiK2,
  llama,
  mistral,
  qwen2,
  qwen3,
];
