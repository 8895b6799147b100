/**
 * The TypeScript/JavaScript parser: `oxc-parser` (native, ESTree / TS-ESTree shaped AST, UTF-16
 * offsets in `start`/`end`/`range`).
 *
 * oxc's parser is recursive and native: an input nested deep enough overflows the native stack
 * and the whole process dies with SIGSEGV, which no `try` can catch (oxc-project/oxc#24375; about
 * 3,500 nested brackets on an 8 MB main-thread stack). So the native parse never runs on the main
 * thread: it runs in one worker thread with a 2 GiB stack (address space, committed only as far
 * as it is used), which every shape measured fits at the 2 MiB input cap, and inputs nested more
 * than MAX_NESTING brackets deep are refused before parsing. The worker sends the AST back as the
 * JSON text oxc produces; this thread turns it into objects.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { READ_BUNDLE_JS, reportCodeCache, reportParserThread, THREAD_STAMP_NAME, trustedBundleFiles, withCodeCache } from '../../bundle-stamp.js';
import { holdV8Flags, releaseV8Flags } from '../../heap.js';
import type { ProblemFacts } from '../../model.js';
import type { TSESTree } from '@typescript-eslint/types';
import type { Model } from '../../model.js';
import type { PermissionSetsSnapshot } from '../../set-resolver.js';

/** Inputs larger than this (UTF-16 units) are not parsed. Discovery's default cap is 2 MiB too. */
export const MAX_TS_CHARS = 2 * 1024 * 1024;
/** Deeper bracket nesting than this is refused before parsing (real code stays far below 100). */
export const MAX_NESTING = 1000;
/** Stack of the parser thread, in MiB: every shape measured at the 2 MiB cap parses in 2 GiB. */
const PARSER_STACK_MB = 2048;
/**
 * The parser thread's heap (its own V8 isolate, which parses and analyses the candidates). Left
 * to V8's defaults it sizes itself for the machine and lets garbage (oxc's JSON, syntax trees)
 * pile up: on denoland/deno its heap peaked at 78-86 MB, with these limits at 57 MB (42 MB
 * instead of 64 MB on 50,000 files): a limit makes V8 grow the heap by smaller steps. 384 MiB
 * of old space holds the worst input with room (2 MiB of dense code: 70 MB of JSON, then about
 * 100 MB of tree; at 256 MiB that file took 2.5x the CPU in garbage collection, at 384 MiB 1.2x);
 * a thread that runs out anyway exits, and the scan's thread analyses the files left (./index.ts).
 */
export const PARSER_LIMITS = { stackSizeMb: PARSER_STACK_MB, maxOldGenerationSizeMb: 384, maxYoungGenerationSizeMb: 8 } as const;

/**
 * Why a text was not parsed, at `offset`: oxc's own error, or a refusal (too large, nested too
 * deeply from `nestedAt`, no parser thread). The rules word it (src/messages/problems.ts).
 */
export type ParseFailure = { offset: number } & (
  | Extract<ProblemFacts, { code: 'ts-syntax' | 'ts-size-budget' | 'ts-parser-unavailable' }>
  | { code: 'ts-nesting-budget'; limit: number; nestedAt: number }
);

export type ParseOutcome = { program: TSESTree.Program } | { error: ParseFailure };

/** Each UTF-16 unit's step of the bracket depth: +1 for `( [ {`, -1 for `) ] }`, 0 for the rest (made at the first check: this module is in every run's loader). */
let bracketStep: Int8Array | undefined;
function bracketSteps(): Int8Array {
  if (!bracketStep) {
    bracketStep = new Int8Array(65536);
    bracketStep[40] = bracketStep[91] = bracketStep[123] = 1;
    bracketStep[41] = bracketStep[93] = bracketStep[125] = -1;
  }
  return bracketStep;
}

