import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GitError, materializeTree, resolveTree } from '../../src/audit/git.js';
import type { RefTree } from '../../src/audit/git.js';

const read = (t: RefTree, p: string) => Buffer.from(t.fs.readFile(join(t.dir, p))).toString('utf8');
const has = (t: RefTree, p: string) => {
  try {
    t.fs.lstat(join(t.dir, p));
    return true;
  } catch {
    return false;
  }
};

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-git-'));
  git(dir, 'init', '-q');
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
  return dir;
}

describe('reading a ref from git objects', () => {
  it('reads the files discovery can read into memory, skips symlinks, node_modules and unrelated files, writes nothing', () => {
    const dir = repo({ 'deno.json': '{"tasks":{}}', 'sub/run.sh': 'deno run x.ts\n', 'node_modules/x/package.json': '{}', 'README.md': '# x', 'bin/tool': '#!/usr/bin/env node\n' });
    symlinkSync('/etc/passwd', join(dir, 'link.sh'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'x');
    writeFileSync(join(dir, 'deno.json'), '{"tasks":{"changed":"deno run y.ts"}}');
    const t = materializeTree(resolveTree('HEAD', dir), dir);
    expect(read(t, 'deno.json')).toBe('{"tasks":{}}');
    expect(read(t, 'sub/run.sh')).toBe('deno run x.ts\n');
    expect(has(t, 'bin/tool')).toBe(true);
    expect(has(t, 'node_modules')).toBe(false);
    expect(has(t, 'README.md')).toBe(false);
    expect(has(t, 'link.sh')).toBe(false);
    expect(t.paths.has('README.md')).toBe(true);
  });

  it('lists only the subtree of the folder it runs in, with paths relative to it', () => {
    const dir = repo({ 'a/run.sh': 'deno run a.ts\n', 'b/run.sh': 'deno run b.ts\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'x');
    const t = materializeTree(resolveTree('HEAD', join(dir, 'a')), join(dir, 'a'));
    expect([...t.paths]).toEqual(['run.sh']);
    expect(read(t, 'run.sh')).toBe('deno run a.ts\n');
  });

  it('refuses unknown refs, option-like refs and folders outside a repository', () => {
    const dir = repo({ 'x.sh': 'x\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'x');
    expect(() => resolveTree('nope', dir)).toThrow(GitError);
    expect(() => resolveTree('--output=/tmp/x', dir)).toThrow(/not a git ref/);
    expect(resolveTree('HEAD', dir)).toMatch(/^[0-9a-f]{40,64}$/);
  });
});
