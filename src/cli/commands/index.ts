import type { CommandDefinition } from '../command.js';
import { archCommand } from './arch.js';
import { budgetCommand } from './budget.js';
import { checkCommand } from './check.js';
import { cminCommand } from './cmin.js';
import { fitCommand } from './fit.js';
import { lawsCommand } from './laws.js';
import { lrCommand } from './lr.js';
import { optimalCommand } from './optimal.js';
import { scheduleCommand } from './schedule.js';
import { schemaCommand } from './schema.js';

/** Every command, in the order `moeplan --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [budgetCommand, cminCommand, optimalCommand, lrCommand, scheduleCommand, fitCommand, archCommand, checkCommand, schemaCommand, lawsCommand];
