import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Once per test run. The differential tests install the real runtimes themselves, and only when an
 * answer is missing from test/differential/answers/ (scripts/runtimes.mjs): nothing to do for them.
 *
 * The temporary trees the tests make (`mkdtempSync(join(tmpdir(), …))`, hundreds per run, in the
 * test files and in the CLI processes they start) go into one folder of this run, removed when the
 * run ends: TMPDIR is set before vitest starts its workers, which inherit it, and `os.tmpdir()`
 * reads it. (Without it, every run left ~2,000 folders in the system's temporary folder.)
 */
export default function setup(): () => void {
  const saved = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
  const run = mkdtempSync(join(tmpdir(), 'permlint-test-run-'));
  process.env.TMPDIR = process.env.TMP = process.env.TEMP = run;
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(run, { recursive: true, force: true, maxRetries: 3 });
  };
}