/**
 * Bracket depth, counted over the raw text (strings and comments included, so it over-counts):
 * the offset at which it first exceeds `limit`, or -1. Every text the thread parses goes through
 * it: one table load per character and a branch only at a bracket (half the time of comparing each
 * character with the six brackets: rickylabs/netscript's 14.5 M characters, 76 → 39 ms).
 */
export function nestingBeyond(text: string, limit: number): number {
  const steps = bracketSteps();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const step = steps[text.charCodeAt(i)]!;
    if (step === 0) continue;
    if (step > 0) {
      if (++depth > limit) return i;
    } else if (depth > 0) depth--;
  }
  return -1;
}

/**
 * The worker's code: loads oxc's native binding and answers one parse request at a time. When the
 * scan runs from compiled JavaScript it also analyses files there (./thread.ts, loaded on the
 * first analysis message): parse requests are answered between two analysed files.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// V8's flags for the CLI (src/heap.ts): this thread holds them at V8's defaults until it has
// compiled (Node's bootstrap, its bundle: code caches V8 checks against the flags); the last
// hold released sets them
const releaseFlags = () => {
  const h = workerData.v8Flags;
  if (!h || Atomics.compareExchange(h.mine, 0, 0, 1) !== 0) return;
  // (src/heap.ts locked: taken anyway after a million tries, if a thread ended holding it)
  for (let i = 0; Atomics.compareExchange(h.gate, 1, 0, 1) !== 0 && i < 1000000; i++);
  try {
    if (Atomics.sub(h.gate, 0, 1) === 1) require('node:v8').setFlagsFromString(h.flags);
  } finally {
    Atomics.store(h.gate, 1, 0);
  }
};
// the thread's modules as one script with its code cache when the build's bundle is current
// (workerData.bundle: src/cli-loader.ts checked its stamp)
let script, bundled;
if (workerData.bundle) {
  try {
    const { file, cache, dist } = workerData.bundle;
    // (the wrapped text as one flat string, the cache in the buffer it was read into: src/bundle-stamp.ts readBundle)
    const { source, cache: cachedData } = (${READ_BUNDLE_JS})(file, cache);
    script = new (require('node:vm').Script)(source, { filename: file, cachedData });
    const module = { exports: {} };
    script.runInThisContext()(module.exports, require('node:module').createRequire(file), module, file, require('node:path').dirname(file), (s) => import(s));
    bundled = { exports: module.exports, dist, cached: !!cachedData, rejected: !!(cachedData && script.cachedDataRejected) };
  } catch {
    script = bundled = undefined;
  }
}
// a module of the thread: from the bundle when it holds it, else Node's loader
const load = (url) => {
  const m = bundled && url.startsWith(bundled.dist) ? bundled.exports.MODULES[url.slice(bundled.dist.length)] : undefined;
  return m ? Promise.resolve(m) : import(url);
};
// oxc's binding loader: the bundle's, else resolved here (Node's resolver: ~5 ms, not spent when the bundle holds it)
const bindings = () => import(require('node:url').pathToFileURL(require('node:module').createRequire(workerData.from).resolve('oxc-parser/src-js/bindings')).href);
(bundled ? Promise.resolve(bundled.exports.bindings) : new Promise((res) => res(bindings()))).then(({ parseSync }) => {
  releaseFlags();
  const parseOne = (path, text, lang, sourceTypes, range = true) => {
    try {
      let errors, program;
      for (const sourceType of sourceTypes) {
        const r = parseSync(path, text, { lang, sourceType, astType: 'ts', range, preserveParens: false });
        // each native getter hands its value over once (and frees it on the native side)
        errors = r.errors;
        program = r.program;
        if (errors.length === 0) break;
      }
      if (errors.length) {
        const e = errors[0];
        const at = e.labels && e.labels[0] ? e.labels[0].start : 0;
        return { error: { code: 'ts-syntax', detail: e.message, offset: at } };
      }
      return { json: program };
    } catch (e) {
      return { error: { code: 'ts-syntax', detail: String((e && e.message) || e), offset: 0 } };
    }
  };
  let analysis, analyzer;
  const jobs = new Map();
  const runJob = (m) => {
    let run = jobs.get(m.module);
    if (!run) jobs.set(m.module, (run = load(m.module).then((mod) => mod.threadJob(parseOne))));
    const fatal = (e) => ({ job: m.job, fatal: String((e && e.message) || e) });
    return run
      .then((f) => f(m.data))
      .then((result) => ({ job: m.job, result }), fatal)
      .then((msg) => {
        try {
          parentPort.postMessage(msg);
        } catch (e) {
          parentPort.postMessage(fatal(e));
        }
      });
  };
  // jobs sent ahead of their need (low): one at a time, while the analysis has no file queued
  const later = [];
  let laterRunning = false;
  const runLater = () => {
    if (laterRunning || !later.length) return;
    if (analyzer && analyzer.queued() > 0) return void setImmediate(runLater);
    laterRunning = true;
    runJob(later.shift()).then(() => {
      laterRunning = false;
      runLater();
    });
  };
  parentPort.on('message', (m) => {
    // the build asks for the code cache once the thread has run (scripts/bundle.mjs)
    if (m.codeCache) return parentPort.postMessage({ codeCache: script && !bundled.rejected ? script.createCachedData() : null });
    if (m.cancelLow) {
      const tags = new Set(m.cancelLow);
      for (let i = later.length - 1; i >= 0; i--) {
        if (!tags.has(later[i].tag)) continue;
        parentPort.postMessage({ job: later[i].job, fatal: 'cancelled' });
        later.splice(i, 1);
      }
      return;
    }
    if (m.job !== undefined) {
      if (m.low) {
        later.push(m);
        runLater();
      } else runJob(m);
      return;
    }
    if (m.analysis) {
      analysis ??= load(m.module).then((mod) => (analyzer = mod.threadAnalyzer(parseOne, (msg) => parentPort.postMessage(msg))));
      analysis.then((a) => a.receive(m), (e) => parentPort.postMessage({ sid: m.sid, fatal: String((e && e.message) || e) }));
      return;
    }
    const { id, path, text, lang, sourceTypes } = m;
    parentPort.postMessage({ id, ...parseOne(path, text, lang, sourceTypes) });
  });
  // (at: when, for src/bundle-stamp.ts PARSER_THREAD_CHANNEL; Date.now: \`performance\` would load ten of Node's modules here)
  parentPort.postMessage({ ready: true, at: Date.now(), bundle: !!bundled, ...(bundled ? { cache: !!bundled.cached, rejected: bundled.rejected } : {}) });
  // modules a run will ask for (startParserThread): imported now, while the scan's thread is busy
  for (const m of workerData.preload || []) load(m).catch(() => {});
}, (e) => {
  releaseFlags();
  parentPort.postMessage({ fatal: String((e && e.message) || e) });
});
`;

/** What the thread answers: the AST as oxc's JSON text (turned into objects only when used), or the error. */
export type RawOutcome = { json: string } | { error: ParseFailure };

