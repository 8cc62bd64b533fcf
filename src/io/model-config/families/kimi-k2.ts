/** Kimi K2 (Moonshot AI): the DeepSeek-V3 layout under its own model_type. */
import type { ConfigFamilyDefinition } from '../family.js';
import { DEEPSEEK_IGNORED, readDeepseekLayout } from '../layouts/deepseek.js';

export default {
  name: 'kimi_k2',
  modelTypes: ['kimi_k2'],
  architectures: [],
  title: 'Kimi K2 (DeepSeek-V3 layout: MoE, MLA)',
  ignoredKeys: DEEPSEEK_IGNORED.filter((k) => k !== 'topk_method'),
  read: (r) => readDeepseekLayout(r, { latent: true, v3: true }),
} satisfies ConfigFamilyDefinition;
