/**
 * The CLI bundle (scripts/bundle.mjs, src/cli-loader.ts): bin/permlint.js runs dist/bundle/cli.cjs
 * with its code cache only while the stamp says it was built from the dist/ modules as they are,
 * and the bundle answers as the ES modules do (every rule, subcommands loaded on first use, exit
 * codes). In process where possible; two CLI runs check which of the two the bin loads.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trustedBundle, trustedBundleFiles, bundleScript, runBundle, STAMP_NAME, THREAD_STAMP_NAME, type BundleStamp } from '../../src/cli-loader.js';
import { main as esmMain } from '../../src/cli.js';
import { RULES } from '../../rules/index.js';
import { SUPPRESSION_RULES } from '../../src/suppress.js';
import { FIXTURES, ROOT, runCli } from '../helpers.js';

const DIST = resolve(ROOT, 'dist');
const TRACE = resolve(ROOT, 'test/report/trace/register.mjs');

/** A dist folder with two modules, a bundle, a cache and the stamp for them (all dated `at`); `installed`: in a node_modules folder. */
function fakeDist(installed = false): string {
  let dist = mkdtempSync(join(tmpdir(), 'permlint-bundle-'));
  if (installed) {
    dist = join(dist, 'node_modules', 'permlint', 'dist');
    mkdirSync(dist, { recursive: true });
  }
  mkdirSync(join(dist, 'src'));
  mkdirSync(join(dist, 'bundle'));
  writeFileSync(join(dist, 'src/a.js'), 'export const a = 1;\n');
  writeFileSync(join(dist, 'src/b.js'), 'export const b = 22;\n');
  writeFileSync(join(dist, 'bundle/cli.cjs'), 'exports.a = 1;\n');
  writeFileSync(join(dist, 'bundle/cli.cache'), 'cache');
  const stamp: BundleStamp = {
    bundle: { path: 'bundle/cli.cjs', size: 15 },
    cache: { path: 'bundle/cli.cache', size: 5 },
    inputs: [
      ['src/a.js', 20],
      ['src/b.js', 21],
    ],
  };
  writeFileSync(join(dist, STAMP_NAME), JSON.stringify(stamp));
  // as npm's tarballs date them: every file the same
  const at = new Date('1985-10-26T08:15:00Z');
  for (const f of ['src/a.js', 'src/b.js', 'bundle/cli.cjs', 'bundle/cli.cache']) utimesSync(join(dist, f), at, at);
  return dist;
}

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = { stdout: (s: string) => (out.stdout += s), stderr: (s: string) => (out.stderr += s), isTTY: false, env: {}, cwd: ROOT };
  return { out, io };
}