interface Pending {
  resolve: (r: RawOutcome) => void;
}

let worker: Worker | undefined;
let started = false;

/**
 * The URL of a compiled module for the parser thread (`rel` to `base`, the caller's
 * `import.meta.url`), or undefined when the work stays in this thread: the caller runs from
 * TypeScript sources (vitest; the thread loads compiled JavaScript), or PERMLINT_TS_THREAD=0
 * (the differential tests of the two). Read at each call: tests switch it between runs.
 */
export function threadModule(rel: string, base: string): string | undefined {
  if (!base.endsWith('.js') || process.env.PERMLINT_TS_THREAD === '0') return undefined;
  return new URL(rel, base).href;
}

let threadCode: 'bundle' | 'modules' | undefined;
/** What the running parser thread loaded its code from: the build's bundle of it, or the ES modules (tests). */
export function parserThreadCode(): 'bundle' | 'modules' | undefined {
  return worker ? threadCode : undefined;
}

/** Whether the parser thread has been started in this process (tests: it must not without a candidate). */
export function parserThreadStarted(): boolean {
  return started;
}
/** Whether the parser thread runs in this process, or was started before the CLI was loaded (startEarlyParserThread) for this run to adopt. */
export function parserThreadComing(): boolean {
  return started || earlyHolder[EARLY] !== undefined;
}
let ready: Promise<void> | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

