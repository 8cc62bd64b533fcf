import { describe, expect, it } from 'vitest';
import { optimalHyperparameters } from '../../../src/core/hyperparameters.js';
import { PRESETS } from '../../../src/core/laws/index.js';
import { relDiff, runCli } from '../../helpers/cli.js';

const law = PRESETS.steplaw!;

describe('steplaw', () => {
  it('worked example (laws.md §5, N = 1e9 non-embedding, D = 1e11): η = 1.63250e-3, B = 1.10771e6 tokens', () => {
    const at = optimalHyperparameters(law, { params: 1e9, tokens: 1e11 })!;
    expect(relDiff(at.lr!, 1.6325e-3)).toBeLessThan(1e-5);
    expect(relDiff(at.batchTokens!, 1.10771e6)).toBeLessThan(1e-5);
  });

  it("is within 0.5% of the authors' bootstrap-mean model (github.com/step-law/steplaw @ 32a8f4c): 1.66238e-3 and 1.10747e6", () => {
    const at = optimalHyperparameters(law, { params: 1e9, tokens: 1e11 })!;
    expect(relDiff(at.lr!, 1.66238e-3)).toBeLessThan(0.02);
    expect(relDiff(at.batchTokens!, 1.10747e6)).toBeLessThan(0.005);
  });

  it('counts non-embedding parameters, has no allocation, and knows its fitted range', () => {
    expect(law.compute.paramsMeaning).toBe('non-embedding');
    expect(law.allocation).toBeUndefined();
    expect(optimalHyperparameters(law, { params: 52e9, tokens: 7e12 })!.extrapolation).toBe(true);
    expect(optimalHyperparameters(law, { params: 5e8, tokens: 5e10 })!.extrapolation).toBe(false);
  });

  it('was made for dense models: an MoE config priced with it gets the one-line note, a dense one does not', async () => {
    expect(law.modelKind).toBe('dense');
    const moe = await runCli(['budget', '--config', 'examples/configs/mixtral-8x7b.json', '--tokens', '1T', '--law', 'steplaw']);
    expect(moe.code).toBe(0);
    const notes = moe.stdout.split('\n').filter((l) => l.includes('made for'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /law steplaw was made for dense models and this is an MoE model: .*moeplan budget --config examples\/configs\/mixtral-8x7b\.json --law arch prices it/,
    );
    const dense = await runCli(['budget', '--config', 'examples/configs/llama-3-8b.json', '--tokens', '1T', '--law', 'steplaw']);
    expect(dense.stdout).not.toMatch(/made for/);
  });
});
