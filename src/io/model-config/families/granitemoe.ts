/** Granite 3.0 MoE (IBM): 1B-A400M and 3B-A800M. */
import type { ConfigFamilyDefinition } from '../family.js';
import { GRANITE_IGNORED, readGranite } from '../layouts/granite.js';

export default {
  name: 'granitemoe',
  modelTypes: ['granitemoe'],
  architectures: ['GraniteMoeForCausalLM'],
  title: 'Granite MoE (MoE, tied embeddings)',
  ignoredKeys: GRANITE_IGNORED,
  read: (r) => readGranite(r, false),
} satisfies ConfigFamilyDefinition;