/**
 * The thread's bundle (dist/bundle/thread.cjs and its code cache) when its stamp holds, for the
 * thread to load instead of the ES modules; `dist`: the URL its `MODULES` are relative to.
 */
function threadBundle(): { file: string; cache?: string | undefined; dist: string } | undefined {
  if (process.env.PERMLINT_BUNDLE === '0' || !import.meta.url.endsWith('.js')) return undefined;
  const dist = new URL('../../../', import.meta.url);
  const t = trustedBundleFiles(fileURLToPath(dist), THREAD_STAMP_NAME);
  return t && { file: t.file, cache: withCodeCache(t.cacheFile), dist: dist.href };
}

/**
 * A parser thread, holding V8's flags at their defaults until it has compiled (src/heap.ts: the
 * thread releases the hold; `releaseV8Flags` when it ends first).
 */
function spawn(preload: string[], early: boolean): Worker {
  reportParserThread({ event: 'start', early });
  const hold = holdV8Flags();
  try {
    // (`from`: where the thread resolves oxc's binding loader when it runs without its bundle)
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { from: import.meta.url, preload, v8Flags: hold, bundle: threadBundle() }, resourceLimits: PARSER_LIMITS });
    w.once('exit', () => releaseV8Flags(hold));
    return w;
  } catch (e) {
    releaseV8Flags(hold);
    throw e;
  }
}

/** A thread started before the CLI was loaded (startEarlyParserThread), with what it said meanwhile. */
interface EarlyThread {
  worker: Worker;
  events: [event: string, arg: unknown][];
  listeners: [event: string, listener: (arg: unknown) => void][];
}
const EARLY = Symbol.for('permlint.earlyParserThread');
const earlyHolder = globalThis as { [EARLY]?: EarlyThread | undefined };

/**
 * Starts the parser thread before the CLI is loaded (src/cli-loader.ts, for a lint run on named
 * files that will use it), so that its start overlaps compiling the CLI. The CLI's copy of this
 * module (its bundle holds one) adopts it on its first use of the thread, with the messages it
 * sent meanwhile. V8's flags stay at their defaults until both have compiled (src/heap.ts).
 */
export function startEarlyParserThread(preload: string[]): void {
  if (earlyHolder[EARLY] || worker) return;
  try {
    const w = spawn(preload, true);
    const early: EarlyThread = { worker: w, events: [], listeners: [] };
    for (const event of ['message', 'error', 'exit']) {
      const listener = (arg: unknown) => void early.events.push([event, arg]);
      early.listeners.push([event, listener]);
      w.on(event, listener);
    }
    // (nothing waits for it yet: it must not keep the process alive)
    w.unref();
    earlyHolder[EARLY] = early;
  } catch {
    // (no worker under a permission model without --allow-worker: the first parse says so)
  }
}

