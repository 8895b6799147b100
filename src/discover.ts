/**
 * Find the files permlint reads, in one walk over directory entries: file types come from the
 * entries (no stat per file), `.gitignore` files prune as they are met (the root's, nested
 * ones, and those of the folders above the root up to the repository's top), together with the
 * config's ignore globs. Each candidate is read once, through the safe opener (src/fsafe.ts),
 * and its text handed to the scan; files whose name rules them out are never opened.
 *
 * Symbolic links are followed once when they stay inside the root (as Deno follows them);
 * links out of the root, loops, FIFOs, sockets and devices are listed as skipped with the
 * reason — never read, never silent. A path named on the command line that cannot be read that
 * way is refused (the CLI exits 2).
 */
import { isAscii } from 'node:buffer';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { FileRole, ParseProblem, SourceKind } from './model.js';
import { kindByContent, kindByName as registryKindByName, mayHoldFacts, mayHoldFactsUtf8, mightSniff, SNIFF_BYTES } from './sources/registry.js';
import { textDigest } from './file-texts.js';
import { classifyFile, HEADER_CHARS } from './roles.js';
import { nodeFs, type DirEntry, type FileSystem } from './fs.js';
import { decodeText, isTextUtf8, realRoot, resolveInside, safeRead, utf16Length, within, type ReadResult, type SafeReadOptions } from './fsafe.js';
import { IgnoreSet, parseIgnore } from './glob.js';
import { NEVER_WALKED } from './never-walked.js';

/** A file's kind: the source that reads it, or 'yaml' (a candidate for Kubernetes, sniffed by content). */
export type FileKind = SourceKind | 'yaml';

export interface DiscoveredFile {
  /** Path relative to the scan root, forward slashes. */
  path: string;
  abs: string;
  kind: FileKind;
  /**
   * The text, when discovery already read the file (the scan then does not open it again). The
   * scan takes it over: it is cleared once read, so that no list of files holds every text.
   */
  text?: string | undefined;
  /**
   * Set for a file read whose source rules it out on its whole text (`mayHoldFacts`: the
   * TypeScript sniff, for most modules of a repository): its text is not kept, only what the scan
   * records of every file read — the digest and length that `FileTexts` checks a text read again
   * against, and the role its path and first lines give (`classifyFile`, without the config's).
   */
  ruledOut?: { digest: string; length: number; role: FileRole } | undefined;
  /** With `text`, when discovery read it: what its source's sniff said of the text (`mayHoldFacts`), so that no one asks again. */
  mayHoldFacts?: boolean | undefined;
}

export interface DiscoverResult {
  root: string;
  files: DiscoveredFile[];
  /** Files skipped for a reason the user should hear about (size, symlink out of root, FIFO, unreadable). */
  skipped: { path: string; reason: string }[];
  /** Paths the user named that do not exist. */
  missing: string[];
  /** Paths the user named that permlint refuses to read (a FIFO, a device, a link out of the root). */
  refused: { path: string; reason: string }[];
  /** Dotenv files seen (by name only; never read): what read grants must not reach. */
  secretFiles: string[];
}

export interface DiscoverOptions {
  ignore?: string[];
  maxFileBytes?: number;
  /** Where files are read from (default: the disk). */
  fs?: FileSystem;
  /**
   * Texts the run keeps whole (`ScanOptions.keepText`: suppression directives): such a file keeps
   * its text even when ruled out. With `markers` (ASCII words), it holds exactly for the texts
   * that include one of them, and discovery asks it of an ASCII file's bytes without decoding them.
   */
  keepText?: ((text: string) => boolean) & { markers?: readonly string[] };
  /**
   * Called with each file as it is found, in the order of the walk (the result is sorted after):
   * the TypeScript analysis starts on the candidates while the walk goes on (src/sources/typescript/index.ts `AnalysisAhead`).
   */
  onFile?: (file: DiscoveredFile) => void;
}

/** A NUL byte (the scan's to report: such a file keeps its text). */
const NUL_ONLY: readonly (Uint8Array | number)[] = [0];

