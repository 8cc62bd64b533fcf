/**
 * The model's shape for the commands that take one: a Hugging Face config.json
 * (`--config`) or shape flags (`--hidden`, `--layers`, …), as `arch` reads them.
 */
import type { Command } from 'commander';
import { type ModelArchitecture, type MoeShape, architectureProblem } from '../core/architecture.js';
import { MoeplanError } from '../core/errors.js';
import type { ModelConfig } from '../io/model-config.js';
import { readConfigOption } from './architecture-compute.js';
import { type Context, type FieldName, type RawInputs, quantity, requiredQuantity } from './context.js';
import { renderMessage } from '../messages/index.js';

/** Shape flags (camelCase keys); `--config` stands in for all of them. */
export const SHAPE_KEYS = [
  'hidden',
  'layers',
  'heads',
  'kvHeads',
  'headDim',
  'intermediate',
  'experts',
  'sharedExperts',
  'sharedIntermediate',
  'topK',
  'denseLayers',
  'denseIntermediate',
  'vocab',
  'cla',
  'tied',
  'qkNorm',
] as const;

/** A whole-number flag: ≥ 1, or ≥ 0 with `zero`. */
export function count(raw: RawInputs, key: string, name: FieldName, zero = false): number | undefined {
  return quantity(raw, key, name, {
    integer: true,
    ...(zero ? { min: 0, minInclusive: true } : {}),
    describe: zero ? 'a whole number, 0 or more' : 'a whole number, at least 1',
  });
}

function requiredCount(raw: RawInputs, key: string, name: FieldName, hint: string): number {
  return requiredQuantity(raw, key, name, { integer: true, describe: 'a whole number, at least 1' }, hint);
}

export function flag(raw: RawInputs, key: string): boolean {
  const value = raw[key];
  return value === true || value === 'true';
}

/** The architecture described by shape flags. */
export function architectureFromFlags(raw: RawInputs, name: FieldName): ModelArchitecture {
  const example = 'e.g. --hidden 4096 --layers 32 --heads 32 --kv-heads 8 --intermediate 14336 --vocab 32000';
  const hiddenSize = requiredCount(raw, 'hidden', name, example);
  const layers = requiredCount(raw, 'layers', name, example);
  const heads = requiredCount(raw, 'heads', name, example);
  const kvHeads = count(raw, 'kvHeads', name) ?? heads;
  let headDim = count(raw, 'headDim', name);
  if (headDim === undefined) {
    if (hiddenSize % heads !== 0) {
      throw new MoeplanError(
        'MISSING_INPUT',
        `${name('headDim')} is required: ${name('hidden')} ${hiddenSize} is not a multiple of ${name('heads')} ${heads}`,
        {
          field: name('headDim'),
        },
      );
    }
    headDim = hiddenSize / heads;
  }
  const vocabSize = requiredCount(raw, 'vocab', name, example);
  const intermediate = requiredCount(raw, 'intermediate', name, `the FFN intermediate size (of each expert for an MoE model); ${example}`);
  const experts = count(raw, 'experts', name, true) ?? 0;
  const claShareFactor = count(raw, 'cla', name) ?? 1;
  const attention = {
    kind: 'grouped' as const,
    heads,
    kvHeads,
    headDim,
    claShareFactor,
    qkNorm: flag(raw, 'qkNorm'),
    qkvBias: false,
    outputBias: false,
  };
  const tiedEmbeddings = flag(raw, 'tied');
  const moeOnly = ['topK', 'sharedExperts', 'sharedIntermediate', 'denseLayers', 'denseIntermediate'] as const;
  if (experts === 0) {
    const stray = moeOnly.find((k) => raw[k] !== undefined);
    if (stray) {
      throw new MoeplanError('INVALID_INPUT', `${name(stray)} needs ${name('experts')}: without routed experts the model is dense`, { field: name(stray) });
    }
    return checked({ hiddenSize, layers, vocabSize, tiedEmbeddings, attention, denseIntermediate: intermediate, moe: undefined, moeLayers: 0 }, name);
  }
  const topK = requiredCount(raw, 'topK', name, 'routed experts per token, e.g. --top-k 2');
  const sharedExperts = count(raw, 'sharedExperts', name, true) ?? 0;
  const denseLayers = count(raw, 'denseLayers', name, true) ?? 0;
  if (denseLayers > layers) {
    throw new MoeplanError('INVALID_INPUT', `${name('denseLayers')}: ${denseLayers} dense layers in a ${layers}-layer model`, { field: name('denseLayers') });
  }
  const denseIntermediate = count(raw, 'denseIntermediate', name);
  if (denseLayers > 0 && denseIntermediate === undefined) {
    throw new MoeplanError('MISSING_INPUT', `${name('denseIntermediate')} is required with ${name('denseLayers')}`, { field: name('denseIntermediate') });
  }
  const moe: MoeShape = {
    routedExperts: experts,
    expertIntermediate: intermediate,
    topK,
    sharedExperts,
    sharedIntermediate: count(raw, 'sharedIntermediate', name) ?? intermediate,
    sharedExpertGate: false,
    routerBias: false,
  };
  const arch: ModelArchitecture = {
    hiddenSize,
    layers,
    vocabSize,
    tiedEmbeddings,
    attention,
    denseIntermediate: denseIntermediate ?? intermediate,
    moe,
    moeLayers: layers - denseLayers,
  };
  return checked(arch, name);
}