function startWorker(preload: string[] = []): Promise<void> {
  if (ready) return ready;
  const early = earlyHolder[EARLY];
  earlyHolder[EARLY] = undefined;
  const w = early ? early.worker : spawn(preload, false);
  worker = w;
  started = true;
  ready = new Promise<void>((res, rej) => {
    w.on('message', (m: { ready?: true; fatal?: string; id?: number; json?: string; error?: ParseFailure; sid?: number; job?: number; result?: unknown; codeCache?: Uint8Array | null; at?: number; bundle?: boolean; cache?: boolean; rejected?: boolean }) => {
      if (m.codeCache !== undefined) return codeCacheAnswer?.(m.codeCache ?? undefined);
      if (m.sid !== undefined) return analysisAnswer(m as unknown as ThreadAnswer);
      if (m.job !== undefined) return jobAnswer(m.job, m.fatal === undefined ? { result: m.result } : { fatal: m.fatal });
      if (m.ready) {
        threadCode = m.bundle ? 'bundle' : 'modules';
        reportParserThread({ event: 'ready', at: m.at });
        if (m.cache) reportCodeCache('thread', m.rejected === true);
        idleCheck();
        return res();
      }
      if (m.fatal) return rej(new Error(`cannot load oxc-parser: ${m.fatal}`));
      const p = pending.get(m.id!);
      if (!p) return;
      pending.delete(m.id!);
      idleCheck();
      if (m.error) p.resolve({ error: m.error });
      else p.resolve({ json: m.json! });
    });
    w.on('error', (e) => {
      rej(e);
      failAll(e);
    });
    w.on('exit', () => {
      // (a thread that ends before it is ready fails whoever waits for it)
      rej(new Error('the parser thread exited'));
      failAll(new Error('the parser thread exited'));
      if (worker === w) {
        worker = undefined;
        ready = undefined;
      }
    });
  });
  if (early) {
    // what the early thread said before this copy of the module took it, in order
    for (const [event, listener] of early.listeners) w.off(event, listener);
    w.ref();
    for (const [event, arg] of early.events) w.emit(event, arg);
  }
  return ready;
}

function failAll(e: Error): void {
  for (const p of pending.values()) p.resolve({ error: { code: 'ts-syntax', detail: e.message, offset: 0 } });
  pending.clear();
  for (const sid of sessions.keys()) analysisAnswer({ sid, fatal: e.message });
  sessions.clear();
  for (const id of [...jobs.keys()]) jobAnswer(id, { fatal: e.message });
}

/** The started thread, referenced while the caller waits for it to be ready. */
function readyWorker(): Promise<void> {
  const r = startWorker();
  worker?.ref();
  return r;
}

/** Idle (no parse and no analysis outstanding): the thread never keeps the process alive. */
function idleCheck(): void {
  if (pending.size === 0 && outstanding === 0 && jobs.size === 0) worker?.unref();
}

/** oxc's JSON: `{ node, fixes }`, where fixes are paths to BigInt and RegExp literals. */
export function programOf(json: string): TSESTree.Program {
  const { node, fixes } = JSON.parse(json) as { node: TSESTree.Program; fixes: (string | number)[][] };
  for (const path of fixes) {
    let n: Record<string | number, unknown> = node as unknown as Record<string, unknown>;
    for (const k of path) n = n[k] as Record<string | number, unknown>;
    const lit = n as { value: unknown; bigint?: string; regex?: { pattern: string; flags: string } };
    try {
      if (lit.bigint !== undefined) lit.value = BigInt(lit.bigint);
      else if (lit.regex) lit.value = new RegExp(lit.regex.pattern, lit.regex.flags);
    } catch {
      lit.value = null;
    }
  }
  return node;
}

export function langOf(path: string): 'js' | 'jsx' | 'ts' | 'tsx' | 'dts' {
  if (/\.d\.[cm]?ts$/.test(path)) return 'dts';
  if (/\.tsx$/.test(path)) return 'tsx';
  if (/\.[cm]?ts$/.test(path)) return 'ts';
  return 'jsx'; // .js/.mjs/.cjs/.jsx: JSX is allowed in JavaScript files, as Deno and bundlers read them
}

/**
 * Module first (Deno and ESM: top-level await); CommonJS for .cjs/.cts, and as the second try for
 * .js/.jsx, which Node runs as CommonJS without `"type": "module"`.
 */
export function sourceTypesOf(path: string): string[] {
  if (/\.c[jt]s$/.test(path)) return ['commonjs'];
  if (/\.jsx?$/.test(path)) return ['module', 'commonjs'];
  return ['module'];
}

