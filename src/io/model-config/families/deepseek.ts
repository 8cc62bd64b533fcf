/** DeepSeekMoE (16B): the DeepSeek MoE layout with ordinary multi-head attention. */
import type { ConfigFamilyDefinition } from '../family.js';
import { DEEPSEEK_IGNORED, readDeepseekLayout } from '../layouts/deepseek.js';

export default {
  name: 'deepseek',
  modelTypes: ['deepseek'],
  architectures: ['DeepseekForCausalLM'],
  title: 'DeepSeekMoE (MoE, shared experts)',
  ignoredKeys: DEEPSEEK_IGNORED,
  read: (r) => readDeepseekLayout(r, { latent: false, v3: false }),
} satisfies ConfigFamilyDefinition;
