import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBytes, parseBytes } from '../../src/io/bytes.js';

describe('sizes in bytes', () => {
  it('reads decimal and binary units and bare bytes', () => {
    expect(parseBytes('75GB', 'f')).toBe(75e9);
    expect(parseBytes('80 GiB', 'f')).toBe(80 * 2 ** 30);
    expect(parseBytes('1.5TiB', 'f')).toBe(1.5 * 2 ** 40);
    expect(parseBytes('8.5e10', 'f')).toBe(8.5e10);
    expect(parseBytes(1024, 'f')).toBe(1024);
    expect(parseBytes('512 mib', 'f')).toBe(512 * 2 ** 20);
  });

  it('refuses what is not a size, naming the field', () => {
    for (const bad of ['', 'GB', '-5GB', '0', '80 gigs', '1e400', 'constructor', '5 toString', true, null]) {
      expect(() => parseBytes(bad, 'limits.memoryPerGpu.max')).toThrow(/limits\.memoryPerGpu\.max/);
    }
  });

  it('prints binary units, and round-trips to within the printed precision', () => {
    expect(formatBytes(35_380_420_032)).toBe('32.95 GiB');
    expect(formatBytes(-2 * 2 ** 30)).toBe('-2.00 GiB');
    expect(formatBytes(512)).toBe('512 bytes');
    fc.assert(
      fc.property(fc.double({ min: 1024, max: 2 ** 50, noNaN: true }), (bytes) => {
        const shown = formatBytes(bytes);
        expect(Math.abs(parseBytes(shown, 'f') / bytes - 1)).toBeLessThan(0.01);
      }),
    );
  });
});
