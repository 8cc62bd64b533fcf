/**
 * Gemma 3 (Google): Gemma 2's layout with QK-norm and five windowed layers for one global
 * (`sliding_window_pattern` 6). `gemma3` is the multimodal config (its `text_config` is counted,
 * not the vision tower), `gemma3_text` the text-only one (`modeling_gemma3.py`).
 */
import type { ConfigFamilyDefinition } from '../family.js';
import { GEMMA3_TEXT_DEFAULTS, readGemma } from '../layouts/gemma.js';
import { languageModel } from '../layouts/multimodal.js';

const IGNORED = [
  'attn_logit_softcapping',
  'final_logit_softcapping',
  'query_pre_attn_scalar',
  'hidden_activation',
  'cache_implementation',
  'rope_local_base_freq',
  'sliding_window_pattern',
  'use_bidirectional_attention',
];

export default {
  name: 'gemma3',
  modelTypes: ['gemma3', 'gemma3_text'],
  architectures: ['Gemma3ForConditionalGeneration', 'Gemma3ForCausalLM'],
  title: 'Gemma 3 (dense, QK-norm, 5 windowed layers : 1 global)',
  ignoredKeys: IGNORED,
  read: (top) => {
    const r = languageModel(top, IGNORED, ['boi_token_index', 'eoi_token_index', 'image_token_index']);
    const pattern = r.int('sliding_window_pattern', 'one global layer every how many', { default: 6 });
    return readGemma(r, { qkNorm: true, windowedLayer: (i) => (i + 1) % pattern !== 0, defaults: GEMMA3_TEXT_DEFAULTS });
  },
} satisfies ConfigFamilyDefinition;
