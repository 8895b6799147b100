/**
 * The library entry: `lint(paths | fs, options)` runs the whole pipeline —
 * discover → scan (sources, then the link phase) → engine → inline suppressions → baseline —
 * and returns the findings with the model they were computed from. The CLI's lint command,
 * `permlint audit`, `permlint diff` and the tests all go through it; it prints nothing, reads
 * no config file (callers pass the resolved settings) and never writes.
 *
 * ```ts
 * import { lint } from 'permlint/dist/src/lint.js';
 * import { memoryFs } from 'permlint/dist/src/fs.js';
 * const { findings } = await lint(memoryFs({ 'deno.json': '{"tasks":{"dev":"deno run -A main.ts"}}' }));
 * ```
 */
import { join, relative, resolve, sep } from 'node:path';
import { availableParallelism } from 'node:os';
import { realRoot } from './fsafe.js';
import type { CodeRole, ContextKind, Finding, Model } from './model.js';
import type { Rule } from './rule-api.js';
import { discover, kindByName, refusedMessage, unreadProblems, type DiscoveredFile, type FileKind } from './discover.js';
import { scan } from './scan.js';
import { maySubsumeOthers, resolveLevel, runRules, type EngineOptions } from './engine.js';
import { SUPPRESSION_RULES, applySuppressions, mayHoldDirectives } from './suppress.js';
import { applyBaseline, type Baseline, type BaselineEntry } from './baseline.js';
import { RULES } from '../rules/index.js';
import { compareSpans } from './text.js';
import { annotate, mayShow, mayShowAt, type SelectOptions } from './persona.js';
import { readdirSync } from 'node:fs';
import { nodeFs, type DirEntry, type FileSystem } from './fs.js';
import { shortFinding } from './report/escape.js';
import { relevantLinkInputs, type JsonMembers } from './link-inputs.js';
import { usesParserThread, warmParserThread } from './parser-warmup.js';
import { kindOfEntry } from './sources/registry.js';
import type { FileTexts } from './file-texts.js';
import type { LinkWalkCache } from './link-cache.js';
import { ListAhead } from './list-ahead.js';

/** Paths on disk (relative to `options.cwd`), or a file system to lint (all of it, or `paths` in it). */
export type LintInput = string[] | FileSystem | { fs: FileSystem; paths: string[] };

