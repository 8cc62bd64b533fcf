/**
 * Jamba (AI21): attention in one layer of every `attn_layer_period` (at `attn_layer_offset`),
 * Mamba mixers in the others; an MoE block in one layer of every `expert_layer_period` (at
 * `expert_layer_offset`), a dense MLP in the others (`modeling_jamba.py`; the Mamba mixer has
 * RMSNorms on Δ, B and C).
 */
import type { ModelArchitecture } from '../../../core/architecture.js';
import type { ConfigFamilyDefinition } from '../family.js';
import { type ConfigReader, basics, groupedAttention } from '../reader.js';

function every(layers: number, period: number, offset: number): number {
  let n = 0;
  for (let i = 0; i < layers; i++) if (i % period === offset) n++;
  return n;
}

function read(r: ConfigReader): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  const attention = groupedAttention(r, hiddenSize, { kvHeadsDefault: false, headDimKeys: [], qkNorm: false, qkvBias: false, outputBias: false });
  const attnPeriod = r.int('attn_layer_period', 'one attention layer every how many', { default: 8 });
  const attnOffset = r.int('attn_layer_offset', 'index of the attention layer in its period', { min: 0, default: 4 });
  const expertPeriod = r.int('expert_layer_period', 'one MoE layer every how many', { default: 2 });
  const expertOffset = r.int('expert_layer_offset', 'index of the MoE layer in its period', { min: 0, default: 1 });
  const expand = r.int('mamba_expand', 'Mamba inner width / hidden', { default: 2 });
  const dtRank =
    r.has('mamba_dt_rank') && r.value('mamba_dt_rank') !== 'auto' ? r.int('mamba_dt_rank', 'rank of the Mamba Δ projection') : Math.ceil(hiddenSize / 16);
  const intermediate = r.int('intermediate_size', 'intermediate size of the MLP and of each expert');
  r.skip('sliding_window');
  return {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: intermediate,
    moe: {
      routedExperts: r.int('num_experts', 'experts per MoE layer'),
      expertIntermediate: intermediate,
      topK: r.int('num_experts_per_tok', 'experts per token'),
      sharedExperts: 0,
      sharedIntermediate: 0,
      sharedExpertGate: false,
      routerBias: false,
    },
    moeLayers: every(layers, expertPeriod, expertOffset),
    mamba: {
      layers: layers - every(layers, attnPeriod, attnOffset),
      inner: expand * hiddenSize,
      stateSize: r.int('mamba_d_state', 'Mamba state size', { default: 16 }),
      convKernel: r.int('mamba_d_conv', 'Mamba convolution width', { default: 4 }),
      dtRank,
      convBias: r.bool('mamba_conv_bias', 'a bias on the Mamba convolution', true),
      projBias: r.bool('mamba_proj_bias', 'biases on the Mamba in and out projections', false),
      innerNorms: true,
    },
  };
}

export default {
  name: 'jamba',
  modelTypes: ['jamba'],
  architectures: ['JambaForCausalLM'],
  title: 'Jamba (Mamba and attention layers, MoE every other layer)',
  ignoredKeys: ['num_logits_to_keep', 'use_mamba_kernels', 'calc_logits_for_entire_prompt'],
  read,
} satisfies ConfigFamilyDefinition;
