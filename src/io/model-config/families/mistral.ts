/** Mistral (dense). */
import type { ConfigFamilyDefinition } from '../family.js';
import { readDense } from '../layouts/dense.js';

export default {
  name: 'mistral',
  modelTypes: ['mistral'],
  architectures: ['MistralForCausalLM'],
  title: 'Mistral (dense)',
  ignoredKeys: [],
  read: (r) => readDense(r, 'mistral'),
} satisfies ConfigFamilyDefinition;
