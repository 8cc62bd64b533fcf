import { describe, expect, it } from 'vitest';
import { json, relDiff, runCli } from '../helpers/cli.js';

interface Point {
  tokens: number;
  lr: number;
  sharedLr?: number;
  specializedLr?: number;
  phase: string;
}

describe('moeplan schedule', () => {
  it('prints the phases, a table and a chart; the last point is one tenth of the peak', async () => {
    const r = await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/warmup\s+0\s+70B/);
    expect(r.stdout).toMatch(/anneal\s+6\.65T\s+7T\s+linear\s+9e-5\s+3e-5/);
    expect(r.stdout).toMatch(/7T\s+100%\s+anneal\s+3e-5/);
    expect(r.stdout).toContain('█');
    expect(r.stdout).not.toContain('\u001b['); // no colour when stdout is not a terminal
  });

  it('gives JSON points of the asked length, continuous where the phases meet, ending at peak/10', async () => {
    for (const points of [2, 7, 20, 101]) {
      const doc = json(await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T', '--points', String(points), '--json']));
      const list = doc.points as Point[];
      // The evenly spaced points and the two inner phase boundaries (70B, 6.65T), which are not among them.
      expect(list.length).toBeGreaterThanOrEqual(points);
      expect(list.length).toBeLessThanOrEqual(points + 2);
      expect(list.map((p) => p.tokens)).toEqual(expect.arrayContaining([0, 7e10, 6.65e12, 7e12]));
      expect(list.find((p) => p.tokens === 7e10)?.lr).toBe(3e-4);
      expect(list[0]?.tokens).toBe(0);
      expect(list.at(-1)?.tokens).toBe(7e12);
      expect(relDiff(list.at(-1)?.lr as number, 3e-5)).toBeLessThan(1e-12);
      const phases = doc.phases as { startLr: number; endLr: number }[];
      expect(phases).toHaveLength(3);
      expect(phases[0]?.endLr).toBe(phases[1]?.startLr);
      expect(phases[1]?.endLr).toBe(phases[2]?.startLr);
    }
  });

  it('has no jump at the phase boundaries: dense sampling changes by little between neighbours', async () => {
    for (const decay of ['cosine', 'linear', 'exponential']) {
      const doc = json(await runCli(['schedule', '--peak', '1', '--tokens', '1T', '--decay', decay, '--points', '4001', '--json']));
      const list = doc.points as Point[];
      let largest = 0;
      for (let i = 1; i < list.length; i++) largest = Math.max(largest, Math.abs((list[i]?.lr as number) - (list[i - 1]?.lr as number)));
      // Steepest part is the 1% warm-up: 1/(0.01·4000) = 0.025 per step; a jump would be far larger.
      expect(largest).toBeLessThan(0.03);
    }
  });

  it('colours the chart by phase only when colour is on', async () => {
    const coloured = await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[');
    expect(coloured.stdout).toMatch(/warmup.*decay.*anneal/);
    const plain = await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T', '--no-chart']);
    expect(plain.stdout).not.toContain('█');
  });

  it('writes CSV with a header and one row per point', async () => {
    const r = await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T', '--points', '5', '--csv']);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('tokens,phase,lr');
    expect(lines).toHaveLength(8); // 5 evenly spaced and the two inner phase boundaries
    expect(lines.at(-1)).toMatch(/^7e12,anneal,/);
    expect(lines).toContain('7e10,decay,3e-4');
  });

  it('gives per-expert schedules from --lr-max, --batch, --noise and --experts', async () => {
    const doc = json(
      await runCli(['schedule', '--tokens', '7T', '--lr-max', '3e-4', '--batch', '4M', '--noise', '16M', '--experts', '16', '--points', '9', '--json']),
    );
    expect(relDiff(doc.peak as number, 2.4e-4)).toBeLessThan(1e-12);
    const list = doc.points as Point[];
    for (const p of list.slice(1)) {
      expect(p.sharedLr).toBe(p.lr);
      expect((p.specializedLr as number) / (p.sharedLr as number)).toBeCloseTo(0.3077, 4);
    }
    expect(relDiff(list.at(-1)?.specializedLr as number, (0.1 * (2 * 3e-4 * 0.125)) / (1 + 1 / 64))).toBeLessThan(1e-12);
    const csv = await runCli(['schedule', '--tokens', '7T', '--peak', '3e-4', '--batch', '4M', '--noise', '16M', '--experts', '16', '--points', '3', '--csv']);
    expect(csv.stdout.split('\n')[0]).toBe('tokens,step,phase,lr,shared_lr,specialized_lr');
  });

  it('takes the options: token warm-up, decay shape and floor, anneal fraction and factor', async () => {
    const doc = json(
      await runCli([
        'schedule',
        '--peak',
        '1e-3',
        '--tokens',
        '1T',
        '--warmup',
        '20B',
        '--decay',
        'linear',
        '--decay-floor',
        '50%',
        '--anneal',
        '10%',
        '--anneal-factor',
        '0',
        '--points',
        '11',
        '--json',
      ]),
    );
    expect(doc.warmupTokens).toBe(2e10);
    expect(relDiff(doc.annealStartTokens as number, 9e11)).toBeLessThan(1e-12);
    const list = doc.points as Point[];
    expect(list.at(-1)?.lr).toBe(0);
    const annealStart = list.find((p) => p.tokens === 9e11) as Point; // 0.9T: end of the linear decay at 50%
    expect(relDiff(annealStart.lr, 5e-4)).toBeLessThan(1e-9);
    expect(annealStart.phase).toBe('anneal');
    expect(list.find((p) => p.tokens === 2e10)?.lr).toBe(1e-3);
  });

  it('uses one phase name in text, CSV and JSON, and names the middle phase stable with --decay-floor 100%', async () => {
    const args = ['schedule', '--peak', '3e-4', '--tokens', '7T', '--decay-floor', '100%', '--points', '3'];
    const text = await runCli([...args, '--no-chart']);
    expect(text.stdout).toMatch(/^\s*stable\s+70B\s+6\.65T\s+constant\s+3e-4\s+3e-4/m);
    expect(text.stdout).not.toMatch(/cosine|warm-up|^\s*(?:\S+\s+){0,3}decay\s/m);
    const csv = (await runCli([...args, '--csv'])).stdout;
    const doc = json(await runCli([...args, '--json']));
    const phasesOf = (s: string) => [...new Set(s.match(/(?<![-\w])(warmup|warm-up|decay|stable|anneal)(?![-\w])/g))];
    expect((doc.phases as { phase: string }[]).map((p) => p.phase)).toEqual(['warmup', 'stable', 'anneal']);
    expect(phasesOf(csv)).toEqual(['warmup', 'stable', 'anneal']);
    expect(phasesOf(text.stdout)).toEqual(['warmup', 'stable', 'anneal']);
  });

  it('gives the steps of each phase and point with --batch', async () => {
    const doc = json(await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T', '--batch', '16M', '--points', '3', '--json']));
    // 7e12 / 16e6 = 437,500 steps; warm-up 1% = 4,375 steps; annealing from 95% = 415,625.
    expect(doc.steps).toEqual({ batch: 16e6, total: 437500, warmup: 4375, annealStart: 415625 });
    const phases = doc.phases as { startStep: number; endStep: number }[];
    expect(phases.map((p) => [p.startStep, p.endStep])).toEqual([
      [0, 4375],
      [4375, 415625],
      [415625, 437500],
    ]);
    expect((doc.points as unknown as { step: number }[]).map((p) => p.step)).toEqual([0, 4375, 218750, 415625, 437500]);
    const text = await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T', '--batch', '16M', '--points', '3', '--no-chart']);
    expect(text.stdout).toMatch(/437\.5K optimiser steps at 16M tokens per step/);
    const csv = await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T', '--batch', '16M', '--points', '3', '--csv']);
    expect(csv.stdout.split('\n')[0]).toBe('tokens,step,phase,lr');
    expect(csv.stdout).toContain('7e10,4375,decay,3e-4\n');
  });

  it.each([
    [['--tokens', '7T'], '--peak'],
    [['--peak', '3e-4'], '--tokens'],
    [['--peak', '3e-4', '--tokens', '7T', '--decay', 'cubic'], '--decay'],
    [['--peak', '3e-4', '--tokens', '7T', '--decay-floor', '5%'], '--decay-floor'],
    [['--peak', '3e-4', '--tokens', '7T', '--warmup', '96%'], '--warmup'],
    [['--peak', '3e-4', '--tokens', '7T', '--anneal', '0'], '--anneal'],
    [['--peak', '3e-4', '--tokens', '7T', '--points', '1'], '--points'],
    [['--peak', '3e-4', '--tokens', '7T', '--lr-max', '3e-4'], '--lr-max'],
    [['--tokens', '7T', '--lr-max', '3e-4', '--experts', '16'], '--batch'],
    [['--peak', '3e-4', '--tokens', '7T', '--json', '--csv'], '--csv'],
  ])('rejects %j naming %s, exit 2', async (args, flag) => {
    const r = await runCli(['schedule', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it("words the core's schedule errors with the flags that set its inputs", async () => {
    const floor = await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T', '--decay-floor', '5%']);
    expect(floor.stderr).toBe(
      'error: --decay-floor (0.05) is below --anneal-factor (0.1): annealing would raise the rate\nhint: the decay ends at or above the final rate; annealing then lowers it\n',
    );
    const warmup = await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T', '--warmup', '96%']);
    expect(warmup.stderr).toBe(
      'error: --warmup (6.72T, 96% of the tokens) and --anneal (5%) leave no tokens for the decay\nhint: shorten the warm-up or the annealing phase\n',
    );
    const anneal = await runCli(['schedule', '--peak', '3e-4', '--tokens', '7T', '--anneal', '1e-17']);
    expect(anneal.stderr).toBe('error: --anneal: 1e-17 is too small to leave any annealing tokens\n');
  });
});
