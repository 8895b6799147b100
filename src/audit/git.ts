/**
 * Read a tree at a git ref from the object store of the user's own repository, with plumbing
 * commands only (`rev-parse`, `ls-tree`, `cat-file --batch`), into an in-memory file system that
 * discovery and the scan read like the working tree. Nothing is checked out, no index is read or
 * written, nothing is written to disk (no temporary folder to leak or to forget), and nothing the
 * scanned repository configures can run: the repository's `.git/config` is still read by git, so
 * every git run has the system and global configs switched off, hooks pointed at /dev/null, no
 * fsmonitor, no pager, no lazy fetch of missing objects, and none of the commands that apply
 * filters, textconv or external diff drivers is used (`diff`, `status`, `checkout`, `cat-file
 * --filters`).
 */
import { posix } from 'node:path';
import { kindByName } from '../discover.js';
import { CONFIG_NAMES } from '../config.js';
import { memoryFs, type FileSystem } from '../fs.js';

export class GitError extends Error {}

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'vendor', '.deno', 'dist', 'coverage']);
const SNIFFABLE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;

/** The environment of every git run: nothing from outside the repository's own config, nothing interactive. */
export function gitEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  // keep what locates the repository and the binary; drop what would configure git from outside
  for (const k of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CEILING_DIRECTORIES']) {
    if (env[k] !== undefined) out[k] = env[k];
  }
  return {
    ...out,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_COUNT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_LAZY_FETCH: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    LC_ALL: 'C',
  };
}

/** Config given on every command line: overrides whatever the repository's config says. */
const SAFE_CONFIG = [
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.quotepath=false',
  '-c', 'protocol.allow=never',
  '-c', 'core.pager=cat',
  '--no-pager',
];

/** Whether this process may start git at all (Node's permission model may forbid child processes). */
function mayRunChildren(): boolean {
  const perm = (process as { permission?: { has(scope: string): boolean } }).permission;
  return !perm || perm.has('child');
}

function git(args: string[], cwd: string, input?: string): Buffer {
  if (!mayRunChildren()) {
    throw new GitError('reading the ref needs git, and Node\'s permission model forbids child processes here (run node with --allow-child-process)');
  }
  // (node:child_process loaded on this first use, not with the CLI: a lint run never spawns)
  const r = process.getBuiltinModule('node:child_process').spawnSync('git', [...SAFE_CONFIG, ...args], { cwd, input, maxBuffer: 1 << 30, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ERR_ACCESS_DENIED') throw new GitError('reading the ref needs git, and Node\'s permission model forbids child processes here (run node with --allow-child-process)');
    throw new GitError(code === 'ENOENT' ? 'cannot run git: it is not installed or not on PATH' : `cannot run git: ${code ?? r.error.message}`);
  }
  if (r.status !== 0) {
    const msg = r.stderr.toString('utf8').trim().split('\n')[0] ?? '';
    throw new GitError(`git ${args[0]} failed${msg ? `: ${msg.slice(0, 200)}` : ''}`);
  }
  return r.stdout;
}

/** The tree object a ref names; throws GitError when the folder is not in a repository or the ref is unknown. */
export function resolveTree(ref: string, cwd: string): string {
  if (ref === '' || ref.startsWith('-') || /[\0\n]/.test(ref)) throw new GitError(`\`${ref}\` is not a git ref`);
  try {
    git(['rev-parse', '--is-inside-work-tree'], cwd);
  } catch (e) {
    if (e instanceof GitError && /permission model|cannot run git/.test(e.message)) throw e;
    throw new GitError('not inside a git working tree (permlint diff compares a git ref with the working tree)');
  }
  try {
    return git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{tree}`], cwd).toString('utf8').trim();
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
  const base = parts[parts.length - 1]!;
  if (base === '.gitignore' || CONFIG_NAMES.includes(path)) return true;
  if (kindByName(path)) return true;
  return !base.includes('.') || SNIFFABLE.test(base);
}

/** Read blobs in one `git cat-file --batch` run (raw objects: no filters, no textconv). */
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
  /** The ref's files that permlint may read, in memory, rooted at `dir`. */
  fs: FileSystem;
  /** The folder of `fs` that stands for cwd (`/`). */
  dir: string;
  /** Paths (relative to cwd) of every file in the ref's tree under cwd, read or not. */
  paths: Set<string>;
  /** Nothing to remove (kept for callers that dispose of what they materialised). */
  dispose(): void;
}

/** The ref's files under cwd that discovery may read, as an in-memory file system. */
export function materializeTree(tree: string, cwd: string, maxFileBytes = 2 * 1024 * 1024): RefTree {
  const entries = listTree(tree, cwd);
  const wanted = entries.filter((e) => candidate(e.path) && e.size <= maxFileBytes);
  const blobs = readBlobs([...new Set(wanted.map((e) => e.oid))], cwd);
  const files: Record<string, Uint8Array> = {};
  for (const e of wanted) {
    const data = blobs.get(e.oid);
    if (data) files[posix.join('/', e.path)] = data;
  }
  return { fs: memoryFs(files), dir: '/', paths: new Set(entries.map((e) => e.path)), dispose: () => {} };
}
