/**
 * The Granite MoE layout: experts as fused input_linear (H→2·I) and output_linear (I→H)
 * matrices, a router without bias, tied embeddings by default; Granite MoE Shared adds one
 * always-on shared MLP of `shared_intermediate_size` (`modeling_granitemoe.py`,
 * `modeling_granitemoeshared.py`). The µP multipliers change no weights.
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import { type ConfigReader, basics, groupedAttention, routedMoe } from '../reader.js';

export const GRANITE_IGNORED = ['embedding_multiplier', 'logits_scaling', 'residual_multiplier', 'attention_multiplier'];

export function readGranite(r: ConfigReader, shared: boolean): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r, true);
  const bias = r.bool('attention_bias', 'biases on the attention projections', false);
  const attention = groupedAttention(r, hiddenSize, { kvHeadsDefault: true, headDimKeys: [], qkNorm: false, qkvBias: bias, outputBias: bias });
  const intermediate = r.int('intermediate_size', 'intermediate size of each expert');
  const sharedIntermediate = shared ? r.int('shared_intermediate_size', 'intermediate size of the shared MLP (0: none)', { min: 0 }) : 0;
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: intermediate,
    moe: routedMoe(r, 'num_local_experts', intermediate, { sharedIntermediate }),
    moeLayers: layers,
  };
}
