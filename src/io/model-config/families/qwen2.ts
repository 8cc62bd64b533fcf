/** Qwen2 (dense). */
import type { ConfigFamilyDefinition } from '../family.js';
import { readDense } from '../layouts/dense.js';

export default {
  name: 'qwen2',
  modelTypes: ['qwen2'],
  architectures: ['Qwen2ForCausalLM'],
  title: 'Qwen2 (dense)',
  ignoredKeys: [],
  read: (r) => readDense(r, 'qwen2'),
} satisfies ConfigFamilyDefinition;
