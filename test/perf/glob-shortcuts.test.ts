/**
 * compileGlob answers the common shapes (`name`, `*.ext`, `prefix*`, `dir/**`, `**\/name`, `**\/name/**`) with
 * string tests instead of the NFA: they must agree with the NFA on every pattern and path.
 */
import { describe, expect, it } from 'vitest';
import { compileGlob, compileGlobReference } from '../../src/glob.js';
import { rng } from '../helpers.js';


const PATTERN_PIECES = ['a', 'b', '.', '/', '*', '**', '**/', '/**', '?', '[ab]', '[!a]', '{a,b}', 'ab', '.ts', 'x'];
const PATH_PIECES = ['a', 'b', '.', '/', 'ab', '.ts', 'x', 'ba', '//'];

describe('glob shortcuts agree with the NFA', () => {
  it.each([
    ['target', ['target', 'xtarget', 'target/x', '']],
    ['*.orig', ['a.orig', '.orig', 'd/a.orig', '/a.orig', 'orig', 'a.origx']],
    ['*/foo', ['a/foo', '/foo', 'foo', 'a/b/foo', 'afoo']],
    ['junit*', ['junit.xml', 'junit', 'junit/x', 'xjunit']],
    ['tests/**', ['tests/a', 'tests/a/b', 'tests', 'tests/', 'testsx/a']],
    ['**/.claude/settings.local.json', ['.claude/settings.local.json', 'a/.claude/settings.local.json', '/.claude/settings.local.json', 'a.claude/settings.local.json']],
    ['a/**/b.ts', ['a/b.ts', 'a/x/y/b.ts', 'a/xb.ts', 'ab.ts']],
    ['**/test/**', ['test/a', 'a/test/b', 'test', 'test/', 'atest/b', 'a/test', '/test/x', 'a//test/x', 'a/b/test/', 'tes/t/x']],
    ['**/a/b/**', ['a/b/c', 'x/a/b/', 'xa/b/c', 'a/bc', 'x/a/b']],
    ['Untitled*.ipynb', ['Untitled.ipynb', 'Untitled1.ipynb', 'Untitled/.ipynb', 'd/Untitled1.ipynb']],
  ])('%s', (pattern, paths) => {
    const fast = compileGlob(pattern);
    const ref = compileGlobReference(pattern);
    for (const p of paths) expect([p, fast(p)]).toEqual([p, ref(p)]);
  });

  it('on 3,000 generated patterns × 20 paths each', () => {
    const r = rng(13);
    const pick = (xs: string[]) => xs[Math.floor(r() * xs.length)]!;
    let mismatches = 0;
    let matched = 0;
    for (let k = 0; k < 3000; k++) {
      const pattern = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(PATTERN_PIECES)).join('');
      const fast = compileGlob(pattern);
      const ref = compileGlobReference(pattern);
      for (let j = 0; j < 20; j++) {
        const path = Array.from({ length: Math.floor(r() * 5) }, () => pick(PATH_PIECES)).join('');
        const want = ref(path);
        if (want) matched++;
        if (fast(path) !== want) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
    expect(matched).toBeGreaterThan(1000); // the generator does produce matches
  });
});

describe('IgnoreSet.forFolder', () => {
  it('answers for a folder\'s entries as the whole set does', async () => {
    const { IgnoreSet, parseIgnore } = await import('../../src/glob.js');
    const all = new IgnoreSet()
      .add(parseIgnore(['/target/', '/tests/wpt/runner/manifest.json', 'a/b*', '*.orig', '!keep.orig', '/x/**/y', 'c/[d]e', 'docs/{a,b/c}', '/tests/*/out', 'build/'].join('\n'), ''))
      .add(parseIgnore(['/gen', 'sub/*.ts', '!sub/keep.ts', '**/deep'].join('\n'), 'pkg'));
    const paths = [
      'target', 'src/target', 'tests/wpt/runner/manifest.json', 'tests/wpt/manifest.json', 'a/b1', 'a/b', 'z/a/b1', 'f.orig', 'q/keep.orig', 'x/y', 'x/m/n/y',
      'c/de', 'docs/a', 'docs/b/c', 'tests/u/out', 'tests/u/v/out', 'build', 'q/build', 'pkg/gen', 'gen', 'pkg/q/gen', 'pkg/sub/a.ts', 'pkg/sub/keep.ts', 'pkg/m/deep', 'deep',
    ];
    for (const p of paths) {
      const slash = p.lastIndexOf('/');
      const view = all.forFolder(slash < 0 ? '' : p.slice(0, slash));
      const name = p.slice(slash + 1);
      for (const dir of [true, false]) {
        expect([p, dir, view.ignoresEntry(p, dir)]).toEqual([p, dir, all.ignoresEntry(p, dir)]);
        // by the entry's name alone (the walk's question)
        expect([p, dir, view.ignoresName(name, dir)]).toEqual([p, dir, all.ignoresEntry(p, dir)]);
      }
    }
    // a folder sees only what can match there: the root, not the rules of pkg/ or of tests/wpt/runner
    expect(all.forFolder('').size).toBeLessThan(all.size);
  });

  it('a subfolder\'s view from its parent\'s is the folder\'s own view, whatever was added between (400 generated walks)', async () => {
    const { IgnoreSet, parseIgnore } = await import('../../src/glob.js');
    const r = rng(31);
    const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const folders = ['', 'a', 'a/b', 'a/b/c', 'a/x', 'b', 'b/a', 'b/a/b', 'tests', 'tests/u', 'tests/u/out', 'x', 'x/m', 'x/m/n'];
    const children = (d: string) => folders.filter((f) => f !== '' && f !== d && (d === '' ? !f.includes('/') : f.startsWith(`${d}/`) && !f.slice(d.length + 1).includes('/')));
    const lines = ['*.orig', '!keep.orig', '/b/', 'a/', '/a/b', '/tests/*/out', 'x/**/n', '**/c', 'b', '!b', '/x', '/m', 'n/', '*', '!a*', 'c/', '/c', 'a/b/', '**/a/**'];
    const names = ['a', 'b', 'c', 'x', 'm', 'n', 'out', 'u', 'f.orig', 'keep.orig', 'ab'];
    const gitignore = () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(lines)).join('\n');
    let fast = 0;
    const wrong: unknown[] = [];
    for (let k = 0; k < 400; k++) {
      const withIgnore = new Set(folders.filter(() => r() < 0.3));
      const set = new IgnoreSet();
      if (r() < 0.3) set.add(parseIgnore(gitignore(), '')); // the config's globs, or a folder above the root
      const stack: { dir: string; parent?: InstanceType<typeof IgnoreSet> }[] = [{ dir: pick(['', '', 'a', 'tests']) }];
      while (stack.length) {
        const { dir, parent } = stack.pop()!;
        if (withIgnore.has(dir)) set.add(parseIgnore(gitignore(), dir));
        // rules loaded out of the walk's order (any folder's, an ancestor's included)
        if (r() < 0.15) set.add(parseIgnore(gitignore(), pick(folders)));
        const view = parent ? set.forSubfolder(parent, dir) : set.forFolder(dir);
        const want = set.forFolder(dir);
        // (the parent's list again: no filtering)
        if (parent && (view as unknown as { rules: unknown }).rules === (parent as unknown as { rules: unknown }).rules) fast++;
        for (const name of names) for (const isDir of [true, false]) if (view.ignoresName(name, isDir) !== want.ignoresName(name, isDir)) wrong.push([k, dir, name, isDir]);
        if (view.size !== want.size) wrong.push([k, dir, 'size', view.size, want.size]);
        for (const c of children(dir).reverse()) stack.push({ dir: c, parent: view });
      }
    }
    expect(wrong).toEqual([]);
    expect(fast).toBeGreaterThan(500);
  });

  it('says no by a rule\'s literal end only where the rule cannot match (1,500 generated rule sets × 30 paths)', async () => {
    const { IgnoreSet, parseIgnore } = await import('../../src/glob.js');
    const r = rng(29);
    const pick = (xs: string[]) => xs[Math.floor(r() * xs.length)]!;
    const pieces = [...PATTERN_PIECES, '\\*', '\\a', '!', 'b]', 'ts', 's'];
    let ignored = 0;
    const wrong: unknown[] = [];
    for (let k = 0; k < 1500; k++) {
      const lines = Array.from({ length: 1 + Math.floor(r() * 3) }, () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(pieces)).join(''));
      const all = new IgnoreSet().add(parseIgnore(lines.join('\n'), ''));
      for (let j = 0; j < 30; j++) {
        const p = ['a', ...Array.from({ length: Math.floor(r() * 3) }, () => pick(['a', 'b', 'ab', 'x.ts', 'ba', 's', '*', 'b]']))].join('/');
        const slash = p.lastIndexOf('/');
        const dir = r() < 0.5;
        const want = all.ignoresEntry(p, dir);
        if (want) ignored++;
        if (all.forFolder(p.slice(0, slash)).ignoresName(p.slice(slash + 1), dir) !== want) wrong.push([lines, p, dir]);
      }
    }
    expect(wrong).toEqual([]);
    expect(ignored).toBeGreaterThan(1000); // the generator does produce matches
  });
});
