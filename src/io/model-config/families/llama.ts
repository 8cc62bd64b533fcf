/** Llama (dense). */
import type { ConfigFamilyDefinition } from '../family.js';
import { readDense } from '../layouts/dense.js';

export default {
  name: 'llama',
  modelTypes: ['llama'],
  architectures: ['LlamaForCausalLM'],
  title: 'Llama (dense)',
  ignoredKeys: ['head_dim_scale'],
  read: (r) => readDense(r, 'llama'),
} satisfies ConfigFamilyDefinition;