export interface LintOptions {
  /** The folder relative paths start from (default: the file system's own, `process.cwd()` for the disk). */
  cwd?: string;
  /** Globs of files to skip (config `ignore` and `--ignore`); they apply to named files too. */
  ignore?: string[];
  /** Levels, options, overrides and trusted values (config `rules`, `overrides`, `trusted`, `--rule`). */
  engine?: EngineOptions;
  /** Config `contexts`: moves files into a context whatever their natural one. */
  contextOverride?: (file: string) => ContextKind | undefined;
  /** Config `roles`: puts files in a code role whatever their path says (src/roles.ts). */
  roleOverride?: (file: string) => CodeRole | undefined;
  /** The rules to run (default: every rule). An empty list skips the engine, suppressions and the baseline (audit). */
  rules?: Rule[];
  /** Honour `permlint-ignore` comments and annotations (default true; `--no-inline-config` sets false). */
  inline?: boolean;
  /** Report directives that hide nothing (`--report-unused-suppressions`). */
  reportUnusedSuppressions?: boolean;
  /** Findings recorded here are hidden; entries that match nothing are returned as `stale`. */
  baseline?: Baseline;
  /**
   * Keep every file's text in `files` for the whole run (audit compares texts across trees);
   * by default only texts with suppression directives are kept, the others read again when asked for.
   */
  keepTexts?: boolean;
  /** Files larger than this are not read (default 2 MiB). */
  maxFileBytes?: number;
  /** Called with a short phase description ("reading 12 files…"). */
  onProgress?: (message: string) => void;
  /** Something the run could not do (a part of the analysis skipped), for stderr. */
  onWarning?: (message: string) => void;
  /** Paths that do not exist are returned in `missing` instead of throwing `MissingPathError`. */
  allowMissing?: boolean;
  /**
   * When the paths are a few files or folders (pre-commit), also read the files of the scan root
   * that can link to them, as link-only inputs: they decide what runs what (a Dockerfile running a
   * deno.json task makes it deployment), but their own findings and entries are not reported.
   * Which files, by name only (see `linkInputsFs`): every deployment, CI, launcher and runtime
   * file (Dockerfiles, workflows, compose, Kubernetes, Procfile, Makefile, scripts, pins, …),
   * and the deno.json / package.json of the folders that hold a named path; of those, only the
   * ones whose text names something a named file is run by (src/link-inputs.ts) are parsed.
   * Default true; `'all'` parses every such file (what the selection is checked against).
   */
  linkRepository?: boolean | 'all';
  /**
   * Keep the link-only walk's folder listings on disk between runs (`--cache`): `true` for
   * `<root>/node_modules/.cache/permlint/link-walk.json`, or the cache file's path (relative to
   * `cwd`). Only folders whose stat is unchanged are taken from it; the results are the same
   * (src/link-cache.ts). Used on the disk only.
   */
  cache?: boolean | string;
  /**
   * What the caller shows: only the findings `selectForPersona(findings, selection)` keeps (the
   * CLI's persona and `--min-confidence`), and no baseline written from them. Then what only rules
   * none of whose findings can pass it read is not computed: section G (the module graphs behind
   * `model.inferences`) when no rule that reads it can show a finding (src/persona.ts `mayShow`)
   * nor drop another rule's finding — unless unused suppressions are reported, or the baseline has
   * entries of those rules (they would turn stale). The result then has `inferLater`. Without
   * `selection` (audit, diff, the API) everything is computed.
   */
  selection?: SelectOptions;
  /**
   * With `selection`: the caller will ask `inferLater` for the least-privilege fixes of the
   * findings it shows (the CLI's machine formats). The graphs of the entrypoints that an
   * `allow-all` finding's fix may read are then started in the parser thread once the scan is done,
   * while the rules run (src/infer/index.ts `GraphsAhead`), instead of after them.
   */
  fixesLater?: boolean;
}

export interface LintResult {
  /** The folder every path in the result is relative to. */
  root: string;
  /** After levels, suppressions and the baseline, in report order. */
  findings: Finding[];
  model: Model;
  /**
   * Every file that was read, by repo-relative path, with its text on demand: texts are not held
   * after parsing (but those with suppression directives); `files.get(path)` reads the file again
   * and gives its text only when it is still what was scanned (src/file-texts.ts).
   */
  files: FileTexts;
  /** What discovery found (path, kind), in path order. */
  discovered: DiscoveredFile[];
  /** Files not read, with the reason (size, a link out of the root, unreadable). */
  skipped: { path: string; reason: string }[];
  /** Named paths that do not exist (only with `allowMissing`). */
  missing: string[];
  /** Baseline entries that match no finding of a file this run read (or of a file that is gone). */
  staleBaseline: BaselineEntry[];
  /** Files read only to link against (see `linkRepository`): in the model, not in findings or `files`. */
  linkOnly: Set<string>;
  /**
   * Set when section G was left out (`selection`): fills `model.inferences` for the invocations
   * `want` picks among those the run would have inferred, as a run without `selection` gives them
   * (the CLI's least-privilege fixes on the findings it shows). Once.
   */
  inferLater?: (want: (inv: Model['invocations'][number]) => boolean) => Promise<void>;
}

export class MissingPathError extends Error {
  constructor(readonly paths: string[]) {
    super(`no such file or directory: ${paths.join(', ')}`);
  }
}

/** Named paths permlint will not read (a FIFO, a device, a link out of the root): a usage error like a missing path. */
export class RefusedPathError extends MissingPathError {
  constructor(readonly refused: { path: string; reason: string }[]) {
    super(refused.map((r) => r.path));
    this.message = refusedMessage(refused);
  }
}

