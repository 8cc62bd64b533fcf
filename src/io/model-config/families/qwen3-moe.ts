/** Qwen3-MoE: QK-norm, no shared expert. */
import type { ConfigFamilyDefinition } from '../family.js';
import { readQwenMoe } from '../layouts/qwen-moe.js';

export default {
  name: 'qwen3_moe',
  modelTypes: ['qwen3_moe'],
  architectures: ['Qwen3MoeForCausalLM'],
  title: 'Qwen3-MoE (MoE, QK-norm)',
  ignoredKeys: ['norm_topk_prob'],
  read: (r) => readQwenMoe(r, true),
} satisfies ConfigFamilyDefinition;
