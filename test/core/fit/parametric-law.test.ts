import { describe, expect, it } from 'vitest';
import { type ParametricFit, closedFormAllocation } from '../../../src/core/fit/parametric.js';
import { parametricLaw } from '../../../src/core/fit/parametric-law.js';
import { parseLawObject } from '../../../src/io/law-schema.js';
import { renderMessage } from '../../../src/messages/index.js';

function fitWith(loss: ParametricFit['loss']): ParametricFit {
  return {
    loss,
    allocation: closedFormAllocation(loss),
    objective: 1e-3,
    r2: 0.99,
    gradientNorm: 1e-14,
    delta: 1e-3,
    starts: 4500,
    bestStart: [5, 5, 0.5, 0.5, 0.5],
    runs: 50,
    bootstrap: { resamples: 0, used: 0, seed: 1, confidence: 0.9 },
    fittedRange: { params: [7e7, 1.6e10], tokens: [5e9, 5e11], flops: [6e18, 3e21] },
  };
}

describe('parametricLaw', () => {
  it('is a chinchilla-kind loss law with the closed-form allocation that the law-file schema accepts', () => {
    const built = parametricLaw(fitWith({ E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 }), {
      name: 'fit-x',
      file: 'x.csv',
      fittedBy: 'moeplan fit x.csv --method parametric',
    });
    if (!('law' in built)) throw new Error(renderMessage(built.problem));
    expect(built.law.loss).toEqual({ kind: 'chinchilla', E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 });
    expect(built.law.allocation).toEqual({ kind: 'loss', budget: 'flops' });
    expect(built.law.compute).toEqual({ paramsTokens: 6, tokens: 0, paramsMeaning: 'activated' });
    expect(built.law.fittedRange).toEqual({ flops: [6e18, 3e21], params: [7e7, 1.6e10], tokens: [5e9, 5e11] });
    expect(parseLawObject(JSON.parse(JSON.stringify(built.law)), 'law.json')).toMatchObject({ name: 'fit-x', loss: { kind: 'chinchilla' } });
  });

  it('refuses a loss whose α or β is not positive (no compute-optimal allocation), saying why', () => {
    const built = parametricLaw(fitWith({ E: 1.7, A: 1.2, B: 1.8e-4, alpha: -0.0368497, beta: 15.08 }), {
      name: 'fit-x',
      file: 'x.csv',
      fittedBy: 'moeplan fit x.csv --method parametric',
    });
    expect(built).toEqual({ problem: { code: 'fit.exponents-not-positive', args: { alpha: -0.0368497, beta: 15.08 } } });
    if (!('problem' in built)) throw new Error('no problem');
    expect(renderMessage(built.problem)).toBe('α = -0.03685 and β = 15.08 must both be positive for a compute-optimal allocation');
  });
});