/** The checks made before the thread sees a text: too large, or nested too deeply (undefined: parse it). */
export function refusal(text: string): RawOutcome | undefined {
  if (text.length > MAX_TS_CHARS) return { error: { code: 'ts-size-budget', limit: MAX_TS_CHARS / 1024 / 1024, offset: 0 } };
  const deep = nestingBeyond(text, MAX_NESTING);
  // the whole file is refused: reported at its start, with where the nesting crossed the limit
  if (deep >= 0) return { error: { code: 'ts-nesting-budget', limit: MAX_NESTING, offset: 0, nestedAt: deep } };
  return undefined;
}

let requests = 0;
/** How many texts have been sent to the parser thread to parse (tests, the benchmark). */
export function parseRequestCount(): number {
  return requests;
}

/** Sends one text to the parser thread (starting it when needed). */
async function request(path: string, text: string): Promise<RawOutcome> {
  try {
    await readyWorker();
  } catch (e) {
    return { error: { code: 'ts-parser-unavailable', detail: (e as Error).message, ...(process.permission ? { permissionModel: true } : {}), offset: 0 } };
  }
  const id = nextId++;
  requests++;
  return new Promise<RawOutcome>((resolve) => {
    pending.set(id, { resolve });
    worker!.ref();
    worker!.postMessage({ id, path, text, lang: langOf(path), sourceTypes: sourceTypesOf(path) });
  });
}

/** Parses started ahead of their turn (prefetchTypescript), by path; each is taken once. */
const ahead = new Map<string, { text: string; outcome: Promise<RawOutcome> }>();

/**
 * Starts parsing a file the scan will ask for soon, so that the thread parses it while this
 * thread analyses the one before. The answer waits (as oxc's JSON text) until parseTypescript
 * asks for the same path and text.
 */
export function prefetchTypescript(path: string, text: string): void {
  if (ahead.has(path) || refusal(text)) return;
  ahead.set(path, { text, outcome: request(path, text) });
}

/** Parses one file in the parser thread. Never throws for a bad input: the error says where. */
export async function parseTypescript(path: string, text: string): Promise<ParseOutcome> {
  const early = ahead.get(path);
  if (early) ahead.delete(path);
  const raw = early && early.text === text ? await early.outcome : (refusal(text) ?? (await request(path, text)));
  return 'json' in raw ? { program: programOf(raw.json) } : raw;
}

/**
 * Starts the parser thread ahead of its first use (a run that will parse: src/lint.ts), so that its
 * start — a second isolate, oxc's native binding — and the compiled `modules` it will import (the
 * analysis, section G's jobs) overlap the caller's own work. A thread that cannot start is
 * reported by the first parse, as without this call.
 */
export function startParserThread(modules: string[]): void {
  try {
    startWorker(modules).catch(() => {});
  } catch {
    // (no worker under a permission model without --allow-worker: the first parse says so)
  }
}

let codeCacheAnswer: ((cache: Uint8Array | undefined) => void) | undefined;

/**
 * The V8 code cache of the thread's bundle as it stands, with the functions its work so far has
 * compiled (the build, scripts/bundle.mjs); undefined when the thread runs the ES modules.
 */
export async function threadCodeCache(): Promise<Uint8Array | undefined> {
  await readyWorker();
  return new Promise((resolve) => {
    codeCacheAnswer = (cache) => {
      codeCacheAnswer = undefined;
      idleCheck();
      resolve(cache);
    };
    worker!.postMessage({ codeCache: true });
  });
}

/** Stops the parser thread (tests; the CLI lets it go with the process, it is unref'd when idle). */
export async function stopParser(): Promise<void> {
  const w = worker;
  worker = undefined;
  ready = undefined;
  if (w) await w.terminate();
}

// ---------------------------------------------------------------------------------------------
// Analysis in the parser thread (./thread.ts): the thread parses and analyses the files of a scan
// in scan order and answers each with what it adds to the model, so this thread never builds an
// AST. Used when the scan runs from compiled JavaScript (the thread loads the compiled modules).

/** One file for the analysis thread: its text, and the context each natural context becomes (config `contexts`). */
export interface ThreadFile {
  path: string;
  text: string;
  contexts: Record<string, string>;
}

