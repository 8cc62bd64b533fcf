/**
 * The test runner shares one module graph among the files a worker runs (vitest.config.ts),
 * except for the files in ISOLATED: a file that replaces a module (vi.mock) must be one of them,
 * or its mock would not reach a module an earlier file already loaded.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ISOLATED } from '../vitest.config.js';

const FILES = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => `test/${file}`);

it('every test file that mocks or reloads modules runs in a module graph of its own', () => {
  const mocking = FILES.filter((file) => /\bvi\s*\.\s*(?:mock|doMock|unmock|resetModules)\s*\(/.test(readFileSync(file, 'utf8')));
  expect(mocking.length).toBeGreaterThan(0);
  for (const file of mocking) expect(ISOLATED, file).toContain(file);
  for (const file of ISOLATED) expect(FILES).toContain(file);
});