describe('the CLI bundle', () => {
  it('is trusted only while every module it was built from has its size and is not newer, and its cache only when not older than it', () => {
    const dist = fakeDist();
    const later = new Date('2000-01-01T00:00:00Z');
    expect(trustedBundle(dist)).toEqual({ file: join(dist, 'bundle/cli.cjs'), cache: Buffer.from('cache') });
    // the cache older than the bundle: the bundle without it
    utimesSync(join(dist, 'bundle/cli.cjs'), later, later);
    expect(trustedBundle(dist)).toEqual({ file: join(dist, 'bundle/cli.cjs'), cache: undefined });
    utimesSync(join(dist, 'bundle/cli.cache'), later, later);
    expect(trustedBundle(dist)?.cache).toBeDefined();
    // a module compiled again (tsc -b without the bundle step): newer than the bundle
    utimesSync(join(dist, 'src/b.js'), new Date('2001-01-01T00:00:00Z'), new Date('2001-01-01T00:00:00Z'));
    expect(trustedBundle(dist)).toBeUndefined();
    utimesSync(join(dist, 'src/b.js'), later, later);
    expect(trustedBundle(dist)).toBeDefined();
    // a module of another size, even dated as before
    writeFileSync(join(dist, 'src/a.js'), 'export const a = 10;\n');
    utimesSync(join(dist, 'src/a.js'), later, later);
    expect(trustedBundle(dist)).toBeUndefined();
    writeFileSync(join(dist, 'src/a.js'), 'export const a = 1;\n');
    utimesSync(join(dist, 'src/a.js'), later, later);
    expect(trustedBundle(dist)).toBeDefined();
    // the dist folder named with a final separator: the same files, checked the same way
    expect(trustedBundle(`${dist}/`)).toEqual({ file: join(dist, 'bundle/cli.cjs'), cache: Buffer.from('cache') });
    writeFileSync(join(dist, 'src/b.js'), 'export const b = 220;\n');
    utimesSync(join(dist, 'src/b.js'), later, later);
    expect(trustedBundle(`${dist}/`)).toBeUndefined();
    expect(trustedBundle(dist)).toBeUndefined();
    writeFileSync(join(dist, 'src/b.js'), 'export const b = 22;\n');
    utimesSync(join(dist, 'src/b.js'), later, later);
    expect(trustedBundle(dist)).toBeDefined();
    // the bundle or the cache of another size
    writeFileSync(join(dist, 'bundle/cli.cache'), 'cache2');
    utimesSync(join(dist, 'bundle/cli.cache'), later, later);
    expect(trustedBundle(dist)?.cache).toBeUndefined();
    writeFileSync(join(dist, 'bundle/cli.cjs'), 'exports.a = 12;\n');
    utimesSync(join(dist, 'bundle/cli.cjs'), later, later);
    expect(trustedBundle(dist)).toBeUndefined();
    // a module gone, no stamp
    rmSync(join(dist, 'src/b.js'));
    expect(trustedBundle(dist)).toBeUndefined();
    expect(trustedBundle(join(dist, 'src'))).toBeUndefined();
  });

  it('in an installed copy (in a node_modules folder) compares sizes only: npm dates each file when it writes it, in no order', () => {
    const dist = fakeDist(true);
    // as an install dates them: the modules and the cache written after the bundle
    utimesSync(join(dist, 'bundle/cli.cjs'), new Date('2026-12-03T08:14:54.818Z'), new Date('2026-12-03T08:14:54.818Z'));
    for (const f of ['src/a.js', 'src/b.js', 'bundle/cli.cache']) utimesSync(join(dist, f), new Date('2026-12-03T08:14:54.954Z'), new Date('2026-12-03T08:14:54.954Z'));
    expect(trustedBundle(dist)).toEqual({ file: join(dist, 'bundle/cli.cjs'), cache: Buffer.from('cache') });
    // sizes still count
    writeFileSync(join(dist, 'src/a.js'), 'export const a = 10;\n');
    expect(trustedBundle(dist)).toBeUndefined();
    writeFileSync(join(dist, 'src/a.js'), 'export const a = 1;\n');
    writeFileSync(join(dist, 'bundle/cli.cache'), 'cache2');
    expect(trustedBundle(dist)).toEqual({ file: join(dist, 'bundle/cli.cjs'), cache: undefined });
    // the same dates in a working tree: the modules are newer than the bundle
    const tree = fakeDist();
    utimesSync(join(tree, 'bundle/cli.cjs'), new Date('2026-12-03T08:14:54.818Z'), new Date('2026-12-03T08:14:54.818Z'));
    for (const f of ['src/a.js', 'src/b.js', 'bundle/cli.cache']) utimesSync(join(tree, f), new Date('2026-12-03T08:14:54.954Z'), new Date('2026-12-03T08:14:54.954Z'));
    expect(trustedBundle(tree)).toBeUndefined();
  });

  it('the build leaves a bundle it trusts, and bin/permlint.js runs it (PERMLINT_BUNDLE=0: the ES modules)', () => {
    const bundle = trustedBundle(DIST);
    expect(bundle?.cache, 'npm run build writes dist/bundle with its stamp and code cache').toBeDefined();
    expect(statSync(bundle!.file).size).toBeGreaterThan(100_000);
    const root = pathToFileURL(ROOT).href + '/';
    const esm = (env: NodeJS.ProcessEnv) => {
      const r = runCli(['--format', 'json', '.'], resolve(FIXTURES, 'deploy-dockerfile'), { NODE_OPTIONS: `--import ${pathToFileURL(TRACE).href}`, NODE_DEBUG: 'module', ...env });
      const modules = [...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]!.replace(root, ''));
      const cjs = [...r.stderr.matchAll(/^MODULE \d+: load "([^"]+)"/gm)].map((m) => pathToFileURL(m[1]!).href.replace(root, ''));
      return { ...r, modules, cjs };
    };
    const viaBundle = esm({});
    const viaModules = esm({ PERMLINT_BUNDLE: '0' });
    // what runs before the bundle is CommonJS too (bin/permlint.js, dist/bundle/quick.cjs and
    // entry.cjs: test/e2e/entry.test.ts): no module of dist/src/ is an ES module loaded by Node
    expect(viaBundle.cjs).toEqual(expect.arrayContaining(['bin/permlint.js', 'dist/bundle/quick.cjs', 'dist/bundle/entry.cjs']));
    expect(viaBundle.modules.filter((m) => m.startsWith('dist/src/'))).toEqual([]);
    expect(viaModules.modules).toEqual(expect.arrayContaining(['dist/src/cli.js', 'dist/src/lint.js']));
    // the Dockerfile's parser (and the language server types it requires) is in the bundle too
    expect(viaBundle.cjs.filter((m) => m.startsWith('node_modules/dockerfile-ast/'))).toEqual([]);
    expect(viaModules.cjs.some((m) => m.startsWith('node_modules/dockerfile-ast/'))).toBe(true);
    expect(viaBundle.code).toBe(1);
    expect(viaModules.code).toBe(1);
    expect(viaBundle.stdout).toBe(viaModules.stdout);
  });

  it('answers as the modules do: every rule, a lint, a subcommand loaded on first use, exit codes', async () => {
    const bundle = trustedBundleFiles(DIST)!;
    const cli = runBundle(bundleScript(bundle.file, bundle.cacheFile), bundle.file);
    const both = async (argv: string[], cwd = ROOT) => {
      const a = capture();
      const b = capture();
      const codeA = await cli.main(argv, { ...a.io, cwd });
      const codeB = await esmMain(argv, { ...b.io, cwd });
      expect(a.out, argv.join(' ')).toEqual(b.out);
      expect(codeA, argv.join(' ')).toBe(codeB);
      return { code: codeA, ...a.out };
    };
    const rules = await both(['rules', '--format', 'json']);
    expect(rules.code).toBe(0);
    expect((JSON.parse(rules.stdout) as { rules: { id: string }[] }).rules.map((r) => r.id)).toEqual([...RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((r) => r.id)]);
    // a lint with findings (exit 1), every persona's view
    const dir = resolve(FIXTURES, 'deploy-follow');
    expect((await both(['--persona', 'auditor', '--format', 'json', '.'], dir)).code).toBe(1);
    // a YAML config: the yaml package through the loader's import()
    expect((await both(['--format', 'json', '.'], resolve(FIXTURES, 'config-yaml'))).code).toBe(0);
    // a subcommand that is its own module
    expect((await both(['audit', '--format', 'json', '.'], resolve(FIXTURES, 'audit-mixed'))).code).toBe(0);
    // usage errors
    expect((await both(['--no-such-option'])).code).toBe(2);
    expect((await both(['explain', 'no-such-rule'])).code).toBe(2);
  });

  it("reads yaml's token-log switch once, not once per token (bin/permlint.js clears it: the output is the same)", () => {
    const text = readFileSync(trustedBundle(DIST)!.file, 'latin1');
    expect(text).not.toMatch(/if \(node_process\.env\.LOG_TOKENS\)/);
    expect(text).toMatch(/const permlintLogTokens = require\("process"\)\.env\.LOG_TOKENS;/);
    expect(text).toMatch(/if \(permlintLogTokens\) console\.log\("\|", cst\.prettyToken\(source\)\);/);
    const dir = resolve(FIXTURES, 'deploy-actions');
    const on = runCli(['--format', 'json', '.'], dir, { LOG_TOKENS: '1' });
    const off = runCli(['--format', 'json', '.'], dir);
    expect(on.stdout).toBe(off.stdout);
    expect(JSON.parse(on.stdout).findings.length).toBeGreaterThan(0);
  });
});

