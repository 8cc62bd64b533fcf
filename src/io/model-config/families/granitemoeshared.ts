/** Granite MoE Shared (IBM): Granite MoE with one shared MLP beside the experts. */
import type { ConfigFamilyDefinition } from '../family.js';
import { GRANITE_IGNORED, readGranite } from '../layouts/granite.js';

export default {
  name: 'granitemoeshared',
  modelTypes: ['granitemoeshared'],
  architectures: ['GraniteMoeSharedForCausalLM'],
  title: 'Granite MoE Shared (MoE, shared MLP)',
  ignoredKeys: GRANITE_IGNORED,
  read: (r) => readGranite(r, true),
} satisfies ConfigFamilyDefinition;
