/**
 * The TypeScript analysis in the parser thread (started by ./parser.ts, loaded there on the first
 * analysis message). It parses and analyses a scan's candidate files in the order the scan reads
 * them, with the same analyser (./analyze.ts) and a ScanContext of plain data sent by the scan's
 * thread: the permission sets read in the scan's first phase, each file's contexts after the
 * config's `contexts`, and the candidate files (for `ScanContext.file`). What the analysis adds to
 * the model is recorded in order (ThreadOp) and replayed on the scan's model when the scan reaches
 * the file, so the scan's thread never builds a syntax tree and the model is the same as if the
 * analysis had run there.
 */
import type { ContextKind, Model } from '../../model.js';
import { emptyModel } from '../../model.js';
import { resolverOfSnapshot, type PermissionSetsSnapshot } from '../../set-resolver.js';
import { LineIndex } from '../../text.js';
import type { ScanContext, SourceFile } from '../types.js';
import { analyzeParsed, modelRecorders } from './analyze.js';
import { langOf, programOf, refusal, sourceTypesOf, type ParseOutcome, type RawOutcome, type ThreadAnswer, type ThreadFile, type ThreadOp } from './parser.js';
import { newModuleTable, type ModuleTable } from './resolve.js';
import { holdsCode, moduleOnly } from './sniff.js';
import { parseRaw } from './raw.js';

type ParseOne = (path: string, text: string, lang: string, sourceTypes: string[], range: boolean) => RawOutcome;

interface Session {
  ctx: ScanContext;
  table: ModuleTable;
  files: Map<string, SourceFile>;
  contexts: Map<string, Record<string, string>>;
  /** The operations of the file being analysed. */
  ops: ThreadOp[];
  ids: WeakMap<Model, number>;
  nextId: number;
  /** The files in the order given (a session ahead starts again from them when its guesses were wrong). */
  order: ThreadFile[];
  /** A session ahead of the scan: what it guessed, checked when the scan's permission sets come (`confirm`). */
  ahead?: Guesses | undefined;
}

/**
 * What an analysis ahead of the scan (started during discovery: the permission sets are not
 * known yet) answered without knowing: each permission-set look-up, answered as from no deno.json
 * at all. Its answers are held until the scan confirms it with the sets: they stand when every
 * look-up gets the same answer from them; else the session starts again from its files with the
 * sets, as a session of the scan would have run.
 */
interface Guesses {
  sets: { cwd: string; name: string | undefined; subcommand: string; answer: string }[];
  held: ThreadAnswer[];
}

/**
 * A module the analysis looks up (`ScanContext.file`) before discovery has found it, in a
 * session ahead of the scan: it may still come. The analyser asks only whether to wait for it
 * (src/sources/typescript/analyze.ts `mayBeAnalysed`: in the scan, a candidate), and waits: for
 * a module that comes, as the scan's session does; for one that never comes (not in the tree, not
 * a candidate), the wait is never woken, as if it had not waited. A text the sniff keeps.
 */
export const MAY_COME = 'new Deno.Command(';

type Message =
  | { analysis: 'session'; sid: number; sets: PermissionSetsSnapshot; files: ThreadFile[] }
  /** A session ahead of the scan: files come with `files` messages, the sets with `confirm`. */
  | { analysis: 'ahead'; sid: number }
  | { analysis: 'files'; sid: number; files: ThreadFile[] }
  | { analysis: 'confirm'; sid: number; sets: PermissionSetsSnapshot }
  | { analysis: 'end'; sid: number };

/** No deno.json: what a session ahead answers permission-set look-ups with until the scan's sets come. */
const NO_SETS: PermissionSetsSnapshot = { folders: [], declarations: [] };

