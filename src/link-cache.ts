/**
 * The opt-in cache of a pre-commit run's link-only walk (`--cache`): for each folder of the tree,
 * the entries the walk can use (sub-folders, links, `.gitignore`, and the files whose name gives
 * them a kind that can link, src/lint.ts `linkInputsFs`), kept with the folder's own stat.
 *
 * A folder's entry list changes only with its modification time: adding, removing or renaming an
 * entry sets it (and its change time, which no tool can set back). So when a folder's mtime,
 * ctime and inode are what the cache holds, its entries are taken from the cache instead of being
 * listed; anything else lists it again. Nothing else is taken from the cache: the candidates'
 * texts and every `.gitignore` are read as in a run without it, and discovery's own pruning,
 * ignore rules and link checks run unchanged — a run with the cache finds the same files as one
 * without. A folder changed in the last few seconds is not stored (a change in the same clock tick
 * as the listing would keep its mtime).
 *
 * A whole walk is kept too (`walkFiles`, `keepWalk`): the files it found, the folders on the
 * way to the named paths whose manifests it let through, and every other question it asked the
 * disk with the answer (the root's real path, where `.git` is, each `.gitignore` read with its
 * stat, or missing). When every folder's stat and every answer are as kept, the next run names
 * those files to discovery directly and does not walk at all; a walk that listed a folder it
 * could not store, or read an ignore file changed in the last few seconds, is not kept. A walk
 * that met a symbolic link is kept like any other: what the link leads to is among what it relied
 * on (its real path and the stat of its target are answers it asked for; a linked folder's stat,
 * through the link, is the one stored for the link's path), and re-pointing a link replaces it, which
 * changes its folder.
 *
 * Safety: the cache file is read only when it is a regular file (opened without following a link,
 * at most MAX_CACHE_BYTES), and ignored whole when it does not parse, has another shape, another
 * permlint build or another root; it is written to a new file beside it (created exclusively,
 * without following links) then renamed over it, into a folder that is not a link. It holds
 * names and stats only, never file contents. A kept walk whose files are not paths below the root
 * as the walk writes them (`..`, `.`, an empty part; a backslash on Windows) is not taken: the list is named
 * to discovery, which would read a path outside the root as the user's own.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DirEntry, EntryType, FileStat, FileSystem } from './fs.js';

/** A cache file larger than this is ignored (denoland/deno's: about 0.3 MB). */
export const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** Folders modified more recently than this (ms) are listed but not stored. */
const RACY_MS = 5000;
/**
 * The file is two lines of JSON: first what a whole walk needs (`format`, `build`, `root`, and the
 * kept walk: its folders with one digest of their stats, the manifests among their entries), then
 * every folder's stat and entries (`dirs`), parsed only when the whole walk does not stand: a run
 * that takes the whole walk parses a sixth of the file (denoland/deno: 101 of 606 KB; the whole
 * file of format 1, 505 KB, took 17 ms to parse).
 */
const FORMAT = 2;
/** Where the cache is kept under the scan root when no location is given. */
export const DEFAULT_CACHE_PATH = 'node_modules/.cache/permlint/link-walk.json';

const TYPE_CODE: Record<EntryType, string> = { file: 'f', directory: 'd', symlink: 'l', other: 'o' };
const CODE_TYPE: Record<string, EntryType> = { f: 'file', d: 'directory', l: 'symlink', o: 'other' };

/** A folder's stat as stored: mtime, ctime (ms, fractional) and inode. */
type Stamp = [number, number, number];
/** A folder's entries as stored: `[name, type code]`. */
type Stored = [Stamp, [string, string][]];

/** The build of permlint that wrote a cache: which names can link is decided by this code. */
function buildStamp(): string {
  const parts: string[] = [];
  for (const rel of ['./link-cache.js', './lint.js', './sources/registry.js']) {
    try {
      const st = statSync(fileURLToPath(new URL(rel, import.meta.url)));
      parts.push(`${st.size}:${st.mtimeMs}`);
    } catch {
      // running from the TypeScript sources (tests): the .ts files
      try {
        const st = statSync(fileURLToPath(new URL(rel.replace(/\.js$/, '.ts'), import.meta.url)));
        parts.push(`${st.size}:${st.mtimeMs}`);
      } catch {
        parts.push('?');
      }
    }
  }
  return parts.join(',');
}

