/**
 * Section G: what the code reachable from each invocation's entrypoint needs. Runs after the
 * scan (it reads modules; rules only read the result in `model.inferences`).
 */
import { posix } from 'node:path';
import type { Inference, InferredNeed, Invocation, Model, PermKind } from '../model.js';
import { GraphBuilder, type Graph } from './graph.js';
import type { RawNeed } from './analyze.js';
import { REPO } from './values.js';
import type { InferFs } from './fs.js';

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

export function toInference(subjectId: string, graph: Graph, inv: Pick<Invocation, 'runtime' | 'subcommand' | 'context'>): Inference {
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
    for (const m of graph.modules.values()) push({ kind: 'read', value: REPO + m.path, api: 'module loading', text: m.path, span: m.index.span(0, 0), implicit: 'Node reads every module it loads under --permission' });
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
    limits.push({ kinds: ['net'], reason: '`deno serve` grants net access to the address it listens on itself', span: graph.modules.get(graph.entry)!.index.span(0, 0) });
  }
  return { subjectId, entrypoint: graph.entry, modules: [...graph.modules.keys()], needs, limits };
}

/**
 * The graph from one entrypoint, or undefined when it cannot be read or analysed: an analysis that
 * fails on some input (too deep for the folding recursion, say) makes no claim rather than ending the scan.
 */
async function buildGraph(fs: InferFs, runtime: 'deno' | 'node', entry: string): Promise<Graph | undefined> {
  try {
    return await new GraphBuilder(fs, runtime).build(entry);
  } catch {
    return undefined;
  }
}

/** Infer the needs of every invocation that runs a local entrypoint. */
export async function inferModel(model: Model, fs: InferFs, wanted: (inv: Invocation) => boolean = () => true): Promise<Inference[]> {
  const graphs = new Map<string, Graph | undefined>();
  const out: Inference[] = [];
  for (const inv of model.invocations) {
    if ((!inv.takesPermissions && inv.runtime === 'deno') || !wanted(inv)) continue;
    const entry = entrypointOf(inv);
    if (!entry) continue;
    const key = `${inv.runtime}\0${entry}`;
    if (!graphs.has(key)) graphs.set(key, await buildGraph(fs, inv.runtime, entry));
    const g = graphs.get(key);
    if (!g) continue;
    out.push(toInference(inv.id, g, inv));
  }
  return out;
}

/** Infer from one entrypoint outside any invocation (`permlint infer main.ts`). */
export async function inferEntrypoint(entry: string, fs: InferFs, runtime: 'deno' | 'node' = 'deno', cwd = ''): Promise<Inference | undefined> {
  const g = await buildGraph(fs, runtime, entry);
  return g ? toInference(entry, g, { runtime, subcommand: 'run', context: { kind: 'development', cwd } }) : undefined;
}
