/**
 * The architecture compute model for commands that take `--config`: training FLOPs per token
 * from the config's shape at a sequence length (Megatron-LM's count, core/training-flops.ts),
 * as a law C = 6·N·D + b·D that `--law arch` prices with, and the note for a model priced with
 * a law whose FLOPs per token are far from its architecture's.
 */
import { MoeplanError } from '../core/errors.js';
import type { Law } from '../core/laws/index.js';
import { ARCH_LAW, type ArchitectureCompute, configKind } from '../io/architecture-compute.js';
import { group, sci } from '../io/format.js';
import type { ModelConfig } from '../io/model-config.js';
import type { Context } from './context.js';

export {
  ARCH_LAW,
  type ArchitectureCompute,
  architectureCompute,
  architectureLaw,
  DEFAULT_TRAINING_SEQ_LEN,
  FLOPS_CONVENTION,
} from '../io/architecture-compute.js';

/** `--law arch` needs a config. */
export function requireConfigForArch(lawName: string | undefined, config: string | undefined, field = '--law'): void {
  if (lawName === ARCH_LAW && config === undefined) {
    throw new MoeplanError('MISSING_INPUT', `${field} arch prices a model by its architecture: give --config FILE`, {
      field: '--config',
      hint: 'e.g. moeplan budget --config examples/configs/llama-3-8b.json --tokens 15T --law arch',
    });
  }
}

/**
 * A note when `law` was made for the other kind of model (its `modelKind`: an MoE law for a
 * dense config, or a dense law for an MoE config), with the FLOPs per token of each and the
 * command that prices the model by its architecture. Undefined when the kinds agree or the
 * law does not say.
 */
export function lawMismatchNote(
  law: Law,
  activatedParams: number,
  compute: ArchitectureCompute,
  config: ModelConfig,
  configPath: string,
  how = `moeplan budget --config ${configPath} --law arch`,
): string | undefined {
  if (law.modelKind === undefined) return undefined;
  const kind = configKind(config);
  if (kind === law.modelKind) return undefined;
  const lawPerToken = law.compute.paramsTokens * activatedParams + law.compute.tokens;
  const name = (k: 'moe' | 'dense') => (k === 'moe' ? 'MoE' : 'dense');
  return `law ${law.name} was made for ${name(law.modelKind)} models and this is ${kind === 'moe' ? 'an' : 'a'} ${name(kind)} model: it prices ${sci(lawPerToken)} FLOPs per token against ${sci(compute.flops.perToken)} from the architecture at ${group(compute.flops.seqLen)} tokens; ${how} prices it by its architecture`;
}

/** The note for keys a config's family does not know (stderr, so that --json stays clean). */
export function warnUnknownKeys(config: ModelConfig, ctx: Pick<Context, 'warn'>): void {
  if (config.unknownKeys.length === 0) return;
  const keys = config.unknownKeys.map((k) => JSON.stringify(k)).join(', ');
  ctx.warn(
    `${config.source}: key${config.unknownKeys.length > 1 ? 's' : ''} ${keys} not known for a ${config.family} config, left out of the counts (--strict makes this an error)`,
  );
}

/** The help of `--strict` in every command that takes `--config`. */
export const STRICT_CONFIG_HELP = 'a config key the family does not know is an error, not a note';

/**
 * Read the `--config` of a command: the keys its family does not know are a note on stderr
 * (and the config's `unknownKeys`), or an error naming the first under `--strict`.
 */
export async function readConfigOption(
  file: string,
  ctx: Pick<Context, 'warn' | 'io'>,
  options: { strict?: unknown; field?: string } = {},
): Promise<ModelConfig> {
  const { readModelConfig } = await import('../io/model-config.js');
  const config = await readModelConfig(file, ctx.io.cwd, options.field ?? '--config', { strict: options.strict === true });
  warnUnknownKeys(config, ctx);
  return config;
}
