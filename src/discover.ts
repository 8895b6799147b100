/**
 * Find the files permlint reads: walk the roots through the FileSystem interface (the disk or
 * an in-memory tree), honour .gitignore and the config's ignore globs, never follow a symlink
 * out of the root, classify by name first and by a cheap content sniff second.
 */
import ignore, { type Ignore } from 'ignore';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ParseProblem, SourceKind } from './model.js';
import { kindByContent, kindByName as registryKindByName, mightSniff, SNIFF_BYTES } from './sources/registry.js';
import { nodeFs, type FileSystem } from './fs.js';

/** A file's kind: the source that reads it, or 'yaml' (a candidate for Kubernetes, sniffed by content). */
export type FileKind = SourceKind | 'yaml';

export interface DiscoveredFile {
  /** Path relative to the scan root, forward slashes. */
  path: string;
  abs: string;
  kind: FileKind;
}

export interface DiscoverResult {
  root: string;
  files: DiscoveredFile[];
  /** Files skipped for a reason the user should hear about (size, symlink out of root, unreadable). */
  skipped: { path: string; reason: string }[];
  /** Paths the user named that do not exist. */
  missing: string[];
  /** Dotenv files seen (by name only; never read): what read grants must not reach. */
  secretFiles: string[];
}

export interface DiscoverOptions {
  ignore?: string[];
  maxFileBytes?: number;
  /** Where files are read from (default: the disk). */
  fs?: FileSystem;
}

/** Folders never walked into (at any depth below a walked folder). */
const ALWAYS_IGNORED = new Set(['node_modules', '.git', 'vendor', '.deno', 'dist', 'coverage']);

/** Skipped files the user asked to scan but that could not be read: each is a parse-error problem. */
export function unreadProblems(skipped: DiscoverResult['skipped']): ParseProblem[] {
  return skipped
    .filter((s) => s.reason.startsWith('larger') || s.reason.startsWith('cannot read'))
    .map((s) => ({ file: s.path, span: { file: s.path, line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `not scanned: ${s.reason}` }));
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

function gitignoreFor(root: string, fs: FileSystem): Ignore {
  const ig = ignore();
  try {
    ig.add(Buffer.from(fs.readFile(join(root, '.gitignore'))).toString('utf8'));
  } catch {
    /* no or unreadable .gitignore: nothing to honour */
  }
  return ig;
}

function insideRoot(root: string, abs: string, fs: FileSystem): boolean {
  try {
    const real = fs.realpath(abs);
    const realRoot = fs.realpath(root);
    return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  } catch {
    return false;
  }
}

/**
 * Discover files under each path. A path may be a file (linted whatever its kind looks like,
 * as pre-commit passes them) or a folder.
 */
export function discover(paths: string[], options: DiscoverOptions = {}, cwd?: string): DiscoverResult {
  const fs = options.fs ?? nodeFs;
  const root = scanRoot(paths, resolve(cwd ?? fs.cwd()), fs);
  const result: DiscoverResult = { root, files: [], skipped: [], missing: [], secretFiles: [] };
  const ig = gitignoreFor(root, fs).add(options.ignore ?? []);
  const maxBytes = options.maxFileBytes ?? 2 * 1024 * 1024;
  const seen = new Set<string>();

  const consider = (abs: string, explicit: boolean) => {
    const rel = relative(root, abs).split(sep).join('/');
    if (seen.has(rel)) return;
    seen.add(rel);
    if (!explicit && rel && ig.ignores(rel)) return;
    let kind = kindByName(rel);
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (isDotenv(base)) result.secretFiles.push(rel);
    const sniffable = explicit || mightSniff(rel);
    if (!kind && !sniffable && !explicit) return; // not ours: never touched
    let size: number;
    try {
      const l = fs.lstat(abs);
      if (l.type === 'symlink' && !insideRoot(root, abs, fs)) {
        result.skipped.push({ path: rel, reason: 'symbolic link that points outside the scan root' });
        return;
      }
      const st = fs.stat(abs);
      if (st.type !== 'file') return;
      size = st.size;
    } catch (e) {
      if (kind) result.skipped.push({ path: rel, reason: `cannot read: ${(e as Error).message}` });
      return;
    }
    if (!kind) {
      if (!sniffable || size === 0) return;
      let head: string;
      try {
        head = Buffer.from(fs.readFile(abs, SNIFF_BYTES)).toString('utf8');
      } catch {
        return;
      }
      kind = kindByContent(head, rel, explicit);
      if (!kind) return;
    }
    if (size > maxBytes) {
      result.skipped.push({ path: rel, reason: `larger than the ${Math.round(maxBytes / 1024)} KiB limit` });
      return;
    }
    result.files.push({ path: rel, abs, kind });
  };

  for (const p of paths.length ? paths : ['.']) {
    const abs = resolve(resolve(cwd ?? fs.cwd()), p);
    let st;
    try {
      st = fs.stat(abs);
    } catch {
      result.missing.push(p);
      continue;
    }
    if (st.type === 'file') {
      consider(abs, true);
      continue;
    }
    const entries = walk(fs, abs);
    entries.sort();
    for (const e of entries) consider(e, false);
  }
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

/** Regular files under a folder: links are neither listed nor walked into; unreadable folders are skipped. */
function walk(fs: FileSystem, dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = fs.readdir(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.type === 'file') out.push(join(dir, e.name));
    else if (e.type === 'directory' && !ALWAYS_IGNORED.has(e.name)) walk(fs, join(dir, e.name), out);
  }
  return out;
}
