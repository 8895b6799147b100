/**
 * Folder listings made ahead by the parser thread for a pre-commit run's link-only walk
 * (src/lint.ts `linkInputsFs`). The walk lists every folder of the tree (about 4,000 on
 * denoland/deno: most of its time is `readdir` itself), while the parser thread, once it has
 * analysed the named files, has nothing to do: it lists folders too, from the other end of the
 * tree, and hands each listing over through shared memory, so that the two threads' system calls
 * run on two cores.
 *
 * The walk stays the only one that decides anything: a listing from the thread is what
 * `readdirSync(path, { withFileTypes: true })` gave it (names in its order, each entry's type), and
 * the walk takes one only for a path it would list itself, in place of listing it. Ignore rules,
 * links, the name filter and errors are the walk's as before; a folder the thread did not list
 * (not reached, unreadable, or listed after the walk asked) the walk lists itself.
 *
 * Who lists what: each folder is claimed once, by its path's hash in a shared table, by whichever
 * thread asks first. The walk goes depth-first in name order; the thread goes depth-first with
 * each folder's sub-folders in reverse order (it lists, it reads no ignore file: it skips only the
 * folders the walk never enters, `node_modules` and the like, and never follows a link). When
 * the thread meets a folder the walk has claimed, the walk has passed everything before it, so
 * the thread drops what it still meant to list and goes on only below that folder, from its last
 * sub-folder. It stops when the walk ends, when the buffer is full, or when nothing is left.
 *
 * Reads ahead (`reads`, a full scan's walk of one folder: src/discover.ts `readAhead`): the thread
 * also reads, in each folder it lists, the files that only their content can claim although their
 * name makes them candidates (TypeScript/JavaScript: `readWholeByName`), as the walk would read them
 * (src/pre-read.ts `preRead`), and publishes what it found with the listing: the record of a file its
 * sniff rules out on the bytes, or the bytes for the walk to look at (a candidate, a kept text).
 * A file it cannot read so (too large, unreadable, gone) the walk reads itself and says why. The
 * thread reads no ignore file: a file the walk ignores may be read for nothing, never used.
 *
 * Shared memory layout (an Int32Array over the first bytes, then the records):
 * `[0]` bytes of records published, `[1]` the walk has ended, `[2..]` the claim table (hashes,
 * open addressing); records from RECORDS: `[u32 length][u32 hash][u32 text bytes][u32 reads bytes]`,
 * then the text `[utf-8: path \0 types \0 name \0 name …]`, types one letter per entry (`f`, `d`,
 * `l`, `o`), then the reads (JSON: `[entry, kind, ruled out, bytes' offset, bytes' length]` each,
 * `kind` null for a file with nothing to record) and the bytes they point to.
 */
import { channel } from 'node:diagnostics_channel';
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
// (the folders the walk never enters: the thread does not list below them)
import { NEVER_WALKED } from './never-walked.js';
import { keepMarkerBytes, preRead, readWholeByName, type PreRead, type RuledOut } from './pre-read.js';
import type { DirEntry } from './fs.js';
import type { FileKind, ReadAheadTake } from './discover.js';

/** Claim table slots (a power of two); each side stops claiming past a quarter of it. */
const SLOTS = 1 << 17;
const CLAIM_LIMIT = SLOTS >> 2;
const HEAD = 2;
const RECORDS = (HEAD + SLOTS) * 4;
/** Bytes for records (virtual: pages are touched only as written); with reads, for the files' bytes too. */
const RECORD_BYTES = 16 * 1024 * 1024;
const RECORD_BYTES_WITH_READS = 96 * 1024 * 1024;
/** A record's head: length, hash, text bytes, reads bytes. */
const RECORD_HEAD = 16;
/** Folders the thread lists between two turns of its event loop when it reads ahead (its analysis runs in between). */
const FOLDERS_PER_TURN = 8;

/** FNV-1a over the path's UTF-16 units, never 0 (0 is an empty slot). */
function hashOf(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return h | 1;
}

/** Claims `h` in the table: true when this call put it there, false when it was there already (or the table is full). */
function claim(table: Int32Array, h: number): boolean {
  for (let i = h & (SLOTS - 1), n = 0; n < SLOTS; i = (i + 1) & (SLOTS - 1), n++) {
    const v = Atomics.load(table, HEAD + i);
    if (v === h) return false;
    if (v === 0) {
      const was = Atomics.compareExchange(table, HEAD + i, 0, h);
      if (was === 0) return true;
      if (was === h) return false;
    }
  }
  return false;
}

/** What the thread is handed: the root (the walk's scan root, as the walk writes it) and the shared memory. */
export interface ListAheadJob {
  root: string;
  memory: SharedArrayBuffer;
  /** Read ahead too: `root`'s path relative to the scan root, and how the walk reads (src/discover.ts `ReadAheadStart`). */
  reads?: { rel: string; rootReal: string; maxBytes: number; markers: readonly string[] } | undefined;
}

