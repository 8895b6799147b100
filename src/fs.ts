/**
 * The file system permlint reads through: discovery walks it and the scan reads files from it.
 * Two implementations: `nodeFs` (the real disk) and `memoryFs` (a tree held in memory, for tests
 * and for callers of `lint()` that have the files already). Paths are absolute, with the host's
 * separators for `nodeFs` and `/` for `memoryFs` (rooted at `/`).
 *
 * Only reading: nothing here writes, executes or follows a link on its own (`stat` and `realpath`
 * do, because their callers ask them to, to check where a link points).
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { describeType, readRegularFile } from './fsafe.js';
import { posix } from 'node:path';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface DirEntry {
  name: string;
  type: EntryType;
}

export interface FileStat {
  type: EntryType;
  /** Bytes (0 for anything but a file). */
  size: number;
  /** For `other`: what it is (`a FIFO (named pipe)`, `a character device`, …). */
  detail?: string;
}

export interface FileSystem {
  /** Entries of a folder, unsorted; throws when it is not a readable folder. */
  readdir(path: string): DirEntry[];
  /** The entry itself (a symbolic link is `symlink`). */
  lstat(path: string): FileStat;
  /** What the path leads to, links followed. */
  stat(path: string): FileStat;
  /**
   * The file's bytes; with `maxBytes`, at most that many from the start. Anything but a regular
   * file is refused (error); with `noFollow`, so is a path whose last component is a symbolic link (ELOOP).
   * With `borrow`, the bytes may be a view of a buffer the next borrowing read fills again: the
   * caller copies (or decodes) what it keeps before it reads another file that way. With
   * `listed` (a walk's file, said regular by its folder's listing, read with `noFollow`), the
   * disk's read may trust the listing and read without asking the type again (src/fsafe.ts `readListedFile`).
   */
  readFile(path: string, maxBytes?: number, options?: { noFollow?: boolean; borrow?: boolean; listed?: boolean }): Uint8Array;
  /** The path with every link resolved. */
  realpath(path: string): string;
  /** The folder relative paths start from when the caller names none. */
  cwd(): string;
}

function typeOf(st: Stats): EntryType {
  return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'other';
}

function statOfNode(st: Stats): FileStat {
  const type = typeOf(st);
  return type === 'other' ? { type, size: 0, detail: describeType(st) } : { type, size: st.isFile() ? st.size : 0 };
}

const LISTING = { withFileTypes: true } as const;

/** The real disk. */
export const nodeFs: FileSystem = {
  readdir: (path) => {
    // (pushed one by one: every list the walk gets is then an array of one kind, where map()'s
    // result is of another kind once map() is optimised, and code made for one is thrown away)
    const out: DirEntry[] = [];
    // (an indexed loop: a for-of makes an iterator result per entry until the code is optimised)
    const ds = readdirSync(path, LISTING);
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i]!;
      out.push({ name: d.name, type: d.isFile() ? 'file' : d.isDirectory() ? 'directory' : d.isSymbolicLink() ? 'symlink' : 'other' });
    }
    return out;
  },
  lstat: (path) => statOfNode(lstatSync(path)),
  stat: (path) => statOfNode(statSync(path)),
  // the safe opener: non-blocking, regular files only, never more than asked (src/fsafe.ts)
  readFile: (path, maxBytes, options) => readRegularFile(path, maxBytes, options?.noFollow, options?.borrow, options?.listed),
  realpath: (path) => realpathSync(path),
  cwd: () => process.cwd(),
};

function fsError(code: 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'ELOOP', path: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: ${path}`);
  e.code = code;
  e.path = path;
  return e;
}

export interface MemoryFsOptions {
  /** Symbolic links: absolute or relative path of the link → its target as written. */
  symlinks?: Record<string, string>;
}

/**
 * A read-only tree in memory: `memoryFs({ 'deno.json': '{…}', 'app/Dockerfile': 'FROM …' })`.
 * Keys are paths relative to `/` (a leading `/` is allowed); folders are implied by the files.
 */
export function memoryFs(files: Record<string, string | Uint8Array>, options: MemoryFsOptions = {}): FileSystem {
  const enc = new TextEncoder();
  type Node = { type: 'file'; data: Uint8Array } | { type: 'directory'; children: Map<string, Node> } | { type: 'symlink'; target: string };
  const root: Node = { type: 'directory', children: new Map() };
  const norm = (p: string) => posix.resolve('/', p);
  const place = (path: string, node: Node) => {
    const parts = norm(path).split('/').filter(Boolean);
    if (!parts.length) throw new Error('memoryFs: a file cannot be the root');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.children.get(part);
      if (!next) dir.children.set(part, (next = { type: 'directory', children: new Map() }));
      if (next.type !== 'directory') throw new Error(`memoryFs: ${path} is inside a file`);
      dir = next;
    }
    dir.children.set(parts[parts.length - 1]!, node);
  };
  for (const [p, content] of Object.entries(files)) place(p, { type: 'file', data: typeof content === 'string' ? enc.encode(content) : content });
  for (const [p, target] of Object.entries(options.symlinks ?? {})) place(p, { type: 'symlink', target });

  /** The node at `path` and its real path; links followed everywhere, or all but the last part. */
  const walk = (path: string, followLast: boolean, depth = 0): { node: Node; real: string } => {
    if (depth > 40) throw fsError('ELOOP', path);
    const parts = norm(path).split('/').filter(Boolean);
    let node: Node = root;
    let real = '/';
    for (const [i, part] of parts.entries()) {
      if (node.type !== 'directory') throw fsError('ENOTDIR', path);
      const child = node.children.get(part);
      if (!child) throw fsError('ENOENT', path);
      const here = posix.join(real, part);
      if (child.type === 'symlink' && (followLast || i < parts.length - 1)) {
        const r = walk(posix.resolve(real, child.target), true, depth + 1);
        node = r.node;
        real = r.real;
      } else {
        node = child;
        real = here;
      }
    }
    return { node, real };
  };
  const statOf = (node: Node): FileStat => (node.type === 'file' ? { type: 'file', size: node.data.length } : { type: node.type, size: 0 });

  return {
    readdir: (path) => {
      const { node } = walk(path, true);
      if (node.type !== 'directory') throw fsError('ENOTDIR', path);
      return [...node.children].map(([name, n]) => ({ name, type: n.type }));
    },
    lstat: (path) => statOf(walk(path, false).node),
    stat: (path) => statOf(walk(path, true).node),
    readFile: (path, maxBytes, opts) => {
      const { node } = walk(path, !opts?.noFollow);
      if (node.type === 'symlink') throw fsError('ELOOP', path);
      if (node.type !== 'file') throw fsError('EISDIR', path);
      return maxBytes === undefined ? node.data : node.data.subarray(0, maxBytes);
    },
    realpath: (path) => walk(path, true).real,
    cwd: () => '/',
  };
}