/** Read the cache file: its bytes when it is a regular file of at most MAX_CACHE_BYTES, else undefined. */
function readCacheFile(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_CACHE_BYTES) return undefined;
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n <= 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const isStamp = (s: unknown): s is Stamp => Array.isArray(s) && s.length === 3 && s.every((n) => typeof n === 'number' && Number.isFinite(n));
const isStored = (v: unknown): v is Stored =>
  Array.isArray(v) &&
  v.length === 2 &&
  isStamp(v[0]) &&
  Array.isArray(v[1]) &&
  (v[1] as unknown[]).every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && e[0] !== '' && !e[0].includes('/') && e[0] !== '.' && e[0] !== '..' && typeof e[1] === 'string' && e[1] in CODE_TYPE);

/** What the walk asked the disk besides folder listings (src/lint.ts `linkInputsFs`). */
export type LookOp = 'lstat' | 'stat' | 'realpath' | 'ignore-file';
/** One such question and its answer, as `answerOf` (src/lint.ts) writes it. */
export type Look = [op: LookOp, path: string, answer: string];

/**
 * The answer the walk's file system got (or gets again) to `op` on `path`, as stored: the real
 * path; the type and size; for an ignore file its stat (modification and change time, inode,
 * size: a file is read again only when one of them changed); or the error code.
 */
export function answerOf(fs: FileSystem, op: LookOp, path: string): string {
  try {
    if (op === 'realpath') return fs.realpath(path);
    if (op === 'ignore-file') {
      const st = statSync(path);
      return `${st.mtimeMs}:${st.ctimeMs}:${st.ino}:${st.size}`;
    }
    return statAnswer(op === 'lstat' ? fs.lstat(path) : fs.stat(path));
  } catch (e) {
    return errorAnswer(e);
  }
}
export const statAnswer = (st: FileStat): string => `${st.type}:${st.size}:${st.detail ?? ''}`;
export const errorAnswer = (e: unknown): string => `!${(e as NodeJS.ErrnoException).code ?? 'error'}`;

/** A folder list as `StoredWalk.folders` holds it: pairs of an earlier index (or -1) and a name. */
const isFolderTree = (v: unknown): v is (number | string)[] =>
  Array.isArray(v) && v.length % 2 === 0 && v.every((x, i) => (i % 2 ? typeof x === 'string' : Number.isInteger(x) && (x as number) >= -1 && (x as number) < i / 2));

/** The folders' paths relative to the root, encoded as `StoredWalk.folders`. */
function encodeFolders(rels: readonly string[]): (number | string)[] {
  const index = new Map<string, number>();
  const out: (number | string)[] = [];
  for (const rel of rels) {
    const slash = rel.lastIndexOf('/');
    const parent = index.get(slash < 0 ? '' : rel.slice(0, slash));
    if (rel !== '' && parent !== undefined) out.push(parent, rel.slice(slash + 1));
    else out.push(-1, rel);
    index.set(rel, index.size);
  }
  return out;
}

/** The paths `encodeFolders` encoded. */
function decodeFolders(folders: readonly (number | string)[]): string[] {
  const rels: string[] = [];
  for (let i = 0; i < folders.length; i += 2) {
    const p = folders[i] as number;
    const name = folders[i + 1] as string;
    const parent = p < 0 ? undefined : rels[p]!;
    rels.push(parent ? `${parent}/${name}` : name);
  }
  return rels;
}

/** One digest of folders' stats, in order. */
function stampsDigest(stamps: Float64Array): string {
  return createHash('sha256').update(new Uint8Array(stamps.buffer, stamps.byteOffset, stamps.byteLength)).digest('base64');
}

/** Folders' stats as `stampsDigest` reads them: three numbers each. */
function stampValues(stamps: readonly Stamp[]): Float64Array {
  const out = new Float64Array(stamps.length * 3);
  for (let k = 0; k < stamps.length; k++) {
    const [m, c, i] = stamps[k]!;
    out[k * 3] = m;
    out[k * 3 + 1] = c;
    out[k * 3 + 2] = i;
  }
  return out;
}

