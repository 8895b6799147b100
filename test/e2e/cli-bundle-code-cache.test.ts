/**
 * The bundles' code caches are taken by V8 in CLI runs. V8 rejects a cache made under other V8
 * flags, and the CLI raises two (src/heap.ts): they are set only once the CLI's bundle and the
 * parser thread's (with Node's own modules that the thread's bootstrap compiles) have been
 * compiled, and both caches are made under V8's defaults (scripts/bundle.mjs). A run says what V8
 * did on a diagnostics channel (src/bundle-stamp.ts `CODE_CACHE_CHANNEL`), read here by a module
 * loaded into the run (./code-cache/listen.mjs), which also checks that the CLI's flags hold at
 * the end. Runs on named files (the thread started before the CLI is compiled, pre-commit), on a
 * folder that holds code (started before the CLI is compiled too, src/parser-warmup.ts
 * `codeNamedBelow`), on a folder whose code that guess does not reach (started by discovery, after
 * the flags are set), and on runs that need no thread.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI_V8_FLAGS } from '../../src/heap.js';
import { GUESS_FOLDERS } from '../../src/parser-warmup.js';
import { FIXTURES, removeFixtureCopies, runCli, scratchDir } from '../helpers.js';

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
afterEach(() => removeFixtureCopies());

function run(args: string[], cwd = resolve(FIXTURES, 'ts-spawn'), env: Record<string, string> = {}) {
  const r = runCli(args, cwd, { NODE_OPTIONS: `--import ${LISTEN}`, PERMLINT_PROBE_SOURCE: PROBE, PERMLINT_PROBE_CACHE: probeCache, ...env });
  const line = /^CODE-CACHE (.*)$/m.exec(r.stderr);
  expect(line, r.stderr).not.toBeNull();
  return { findings: r.stdout ? ((JSON.parse(r.stdout) as { findings?: unknown[] }).findings?.length ?? 0) : 0, stdout: r.stdout, ...(JSON.parse(line![1]!) as { seen: string[]; order: string[]; cliFlags: boolean }) };
}

describe("the bundles' code caches in CLI runs", () => {
  it('are taken when the parser thread starts before the CLI is compiled (named files), and the flags are set after', () => {
    const r = run(['--persona', 'auditor', '--format', 'json', 'spawner.ts']);
    expect(r.findings).toBeGreaterThan(0);
    expect(r.seen.sort()).toEqual(['cli:taken', 'thread:taken']);
    expect(r.order.filter((e) => e.startsWith('thread:start'))).toEqual(['thread:start:early']);
    expect(r.order[0]).toBe('thread:start:early');
    expect(r.cliFlags).toBe(true);
  });

  it('are taken when the parser thread starts before the CLI is compiled on a folder that holds code, and the flags are set after', () => {
    const r = run(['--persona', 'auditor', '--format', 'json', '.']);
    expect(r.findings).toBeGreaterThan(0);
    expect(r.seen).toEqual(['cli:taken', 'thread:taken']);
    // one thread, started by the loader (src/cli-loader.ts) before the CLI's bundle was compiled, and adopted by the CLI
    expect(r.order).toEqual(['thread:start:early', 'cli:taken', 'thread:ready', 'thread:taken']);
    expect(r.cliFlags).toBe(true);
  });

  it('are taken when the parser thread starts after the flags are set (a folder whose code the guess does not reach)', () => {
    // the code file below as many folders as the loader's guess lists (src/parser-warmup.ts): the
    // thread starts when discovery finds the candidate, after the CLI is compiled and its flags set
    const dir = scratchDir();
    const deep = join(dir, ...Array<string>(GUESS_FOLDERS).fill('d'));
    mkdirSync(deep, { recursive: true });
    cpSync(resolve(FIXTURES, 'ts-spawn/spawner.ts'), join(deep, 'spawner.ts'));
    const r = run(['--persona', 'auditor', '--format', 'json', '.'], dir);
    expect(r.findings).toBeGreaterThan(0);
    expect(r.seen).toEqual(['cli:taken', 'thread:taken']);
    expect(r.order).toEqual(['cli:taken', 'thread:start', 'thread:ready', 'thread:taken']);
    expect(r.cliFlags).toBe(true);
  });

  it('a folder without code starts no thread', () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'Dockerfile'), 'FROM denoland/deno:2.1.4\nCMD ["deno", "--version"]\n');
    const r = run(['--format', 'json', '.'], dir);
    expect(r.findings).toBeGreaterThan(0);
    expect(r.order).toEqual(['cli:taken']);
    expect(r.cliFlags).toBe(true);
  });

  it('are not offered with PERMLINT_CODE_CACHE=0 (measurements), and the run is the same', () => {
    // (V8 reports nothing for a script compiled without a cache: the bundles still ran, the thread adopted)
    const args = ['--persona', 'auditor', '--format', 'json', '.'];
    const r = run(args, undefined, { PERMLINT_CODE_CACHE: '0' });
    expect(r.findings).toBeGreaterThan(0);
    expect(r.seen).toEqual([]);
    expect(r.order).toEqual(['thread:start:early', 'thread:ready']);
    expect(r.cliFlags).toBe(true);
    expect(r.stdout).toBe(run(args).stdout);
  });

  it('a run that needs no thread sets the flags once the CLI is compiled', () => {
    const r = run(['--format', 'json', 'no-such-file.ts']);
    expect(r.seen).toEqual(['cli:taken']);
    expect(r.order).toEqual(['cli:taken']);
    expect(r.cliFlags).toBe(true);
  });
});
