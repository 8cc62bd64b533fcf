import { describe, expect, it } from 'vitest';
import { optimalAllocation } from '../../../src/core/allocation.js';
import { PRESETS } from '../../../src/core/laws/index.js';
import { relDiff } from '../../helpers/cli.js';

const law = PRESETS['chinchilla-epoch']!;
// Besiroglu et al. 2024 eq. 3.
const [E, A, B, alpha, beta] = [1.8172, 482.01, 2085.43, 0.3478, 0.3658];
const loss = (n: number, d: number) => E + A / n ** alpha + B / d ** beta;

describe('chinchilla-epoch', () => {
  it('has the replication constants (eq. 3)', () => {
    expect(law.loss).toEqual({ kind: 'chinchilla', E, A, B, alpha, beta });
  });

  it('its optimum at C = 5.76e23 minimises L(N, C/6N) along the iso-compute curve', () => {
    const c = 5.76e23;
    const { params } = optimalAllocation(law, c);
    const along = (n: number) => loss(n, c / (6 * n));
    for (const factor of [1.05, 1 / 1.05, 1.5, 1 / 1.5]) expect(along(params * factor)).toBeGreaterThan(along(params));
    // Closed form written out: N = G·(C/6)^(β/(α+β)), G = (αA/(βB))^(1/(α+β)).
    const G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta));
    expect(relDiff(params, G * (c / 6) ** (beta / (alpha + beta)))).toBeLessThan(1e-12);
  });
});
