/**
 * The one way permlint opens a file of the scanned tree — sources, configs, ignore files,
 * baselines, paths named on the command line. Every byte of the tree is hostile (a pull request
 * from a stranger can commit symlinks; a checkout can hold FIFOs and device links), so:
 *
 * - a symbolic link is followed only when its target stays inside the root (`realpath`, which
 *   also detects loops); a link out of the root is refused, never read;
 * - the file is opened with `O_NONBLOCK` (a FIFO cannot hang the run) and `O_NOFOLLOW` on the
 *   resolved path, then `fstat`ed on the descriptor: anything but a regular file (FIFO, socket,
 *   device, directory) is refused before a byte is read;
 * - at most `maxBytes` are read, whatever `st_size` says (`/proc` files report size 0);
 * - nothing here throws for a property of the tree: every refusal is a value with a reason the
 *   caller reports (skipped, a parse-error, or a usage error for paths the user named).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { isAscii, isUtf8 } from 'node:buffer';
import { sep } from 'node:path';

import type { FileSystem } from './fs.js';
import { escapeControls } from './report/escape.js';

export type Refusal =
  | 'missing'
  /** FIFO, socket, device or directory. */
  | 'not-regular'
  /** A symbolic link (or a linked folder on the way) whose target is outside the root. */
  | 'outside-root'
  | 'loop'
  | 'too-large'
  | 'unreadable'
  /** The sniff callback said the head is not ours (not reported). */
  | 'not-ours';

export type ReadResult = { ok: true; bytes: Uint8Array; real: string } | { ok: false; refusal: Refusal; reason: string };

export interface SafeReadOptions {
  /** Real path of the folder a link may point into (see `realRoot`); none: links go anywhere (a path the user chose). */
  root?: string;
  maxBytes: number;
  /**
   * The caller checked that no component of the path is a link (a walk from the root over
   * directory entries): skip `realpath`.
   */
  noLinks?: boolean;
  /** Read `bytes` first and go on only when `accept(head)` (files that are not ours are not read further). */
  sniff?: { bytes: number; accept: (head: Uint8Array) => boolean };
  /** The bytes may be borrowed (`FileSystem.readFile`): valid until the next borrowing read, copied by the caller if kept. */
  borrow?: boolean;
  /** The path's folder listing said it is a regular file (`FileSystem.readFile`'s `listed`). */
  listed?: boolean;
}

/** Error code of a refused non-regular file (`readRegularFile`). */
export const ENOTREG = 'ENOTREG';
/** Reads of files with no byte limit stop here (nothing permlint reads is legitimately larger). */
export const HARD_CAP = 256 * 1024 * 1024;

const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** `a FIFO`, `a directory`, … for a refusal message. */
export function describeType(st: Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isDirectory' | 'isSymbolicLink'>): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function fail(code: string, message: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(message);
  e.code = code;
  return e;
}

/**
 * The disk's read path (`nodeFs.readFile`): open non-blocking (a FIFO cannot hang) and, with
 * `noFollow`, with `O_NOFOLLOW` (a last component that became a link since it was checked is
 * refused, ELOOP); `fstat` the descriptor and refuse anything but a regular file (error code
 * ENOTREG, the message says what it is) before reading; read at most `maxBytes` (HARD_CAP without
 * one), whatever `st_size` claims (`/proc` files say 0).
 *
 * One `read` per file: the buffer holds `st_size + 1` bytes, so a read that brings the `st_size`
 * bytes and stops short of the buffer's end is the end of the file; only a file that grew, or
 * says size 0, takes more reads (the buffer doubles, up to `maxBytes`).
 */
