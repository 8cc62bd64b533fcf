/** DeepSeek-V2 (and V2-Lite): latent attention, shared experts. */
import type { ConfigFamilyDefinition } from '../family.js';
import { DEEPSEEK_IGNORED, readDeepseekLayout } from '../layouts/deepseek.js';

export default {
  name: 'deepseek_v2',
  modelTypes: ['deepseek_v2'],
  architectures: ['DeepseekV2ForCausalLM'],
  title: 'DeepSeek-V2 (MoE, MLA)',
  ignoredKeys: DEEPSEEK_IGNORED,
  read: (r) => readDeepseekLayout(r, { latent: true, v3: false }),
} satisfies ConfigFamilyDefinition;
