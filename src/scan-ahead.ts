/**
 * Large files read by their source in the parser thread while discovery still walks (a folder
 * walk of a repository whose TypeScript already runs there): the thread has room then, and the
 * scan takes each file's facts as they came out there instead of reading the file itself.
 * denoland/deno's generated 424 KB workflow cost the scan's thread ~170 ms of its wall time
 * (yaml's parse, its garbage, the shell reader on 1,500 `run:` lines) while the parser thread
 * waited for the walk's first TypeScript candidates (docs/performance.md, fifteenth session).
 *
 * What a source adds to the model depends on its file's text, its path and, through the scan's
 * context, on three things the thread cannot know during the walk; each is checked:
 * - `-P` look-ups (the deno.json sets come from the scan's first phase): the thread answers them
 *   as if no deno.json declared a set and lists what it asked; the scan asks its own resolver the
 *   same, and reads the file itself when one answer differs (as ./sources/typescript/thread.ts
 *   does for the analysis ahead);
 * - other files (`ctx.file`, `ctx.paths`: GitLab CI includes, Helm charts, turbo): a source that
 *   asks is given nothing there, and the scan reads the file itself;
 * - the config's `contexts`: the thread takes each file's natural context and lists what it asked;
 *   the scan reads the file itself when the config moves one.
 * The facts come back as plain data (structured clone), one model per file that the scan appends
 * to its own at the file's turn, so the model and its order are the ones the scan would build.
 * A source that throws there is left to the scan, which records the failure as it always does.
 *
 * A job the thread has not begun when the scan reaches its file is taken back: the scan reads the
 * file itself instead of waiting (a flag in shared memory that the first to look sets, see
 * `AheadJob.claim`). The thread begins a job at once when it is running and idle, so this happens
 * when the walk ended before the thread was up (a small tree whose one long file started it: the
 * scan waited for the thread's start, its colder run of the source and the copy of the facts, ×1.2
 * the wall of reading it here for denoland/deno's 424 KB workflow alone), or while it was busy
 * with earlier jobs; a job begun is waited for, as before.
 */
import type { ContextKind, Model } from './model.js';
import { emptyModel } from './model.js';
import { resolverOfSnapshot, type PermissionSetsSnapshot } from './set-resolver.js';
import type { PermissionSetResolver } from './grammar/deno.js';
import { idSequence, type ScanContext } from './sources/types.js';
import { LineIndex } from './text.js';
import { loadSource, readsAhead } from './sources/registry.js';
import { parserThreadComing, parserThreadStarted, runInThreadNow, startParserThread, threadModule } from './sources/typescript/parser.js';

/** Files shorter than this (UTF-16 units) are read by the scan itself: a short file costs it little, and each job costs a round trip and a structured clone each way (every file of those kinds read ahead, whatever its length, measured within the noise on std and netscript: docs/performance.md). */
export const AHEAD_MIN_CHARS = 16 * 1024;
/** A file this long starts the parser thread when nothing else has (a walk of a repository without TypeScript candidates). */
export const AHEAD_START_CHARS = 128 * 1024;

/** A `-P` look-up the thread answered, with its answer as JSON. */
interface SetLookUp {
  cwd: string;
  name: string | undefined;
  subcommand: string;
  answer: string;
}

/** What the thread answers for one file: its facts, look-ups and the contexts it took, or why the scan reads it itself. */
export type AheadAnswer = { model: Model; lookUps: SetLookUp[]; contexts: [file: string, natural: ContextKind][] } | { refused: string };

/** The job the thread runs (plain data in and out). */
export interface AheadJob {
  path: string;
  kind: string;
  text: string;
  /**
   * Who does the job (one Int32 of a SharedArrayBuffer, which the structured clone shares): 0 while
   * nobody has begun it, BEGUN once the thread has, TAKEN_BACK once the scan reads the file itself;
   * each sets it only from 0, so exactly one of them reads the file.
   */
  claim?: Int32Array;
}

/** `AheadJob.claim`: the thread has begun the job (the scan waits for its answer). */
const BEGUN = 1;
/** `AheadJob.claim`: the scan reads the file itself (the thread answers `refused` without reading it). */
const TAKEN_BACK = 2;

/** Counts of this process (tests, the benchmark's notes): files sent, facts taken, files the scan read again after the thread's answer, and jobs the scan took back before the thread began them. */
export const scanAheadCounts = { sent: 0, taken: 0, refused: 0, takenBack: 0 };

const NO_SETS: PermissionSetsSnapshot = { folders: [], declarations: [] };

