/**
 * Section G in the parser thread (loaded there by src/sources/typescript/parser.ts on the first
 * job): builds and analyses the graphs of a run's entrypoints with the same code as the scan's
 * thread (./index.ts buildGraphs), reading the files from disk itself through the same root-confined
 * InferFs, and parsing with oxc directly. Only plain data crosses: the root and the jobs in, each
 * graph's modules, needs, limits and externals out (exact spans), so the scan's thread never
 * builds section G's syntax trees. The `deno eval` codes src/eval-code.ts reads with the same
 * reader come here too.
 */
import { nodeFs } from '../fs.js';
import { langOf, programOf, refusal, sourceTypesOf, type ParseOutcome, type ThreadParseOne } from '../sources/typescript/parser.js';
import { parseRaw } from '../sources/typescript/raw.js';
import { inferFs, type InferFs } from './fs.js';
import type { GraphSummary } from './graph.js';
import { buildGraphs, type GraphJob } from './index.js';
import { codesNeedNothing } from '../eval-code.js';

/** A run's graphs (`jobs`, files read from `root`), or `deno eval` codes to read (src/eval-code.ts). */
export type InferJob = { root: string; jobs: GraphJob[] } | { eval: [code: string, ext: string | undefined][] };

export function threadJob(parseOne: ThreadParseOne): (data: InferJob) => Promise<(GraphSummary | null)[] | boolean[]> {
  // without `range`: the analyser reads `start` / `end` (values.ts startOf / endOf); through oxc's
  // raw transfer when it works in this thread (src/sources/typescript/raw.ts), else its JSON
  const parse = (path: string, text: string): ParseOutcome => {
    const refused = refusal(text);
    if (refused) return refused as ParseOutcome;
    const raw = parseRaw(path, text, langOf(path), sourceTypesOf(path)) ?? parseOne(path, text, langOf(path), sourceTypesOf(path), false);
    return 'json' in raw ? { program: programOf(raw.json) } : raw;
  };
  // the files of one session of calls (a run's graphs built ahead, one call each: ./index.ts
  // GraphsAhead), read once for all of them: each call read again, and stat'ed, every module and
  // deno.json its graph reached (denoland/deno: 296 module loads of 135 files)
  let shared: { root: string; session: number; fs: InferFs } | undefined;
  const fsFor = (root: string, jobs: readonly GraphJob[]): InferFs => {
    const session = jobs[0]?.session;
    if (!session) return inferFs(nodeFs, root);
    if (!shared || shared.root !== root || shared.session !== session.id) shared = { root, session: session.id, fs: inferFs(nodeFs, root, SESSION_CHARS) };
    const fs = shared.fs;
    if (jobs.some((j) => j.session?.last)) shared = undefined;
    return fs;
  };
  return async (data) => ('eval' in data ? codesNeedNothing(data.eval, parse) : (await buildGraphs(fsFor(data.root, data.jobs), data.jobs, parse)).map((g) => g ?? null));
}

/** What a session's reader holds at most (UTF-16 units of file text; ./fs.ts `inferFs`): as much as the session's ModuleCache. */
const SESSION_CHARS = 8 * 1024 * 1024;
