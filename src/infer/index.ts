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
import { cancelInThread, runInThread, threadModule } from '../sources/typescript/parser.js';

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
  /**
   * Graphs built ahead of the rules (`GraphsAhead`) come one call each: the calls of one run share
   * their parsed modules through this session (`last`: the session ends after this call; a job
   * with `last` and no entry only ends it).
   */
  session?: { id: number; last?: boolean };
}

/** The parsed modules of each session of calls (see GraphJob `session`), where graphs are built. */
const sessionCaches = new Map<number, import('./graph.js').ModuleCache>();

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
  const session = jobs[0]?.session;
  let cache = session && sessionCaches.get(session.id);
  if (!cache) {
    cache = new ModuleCache();
    if (session) sessionCaches.set(session.id, cache);
  }
  if (jobs.some((j) => j.session?.last)) sessionCaches.delete(session!.id);
  const out: (GraphSummary | undefined)[] = [];
  for (const { runtime, entry } of jobs) {
    if (!entry) {
      out.push(undefined);
      continue;
    }
    try {
      const g = await new GraphBuilder(fs, runtime, parse, cache).build(entry);
      out.push(g && summarize(g));
    } catch {
      out.push(undefined);
    }
  }
  return out;
}

let threadGraphs = 0;
let aheadGraphs = 0;
let asked = 0;
/** How many graphs this process has asked for, in the parser thread or here, ahead or not (tests: a run that leaves section G out asks none). */
export function inferAskedCount(): number {
  return asked;
}
/** How many graphs the parser thread has built in this process (tests). */
export function inferThreadCount(): number {
  return threadGraphs;
}
/** How many of those were built during the scan, ahead of the rules (GraphsAhead; tests). */
export function inferAheadCount(): number {
  return aheadGraphs;
}

/**
 * Section G runs in the parser thread (./thread.ts) when this module is compiled JavaScript (the
 * thread loads the compiled analyser) and the files are on disk (the thread reads them itself);
 * else here. PERMLINT_TS_THREAD=0 keeps it here, as for the TypeScript analysis.
 */
async function graphsOf(fs: InferFs, jobs: GraphJob[], ahead?: GraphsAhead): Promise<(GraphSummary | undefined)[]> {
  if (ahead) return ahead.graphs(fs, jobs);
  if (jobs.length === 0) return [];
  asked += jobs.length;
  const module = threadModule('./thread.js', import.meta.url);
  if (module !== undefined && fs.disk !== undefined) {
    const r = await runInThread<(GraphSummary | null)[]>(module, { root: fs.disk, jobs });
    if ('result' in r && r.result.length === jobs.length) {
      threadGraphs += jobs.length;
      return r.result.map((g) => g ?? undefined);
    }
    // the thread could not run it (ended, out of memory): the same analysis here
  }
  return buildGraphs(fs, jobs);
}

let nextSession = 0;

/**
 * Section G ahead of its turn: the graphs of the entrypoints of the invocations the scan finds
 * are built in the parser thread while the scan goes on (`see`, after each file), instead of after
 * the scan, its link phase and its roles, when the rules need them. Which invocations the rules
 * will want is known only then (levels per context, which the link phase may change): `worth` is
 * a superset. Each graph is what the same call after the scan gives (a graph depends on its
 * entrypoint, its runtime and the files: the calls share parsed modules, checked against the text
 * as within one call); `graphs` takes the ones built and builds the rest.
 */
export class GraphsAhead {
  private readonly started = new Map<string, Promise<GraphSummary | undefined | typeof FAILED>>();
  private seen = 0;
  private readonly session = nextSession++;
  private ended = false;

  private constructor(
    private readonly root: string,
    private readonly module: string,
    private readonly worth: (inv: Invocation) => boolean,
  ) {}