export function readRegularFile(path: string, maxBytes = HARD_CAP, noFollow = false, borrow = false, listed = false): Buffer {
  // (a file its folder's listing says is regular, read borrowed: `readListedFile`)
  if (listed && noFollow && borrow && maxBytes <= LENT_MAX) return readListedFile(path, maxBytes);
  const fd = openSync(path, constants.O_RDONLY | O_NONBLOCK | (noFollow ? O_NOFOLLOW : 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw fail(st.isDirectory() ? 'EISDIR' : ENOTREG, `${describeType(st)}, not a regular file`);
    // `cap`: the bytes of `buf` this read may fill (a borrowed buffer is longer)
    let cap = Math.min(maxBytes, Math.max(st.size + 1, 64));
    let buf = borrow && cap <= LENT_MAX ? lend(cap) : Buffer.allocUnsafe(cap);
    let got = 0;
    for (;;) {
      if (got === cap) {
        if (got >= maxBytes) break;
        cap = Math.min(maxBytes, cap * 2);
        const bigger = Buffer.allocUnsafe(cap);
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      const want = cap - got;
      const n = readSync(fd, buf, got, want, null);
      got += n;
      // the end: nothing more, or a short read once st_size bytes are in (no second read to hear
      // the end; a file that says size 0, as /proc files do, is read until a read gives nothing)
      if (n === 0 || (n < want && st.size > 0 && got >= st.size)) break;
    }
    if (got >= HARD_CAP && maxBytes === HARD_CAP) throw fail('EFBIG', `larger than ${HARD_CAP / 1024 / 1024} MiB`);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * `readRegularFile` of a file a walk met as a regular file in its folder's listing (the entry's
 * type, `d_type`), borrowed: no `fstat` (on denoland/deno's 6,400 files, the call and the `Stats`
 * object Node makes of it, four `Date`s included, were ~45 ms of the main thread). Opened as
 * `readRegularFile` opens (`O_NONBLOCK`, `O_NOFOLLOW`: no FIFO can hang the run, a link put there
 * since the listing is refused), then one read of up to `maxBytes` into the lent buffer: a
 * regular file's read stops short of what was asked only at its end, so a short read is the
 * whole file and a full one is `maxBytes` bytes (the caller asks one byte more than it accepts to
 * tell a file that is too large). What it does not do: refuse, before reading, a file that was
 * replaced by a FIFO or a device between the listing and the open (the entry said regular);
 * such a file is read as the other files are, at most `maxBytes` bytes and without blocking, and
 * a directory put there fails (EISDIR).
 */
function readListedFile(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
  try {
    const buf = lend(maxBytes);
    return buf.subarray(0, readSync(fd, buf, 0, maxBytes, null));
  } finally {
    closeSync(fd);
  }
}

/**
 * The buffer borrowing reads fill (`readRegularFile`'s `borrow`): one allocation for a walk over
 * thousands of files, where a buffer per file (outside V8's heap above 4 KiB) made garbage the
 * collector had to account for. It grows to the largest file read this way, up to LENT_MAX.
 */
let lent: Buffer | undefined;
const LENT_MAX = 4 * 1024 * 1024;

function lend(size: number): Buffer {
  if (!lent || lent.length < size) lent = Buffer.allocUnsafeSlow(Math.max(size, 64 * 1024));
  return lent;
}

/** The real path of a root folder, for `SafeReadOptions.root`. */
export function realRoot(fs: FileSystem, root: string): string {
  try {
    return fs.realpath(root);
  } catch {
    return root;
  }
}

/** Whether the real path `real` is `root` or inside it. */
export function within(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) || root.endsWith('/') ? root : root + sep);
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'error';
}

/** `safeRead` opens the path it checked (resolved, or walked over directory entries): a link there now is a change, refused. */
const NO_FOLLOW = { noFollow: true } as const;
const NO_FOLLOW_BORROW = { noFollow: true, borrow: true } as const;
const NO_FOLLOW_BORROW_LISTED = { noFollow: true, borrow: true, listed: true } as const;

type Refused = { ok: false; refusal: Refusal; reason: string };

/** Resolve links; refuse loops and targets outside the root. */
export function resolveInside(fs: FileSystem, abs: string, root: string | undefined): { ok: true; real: string } | Refused {
  let real: string;
  try {
    real = fs.realpath(abs);
  } catch (e) {
    const code = errCode(e);
    if (code === 'ELOOP') return { ok: false, refusal: 'loop', reason: 'symbolic link loop' };
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      let link = false;
      try {
        link = fs.lstat(abs).type === 'symlink';
      } catch {
        /* gone */
      }
      return { ok: false, refusal: 'missing', reason: link ? 'dangling symbolic link' : 'no such file' };
    }
    return { ok: false, refusal: 'unreadable', reason: `cannot read: ${code}` };
  }
  if (root !== undefined && !within(real, root)) return { ok: false, refusal: 'outside-root', reason: 'symbolic link that points outside the scan root (not followed)' };
  return { ok: true, real };
}

