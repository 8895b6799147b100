/**
 * TypeScript / JavaScript source: NetScript task definitions, `@deno/sandbox` options, Deno
 * Worker permissions and runtimes spawned from code (`Deno.Command`, `node:child_process`).
 *
 * Cheap first: a sniff on the text decides whether a file can matter at all. It looks for the
 * shapes the analyser reads, not for words: an import specifier of one of the APIs, a
 * `new Worker(` / `new Deno.Command(` call, or a relative import (or re-export) together with a
 * call that an imported, possibly renamed, API export can make. Only then is the analyser (and
 * with it oxc-parser, in its own thread) loaded, once, with a dynamic import, so a tree with no
 * candidate never loads the parser. Declaration files (`.d.ts`) hold no code and are never read.
 */
import type { ContextKind, Model } from '../../model.js';
import type { PermissionSetsSnapshot } from '../../set-resolver.js';
import type { ScanContext, Source, SourceFile } from '../types.js';
import type { ModuleTable } from './resolve.js';

export { parserThreadStarted } from './parser.js';
import { aheadOutcomes, analyseAhead, analyseInThread, prefetchTypescript, startParserThread, threadModule, type AnalysisAheadSession, type ThreadAnalysis, type ThreadAnswer, type ThreadFile } from './parser.js';
import { replace } from './replace.js';

export { holdsCode, sniff } from './sniff.js';
import { holdsCode, sniff } from './sniff.js';
import { head } from '../registry.js';

let parseCount = 0;
let loaded = false;

/** How many files the TypeScript parser has been run on (for tests and the benchmark). */
export function typescriptParseCount(): number {
  return parseCount;
}

/** Whether the analyser, and with it the TypeScript parser, has been loaded in this process. */
export function parserLoaded(): boolean {
  return loaded;
}

/** Resets the parse counter (tests). The loaded flag stays: a module cannot be unloaded. */
export function resetTypescriptParseCount(): void {
  parseCount = 0;
}

type Analyzer = typeof import('./analyze.js');
let analyzer: Promise<Analyzer> | undefined;

function loadAnalyzer(): Promise<Analyzer> {
  analyzer ??= import('./analyze.js').then((m) => {
    loaded = true;
    return m;
  });
  return analyzer;
}

/** Exports of the modules analysed in one scan, for imports of local modules that re-export the APIs. */
const tables = new WeakMap<ScanContext, ModuleTable>();

/** How many candidates the parser thread may be given ahead of the one being analysed. */
const PARSE_AHEAD = 4;

/**
 * The candidates of the last scan prepared (`preparedFor`), in scan order, and each one's
 * place: parse() keeps the parser thread PARSE_AHEAD files ahead of the analysis, so the two
 * threads work at the same time, while few syntax trees wait in memory. A candidate's text is
 * dropped once handed to a thread, and files ruled out are kept by path only: no text is held
 * here beyond its turn (the scan hands parse() the text prepare() saw).
 */
let upcoming: { path: string; text: string | undefined }[] = [];
let place = new Map<string, number>();
/** Files prepare() found not to be candidates. */
let ruledOut = new Set<string>();
/**
 * Whether the prepared scan analyses in the parser thread (threadWanted, asked once per scan:
 * parseAhead asked it per candidate, a `new URL` and a read of the environment each).
 */
let preparedThreaded = false;
/** The scan these lists are for: another scan's parse() decides by the sniff. */
let preparedFor: WeakRef<ScanContext> | undefined;
/** The analysis started during discovery that a prepared scan takes over (its candidates are the same). */
const preparedAhead = new WeakMap<ScanContext, AnalysisAhead>();

function candidate(path: string, text: string): boolean {
  return holdsCode(path) && sniff(text);
}

/**
 * The analysis runs in the parser thread (./thread.ts) when this module is compiled JavaScript
 * (the thread loads the compiled analyser) and the scan's context can be sent there; else here.
 * PERMLINT_TS_THREAD=0 keeps it here (the differential test of the two).
 */
