/**
 * The link-only walk's cache (`--cache`, src/link-cache.ts): folders whose stat is unchanged are
 * answered from it, anything changed is listed again, a bad cache file is ignored, and nothing
 * is written through a link. A run with the cache finds what a run without it finds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { discover } from '../../src/discover.js';
import { nodeFs } from '../../src/fs.js';
import { lint, linkInputsFs } from '../../src/lint.js';
import { MAX_CACHE_BYTES, openLinkWalkCache } from '../../src/link-cache.js';
import { runMain } from '../helpers.js';

const TREE: Record<string, string> = {
  '.gitignore': 'build/\n',
  'deno.json': '{ "tasks": { "start": "deno run -A main.ts" } }\n',
  Dockerfile: 'FROM denoland/deno:2.9.6\nUSER deno\nCMD ["deno", "task", "start"]\n',
  '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno task start\n',
  'scripts/deploy.sh': 'deno task start\n',
  'main.ts': 'console.log(1);\n',
  'src/a/b/mod.ts': 'export {};\n',
  'build/Dockerfile': 'FROM node:22\n',
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temporary tree, its folders dated an hour back (a folder changed just now is not cached). */
function tree(files: Record<string, string> = TREE): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'permlint-cache-')));
  dirs.push(root);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  age(root);
  return root;
}
const old = new Date(Date.now() - 3600_000);
function age(root: string, rel = '') {
  const abs = join(root, rel);
  for (const e of nodeFs.readdir(abs)) if (e.type === 'directory') age(root, rel ? `${rel}/${e.name}` : e.name);
  utimesSync(abs, old, old);
}

/** The link-only walk of `root` for the named paths, through the cache at `file`. */
function walk(root: string, file: string, named = ['main.ts']) {
  const cache = openLinkWalkCache(file, root, root, 0);
  const found = discover(['.'], { fs: linkInputsFs(nodeFs, root, named, cache) }, root);
  cache.save();
  return { paths: found.files.map((f) => f.path), texts: found.files.map((f) => f.text), stats: cache.stats };
}
const plain = (root: string, named = ['main.ts']) => discover(['.'], { fs: linkInputsFs(nodeFs, root, named) }, root).files.map((f) => f.path);

describe('link-only walk cache', () => {
  it('answers unchanged folders from the cache and finds the same files', () => {
    const root = tree();
    const file = join(root, 'node_modules/.cache/permlint/link-walk.json');
    const first = walk(root, file);
    expect(first.paths).toEqual(plain(root));
    expect(first.paths).toEqual(['.github/workflows/ci.yml', 'deno.json', 'Dockerfile', 'scripts/deploy.sh'].sort());
    expect(first.stats.hits).toBe(0);
    expect(existsSync(file)).toBe(true);
    // the root folder changed (node_modules/ was made for the cache): listed again, the others not
    const second = walk(root, file);
    expect(second.paths).toEqual(first.paths);
    expect(second.stats.misses).toBe(1);
    const third = walk(root, file);
    expect(third.paths).toEqual(first.paths);
    expect(third.stats.misses).toBe(0);
    expect(third.stats.hits).toBe(first.stats.misses);
    // texts are always read again
    writeFileSync(join(root, 'scripts/deploy.sh'), 'deno task start --changed\n');
    expect(walk(root, file).texts).toContain('deno task start --changed\n');
  });

  it('lists a folder again when an entry is added, removed or renamed', () => {
    const root = tree();
    const file = join(root, 'cache.json');
    walk(root, file);
    writeFileSync(join(root, 'src/a/Dockerfile'), 'FROM node:22\n');
    const r = walk(root, file);
    expect(r.paths).toContain('src/a/Dockerfile');
    expect(r.paths).toEqual(plain(root));
    expect(r.stats.misses).toBeGreaterThanOrEqual(1);
    rmSync(join(root, 'scripts/deploy.sh'));
    expect(walk(root, file).paths).toEqual(plain(root));
    expect(plain(root)).not.toContain('scripts/deploy.sh');
  });

  it('ignores a cache that does not parse, has another shape or another root, or is too large', () => {
    const root = tree();
    const file = join(root, 'cache.json');
    const expected = plain(root);
    for (const text of ['{', '[]', 'null', JSON.stringify({ format: 1, build: 'x', root, dirs: {} }), '{"format":1,"dirs":{"":[[0,0,0],[["Dockerfile","x"]]]}}']) {
      writeFileSync(file, text);
      expect(walk(root, file).paths).toEqual(expected);
    }
    // a cache written for another root
    walk(root, file);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), root: tree() }));
    const r = walk(root, file);
    expect(r.paths).toEqual(expected);
    expect(r.stats.hits).toBe(0);
    // entries of a wrong shape for an unchanged folder: ignored for that folder
    walk(root, file);
    const j = JSON.parse(readFileSync(file, 'utf8'));
    j.dirs[''][1].push(['../x', 'f']);
    writeFileSync(file, JSON.stringify(j));
    expect(walk(root, file).paths).toEqual(expected);
    expect(MAX_CACHE_BYTES).toBeGreaterThan(1024 * 1024);
  });

  it('neither reads nor writes through a link', () => {
    const root = tree();
    const elsewhere = tree({ 'x.txt': '' });
    // the cache file is a link: not read (a fresh listing), replaced by a file on save
    writeFileSync(join(elsewhere, 'c.json'), '{}');
    symlinkSync(join(elsewhere, 'c.json'), join(root, 'cache.json'));
    expect(walk(root, join(root, 'cache.json')).stats.hits).toBe(0);
    expect(readFileSync(join(elsewhere, 'c.json'), 'utf8')).toBe('{}');
    // node_modules is a link: nothing is written into its target
    symlinkSync(elsewhere, join(root, 'node_modules'));
    walk(root, join(root, 'node_modules/.cache/permlint/link-walk.json'));
    expect(existsSync(join(elsewhere, '.cache'))).toBe(false);
  });

  it('lint() and the CLI give the same findings with --cache', async () => {
    const root = tree();
    const named = ['deno.json'];
    const without = await lint(named, { cwd: root });
    const withCache = await lint(named, { cwd: root, cache: true });
    const again = await lint(named, { cwd: root, cache: true });
    expect(withCache.findings).toEqual(without.findings);
    expect(again.findings).toEqual(without.findings);
    expect(without.findings.map((f) => f.ruleId)).toContain('allow-all');
    expect(existsSync(join(root, 'node_modules/.cache/permlint/link-walk.json'))).toBe(true);
    const a = await runMain(['--format', 'json', 'deno.json'], root);
    const b = await runMain(['--cache', '--cache-location', 'tmp/c/', '--format', 'json', 'deno.json'], root);
    expect(b.stdout).toBe(a.stdout);
    expect(b.code).toBe(a.code);
    expect(existsSync(join(root, 'tmp/c/link-walk.json'))).toBe(true);
  });
});