/** Every context an invocation can end up in (the link phase moves some): section G starts on any it may be wanted in. */
const CONTEXT_KINDS = Object.keys({ deployment: 1, build: 1, ci: 1, development: 1, test: 1 } satisfies Record<ContextKind, 1>) as readonly ContextKind[];

/** The rule ids suppressions and `--rule` may name: every rule plus the suppression checks. */
export const KNOWN_RULE_IDS: string[] = [...RULES.map((r) => r.meta.id), ...SUPPRESSION_RULES.map((r) => r.id)];

/** Manifests read as link-only inputs only in the folders on the way to a named path (the nearest one, the workspace root). */
const NEAREST_ONLY = new Set<FileKind>(['deno.json', 'package.json']);
/** Kinds that only link through code (nothing follows into TypeScript), or that only a content sniff recognises. */
const NEVER_LINK = new Set<FileKind>(['typescript', 'shebang']);
const LISTING = { withFileTypes: true } as const;

/**
 * The file system the link-only walk sees: `fs` with the folder entries cut down, by name alone,
 * to the files that can link to the named paths — so the walk opens nothing else, and discovery's
 * pruning (`.gitignore`, ignore globs, links) applies unchanged. A file is kept when its name
 * gives it a kind (src/sources/registry.ts) other than TypeScript/JavaScript, and, for deno.json
 * and package.json, only in a folder that holds a named path (or above one). Files only a content
 * sniff recognises (a `#!` script without an extension) are not read: name them to lint them.
 */
export function linkInputsFs(fs: FileSystem, root: string, named: string[], cache?: LinkWalkCache, ahead?: ListAhead): FileSystem {
  const onTheWay = foldersOnTheWay(named);
  /**
   * Whether the file `name` of the folder `dirRel` is kept: a `.gitignore`, or a file whose name
   * gives it a kind that can link (what the cache holds), and of those the manifests only in a
   * folder on the way (`way`) to a named path. Decided on the name: the registry makes the path
   * only for the few names a matcher may take (`kindOfEntry`), so most names cost no string.
   */
  const keeps = (dirRel: string, name: string, way: boolean): boolean => {
    if (name === '.gitignore') return true;
    const kind = kindOfEntry(dirRel, name);
    return kind !== undefined && !NEVER_LINK.has(kind) && (way || !NEAREST_ONLY.has(kind));
  };
  const rootSep = root.endsWith(sep) ? root : root + sep;
  const relOf = (p: string) => {
    const rel = p === root ? '' : p.startsWith(rootSep) ? p.slice(rootSep.length) : relative(root, p);
    return sep === '/' ? rel : rel.split(sep).join('/');
  };
  const list =
    fs === nodeFs
      ? // the disk's entries, filtered before an entry object is made for each (most of a large tree's names are dropped here)
        (p: string, dirRel: string, way: boolean): DirEntry[] => {
          const out: DirEntry[] = [];
          // (listed by the parser thread, src/list-ahead.ts: the same names and types, in the same order)
          const got = ahead?.take(p);
          if (got !== undefined) {
            const { names, types } = got;
            for (let i = 0; i < names.length; i++) {
              const t = types.charCodeAt(i);
              const name = names[i]!;
              if (t === 100) out.push({ name, type: 'directory' });
              else if (t === 108) out.push({ name, type: 'symlink' });
              else if (keeps(dirRel, name, way)) out.push({ name, type: t === 102 ? 'file' : 'other' });
            }
            return out;
          }
          const ds = readdirSync(p, LISTING);
          for (let i = 0; i < ds.length; i++) {
            const d = ds[i]!;
            if (d.isDirectory()) out.push({ name: d.name, type: 'directory' });
            else if (d.isSymbolicLink()) out.push({ name: d.name, type: 'symlink' });
            else if (keeps(dirRel, d.name, way)) out.push({ name: d.name, type: d.isFile() ? 'file' : 'other' });
          }
          return out;
        }
      : (p: string, dirRel: string, way: boolean) => fs.readdir(p).filter((e) => e.type === 'directory' || e.type === 'symlink' || keeps(dirRel, e.name, way));
  const walkFs: FileSystem = {
    ...fs,
    readdir: cache
      ? (p) => {
          // the cache holds every file that can link (manifests too), then the manifests are left out off the way
          const dirRel = relOf(p);
          const entries = cache.readdir(p, dirRel, () => list(p, dirRel, true));
          return onTheWay.has(dirRel) ? entries : entries.filter((e) => e.type === 'directory' || e.type === 'symlink' || keeps(dirRel, e.name, false));
        }
      : (p) => {
          const dirRel = relOf(p);
          return list(p, dirRel, onTheWay.has(dirRel));
        },
  };
  // with the cache, what the walk asks the disk besides listings is noted (`walkFiles` asks it again)
  return cache ? cache.noting(walkFs, fs, rootSep) : walkFs;
}

