/**
 * `moeplan schema`: the JSON Schema of plan files, generated from the same zod schema that
 * validates them (zod is imported only when this command runs).
 */
import type { Command } from 'commander';
import type { CommandDefinition } from '../command.js';

export const schemaCommand: CommandDefinition = {
  examples: [
    ['moeplan schema > plan.schema.json', 'save it; then put  $schema: ./plan.schema.json  in a JSON plan'],
    ['moeplan schema | jq .properties.limits', 'the checks a plan can set'],
  ],
  notes: `The schema ships in the package as moeplan/plan.schema.json (dist/plan.schema.json).
YAML plans name it with a first line such as
  # yaml-language-server: $schema=./node_modules/moeplan/dist/plan.schema.json
Quantities are number | string: "52B", "7T", "15%", "6*52B*7T" are checked by moeplan check.`,
  configure(_command: Command) {},
  async run(_options, _args, ctx) {
    const { planJsonSchema } = await import('../../io/plan-schema.js');
    ctx.out(`${JSON.stringify(planJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