/** The thread's side: a source reads the file against a context that records what it asks. */
export function threadJob(): (job: AheadJob) => Promise<AheadAnswer> {
  const noSets = resolverOfSnapshot(NO_SETS);
  return async ({ path, kind, text, claim }) => {
    if (claim && Atomics.compareExchange(claim, 0, 0, BEGUN) !== 0) return { refused: 'taken back by the scan' };
    const source = await loadSource(kind);
    if (!source) return { refused: `no source reads ${kind}` };
    const lookUps: SetLookUp[] = [];
    const contexts: [string, ContextKind][] = [];
    let reached: string | undefined;
    const ctx: ScanContext = {
      model: emptyModel(),
      resolverFor: (cwd): PermissionSetResolver => {
        const r = noSets(cwd);
        return (name, subcommand) => {
          const answer = r(name, subcommand);
          lookUps.push({ cwd, name, subcommand, answer: JSON.stringify(answer) });
          return answer;
        };
      },
      contextFor: (file, natural) => {
        contexts.push([file, natural]);
        return natural;
      },
      nextId: idSequence(),
      file: (p) => {
        reached ??= `reads ${p}`;
        return undefined;
      },
      paths: () => {
        reached ??= 'lists the scan';
        return [];
      },
      permissionSets: () => {
        reached ??= 'asks the permission sets';
        return NO_SETS;
      },
    };
    try {
      await source.parse({ path, text, index: new LineIndex(path, text) }, ctx);
    } catch (e) {
      return { refused: `its source failed: ${(e as Error).message}` };
    }
    return reached ? { refused: reached } : { model: ctx.model, lookUps, contexts };
  };
}

/** How ScanAhead reaches the parser thread (tests give their own). */
export interface AheadPoster {
  /** Whether the thread runs, or is coming (a job then costs no thread start). */
  coming(): boolean;
  /** Posts the job now (starting the thread if it does not run); undefined when it cannot run. */
  post(job: AheadJob): Promise<{ result: AheadAnswer } | { fatal: string }> | undefined;
}

/** The scan's side (src/lint.ts makes one for a folder walk; src/scan.ts takes the answers). */
export class ScanAhead {
  private readonly asked = new Map<string, { answer: Promise<{ result: AheadAnswer } | { fatal: string }>; claim: Int32Array | undefined }>();

  /**
   * `takeBack`: whether a job the thread has not begun is taken back at the file's turn (not with
   * PERMLINT_READ_AHEAD=all, whose point is that the thread reads every such file).
   */
  constructor(
    private readonly poster: AheadPoster,
    private readonly minChars = AHEAD_MIN_CHARS,
    private readonly startChars = AHEAD_START_CHARS,
    private readonly takeBack = true,
  ) {}

  /**
   * A session when the parser thread can run the job (compiled JavaScript, a worker allowed);
   * undefined otherwise. PERMLINT_READ_AHEAD=0 turns it off; `all` reads every file of those kinds
   * ahead, whatever its length, starting the thread, and waits for each (the differential check on
   * a corpus).
   */
  static start(): ScanAhead | undefined {
    const mode = process.env.PERMLINT_READ_AHEAD;
    const module = mode === '0' ? undefined : threadModule('./scan-ahead.js', import.meta.url);
    if (module === undefined) return undefined;
    const poster: AheadPoster = {
      coming: parserThreadComing,
      post: (job) => {
        // (posted now: discovery does not return to the event loop until the walk ends; the thread starts, or adopts the early one)
        if (!parserThreadStarted()) startParserThread([]);
        return runInThreadNow<AheadAnswer>(module, job);
      },
    };
    return mode === 'all' ? new ScanAhead(poster, 0, 0, false) : new ScanAhead(poster);
  }

  /** Discovery's `onFile`: a file long enough is sent to the thread (which starts for a very long one). */
  readonly onFile = (f: { path: string; kind: string; text?: string | undefined }): void => {
    const text = f.text;
    if (text === undefined || text.length < this.minChars || !readsAhead(f.kind) || this.asked.has(f.path) || text.includes('\0')) return;
    if (text.length < this.startChars && !this.poster.coming()) return;
    const claim = this.takeBack ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
    const job: AheadJob = { path: f.path, kind: f.kind, text, ...(claim ? { claim } : {}) };
    const answer = this.poster.post(job);
    if (!answer) return;
    scanAheadCounts.sent++;
    this.asked.set(f.path, { answer, claim });
  };

  /**
   * The facts the thread read from `path`, when it was sent and every `-P` look-up and context
   * comes out the same with the scan's sets and the config's `contexts` (`ctx`); undefined when the
   * scan reads the file itself.
   */
  take(path: string, ctx: Pick<ScanContext, 'resolverFor' | 'contextFor'>): Promise<Model | undefined> | undefined {
    const asked = this.asked.get(path);
    if (!asked) return undefined;
    this.asked.delete(path);
    // (not begun: read here rather than wait for the thread's start or its earlier jobs)
    if (asked.claim && Atomics.compareExchange(asked.claim, 0, 0, TAKEN_BACK) === 0) {
      scanAheadCounts.takenBack++;
      return undefined;
    }
    return asked.answer.then((a) => {
      if ('fatal' in a || 'refused' in a.result) {
        scanAheadCounts.refused++;
        return undefined;
      }
      const { model, lookUps, contexts } = a.result;
      const same =
        Object.values(model).every((v) => Array.isArray(v)) &&
        contexts.every(([file, natural]) => ctx.contextFor(file, natural) === natural) &&
        lookUps.every((l) => JSON.stringify(ctx.resolverFor(l.cwd)(l.name, l.subcommand)) === l.answer);
      if (!same) {
        scanAheadCounts.refused++;
        return undefined;
      }
      scanAheadCounts.taken++;
      return model;
    });
  }
}