/* eslint-disable @typescript-eslint/no-explicit-any -- the compiled modules are untyped here */
const dist = (m: string) => import(/* @vite-ignore */ new URL(`../../dist/src/${m}`, import.meta.url).href) as Promise<any>;
const EARLY = Symbol.for('permlint.earlyParserThread');

describe("the parser thread's bundle", () => {
  it('is trusted only while its modules and the oxc-parser files it holds are as they were built; the thread runs it, or the ES modules', async () => {
    const stamp = JSON.parse(readFileSync(join(DIST, THREAD_STAMP_NAME), 'utf8')) as BundleStamp;
    const inputs = stamp.inputs.map(([p]) => p);
    // (slim.js made the bundle's copy of oxc's TypeScript deserializer: a new one makes the bundle stale too)
    expect(inputs).toEqual(expect.arrayContaining(['src/sources/typescript/thread.js', 'src/infer/thread.js', 'src/semver.js', 'src/sources/typescript/slim.js', '~oxc-parser/src-js/bindings.js', '~oxc-parser/src-js/generated/deserialize/ts.js']));
    expect(trustedBundle(DIST, THREAD_STAMP_NAME)?.cache).toBeDefined();
    // a package's file is found where this install resolves the package, and checked like a module
    const fake = mkdtempSync(join(ROOT, 'dist/bundle-test-'));
    try {
      mkdirSync(join(fake, 'src'));
      mkdirSync(join(fake, 'bundle'));
      writeFileSync(join(fake, 'bundle/thread.cjs'), 'exports.a = 1;\n');
      const pkg = statSync(join(ROOT, 'node_modules/oxc-parser/package.json')).size;
      const at = (size: number): BundleStamp => ({ bundle: { path: 'bundle/thread.cjs', size: 15 }, inputs: [['~oxc-parser/package.json', size]] });
      const later = new Date(Date.now() + 60_000);
      utimesSync(join(fake, 'bundle/thread.cjs'), later, later);
      writeFileSync(join(fake, THREAD_STAMP_NAME), JSON.stringify(at(pkg)));
      expect(trustedBundle(fake, THREAD_STAMP_NAME)?.file).toBe(join(fake, 'bundle/thread.cjs'));
      writeFileSync(join(fake, THREAD_STAMP_NAME), JSON.stringify(at(pkg + 1)));
      expect(trustedBundle(fake, THREAD_STAMP_NAME)).toBeUndefined();
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }

    const { parseTypescript, parserThreadCode, stopParser } = await dist('sources/typescript/parser.js');
    const text = 'new Deno.Command("deno", { args: ["run", "-A", "x.ts"] });\n';
    await stopParser();
    const viaBundle = await parseTypescript('a.ts', text);
    expect(parserThreadCode()).toBe('bundle');
    await stopParser();
    process.env.PERMLINT_BUNDLE = '0';
    try {
      const viaModules = await parseTypescript('a.ts', text);
      expect(parserThreadCode()).toBe('modules');
      expect(viaBundle).toEqual(viaModules);
    } finally {
      delete process.env.PERMLINT_BUNDLE;
      await stopParser();
    }
  });

  it('a lint run on named code files or on a folder holding code starts the thread before the CLI is loaded, and the CLI adopts it; other runs start none there', async () => {
    const loader = await dist('cli-loader.js');
    const dir = resolve(FIXTURES, 'ts-spawn');
    const holder = globalThis as Record<symbol, unknown>;
    for (const argv of [['--format', 'json', 'missing.ts'], ['--stdin', '--stdin-filename', 'spawner.ts'], ['--print-config', 'spawner.ts'], ['infer', 'spawner.ts'], ['infer', '.'], ['rules'], ['--no-such-option', 'spawner.ts'], ['--no-such-option', '.']]) {
      await loader.loadCli(argv, dir);
      expect(holder[EARLY], argv.join(' ')).toBeUndefined();
    }
    // a folder without a code file (its Dockerfiles run TypeScript files that are not there)
    for (const argv of [['--format', 'json', '.'], ['--format', 'json'], ['Dockerfile']]) {
      await loader.loadCli(argv, resolve(FIXTURES, 'deploy-dockerfile'));
      expect(holder[EARLY], argv.join(' ')).toBeUndefined();
    }
    for (const argv of [['--persona', 'auditor', '--format', 'json', 'spawner.ts'], ['--persona', 'auditor', '--format', 'json', '.'], ['--persona', 'auditor', '--format', 'json']]) {
      const cli = await loader.loadCli(argv, dir);
      expect(holder[EARLY], argv.join(' ')).toBeDefined();
      const a = capture();
      const b = capture();
      const code = await cli.main(argv, { ...a.io, cwd: dir });
      expect(holder[EARLY], argv.join(' ')).toBeUndefined();
      expect(await esmMain(argv, { ...b.io, cwd: dir })).toBe(code);
      expect(a.out).toEqual(b.out);
      expect(JSON.parse(a.out.stdout).findings.length).toBeGreaterThan(0);
    }
  });
});
