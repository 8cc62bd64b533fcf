import { Chalk, type ChalkInstance } from 'chalk';

/** 0 = no colour, 1 = 16 colours, 2 = 256, 3 = truecolor (chalk's levels). */
export type ColourLevel = 0 | 1 | 2 | 3;

/**
 * Decide once whether to colour, and how much. In order, first match wins:
 * 1. `--no-color` on the command line: off;
 * 2. `FORCE_COLOR` set: on (`0` or `false` turn it off; `2`, `3` pick richer levels);
 * 3. `NO_COLOR` set and non-empty: off (no-color.org);
 * 4. `TERM=dumb`: off;
 * 5. the stream is not a TTY: off; otherwise on.
 *
 * chalk alone does not honour NO_COLOR, so this level is handed to chalk and to
 * commander's help.
 */
export function decideColour(options: { env: Readonly<Record<string, string | undefined>>; isTTY: boolean | undefined; noColorFlag: boolean }): ColourLevel {
  const { env } = options;
  if (options.noColorFlag) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force.toLowerCase() === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.TERM === 'dumb') return 0;
  return options.isTTY ? 1 : 0;
}

/** A chalk instance at the decided level. */
export function makeChalk(level: ColourLevel): ChalkInstance {
  return new Chalk({ level });
}
