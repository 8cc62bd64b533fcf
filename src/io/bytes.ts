/**
 * Sizes in bytes as people write them, and back: `75GB` (10^9), `80GiB` (2^30), `85.9e9`.
 * Decimal units KB, MB, GB, TB are powers of 10; binary KiB, MiB, GiB, TiB powers of 2
 * (IEC 80000-13). A bare number is bytes.
 */
import { MoeplanError } from '../core/errors.js';
import { printable, trimNumber } from './format.js';

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

const SIZE = /^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z]*)\s*$/;

/**
 * Bytes of a size written as text or given as a number; a `MoeplanError` naming `field`
 * for anything else (negative, zero, unknown unit, beyond 2^53).
 *
 * @example parseBytes('75GB', 'limits.memoryPerGpu.max') // 75e9
 * @example parseBytes('80 GiB', '--gpu-memory') // 85_899_345_920
 */
export function parseBytes(value: unknown, field: string): number {
  const fail = (why: string): never => {
    throw new MoeplanError('INVALID_QUANTITY', `${field}: ${why}`, { field, hint: 'a size such as 75GB (10^9 bytes), 80GiB (2^30 bytes) or 8.5e10 (bytes)' });
  };
  let bytes: number;
  if (typeof value === 'number') bytes = value;
  else if (typeof value === 'string') {
    const match = SIZE.exec(value);
    if (!match) return fail(`"${printable(value.slice(0, 40))}" is not a size`);
    const unit = (match[2] ?? '').toLowerCase();
    const scale = unit === '' ? 1 : Object.hasOwn(UNITS, unit) ? UNITS[unit] : undefined;
    if (scale === undefined) return fail(`unknown unit "${printable(match[2] ?? '')}" (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)`);
    bytes = Number(match[1]) * scale;
  } else return fail('expected a size such as 75GB');
  if (!Number.isFinite(bytes) || bytes <= 0) return fail('a size must be more than 0 bytes');
  if (bytes > Number.MAX_SAFE_INTEGER) return fail('more than 2^53 bytes');
  return bytes;
}

/**
 * Bytes for people in binary units: `formatBytes(35380420032)` → `32.95 GiB`.
 * Negative sizes keep their sign.
 */
export function formatBytes(value: number, digits = 4): string {
  const magnitude = Math.abs(value);
  const units: ReadonlyArray<readonly [number, string]> = [
    [2 ** 40, 'TiB'],
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  for (const [scale, unit] of units) if (magnitude >= scale) return `${(value / scale).toFixed(2)} ${unit}`;
  return `${trimNumber(value, digits)} bytes`;
}