const threadModuleUrl = () => threadModule('./thread.js', import.meta.url);
const threadWanted = () => threadModuleUrl() !== undefined;

let threadCount = 0;
/** How many files the analysis thread has analysed for a scan in this process (tests). */
export function typescriptThreadCount(): number {
  return threadCount;
}

/** Each scan's analysis in the thread (undefined: this scan analyses here). */
const threadRuns = new WeakMap<ScanContext, Promise<ThreadRun | undefined>>();
interface ThreadRun {
  analysis: ThreadAnalysis;
  /** What each recorded construct added to this scan's model, by the thread's id. */
  emitted: Map<number, Model>;
  /** Candidates whose answer has not been taken yet. */
  left: Set<string>;
}

/** The contexts a file's constructs may ask for, after the config's `contexts`. */
const NATURAL: ContextKind[] = ['development', 'deployment', 'test'];

const contextsOf = (path: string, contextFor: (file: string, natural: ContextKind) => ContextKind): Record<string, string> =>
  Object.fromEntries(NATURAL.map((k) => [k, contextFor(path, k)]));

async function startThreadRun(ctx: ScanContext): Promise<ThreadRun | undefined> {
  const ahead = preparedAhead.get(ctx);
  preparedAhead.delete(ctx);
  if (!threadWanted() || !ctx.permissionSets || !ctx.file) {
    ahead?.abandon();
    return undefined;
  }
  // the analysis started during discovery, when it had the scan's candidates and contexts
  let analysis = ahead?.confirm(ctx.permissionSets(), (path, natural) => ctx.contextFor(path, natural));
  if (!analysis) {
    const files = upcoming.flatMap((f) => (f.text === undefined ? [] : [{ path: f.path, text: f.text, contexts: contextsOf(f.path, ctx.contextFor) }]));
    for (const f of upcoming) f.text = undefined; // the thread has them now
    analysis = await analyseInThread(threadModuleUrl()!, ctx.permissionSets(), files);
  }
  for (const f of upcoming) f.text = undefined;
  if (!analysis) return undefined;
  return { analysis, emitted: new Map(), left: new Set(upcoming.map((f) => f.path)) };
}

/** The analysis started during discovery for the files of each candidate it was given (`prepare` finds it by them). */
const aheadOf = new WeakMap<object, AnalysisAhead>();

/**
 * The TypeScript analysis started while discovery walks the tree (src/lint.ts passes `onFile` to
 * discover()): the parser thread parses and analyses the candidates as the walk finds them,
 * instead of after the walk and the scan's first phase. Only their order and the permission sets
 * can differ from the scan's session, and both are checked:
 *
 * - The scan analyses its candidates in path order; the walk lists a folder's files, then its
 *   subfolders, each in name order. A candidate is handed over once the walk has entered a
 *   folder after it in path order (a file found in folder `d/` means every path before `d/` has
 *   been found, but for a later folder named like an earlier one plus a character before `/`,
 *   `a-b/` after `a/`, and links walked last); when the walk ends, the rest follows. If what was
 *   handed over is not the start of the scan's candidates in its order, the analysis starts
 *   again (src/lint.ts `complete`) with all of them.
 * - The permission sets come from the scan's first phase, after discovery: the thread answers
 *   `-P` look-ups without them and keeps its answers until the scan confirms with the sets, then
 *   starts again if one look-up (or a file looked up before it was found) comes out differently
 *   (./thread.ts `Guesses`).
 *
 * The scan takes it over when its candidates and their contexts are the ones given here
 * (`prepare`, `startThreadRun`); the model is the one a session of the scan gives.
 */
export class AnalysisAhead {
  private session: AnalysisAheadSession | undefined;
  private dead = false;
  /** Candidates found and not handed over yet, in path order. */
  private held: { path: string; text: string }[] = [];
  /** Handed over, in order. */
  private sent: { path: string; text: string; contexts: Record<string, string> }[] = [];
  /** All the candidates, once discovery is done. */
  private all: { path: string; text: string }[] | undefined;

