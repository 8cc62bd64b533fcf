/**
 * The command list, in the order `moeplan --help` shows it. A command's code is loaded
 * only when that command runs: the build makes each one a file of its own
 * (dist/commands/<name>.cjs), so start-up reads only this list and the command used.
 */
import type { CommandEntry } from '../command.js';

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'budget',
    summary: 'training compute C = 9.59·N·D + 2.3e8·D (eq. 2), or solve for N or D; GPU-hours, days, cost',
    load: async () => (await import('./budget.js')).budgetCommand,
  },
  {
    name: 'cmin',
    summary: 'minimum compute Cmin = C / (1 + B/Bcrit) (eq. 3), critical batch, steps S and Smin',
    load: async () => (await import('./cmin.js')).cminCommand,
  },
  {
    name: 'optimal',
    summary: 'compute-optimal Nopt and Dopt for a budget (Nopt = 5.9e-3·Cmin^0.5305), any law or all; inverse solves',
    load: async () => (await import('./optimal.js')).optimalCommand,
  },
  {
    name: 'loss',
    summary: 'predicted final loss L(N, D) of a law with a loss model, its terms; tokens, size or cheapest run for a target loss',
    load: async () => (await import('./loss.js')).lossCommand,
  },
  {
    name: 'lr',
    summary: 'optimal learning rates for the shared and specialized experts (eq. 1, §2.2.4); batch for a target ratio',
    load: async () => (await import('./lr.js')).lrCommand,
  },
  {
    name: 'schedule',
    summary: 'three-phase learning-rate schedule (§2.3.2): warm-up, decay, anneal to peak/10 over the last 5%',
    load: async () => (await import('./schedule.js')).scheduleCommand,
  },
  {
    name: 'fit',
    summary: 'your own scaling law from your runs: isoFLOP parabolas (Nopt = Nc·Cmin^α) or the parametric loss L = E + A/N^α + B/D^β, bootstrap intervals',
    load: async () => (await import('./fit.js')).fitCommand,
  },
  {
    name: 'arch',
    summary: 'total and activated parameters and KV-cache size from a Hugging Face config.json (or shape flags)',
    load: async () => (await import('./arch.js')).archCommand,
  },
  {
    name: 'memory',
    summary: 'memory per GPU under TP, PP, EP, CP, DP and ZeRO: weights, gradients, optimizer, activations; KV cache; layouts that fit',
    load: async () => (await import('./memory.js')).memoryCommand,
  },
  {
    name: 'check',
    summary: 'check plan files (YAML/JSON) against budgets and scaling laws; reports for people, CI and pull requests',
    load: async () => (await import('./check.js')).checkCommand,
  },
  {
    name: 'schema',
    summary: 'print the JSON Schema of plan files (for editors and other validators)',
    load: async () => (await import('./schema.js')).schemaCommand,
  },
  {
    name: 'laws',
    summary: 'list the scaling-law presets with their constants, budgets, fitted ranges and sources',
    load: async () => (await import('./laws.js')).lawsCommand,
  },
];

/** The entry of a command by name, if there is one. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((entry) => entry.name === name);
}
