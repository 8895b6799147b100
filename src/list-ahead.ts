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
 * Shared memory layout (an Int32Array over the first bytes, then the records):
 * `[0]` bytes of records published, `[1]` the walk has ended, `[2..]` the claim table (hashes,
 * open addressing); records from RECORDS: `[u32 length][u32 hash][utf-8: path \0 types \0 name \0 name …]`,
 * types one letter per entry (`f`, `d`, `l`, `o`).
 */
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
// (the folders the walk never enters: the thread does not list below them)
import { NEVER_WALKED } from './never-walked.js';

/** Claim table slots (a power of two); each side stops claiming past a quarter of it. */
const SLOTS = 1 << 17;
const CLAIM_LIMIT = SLOTS >> 2;
const HEAD = 2;
const RECORDS = (HEAD + SLOTS) * 4;
/** Bytes for records (virtual: pages are touched only as written). */
const RECORD_BYTES = 16 * 1024 * 1024;

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
}

/** A folder's listing as the thread made it: names in `readdirSync`'s order, one type letter each. */
export interface Listing {
  names: string[];
  types: string;
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

  constructor(private readonly job: ListAheadJob) {
    this.ints = new Int32Array(job.memory, 0, HEAD + SLOTS);
    this.bytes = Buffer.from(job.memory);
    this.stack = [job.root];
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
    const length = 8 + Buffer.byteLength(text);
    if (this.at + length > this.bytes.length) return !(this.done = true);
    this.bytes.writeUInt32LE(length, this.at);
    this.bytes.writeInt32LE(h, this.at + 4);
    this.bytes.write(text, this.at + 8, 'utf8');
    this.at += length;
    this.published++;
    Atomics.store(this.ints, 0, this.at);
    return true;
  }
}

/** The parser thread's job (src/sources/typescript/parser.ts `runInThreadNow`): lists until the walk ends; answers how many folders it published. */
export function threadJob(): (job: ListAheadJob) => number {
  return (job) => {
    const l = new Lister(job);
    while (l.step());
    return l.published;
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

  /** A new job for `root`. */
  static memoryFor(root: string): ListAheadJob {
    return { root, memory: new SharedArrayBuffer(RECORDS + RECORD_BYTES) };
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
        const parts = this.bytes.toString('utf8', o + 8, o + this.bytes.readUInt32LE(o)).split('\0');
        if (parts[0] !== path) continue;
        offsets.splice(k, 1);
        this.stats.taken++;
        return { names: parts.length > 2 ? parts.slice(2) : [], types: parts[1]! };
      }
    }
    this.stats.own++;
    return undefined;
  }

  /** The walk has ended: the thread stops. */
  end(): void {
    Atomics.store(this.ints, 1, 1);
  }
}
