/**
 * Text output is for people: every figure rounded and scaled (SI suffix, or scientific
 * notation outside 10^-3..10^6), never a long run of digits, `9.996e0`, or a percentage in
 * the millions.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** A figure people should not have to read: 7+ digits in a row, an exponent of 0, a 5+ digit percentage. */
const UNREADABLE = /\d{7,}|\de0\b|(?<![.\d])\d{5,}%/;

describe('numbers for people', () => {
  it.each([
    [['budget', '--params', '1M', '--tokens', '6676000M'], /Tokens per param\s+6\.676e6 D\/N/],
    [['cmin', '--flops', '1e24', '--batch', '1K', '--bcrit', '64M'], /B \/ Bcrit\s+1\.563e-5\n[\s\S]*but 64000× more steps/],
    [['optimal', '--cmin', '8.6e20', '--law', 'kaplan'], /budget in the law's unit: 9\.954 × 8\.64e19 FLOPs/],
    [['optimal', '--cmin', '3.1e24', '--law', 'kaplan'], /budget in the law's unit: 35880 × 8\.64e19 FLOPs/],
    [['schedule', '--peak', '3e-4', '--tokens', '7T', '--warmup', '3.5T', '--anneal', '60%'], /--warmup \(3\.5T, 50% of the tokens\) and --anneal \(60%\)/],
  ])('%j', async (argv, expected) => {
    const r = await runCli(argv);
    const shown = `${r.stdout}${r.stderr}`;
    expect(shown).toMatch(expected);
    expect(shown.replace(/hunyuan|chinchilla|\d{4}-\d{2}/g, '')).not.toMatch(UNREADABLE);
  });
});
