import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that assert what a fresh process has (not) loaded: they run isolated, each in a
 * process of its own. Every other file shares its worker's module cache with the files before
 * it (`isolate: false`): importing the pipeline once per worker instead of once per file took
 * the suite from 830 s to 508 s at the same machine load (aggregate import time 86 s → 10 s).
 */
const FRESH = ['test/typescript/lazy.test.ts'];

/**
 * The files that take longest, with their time on 2 idle cores (ms, for ordering only; no test is
 * timed). They start first, so that the last file to finish is a short one and both workers stay
 * busy to the end. Vitest's own record of the last run (node_modules/.vite) takes precedence;
 * this list orders a clean clone (CI), where vitest would otherwise start the largest files.
 */
const LONG: Record<string, number> = {
  'test/e2e/install.test.ts': 65_000,
  'test/hostile/size.test.ts': 41_000,
  'test/report/sarif.test.ts': 32_000,
  'test/hostile/output.test.ts': 11_000,
  'test/report/lazy-startup.test.ts': 11_000,
  'test/hostile/files.test.ts': 9_000,
  'test/e2e/action.test.ts': 8_500,
  'test/hostile/budget.test.ts': 8_000,
  'test/hostile/messages.test.ts': 7_000,
};

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const root = this.ctx.config.root;
    const key = (f: TestSpecification): string => `${f.project.name}:${relative(root, f.moduleId)}`;
    const failed = (f: TestSpecification): boolean => cache.getFileTestResults(key(f))?.failed === true;
    const estimate = (f: TestSpecification): number => cache.getFileTestResults(key(f))?.duration ?? LONG[relative(root, f.moduleId).split('\\').join('/')] ?? 0;
    const size = (f: TestSpecification): number => cache.getFileStats(key(f))?.size ?? 0;
    return [...files].sort((a, b) => {
      // as vitest's own order: projects one after another, isolated files first
      if (a.project.name !== b.project.name) return a.project.name < b.project.name ? -1 : 1;
      if (a.project.config.isolate !== b.project.config.isolate) return a.project.config.isolate ? -1 : 1;
      if (failed(a) !== failed(b)) return failed(a) ? -1 : 1;
      return estimate(b) - estimate(a) || size(b) - size(a);
    });
  }
}

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // No per-test or per-hook wall-clock limit: on a busy machine (2 cores shared by several
    // suites) the SARIF Multitool and the install test take minutes, and a timeout there only
    // reports the machine's load. Speed is measured by `npm run bench`.
    testTimeout: 0,
    hookTimeout: 0,
    pool: 'forks',
    // one worker per core: vitest's default leaves a core to its main process (one worker on 2
    // cores), which here only collects results while the test files and the processes they start
    // are what needs the CPU
    maxWorkers: Math.max(2, availableParallelism()),
    sequence: { sequencer: LongFirst },
    // (a project's include and exclude are concatenated with the root's, so the root sets none)
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...FRESH], isolate: false } },
      { extends: true, test: { name: 'fresh', include: FRESH, isolate: true } },
    ],
  },
});