/** A folder's listing as the thread made it: names in `readdirSync`'s order, one type letter each; what it read of the files, by name. */
export interface Listing {
  names: string[];
  types: string;
  reads?: Map<string, PreRead> | undefined;
}

/** The thread's side, one folder at a time (tests step it between the walk's calls). */
export class Lister {
  private readonly ints: Int32Array;
  private readonly bytes: Buffer;
  private readonly stack: string[];
  private at = RECORDS;
  private claimed = 0;
  /** Folders listed and published. */
  published = 0;
  private done = false;
  private readonly markers: readonly (Uint8Array | number)[] | undefined;
  private readonly rootSep: string;

  constructor(private readonly job: ListAheadJob) {
    this.ints = new Int32Array(job.memory, 0, HEAD + SLOTS);
    this.bytes = Buffer.from(job.memory);
    this.stack = [job.root];
    this.markers = job.reads && keepMarkerBytes(job.reads.markers);
    this.rootSep = job.root.endsWith(sep) ? job.root : job.root + sep;
  }

  /** A folder's path relative to the scan root, as the walk writes it, with a trailing `/` (none for the scan root). */
  private relDirOf(path: string, rel: string): string {
    const below = path === this.job.root ? '' : path.slice(this.rootSep.length).split(sep).join('/');
    const r = rel && below ? `${rel}/${below}` : rel || below;
    return r ? `${r}/` : '';
  }

  /** What the thread reads of a listed folder's files (`reads`): [entry, kind, ruled out, bytes' offset, bytes' length] each, and the bytes. */
  private readFiles(path: string, base: string, ds: { name: string; isFile(): boolean }[]): { json: string; chunks: Uint8Array[] } | undefined {
    const reads = this.job.reads!;
    const relDir = this.relDirOf(path, reads.rel);
    const rows: unknown[] = [];
    const chunks: Uint8Array[] = [];
    let at = 0;
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i]!;
      if (!d.isFile()) continue;
      const rel = relDir + d.name;
      if (!readWholeByName(rel, d.name)) continue;
      const got = preRead(base + d.name, rel, d.name, reads.rootReal, reads.maxBytes, this.markers!);
      if (got === undefined) continue;
      if (got === null) rows.push([i, null]);
      else if ('ruledOut' in got) rows.push([i, got.kind, got.ruledOut]);
      else {
        // (borrowed bytes: copied before the next read)
        chunks.push(Buffer.from(got.bytes));
        rows.push([i, got.kind, null, at, got.bytes.length]);
        at += got.bytes.length;
      }
    }
    return rows.length ? { json: JSON.stringify(rows), chunks } : undefined;
  }

  /** Lists the next folder; false when there is nothing more to do. */
  step(): boolean {
    if (this.done || Atomics.load(this.ints, 1) !== 0 || this.stack.length === 0 || this.claimed >= CLAIM_LIMIT) return !(this.done = true);
    const path = this.stack.pop()!;
    const h = hashOf(path);
    const mine = claim(this.ints, h);
    if (mine) this.claimed++;
    // (the walk has claimed it: everything still on the stack comes before it in the walk's order)
    else this.stack.length = 0;
    let ds;
    try {
      ds = readdirSync(path, { withFileTypes: true });
    } catch {
      return true; // the walk lists it itself, and says why it cannot
    }
    let types = '';
    let text = path;
    const base = path.endsWith(sep) ? path : path + sep;
    // (the last sub-folder on top: the walk takes the first)
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i]!;
      if (d.isDirectory() && !NEVER_WALKED.has(d.name)) this.stack.push(base + d.name);
    }
    if (!mine) return true;
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i]!;
      types += d.isFile() ? 'f' : d.isDirectory() ? 'd' : d.isSymbolicLink() ? 'l' : 'o';
    }
    text += '\0' + types;
    for (let i = 0; i < ds.length; i++) text += '\0' + ds[i]!.name;
    const reads = this.job.reads ? this.readFiles(path, base, ds) : undefined;
    const textBytes = Buffer.byteLength(text);
    const readsBytes = reads ? Buffer.byteLength(reads.json) : 0;
    let length = RECORD_HEAD + textBytes + readsBytes;
    if (reads) for (const c of reads.chunks) length += c.length;
    if (this.at + length > this.bytes.length) return !(this.done = true);
    this.bytes.writeUInt32LE(length, this.at);
    this.bytes.writeInt32LE(h, this.at + 4);
    this.bytes.writeUInt32LE(textBytes, this.at + 8);
    this.bytes.writeUInt32LE(readsBytes, this.at + 12);
    let w = this.at + RECORD_HEAD;
    w += this.bytes.write(text, w, 'utf8');
    if (reads) {
      w += this.bytes.write(reads.json, w, 'utf8');
      for (const c of reads.chunks) {
        this.bytes.set(c, w);
        w += c.length;
      }
    }
    this.at += length;
    this.published++;
    Atomics.store(this.ints, 0, this.at);
    return true;
  }
}

/**
 * The parser thread's job (src/sources/typescript/parser.ts `runInThreadNow`): lists until the walk
 * ends; answers how many folders it published. Reading ahead, it lets the thread's event loop turn
 * every few folders, so that the analysis of the candidates the walk hands over goes on meanwhile.
 */
