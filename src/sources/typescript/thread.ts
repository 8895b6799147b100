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
import { moduleOnly } from './sniff.js';
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
}

type Message =
  | { analysis: 'session'; sid: number; sets: PermissionSetsSnapshot; files: ThreadFile[] }
  | { analysis: 'end'; sid: number };

export function threadAnalyzer(parseOne: ParseOne, post: (a: ThreadAnswer) => void): { receive(m: Message): void } {
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

  const open = (sid: number, sets: PermissionSetsSnapshot): Session => {
    const files = new Map<string, SourceFile>();
    const contexts = new Map<string, Record<string, string>>();
    const s: Session = {
      ctx: {
        model: emptyModel(),
        resolverFor: resolverOfSnapshot(sets),
        contextFor: (file, natural) => (contexts.get(file)?.[natural] as ContextKind | undefined) ?? natural,
        nextId: () => {
          throw new Error('ScanContext.nextId is not available in the analysis thread');
        },
        file: (path) => {
          s.ops.push({ t: path });
          return files.get(path);
        },
      },
      table: newModuleTable(),
      files,
      contexts,
      ops: [],
      ids: new WeakMap(),
      nextId: 0,
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
    queue.push({ sid, path: f.path });
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
      if (moduleOnly(path, file.text) && !s.table.waiting.has(path)) s.table.deferred.set(path, () => analyzeParsed(file, s.ctx, s.table, parse(file.path, file.text)));
      else analyzeParsed(file, s.ctx, s.table, parse(file.path, file.text));
    } catch (e) {
      error = (e as Error).message;
    }
    // problems the analyser pushes itself come after what its constructs recorded (as in the scan's thread)
    for (const p of s.ctx.model.problems) s.ops.push({ p });
    const answer: ThreadAnswer = { sid, path, ops: s.ops };
    if (error !== undefined) answer.error = error;
    try {
      post(answer);
    } catch (e) {
      post({ sid, path, ops: [], error: `the analysis thread cannot send its answer: ${(e as Error).message}` });
    }
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
    receive(m) {
      if (m.analysis === 'session') {
        const s = open(m.sid, m.sets);
        for (const f of m.files) add(m.sid, s, f);
      } else sessions.delete(m.sid);
      schedule();
    },
  };
}