/** The files a whole walk found (relative paths), and what it relied on to find them. */
interface StoredWalk {
  key: string;
  /** The folders whose deno.json / package.json the walk let through (on the way to a named path). */
  onTheWay: string[];
  looks: Look[];
  files: string[];
  /**
   * The folders it listed (the cache's `dirs`: a walk is kept only with all of them), each as its
   * parent's index in this list and its name (`-1` and its whole path when its parent is not
   * before it: the root), and the digest of their stats in this order (`stampsDigest`).
   */
  folders: (number | string)[];
  digest: string;
  /** The folders (indices in `folders`) that hold a manifest (`isManifest`) among their entries. */
  manifests: number[];
}
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
/** A path below the root as the walk writes it: relative, `/`-separated, no `.`, `..` or empty part, no `\` where it separates (a cache that names anything else is not ours). */
const isBelowRoot = (p: string): boolean => p !== '' && (sep === '/' || !p.includes('\\')) && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
const isWalk = (v: unknown): v is StoredWalk => {
  const w = v as StoredWalk;
  return (
    !!w &&
    typeof w === 'object' &&
    typeof w.key === 'string' &&
    isStrings(w.onTheWay) &&
    isStrings(w.files) &&
    w.files.every(isBelowRoot) &&
    isFolderTree(w.folders) &&
    typeof w.digest === 'string' &&
    Array.isArray(w.manifests) &&
    w.manifests.every((i) => Number.isInteger(i) && i >= 0 && i < w.folders.length / 2) &&
    Array.isArray(w.looks) &&
    w.looks.every((l) => Array.isArray(l) && l.length === 3 && ['lstat', 'stat', 'realpath', 'ignore-file'].includes(l[0] as string) && typeof l[1] === 'string' && typeof l[2] === 'string')
  );
};

export interface LinkWalkCache {
  /**
   * The entries of the folder `abs` (`rel` from the root): from the cache when its stat is
   * unchanged, else from `list` (and stored for the next run).
   */
  readdir(abs: string, rel: string, list: () => DirEntry[]): DirEntry[];
  /**
   * The files the last walk with this `key` found (paths relative to the root), when nothing
   * it relied on has changed: every folder it listed has the stat it had (`abs` gives a folder's
   * path; one digest of them all is stored), every other question it asked the disk (`again`)
   * gets the same answer, and every folder on the way to a named path (`onTheWay`) whose manifest
   * it did not see holds none. Undefined otherwise: walk, then `keepWalk`. Costs one `stat` per
   * folder.
   */
  walkFiles(key: string, onTheWay: ReadonlySet<string>, fs: FileSystem, abs: (rel: string) => string): string[] | undefined;
  /**
   * The walk's file system `walkFs` (over `fs`), noting what the walk asks besides listings (a
   * path's stat or real path, an ignore file's stat before it is read) and whether it reads a
   * file outside `rootSep`.
   */
  noting(walkFs: FileSystem, fs: FileSystem, rootSep: string): FileSystem;
  /**
   * Keep the files this run's walk found (`files`: their paths, each as the walk reached it, a
   * link's own path for a file behind a link) for the next run, with the manifests among the
   * folders' entries (`isManifest`): only when every folder it listed was stored, no ignore file
   * was too new and it read nothing outside the root's folders.
   */
  keepWalk(key: string, onTheWay: ReadonlySet<string>, files: readonly string[], isManifest: (rel: string) => boolean): void;
  /** Write what this run listed or confirmed (the folders it did not reach are dropped); never throws. */
  save(): void;
  /** Folders answered from the cache and folders listed, for tests and measurements. */
  readonly stats: { hits: number; misses: number; walk: 'hit' | 'miss' | 'kept' | undefined };
}

/**
 * Open the cache at `file` for the walk of `rootReal` (the scan root, links resolved). A missing,
 * unreadable or invalid file is an empty cache.
 */
/**
 * Whether `dir` is a folder reached through no link: the folders from `from` (a real folder)
 * down to it are created one by one when missing, and each must be a folder, not a link. Without
 * `from` (a location the user gave), from the nearest folder above it that exists.
 */