export function threadJob(): (job: ListAheadJob) => number | Promise<number> {
  return (job) => {
    const l = new Lister(job);
    if (!job.reads) {
      while (l.step());
      return l.published;
    }
    return (async () => {
      for (let n = 1; l.step(); n++) if (n % FOLDERS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      return l.published;
    })();
  };
}

/** The walk's side: the listings the thread has published, taken by path. */
export class ListAhead {
  private readonly ints: Int32Array;
  private readonly bytes: Buffer;
  private read = RECORDS;
  private readonly index = new Map<number, number[]>();
  private claimed = 0;
  /** Listings taken from the thread, and folders listed here. */
  readonly stats = { taken: 0, own: 0 };

  constructor(readonly job: ListAheadJob) {
    this.ints = new Int32Array(job.memory, 0, HEAD + SLOTS);
    this.bytes = Buffer.from(job.memory);
  }

  /** A new job for `root` (`reads`: read ahead too). */
  static memoryFor(root: string, reads?: ListAheadJob['reads']): ListAheadJob {
    return { root, memory: new SharedArrayBuffer(RECORDS + (reads ? RECORD_BYTES_WITH_READS : RECORD_BYTES)), ...(reads ? { reads } : {}) };
  }

  /** The thread's listing of `path`, when it made it; undefined: the caller lists it (and the thread will not). */
  take(path: string): Listing | undefined {
    const h = hashOf(path);
    if (this.claimed < CLAIM_LIMIT && claim(this.ints, h)) {
      this.claimed++;
      this.stats.own++;
      return undefined;
    }
    // published records: indexed by hash, decoded only when taken
    const end = Atomics.load(this.ints, 0);
    while (this.read < end) {
      const length = this.bytes.readUInt32LE(this.read);
      const rh = this.bytes.readInt32LE(this.read + 4);
      const at = this.index.get(rh);
      if (at === undefined) this.index.set(rh, [this.read]);
      else at.push(this.read);
      this.read += length;
    }
    const offsets = this.index.get(h);
    if (offsets !== undefined) {
      for (let k = 0; k < offsets.length; k++) {
        const o = offsets[k]!;
        const textEnd = o + RECORD_HEAD + this.bytes.readUInt32LE(o + 8);
        const parts = this.bytes.toString('utf8', o + RECORD_HEAD, textEnd).split('\0');
        if (parts[0] !== path) continue;
        offsets.splice(k, 1);
        this.stats.taken++;
        const names = parts.length > 2 ? parts.slice(2) : [];
        const readsBytes = this.bytes.readUInt32LE(o + 12);
        if (readsBytes === 0) return { names, types: parts[1]! };
        return { names, types: parts[1]!, reads: this.readsOf(names, textEnd, readsBytes) };
      }
    }
    this.stats.own++;
    return undefined;
  }

  /** What the thread read of a folder's files (see Lister `readFiles`), by name; the bytes are views of the shared memory. */
  private readsOf(names: string[], at: number, length: number): Map<string, PreRead> {
    const out = new Map<string, PreRead>();
    const rows = JSON.parse(this.bytes.toString('utf8', at, at + length)) as [number, FileKind | null, RuledOut | null, number, number][];
    const data = at + length;
    for (const [i, kind, ruledOut, from, n] of rows) {
      const name = names[i]!;
      if (kind === null) out.set(name, null);
      else if (ruledOut) out.set(name, { kind, ruledOut });
      else out.set(name, { kind, bytes: this.bytes.subarray(data + from, data + from + n) });
    }
    return out;
  }

  /** The walk has ended: the thread stops. */
  end(): void {
    Atomics.store(this.ints, 1, 1);
  }
}

/**
 * The diagnostics channel on which a walk says, when it ends, how many folders it took from the
 * thread's read ahead and how many it listed itself (`{ taken, own }`, published only when someone
 * listens: test/e2e/read-ahead.test.ts).
 */
export const READ_AHEAD_CHANNEL = 'permlint:read-ahead';

/** The walk's side of a read ahead, as discovery takes it (src/discover.ts `ReadAheadTake`). */
export function walkTake(lists: ListAhead): ReadAheadTake {
  return {
    take: (path) => {
      const l = lists.take(path);
      return l && { entries: entriesOf(l), reads: l.reads };
    },
    end: () => {
      lists.end();
      const c = channel(READ_AHEAD_CHANNEL);
      if (c.hasSubscribers) c.publish({ ...lists.stats });
    },
  };
}

/** A listing as discovery's file system gives it (src/fs.ts `nodeFs.readdir`): the same names, in the same order, with their types. */
function entriesOf(l: Listing): DirEntry[] {
  const out: DirEntry[] = [];
  for (let i = 0; i < l.names.length; i++) {
    const t = l.types.charCodeAt(i);
    out.push({ name: l.names[i]!, type: t === 102 ? 'file' : t === 100 ? 'directory' : t === 108 ? 'symlink' : 'other' });
  }
  return out;
}
