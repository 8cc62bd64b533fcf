/** DeepSeek-V3 (and R1): latent attention, a routing bias, multi-token prediction. */
import type { ConfigFamilyDefinition } from '../family.js';
import { DEEPSEEK_IGNORED, readDeepseekLayout } from '../layouts/deepseek.js';

export default {
  name: 'deepseek_v3',
  modelTypes: ['deepseek_v3'],
  architectures: ['DeepseekV3ForCausalLM'],
  title: 'DeepSeek-V3 (MoE, MLA)',
  ignoredKeys: DEEPSEEK_IGNORED.filter((k) => k !== 'topk_method'),
  read: (r) => readDeepseekLayout(r, { latent: true, v3: true }),
} satisfies ConfigFamilyDefinition;
