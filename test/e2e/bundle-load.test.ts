/**
 * Loading the bundles (src/bundle-stamp.ts `readBundle`, src/cli-loader.ts, the parser thread's
 * worker source in src/sources/typescript/parser.ts): each script is read as the build wrote it,
 * wrapped, with its code cache as the file holds it; V8 is given the wrapped text as one flat
 * string (a concatenation is a cons string, which V8 copies into a new one before it compiles:
 * 1.5 MB for the CLI's), checked in CLI runs by a probe (./bundle-load/probe.cjs, under
 * `--allow-natives-syntax`) in the main thread and in the parser thread.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_WRAPPER, READ_BUNDLE_JS, readBundle, THREAD_STAMP_NAME, trustedBundleFiles } from '../../src/bundle-stamp.js';
import { FIXTURES, ROOT } from '../helpers.js';

const DIST = resolve(ROOT, 'dist');
const BIN = resolve(ROOT, 'bin/permlint.js');
const PROBE = resolve(__dirname, 'bundle-load/probe.cjs');
const dir = mkdtempSync(join(tmpdir(), 'permlint-bundle-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** READ_BUNDLE_JS as the parser thread evaluates it. */
const readBundleJs = new Function('require', 'Buffer', `return ${READ_BUNDLE_JS}`)(createRequire(import.meta.url), Buffer) as typeof readBundle;

/** What the loaders compiled before: the file's text (Latin-1 when ASCII, else UTF-8) between the wrapper's halves, and the cache file's bytes. */
function expected(file: string, cacheFile?: string): { source: string; cache: Buffer | undefined } {
  const bytes = readFileSync(file);
  const text = bytes.every((b) => b < 0x80) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cache: Buffer | undefined;
  try {
    if (cacheFile !== undefined) cache = readFileSync(cacheFile);
  } catch {
    cache = undefined;
  }
  return { source: BUNDLE_WRAPPER[0] + text + BUNDLE_WRAPPER[1], cache: cache?.length ? cache : undefined };
}

/**
 * A CLI run under the probe, its output and standard error in files (a pipe or a terminal there
 * would load node:net and streams for process.stdout and stderr): its exit code and what the
 * probe said of each bundle's source and of the built-in modules each thread loaded.
 */
let runs = 0;
function probed(args: string[], cwd: string) {
  const out = join(dir, `out-${++runs}`);
  const fds = [openSync(`${out}.stdout`, 'w'), openSync(`${out}.stderr`, 'w')] as const;
  let status: number | null;
  try {
    status = spawnSync(process.execPath, ['--allow-natives-syntax', '-r', PROBE, BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', fds[0], fds[1]] }).status;
  } finally {
    fds.forEach((fd) => closeSync(fd));
  }
  const stderr = readFileSync(`${out}.stderr`, 'utf8');
  const lines = <T,>(tag: string) => [...stderr.matchAll(new RegExp(`^${tag} (.*)$`, 'gm'))].map((m) => JSON.parse(m[1]!) as T);
  const builtins = { main: new Set<string>(), thread: new Set<string>() };
  for (const b of lines<{ thread: 'main' | 'thread'; loaded: string[] }>('BUILTINS')) for (const m of b.loaded) builtins[b.thread].add(m);
  return { status, stdout: readFileSync(`${out}.stdout`, 'utf8'), stderr, sources: lines<{ thread: string; cons: boolean; length: number }>('BUNDLE-SOURCE'), builtins };
}

describe('loading the bundles', () => {
  it('reads each bundle as the wrapped text and its code cache as the files hold them, in both copies of the steps', () => {
    const cases: [file: string, cacheFile?: string][] = [];
    for (const stamp of [undefined, THREAD_STAMP_NAME]) {
      const t = trustedBundleFiles(DIST, stamp)!;
      expect(t.cacheFile).toBeDefined();
      cases.push([t.file, t.cacheFile], [t.file]);
    }
    // a cache larger than the text (read into a larger buffer), a text that is not ASCII (UTF-8), an empty cache, none
    const small = join(dir, 'small.cjs');
    writeFileSync(small, 'exports.a = 1;\n');
    const wide = join(dir, 'wide.cjs');
    writeFileSync(wide, 'exports.a = "\u00e9\u4e2d\ud83d\ude00";\n'.repeat(1000));
    const big = join(dir, 'big.cache');
    writeFileSync(big, Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) & 0xff)));
    const empty = join(dir, 'empty.cache');
    writeFileSync(empty, '');
    cases.push([small, big], [wide, big], [small, empty], [wide, join(dir, 'missing.cache')], [small]);
    for (const [file, cacheFile] of cases) {
      const want = expected(file, cacheFile);
      for (const read of [readBundle, readBundleJs]) {
        const got = read(file, cacheFile);
        expect(got.source === want.source, file).toBe(true);
        expect(got.cache === undefined ? undefined : Buffer.compare(got.cache, want.cache!), `${file} ${cacheFile}`).toBe(want.cache === undefined ? undefined : 0);
      }
    }
  });

  it('gives V8 each bundle as one flat string, in the main thread and in the parser thread', () => {
    const r = probed(['--persona', 'auditor', '--format', 'json', 'spawner.ts'], resolve(FIXTURES, 'ts-spawn'));
    expect(r.status, r.stderr).toBe(0);
    const length = (stamp?: string) => expected(trustedBundleFiles(DIST, stamp)!.file).source.length;
    expect(r.sources.sort((a, b) => a.thread.localeCompare(b.thread))).toEqual([
      { thread: 'main', cons: false, length: length() },
      { thread: 'thread', cons: false, length: length(THREAD_STAMP_NAME) },
    ]);
  });

  it("loads none of Node's modules a lint run does not use: node:child_process (`permlint diff`'s git) in no thread, node:net not in the parser thread", () => {
    const runs: [args: string[], fixture: string, thread: boolean, code: number][] = [
      [['--persona', 'auditor', '--format', 'json', 'spawner.ts'], 'ts-spawn', true, 0],
      // (a grant to the metadata service's IPv6 address: src/grammar/ip.ts, not node:net)
      [['--persona', 'auditor', '--format', 'json', '.'], 'hosts-sensitive-network', true, 0],
      [['--format', 'json', '.'], 'deploy-dockerfile', false, 1],
      [['--version'], 'ts-spawn', false, 0],
    ];
    for (const [args, fixture, thread, code] of runs) {
      const r = probed(args, resolve(FIXTURES, fixture));
      const what = `${fixture}: ${args.join(' ')}`;
      expect(r.status, `${what}\n${r.stderr}`).toBe(code);
      if (args[0] !== '--version') expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length, what).toBeGreaterThan(0);
      // (the probe saw the run: Node's own modules, and the parser thread's where the run needs it)
      expect(r.builtins.main.has('fs'), what).toBe(true);
      if (thread) expect(r.builtins.thread.has('worker_threads'), what).toBe(true);
      for (const m of ['child_process', 'internal/child_process', 'dgram']) {
        expect(r.builtins.main.has(m), `${what}: ${m}`).toBe(false);
        expect(r.builtins.thread.has(m), `${what}: ${m} in the thread`).toBe(false);
      }
      expect(r.builtins.thread.has('net'), `${what}: net in the thread`).toBe(false);
    }
  });
});
