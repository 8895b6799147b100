import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // No per-test or per-hook wall-clock limit: on a busy machine (2 cores shared by several
    // suites) the SARIF Multitool and the real-runtime differential tests take minutes, and a
    // timeout there only reports the machine's load. Speed is measured by `npm run bench`.
    testTimeout: 0,
    hookTimeout: 0,
    pool: 'forks',
  },
});
