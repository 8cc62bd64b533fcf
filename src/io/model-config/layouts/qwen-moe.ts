/**
 * The Qwen MoE reader shared by Qwen1.5/Qwen2-MoE (q, k, v biases; a gated shared expert) and
 * Qwen3-MoE (QK-norm, no shared expert): `modeling_qwen2_moe.py`, `modeling_qwen3_moe.py`.
 */
import type { ModelArchitecture, MoeShape } from '../../../core/architecture.js';
import { type ConfigReader, basics, groupedAttention } from '../reader.js';

/** Qwen2-style sliding window: layers from `max_window_layers` on, when `use_sliding_window`. */
export function qwenSlidingWindow(r: ConfigReader, layers: number): { window: number; layers: number } | undefined {
  const on = r.bool('use_sliding_window', 'sliding-window attention', false);
  if (!on) {
    r.skip('sliding_window', 'max_window_layers', 'layer_types');
    return undefined;
  }
  const window = r.int('sliding_window', 'tokens a windowed layer attends to');
  const types = r.textList('layer_types', 'attention kind of each layer');
  const from = types ? 0 : r.int('max_window_layers', 'layers before the windowed ones', { min: 0, default: layers });
  const windowed = types ? types.filter((t) => t === 'sliding_attention').length : Math.max(0, layers - from);
  return windowed > 0 ? { window, layers: windowed } : undefined;
}

export function readQwenMoe(r: ConfigReader, qwen3: boolean): ModelArchitecture {
  const { hiddenSize, layers, vocabSize, tiedEmbeddings } = basics(r);
  // Qwen2 attention has biases on q, k and v (no config key); Qwen3 has QK-norm and
  // `attention_bias` (default false) on all four projections.
  const bias = qwen3 ? r.bool('attention_bias', 'biases on the attention projections', false) : true;
  const attention = groupedAttention(r, hiddenSize, {
    kvHeadsDefault: false,
    headDimKeys: qwen3 ? ['head_dim'] : [],
    qkNorm: qwen3,
    qkvBias: bias,
    outputBias: qwen3 && bias,
  });
  const experts = r.int('num_experts', 'routed experts per MoE layer');
  const topK = r.int('num_experts_per_tok', 'routed experts per token');
  const expertIntermediate = r.int('moe_intermediate_size', 'intermediate size of a routed expert');
  const sharedIntermediate = qwen3 ? 0 : r.int('shared_expert_intermediate_size', 'intermediate size of the shared expert (0: none)', { min: 0 });
  const sparseStep = r.int('decoder_sparse_step', 'every how many layers an MoE block', { default: 1 });
  const mlpOnly = new Set(r.intList('mlp_only_layers', 'layers with a dense MLP'));
  let moeLayers = 0;
  for (let i = 0; i < layers; i++) if (!mlpOnly.has(i) && (i + 1) % sparseStep === 0) moeLayers++;
  const denseIntermediate = moeLayers < layers || r.has('intermediate_size') ? r.int('intermediate_size', 'intermediate size of the dense MLP layers') : 0;
  const moe: MoeShape = {
    routedExperts: experts,
    expertIntermediate,
    topK,
    sharedExperts: sharedIntermediate > 0 ? 1 : 0,
    sharedIntermediate,
    sharedExpertGate: !qwen3,
    routerBias: false,
  };
  const slidingWindow = qwenSlidingWindow(r, layers);
  return { hiddenSize, layers, vocabSize, tiedEmbeddings, attention, denseIntermediate, moe, moeLayers, ...(slidingWindow ? { slidingWindow } : {}) };
}