const asBuffer = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Whether the bytes hold one of `words` (bytes, or a byte value). */
function holdsAny(bytes: Uint8Array, words: readonly (Uint8Array | number)[]): boolean {
  const b = asBuffer(bytes);
  for (let i = 0; i < words.length; i++) if (b.indexOf(words[i]!) >= 0) return true;
  return false;
}

/** `.gitignore` files larger than this are skipped (and reported). */
const MAX_IGNORE_BYTES = 1024 * 1024;

/** Skipped files the user asked to scan but that could not be read: each is a parse-error problem. */
export function unreadProblems(skipped: DiscoverResult['skipped']): ParseProblem[] {
  return skipped
    .filter((s) => s.reason.startsWith('larger') || s.reason.startsWith('cannot read'))
    .map((s) => ({ file: s.path, span: { file: s.path, line: 1, column: 1, endLine: 1, endColumn: 1 }, code: 'not-scanned' as const, detail: s.reason }));
}

const DOTENV_DOCS = new Set(['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults', '.env.schema']);

/** `.env`, `.env.production`, … — not `.env.example` and the like, which document variables. */
export function isDotenv(base: string): boolean {
  return (base === '.env' || base.startsWith('.env.')) && !DOTENV_DOCS.has(base);
}

/** Classify a file by its path alone (the source registry decides); undefined = needs a sniff or is not ours. */
export function kindByName(path: string): FileKind | undefined {
  return registryKindByName(path);
}

/**
 * The folder paths in reports are relative to: the working directory, unless a path lies outside
 * it — then the deepest folder that holds every path (`permlint /tmp/x` reports `deno.json`).
 */
function scanRoot(paths: string[], cwd: string, fs: FileSystem): string {
  const abs = (paths.length ? paths : ['.']).map((p) => resolve(cwd, p));
  const inside = cwd.endsWith(sep) ? cwd : cwd + sep;
  if (abs.every((a) => a === cwd || a.startsWith(inside))) return cwd;
  const dirs = abs.map((a) => {
    try {
      return fs.stat(a).type === 'directory' ? a : dirname(a);
    } catch {
      return dirname(a);
    }
  });
  let common = dirs[0]!;
  while (!dirs.every((d) => d === common || d.startsWith(common.endsWith(sep) ? common : common + sep))) common = dirname(common);
  return common;
}