function refusalOf(e: unknown): Refused {
  const code = errCode(e);
  if (code === 'ENOENT') return { ok: false, refusal: 'missing', reason: 'no such file' };
  if (code === 'ELOOP') return { ok: false, refusal: 'loop', reason: 'symbolic link loop' };
  if (code === 'EISDIR') return { ok: false, refusal: 'not-regular', reason: 'a directory, not a regular file' };
  if (code === ENOTREG || code === 'ENXIO') return { ok: false, refusal: 'not-regular', reason: code === 'ENXIO' ? 'a socket, not a regular file' : (e as Error).message };
  return { ok: false, refusal: 'unreadable', reason: `cannot read: ${code}` };
}

// (a function of its own: a closure in safeRead would make a context on its every call)
const tooLarge = (maxBytes: number): Refused => ({ ok: false, refusal: 'too-large', reason: `larger than the ${Math.round(maxBytes / 1024)} KiB limit` });

/**
 * Read a file of the tree safely through `fs` (see the module comment): links only inside
 * `root`, regular files only, never more than `maxBytes` (a larger file is `too-large`, of which
 * at most `maxBytes + 1` bytes were read). Never blocks, never throws for the tree's sake.
 */
export function safeRead(fs: FileSystem, abs: string, opts: SafeReadOptions): ReadResult {
  let real = abs;
  if (!opts.noLinks) {
    const r = resolveInside(fs, abs, opts.root);
    if (!r.ok) return r;
    real = r.real;
  }
  const how = opts.borrow ? (opts.listed ? NO_FOLLOW_BORROW_LISTED : NO_FOLLOW_BORROW) : NO_FOLLOW;
  try {
    if (opts.sniff) {
      const head = fs.readFile(real, opts.sniff.bytes, how);
      if (head.length === 0 || !opts.sniff.accept(head)) return { ok: false, refusal: 'not-ours', reason: 'not a file permlint reads' };
      if (head.length < opts.sniff.bytes) return head.length > opts.maxBytes ? tooLarge(opts.maxBytes) : { ok: true, bytes: head, real };
    }
    const bytes = fs.readFile(real, opts.maxBytes + 1, how);
    if (bytes.length > opts.maxBytes) return tooLarge(opts.maxBytes);
    return { ok: true, bytes, real };
  } catch (e) {
    return refusalOf(e);
  }
}

/**
 * Bytes to text: UTF-8, with a UTF-8 byte order mark dropped (so that it does not shift the
 * columns of the first line), and UTF-16 (LE or BE) when the file starts with its byte order mark.
 */
export function decodeText(bytes: Uint8Array, ascii?: boolean): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // (`ascii`: the caller knows whether the bytes are ASCII; ASCII holds no byte order mark)
  if (ascii !== undefined) return ascii ? buf.toString('latin1') : decodeText(buf);
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.toString('utf8', 3);
  // ASCII (most files of a repository) decodes to the same string either way; latin1 skips the UTF-8 validation (3x faster)
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}

/**
 * Whether the bytes are the UTF-8 of the text `decodeText` makes of them: ASCII, or valid UTF-8
 * that does not start with a byte order mark (which `decodeText` drops). Such bytes hold each
 * ASCII character of the text as that byte, and every byte of another character is 0x80 or more.
 */
export function isTextUtf8(bytes: Uint8Array, ascii = isAscii(bytes)): boolean {
  if (ascii) return true;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return false;
  return isUtf8(bytes);
}

/** The length (UTF-16 code units) of the text valid UTF-8 bytes decode to, without decoding them. */
export function utf16Length(bytes: Uint8Array): number {
  // a character is one byte that is not a continuation byte (0x80–0xbf); one of four bytes (its first is 0xf0 or more) is two units
  let n = bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) {
      if (c < 0xc0) n--;
      else if (c >= 0xf0) n++;
    }
  }
  return n;
}

/**
 * A short, printable excerpt of a value from the tree for a message: control characters
 * escaped, at most `max` characters with the middle elided. Messages never quote more.
 */
export function excerpt(s: string, max = 60): string {
  const shown = s.length > max ? `${s.slice(0, Math.ceil((max - 1) / 2))}…${s.slice(s.length - Math.floor((max - 1) / 2))}` : s;
  return escapeControls(shown);
}
