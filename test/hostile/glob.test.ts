/** The linear glob matcher (src/glob.ts): gitignore semantics, and no catastrophic backtracking. */
import { describe, expect, it } from 'vitest';
import { GlobError, IgnoreSet, compileGlob, parseIgnore, pathGlobMatcher } from '../../src/glob.js';
import { validateConfig } from '../../src/config.js';
import { KNOWN } from '../report/sarif-helpers.js';

describe('compileGlob', () => {
  it.each([
    ['*.sh', 'a.sh', true],
    ['*.sh', 'd/a.sh', false],
    ['**/*.sh', 'd/e/a.sh', true],
    ['**/*.sh', 'a.sh', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/xb', false],
    ['a/**', 'a/x/y', true],
    ['a/**', 'a', false],
    ['?.ts', 'ab.ts', false],
    ['[a-c]x', 'bx', true],
    ['[!a-c]x', 'bx', false],
    ['[^a-c]x', 'dx', true],
    ['x[/]y', 'x/y', false],
    ['{src,lib}/*.js', 'lib/a.js', true],
    ['{src,lib}/*.js', 'test/a.js', false],
    ['\\*.sh', '*.sh', true],
    ['\\*.sh', 'a.sh', false],
    ['a**b', 'axxb', true],
    ['a**b', 'ax/xb', false],
    ['[', '[', true],
  ])('%s ~ %s = %s', (g, s, want) => {
    expect(compileGlob(g)(s)).toBe(want);
  });

  it('*x*x*x…z against a long run of x answers at once (an NFA, not a backtracking regex)', () => {
    const m = compileGlob(`${'*x'.repeat(30)}*z`);
    expect(m('x'.repeat(5000))).toBe(false);
    expect(m(`${'x'.repeat(5000)}z`)).toBe(true);
    const deep = pathGlobMatcher(['**/a/**/a/**/a/**/a/**/a/**/b']);
    expect(deep(`${'a/'.repeat(2000)}c`)).toBe(false);
  });

  it('refuses patterns past the bounds: the config names the key', () => {
    expect(() => compileGlob('x'.repeat(2000))).toThrow(GlobError);
    expect(() => compileGlob('{a,b}'.repeat(10))).toThrow(/more than 256 patterns/);
    expect(validateConfig({ contexts: { ci: ['ok/**', '{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}'] } }, KNOWN)).toEqual(['contexts.ci[1]: the glob expands to more than 256 patterns']);
    expect(validateConfig({ overrides: [{ files: ['y'.repeat(1500)] }] }, KNOWN)).toEqual(['overrides[0].files[0]: the glob longer than 1024 characters']);
  });
});

describe('IgnoreSet (gitignore rules)', () => {
  it('names without a slash match at any depth, dir/ only folders, a slash anchors at the base, ! re-includes, last match wins', () => {
    const ig = new IgnoreSet().add(parseIgnore('# comment\n*.log\nbuild/\n/top.sh\ndocs/*.md\n!keep.log\n\\#lit\n', ''));
    expect(ig.ignores('a/b/x.log')).toBe(true);
    expect(ig.ignores('a/keep.log')).toBe(false);
    expect(ig.ignoresEntry('a/build', true)).toBe(true);
    expect(ig.ignoresEntry('a/build', false)).toBe(false);
    expect(ig.ignores('a/build/deno.json')).toBe(true);
    expect(ig.ignores('top.sh')).toBe(true);
    expect(ig.ignores('a/top.sh')).toBe(false);
    expect(ig.ignores('docs/x.md')).toBe(true);
    expect(ig.ignores('docs/y/x.md')).toBe(false);
    expect(ig.ignores('#lit')).toBe(true);
  });

  it('a nested .gitignore is relative to its folder', () => {
    const ig = new IgnoreSet().add(parseIgnore('/out\n', 'pkg/a'));
    expect(ig.ignores('pkg/a/out/x.sh')).toBe(true);
    expect(ig.ignores('out/x.sh')).toBe(false);
    expect(ig.ignores('pkg/out/x.sh')).toBe(false);
  });
});
