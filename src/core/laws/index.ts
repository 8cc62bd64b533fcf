import { chinchillaEpoch } from './chinchilla-epoch.js';
import { chinchilla } from './chinchilla.js';
import { deepseek } from './deepseek.js';
import { dense } from './dense.js';
import { hunyuan } from './hunyuan.js';
import { kaplan } from './kaplan.js';
import type { Law } from './types.js';

export type {
  Allocation,
  CriticalBatchLaw,
  FittedRange,
  Law,
  LossModel,
  ParamsConversion,
  PowerLaw,
} from './types.js';
export { PF_DAY_FLOPS } from './kaplan.js';

/** The laws that ship with moeplan, by name. `hunyuan` is the default. */
export const PRESETS: Readonly<Record<string, Law>> = {
  hunyuan,
  chinchilla,
  'chinchilla-epoch': chinchillaEpoch,
  kaplan,
  deepseek,
  dense,
};

/** The preset used when no `--law` is given. */
export const DEFAULT_LAW = 'hunyuan';