/** What the thread records while analysing one file, in order (see ./thread.ts). */
export type ThreadOp =
  /** A construct's facts replace what it added before (`prev`, an earlier `id`; -1: none). */
  | { r: [prev: number, id: number, next: Model] }
  /** A problem of the file (cannot parse, nested too deeply). */
  | { p: Model['problems'][number] }
  /** The analysis looked up another file of the scan (`ScanContext.file`). */
  | { t: string };

export type ThreadAnswer = { sid: number; path?: string; ops?: ThreadOp[]; error?: string; fatal?: string; ahead?: 'stood' | 'again' };

interface Session {
  waiting: Map<string, (a: ThreadAnswer) => void>;
  answers: Map<string, ThreadAnswer>;
}
const sessions = new Map<number, Session>();
let nextSid = 0;
/** Analysis answers not received yet (the thread stays referenced while any is). */
let outstanding = 0;

/**
 * How the analyses started ahead of their scan turned out (tests): their answers stood, or they
 * started again with the scan's permission sets; `reordered`: started again in scan order when
 * the walk had handed a candidate over too early (./index.ts AnalysisAhead).
 */
export const aheadOutcomes = { stood: 0, again: 0, reordered: 0 };

function analysisAnswer(a: ThreadAnswer): void {
  if (a.ahead) {
    aheadOutcomes[a.ahead]++;
    return;
  }
  const s = sessions.get(a.sid);
  if (!s) return;
  if (a.fatal !== undefined) {
    // the analysis module could not load: every file of the session gets that answer
    for (const w of s.waiting.values()) w(a);
    s.waiting.clear();
    s.answers.set('', a);
    outstanding = 0;
    idleCheck();
    return;
  }
  outstanding--;
  idleCheck();
  const w = s.waiting.get(a.path!);
  if (w) {
    s.waiting.delete(a.path!);
    w(a);
  } else s.answers.set(a.path!, a);
}

/** A scan's analysis in the thread: answers by path, each taken once, in any order. */
export interface ThreadAnalysis {
  answer(path: string): Promise<ThreadAnswer>;
  close(): void;
}

/**
 * Starts analysing `files` (in this order) in the parser thread, with the scan's permission sets.
 * Undefined when the thread cannot start (the caller analyses here, and reports the parser's error).
 */
export async function analyseInThread(module: string, sets: PermissionSetsSnapshot, files: ThreadFile[]): Promise<ThreadAnalysis | undefined> {
  try {
    await readyWorker();
  } catch {
    return undefined;
  }
  const w = worker!;
  const sid = nextSid++;
  const s: Session = { waiting: new Map(), answers: new Map() };
  sessions.set(sid, s);
  outstanding += files.length;
  w.ref();
  w.postMessage({ analysis: 'session', module, sid, sets, files });
  return analysisOf(module, sid, s);
}

/**
 * The analysis of a scan started ahead of it, while discovery finds the files
 * (./index.ts `AnalysisAhead`): `add` hands the thread the next files in scan order (it analyses
 * them as they come, holding its answers), `confirm` the scan's permission sets once it has read
 * them (the answers come from then on, see ./thread.ts `Guesses`). Undefined when the thread
 * cannot be started here.
 */
export interface AnalysisAheadSession {
  /** The next files of the scan, in its order. */
  add(files: ThreadFile[]): void;
  /** The scan's sets, once every file was added (`count` of them): the analysis, or undefined when the thread ended meanwhile. */
  confirm(sets: PermissionSetsSnapshot, count: number): ThreadAnalysis | undefined;
  /** The scan will not use it: the thread drops it. */
  abandon(): void;
}

