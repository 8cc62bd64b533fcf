import type { CommandDefinition } from '../command.js';
import { archCommand } from './arch.js';
import { budgetCommand } from './budget.js';
import { cminCommand } from './cmin.js';
import { fitCommand } from './fit.js';
import { lawsCommand } from './laws.js';
import { lrCommand } from './lr.js';
import { optimalCommand } from './optimal.js';

/** Every command, in the order `moeplan --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [budgetCommand, cminCommand, optimalCommand, lrCommand, fitCommand, archCommand, lawsCommand];
