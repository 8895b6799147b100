/**
 * Section G: what the code reachable from each invocation's entrypoint needs. Runs after the
 * scan (it reads modules; rules only read the result in `model.inferences`).
 */
import { posix } from 'node:path';
import type { Inference, InferredNeed, Invocation, Model, PermKind } from '../model.js';
import type { GraphSummary, ParseModule } from './graph.js';
import type { RawNeed } from './analyze.js';
import { REPO } from './values.js';
import type { InferFs } from './fs.js';
import { runInThread } from '../sources/typescript/parser.js';

/** Deno subcommands that run an entrypoint under the permission flags. */
const RUNS = new Set(['run', 'serve']);

/** Kinds Node's permission model restricts (the rest are always allowed under it). */
export const NODE_KINDS: readonly PermKind[] = ['read', 'write', 'run', 'worker', 'ffi', 'wasi'];

/** The repo-relative entrypoint of an invocation, when it is a local file known statically. */
export function entrypointOf(inv: Invocation): string | undefined {
  const e = inv.entrypoint;
  if (!e || e.dynamic || /^[a-z][a-z0-9+.-]*:/i.test(e.value)) return undefined;
  if (inv.runtime === 'deno' && !RUNS.has(inv.subcommand ?? '')) return undefined;
  if (inv.runtime === 'node' && !inv.node?.enabled) return undefined;
  if (e.value.startsWith('/')) return undefined;
  const p = posix.normalize(posix.join(inv.context.cwd ?? '', e.value));
  return p.startsWith('..') ? undefined : p;
}

/** A need's value as the runtime checks it, relative to the working directory when it is a repo path. */
function relativeValue(kind: PermKind, value: string | undefined, cwd: string): string | undefined {
  if (value === undefined) return undefined;
  if (kind !== 'read' && kind !== 'write' && kind !== 'ffi' && kind !== 'run' && !(kind === 'net' && value.startsWith('unix:'))) return value;
  const prefix = kind === 'net' ? 'unix:' : '';
  const v = value.slice(prefix.length);
  if (!v.startsWith(REPO)) return value;
  const repoPath = v.slice(REPO.length);
  const rel = posix.relative(cwd || '.', repoPath || '.') || '.';
  return prefix + (rel.startsWith('..') || rel === '.' ? rel : `./${rel}`);
}

export function toInference(subjectId: string, graph: GraphSummary, inv: Pick<Invocation, 'runtime' | 'subcommand' | 'context'>): Inference {
  const cwd = inv.context.cwd ?? '';
  const node = inv.runtime === 'node';
  const needs: InferredNeed[] = [];
  const push = (n: RawNeed) => {
    if (node && !NODE_KINDS.includes(n.kind)) return;
    const value = relativeValue(n.kind, n.value, cwd);
    needs.push({ ...n, ...(value === undefined ? { value: undefined } : { value }) });
    if (value === undefined) delete needs[needs.length - 1]!.value;
  };
  for (const n of graph.needs) push(n);
  if (node) {
    // Node's permission model checks fs read for every module it loads (the entrypoint too)
    for (const [path, start] of graph.modules) push({ kind: 'read', value: REPO + path, api: 'module loading', text: path, span: start, implicit: 'Node reads every module it loads under --permission' });
    for (const e of graph.externals) push({ kind: 'read', value: `${REPO}${e.dir ?? posix.join(cwd, 'node_modules', e.package)}`, api: 'module loading', text: e.specifier, span: e.span, implicit: 'Node reads the package from node_modules' });
  }
  const limits = graph.limits.map((l) => ({ ...l }));
  for (const e of graph.externals) {
    if (e.kinds !== 'all' && e.kinds.length === 0) continue;
    if (node && e.kinds === 'all') {
      limits.push({ kinds: 'all', reason: `the dependency \`${e.package}\` is not read (opaque)`, span: e.span });
      continue;
    }
    limits.push({ kinds: e.kinds, reason: e.kinds === 'all' ? `the dependency \`${e.package}\` is not read (opaque)` : `\`${e.package}\` ${e.note ?? `uses ${e.kinds.join(', ')}`}`, span: e.span });
  }
  if (inv.runtime === 'deno' && inv.subcommand === 'serve') {
    limits.push({ kinds: ['net'], reason: '`deno serve` grants net access to the address it listens on itself', span: graph.modules.get(graph.entry)! });
  }
  return { subjectId, entrypoint: graph.entry, modules: [...graph.modules.keys()], needs, limits };
}

