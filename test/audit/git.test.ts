import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GitError, detectRenames, materializeTree, resolveTree } from '../../src/audit/git.js';

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
  it('writes the files discovery can read, skips symlinks, node_modules and unrelated files, and cleans up', () => {
    const dir = repo({ 'deno.json': '{"tasks":{}}', 'sub/run.sh': 'deno run x.ts\n', 'node_modules/x/package.json': '{}', 'README.md': '# x', 'bin/tool': '#!/usr/bin/env node\n' });
    symlinkSync('/etc/passwd', join(dir, 'link.sh'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'x');
    writeFileSync(join(dir, 'deno.json'), '{"tasks":{"changed":"deno run y.ts"}}');
    const t = materializeTree(resolveTree('HEAD', dir), dir);
    try {
      expect(readFileSync(join(t.dir, 'deno.json'), 'utf8')).toBe('{"tasks":{}}');
      expect(readFileSync(join(t.dir, 'sub/run.sh'), 'utf8')).toBe('deno run x.ts\n');
      expect(existsSync(join(t.dir, 'bin/tool'))).toBe(true);
      expect(existsSync(join(t.dir, 'node_modules'))).toBe(false);
      expect(existsSync(join(t.dir, 'README.md'))).toBe(false);
      expect(existsSync(join(t.dir, 'link.sh'))).toBe(false);
      expect(t.paths.has('README.md')).toBe(true);
    } finally {
      t.dispose();
    }
    expect(existsSync(t.dir)).toBe(false);
  });

  it('lists only the subtree of the folder it runs in, with paths relative to it', () => {
    const dir = repo({ 'a/run.sh': 'deno run a.ts\n', 'b/run.sh': 'deno run b.ts\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'x');
    const t = materializeTree(resolveTree('HEAD', join(dir, 'a')), join(dir, 'a'));
    try {
      expect([...t.paths]).toEqual(['run.sh']);
      expect(readFileSync(join(t.dir, 'run.sh'), 'utf8')).toBe('deno run a.ts\n');
    } finally {
      t.dispose();
    }
  });

  it("detects renames with git's rename detection (staged moves, renamed base names)", () => {
    const dir = repo({ 'scripts/start.sh': 'set -e\necho one\necho two\necho three\ndeno run --allow-net main.ts\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'x');
    mkdirSync(join(dir, 'bin'));
    git(dir, 'mv', 'scripts/start.sh', 'bin/launch.sh');
    expect(detectRenames('HEAD', dir)).toEqual(new Map([['scripts/start.sh', 'bin/launch.sh']]));
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
