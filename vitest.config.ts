import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files that assert what a fresh process has (not) loaded: they run isolated, each in a
 * process of its own. Every other file shares its worker's module cache with the files before
 * it (`isolate: false`): importing the pipeline once per worker instead of once per file took
 * the suite from 830 s to 508 s at the same machine load (aggregate import time 86 s → 10 s).
 */
const FRESH = ['test/typescript/lazy.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // No per-test or per-hook wall-clock limit: on a busy machine (2 cores shared by several
    // suites) the SARIF Multitool and the real-runtime differential tests take minutes, and a
    // timeout there only reports the machine's load. Speed is measured by `npm run bench`.
    testTimeout: 0,
    hookTimeout: 0,
    pool: 'forks',
    // (a project's include and exclude are concatenated with the root's, so the root sets none)
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...FRESH], isolate: false } },
      { extends: true, test: { name: 'fresh', include: FRESH, isolate: true } },
    ],
  },
});
