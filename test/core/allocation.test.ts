import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocationBudgetKind, chinchillaClosedForm, cminForParams, cminForTokens, optimalAllocation } from '../../src/core/allocation.js';
import { MoeplanError } from '../../src/core/errors.js';
import { type Law, PRESETS, PRESET_LIST } from '../../src/core/laws/index.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const preset = (name: string): Law => {
  const law = PRESETS[name];
  if (!law) throw new Error(`no preset ${name}`);
  return law;
};
const hunyuan = preset('hunyuan');
// The presets with a closed-form allocation (a power law, or Chinchilla's loss): the MoE loss
// laws are minimised numerically over a discrete granularity or expert count, and have their own tests.
const withAllocation = PRESET_LIST.filter(
  (law) => law.allocation?.kind === 'power' || (law.allocation?.kind === 'loss' && law.loss?.kind === 'chinchilla'),
).map((law) => law.name);

describe('hunyuan (Hunyuan-Large §2.3.1)', () => {
  it('gives Nopt = 58.1e9 at Cmin = 3.109e24 and Dopt = 5.6e12 at Cmin = 3.0625e24', () => {
    expect(rel(optimalAllocation(hunyuan, 3.109e24).params, 58.1e9)).toBeLessThan(1e-3);
    expect(rel(optimalAllocation(hunyuan, 3.0625e24).tokens, 5.6e12)).toBeLessThan(1e-3);
  });

  it('puts the two fits 1.5% apart: the inverse solves land on 3.11e24 and 3.06e24', () => {
    const fromParams = cminForParams(hunyuan, 58.1e9);
    const fromTokens = cminForTokens(hunyuan, 5.6e12);
    expect(rel(fromParams, 3.11e24)).toBeLessThan(2e-3);
    expect(rel(fromTokens, 3.06e24)).toBeLessThan(2e-3);
    expect(fromParams / fromTokens - 1).toBeCloseTo(0.015, 2);
  });

  it('has closure ≈ 1 near Cmin = 2e24 and ≈ 0.86 at 1e22 (SPEC: 0.181·Cmin^0.0305)', () => {
    expect(Math.abs(optimalAllocation(hunyuan, 2e24).closure - 1)).toBeLessThan(0.01);
    expect(optimalAllocation(hunyuan, 1e22).closure).toBeCloseTo(0.86, 2);
  });

  it('has closure 9.59·Nc·Dc·Cmin^(α+β−1) + 2.3e8·Dc·Cmin^(β−1) at every budget', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e15, max: 1e28, noNaN: true }), (cmin) => {
        const expected = 9.59 * 5.9e-3 * 3.2 * cmin ** 0.0305 + 2.3e8 * 3.2 * cmin ** -0.5;
        expect(rel(optimalAllocation(hunyuan, cmin).closure, expected)).toBeLessThan(1e-9);
      }),
      { seed: 21 },
    );
  });

  it('flags extrapolation at 3e24 and not at 1e20 (fitted on Cmin 1e18–1e21)', () => {
    expect(optimalAllocation(hunyuan, 3e24).extrapolation).toBe(true);
    expect(optimalAllocation(hunyuan, 1e20).extrapolation).toBe(false);
    expect(optimalAllocation(hunyuan, 1e17).extrapolation).toBe(true);
    expect(optimalAllocation(hunyuan, 3e24).notes).toContainEqual({ code: 'allocation.extrapolation', args: { budget: 3e24, low: 1e18, high: 1e21 } });
    expect(optimalAllocation(hunyuan, 1e20).notes.map((n) => n.code)).not.toContain('allocation.extrapolation');
  });

  it('reproduces the SPEC plan check: 7T tokens is 43% above Dopt at Cmin 2.33e24', () => {
    expect(7e12 / optimalAllocation(hunyuan, 2.33e24).tokens - 1).toBeCloseTo(0.43, 2);
  });
});

describe('chinchilla (Hoffmann 2022 approach 3, closed form)', () => {
  it('gives N ≈ 3.22e10 and D ≈ 2.98e12 at C = 5.76e23', () => {
    const r = optimalAllocation(preset('chinchilla'), 5.76e23);
    expect(rel(r.params, 3.22e10)).toBeLessThan(5e-3);
    expect(rel(r.tokens, 2.98e12)).toBeLessThan(5e-3);
    expect(r.closure).toBeCloseTo(1, 12);
    expect(r.budgetKind).toBe('flops');
  });

  it('minimises the loss along the iso-compute curve', () => {
    // The published constants (Hoffmann 2022 eq. 10; Besiroglu et al. 2024 eq. 3), not the presets'.
    const published = {
      chinchilla: [1.69, 406.4, 410.7, 0.34, 0.28],
      'chinchilla-epoch': [1.8172, 482.01, 2085.43, 0.3478, 0.3658],
    } as const;
    for (const [name, [E, A, B, alpha, beta]] of Object.entries(published)) {
      const law = preset(name);
      expect(law.loss).toEqual({ kind: 'chinchilla', E, A, B, alpha, beta });
      const loss = (n: number, d: number) => E + A / n ** alpha + B / d ** beta;
      fc.assert(
        fc.property(fc.double({ min: 1e18, max: 1e26, noNaN: true }), fc.double({ min: 0.5, max: 2, noNaN: true }), (c, k) => {
          fc.pre(Math.abs(k - 1) > 1e-3);
          const { params } = optimalAllocation(law, c);
          const n = params * k;
          expect(loss(params, c / (6 * params))).toBeLessThan(loss(n, c / (6 * n)));
        }),
        { seed: 22 },
      );
    }
  });

  it('computes G, a and b as in SPEC §2', () => {
    const { G, a, b } = chinchillaClosedForm({ kind: 'chinchilla', E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 });
    expect(a + b).toBeCloseTo(1, 12);
    expect(a).toBeCloseTo(0.28 / 0.62, 12);
    expect(G ** 0.62).toBeCloseTo((0.34 * 406.4) / (0.28 * 410.7), 12);
  });
});