  /** When section G will run in the parser thread on files on disk; else undefined (it runs after the scan, as it did). */
  static start(fs: InferFs, worth: (inv: Invocation) => boolean): GraphsAhead | undefined {
    const module = threadModule('./thread.js', import.meta.url);
    return module !== undefined && fs.disk !== undefined ? new GraphsAhead(fs.disk, module, worth) : undefined;
  }

  /** The scan's model after a file: the graphs of the entrypoints of its new invocations start. */
  see(model: Model): void {
    if (this.ended) return;
    const invs = model.invocations;
    for (; this.seen < invs.length; this.seen++) {
      const inv = invs[this.seen]!;
      if ((!inv.takesPermissions && inv.runtime === 'deno') || !this.worth(inv)) continue;
      const entry = entrypointOf(inv);
      if (!entry) continue;
      const key = `${inv.runtime}\0${entry}`;
      if (this.started.has(key)) continue;
      const job: GraphJob = { runtime: inv.runtime, entry, session: { id: this.session } };
      asked++;
      const r = runInThread<(GraphSummary | null)[]>(this.module, { root: this.root, jobs: [job] }, { tag: this.tag(key) });
      this.started.set(
        key,
        r.then((x) => ('result' in x && x.result.length === 1 ? (x.result[0] ?? undefined) : FAILED)),
      );
    }
  }

  private tag(key: string): string {
    return `${this.session}\0${key}`;
  }

  /**
   * The graphs of `jobs`: the ones built ahead, and the rest built now, in one call after them
   * that ends the session; the graphs started for other entrypoints and not begun yet are dropped.
   */
  async graphs(fs: InferFs, jobs: GraphJob[]): Promise<(GraphSummary | undefined)[]> {
    this.ended = true;
    // (nothing started: as after the scan, and no session to end)
    if (this.started.size === 0) return graphsOf(fs, jobs);
    const key = (j: GraphJob) => `${j.runtime}\0${j.entry}`;
    const wanted = new Set(jobs.map(key));
    cancelInThread([...this.started.keys()].filter((k) => !wanted.has(k)).map((k) => this.tag(k)));
    const rest = [...new Map(jobs.filter((j) => !this.started.has(key(j))).map((j) => [key(j), j])).values()];
    asked += rest.length;
    const last = { id: this.session, last: true };
    // (no graph left to build: a call with no entrypoint ends the session)
    const send = rest.length ? rest.map((j) => ({ runtime: j.runtime, entry: j.entry, session: last })) : [{ runtime: 'deno' as const, entry: '', session: last }];
    const r = await runInThread<(GraphSummary | null)[]>(this.module, { root: this.root, jobs: send }, { tag: undefined });
    const built = new Map<string, GraphSummary | undefined | typeof FAILED>();
    rest.forEach((j, i) => built.set(key(j), 'result' in r && r.result.length === send.length ? (r.result[i] ?? undefined) : FAILED));
    const out: (GraphSummary | undefined)[] = [];
    for (const j of jobs) {
      let g = built.has(key(j)) ? built.get(key(j)) : await this.started.get(key(j));
      // (the thread could not build it: built here, as after the scan)
      if (g === FAILED) g = (await buildGraphs(fs, [{ runtime: j.runtime, entry: j.entry }]))[0];
      else {
        threadGraphs++;
        if (!built.has(key(j))) aheadGraphs++;
      }
      out.push(g);
    }
    return out;
  }

  /** Section G will not run (no invocation the rules want): what was started and not begun is dropped. */
  end(): void {
    if (!this.ended && this.started.size) void this.graphs({ read: () => undefined }, []);
    this.ended = true;
  }
}

/** A graph the parser thread could not build (it ended, it ran out of memory). */
const FAILED = Symbol('failed');

/** Infer the needs of every invocation that runs a local entrypoint (`ahead`: the graphs started during the scan). */
export async function inferModel(model: Model, fs: InferFs, wanted: (inv: Invocation) => boolean = () => true, ahead?: GraphsAhead): Promise<Inference[]> {
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
  const graphs = await graphsOf(fs, jobs, ahead);
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