/**
 * The folders on the way to the named paths (the root, each folder above a named path, a named
 * folder itself). Each path's folders are added from the nearest up, until one is in already (its
 * own are then in too): linear in the names' length (a folder of a large repository named whole
 * names every file in it; splitting and joining each path's prefixes cost 32 ms for deno's 14,600).
 */
export function foldersOnTheWay(named: string[]): Set<string> {
  const onTheWay = new Set<string>(['']);
  for (const p of named) {
    onTheWay.add(p); // a named folder
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const folder = p.slice(0, i);
      if (onTheWay.has(folder)) break;
      onTheWay.add(folder);
    }
  }
  return onTheWay;
}

/**
 * The link-only inputs' discovery: the walk of the whole tree through `linkInputsFs`; with the
 * cache, when nothing the last walk relied on has changed (src/link-cache.ts `walkFiles`: a
 * `stat` per folder), only the files it found, named to discovery directly (read, sniffed
 * and ruled on as in the walk), instead of walking again.
 */
export function linkOnlyDiscover(fs: FileSystem, root: string, named: string[], options: { ignore: string[]; maxFileBytes?: number }, cache: LinkWalkCache | undefined, ahead?: ListAhead): DiscoveredFile[] {
  if (cache) {
    const onTheWay = foldersOnTheWay(named);
    const manifest = (rel: string) => NEAREST_ONLY.has(kindByName(rel)!);
    const key = JSON.stringify({ ignore: options.ignore });
    const prefix = root.endsWith(sep) ? root : root + sep;
    const abs = (rel: string) => (rel ? prefix + (sep === '/' ? rel : rel.split('/').join(sep)) : root);
    const files = cache.walkFiles(key, onTheWay, fs, abs);
    if (files) {
      const folderOf = (rel: string) => rel.slice(0, Math.max(rel.lastIndexOf('/'), 0));
      // (the walk lets a deno.json or package.json through only in a folder on the way)
      const paths = files.filter((p) => onTheWay.has(folderOf(p)) || !manifest(p));
      // (no paths would be the whole root to discover())
      return paths.length ? discover(paths, { ...options, fs }, root).files : [];
    }
    const found = discover(['.'], { ...options, fs: linkInputsFs(fs, root, named, cache) }, root).files;
    cache.keepWalk(key, onTheWay, found.map((f) => f.path), manifest);
    return found;
  }
  // (the parser thread lists folders ahead of the walk: src/list-ahead.ts; not with the cache, which stats a folder before it lists it)
  try {
    return discover(['.'], { ...options, fs: linkInputsFs(fs, root, named, undefined, ahead) }, root).files;
  } finally {
    ahead?.end();
  }
}

/**
 * The parser thread's listings for the link-only walk of `root` (src/list-ahead.ts), when the
 * thread runs (started for a named file: never for this alone), the machine has a second core,
 * and the walk runs from compiled JavaScript (the thread loads it); PERMLINT_LIST_AHEAD=0 turns it off.
 */
async function listAheadOf(root: string): Promise<ListAhead | undefined> {
  if (process.env.PERMLINT_LIST_AHEAD === '0' || availableParallelism() < 2) return undefined;
  const parser = await import('./sources/typescript/parser.js');
  const module = parser.threadModule('./list-ahead.js', import.meta.url);
  if (module === undefined || !parser.parserThreadStarted()) return undefined;
  const job = ListAhead.memoryFor(root);
  return parser.runInThreadNow(module, job) ? new ListAhead(job) : undefined;
}

