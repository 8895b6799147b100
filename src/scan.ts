/**
 * Build the model from discovered files: read each file once, run the sources in two phases
 * (deno.json configuration first, so that `-P` resolves; then every command line).
 */
import type { CodeRole, ContextKind, Model } from './model.js';
import { emptyModel } from './model.js';
import type { DiscoveredFile } from './discover.js';
import { setResolverFor, snapshotSets, type SetDeclaration } from './set-resolver.js';
import { LineIndex } from './text.js';
import { idSequence, type ScanContext, type Source, type SourceFile } from './sources/types.js';
import { loadSource } from './sources/registry.js';
import { link } from './link/index.js';
import { ByFolder, parentDir } from './link/nearest.js';
import { nodeFs, type FileSystem } from './fs.js';
import { decodeText, safeRead } from './fsafe.js';
import { assignRoles, classifyFile, deploymentByWhatItBuilds } from './roles.js';
import { problemMessage, unreadPartReason } from './messages/problems.js';
import { FileTexts } from './file-texts.js';
import type { FileRole } from './model.js';
import type { ScanAhead } from './scan-ahead.js';

export interface ScanOptions {
  /** Moves files into a context whatever their natural one (config `contexts`). */
  contextOverride?: (file: string) => ContextKind | undefined;
  /** Dotenv files discovery saw (never read). */
  secretFiles?: string[];
  /** Where the files are read from (default: the disk). */
  fs?: FileSystem;
  /** Config `roles`: puts files in a code role whatever their path says. */
  roleOverride?: (file: string) => CodeRole | undefined;
  /** Files whose whole text the run keeps (the rest is read again when asked for, see FileTexts): suppression directives. */
  keepText?: (text: string) => boolean;
  /** Called with the model after each file's source has read it (section G starts on the invocations found: src/infer/index.ts GraphsAhead). */
  onParsed?: (model: Model) => void;
  /** Files whose source read them in the parser thread while discovery walked (./scan-ahead.ts): the scan appends their facts instead of reading them. */
  ahead?: Pick<ScanAhead, 'take'>;
}

/** Files handed to the scan without their text are read through the safe opener, at most this much. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Only sniffed, never configuration: a file of this kind that cannot be read is skipped and listed, not a parse-error. */
const SNIFFED_CODE = new Set<string>(['typescript']);

/**
 * The files' texts are not kept: each file's text goes (from its DiscoveredFile too) once its
 * source has parsed it, and `files` reads it again when asked (checked against its hash).
 */