/** The architecture, or an input error naming the flag that makes it impossible. */
function checked(arch: ModelArchitecture, name: FieldName): ModelArchitecture {
  const problem = architectureProblem(arch);
  if (problem) {
    const key = problem.field;
    throw new MoeplanError('INVALID_INPUT', `${name(key)}: ${renderMessage(problem.problem, name)}`, { field: name(key) });
  }
  return arch;
}

/** Add the shape flags to a command. */
export function addShapeOptions(command: Command): Command {
  command
    .option('--hidden <n>', 'model width (hidden_size)')
    .option('--layers <n>', 'layers')
    .option('--heads <n>', 'query heads')
    .option('--kv-heads <n>', 'K/V heads (default: = heads, i.e. MHA)')
    .option('--head-dim <n>', 'head dimension (default: hidden / heads)')
    .option('--intermediate <n>', 'FFN intermediate size (of each routed expert in an MoE model)')
    .option('--experts <n>', 'routed experts per MoE layer (0 or absent: dense)')
    .option('--top-k <n>', 'routed experts per token')
    .option('--shared-experts <n>', 'shared experts per MoE layer (default 0)')
    .option('--shared-intermediate <n>', 'intermediate size of a shared expert (default: --intermediate)')
    .option('--dense-layers <n>', 'leading dense layers of an MoE model (default 0)')
    .option('--dense-intermediate <n>', 'intermediate size of the dense layers')
    .option('--vocab <n>', 'vocabulary size')
    .option('--cla <factor>', 'cross-layer attention: layers sharing one K/V (default 1: none)')
    .option('--tied', 'embedding and output projection share one matrix')
    .option('--qk-norm', 'RMSNorm on query and key heads');
  return command;
}

/**
 * The model of a command: the `--config` file when given (shape flags beside it are an
 * error), else the shape flags. `raw` carries the flag values under their camelCase keys.
 */
export async function modelFromOptions(
  options: Record<string, unknown>,
  raw: RawInputs,
  ctx: Pick<Context, 'warn' | 'io'>,
  name: FieldName,
): Promise<{ architecture: ModelArchitecture; config?: ModelConfig }> {
  if (options.config === '') throw new MoeplanError('INVALID_INPUT', '--config: empty value', { field: '--config', hint: 'give the path of a config.json' });
  if (typeof options.config !== 'string') return { architecture: architectureFromFlags(raw, name) };
  const stray = SHAPE_KEYS.find((k) => options[k] !== undefined && options[k] !== false);
  if (stray) throw new MoeplanError('INVALID_INPUT', `give ${name('config')} or shape flags such as ${name(stray)}, not both`, { field: name(stray) });
  const config = await readConfigOption(options.config, ctx, { strict: options.strict });
  return { architecture: config.architecture, config };
}