  constructor(private readonly contextOverride: ((file: string) => ContextKind | undefined) | undefined) {}

  /** Discovery's `onFile`: each file as the walk finds it. */
  readonly onFile = (f: { path: string; kind: string; text?: string | undefined; mayHoldFacts?: boolean | undefined }): void => {
    if (this.dead) return;
    const slash = f.path.lastIndexOf('/');
    const dir = f.path.slice(0, slash + 1);
    if (this.held.length && this.held[0]!.path < dir) {
      let n = 0;
      while (n < this.held.length && this.held[n]!.path < dir) n++;
      this.send(this.held.splice(0, n));
    }
    // (discovery asked the same sniff of a TypeScript text it kept: `mayHoldFacts`)
    if (f.kind !== 'typescript' || f.text === undefined || f.text.includes('\0') || !(f.mayHoldFacts ?? candidate(f.path, f.text))) return;
    aheadOf.set(f, this);
    if (!this.session) {
      this.session = analyseAhead(threadModuleUrl()!);
      if (!this.session) {
        this.dead = true;
        return;
      }
    }
    const c = { path: f.path, text: f.text };
    let i = this.held.length;
    while (i > 0 && this.held[i - 1]!.path > c.path) i--;
    this.held.splice(i, 0, c);
  };

  private send(files: { path: string; text: string }[]): void {
    // (the config's context of a file, asked once for the three natural ones: each asks the config's globs)
    const out = files.map((f) => {
      const set = this.contextOverride?.(f.path);
      return { ...f, contexts: contextsOf(f.path, (_p, natural) => set ?? natural) };
    });
    this.sent.push(...out);
    this.session?.add(out as ThreadFile[]);
  }

  /** Discovery is done (`files`: what it found, in path order): the rest of the candidates are handed over. */
  complete(found: { files: { path: string; text?: string | undefined }[]; missing: string[]; refused: unknown[] }): void {
    if (this.dead || !this.session) return;
    // (a run that will stop on a missing or refused path)
    if (found.missing.length || found.refused.length) return this.abandon();
    const all = found.files.flatMap((f) => (f.text !== undefined && aheadOf.get(f) === this ? [{ path: f.path, text: f.text }] : []));
    this.all = all;
    this.held = [];
    const inOrder = this.sent.every((f, i) => all[i]?.path === f.path && all[i]!.text === f.text);
    if (!inOrder) {
      // the walk found a candidate after one that follows it: the analysis starts again, in order
      this.session.abandon();
      aheadOutcomes.reordered++;
      this.sent = [];
      this.session = analyseAhead(threadModuleUrl()!);
      if (!this.session) return this.abandon();
    }
    this.send(all.slice(this.sent.length));
  }

  /** Whether these are the scan's candidates, in its order (`prepare`). */
  matches(files: { path: string; text: string | undefined }[]): boolean {
    const all = this.all;
    return !this.dead && !!all && all.length === files.length && all.every((f, i) => files[i]!.path === f.path && files[i]!.text === f.text);
  }

  /** The scan's sets and contexts: its analysis, or undefined when the scan starts its own. */
  confirm(sets: PermissionSetsSnapshot, contextFor: (file: string, natural: ContextKind) => ContextKind): ThreadAnalysis | undefined {
    const same = this.sent.every((f) => JSON.stringify(contextsOf(f.path, contextFor)) === JSON.stringify(f.contexts));
    if (this.dead || !this.session || !same) {
      this.abandon();
      return undefined;
    }
    const analysis = this.session.confirm(sets, this.sent.length);
    this.release();
    return analysis;
  }

  /** The scan will not take it. */
  abandon(): void {
    this.session?.abandon();
    this.release();
  }