/** The repository's top folder above (or at) `dir`: the nearest folder holding `.git`; `dir` itself outside a repository. */
function repositoryTop(dir: string, fs: FileSystem): string {
  for (let d = dir, i = 0; i < 256; i++) {
    try {
      fs.lstat(join(d, '.git'));
      return d;
    } catch {
      /* not here */
    }
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return dir;
}

const byName = (a: DirEntry, b: DirEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Whether entries are in name order already: Node's readdir lists them sorted by their UTF-8 bytes, which is name order but for names outside the BMP. */
function inNameOrder(entries: DirEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (entries[i - 1]!.name > entries[i]!.name) return false;
  return true;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));
const CONFIG_FILE_NAMES = new Set(['permlint.config.json', '.permlintrc.json', '.permlintrc.yaml', '.permlintrc.yml']);

/** A name that is a file permlint would read (or a config, or an ignore file): worth a word when it cannot be read. */
function oursByName(rel: string, base: string): boolean {
  return kindByName(rel) !== undefined || base === '.gitignore' || CONFIG_FILE_NAMES.has(base) || mightSniff(rel);
}

interface Dir {
  abs: string;
  /** Relative to the scan root, `/` separators; '' for the root. */
  rel: string;
  /** Real path (links resolved). */
  real: string;
  /** The ignore rules of the folder that lists it (`IgnoreSet.forSubfolder`), for a folder met in a walk. */
  parentIg?: IgnoreSet;
}

/**
 * Discover files under each path. A path may be a file (linted whatever its kind looks like,
 * as pre-commit passes them) or a folder.
 */
export function discover(paths: string[], options: DiscoverOptions = {}, cwd?: string): DiscoverResult {
  const fs = options.fs ?? nodeFs;
  const base0 = resolve(cwd ?? fs.cwd());
  const root = scanRoot(paths, base0, fs);
  const result: DiscoverResult = { root, files: [], skipped: [], missing: [], refused: [], secretFiles: [] };
  const maxBytes = options.maxFileBytes ?? 2 * 1024 * 1024;
  const rootReal = realRoot(fs, root);
  // ignore rules work on paths relative to the repository's top, so that the .gitignore files
  // of the folders above the root apply as git applies them
  const top = repositoryTop(root, fs);
  const topReal = realRoot(fs, top);
  const prefix = toPosix(relative(top, root));
  const topPath = (rel: string) => (prefix ? (rel ? `${prefix}/${rel}` : prefix) : rel);
  const allIgnores = new IgnoreSet();
  const configIgnore = new IgnoreSet();
  if (options.ignore?.length) {
    const globs = parseIgnore(options.ignore.join('\n'), prefix);
    allIgnores.add(globs);
    configIgnore.add(globs);
  }
  // the words a kept text has (none without keepText); undefined: keepText must see every text
  const keepMarkers = options.keepText === undefined ? NUL_ONLY : options.keepText.markers && [...NUL_ONLY, ...options.keepText.markers.map((m) => Buffer.from(m, 'latin1'))];
  const loadedIgnores = new Set<string>();
  // files reached twice (a file named and in a folder named, or under two folders named); one path reaches each file once
  const seen = paths.length > 1 ? new Set<string>() : undefined;
  const skip = (path: string, reason: string) => result.skipped.push({ path, reason });

  /** Load the `.gitignore` of the folder `dirAbs` (`dirTop`: its path relative to the top; `shown`: for messages). */
  const loadGitignore = (dirAbs: string, dirTop: string, shown: string, regularEntry = false) => {
    if (loadedIgnores.has(dirAbs)) return;
    loadedIgnores.add(dirAbs);
    // a .gitignore above the root may link within the repository; one below, within the root.
    // A regular file listed in a walked folder is read as that folder's other files are (no link
    // to resolve): the folder may have been reached through a path the user passed that crosses
    // a link, and resolving would then put the file outside the root the walk is in.
    const r = safeRead(fs, join(dirAbs, '.gitignore'), {
      root: within(dirAbs, rootReal) ? rootReal : topReal,
      maxBytes: MAX_IGNORE_BYTES,
      ...(regularEntry ? { noLinks: true } : {}),
    });
    if (r.ok) allIgnores.add(parseIgnore(decodeText(r.bytes), dirTop));
    else if (r.refusal !== 'missing') skip(shown, `${r.reason}; its patterns were not applied`);
  };
  // the folders above the root, from the top down
  if (prefix) {
    const chain: string[] = [];
    for (let d = dirname(root); within(d, top); d = dirname(d)) {
      chain.unshift(d);
      if (d === top) break;
    }
    for (const d of chain) loadGitignore(d, toPosix(relative(top, d)), toPosix(relative(root, join(d, '.gitignore'))));
  }

  // what a candidate is read with: the whole file, borrowed (decoded or hashed before the next read)
  // (`listed`: the walk reads a file its folder's listing said is regular, without asking its type again)
  const whole = { root: rootReal, maxBytes, noLinks: true, borrow: true, listed: true };
  const wholeLinked = { ...whole, noLinks: false, listed: false };

  /** A file (`base`: its name, in the folder `absDir`): read it when some source may take it, and record what the scan needs of it. */
  const consider = (absDir: string, rel: string, base: string, explicit: boolean, noLinks: boolean) => {
    if (seen !== undefined) {
      if (seen.has(rel)) return;
      seen.add(rel);
    }
    const kind: FileKind | undefined = registryKindByName(rel, base);
    if (isDotenv(base)) result.secretFiles.push(rel);
    if (!kind && !explicit && !mightSniff(rel, base)) return; // not ours: never opened
    readCandidate(absDir + base, rel, base, kind, explicit, noLinks ? whole : wholeLinked);
  };

  /** Read a file some source may take (`kind`: by its name) and record it. */
  const readCandidate = (abs: string, rel: string, base: string, byName: FileKind | undefined, explicit: boolean, how: SafeReadOptions) => {
    let kind = byName;
    let r: ReadResult;
    let sniffed: FileKind | undefined;
    if (kind) r = safeRead(fs, abs, how);
    else if (kindByContent('', rel, explicit, base) !== undefined) {
      // a file some source takes whatever its first bytes say (TypeScript, by its name) is read
      // whole and sniffed on the same bytes: one open, where a head read then a full read made two
      r = safeRead(fs, abs, how);
      if (r.ok) {
        if (r.bytes.length === 0) return;
        kind = kindByContent(decodeText(r.bytes.subarray(0, SNIFF_BYTES)), rel, explicit, base);
        if (!kind) return; // as the head read says: not ours
      } else if (r.refusal === 'too-large') ({ r, sniffed } = sniffRead(abs, rel, base, explicit, how)); // its kind decides the message
    } else ({ r, sniffed } = sniffRead(abs, rel, base, explicit, how));
    if (!r.ok) return unread(r, rel, explicit, kind, sniffed);
    kind ??= sniffed;
    if (kind) record(abs, rel, kind, r.bytes);
  };

  /** Read the head of a file no name claims, and the rest when a content sniff takes it. */
  const sniffRead = (abs: string, rel: string, base: string, explicit: boolean, how: SafeReadOptions) => {
    let sniffed: FileKind | undefined;
    const sniff = { bytes: SNIFF_BYTES, accept: (h: Uint8Array) => (sniffed = kindByContent(decodeText(h), rel, explicit, base)) !== undefined };
    const r = safeRead(fs, abs, { ...how, sniff });
    return { r, sniffed };
  };

  /** A candidate that could not be read: said where the user should hear of it. */
  const unread = (r: Extract<ReadResult, { ok: false }>, rel: string, explicit: boolean, kind: FileKind | undefined, sniffed: FileKind | undefined) => {
    if (r.refusal === 'not-ours') return;
    if (explicit && r.refusal === 'missing') result.missing.push(rel);
    else if (explicit && r.refusal !== 'too-large' && r.refusal !== 'unreadable') result.refused.push({ path: rel, reason: r.reason });
    else if (r.refusal === 'unreadable' && !kind) return;
    // TypeScript/JavaScript is only sniffed for task definitions: too large is a skip, not a parse-error
    else if (r.refusal === 'too-large' && (kind ?? sniffed) === 'typescript') skip(rel, `TypeScript/JavaScript file ${r.reason}; not read`);
    else skip(rel, r.reason);
  };

  /** A file read (`bytes`, borrowed: decoded or hashed here) as `kind`: its text for the scan, or what the scan records of a file ruled out. */
  const found = (f: DiscoveredFile) => {
    result.files.push(f);
    options.onFile?.(f);
  };
  const record = (abs: string, rel: string, kind: FileKind, bytes: Uint8Array) => {
    // most modules of a repository are ruled out by their source's sniff: that is decided on the
    // bytes when they are the text's UTF-8 (ASCII, or valid UTF-8 without a byte order mark: no
    // string is made of them), as is the rest of what the text path below asks
    const ascii = isAscii(bytes);
    if (keepMarkers !== undefined && isTextUtf8(bytes, ascii) && !mayHoldFactsUtf8(kind, rel, bytes) && !holdsAny(bytes, keepMarkers)) {
      // the role reads the first HEADER_CHARS characters: of UTF-8, at most 3 bytes each (and a character cut at the end comes after them)
      const head = ascii
        ? asBuffer(bytes).toString('latin1', 0, Math.min(bytes.length, HEADER_CHARS))
        : decodeText(bytes.subarray(0, Math.min(bytes.length, 3 * HEADER_CHARS + 3))).slice(0, HEADER_CHARS);
      // (the bytes are the text's UTF-8: hashed as they are)
      found({ path: rel, abs, kind, ruledOut: { digest: textDigest(bytes), length: ascii ? bytes.length : utf16Length(bytes), role: classifyFile(rel, head) } });
      return;
    }
    const text = decodeText(bytes, ascii);
    // a file its source rules out keeps no text: 13 of deno's 16 M characters are modules the
    // TypeScript sniff rules out (a NUL byte is the scan's to report, a directive the run's to keep)
    const may = mayHoldFacts(kind, rel, text);
    if (!may && !text.includes('\0') && !options.keepText?.(text)) {
      // (an ASCII file's bytes are its text's UTF-8: hashed as they are, without encoding the text again)
      const digest = ascii ? textDigest(bytes) : textDigest(text);
      found({ path: rel, abs, kind, ruledOut: { digest, length: text.length, role: classifyFile(rel, text) } });
      return;
    }
    found({ path: rel, abs, kind, text, mayHoldFacts: may });
  };

  /** Real paths of folders walked, to the path they were walked as (loops, folders reached twice through links). */
  const walked = new Map<string, string>();
  const deferredLinks: Dir[] = [];

  /** A folder's entries in name order, its `.gitignore` loaded; undefined when it has none (or cannot be read). */
  const listFolder = (dir: Dir): DirEntry[] | undefined => {
    let entries;
    try {
      entries = fs.readdir(dir.abs);
    } catch (e) {
      skip(dir.rel || '.', `cannot read the folder: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
      return undefined;
    }
    // (an empty list is left out here: its array is of another kind than the others, which the walk's optimised code would meet once and be thrown away for)
    if (entries.length === 0) return undefined;
    // (a sort copies the list, even a sorted one: 3 MB of garbage on denoland/deno)
    if (!inNameOrder(entries)) entries.sort(byName);
    // (indexed loops in the walk: a for-of makes an iterator result per entry until the code is optimised)
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.name === '.gitignore') loadGitignore(dir.abs, topPath(dir.rel), dir.rel ? `${dir.rel}/.gitignore` : '.gitignore', e.type === 'file');
    }
    return entries;
  };

  /** A folder entry: walked unless ignored. */
  const folderEntry = (realDir: string, absDir: string, name: string, rel: string, ig: IgnoreSet, subdirs: Dir[]) => {
    if (NEVER_WALKED.has(name) || ig.ignoresName(name, true)) return;
    if (CONFIG_FILE_NAMES.has(name) || registryKindByName(rel, name) !== undefined) skip(rel, 'a directory named like a file permlint reads');
    // (a folder whose path is its real path, as most are, holds one string for both)
    const abs = absDir + name;
    subdirs.push({ abs, rel, real: realDir === absDir ? abs : realDir + name, parentIg: ig });
  };

  /** A symbolic link (followed once when it stays inside the root), a FIFO, a socket or a device. */
  const rareEntry = (dir: Dir, e: DirEntry, absDir: string, rel: string, ig: IgnoreSet) => {
    const name = e.name;
    const abs = absDir + name;
    if (e.type === 'other') {
      if (ig.ignoresName(name, false) || !oursByName(rel, name)) return;
      let what = 'not a regular file';
      try {
        what = `${fs.lstat(abs).detail ?? 'a special file'}, not a regular file`;
      } catch {
        /* gone */
      }
      skip(rel, what);
      return;
    }
    const target = resolveInside(fs, abs, rootReal);
    if (!target.ok) {
      if (ig.ignoresName(name, false) || ig.ignoresName(name, true)) return;
      if (target.refusal === 'loop' || oursByName(rel, name)) skip(rel, target.reason);
      return;
    }
    let tst;
    try {
      tst = fs.stat(target.real);
    } catch {
      return;
    }
    if (tst.type === 'directory') {
      if (NEVER_WALKED.has(name) || ig.ignoresName(name, true)) return;
      if (within(dir.real, target.real)) skip(rel, 'symbolic link loop (a link to a folder that holds it)');
      else deferredLinks.push({ abs, rel, real: target.real });
    } else if (tst.type === 'file') {
      if (!ig.ignoresName(name, false)) consider(absDir, rel, name, false, false);
    } else if (oursByName(rel, name)) skip(rel, `a symbolic link to ${tst.detail ?? 'a special file'}, not a regular file`);
  };

  const walk = (start: Dir) => {
    const stack: Dir[] = [start];
    while (stack.length) {
      const dir = stack.pop()!;
      if (walked.has(dir.real)) continue;
      walked.set(dir.real, dir.rel);
      const entries = listFolder(dir);
      if (entries === undefined) continue;
      // the rules that can match an entry here (every entry below is one of this folder's)
      const ig = dir.parentIg !== undefined ? allIgnores.forSubfolder(dir.parentIg, topPath(dir.rel)) : allIgnores.forFolder(topPath(dir.rel));
      const subdirs: Dir[] = [];
      // an entry name holds no separator and is never `.` or `..`: no need for join()'s normalising (122 MB of garbage at 50k files)
      const absDir = dir.abs.endsWith(sep) ? dir.abs : dir.abs + sep;
      const realDir = dir.real === dir.abs ? absDir : dir.real.endsWith(sep) ? dir.real : dir.real + sep;
      const relDir = dir.rel ? `${dir.rel}/` : '';
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        const name = e.name;
        if (name === '.gitignore') continue; // read (or refused) above
        const rel = relDir + name;
        if (e.type === 'file') {
          if (!ig.ignoresName(name, false)) consider(absDir, rel, name, false, true);
        } else if (e.type === 'directory') folderEntry(realDir, absDir, name, rel, ig, subdirs);
        else rareEntry(dir, e, absDir, rel, ig);
      }
      for (let k = subdirs.length - 1; k >= 0; k--) stack.push(subdirs[k]!);
    }
  };

  /** Linked folders, after every real folder: each is walked once, under the first link that reaches it. */
  const walkLinks = () => {
    while (deferredLinks.length) {
      deferredLinks.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
      const l = deferredLinks.shift()!;
      const before = walked.get(l.real);
      if (before !== undefined) skip(l.rel, `symbolic link to a folder already scanned as ${before || '.'}`);
      else walk(l);
    }
  };

  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(base0, p);
    const rel = toPosix(relative(root, abs));
    const outside = rel === '..' || rel.startsWith('../');
    let l;
    try {
      l = fs.lstat(abs);
    } catch {
      result.missing.push(p);
      continue;
    }
    // a named path outside the root is the user's choice; links below the root must stay inside it
    const target =
      l.type === 'symlink' || outside ? resolveInside(fs, abs, outside ? undefined : rootReal) : ({ ok: true, real: rel ? join(rootReal, ...rel.split('/')) : rootReal } as const);
    if (!target.ok) {
      if (target.refusal === 'missing') result.missing.push(p);
      else result.refused.push({ path: p, reason: target.reason });
      continue;
    }
    let st;
    try {
      st = fs.stat(target.real);
    } catch {
      result.missing.push(p);
      continue;
    }
    if (st.type === 'file') {
      // the ignore globs apply to named files too (pre-commit passes them)
      if (!outside && configIgnore.size && configIgnore.ignores(topPath(rel))) continue;
      const base = rel.slice(rel.lastIndexOf('/') + 1);
      consider(abs.slice(0, abs.length - base.length), rel, base, true, false);
      continue;
    }
    if (st.type !== 'directory') {
      result.refused.push({ path: p, reason: `${st.detail ?? 'a special file'}, not a regular file or a folder` });
      continue;
    }
    // .gitignore files of the folders between the root and a named folder
    if (rel && !outside) {
      const parts = rel.split('/');
      for (let i = 0; i < parts.length; i++) {
        const d = parts.slice(0, i).join('/');
        loadGitignore(join(root, ...parts.slice(0, i)), topPath(d), d ? `${d}/.gitignore` : '.gitignore');
      }
    }
    walk({ abs, rel, real: target.real });
  }
  walkLinks();
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  result.skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

/** The message for paths named on the command line that permlint refuses to read. */
export function refusedMessage(refused: DiscoverResult['refused']): string {
  return `${refused.map((r) => `cannot read ${r.path}: ${r.reason}`).join('; ')} (permlint reads regular files, and folders, inside the scan root)`;
}
