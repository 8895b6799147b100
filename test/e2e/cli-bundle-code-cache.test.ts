/**
 * The bundles' code caches are taken by V8 in CLI runs. V8 rejects a cache made under other V8
 * flags, and the CLI raises two (src/heap.ts): they are set only once the CLI's bundle and the
 * parser thread's (with Node's own modules that the thread's bootstrap compiles) have been
 * compiled, and both caches are made under V8's defaults (scripts/bundle.mjs). A run says what V8
 * did on a diagnostics channel (src/bundle-stamp.ts `CODE_CACHE_CHANNEL`), read here by a module
 * loaded into the run (./code-cache/listen.mjs), which also checks that the CLI's flags hold at
 * the end. Two runs: named files (the thread started before the CLI is compiled, pre-commit) and a
 * folder (the thread started after the flags are set, a full scan).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_V8_FLAGS } from '../../src/heap.js';
import { FIXTURES, runCli } from '../helpers.js';

const LISTEN = pathToFileURL(resolve(__dirname, 'code-cache/listen.mjs')).href;
const PROBE = '(function permlintProbe(a) { return a + 1; })(1);';
let dir: string;
let probeCache: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'permlint-code-cache-'));
  probeCache = join(dir, 'probe.cache');
  // a cache made under the CLI's flags: taken at the end of a run only when they are set then
  const make = `const e = process.env; require('node:v8').setFlagsFromString(e.FLAGS); const s = new (require('node:vm').Script)(e.PROBE, { filename: 'probe.js' }); s.runInThisContext(); require('node:fs').writeFileSync(e.OUT, s.createCachedData());`;
  execFileSync(process.execPath, ['-e', make], { env: { ...process.env, FLAGS: CLI_V8_FLAGS, PROBE, OUT: probeCache } });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const r = runCli(args, resolve(FIXTURES, 'ts-spawn'), { NODE_OPTIONS: `--import ${LISTEN}`, PERMLINT_PROBE_SOURCE: PROBE, PERMLINT_PROBE_CACHE: probeCache });
  const line = /^CODE-CACHE (.*)$/m.exec(r.stderr);
  expect(line, r.stderr).not.toBeNull();
  return { findings: r.stdout ? ((JSON.parse(r.stdout) as { findings?: unknown[] }).findings?.length ?? 0) : 0, ...(JSON.parse(line![1]!) as { seen: string[]; cliFlags: boolean }) };
}

describe("the bundles' code caches in CLI runs", () => {
  it('are taken when the parser thread starts before the CLI is compiled (named files), and the flags are set after', () => {
    const r = run(['--persona', 'auditor', '--format', 'json', 'spawner.ts']);
    expect(r.findings).toBeGreaterThan(0);
    expect(r.seen.sort()).toEqual(['cli:taken', 'thread:taken']);
    expect(r.cliFlags).toBe(true);
  });

  it('are taken when the parser thread starts after the flags are set (a folder)', () => {
    const r = run(['--persona', 'auditor', '--format', 'json', '.']);
    expect(r.findings).toBeGreaterThan(0);
    expect(r.seen).toEqual(['cli:taken', 'thread:taken']);
    expect(r.cliFlags).toBe(true);
  });

  it('a run that needs no thread sets the flags once the CLI is compiled', () => {
    const r = run(['--format', 'json', 'no-such-file.ts']);
    expect(r.seen).toEqual(['cli:taken']);
    expect(r.cliFlags).toBe(true);
  });
});
