import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __MOEPLAN_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/messages.ts'],
    testTimeout: 20000,
  },
});
