/**
 * The texts of the files a run read, without holding them: after a file is parsed its text is
 * let go, and what later phases ask for (the fingerprint of a finding's line, a fix's edit, a
 * SARIF line hash) is read again from the same file system and checked against the SHA-256 taken
 * at the first read. A file that changed in between gives no text (`changed` lists it): whoever
 * asked falls back as for a file it never had (a fingerprint from the message, no fix), so
 * nothing is ever computed from, or written over, content the findings were not made from.
 *
 * Texts the run will surely need again (files that hold a suppression directive) are kept
 * (`keep`), and the last few texts read again are cached, so that a reporter walking the
 * findings of one file reads it once.
 */
import { hash } from 'node:crypto';
import type { FileSystem } from './fs.js';
import { decodeText, safeRead } from './fsafe.js';

/** What consumers of file texts need: a read-only view that a `Map<string, string>` also satisfies. */
export interface Texts {
  /** The text of a file the run read, or undefined (not read, or changed since). */
  get(path: string): string | undefined;
  /** Whether the run read the file. */
  has(path: string): boolean;
  /** Every file the run read. */
  keys(): IterableIterator<string>;
}

/** Re-read texts cached at once: at most this many files … */
const CACHE_FILES = 16;
/** … and this many characters in all (one larger file is still cached on its own). */
const CACHE_CHARS = 8 * 1024 * 1024;

/** What `FileTexts` checks a text read again against: SHA-256 of its UTF-8 (given as the text, or as those bytes). */
export function textDigest(text: string | Uint8Array): string {
  // the one-shot form: half the time of createHash().update().digest() over denoland/deno's 6,400 files (no Hash object per file)
  return hash('sha256', text, 'base64');
}
const digest = textDigest;

export class FileTexts implements Texts {
  private readonly files = new Map<string, { fs: FileSystem; abs: string; hash: string; length: number }>();
  private readonly kept = new Map<string, string>();
  private readonly cache = new Map<string, string>();
  private cached = 0;
  /** Files whose content changed after they were read (their text is no longer given). */
  readonly changed = new Set<string>();

  constructor(private readonly fs: FileSystem) {}

  /** Records a file read at `abs` with `text`; with `keep`, the text is held for the whole run. */
  add(path: string, abs: string, text: string, keep = false): void {
    this.files.set(path, { fs: this.fs, abs, hash: digest(text), length: text.length });
    if (keep) this.kept.set(path, text);
  }

  /**
   * Records a file read at `abs` whose text is not at hand any more (discovery took its digest,
   * `textDigest`, and length and let it go): `get` reads it again, checked, when asked.
   */
  addRead(path: string, abs: string, hash: string, length: number): void {
    this.files.set(path, { fs: this.fs, abs, hash, length });
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  keys(): IterableIterator<string> {
    return this.files.keys();
  }

  get size(): number {
    return this.files.size;
  }

  /** Takes in the files of another run (the CLI lints groups of paths separately and reports them together). */
  absorb(other: FileTexts): void {
    for (const [path, f] of other.files) this.files.set(path, f);
    for (const [path, text] of other.kept) this.kept.set(path, text);
    for (const path of other.changed) this.changed.add(path);
  }

  /** Forgets a file (read only to link against, say): no text, not listed. */
  delete(path: string): boolean {
    this.kept.delete(path);
    this.uncache(path);
    return this.files.delete(path);
  }

  /** The texts held for the whole run (`add(…, keep)`), by path. */
  keptTexts(): Map<string, string> {
    return new Map(this.kept);
  }

  get(path: string): string | undefined {
    const kept = this.kept.get(path);
    if (kept !== undefined) return kept;
    const hit = this.cache.get(path);
    if (hit !== undefined) {
      // most recently used last
      this.cache.delete(path);
      this.cache.set(path, hit);
      return hit;
    }
    const f = this.files.get(path);
    if (!f || this.changed.has(path)) return undefined;
    // UTF-8 takes at most 3 bytes per UTF-16 unit, UTF-16 2 (+ a byte order mark): more is a change
    const r = safeRead(f.fs, f.abs, { maxBytes: f.length * 3 + 4 });
    const text = r.ok ? decodeText(r.bytes) : undefined;
    if (text === undefined || text.length !== f.length || digest(text) !== f.hash) {
      this.changed.add(path);
      return undefined;
    }
    this.cache.set(path, text);
    this.cached += text.length;
    for (const [p, t] of this.cache) {
      if (p === path || (this.cache.size <= CACHE_FILES && this.cached <= CACHE_CHARS)) break;
      this.uncache(p, t);
    }
    return text;
  }

  private uncache(path: string, text = this.cache.get(path)): void {
    if (text === undefined) return;
    this.cache.delete(path);
    this.cached -= text.length;
  }
}