/** One graph to build: an entrypoint and the runtime that loads it. */
export interface GraphJob {
  runtime: 'deno' | 'node';
  entry: string;
}

/**
 * The graph of each job (in order), or undefined for one that cannot be read or analysed: an
 * analysis that fails on some input makes no claim rather than ending the scan. The graphs of one
 * call share the modules they both reach (parsed once). The same code runs here and in the
 * parser thread (./thread.ts).
 */
export async function buildGraphs(fs: InferFs, jobs: readonly GraphJob[], parse?: ParseModule): Promise<(GraphSummary | undefined)[]> {
  // the graph builder and the analyser load where graphs are built: the parser thread, or here when
  // it cannot (a scan's thread that hands section G to the thread posts the job without them)
  const { GraphBuilder, ModuleCache, summarize } = await import('./graph.js');
  const cache = new ModuleCache();
  const out: (GraphSummary | undefined)[] = [];
  for (const { runtime, entry } of jobs) {
    try {
      const g = await new GraphBuilder(fs, runtime, parse, cache).build(entry);
      out.push(g && summarize(g));
    } catch {
      out.push(undefined);
    }
  }
  return out;
}

/**
 * Section G runs in the parser thread (./thread.ts) when this module is compiled JavaScript (the
 * thread loads the compiled analyser) and the files are on disk (the thread reads them itself);
 * else here. PERMLINT_TS_THREAD=0 keeps it here, as for the TypeScript analysis.
 */
const THREAD_MODULE = import.meta.url.endsWith('.js') ? new URL('./thread.js', import.meta.url).href : undefined;

let threadGraphs = 0;
/** How many graphs the parser thread has built in this process (tests). */
export function inferThreadCount(): number {
  return threadGraphs;
}

async function graphsOf(fs: InferFs, jobs: GraphJob[]): Promise<(GraphSummary | undefined)[]> {
  if (jobs.length === 0) return [];
  if (THREAD_MODULE !== undefined && fs.disk !== undefined && process.env.PERMLINT_TS_THREAD !== '0') {
    const r = await runInThread<(GraphSummary | null)[]>(THREAD_MODULE, { root: fs.disk, jobs });
    if ('result' in r && r.result.length === jobs.length) {
      threadGraphs += jobs.length;
      return r.result.map((g) => g ?? undefined);
    }
    // the thread could not run it (ended, out of memory): the same analysis here
  }
  return buildGraphs(fs, jobs);
}

/** Infer the needs of every invocation that runs a local entrypoint. */
export async function inferModel(model: Model, fs: InferFs, wanted: (inv: Invocation) => boolean = () => true): Promise<Inference[]> {
  const keys = new Map<string, number>();
  const jobs: GraphJob[] = [];
  const subjects: { inv: Invocation; job: number }[] = [];
  for (const inv of model.invocations) {
    if ((!inv.takesPermissions && inv.runtime === 'deno') || !wanted(inv)) continue;
    const entry = entrypointOf(inv);
    if (!entry) continue;
    const key = `${inv.runtime}\0${entry}`;
    let job = keys.get(key);
    if (job === undefined) {
      keys.set(key, (job = jobs.length));
      jobs.push({ runtime: inv.runtime, entry });
    }
    subjects.push({ inv, job });
  }
  const graphs = await graphsOf(fs, jobs);
  const out: Inference[] = [];
  for (const { inv, job } of subjects) {
    const g = graphs[job];
    if (g) out.push(toInference(inv.id, g, inv));
  }
  return out;
}

/** Infer from one entrypoint outside any invocation (`permlint infer main.ts`). */
export async function inferEntrypoint(entry: string, fs: InferFs, runtime: 'deno' | 'node' = 'deno', cwd = ''): Promise<Inference | undefined> {
  const [g] = await graphsOf(fs, [{ runtime, entry }]);
  return g ? toInference(entry, g, { runtime, subcommand: 'run', context: { kind: 'development', cwd } }) : undefined;
}
