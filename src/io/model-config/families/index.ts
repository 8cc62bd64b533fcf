/**
 * Every config family moeplan reads, one file each. A new family is a new file in this folder,
 * listed here, with its test in test/io/model-config-families.test.ts (the test fails for a
 * family it does not cover).
 */
import type { ConfigFamilyDefinition } from '../family.js';
import arctic from './arctic.js';
import dbrx from './dbrx.js';
import deepseekV2 from './deepseek-v2.js';
import deepseekV3 from './deepseek-v3.js';
import deepseek from './deepseek.js';
import gemma2 from './gemma2.js';
import gemma3 from './gemma3.js';
import glm4Moe from './glm4-moe.js';
import gptOss from './gpt-oss.js';
import granitemoe from './granitemoe.js';
import granitemoeshared from './granitemoeshared.js';
import hunyuan from './hunyuan.js';
import jamba from './jamba.js';
import kimiK2 from './kimi-k2.js';
import llama from './llama.js';
import llama4 from './llama4.js';
import mistral from './mistral.js';
import mixtral from './mixtral.js';
import olmoe from './olmoe.js';
import phimoe from './phimoe.js';
import qwen2Moe from './qwen2-moe.js';
import qwen2 from './qwen2.js';
import qwen3Moe from './qwen3-moe.js';
import qwen3 from './qwen3.js';

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
  olmoe,
  gptOss,
  llama4,
  gemma2,
  gemma3,
  phimoe,
  granitemoe,
  granitemoeshared,
  dbrx,
  glm4Moe,
  jamba,
  arctic,
];