function realFolder(dir: string, from: string | undefined): boolean {
  const isDir = (p: string) => {
    try {
      return lstatSync(p).isDirectory();
    } catch {
      return undefined;
    }
  };
  if (from === undefined) {
    // a location the user gave: folders missing below the nearest one that exists are created
    from = dir;
    while (isDir(from) === undefined && dirname(from) !== from) from = dirname(from);
    if (from === dir) return isDir(dir) === true;
  }
  if (dir !== from && !dir.startsWith(from.endsWith(sep) ? from : from + sep)) return false;
  let cur = from;
  if (isDir(from) !== true && !statSync(from, { throwIfNoEntry: false })?.isDirectory()) return false;
  for (const part of dir.slice(from.length).split(sep).filter(Boolean)) {
    cur = join(cur, part);
    const d = isDir(cur);
    if (d === false) return false;
    if (d === undefined) {
      try {
        mkdirSync(cur);
      } catch {
        return false;
      }
      if (isDir(cur) !== true) return false;
    }
  }
  return true;
}

/**
 * Open the cache at `file` for the walk of `rootReal` (the scan root, links resolved). A missing,
 * unreadable or invalid file is an empty cache (`racyMs`: for tests). `makeFrom`: a real folder above `file` (the scan
 * root, for the default location) from which missing folders are created when saving; without it
 * the cache file's folder must exist.
 */