/** An invocation that grants every permission by a flag (`-A`, `--allow-all`): the subjects of `allow-all` findings, whose fixes read section G. */
const hasAllowAll = (i: Model['invocations'][number]) => i.flags.some((f) => f.name === '--allow-all');

/** The members of the object under `key` of a JSON(C) text, with their values' text; undefined when the text does not parse cleanly. */
function jsonMembers(jsonc: typeof import('jsonc-parser')): JsonMembers {
  return (text, key) => {
    const errors: import('jsonc-parser').ParseError[] = [];
    const root = jsonc.parseTree(text, errors, { allowTrailingComma: true });
    if (errors.length || !root) return undefined;
    const node = jsonc.findNodeAtLocation(root, [key]);
    if (!node || node.type !== 'object') return [];
    return (node.children ?? []).flatMap((p) => {
      const [k, v] = p.children ?? [];
      return typeof k?.value === 'string' ? [[k.value, v ? text.slice(v.offset, v.offset + v.length) : ''] as [string, string]] : [];
    });
  };
}

export function byReportOrder(a: Finding, b: Finding): number {
  return compareSpans(a.span, b.span) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

export async function lint(input: LintInput = ['.'], options: LintOptions = {}): Promise<LintResult> {
  const { fs, paths } = Array.isArray(input) ? { fs: nodeFs, paths: input } : 'fs' in input ? input : { fs: input, paths: ['.'] };
  const progress = options.onProgress ?? (() => {});
  const engine = options.engine ?? {};
  const rules = options.rules ?? RULES;

  progress('finding files…');
  const ignores = options.ignore ?? [];
  // the texts the run keeps whole (suppression directives; every one for --keep-texts): discovery keeps them even when ruled out
  const keepText = options.keepTexts ? () => true : options.inline === false ? undefined : mayHoldDirectives;
  // a walk of a folder (section G's graphs start before the scan, below)
  const walks = paths.some((p) => {
    try {
      return fs.stat(resolve(options.cwd ?? fs.cwd(), p)).type === 'directory';
    } catch {
      return false;
    }
  });
  // section G reads only the entrypoints of invocations where a rule that reads it (over-grant,
  // under-grant) is on; and not at all when the caller can show none of their findings
  const readers = rules.filter((r) => r.meta.readsInferences).map((r) => r.meta);
  const unseen = (sel: SelectOptions) =>
    !options.reportUnusedSuppressions &&
    !options.baseline?.entries.some((e) => readers.some((m) => m.id === e.rule)) &&
    readers.every((m) => !mayShow(m, sel) && !maySubsumeOthers(m, rules));
  const later = !!options.selection && readers.length > 0 && unseen(options.selection);
  const sectionG = later ? [] : readers;
  // the TypeScript analysis starts on the candidates as discovery finds them (src/sources/typescript/index.ts
  // AnalysisAhead): a walk's as it walks; named files' (pre-commit) once they are read, before the
  // link-only walk below, which finds no TypeScript (NEVER_LINK): the parser thread analyses them
  // while this thread walks (and a run on no TypeScript file does not load the TypeScript stack)
  const ahead = walks ? (await import('./sources/typescript/index.js')).analysisAhead(options.contextOverride) : undefined;
  // large files of other kinds go to the parser thread as the walk finds them too (./scan-ahead.ts),
  // when section G does not run there (its graphs leave the thread no room: deno, auditor, no faster)
  const readAhead = walks && ahead && !sectionG.length ? (await import('./scan-ahead.js')).ScanAhead.start() : undefined;
  const onFile = ahead ? { onFile: readAhead ? (f: DiscoveredFile) => (ahead.onFile(f), readAhead.onFile(f)) : ahead.onFile } : {};
  const found = discover(paths, { ignore: ignores, fs, ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}), ...(keepText ? { keepText } : {}), ...onFile }, options.cwd ?? fs.cwd());
  if (ahead) ahead.complete(found);
  else if (found.files.some((f) => f.kind === 'typescript' && f.text !== undefined)) {
    const named = (await import('./sources/typescript/index.js')).analysisAhead(options.contextOverride);
    if (named) {
      for (const f of found.files) named.onFile(f);
      named.complete(found);
    }
  }
  if (found.missing.length && !options.allowMissing) throw new MissingPathError(found.missing);
  // a named FIFO, device or link out of the root (discovery applies the ignore globs to named files too)
  if (found.refused.length) throw new RefusedPathError(found.refused);

  // a run on a few files links against the rest of the repository, so levels do not depend on which files were passed
  const linkOnly: DiscoveredFile[] = [];
  const cwd = resolve(options.cwd ?? fs.cwd());
  if (options.linkRepository !== false && !paths.some((p) => resolve(cwd, p) === found.root)) {
    // a named file that will use the parser thread starts it now (if the CLI has not): its start
    // overlaps the walk below instead of following the scan (src/parser-warmup.ts)
    if (fs === nodeFs) await warmParserThread(found.files);
    const named = new Set(found.files.map((f) => f.path));
    const given = paths.map((p) => relative(found.root, resolve(cwd, p)).split(sep).join('/')).filter((p) => p !== '..' && !p.startsWith('../'));
    // with --cache, the folders unchanged since the last run are not listed again (src/link-cache.ts)
    let cache: LinkWalkCache | undefined;
    if (options.cache && fs === nodeFs) {
      const { openLinkWalkCache, DEFAULT_CACHE_PATH } = await import('./link-cache.js');
      const custom = typeof options.cache === 'string';
      const file = custom ? resolve(cwd, options.cache as string) : join(found.root, ...DEFAULT_CACHE_PATH.split('/'));
      cache = openLinkWalkCache(file, realRoot(fs, found.root), custom ? undefined : found.root);
    }
    // without it, the parser thread (when it runs: a named file needs it) lists folders ahead of the walk (src/list-ahead.ts)
    // (only when a named file has started the thread, as src/parser-warmup.ts decides: a run on a Dockerfile loads no TypeScript stack)
    const ahead = cache || fs !== nodeFs || !usesParserThread(found.files) ? undefined : await listAheadOf(found.root);
    const all = linkOnlyDiscover(fs, found.root, [...found.files.map((f) => f.path), ...given], { ignore: ignores, ...(options.maxFileBytes ? { maxFileBytes: options.maxFileBytes } : {}) }, cache, ahead);
    cache?.save();
    // (a file its source rules out links to nothing)
    const candidates = all.filter((f) => !named.has(f.path) && !f.ruledOut);
    // of those, only what can reach a named file (by the names it is run by), decided on the text
    const manifests = [...found.files, ...candidates].some((f) => f.kind === 'deno.json' || f.kind === 'package.json');
    const membersOf = manifests && options.linkRepository !== 'all' ? jsonMembers(await import('jsonc-parser')) : () => undefined;
    linkOnly.push(...(options.linkRepository === 'all' ? candidates : relevantLinkInputs(found.files, candidates, membersOf)));
  }
  const linkOnlyPaths = new Set(linkOnly.map((f) => f.path));

  // link-only files (a run on a few paths) are not analysed
  // (a Deno subcommand that takes no permissions, `deno task x` among them, is not inferred: src/infer/index.ts)
  const worthFor = (metas: typeof readers, i: Model['invocations'][number], kinds: readonly ContextKind[]) =>
    !!i.entrypoint && (i.takesPermissions || i.runtime !== 'deno') && !linkOnlyPaths.has(i.origin.file) && metas.some((m) => kinds.some((k) => resolveLevel(m, m.level, i.origin.file, k, engine) !== 'off'));
  const worth = (i: Model['invocations'][number], kinds: readonly ContextKind[]) => worthFor(sectionG, i, kinds);
  const wanted = (i: Model['invocations'][number]) => worth(i, [i.context.kind]);
  // section G starts in the parser thread on the invocations the scan finds, in any context the
  // link phase may give them (loaded at the first); the rules take the ones they want (src/infer/index.ts GraphsAhead)
  // (a walk of a folder loads it now: the scan does not wait on the event loop between files; a run
  // on named files only at its first invocation worth it)
  let infer: Promise<typeof import('./infer/run.js')> | undefined;
  let graphsAhead: import('./infer/run.js').GraphsAhead | undefined;
  const startAhead = (mod: typeof import('./infer/run.js')) => (graphsAhead = mod.GraphsAhead.start(mod.inferFs(fs, found.root), (i) => worth(i, CONTEXT_KINDS)));
  if (walks && sectionG.length) {
    infer = import('./infer/run.js');
    const mod = await infer.catch(() => undefined);
    if (mod) startAhead(mod);
  }
  // `deno eval` codes go to the parser thread as the scan finds them, when it already runs (./eval-ahead.ts):
  // a walk's analysis, or a named file's (a pre-commit run), has started it
  const evalAhead = ahead || (fs === nodeFs && usesParserThread(found.files)) ? (await import('./eval-ahead.js')).EvalAhead.start() : undefined;
  let looked = 0;
  const onParsed = (m: Model) => {
    evalAhead?.see(m);
    if (!sectionG.length) return;
    if (graphsAhead) return graphsAhead.see(m);
    if (infer) return;
    while (looked < m.invocations.length && !worth(m.invocations[looked]!, CONTEXT_KINDS)) looked++;
    if (looked === m.invocations.length) return;
    infer = import('./infer/run.js');
    infer.then((mod) => startAhead(mod)?.see(m), () => {});
  };

  progress(`reading ${found.files.length} file${found.files.length === 1 ? '' : 's'}…`);
  const scanned = await scan([...found.files, ...linkOnly].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), {
    fs,
    secretFiles: found.secretFiles,
    ...(options.contextOverride ? { contextOverride: options.contextOverride } : {}),
    ...(options.roleOverride ? { roleOverride: options.roleOverride } : {}),
    ...(keepText ? { keepText } : {}),
    ...(sectionG.length || evalAhead ? { onParsed } : {}),
    ...(readAhead ? { ahead: readAhead } : {}),
  });
  const model = scanned.model;
  const files = scanned.files;
  for (const p of linkOnlyPaths) files.delete(p);
  model.problems.push(...unreadProblems(found.skipped));
  /** Section G's inferences of the invocations `pick` takes (the rules only see the result); `ahead`: the graphs started during the scan, asked once the module is loaded (its loading starts them). */
  const inferWith = async (pick: (inv: Model['invocations'][number]) => boolean, loading: Promise<typeof import('./infer/run.js')> | undefined, ahead?: () => import('./infer/run.js').GraphsAhead | undefined) => {
    let mod: typeof import('./infer/run.js') | undefined;
    try {
      mod = await (loading ?? import('./infer/run.js'));
    } catch (e) {
      // oxc-parser is a native addon: under a permission model without addons it cannot load
      options.onWarning?.(`over-grant and under-grant skipped: the TypeScript parser could not load (${(e as Error).message.split('\n')[0]})`);
    }
    if (mod) model.inferences = await mod.inferModel(model, mod.inferFs(fs, found.root), pick, ahead?.());
  };
  if (model.invocations.some(wanted)) {
    // section G: read the modules each entrypoint reaches
    progress('reading entrypoints…');
    await inferWith(wanted, infer, () => graphsAhead);
  } else graphsAhead?.end();
  // section G left for later, when the caller will ask it for fixes: the graphs an `allow-all`
  // finding's fix reads start in the parser thread now, while the rules run (a superset of what
  // `inferLater` is asked: the persona's choice of findings is known only after the rules)
  const allowAll = rules.find((r) => r.meta.id === 'allow-all')?.meta;
  const shown = (i: Model['invocations'][number]) =>
    !!allowAll && mayShowAt(allowAll.id, resolveLevel(allowAll, allowAll.level, i.origin.file, i.context.kind, engine), i.context.kind, options.selection);
  const fixesMayRead = (i: Model['invocations'][number]) => i.runtime === 'deno' && hasAllowAll(i) && shown(i) && worthFor(readers, i, [i.context.kind]);
  // (a run with no such invocation loads nothing of section G: a pre-commit run on a Dockerfile)
  const fixesAhead = later && !!options.fixesLater && model.invocations.some(fixesMayRead);
  if (fixesAhead) {
    infer = import('./infer/run.js');
    const mod = await infer.catch(() => undefined);
    graphsAhead = mod?.GraphsAhead.start(mod.inferFs(fs, found.root), fixesMayRead);
    graphsAhead?.see(model);
  }
  const inferLater = async (want: (inv: Model['invocations'][number]) => boolean) => {
    // (the caller's pick first: it is a set look-up, and often empty)
    const subjects = (i: Model['invocations'][number]) => want(i) && worthFor(readers, i, [i.context.kind]);
    if (model.invocations.some(subjects)) await inferWith(subjects, fixesAhead ? infer : undefined, () => graphsAhead);
    else graphsAhead?.end();
  };
  // `deno eval` of code written out in full: whether the code uses any permission (src/eval-code.ts)
  if (model.invocations.some((i) => i.subcommand === 'eval' && i.implicitAll && i.entrypoint && !i.entrypoint.dynamic)) {
    try {
      const { readEvalCode } = await import('./eval-code.js');
      await readEvalCode(model, evalAhead);
    } catch (e) {
      options.onWarning?.(`deno eval code not read: the TypeScript parser could not load (${(e as Error).message.split('\n')[0]})`);
    }
  }
  // what the run did not read of its own files: a file read only to link against (a run on a few
  // paths) is not one of them, and what its reader left out is not reported
  found.skipped.push(...(model.unscanned ?? []).filter((u) => !linkOnlyPaths.has(u.path)));
  const result: LintResult = { root: found.root, findings: [], model, files, discovered: found.files, skipped: found.skipped, missing: found.missing, staleBaseline: [], linkOnly: linkOnlyPaths };
  if (later) result.inferLater = inferLater;
  if (!rules.length) return result;

  progress('checking rules…');
  const raw = runRules(model, rules, engine).findings.filter((f) => !linkOnlyPaths.has(f.span.file));

  // inline suppressions, then the baseline
  const kinds = new Map<string, FileKind>(found.files.map((f) => [f.path, f.kind]));
  // only files that hold a directive were kept whole; the others have none to apply
  const texts = new Map([...files.keptTexts()].map(([k, text]) => [k, { text, kind: kinds.get(k) }]));
  const sup = await applySuppressions(raw, texts, { inline: options.inline ?? true, reportUnused: !!options.reportUnusedSuppressions, knownRules: KNOWN_RULE_IDS });
  const problems = sup.problems.flatMap((p) => {
    const meta = SUPPRESSION_RULES.find((r) => r.id === p.ruleId)!;
    const level = resolveLevel(meta, p.level, p.span.file, undefined, engine);
    return level === 'off' ? [] : [{ ...p, level }];
  });
  // code roles, confidence and persona, one finding per cause (after suppressions, which name
  // single lines); every finding is kept: callers choose a persona with selectForPersona
  const ranked = annotate([...sup.findings, ...problems], { model, rules: rules.map((r) => r.meta), ...(options.roleOverride ? { configured: options.roleOverride } : {}) });
  // messages quote at most short excerpts of what the tree holds, whatever rule or source wrote them
  result.findings = ranked.map(shortFinding).sort(byReportOrder);
  if (options.baseline) {
    const inRun = new Set(found.files.map((f) => f.path));
    const exists = (file: string) => {
      try {
        fs.stat(resolve(found.root, file));
        return true;
      } catch {
        return false;
      }
    };
    // entries of files outside this run (pre-commit passes a few files) are not stale
    const b = applyBaseline(result.findings, files, options.baseline, (file) => inRun.has(file) || !exists(file));
    result.findings = b.findings;
    result.staleBaseline = b.stale;
  }
  return result;
}
