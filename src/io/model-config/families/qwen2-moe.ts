/** Qwen1.5-MoE / Qwen2-MoE: q, k, v biases and a sigmoid-gated shared expert. */
import type { ConfigFamilyDefinition } from '../family.js';
import { readQwenMoe } from '../layouts/qwen-moe.js';

export default {
  name: 'qwen2_moe',
  modelTypes: ['qwen2_moe'],
  architectures: ['Qwen2MoeForCausalLM'],
  title: 'Qwen1.5/Qwen2-MoE (MoE, gated shared expert)',
  ignoredKeys: ['norm_topk_prob'],
  read: (r) => readQwenMoe(r, false),
} satisfies ConfigFamilyDefinition;