export function openLinkWalkCache(file: string, rootReal: string, makeFrom?: string, racyMs = RACY_MS): LinkWalkCache {
  const build = buildStamp();
  let oldWalk: StoredWalk | undefined;
  /** The second line, until `old` parses it. */
  let dirsText: string | undefined;
  const text = readCacheFile(file);
  if (text !== undefined) {
    const nl = text.indexOf('\n');
    try {
      const j = JSON.parse(nl < 0 ? text : text.slice(0, nl)) as { format?: unknown; build?: unknown; root?: unknown; walk?: unknown };
      if (j && j.format === FORMAT && j.build === build && j.root === rootReal && nl >= 0) {
        dirsText = text.slice(nl + 1);
        if (isWalk(j.walk)) oldWalk = j.walk;
      }
    } catch {
      /* not a cache of ours: ignored */
    }
  }
  let oldDirs: Record<string, unknown> | undefined;
  /** The stored folders (parsed on first use). */
  const old = (): Record<string, unknown> => {
    if (oldDirs) return oldDirs;
    oldDirs = {};
    if (dirsText !== undefined) {
      try {
        const d = JSON.parse(dirsText) as unknown;
        if (d && typeof d === 'object' && !Array.isArray(d)) oldDirs = d as Record<string, unknown>;
      } catch {
        /* not ours: an empty cache */
      }
      dirsText = undefined;
    }
    return oldDirs;
  };
  /** Whether the whole walk stood (nothing changed: the file stays as it is). */
  let stood = false;
  const next = new Map<string, Stored>();
  let nextWalk: StoredWalk | undefined;
  let changed = false;
  const stats: { hits: number; misses: number; walk: 'hit' | 'miss' | 'kept' | undefined } = { hits: 0, misses: 0, walk: undefined };
  // this run's walk: the folders it listed, whether each was stored, what else it asked
  const listed: string[] = [];
  let unstable = false;
  const looks: Look[] = [];
  const stampOf = (abs: string): Stamp | undefined => {
    try {
      const st = statSync(abs);
      return st.isDirectory() ? [st.mtimeMs, st.ctimeMs, st.ino] : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    stats,
    walkFiles(key, onTheWay, fs, abs) {
      const w = oldWalk;
      stats.walk = 'miss';
      if (!w || w.key !== key) return undefined;
      const folders = decodeFolders(w.folders);
      // a manifest the walk did not let through, in a folder now on the way: not known to be unignored
      const seen = new Set(w.onTheWay);
      const holding = new Set(w.manifests.map((i) => folders[i]));
      for (const d of onTheWay) if (!seen.has(d) && holding.has(d)) return undefined;
      const stamps: Stamp[] = [];
      for (const rel of folders) {
        const stamp = stampOf(abs(rel));
        if (!stamp) return undefined;
        stamps.push(stamp);
      }
      if (stampsDigest(stampValues(stamps)) !== w.digest) return undefined;
      for (const [op, path, answer] of w.looks) if (answerOf(fs, op, path) !== answer) return undefined;
      // nothing changed: the cache stays as it is (and is not written again)
      stood = true;
      stats.hits += folders.length;
      stats.walk = 'hit';
      return w.files;
    },
    noting(walkFs, fs, rootSep) {
      const saw = (look: Look) => {
        looks.push(look);
        // an ignore file changed in the last few seconds may change again within the same stamp
        if (look[0] === 'ignore-file' && !look[2].startsWith('!')) {
          const [mtime, ctime] = look[2].split(':').map(Number) as [number, number];
          const now = Date.now();
          if (racyMs > 0 && (now - mtime < racyMs || now - ctime < racyMs)) unstable = true;
        }
      };
      const noted =
        <T>(op: 'lstat' | 'stat' | 'realpath', answer: (r: T) => string, f: (p: string) => T) =>
        (p: string): T => {
          let r: T;
          try {
            r = f(p);
          } catch (e) {
            saw([op, p, errorAnswer(e)]);
            throw e;
          }
          saw([op, p, answer(r)]);
          return r;
        };
      return {
        ...walkFs,
        lstat: noted('lstat', statAnswer, (p) => fs.lstat(p)),
        stat: noted('stat', statAnswer, (p) => fs.stat(p)),
        realpath: noted('realpath', (r: string) => r, (p) => fs.realpath(p)),
        readFile: (p, maxBytes, options) => {
          if (p.endsWith(`${sep}.gitignore`)) saw(['ignore-file', p, answerOf(fs, 'ignore-file', p)]);
          else if (!p.startsWith(rootSep)) unstable = true; // (a file outside the root's own folders: not something the list can hold)
          return fs.readFile(p, maxBytes, options);
        },
      };
    },
    keepWalk(key, onTheWay, files, isManifest) {
      if (unstable || next.size !== listed.length || listed.some((rel) => !next.has(rel))) return;
      const folders = [...next.keys()];
      const manifests: number[] = [];
      folders.forEach((rel, i) => {
        if (next.get(rel)![1].some(([name, t]) => t !== 'd' && isManifest(rel ? `${rel}/${name}` : name))) manifests.push(i);
      });
      const digest = stampsDigest(stampValues(folders.map((rel) => next.get(rel)![0])));
      nextWalk = { key, onTheWay: [...onTheWay].sort(), looks, files: [...new Set(files)].sort(), folders: encodeFolders(folders), digest, manifests };
      changed = true;
      stats.walk = 'kept';
    },
    readdir(abs, rel, list) {
      listed.push(rel);
      let stamp: Stamp | undefined;
      try {
        const st = statSync(abs);
        if (st.isDirectory()) stamp = [st.mtimeMs, st.ctimeMs, st.ino];
      } catch {
        /* listed below, which reports the error */
      }
      const dirs = old();
      const hit = stamp && Object.hasOwn(dirs, rel) ? dirs[rel] : undefined;
      if (stamp && hit !== undefined && isStored(hit) && hit[0][0] === stamp[0] && hit[0][1] === stamp[1] && hit[0][2] === stamp[2]) {
        stats.hits++;
        next.set(rel, hit);
        return hit[1].map(([name, t]) => ({ name, type: CODE_TYPE[t]! }));
      }
      stats.misses++;
      const entries = list();
      changed = true;
      // stored only when the folder has not changed for a while (and not since the stat above);
      // racyMs 0 stores every folder (Date.now() is whole milliseconds, a stamp has fractions:
      // a folder changed in this very millisecond would otherwise look changed in the future)
      const now = Date.now();
      if (stamp && (racyMs <= 0 || (now - stamp[0] >= racyMs && now - stamp[1] >= racyMs))) next.set(rel, [stamp, entries.map((e) => [e.name, TYPE_CODE[e.type]])]);
      return entries;
    },
    save() {
      if (stood || (!changed && next.size === Object.keys(old()).length)) return;
      try {
        const text = `${JSON.stringify({ format: FORMAT, build, root: rootReal, ...(nextWalk ? { walk: nextWalk } : {}) })}\n${JSON.stringify(Object.fromEntries(next))}`;
        if (text.length > MAX_CACHE_BYTES) return;
        const dir = dirname(file);
        if (!realFolder(dir, makeFrom)) return;
        const tmp = join(dir, `.link-walk.${process.pid}.${Date.now()}.tmp`);
        const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
        try {
          writeSync(fd, text);
        } finally {
          closeSync(fd);
        }
        try {
          renameSync(tmp, file);
        } catch {
          unlinkSync(tmp);
        }
      } catch {
        /* a cache that cannot be written is no cache: the run is unchanged */
      }
    },
  };
}
