/**
 * What a run loads before the CLI bundle (bin/permlint.js): when the build's scripts of the quick
 * answers and of the loader are current (dist/bundle/quick.cjs, entry.cjs: scripts/bundle.mjs), the
 * entry is CommonJS all the way to the bundle and Node never runs an ES module in the main thread
 * (its ES-module loader: ~10 ms of every run); when a script's stamp does not hold (an edited
 * module of dist/src/) or with PERMLINT_BUNDLE=0, the ES modules are imported as before. Either
 * way the output and the exit code are the same. A CommonJS probe (./entry/probe.cjs, loaded with
 * --require) says at exit whether Node ran an ES module.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES, ROOT } from './../helpers.js';

const PROBE = resolve(__dirname, 'entry/probe.cjs');

function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `--require ${PROBE}`, ...env } });
  const probe = /^ENTRY-PROBE esm=(\w+)$/m.exec(r.stderr)?.[1];
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/\n?ENTRY-PROBE esm=\w+\n/, ''), esm: probe === undefined ? undefined : probe === 'true' };
}

// the quick path, a Dockerfile-only lint (no parser thread), a named TypeScript file (the parser
// thread's early start, which loads the sniff and the parser module), a folder with findings
const RUNS: [string[], string][] = [
  [['--version'], ROOT],
  [['explain', 'allow-all'], ROOT],
  [['--format', 'json', 'Dockerfile'], resolve(FIXTURES, 'deploy-dockerfile')],
  [['--format', 'json', 'spawner.ts'], resolve(FIXTURES, 'ts-spawn')],
  [['--format', 'json', '.'], resolve(FIXTURES, 'demo')],
];

describe('the CommonJS entry', () => {
  it('runs no ES module before the CLI bundle when the scripts are current, and answers as the ES modules do', () => {
    for (const [args, cwd] of RUNS) {
      const cjs = run(BIN, args, cwd);
      const esm = run(BIN, args, cwd, { PERMLINT_BUNDLE: '0' });
      expect(cjs.esm, args.join(' ')).toBe(false);
      expect(esm.esm, args.join(' ')).toBe(true);
      expect(cjs.stdout.length, args.join(' ')).toBeGreaterThan(0);
      expect(cjs.stdout, args.join(' ')).toBe(esm.stdout);
      expect(cjs.code, args.join(' ')).toBe(esm.code);
      expect(cjs.stderr, args.join(' ')).toBe('');
    }
  });

  it('imports the ES modules when a script is stale (an edited module of dist/src/), with the same answers', () => {
    // a copy of the package whose dist/ can be edited
    const pkg = mkdtempSync(join(tmpdir(), 'permlint-entry-'));
    for (const d of ['bin', 'dist', 'schema', 'docs', 'package.json']) cpSync(join(ROOT, d), join(pkg, d), { recursive: true, preserveTimestamps: true });
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    const bin = join(pkg, 'bin/permlint.js');
    const demo = resolve(FIXTURES, 'demo');
    const ts = resolve(FIXTURES, 'ts-spawn');
    const before = [run(bin, ['--version'], pkg), run(bin, ['--format', 'json', '.'], demo), run(bin, ['--format', 'json', 'spawner.ts'], ts)];
    expect(before.map((r) => r.esm)).toEqual([false, false, false]);
    // the quick answers' module edited: its script is not trusted, the ES module answers
    appendFileSync(join(pkg, 'dist/src/quick.js'), '\n// edited\n');
    const quick = run(bin, ['--version'], pkg);
    expect(quick.esm).toBe(true);
    expect(quick.stdout).toBe(before[0]!.stdout);
    // (a lint run asks the quick module first: the ES one now; the loader's script still holds)
    // the parser thread's early start edited: the loader's script is not trusted either
    appendFileSync(join(pkg, 'dist/src/parser-warmup.js'), '\n// edited\n');
    const after = [run(bin, ['--format', 'json', '.'], demo), run(bin, ['--format', 'json', 'spawner.ts'], ts)];
    for (const [i, r] of after.entries()) {
      expect(r.esm).toBe(true);
      expect(r.stdout).toBe(before[i + 1]!.stdout);
      expect(r.code).toBe(before[i + 1]!.code);
    }
    // the package's own stamp files say which scripts the build made
    const stamp = JSON.parse(readFileSync(join(pkg, 'dist/bundle/entry-stamp.json'), 'utf8')) as { inputs: [string, number][] };
    expect(stamp.inputs.map(([p]) => p)).toEqual(expect.arrayContaining(['src/cli-loader.js', 'src/parser-warmup.js', 'src/sources/typescript/parser.js']));
    expect(stamp.inputs.map(([p]) => p)).not.toContain('src/cli.js');
  });
});
