/**
 * Read a tree at a git ref from the object store of the user's own repository, with the git
 * binary and plumbing commands only (`rev-parse`, `ls-tree`, `cat-file --batch`, `diff
 * --name-status`). Nothing is checked out, no index is written, nothing from the tree runs:
 * blob contents are written as plain files into a private temporary folder, which the normal
 * discovery and scan then read exactly as they read the working tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { kindByName } from '../discover.js';
import { CONFIG_NAMES } from '../config.js';

export class GitError extends Error {}

const SNIFFABLE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'vendor', '.deno', 'dist', 'coverage']);

function git(args: string[], cwd: string, input?: string): Buffer {
  const r = spawnSync('git', ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=false', ...args], {
    cwd,
    input,
    maxBuffer: 1 << 30,
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' },
  });
  if (r.error) throw new GitError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) {
    const msg = r.stderr.toString('utf8').trim().split('\n')[0] ?? '';
    throw new GitError(`git ${args[0]} failed${msg ? `: ${msg}` : ''}`);
  }
  return r.stdout;
}

/** The tree object a ref names; throws GitError when the folder is not in a repository or the ref is unknown. */
export function resolveTree(ref: string, cwd: string): string {
  if (ref === '' || ref.startsWith('-') || /[\0\n]/.test(ref)) throw new GitError(`\`${ref}\` is not a git ref`);
  try {
    git(['rev-parse', '--is-inside-work-tree'], cwd);
  } catch {
    throw new GitError('not inside a git working tree (permlint diff compares a git ref with the working tree)');
  }
  try {
    return git(['rev-parse', '--verify', '--quiet', `${ref}^{tree}`], cwd).toString('utf8').trim();
  } catch {
    throw new GitError(`unknown git ref \`${ref}\``);
  }
}

interface TreeEntry {
  mode: string;
  oid: string;
  size: number;
  /** Relative to cwd, forward slashes. */
  path: string;
}

/** Files of the tree under cwd (paths relative to cwd), as `git ls-tree -r` lists them. */
function listTree(tree: string, cwd: string): TreeEntry[] {
  const out = git(['ls-tree', '-r', '-z', '-l', tree, '--', '.'], cwd).toString('utf8');
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid, size] = rec.slice(0, tab).split(/ +/);
    const path = rec.slice(tab + 1);
    if (type !== 'blob' || !mode || !oid || (mode !== '100644' && mode !== '100755')) continue; // symlinks, submodules
    entries.push({ mode, oid, size: Number(size), path });
  }
  return entries;
}

/** Whether discovery could take the file at all (by name, or by a content sniff it may need). */
function candidate(path: string): boolean {
  const parts = path.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || SKIPPED_DIRS.has(p))) return false;
  if (path === '.gitignore' || CONFIG_NAMES.includes(path)) return true;
  if (kindByName(path)) return true;
  const base = parts[parts.length - 1]!;
  return !base.includes('.') || SNIFFABLE.test(base);
}

/** Read blobs in one `git cat-file --batch` run. */
function readBlobs(oids: string[], cwd: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (oids.length === 0) return out;
  const buf = git(['cat-file', '--batch'], cwd, `${oids.join('\n')}\n`);
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) break;
    const [oid, type, size] = buf.subarray(pos, nl).toString('utf8').split(' ');
    pos = nl + 1;
    if (type === 'missing' || !oid || size === undefined) continue;
    const n = Number(size);
    out.set(oid, buf.subarray(pos, pos + n));
    pos += n + 1;
  }
  return out;
}

export interface RefTree {
  /** A temporary folder holding the files of the ref that permlint may read (remove with `dispose`). */
  dir: string;
  /** Paths (relative to cwd) of every file in the ref's tree under cwd, read or not. */
  paths: Set<string>;
  dispose(): void;
}

/** Write the ref's files that discovery may read into a temporary folder. */
export function materializeTree(tree: string, cwd: string, maxFileBytes = 2 * 1024 * 1024): RefTree {
  const entries = listTree(tree, cwd);
  const wanted = entries.filter((e) => candidate(e.path) && e.size <= maxFileBytes);
  const blobs = readBlobs([...new Set(wanted.map((e) => e.oid))], cwd);
  const dir = mkdtempSync(join(tmpdir(), 'permlint-ref-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    for (const e of wanted) {
      const data = blobs.get(e.oid);
      if (!data) continue;
      const abs = join(dir, ...e.path.split('/'));
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, data, { mode: 0o600 });
    }
  } catch (err) {
    dispose();
    throw err;
  }
  return { dir, paths: new Set(entries.map((e) => e.path)), dispose };
}

/**
 * Renames between the ref and the working tree that git detects (`git diff --name-status -M`),
 * old path → new path, both relative to cwd. Only files git tracks take part.
 */
export function detectRenames(ref: string, cwd: string): Map<string, string> {
  const out = git(['diff', '--name-status', '-z', '-M', '--relative', '--no-ext-diff', '--no-textconv', ref, '--'], cwd).toString('utf8');
  const words = out.split('\0');
  const renames = new Map<string, string>();
  for (let i = 0; i < words.length; ) {
    const status = words[i++];
    if (!status) continue;
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = words[i++];
      const to = words[i++];
      if (status.startsWith('R') && from && to) renames.set(from, to);
    } else i++;
  }
  return renames;
}
