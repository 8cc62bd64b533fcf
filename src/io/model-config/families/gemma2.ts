/**
 * Gemma 2 (Google): four RMSNorms a layer (before and after attention and MLP), GeGLU MLP,
 * tied embeddings, sliding-window attention in every other layer (`modeling_gemma2.py`).
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { readGemma } from '../layouts/gemma.js';

export default {
  name: 'gemma2',
  modelTypes: ['gemma2'],
  architectures: ['Gemma2ForCausalLM'],
  title: 'Gemma 2 (dense, four norms a layer, sliding window)',
  ignoredKeys: [
    'attn_logit_softcapping',
    'final_logit_softcapping',
    'query_pre_attn_scalar',
    'hidden_activation',
    'cache_implementation',
    'sliding_window_size',
  ],
  read: (r): ModelArchitecture => readGemma(r, { qkNorm: false, windowedLayer: (i) => i % 2 === 0 }),
} satisfies ConfigFamilyDefinition;
