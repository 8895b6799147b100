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
import type { ScanContext, Source, SourceFile } from '../types.js';
import type { ModuleTable } from './resolve.js';

export { parserThreadStarted } from './parser.js';
import { analyseInThread, prefetchTypescript, startParserThread, type ThreadAnalysis, type ThreadAnswer } from './parser.js';
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
/** The scan these lists are for: another scan's parse() decides by the sniff. */
let preparedFor: WeakRef<ScanContext> | undefined;

function candidate(path: string, text: string): boolean {
  return holdsCode(path) && sniff(text);
}

/**
 * The analysis runs in the parser thread (./thread.ts) when this module is compiled JavaScript
 * (the thread loads the compiled analyser) and the scan's context can be sent there; else here.
 * PERMLINT_TS_THREAD=0 keeps it here (the differential test of the two).
 */
const THREAD_MODULE = import.meta.url.endsWith('.js') ? new URL('./thread.js', import.meta.url).href : undefined;
const threadWanted = () => THREAD_MODULE !== undefined && process.env.PERMLINT_TS_THREAD !== '0';

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

async function startThreadRun(ctx: ScanContext): Promise<ThreadRun | undefined> {
  if (!threadWanted() || !ctx.permissionSets || !ctx.file) return undefined;
  const files = upcoming.flatMap((f) => (f.text === undefined ? [] : [{ path: f.path, text: f.text, contexts: Object.fromEntries(NATURAL.map((k) => [k, ctx.contextFor(f.path, k)])) }]));
  for (const f of upcoming) f.text = undefined; // the thread has them now
  const analysis = await analyseInThread(THREAD_MODULE!, ctx.permissionSets(), files);
  if (!analysis) return undefined;
  return { analysis, emitted: new Map(), left: new Set(upcoming.map((f) => f.path)) };
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
  if (threadWanted()) return; // the thread parses (and analyses) every candidate in turn
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
    // the thread starts (a second isolate, oxc's binding, the analysis and its transfer buffer)
    // while the scan reads its configuration, instead of at the first candidate's turn
    if (upcoming.length && threadWanted()) startParserThread([THREAD_MODULE!]);
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
