import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type Law, type LossModel, PRESETS } from '../../src/core/laws/index.js';
import { type lawSchema, lossModelSchema } from '../../src/io/law-schema.js';

/** true when A and B are assignable both ways (readonly aside). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time check: this line fails `tsc` when the two types drift apart. */
const same = <T extends true>(value: T) => value;

describe('law schema and Law type', () => {
  it('cannot drift: the loss-model schema and the LossModel union are the same type', () => {
    same<Same<z.infer<typeof lossModelSchema>, LossModel>>(true);
    same<Same<z.infer<typeof lossModelSchema>['kind'], LossModel['kind']>>(true);
    // A parsed law file is a Law (metadata and $schema aside), and a Law's keys are the schema's.
    const parsed = {} as Omit<z.infer<typeof lawSchema>, '$schema' | 'metadata' | 'title'> & { title: string };
    const asLaw: Law = parsed;
    expect(asLaw).toBeDefined();
    same<Same<Exclude<keyof z.infer<typeof lawSchema>, '$schema' | 'metadata'>, keyof Law>>(true);
    same<Same<keyof NonNullable<z.infer<typeof lawSchema>['fittedRange']>, keyof NonNullable<Law['fittedRange']>>>(true);
    same<Same<NonNullable<z.infer<typeof lawSchema>['compute']['paramsMeaning']>, NonNullable<Law['compute']['paramsMeaning']>>>(true);
  });

  it('accepts every preset with a loss model and rejects a loss of an unknown kind or a flipped sign', () => {
    for (const law of Object.values(PRESETS)) {
      if (law.loss) expect(lossModelSchema.safeParse(law.loss).success, law.name).toBe(true);
    }
    expect(lossModelSchema.safeParse({ ...PRESETS.chinchilla?.loss, kind: 'sparsity' }).success).toBe(false);
    const joint = PRESETS['joint-moe']?.loss as LossModel & { alpha: number };
    expect(lossModelSchema.safeParse({ ...joint, alpha: 0.1889 }).success).toBe(false);
    expect(lossModelSchema.safeParse({ ...PRESETS.krajewski?.loss, extra: 1 }).success).toBe(false);
  });
});
