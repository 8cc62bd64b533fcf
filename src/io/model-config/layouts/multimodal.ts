/**
 * Multimodal configs: the language model's keys sit in `text_config`, beside a `vision_config`
 * whose tower moeplan does not count (said in a note). A text-only config is its own language
 * model.
 */
import type { ConfigReader } from '../reader.js';

/** The reader of the language model: `text_config` when present, else the config itself. */
export function languageModel(r: ConfigReader, textIgnored: readonly string[], topIgnored: readonly string[] = []): ConfigReader {
  r.skip(...topIgnored);
  if (r.has('vision_config')) {
    r.skip(
      'vision_config',
      'mm_tokens_per_image',
      'multi_modal_projector_bias',
      'projector_hidden_act',
      'vision_feature_layer',
      'vision_feature_select_strategy',
    );
    r.notes.push('multimodal config: the language model (text_config) is counted; the vision tower and its projector are not');
  }
  const text = r.sub('text_config', textIgnored);
  if (!text) return r;
  // A top-level tie_word_embeddings applies to the language model when text_config has none.
  if (r.has('tie_word_embeddings') && !text.has('tie_word_embeddings')) {
    text.inherit('tie_word_embeddings', r.value('tie_word_embeddings'));
  }
  r.skip('tie_word_embeddings', 'torch_dtype');
  return text;
}