describe('kaplan and deepseek conversions', () => {
  it('kaplan reads Cmin in PF-days, N is non-embedding, closure = 6·1.3e9·2e10/8.64e19', () => {
    const r = optimalAllocation(preset('kaplan'), 8.64e19);
    expect(r.params).toBeCloseTo(1.3e9, 0);
    expect(r.tokens).toBeCloseTo(2e10, 0);
    expect(r.paramsMeaning).toBe('non-embedding');
    expect(r.closure).toBeCloseTo((6 * 1.3e9 * 2e10) / 8.64e19, 12);
  });

  it('deepseek reports its native M and N ≈ M/6 marked approximate; M·D ≈ C', () => {
    const c = 1e20;
    const r = optimalAllocation(preset('deepseek'), c, { flops: c });
    expect(r.native?.value).toBeCloseTo(0.1715 * c ** 0.5243, 0);
    expect(r.params).toBeCloseTo((r.native?.value as number) / 6, 0);
    expect(r.native?.approximate).toBe(true);
    expect(r.paramsMeaning).toBe('flops-per-token');
    expect(rel(r.closure, 0.1715 * 5.8316)).toBeLessThan(1e-3);
    expect(preset('deepseek').batchSize).toMatchObject({ coefficient: 0.292, exponent: 0.3271 });
    expect(preset('deepseek').learningRate).toMatchObject({ coefficient: 0.3118, exponent: -0.125 });
  });

  it('laws of raw C use C when it is given, and say when Cmin stands in for it', () => {
    const law = preset('chinchilla');
    expect(allocationBudgetKind(law)).toBe('flops');
    expect(allocationBudgetKind(hunyuan)).toBe('cmin');
    const both = optimalAllocation(law, 1e21, { flops: 2e21 });
    expect(both.budget).toBe(2e21);
    expect(optimalAllocation(law, 1e21).notes).toContainEqual({ code: 'allocation.raw-compute-from-cmin', args: { law: 'chinchilla' } });
    expect(both.notes).toContainEqual({ code: 'allocation.raw-compute', args: { law: 'chinchilla', budget: 2e21 } });
    // A Cmin law ignores C.
    expect(optimalAllocation(hunyuan, 1e21, { flops: 2e21 }).budget).toBe(1e21);
  });
});

describe('every preset with an allocation', () => {
  it('round-trips the inverse solves (size and tokens)', () => {
    for (const name of withAllocation) {
      const law = preset(name);
      const raw = allocationBudgetKind(law) === 'flops';
      fc.assert(
        fc.property(fc.double({ min: 1e15, max: 1e27, noNaN: true }), (budget) => {
          const r = optimalAllocation(law, budget, raw ? { flops: budget } : {});
          expect(rel(cminForParams(law, r.params), budget)).toBeLessThan(1e-9);
          expect(rel(cminForTokens(law, r.tokens), budget)).toBeLessThan(1e-9);
        }),
        { seed: 23 },
      );
      fc.assert(
        fc.property(fc.double({ min: 1e6, max: 1e13, noNaN: true }), (params) => {
          expect(rel(optimalAllocation(law, cminForParams(law, params)).params, params)).toBeLessThan(1e-9);
        }),
        { seed: 24 },
      );
    }
  });

  it('grows Nopt and Dopt with the budget, by the law exponents', () => {
    for (const name of withAllocation) {
      const law = preset(name);
      fc.assert(
        fc.property(fc.double({ min: 1e15, max: 1e26, noNaN: true }), fc.double({ min: 1.01, max: 100, noNaN: true }), (c, k) => {
          const a = optimalAllocation(law, c);
          const b = optimalAllocation(law, c * k);
          expect(b.params).toBeGreaterThan(a.params);
          expect(b.tokens).toBeGreaterThan(a.tokens);
          // Nopt ∝ C^a and Dopt ∝ C^b with a + b = 1 under C ∝ N·D (the 6ND laws), so the
          // two growth factors multiply to k exactly for those.
          if (law.compute.tokens === 0 && law.allocation?.kind === 'loss') {
            expect(rel((b.params / a.params) * (b.tokens / a.tokens), k)).toBeLessThan(1e-9);
          }
        }),
        { seed: 25 },
      );
    }
  });

  it('says plainly when there is no answer (code NO_SOLUTION)', () => {
    const solve = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const f of [
      () => optimalAllocation(preset('dense'), 1e22),
      () => cminForParams(preset('dense'), 1e9),
      () => cminForParams(hunyuan, -5),
      () => cminForTokens(hunyuan, 0),
      () => cminForParams(hunyuan, 1e300),
    ]) {
      const error = solve(f);
      expect(error).toBeInstanceOf(MoeplanError);
      expect((error as MoeplanError).code).toBe('NO_SOLUTION');
    }
  });
});