export function analyseAhead(module: string): AnalysisAheadSession | undefined {
  startParserThread([module]);
  const w = worker;
  if (!w) return undefined;
  const sid = nextSid++;
  const s: Session = { waiting: new Map(), answers: new Map() };
  sessions.set(sid, s);
  w.postMessage({ analysis: 'ahead', module, sid });
  let done = false;
  return {
    add(files) {
      if (!done && worker === w && files.length) w.postMessage({ analysis: 'files', module, sid, files });
    },
    confirm(sets, count) {
      if (done) return undefined;
      done = true;
      // the thread ended (or could not load the analysis): the scan starts its own session
      if (worker !== w || s.answers.has('')) {
        sessions.delete(sid);
        return undefined;
      }
      outstanding += count;
      w.ref();
      w.postMessage({ analysis: 'confirm', module, sid, sets });
      return analysisOf(module, sid, s);
    },
    abandon() {
      if (done) return;
      done = true;
      sessions.delete(sid);
      if (worker === w) w.postMessage({ analysis: 'end', module, sid });
    },
  };
}

function analysisOf(module: string, sid: number, s: Session): ThreadAnalysis {
  return {
    answer(path) {
      const fatal = s.answers.get('');
      if (fatal) return Promise.resolve(fatal);
      const have = s.answers.get(path);
      if (have) {
        s.answers.delete(path);
        return Promise.resolve(have);
      }
      return new Promise((resolve) => s.waiting.set(path, resolve));
    },
    close() {
      sessions.delete(sid);
      worker?.postMessage({ analysis: 'end', module, sid });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Jobs in the parser thread: a compiled module's `threadJob(parseOne)` returns a function of plain
// data to a plain (structured-cloneable) result, run there with oxc at hand, so this thread never
// builds the job's syntax trees (section G: src/infer/thread.ts).

/** What a job's thread function receives: parses with oxc (`range`: also write `range` arrays), answers oxc's JSON or the error. */
export type ThreadParseOne = (path: string, text: string, lang: string, sourceTypes: string[], range: boolean) => RawOutcome;

const jobs = new Map<number, (a: { result: unknown } | { fatal: string }) => void>();
let nextJob = 0;

function jobAnswer(id: number, a: { result: unknown } | { fatal: string }): void {
  const done = jobs.get(id);
  if (!done) return;
  jobs.delete(id);
  idleCheck();
  done(a);
}

/**
 * Runs `module`'s `threadJob(parseOne)(data)` in the parser thread. `{ fatal }` when the module or
 * the job failed there, or the thread could not start or ended (the caller runs the job here).
 * `low`: a job ahead of its need, run after the low jobs sent before it, while the thread's
 * analysis has no file queued (the scan waits for those); one not begun yet is dropped by
 * `cancelInThread` with its `tag` (it answers `{ fatal }`).
 */
export async function runInThread<T>(module: string, data: unknown, low?: { tag: string | undefined }): Promise<{ result: T } | { fatal: string }> {
  try {
    await readyWorker();
  } catch (e) {
    return { fatal: (e as Error).message };
  }
  const w = worker!;
  const id = nextJob++;
  return new Promise((resolve) => {
    jobs.set(id, resolve as (a: { result: unknown } | { fatal: string }) => void);
    w.ref();
    w.postMessage({ job: id, module, data, ...(low ? { low: true, tag: low.tag } : {}) });
  });
}

/** Drops the low jobs with these tags that the thread has not begun (see runInThread). */
export function cancelInThread(tags: string[]): void {
  if (tags.length) worker?.postMessage({ cancelLow: tags });
}

/**
 * `runInThread` for a caller that stays synchronous after the call (src/list-ahead.ts, during the
 * link-only walk): the job is posted at once to the thread this process runs, ready or not (it
 * runs it once ready); undefined when no thread runs.
 */
export function runInThreadNow<T>(module: string, data: unknown): Promise<{ result: T } | { fatal: string }> | undefined {
  const w = worker;
  if (!w) return undefined;
  const id = nextJob++;
  return new Promise((resolve) => {
    jobs.set(id, resolve as (a: { result: unknown } | { fatal: string }) => void);
    w.ref();
    w.postMessage({ job: id, module, data });
  });
}
