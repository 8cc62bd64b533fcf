import type { CommandDefinition } from '../command.js';
import { budgetCommand } from './budget.js';
import { lrCommand } from './lr.js';

/** Every command, in the order `moeplan --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [budgetCommand, lrCommand];