  private release(): void {
    this.dead = true;
    this.session = undefined;
    this.held = [];
    this.sent = [];
    this.all = undefined;
  }
}

/** The analysis ahead of a scan, for discovery's `onFile` (src/lint.ts); undefined when the analysis runs in this thread. */
export function analysisAhead(contextOverride?: (file: string) => ContextKind | undefined): AnalysisAhead | undefined {
  return threadWanted() ? new AnalysisAhead(contextOverride) : undefined;
}

/** Replays what the thread recorded for one file on the scan's model; false when the thread could not analyse. */
function applyAnswer(run: ThreadRun, ctx: ScanContext, a: ThreadAnswer): boolean {
  if (a.fatal !== undefined) return false;
  threadCount++;
  for (const op of a.ops ?? []) {
    if ('t' in op) ctx.file!(op.t);
    else if ('p' in op) ctx.model.problems.push(op.p);
    else {
      const [prevId, id, next] = op.r;
      const prev = run.emitted.get(prevId);
      run.emitted.delete(prevId);
      run.emitted.set(id, next);
      replace(ctx.model, prev, next);
    }
  }
  if (a.error !== undefined) throw new Error(a.error);
  return true;
}

function parseAhead(from: number): void {
  if (preparedThreaded) return; // the thread parses (and analyses) every candidate in turn
  for (let i = from; i < Math.min(upcoming.length, from + PARSE_AHEAD); i++) {
    const f = upcoming[i]!;
    if (f.text !== undefined) prefetchTypescript(f.path, f.text);
    f.text = undefined;
  }
}

export const typescriptSource: Source = {
  ...head('typescript'),
  prepare(files, ctx) {
    upcoming = [];
    ruledOut = new Set();
    preparedFor = ctx ? new WeakRef(ctx) : undefined;
    for (const f of files) {
      if (f.text === undefined || f.text.includes('\0')) continue; // the scan reads it, or skips it as binary
      if (candidate(f.path, f.text)) upcoming.push({ path: f.path, text: f.text });
      else ruledOut.add(f.path);
    }
    place = new Map(upcoming.map((f, i) => [f.path, i]));
    preparedThreaded = threadWanted();
    // the analysis discovery started on these candidates, when they are the same
    const first = files.find((f) => aheadOf.has(f));
    const ahead = first && aheadOf.get(first);
    if (ahead && ctx && ahead.matches(upcoming)) preparedAhead.set(ctx, ahead);
    else ahead?.abandon();
    // the thread starts (a second isolate, oxc's binding, the analysis and its transfer buffer)
    // while the scan reads its configuration, instead of at the first candidate's turn
    if (upcoming.length && preparedThreaded) startParserThread([threadModuleUrl()!]);
    parseAhead(0);
  },
  async parse(file: SourceFile, ctx: ScanContext) {
    const prepared = preparedFor?.deref() === ctx;
    if (prepared && ruledOut.has(file.path)) return;
    const at = prepared ? place.get(file.path) : undefined;
    const known = at !== undefined;
    if (!known && !candidate(file.path, file.text)) return;
    if (known) parseAhead(at + 1);
    parseCount++;
    let threadRun = threadRuns.get(ctx);
    if (!threadRun && known) threadRuns.set(ctx, (threadRun = startThreadRun(ctx)));
    const run = await threadRun;
    // (a file the scan did not announce in prepare() is analysed here)
    if (run && known) {
      const answer = await run.analysis.answer(file.path);
      run.left.delete(file.path);
      if (run.left.size === 0) run.analysis.close();
      if (applyAnswer(run, ctx, answer)) return;
      // the thread could not load the analyser: this file is analysed here
    }
    const { analyzeFile, newModuleTable } = await loadAnalyzer();
    let table = tables.get(ctx);
    if (!table) {
      table = newModuleTable();
      tables.set(ctx, table);
    }
    await analyzeFile(file, ctx, table);
  },
};
