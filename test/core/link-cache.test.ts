/**
 * The link-only walk's cache (`--cache`, src/link-cache.ts): folders whose stat is unchanged are
 * answered from it, anything changed is listed again, a bad cache file is ignored, and nothing
 * is written through a link. A run with the cache finds what a run without it finds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { discover } from '../../src/discover.js';
import { nodeFs } from '../../src/fs.js';
import { lint, linkInputsFs, linkOnlyDiscover } from '../../src/lint.js';
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

/** The link-only inputs lint() discovers (with the cache at `file`, or without): paths, texts, and whether the whole walk came from the cache. */
function inputs(root: string, file: string | undefined, named = ['main.ts'], ignore: string[] = []) {
  // (the cache's folders are made from the root down when it lies in the tree; elsewhere its folder exists)
  const cache = file === undefined ? undefined : openLinkWalkCache(file, root, file.startsWith(`${root}/`) ? root : undefined, 0);
  const found = linkOnlyDiscover(nodeFs, root, named, { ignore }, cache);
  cache?.save();
  return { files: found.map((f) => [f.path, f.kind, f.text]), walk: cache?.stats.walk === 'hit' ? 'hit' : 'miss', kept: cache?.stats.walk === 'kept' };
}

describe('link-only walk cache', () => {
  it('takes the whole list of files from the cache when nothing the walk relied on changed, and walks again when something did', () => {
    const root = tree({ ...TREE, 'pkg/package.json': '{ "scripts": { "x": "node x.js" } }\n', 'pkg/sub/Makefile': 'all:\n\tdeno task start\n', 'big/Dockerfile': 'FROM x\n' });
    const file = join(root, 'node_modules/.cache/permlint/link-walk.json');
    const same = (named?: string[], ignore?: string[]) => {
      const r = inputs(root, file, named, ignore);
      expect(r.files).toEqual(inputs(root, undefined, named, ignore).files);
      return r.walk;
    };
    expect(same()).toBe('miss');
    // (the root folder changed: node_modules/ was made for the cache)
    expect(same()).toBe('miss');
    expect(same()).toBe('hit');
    expect(same()).toBe('hit');
    // a file's text is read again: a changed candidate is no change to the walk
    writeFileSync(join(root, 'scripts/deploy.sh'), 'deno task start --changed\n');
    expect(same()).toBe('hit');
    expect(inputs(root, file).files.find((f) => f[0] === 'scripts/deploy.sh')?.[2]).toBe('deno task start --changed\n');
    // an ignore file changed in place (its folder's stat is unchanged)
    writeFileSync(join(root, '.gitignore'), 'build/\nscripts/\n');
    expect(same()).toBe('miss');
    expect(inputs(root, undefined).files.map((f) => f[0])).not.toContain('scripts/deploy.sh');
    expect(same()).toBe('hit');
    // an ignore file made where there was none, in a folder the walk lists
    writeFileSync(join(root, 'pkg/.gitignore'), 'sub/\n');
    expect(same(['pkg/package.json'])).toBe('miss');
    expect(same(['pkg/package.json'])).toBe('hit');
    // a file added, renamed, removed
    writeFileSync(join(root, 'src/a/Dockerfile'), 'FROM node:22\n');
    expect(same(['pkg/package.json'])).toBe('miss');
    expect(same(['pkg/package.json'])).toBe('hit');
    renameSync(join(root, 'src/a/Dockerfile'), join(root, 'src/a/b/Dockerfile'));
    expect(same(['pkg/package.json'])).toBe('miss');
    rmSync(join(root, 'big/Dockerfile'));
    expect(same(['pkg/package.json'])).toBe('miss');
    expect(same(['pkg/package.json'])).toBe('hit');
    // other ignore globs are another walk
    expect(same(['pkg/package.json'], ['**/Makefile'])).toBe('miss');
    expect(same(['pkg/package.json'], ['**/Makefile'])).toBe('hit');
  });

  it('walks again when a folder on the way holds a manifest the last walk did not let through', () => {
    const root = tree({ ...TREE, 'pkg/package.json': '{ "scripts": { "start": "deno task start" } }\n', 'pkg/x.ts': 'export {};\n' });
    const file = join(tree({}), 'c.json');
    const same = (named: string[]) => {
      const r = inputs(root, file, named);
      expect(r.files).toEqual(inputs(root, undefined, named).files);
      return r;
    };
    same(['main.ts']);
    same(['main.ts']);
    expect(same(['main.ts']).walk).toBe('hit');
    const r = same(['pkg/x.ts']);
    expect(r.walk).toBe('miss');
    expect(r.files.map((f) => f[0])).toContain('pkg/package.json');
    expect(same(['pkg/x.ts']).walk).toBe('hit');
    // a manifest let through before but not on the way now is left out
    const back = same(['main.ts']);
    expect(back.files.map((f) => f[0])).not.toContain('pkg/package.json');
  });

  it('keeps the whole list of a walk that met symbolic links, and walks again when a link or what it leads to changes', () => {
    // links to a folder walked already, to a folder only a link reaches (node_modules/ is never walked), and to a file there
    const root = tree({ ...TREE, 'node_modules/tool/deploy.sh': 'deno run -A x.ts\n', 'node_modules/tool/run.sh': 'deno task start\n', 'node_modules/other/Makefile': 'all:\n\tdeno task start\n' });
    symlinkSync(join(root, 'scripts'), join(root, 'src/scripts-link'));
    symlinkSync(join(root, 'node_modules/tool'), join(root, 'tools'));
    symlinkSync(join(root, 'node_modules/tool/run.sh'), join(root, 'run.sh'));
    age(root);
    const file = join(tree({}), 'c.json');
    const same = () => {
      const r = inputs(root, file);
      expect(r.files).toEqual(inputs(root, undefined).files);
      return r;
    };
    const first = same();
    expect(first.kept).toBe(true);
    expect(first.files.map((f) => f[0])).toEqual(expect.arrayContaining(['run.sh', 'tools/deploy.sh', 'tools/run.sh']));
    expect(same().walk).toBe('hit');
    // a file added where only the link leads
    writeFileSync(join(root, 'node_modules/tool/Dockerfile'), 'FROM denoland/deno:2.9.6\n');
    age(root);
    const added = same();
    expect(added.walk).toBe('miss');
    expect(added.files.map((f) => f[0])).toContain('tools/Dockerfile');
    expect(same().walk).toBe('hit');
    // the link pointed elsewhere
    rmSync(join(root, 'tools'));
    symlinkSync(join(root, 'node_modules/other'), join(root, 'tools'));
    age(root);
    const repointed = same();
    expect(repointed.walk).toBe('miss');
    expect(repointed.files.map((f) => f[0])).toContain('tools/Makefile');
    expect(repointed.files.map((f) => f[0])).not.toContain('tools/deploy.sh');
    expect(same().walk).toBe('hit');
    // the file a link leads to replaced by a folder, then gone
    rmSync(join(root, 'node_modules/tool/run.sh'));
    mkdirSync(join(root, 'node_modules/tool/run.sh'));
    age(root);
    const folder = same();
    expect(folder.walk).toBe('miss');
    expect(folder.files.map((f) => f[0])).not.toContain('run.sh');
    expect(same().walk).toBe('hit');
    rmSync(join(root, 'node_modules/tool'), { recursive: true });
    age(root);
    expect(same().walk).toBe('miss');
    expect(same().walk).toBe('hit');
  });

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
    // (the file's two lines: what a whole walk needs, then every folder's stat and entries)
    const lines = () => readFileSync(file, 'utf8').split('\n') as [string, string];
    const write = (head: unknown, dirs: unknown) => writeFileSync(file, `${JSON.stringify(head)}\n${JSON.stringify(dirs)}`);
    for (const text of ['{', '[]', 'null', '{}\n{}', JSON.stringify({ format: 1, build: 'x', root, dirs: {} }), '{"format":1,"dirs":{"":[[0,0,0],[["Dockerfile","x"]]]}}', '{"format":2}\n{"":[[0,0,0],[["Dockerfile","x"]]]}']) {
      writeFileSync(file, text);
      expect(walk(root, file).paths).toEqual(expected);
    }
    // a cache written for another root
    walk(root, file);
    write({ ...JSON.parse(lines()[0]), root: tree() }, JSON.parse(lines()[1]));
    const r = walk(root, file);
    expect(r.paths).toEqual(expected);
    expect(r.stats.hits).toBe(0);
    // entries of a wrong shape for an unchanged folder: ignored for that folder
    walk(root, file);
    const dirs = JSON.parse(lines()[1]);
    dirs[''][1].push(['../x', 'f']);
    write(JSON.parse(lines()[0]), dirs);
    expect(walk(root, file).paths).toEqual(expected);
    // folders that do not parse: an empty cache
    writeFileSync(file, `${lines()[0]}\n{`);
    expect(walk(root, file).paths).toEqual(expected);
    // a whole walk of a wrong shape, or whose digest is not its folders': walked again
    // (a cache outside the tree: writing one inside changes the root folder)
    const outside = join(tree({}), 'c.json');
    const named = inputs(root, outside);
    expect(inputs(root, outside).walk).toBe('hit');
    const [head, rest] = readFileSync(outside, 'utf8').split('\n') as [string, string];
    const w = JSON.parse(head);
    // (a list naming a file outside the root, or not as the walk writes paths, is not ours: nothing outside is read)
    const secret = `../${basename(tree({ '.github/workflows/secret.yml': 'on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: deno run -A main.ts\n' }))}/.github/workflows/secret.yml`;
    for (const walk of [{ ...w.walk, folders: [1] }, { ...w.walk, manifests: [-1] }, { ...w.walk, digest: 'x' }, { ...w.walk, files: [secret] }, { ...w.walk, files: ['./deno.json'] }]) {
      writeFileSync(outside, `${JSON.stringify({ ...w, walk })}\n${rest}`);
      const again = inputs(root, outside);
      expect(again.walk).toBe('miss');
      expect(again.files).toEqual(named.files);
    }
    expect(inputs(root, outside).walk).toBe('hit');
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
