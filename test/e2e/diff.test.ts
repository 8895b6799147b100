import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runMain } from '../helpers.js';

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=permlint-test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function write(dir: string, files: Record<string, string>) {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

/** A temporary repository with `files` committed on `main`. */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-diff-'));
  git(dir, 'init', '-q', '-b', 'main');
  write(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

const denoJson = (tasks: Record<string, string>) => `${JSON.stringify({ tasks }, null, 2)}\n`;

async function json(dir: string, ...args: string[]) {
  const r = await runMain(['diff', ...args, '--format', 'json'], dir);
  expect(r.stderr).toBe('');
  return { code: r.code, doc: JSON.parse(r.stdout) };
}

describe('permlint diff <ref> (the CLI in process, in temporary git repositories)', () => {
  it('widening a scoped read to unscoped exits 1 and names the invocation and the kind', async () => {
    const dir = repo({ 'deno.json': denoJson({ start: 'deno run --allow-read=/tmp main.ts', other: 'deno run main.ts' }) });
    write(dir, { 'deno.json': denoJson({ start: 'deno run --allow-read main.ts', other: 'deno run main.ts' }) });
    const { code, doc } = await json(dir, 'HEAD');
    expect(code).toBe(1);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['version', 'widened', 'narrowed', 'added', 'removed']));
    expect(doc.version).toBe(1);
    expect(doc.widened).toHaveLength(1);
    expect(doc.widened[0]).toMatchObject({ id: 'deno.json#task:start', file: 'deno.json', line: 3, name: 'start', kinds: { read: { before: ['/tmp'], after: 'all' } } });
    expect(Object.keys(doc.widened[0].kinds)).toEqual(['read']);
    expect(doc.narrowed).toEqual([]);
    expect(doc.added).toEqual([]);
    expect(doc.removed).toEqual([]);

    const human = await runMain(['diff', 'HEAD'], dir);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('task:start');
    expect(human.stdout).toMatch(/read\s+\/tmp → all/);
    const md = await runMain(['diff', 'HEAD', '--format', 'markdown'], dir);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('| `deno.json:3` | task:start | `deno run main.ts` | read | /tmp | all |');
  });

  it('narrowing only exits 0 and lists the narrowed kinds', async () => {
    const dir = repo({ 'run.sh': 'deno run --allow-net --allow-read=/a,/b main.ts\n' });
    write(dir, { 'run.sh': 'deno run --allow-net=api.example.com --allow-read=/a main.ts\n' });
    const { code, doc } = await json(dir, 'HEAD');
    expect(code).toBe(0);
    expect(doc.widened).toEqual([]);
    expect(doc.narrowed).toHaveLength(1);
    expect(doc.narrowed[0].kinds).toEqual({
      net: { before: 'all', after: ['api.example.com'], lost: 'all' },
      read: { before: ['/a', '/b'], after: ['/a'], lost: ['/b'] },
    });
    expect((await runMain(['diff', 'HEAD'], dir)).code).toBe(0);
  });

  it('renaming a file (git mv) is a move, not a widening or an add/remove', async () => {
    const dir = repo({ 'scripts/start.sh': '#!/bin/sh\nset -e\necho starting\ndeno run --allow-net=api.example.com main.ts\n' });
    git(dir, 'mv', 'scripts/start.sh', 'scripts/serve.sh');
    const { code, doc } = await json(dir, 'HEAD');
    expect(code).toBe(0);
    expect(doc.widened).toEqual([]);
    expect(doc.added).toEqual([]);
    expect(doc.removed).toEqual([]);
    expect(doc.moved).toEqual([{ id: 'scripts/serve.sh#sh#3', from: { file: 'scripts/start.sh', line: 4 }, to: { file: 'scripts/serve.sh', line: 4 } }]);
  });

  it('a rename git cannot see yet (new file untracked) is still a move; a rename that also widens is reported at the new path', async () => {
    const script = '#!/bin/sh\nset -e\necho starting\necho again\ndeno run --allow-read=/srv main.ts\n';
    const dir = repo({ 'start.sh': script });
    renameSync(join(dir, 'start.sh'), join(dir, 'serve.sh'));
    const plain = await json(dir, 'HEAD');
    expect(plain.code).toBe(0);
    expect(plain.doc.moved).toHaveLength(1);
    expect(plain.doc.added).toEqual([]);
    expect(plain.doc.removed).toEqual([]);

    write(dir, { 'serve.sh': script.replace('--allow-read=/srv', '--allow-read=/srv,/etc') });
    const wider = await json(dir, 'HEAD');
    expect(wider.code).toBe(1);
    expect(wider.doc.widened).toHaveLength(1);
    expect(wider.doc.widened[0]).toMatchObject({ file: 'serve.sh', before: { file: 'start.sh', line: 5 }, kinds: { read: { gained: ['/etc'] } } });
    expect(wider.doc.added).toEqual([]);
  });

  it('a task moved to another line is matched, not reported as removed and added', async () => {
    const dir = repo({ 'deno.json': denoJson({ build: 'deno run --allow-write=dist build.ts', start: 'deno run --allow-net=:8000 main.ts' }) });
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'second');
    // reorder, insert a task above, and add an unrelated command above a script's runtime call
    write(dir, {
      'deno.json': `{\n  "compilerOptions": {},\n  "tasks": {\n    "fmt": "deno fmt",\n    "start": "deno run --allow-net=:8000 main.ts",\n    "build": "deno run --allow-write=dist build.ts"\n  }\n}\n`,
    });
    const { code, doc } = await json(dir, 'main');
    expect(code).toBe(0);
    expect(doc.removed).toEqual([]);
    expect(doc.widened).toEqual([]);
    expect(doc.narrowed).toEqual([]);
    // the new `deno fmt` task is an addition that grants nothing
    expect(doc.added).toEqual([expect.objectContaining({ id: 'deno.json#task:fmt', line: 4, widens: false })]);
  });

  it('a command inserted above another in a script does not pair unrelated commands', async () => {
    const dir = repo({ 'run.sh': 'deno run -A tool.ts\ndeno run main.ts\n' });
    write(dir, { 'run.sh': 'echo hello\ndeno run -A tool.ts\ndeno run main.ts\n' });
    const { code, doc } = await json(dir, 'HEAD');
    expect(code).toBe(0);
    expect(doc.widened).toEqual([]);
    expect(doc.added).toEqual([]);
    expect(doc.removed).toEqual([]);
  });

  it('compares committed history too, reads only git objects, and changes nothing in the repository', async () => {
    const dir = repo({ 'package.json': '{ "scripts": { "serve": "node --permission --allow-fs-read=/srv app.js" } }\n' });
    write(dir, { 'package.json': '{ "scripts": { "serve": "node app.js" } }\n' });
    git(dir, 'commit', '-q', '-am', 'drop the permission model');
    write(dir, { 'notes.txt': 'untracked\n' });
    const status = git(dir, 'status', '--porcelain');
    const head = git(dir, 'rev-parse', 'HEAD');
    const { code, doc } = await json(dir, 'HEAD~1');
    expect(code).toBe(1);
    expect(doc.widened[0].kinds.write).toEqual({ before: 'none', after: 'all', gained: 'all' });
    expect(doc.widened[0].kinds.read).toMatchObject({ before: ['/srv'], after: 'all' });
    expect(git(dir, 'status', '--porcelain')).toBe(status);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('an added invocation that grants something exits 1; a removed one exits 0', async () => {
    const dir = repo({ 'deno.json': denoJson({ a: 'deno run main.ts' }) });
    write(dir, { 'deno.json': denoJson({ a: 'deno run main.ts', b: 'deno run -A tool.ts' }) });
    const added = await json(dir, 'HEAD');
    expect(added.code).toBe(1);
    expect(added.doc.added).toEqual([expect.objectContaining({ id: 'deno.json#task:b', widens: true })]);
    write(dir, { 'deno.json': denoJson({}) });
    const removed = await json(dir, 'HEAD');
    expect(removed.code).toBe(0);
    expect(removed.doc.removed).toEqual([expect.objectContaining({ id: 'deno.json#task:a' })]);
  });

  it('limits the comparison to the paths given, from a subfolder as well', async () => {
    const dir = repo({ 'a/run.sh': 'deno run --allow-read=/x main.ts\n', 'b/run.sh': 'deno run --allow-read=/x main.ts\n' });
    write(dir, { 'a/run.sh': 'deno run --allow-read main.ts\n' });
    expect((await json(dir, 'HEAD', 'b')).code).toBe(0);
    expect((await json(dir, 'HEAD', 'a')).code).toBe(1);
    const sub = await json(join(dir, 'a'), 'HEAD');
    expect(sub.code).toBe(1);
    expect(sub.doc.widened[0].file).toBe('run.sh');
    // a folder deleted since the ref is compared (everything in it removed); one that exists nowhere is an error
    rmSync(join(dir, 'b'), { recursive: true });
    const gone = await json(dir, 'HEAD', 'b');
    expect(gone.code).toBe(0);
    expect(gone.doc.removed.map((e: { id: string }) => e.id)).toEqual(['b/run.sh#sh']);
    const nowhere = await runMain(['diff', 'HEAD', 'c'], dir);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no such file or directory');
  });

  it("uses the ref's config: a change cannot hide what it widens by adding an ignore glob", async () => {
    const dir = repo({ 'deploy/run.sh': 'deno run --allow-net=api.example.com main.ts\n', 'permlint.config.json': '{ "ignore": ["vendor-tools/**"] }\n' });
    write(dir, { 'deploy/run.sh': 'deno run -A main.ts\n', 'permlint.config.json': '{ "ignore": ["vendor-tools/**", "deploy/**"] }\n' });
    const hidden = await json(dir, 'HEAD');
    expect(hidden.code).toBe(1);
    expect(hidden.doc.widened.map((e: { file: string }) => e.file)).toEqual(['deploy/run.sh']);
    // the base's own ignore globs apply to both sides
    const dir2 = repo({ 'vendor-tools/x.sh': 'deno run main.ts\n', 'permlint.config.json': '{ "ignore": ["vendor-tools/**"] }\n' });
    write(dir2, { 'vendor-tools/x.sh': 'deno run -A main.ts\n' });
    expect((await json(dir2, 'HEAD')).code).toBe(0);
    expect((await json(dir2, 'HEAD', '--no-config')).code).toBe(1);
  });

  it('exits 2 on a bad ref, a missing ref, an option-like ref and outside a repository', async () => {
    const dir = repo({ 'run.sh': 'deno run main.ts\n' });
    const bad = await runMain(['diff', 'no-such-branch'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown git ref `no-such-branch`');
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    expect((await runMain(['diff'], dir)).code).toBe(2);
    expect((await runMain(['diff', '--', '--output=x'], dir)).code).toBe(2);
    const outside = mkdtempSync(join(tmpdir(), 'permlint-nogit-'));
    const r = await runMain(['diff', 'HEAD'], outside, { GIT_CEILING_DIRECTORIES: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not inside a git working tree');
  });
});
