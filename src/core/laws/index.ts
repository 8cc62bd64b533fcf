import { dense } from './dense.js';
import { hunyuan } from './hunyuan.js';
import type { Law } from './types.js';

export type { Allocation, CriticalBatchLaw, FittedRange, Law, LossModel, PowerLaw } from './types.js';

/** The laws that ship with moeplan, by name. `hunyuan` is the default. */
export const PRESETS: Readonly<Record<string, Law>> = { hunyuan, dense };

/** The preset used when no `--law` is given. */
export const DEFAULT_LAW = 'hunyuan';
