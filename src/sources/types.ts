import type { PermissionSetsSnapshot } from '../set-resolver.js';
import type { ContextKind, Declaration, InvocationContext, Model, Origin, SourceKind, Span } from '../model.js';
import type { PermissionSetResolver } from '../grammar/deno.js';
import type { LineIndex } from '../text.js';

/** One file handed to a source: read once, with a line index for spans. */
export interface SourceFile {
  /** Repo-relative path with forward slashes. */
  path: string;
  text: string;
  index: LineIndex;
}

/** What the scan knows across files, for sources that need it (permission sets, contexts). */
export interface ScanContext {
  model: Model;
  /** The permission-set resolver for an invocation running in folder `cwd` (repo-relative). */
  resolverFor(cwd: string): PermissionSetResolver;
  /** The context a file's invocations run in, after the config's `contexts` globs. */
  contextFor(file: string, natural: ContextKind): ContextKind;
  /** Sequence number for ids of unnamed things in a file. */
  nextId(file: string, what: string): string;
  /**
   * Another file of this scan (discovered, read once, shared), for formats that include files
   * (GitLab CI `include: local`); undefined when discovery did not take it.
   */
  file?(path: string): SourceFile | undefined;
  /** Repo-relative paths of every file this scan discovered (for includes written as globs: GitLab CI `include: 'ci/*.yml'`). */
  paths?(): Iterable<string>;
  /** The deno.json permission sets read so far, as plain data (for the TypeScript analysis thread). */
  permissionSets?(): PermissionSetsSnapshot;
}

/** How a file kind writes comments, for `permlint-ignore` directives: `#`, `//`, either, or no comments at all. */
export type CommentStyle = 'hash' | 'slash' | 'both' | 'none';

/**
 * What discovery, suppressions and the link walk know of a file kind without loading its parser:
 * held in src/sources/registry.ts, which every source module takes its head from.
 */
export interface SourceHead {
  kind: SourceKind;
  /** The context its invocations run in (rules.md "Contexts and levels"), before the config's `contexts` and the link phase move them. */
  context: ContextKind;
  /** Comment syntax of the format, for suppression directives. */
  comments: CommentStyle;
  /** Discovery by name: `path` is repo-relative with forward slashes, `base` its last segment. */
  matchName?(path: string, base: string): boolean;
  /**
   * Discovery by content, for files no module claimed by name. `names(base)` says which names are
   * worth reading the head of during a folder walk; a file the user names explicitly is sniffed
   * whatever its name. `content(head)` gets the first SNIFF_BYTES of the file. `names` may read
   * only the name's extension as written (what follows its last dot) and whether it has a dot:
   * the registry asks it once per extension (src/sources/registry.ts `sniffersNaming`).
   */
  sniff?: { names(base: string): boolean; content(head: string, path: string): boolean };
}

/**
 * The contract of a source module: one file kind, from discovery to facts. Register the kind in
 * src/sources/registry.ts (its head and how to load the module) and build the module on that
 * head; nothing else needs to know about it (docs/contributing-sources.md).
 */
export interface Source extends SourceHead {
  /** Read one file: emit facts (invocations, commands, env, declarations, problems) with exact spans; never levels or messages (problems are codes plus data). */
  parse(file: SourceFile, ctx: ScanContext): void | Promise<void>;
  /**
   * Optional: the files of this kind a scan is about to parse, in the order it will, before the
   * first `parse` (with the text when discovery read it). A source whose work runs elsewhere (the
   * TypeScript parser thread) starts on the next files while this thread reads the current one.
   * Emits nothing. `ctx` is the scan's (the one its parse calls get), to keep the plan per scan.
   */
  prepare?(files: { path: string; text?: string | undefined }[], ctx?: ScanContext): void;
}

/** `ScanContext.nextId` of one scan: `file#what:n`, n counting from 1 per file and kind of thing. */
export function idSequence(): ScanContext['nextId'] {
  const ids = new Map<string, number>();
  return (file, what) => {
    const k = `${file}#${what}`;
    const n = (ids.get(k) ?? 0) + 1;
    ids.set(k, n);
    return `${k}:${n}`;
  };
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** `rel` joined onto the folder `dir` (posix, `.` and `..` resolved, backslashes read as slashes); no leading slash. */
export function joinPath(dir: string, rel: string): string {
  const parts = dir ? dir.split('/').filter(Boolean) : [];
  for (const p of rel.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

export function origin(file: SourceFile, span: Span, source: SourceKind, name?: string): Origin {
  return name === undefined ? { file: file.path, span, source } : { file: file.path, span, source, name };
}

export function context(kind: ContextKind, cwd: string): InvocationContext {
  return { kind, cwd };
}

export type { Declaration };
