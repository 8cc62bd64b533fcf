/** Qwen3 (dense, QK-norm). */
import type { ConfigFamilyDefinition } from '../family.js';
import { readDense } from '../layouts/dense.js';

export default {
  name: 'qwen3',
  modelTypes: ['qwen3'],
  architectures: ['Qwen3ForCausalLM'],
  title: 'Qwen3 (dense, QK-norm)',
  ignoredKeys: [],
  read: (r) => readDense(r, 'qwen3'),
} satisfies ConfigFamilyDefinition;
