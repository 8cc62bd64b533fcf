import { defineConfig } from 'vitest/config';

// Files that replace a module (vi.mock) or look at a module's first load need a fresh module
// graph of their own; every other file shares its worker's modules with the files run before
// it, which saves loading vitest, zod, mathjs and the CLI again for each of ~90 files.
export const ISOLATED = ['test/cli/check-hostile.test.ts', 'test/security/sandbox.test.ts', 'test/io/quantity.test.ts'];

export default defineConfig({
  define: { __MOEPLAN_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    setupFiles: ['test/helpers/messages.ts'],
    testTimeout: 20000,
    pool: 'threads',
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
    ],
  },
});