export function threadAnalyzer(parseOne: ParseOne, post: (a: ThreadAnswer) => void): { receive(m: Message): void; queued(): number } {
  const sessions = new Map<number, Session>();
  const queue: { sid: number; path: string }[] = [];
  let scheduled = false;

  const parse = (path: string, text: string): ParseOutcome => {
    // without `range`: the analyser reads `start` / `end` (values.ts startOf / endOf); through
    // oxc's raw transfer when it works here (./raw.ts), else its JSON
    const refused = refusal(text);
    if (refused) return refused as ParseOutcome;
    const raw = parseRaw(path, text, langOf(path), sourceTypesOf(path)) ?? parseOne(path, text, langOf(path), sourceTypesOf(path), false);
    return 'json' in raw ? { program: programOf(raw.json) } : raw;
  };

  const open = (sid: number, sets: PermissionSetsSnapshot | undefined): Session => {
    const files = new Map<string, SourceFile>();
    const contexts = new Map<string, Record<string, string>>();
    const known = resolverOfSnapshot(sets ?? NO_SETS);
    const mayCome = new Map<string, SourceFile>();
    const s: Session = {
      ctx: {
        model: emptyModel(),
        resolverFor: (cwd) => {
          const r = known(cwd);
          if (!s.ahead) return r;
          const guesses = s.ahead.sets;
          return (name, subcommand) => {
            const answer = r(name, subcommand);
            guesses.push({ cwd, name, subcommand, answer: JSON.stringify(answer) });
            return answer;
          };
        },
        contextFor: (file, natural) => (contexts.get(file)?.[natural] as ContextKind | undefined) ?? natural,
        nextId: () => {
          throw new Error('ScanContext.nextId is not available in the analysis thread');
        },
        file: (path) => {
          s.ops.push({ t: path });
          const f = files.get(path);
          if (f || !s.ahead || !holdsCode(path)) return f;
          let may = mayCome.get(path);
          if (!may) mayCome.set(path, (may = { path, text: MAY_COME, index: new LineIndex(path, MAY_COME) }));
          return may;
        },
      },
      table: newModuleTable(),
      files,
      contexts,
      ops: [],
      ids: new WeakMap(),
      nextId: 0,
      order: [],
      ahead: sets ? undefined : { sets: [], held: [] },
    };
    modelRecorders.set(s.ctx, (prev, next) => {
      const id = s.nextId++;
      const before = prev ? s.ids.get(prev) : undefined;
      if (prev) s.ids.delete(prev);
      s.ids.set(next, id);
      s.ops.push({ r: [before ?? -1, id, next] });
    });
    sessions.set(sid, s);
    return s;
  };

  const add = (sid: number, s: Session, f: ThreadFile) => {
    s.files.set(f.path, { path: f.path, text: f.text, index: new LineIndex(f.path, f.text) });
    s.contexts.set(f.path, f.contexts);
    s.order.push(f);
    queue.push({ sid, path: f.path });
  };

  /** The scan's sets for a session ahead: its answers stand, or it starts again with the sets. */
  const confirm = (sid: number, sets: PermissionSetsSnapshot) => {
    const s = sessions.get(sid);
    if (!s?.ahead) return;
    const guesses = s.ahead;
    const real = resolverOfSnapshot(sets);
    const stands = guesses.sets.every((g) => JSON.stringify(real(g.cwd)(g.name, g.subcommand as never)) === g.answer);
    post({ sid, ahead: stands ? 'stood' : 'again' });
    if (stands) {
      s.ahead = undefined;
      s.ctx.resolverFor = real;
      for (const a of guesses.held) send(a);
      return;
    }
    // (the files not analysed yet are still queued: they are queued again in order, after the rest)
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.sid === sid) queue.splice(i, 1);
    const again = open(sid, sets);
    for (const f of s.order) add(sid, again, f);
  };

  const send = (answer: ThreadAnswer) => {
    try {
      post(answer);
    } catch (e) {
      post({ sid: answer.sid, path: answer.path!, ops: [], error: `the analysis thread cannot send its answer: ${(e as Error).message}` });
    }
  };

  const analyse = (sid: number, path: string) => {
    const s = sessions.get(sid);
    if (!s) return;
    const file = s.files.get(path)!;
    s.ops = [];
    s.ctx.model = emptyModel();
    let error: string | undefined;
    try {
      // a module that only re-exports, which no file waits for yet, is analysed when one asks for it
      // (a file that waits for a module parses its text again when woken: ./analyze.ts `release`)
      const reparse = () => parse(file.path, file.text);
      if (moduleOnly(path, file.text) && !s.table.waiting.has(path)) s.table.deferred.set(path, () => analyzeParsed(file, s.ctx, s.table, reparse(), reparse));
      else analyzeParsed(file, s.ctx, s.table, reparse(), reparse);
    } catch (e) {
      error = (e as Error).message;
    }
    // problems the analyser pushes itself come after what its constructs recorded (as in the scan's thread)
    for (const p of s.ctx.model.problems) s.ops.push({ p });
    const answer: ThreadAnswer = { sid, path, ops: s.ops };
    if (error !== undefined) answer.error = error;
    if (s.ahead) s.ahead.held.push(answer);
    else send(answer);
  };

  const pump = () => {
    scheduled = false;
    const job = queue.shift();
    if (job) analyse(job.sid, job.path);
    schedule();
  };
  // one file per turn of the event loop: parse requests (section G, pm2) are answered in between
  const schedule = () => {
    if (!scheduled && queue.length) {
      scheduled = true;
      setImmediate(pump);
    }
  };

  return {
    /** Files waiting to be analysed (jobs sent ahead of their need wait for none to be left: ./parser.ts). */
    queued: () => queue.length,
    receive(m) {
      if (m.analysis === 'session') {
        const s = open(m.sid, m.sets);
        for (const f of m.files) add(m.sid, s, f);
      } else if (m.analysis === 'ahead') open(m.sid, undefined);
      else if (m.analysis === 'files') {
        const s = sessions.get(m.sid);
        if (s) for (const f of m.files) add(m.sid, s, f);
      } else if (m.analysis === 'confirm') confirm(m.sid, m.sets);
      else sessions.delete(m.sid);
      schedule();
    },
  };
}