export async function scan(files: DiscoveredFile[], options: ScanOptions = {}): Promise<{ model: Model; files: FileTexts }> {
  const model = emptyModel();
  const fs = options.fs ?? nodeFs;
  if (options.secretFiles?.length) model.secretFiles = [...options.secretFiles];
  const texts = new FileTexts(fs);
  /** Files being worked on (read, their parse not done yet). */
  const sourceFiles = new Map<string, SourceFile>();
  /** Every file read, with its role when the path or the first lines give one. */
  const classified = new Map<string, FileRole | undefined>();
  const configured = options.roleOverride ? { configured: options.roleOverride } : {};
  /** A file discovery read and its source ruled out (no text kept): recorded as read, with its role. */
  const readRuledOut = (f: DiscoveredFile, r: NonNullable<DiscoveredFile['ruledOut']>) => {
    if (texts.has(f.path)) return;
    texts.addRead(f.path, f.abs, r.digest, r.length);
    const role = options.roleOverride?.(f.path) ? classifyFile(f.path, undefined, configured) : r.role;
    classified.set(f.path, role.role === 'production' ? undefined : role);
  };
  const read = (f: DiscoveredFile): SourceFile | undefined => {
    const have = sourceFiles.get(f.path);
    if (have) return have;
    if (f.ruledOut) {
      // another source asks for it (an import the TypeScript analysis follows): read again, checked
      readRuledOut(f, f.ruledOut);
      const again = texts.get(f.path);
      return again === undefined ? undefined : { path: f.path, text: again, index: new LineIndex(f.path, again) };
    }
    // discovery hands over the text it read (the scan takes it); a file given without one goes
    // through the safe opener, and a file read before (an include) is read again, checked
    let text = texts.has(f.path) ? texts.get(f.path) : f.text;
    f.text = undefined;
    if (text === undefined && texts.has(f.path)) return undefined; // changed since it was read
    if (text === undefined) {
      const r = safeRead(fs, f.abs, { maxBytes: MAX_FILE_BYTES });
      if (!r.ok) {
        model.problems.push({ file: f.path, span: { file: f.path, line: 1, column: 1, endLine: 1, endColumn: 1 }, code: 'file-unreadable', detail: r.reason });
        return undefined;
      }
      text = decodeText(r.bytes);
    }
    if (text.includes('\0') && SNIFFED_CODE.has(f.kind)) {
      (model.unscanned ??= []).push({ path: f.path, reason: 'contains NUL bytes (binary, or UTF-16 without a byte-order mark); not read' });
      return undefined;
    }
    if (text.includes('\0')) {
      model.problems.push({ file: f.path, span: { file: f.path, line: 1, column: 1, endLine: 1, endColumn: 1 }, code: 'binary-file' });
      return undefined;
    }
    const sf: SourceFile = { path: f.path, text, index: new LineIndex(f.path, text) };
    sourceFiles.set(f.path, sf);
    if (!texts.has(f.path)) {
      texts.add(f.path, f.abs, text, options.keepText?.(text));
      const role = classifyFile(f.path, text, configured);
      classified.set(f.path, role.role === 'production' ? undefined : role);
    }
    return sf;
  };
  /** A file's parse is done: its text and line index go (unless a source still holds them). */
  const release = (f: DiscoveredFile) => sourceFiles.delete(f.path);

  const configs = new Map<string, { dir: string; workspaceRoot: boolean; sets: Map<string, string> }>();

  const ctx: ScanContext = {
    model,
    resolverFor: (cwd) => resolverFor(cwd),
    contextFor: (file, natural) => options.contextOverride?.(file) ?? natural,
    nextId: idSequence(),
    file: (path) => {
      const f = byPath.get(path);
      return f ? read(f) : undefined;
    },
    paths: () => byPath.keys(),
    permissionSets: () => snapshotSets(configs, declaration),
  };
  const byPath = new Map(files.map((f) => [f.path, f]));

  // nearest deno.json up from a folder, with workspace-root sets merged under member sets
  const declaration = (id: string) => model.declarations.find((d) => d.id === id) as SetDeclaration | undefined;
  const resolverFor = setResolverFor(configs, declaration);

  // the modules that read the kinds present (each loads its parser on first use)
  const kinds = [...new Set(files.map((f) => f.kind))];
  const sources = new Map<string, Source | undefined>(await Promise.all(kinds.map(async (k) => [k, await loadSource(k)] as const)));
  const denoJsonSource = sources.get('deno.json') as typeof import('./sources/deno-json.js').denoJsonSource | undefined;

  // sources that work ahead see their files first (the TypeScript parser thread starts while phase 1 runs)
  const byKind = new Map<string, DiscoveredFile[]>();
  for (const f of files) {
    const list = byKind.get(f.kind);
    if (list) list.push(f);
    else byKind.set(f.kind, [f]);
  }
  for (const [kind, list] of byKind) sources.get(kind)?.prepare?.(list, ctx);

  // phase 1: deno.json configuration
  for (const f of denoJsonSource ? files.filter((x) => x.kind === 'deno.json') : []) {
    const sf = read(f);
    if (!sf) continue;
    let facts;
    try {
      facts = denoJsonSource!.parseConfig(sf, ctx);
    } catch (e) {
      model.problems.push({ file: f.path, span: sf.index.span(0, 0), code: 'reader-failed', detail: (e as Error).message });
    }
    if (!facts) continue;
    const sets = new Map<string, string>();
    for (const d of model.declarations) {
      if (d.origin.file !== f.path) continue;
      if (d.declaration === 'permission-set') sets.set(d.name, d.id);
      else if (d.declaration.endsWith('-permissions')) sets.set(`:${d.name}`, d.id);
    }
    configs.set(facts.dir, { dir: facts.dir, workspaceRoot: facts.isWorkspaceRoot, sets });
  }
  const byFolder = new ByFolder(model.denoConfigs, (c) => c.dir);
  for (const c of model.denoConfigs) {
    // the workspace root of a member: the nearest config above it that declares a workspace
    const above = parentDir(c.dir);
    const up = above === undefined ? undefined : byFolder.nearest(above, (x) => x.isWorkspaceRoot);
    if (up) c.workspaceRoot = up.file;
  }

  // phase 2: command lines
  for (const f of files) {
    const source = sources.get(f.kind);
    if (!source) continue; // no reader for this kind: never read it
    if (f.ruledOut) {
      readRuledOut(f, f.ruledOut); // nothing in it for its source (discovery's sniff)
      continue;
    }
    const sf = read(f);
    if (!sf) continue;
    const readAhead = options.ahead?.take(f.path, ctx);
    const facts = readAhead && (await readAhead);
    try {
      if (facts) appendFacts(model, facts);
      else await source.parse(sf, ctx);
    } catch (e) {
      // a bug or a limit in a parser must not end the scan: the file is reported, the rest goes on
      model.problems.push({ file: f.path, span: sf.index.span(0, 0), code: 'reader-failed', detail: (e as Error).message, ...(SNIFFED_CODE.has(f.kind) ? { source: 'typescript' as const } : {}) });
    }
    options.onParsed?.(model);
    release(f);
  }
  sourceFiles.clear();
  for (const f of files) f.text = undefined; // kinds without a reader
  // parts of files sources leave unread on purpose, listed with --verbose
  if (model.unreadParts?.length) (model.unscanned ??= []).push(...model.unreadParts.map((u) => ({ path: u.path, reason: unreadPartReason(u) })));
  // TypeScript/JavaScript is only sniffed: a syntax the parser does not know is a skip, listed with --verbose
  const sniffedProblems = model.problems.filter((p) => p.source === 'typescript');
  if (sniffedProblems.length) {
    model.problems = model.problems.filter((p) => p.source !== 'typescript');
    (model.unscanned ??= []).push(...sniffedProblems.map((p) => ({ path: p.file, reason: `not read: ${problemMessage(p)} (line ${p.span.line})` })));
  }
  // the link phase: what runs what (src/link/)
  link(model);
  // code roles (tests, fixtures, examples, generated, vendored) on everything read
  assignRoles(model, classified, {
    ...configured,
    ...(options.contextOverride ? { contextOverride: options.contextOverride } : {}),
  });
  deploymentByWhatItBuilds(model, options.contextOverride);
  return { model, files: texts };
}

/** Appends a file's facts read ahead (lists only: ScanAhead.take checks) to the scan's model, list by list (a list the source made and left empty is made here too). */
function appendFacts(model: Model, facts: Model): void {
  const into = model as unknown as Record<string, unknown[] | undefined>;
  for (const [key, list] of Object.entries(facts) as [string, unknown[]][]) {
    const have = (into[key] ??= []);
    for (let i = 0; i < list.length; i++) have.push(list[i]);
  }
}
