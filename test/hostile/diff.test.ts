/**
 * Hostile trees, part 3: `permlint diff` on a repository whose `.git` is hostile (issue 16,
 * items 7 and 10). Filters, textconv, fsmonitor, a pager and hooks are planted; none may run.
 * Under Node's permission model, no child process means a clear message, and no write
 * permission means nothing changes (the ref is read into memory; there is no temporary folder).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';
import { MAX_RSS_KB, SECRET, cleanup, figures, record, runCli, tempTree } from './harness.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) cleanup(d);
  console.log(figures.map((f) => `${f.name}: exit ${f.code}, ${f.seconds} s, ${f.peakMb} MB`).join('\n'));
});

function git(dir: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

/** A repository with a committed deno.json, a widened working copy, and every hook and driver git could run planted. */
function trappedRepo(): { dir: string; marker: string } {
  const dir = tempTree({ 'deno.json': JSON.stringify({ tasks: { a: 'deno run --allow-read main.ts' } }), '.gitattributes': '* filter=evil diff=evil merge=evil\n' });
  dirs.push(dir);
  const marker = join(dir, 'MARKER');
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const touch = (what: string) => `sh -c 'echo ${SECRET} >&2; touch ${marker}.${what}'; cat`;
  for (const [k, v] of [
    ['filter.evil.clean', touch('clean')],
    ['filter.evil.smudge', touch('smudge')],
    ['filter.evil.process', `touch ${marker}.process`],
    ['filter.evil.required', 'true'],
    ['diff.evil.textconv', touch('textconv')],
    ['diff.evil.command', touch('extdiff')],
    ['diff.external', touch('external')],
    ['core.fsmonitor', `touch ${marker}.fsmonitor; echo`],
    ['core.pager', touch('pager')],
    ['core.hooksPath', join(dir, 'hooks')],
    ['core.sshCommand', touch('ssh')],
    ['uploadpack.packObjectsHook', touch('packobjects')],
  ]) git(dir, 'config', k!, v!);
  mkdirSync(join(dir, 'hooks'));
  for (const h of ['post-index-change', 'reference-transaction', 'post-checkout', 'pre-auto-gc']) {
    writeFileSync(join(dir, 'hooks', h), `#!/bin/sh\ntouch ${marker}.hook-${h}\n`);
    chmodSync(join(dir, 'hooks', h), 0o755);
    writeFileSync(join(dir, '.git/hooks', h), `#!/bin/sh\ntouch ${marker}.githook-${h}\n`);
    chmodSync(join(dir, '.git/hooks', h), 0o755);
  }
  writeFileSync(join(dir, 'deno.json'), JSON.stringify({ tasks: { a: 'deno run -A main.ts' } }));
  return { dir, marker };
}

const markers = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('MARKER'));
const refCopies = () => readdirSync(tmpdir()).filter((f) => f.startsWith('permlint-ref-'));

describe('hostile .git: permlint diff', () => {
  it('no filter, textconv, external diff, fsmonitor, pager or hook of the scanned repository runs; the index is not written', async () => {
    const { dir } = trappedRepo();
    const index = join(dir, '.git/index');
    const before = spawnSync('stat', ['-c', '%Y %s', index], { encoding: 'utf8' }).stdout;
    const r = record('diff with planted filters and hooks', await runCli(['diff', 'HEAD'], dir));
    expect(markers(dir)).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('widened (1)');
    expect(r.peakKb).toBeLessThan(MAX_RSS_KB);
    expect(spawnSync('stat', ['-c', '%Y %s', index], { encoding: 'utf8' }).stdout).toBe(before);
    const json = await runCli(['diff', 'HEAD', '--format', 'json'], dir);
    expect(markers(dir)).toEqual([]);
    expect(JSON.parse(json.stdout).widened).toHaveLength(1);
  });

  it('under the permission model without child processes: a clear message, exit 2 (not "not a git working tree")', async () => {
    const { dir } = trappedRepo();
    const r = record('diff without --allow-child-process', await runCli(['diff', 'HEAD'], dir, { nodeArgs: ['--experimental-permission', `--allow-fs-read=*`, '--no-warnings'] }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Node's permission model forbids child processes");
    expect(r.stderr).not.toContain('not inside a git working tree');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('under the permission model without write permission: works, writes nothing, leaves no copy of the repository behind', async () => {
    const { dir } = trappedRepo();
    const copies = refCopies().length;
    const r = record(
      'diff without write permission',
      await runCli(['diff', 'HEAD'], dir, { nodeArgs: ['--experimental-permission', `--allow-fs-read=${ROOT}/`, `--allow-fs-read=${dir}/`, '--allow-child-process', '--no-warnings'] }),
    );
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(1);
    expect(markers(dir)).toEqual([]);
    expect(refCopies().length).toBe(copies);
    expect(existsSync(join(dir, 'MARKER'))).toBe(false);
  });
});
