/**
 * What the CLI's loader decides before the CLI is compiled (src/cli-loader.ts `startEarly`): which
 * argv is a lint run and on which paths (src/cli-options.ts `lintRunPaths`, against the CLI's own
 * parse), and whether a folder holds code by name within the folders the guess lists
 * (src/parser-warmup.ts `codeNamedBelow`, against a full walk of the same tree), and where the
 * thread bundle's stamp finds a package (src/bundle-stamp.ts `packageDir`, against Node's
 * resolver). The guess only
 * decides when the parser thread starts: test/e2e/cli-bundle-code-cache.test.ts checks the order.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintRunPaths, lintsNamedPaths, parseCliArgs } from '../../src/cli-options.js';
import { codeNamedBelow, GUESS_FOLDERS } from '../../src/parser-warmup.js';
import { packageDir } from '../../src/bundle-stamp.js';
import { removeFixtureCopies, rng, ROOT, scratchDir } from '../helpers.js';

afterEach(() => removeFixtureCopies());

const put = (dir: string, path: string, text = '') => {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
};

/** Every folder's listing, no cap: whether a code file (by name) is anywhere the guess may enter. */
function codeAnywhere(dir: string): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && /\.[cm]?[jt]sx?$/i.test(e.name) && !/\.d\.[cm]?ts$/i.test(e.name)) return true;
    if (e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'vendor', 'dist', 'coverage'].includes(e.name) && codeAnywhere(join(dir, e.name))) return true;
  }
  return false;
}

describe('the lint run argv asks for (before the CLI is loaded)', () => {
  it('is the named paths, or the working folder when none is named; nothing for commands and other runs', () => {
    expect(lintRunPaths(['-q', '--format', 'json', '.'])).toEqual(['.']);
    expect(lintRunPaths(['--format', 'json', 'src', 'main.ts'])).toEqual(['src', 'main.ts']);
    expect(lintRunPaths([])).toEqual(['.']);
    expect(lintRunPaths(['--persona', 'auditor', '-f', 'sarif'])).toEqual(['.']);
    for (const argv of [['rules'], ['init'], ['audit', '.'], ['diff', 'a', 'b'], ['infer', '.'], ['explain', 'allow-all'], ['--stdin'], ['--print-config', 'x.ts'], ['--help'], ['--version'], ['--no-such-option', '.']]) expect(lintRunPaths(argv), argv.join(' ')).toBeUndefined();
    // the CLI's own decision for named paths (src/cli.ts lintsNamedPaths), the same paths
    for (const argv of [['.'], ['--format', 'json', 'a.ts'], ['-q', 'x', 'y'], ['--max-warnings', '-1', 'z']]) {
      const args = parseCliArgs(argv);
      expect(lintsNamedPaths(args), argv.join(' ')).toBe(true);
      expect(lintRunPaths(argv), argv.join(' ')).toEqual(args.positionals);
    }
  });
});

describe('the folder guess (codeNamedBelow)', () => {
  it('finds a code file by name below the folder, and none in a tree without one', () => {
    const dir = scratchDir();
    put(dir, 'Dockerfile', 'FROM denoland/deno:2.1.4\n');
    put(dir, 'deno.json', '{}\n');
    put(dir, 'docs/readme.md');
    expect(codeNamedBelow(dir)).toBe(false);
    put(dir, 'tools/release/bump.ts');
    expect(codeNamedBelow(dir)).toBe(true);
  });

  it('counts no declaration file, and enters neither hidden folders nor those discovery never walks', () => {
    const dir = scratchDir();
    for (const p of ['types/lib.d.ts', 'types/lib.d.mts', '.github/x.js', '.hidden/a.ts', 'node_modules/p/index.js', 'vendor/v.ts', 'dist/out.js', 'coverage/c.js', 'notes.ts.txt', 'data.json']) put(dir, p);
    expect(codeNamedBelow(dir)).toBe(false);
    for (const name of ['a.ts', 'a.tsx', 'a.mts', 'a.cts', 'a.js', 'a.jsx', 'a.mjs', 'a.cjs', 'A.TS']) {
      const one = scratchDir();
      put(one, `src/${name}`);
      expect(codeNamedBelow(one), name).toBe(true);
    }
  });

  it(`lists at most ${GUESS_FOLDERS} folders: code deeper than that is left to discovery`, () => {
    const dir = scratchDir();
    const chain = Array<string>(GUESS_FOLDERS).fill('d');
    put(dir, join(...chain, 'main.ts'));
    // (the folder holding it is the 33rd listed)
    expect(codeNamedBelow(dir)).toBe(false);
    expect(codeNamedBelow(dir, GUESS_FOLDERS + 1)).toBe(true);
    put(dir, join(...chain.slice(1), 'main.ts'));
    expect(codeNamedBelow(dir)).toBe(true);
  });

  it('agrees with a full walk on generated trees small enough for its cap', () => {
    const next = rng(13);
    const pick = <T,>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
    for (let t = 0; t < 60; t++) {
      const dir = scratchDir();
      let folders = 1;
      const paths: string[] = [];
      const files = 1 + Math.floor(next() * 12);
      for (let i = 0; i < files; i++) {
        const depth = Math.floor(next() * 4);
        const parts = Array.from({ length: depth }, () => pick(['a', 'b', 'src', '.cfg', 'node_modules', 'lib']));
        parts.push(pick(['Dockerfile', 'deno.json', 'x.ts', 'y.d.ts', 'z.mjs', 'w.yml', 'v.tsx', 'README.md']));
        paths.push(parts.join('/'));
        folders += depth;
      }
      for (const p of paths) put(dir, p);
      // (every tree here has fewer folders than the cap: the guess sees all the walk would)
      expect(folders).toBeLessThan(GUESS_FOLDERS);
      expect(codeNamedBelow(dir), paths.join(' ')).toBe(codeAnywhere(dir));
    }
  });
});

describe("a package's folder for the thread bundle's stamp (packageDir)", () => {
  it("is the one Node's resolver finds, nearest node_modules first", () => {
    const req = createRequire(import.meta.url);
    for (const [from, pkg] of [[join(ROOT, 'dist/src'), 'oxc-parser'], [join(ROOT, 'test/unit'), 'yaml'], [ROOT, 'semver']] as const) {
      expect(packageDir(from, pkg), pkg).toBe(dirname(createRequire(join(from, '/')).resolve(`${pkg}/package.json`)));
    }
    expect(req.resolve('oxc-parser/package.json')).toBe(join(packageDir(join(ROOT, 'test'), 'oxc-parser'), 'package.json'));
    // a copy nearer to the importer wins, as in Node (and node_modules/node_modules is never looked in)
    const dir = scratchDir();
    put(dir, 'node_modules/p/package.json', '{ "name": "p", "exports": { "./package.json": "./package.json" } }');
    put(dir, 'a/node_modules/p/package.json', '{ "name": "p", "exports": { "./package.json": "./package.json" } }');
    put(dir, 'a/b/c.js');
    for (const from of [join(dir, 'a/b'), join(dir, 'a'), dir, join(dir, 'node_modules')]) {
      expect(packageDir(from, 'p'), from).toBe(dirname(createRequire(join(from, '/')).resolve('p/package.json')));
    }
  });
});
