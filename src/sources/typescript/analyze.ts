/**
 * The analyser proper: parses with oxc-parser (./parser.ts; positions kept as UTF-16 offsets) and
 * hands each construct to its reader. Loaded only through a dynamic import from ./index.ts.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { ContextKind, Model } from '../../model.js';
import { emptyModel } from '../../model.js';
import type { ScanContext, SourceFile } from '../types.js';
import { dirOf } from '../types.js';
import { apiRef, netscriptTask, netscriptTaskObject, taskConfigObject } from './netscript.js';
import { collectBindings, collectExports, inertExports, makeResolver, memberName, type ModuleExports, type ModuleTable, type Traverse } from './resolve.js';
import { sandboxCreate } from './sandbox.js';
import { CHILD_PROCESS_FUNCTIONS, daxTemplate, spawnCall, type SpawnKind } from './spawn.js';
import { endOf, startOf, type Ctx } from './values.js';
import { denoWorker } from './worker.js';
import { replace } from './replace.js';

import { parseTypescript, type ParseOutcome } from './parser.js';
import { holdsCode, sniff } from './sniff.js';

export { newModuleTable } from './resolve.js';
export { parseTypescript };

/**
 * Pre-order walk over every node (children in source-field order). Each node is entered with its
 * ancestors, nearest last (`path[0..depth)`, entries past `depth` stale; valid only during the
 * call): no `parent` pointers
 * are written into the tree (a property added to every node of a deserialized tree is a second
 * allocation per node, and all of it survives as long as the tree does). Iterative: the depth of
 * the tree never reaches the JavaScript stack.
 */
const traverse: Traverse = (root, enter) => {
  const nodes: TSESTree.Node[] = [root];
  const depths: number[] = [0];
  const path: TSESTree.Node[] = [];
  while (nodes.length) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    enter(node, path, depth);
    // (entries past `depth` are stale: readers stop at it)
    path[depth] = node;
    // children go on the stack in source-field order, then that run is reversed so the first
    // child comes off first (no array per node: ASTs of thousands of nodes per file)
    const from = nodes.length;
    for (const key in node) {
      if (key === 'parent') continue;
      const v = (node as unknown as Record<string, unknown>)[key];
      if (v === null || typeof v !== 'object') continue;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i];
          if (x !== null && typeof x === 'object' && typeof (x as { type?: unknown }).type === 'string') nodes.push(x as TSESTree.Node);
        }
      } else if (typeof (v as { type?: unknown }).type === 'string') nodes.push(v as TSESTree.Node);
    }
    for (let i = from, j = nodes.length - 1; i < j; i++, j--) {
      const t = nodes[i]!;
      nodes[i] = nodes[j]!;
      nodes[j] = t;
    }
    for (let i = from; i < nodes.length; i++) depths.push(depth + 1);
  }
};

/**
 * The ancestors of `target` in the tree under `root`, nearest last (empty when it is the root or
 * not in the tree). Descends only into nodes whose offsets contain the target's, then, should
 * that miss it, through every node. For the few constructs that read their ancestors.
 */
function ancestorsOf(root: TSESTree.Node, target: TSESTree.Node): TSESTree.Node[] {
  const from = startOf(target);
  const to = endOf(target);
  for (const pruned of [true, false]) {
    const nodes: TSESTree.Node[] = [root];
    const depths: number[] = [0];
    const path: TSESTree.Node[] = [];
    while (nodes.length) {
      const node = nodes.pop()!;
      const depth = depths.pop()!;
      path.length = depth;
      if (node === target) return path;
      path.push(node);
      for (const key in node) {
        const v = (node as unknown as Record<string, unknown>)[key];
        if (v === null || typeof v !== 'object') continue;
        for (const x of Array.isArray(v) ? (v as unknown[]) : [v]) {
          if (x === null || typeof x !== 'object' || typeof (x as { type?: unknown }).type !== 'string') continue;
          const n = x as TSESTree.Node;
          if (pruned && (startOf(n) > from || endOf(n) < to)) continue;
          nodes.push(n);
          depths.push(depth + 1);
        }
      }
    }
  }
  return [];
}

/** The node types `run` reads as constructs (the rest of the tree is walked once, for the bindings). */
const CONSTRUCT_TYPES = new Set<string>(['VariableDeclarator', 'TSSatisfiesExpression', 'TSAsExpression', 'CallExpression', 'TaggedTemplateExpression', 'NewExpression']);

/** dax, the Deno/Node shell tools (`jsr:@david/dax`, `npm:dax-sh`, `deno.land/x/dax`). */
const DAX = /(^|[/:])(@david\/dax|dax-sh|x\/dax)([@/]|$)/;

const TEST_FILE = /(^|\/)(tests?|__tests__)\/|[._-](test|spec|bench)\.[cm]?[jt]sx?$|_(test|bench)\.[cm]?[jt]sx?$/;

interface FileState {
  file: SourceFile;
  ctx: ScanContext;
  table: ModuleTable;
  /** The tree; undefined while the file waits for a module and can parse its text again (`reparse`). */
  program: TSESTree.Program | undefined;
  bindings: ReturnType<typeof collectBindings>;
  /** The nodes of CONSTRUCT_TYPES, in pre-order (found by the bindings' walk: a run needs no walk of its own). */
  constructs: TSESTree.Node[];
  /** Parses the file's text again (the same tree): a file that waits lets its tree go until it runs again. */
  reparse?: (() => ParseOutcome) | undefined;
  /** What each construct (by its start offset) added to the model on the last run. */
  emitted: Map<number, Model>;
  exportsJson?: string;
  /** Whether its exports were inert (./resolve.ts inertExports) when last registered. */
  inert?: boolean;
  runs: number;
  /** The constructs the last run committed, in order, and the table's version after it. */
  order: number[];
  version: number;
}

/**
 * Where the analysis thread (./thread.ts) records what a construct adds to the model instead of
 * changing a model: the scan's thread replays the records in order on the scan's model.
 */
export const modelRecorders = new WeakMap<ScanContext, (prev: Model | undefined, next: Model) => void>();

function emit(ctx: ScanContext, prev: Model | undefined, next: Model): void {
  const record = modelRecorders.get(ctx);
  if (record) record(prev, next);
  else replace(ctx.model, prev, next);
}

export async function analyzeFile(file: SourceFile, ctx: ScanContext, table: ModuleTable): Promise<void> {
  analyzeParsed(file, ctx, table, await parseTypescript(file.path, file.text));
}

/**
 * The analysis of one file once parsed (in this thread, or in the analysis thread). `reparse`
 * parses the same text again: given, a file that waits for a module does not keep its tree.
 */
export function analyzeParsed(file: SourceFile, ctx: ScanContext, table: ModuleTable, parsed: ParseOutcome, reparse?: () => ParseOutcome): void {
  if ('error' in parsed) {
    const { offset, ...failure } = parsed.error;
    const at = file.index.span(offset, offset);
    ctx.model.problems.push({
      file: file.path,
      span: at,
      ...(failure.code === 'ts-nesting-budget' ? { code: failure.code, limit: failure.limit, nestedLine: file.index.span(failure.nestedAt, failure.nestedAt).line } : failure),
      source: 'typescript',
    });
    return;
  }
  const st: FileState = { file, ctx, table, program: undefined, bindings: new Map(), constructs: [], reparse, emitted: new Map(), runs: 0, order: [], version: -1 };
  try {
    index(st, parsed.program);
    run(st);
  } catch (e) {
    // an input nested deeper than the stack allows: report it, never crash the scan
    if (!(e instanceof RangeError)) throw e;
    ctx.model.problems.push({ file: file.path, span: file.index.span(0, 0), code: 'ts-too-deep', detail: e.message, source: 'typescript' });
  }
}

/** The file's tree, its bindings and its constructs. */
function index(st: FileState, program: TSESTree.Program): void {
  const constructs: TSESTree.Node[] = [];
  st.bindings = collectBindings(program, (root, enter) =>
    traverse(root, (node, path, depth) => {
      enter(node, path, depth);
      if (CONSTRUCT_TYPES.has(node.type)) constructs.push(node);
    }),
  );
  st.program = program;
  st.constructs = constructs;
}

/**
 * Lets the tree of a file that waits for a module go: its text parses to the same tree when the
 * module wakes it (./thread.ts). denoland/deno: 15 of tests/unit's files wait for test_util.ts,
 * which comes after them, up to 700 K characters of source, about 14 MB of trees, held at once.
 */
function release(st: FileState): void {
  st.program = undefined;
  st.bindings = new Map();
  st.constructs = [];
}

function run(st: FileState): void {
  if (++st.runs > 50) return; // a re-export cycle between modules: stop
  if (!st.program) {
    const parsed = st.reparse?.();
    if (!parsed || 'error' in parsed) return;
    index(st, parsed.program);
  }
  const program = st.program!;
  const { file, ctx, table } = st;
  const pending = new Set<string>();
  const r = makeResolver(file.path, st.bindings, table, (cands) => cands.forEach((x) => pending.add(x)));
  // the construct being read, and its ancestors once asked for
  let at: TSESTree.Node | undefined;
  let path: TSESTree.Node[] | undefined;
  const parentOf = (n: TSESTree.Node): TSESTree.Node | undefined => {
    if (!at) return undefined;
    path ??= ancestorsOf(program, at);
    if (n === at) return path[path.length - 1];
    for (let i = path.length - 1; i > 0; i--) if (path[i] === n) return path[i - 1];
    return undefined;
  };
  const c: Ctx = { file, r, parentOf };
  const natural: ContextKind = TEST_FILE.test(file.path) ? 'test' : 'development';
  const cwd = dirOf(file.path);
  const contextOf = (kind: ContextKind) => ({ kind: ctx.contextFor(file.path, natural === 'test' ? 'test' : kind), cwd });
  const ordinals = new Map<string, number>();
  const nextId = (what: string) => {
    const n = (ordinals.get(what) ?? 0) + 1;
    ordinals.set(what, n);
    return `${file.path}#${what}:${n}`;
  };
  const seen = new Set<number>();
  const ids = new Set<string>();
  st.order = [];
  const commit = (key: number, out: Model) => {
    seen.add(key);
    st.order.push(key);
    // two tasks of one name in one file stay two subjects
    for (const d of out.declarations) {
      for (let n = 2; ids.has(d.id); n++) d.id = `${d.id.replace(/#\d+$/, '')}#${n}`;
      ids.add(d.id);
    }
    emit(ctx, st.emitted.get(key), out);
    st.emitted.set(key, out);
  };

  // names bound to dax's `$` (`import $ from "jsr:@david/dax"`, `import { $ } from "npm:dax-sh"`)
  const daxNames = new Set<string>();
  for (const s of program.body) {
    if (s.type !== 'ImportDeclaration' || !DAX.test(String(s.source.value))) continue;
    for (const sp of s.specifiers) if (sp.type === 'ImportDefaultSpecifier' || (sp.type === 'ImportSpecifier' && sp.imported.type === 'Identifier' && sp.imported.name === '$')) daxNames.add(sp.local.name);
  }

  const visit = (node: TSESTree.Node): void => {
    if (node.type === 'VariableDeclarator' || node.type === 'TSSatisfiesExpression' || node.type === 'TSAsExpression') {
      const obj = taskConfigObject(c, node);
      if (obj) {
        const out = emptyModel();
        netscriptTaskObject(c, obj, out, nextId('netscript-task'), contextOf('deployment'));
        commit(startOf(obj), out);
      }
      return;
    }
    if (node.type === 'CallExpression') {
      const callee = node.callee;
      const ref = apiRef(c, callee);
      if (ref?.api === 'netscript' && ref.name === 'defineTask') {
        const out = emptyModel();
        netscriptTask(c, node, out, nextId('netscript-task'), contextOf('deployment'));
        commit(startOf(node), out);
        return;
      }
      if (ref?.api === 'child_process' && ref.name && CHILD_PROCESS_FUNCTIONS.has(ref.name)) {
        const out = emptyModel();
        spawnCall(c, node, ref.name as SpawnKind, { ctx, out, id: nextId('spawn'), context: contextOf('development') });
        commit(startOf(node), out);
        return;
      }
      if (callee.type === 'MemberExpression' && memberName(callee) === 'run' && callee.object.type === 'Identifier' && callee.object.name === 'Deno' && !r.declares('Deno')) {
        const out = emptyModel();
        spawnCall(c, node, 'Deno.run', { ctx, out, id: nextId('spawn'), context: contextOf('development') });
        commit(startOf(node), out);
        return;
      }
      if (callee.type === 'MemberExpression' && memberName(callee) === 'create') {
        const obj = apiRef(c, callee.object);
        if (obj?.api === 'sandbox' && obj.name === 'Sandbox') {
          const out = emptyModel();
          sandboxCreate(c, node, out, nextId('sandbox'), contextOf('deployment'));
          commit(startOf(node), out);
        }
      }
      return;
    }
    if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && daxNames.has(node.tag.name)) {
      const out = emptyModel();
      daxTemplate(c, node, { ctx, out, id: nextId('spawn'), context: contextOf('development') });
      commit(startOf(node), out);
      return;
    }
    if (node.type === 'NewExpression') {
      const callee = node.callee;
      if (callee.type === 'Identifier' && callee.name === 'Worker' && !r.declares('Worker')) {
        const out = emptyModel();
        denoWorker(c, node, out, nextId('worker'), contextOf('development'));
        commit(startOf(node), out);
      } else if (callee.type === 'MemberExpression' && memberName(callee) === 'Command' && callee.object.type === 'Identifier' && callee.object.name === 'Deno' && !r.declares('Deno')) {
        const out = emptyModel();
        spawnCall(c, node, 'Deno.Command', { ctx, out, id: nextId('spawn'), context: contextOf('development') });
        commit(startOf(node), out);
      }
    }
  };
  for (const node of st.constructs) {
    at = node;
    path = undefined;
    visit(node);
  }
  at = undefined;
  // constructs that no longer resolve (cannot happen as resolution only grows, but keep the model exact)
  for (const [key, prev] of st.emitted) {
    if (!seen.has(key)) {
      emit(ctx, prev, emptyModel());
      st.emitted.delete(key);
    }
  }

  // this module's exports, for files that import it; wake the files that wait for it
  const exp = collectExports(program, r);
  const json = exportsJson(exp);
  let waits = false;
  for (const p of pending) {
    // a module this scan will never analyse never wakes its waiters: waiting for it would only
    // keep this file's syntax tree alive until the scan ends
    if (!mayBeAnalysed(ctx, p)) continue;
    let w = table.waiting.get(p);
    if (!w) table.waiting.set(p, (w = new Map()));
    w.set(file.path, waiter(st));
    waits = true;
  }
  const changed = json !== st.exportsJson;
  st.exportsJson = json;
  const inert = inertExports(exp);
  if (!inert || st.inert === false) table.version++;
  st.inert = inert;
  table.modules.set(file.path, exp);
  st.version = table.version;
  // (before the wake: a file that waits for itself runs again from its text)
  if (waits && st.reparse) release(st);
  if (changed) wake(table, file.path, inert);
}

/**
 * What wakes a waiting file. Made outside `run`: a closure made there would hold all of run's
 * captured variables (V8 shares one context among a function's closures), the tree among them.
 */
function waiter(st: FileState): (inert: boolean) => void {
  return (inert) => (inert && st.version === st.table.version ? again(st) : run(st));
}

/**
 * A run again that cannot find anything new: woken by a module whose exports are inert (every
 * look-up through it finds nothing, as while it was missing), with nothing else in the table
 * changed since the file's last run. Its constructs would give the same facts, the same exports
 * and the same look-ups: what they added is put again, in the same order, as a run would.
 */
function again(st: FileState): void {
  if (++st.runs > 50) return;
  for (const key of st.order) {
    const prev = st.emitted.get(key)!;
    emit(st.ctx, prev, prev);
  }
}

const sniffed = new WeakMap<SourceFile, boolean>();

/** Whether the scan may analyse the file at `path`: it is in the scan, holds code and passes the sniff. */
function mayBeAnalysed(ctx: ScanContext, path: string): boolean {
  if (!ctx.file) return true; // a context that cannot tell: wait, as before
  const f = ctx.file(path);
  if (!f) return false;
  let yes = sniffed.get(f);
  if (yes === undefined) sniffed.set(f, (yes = holdsCode(f.path) && sniff(f.text)));
  return yes;
}

function wake(table: ModuleTable, path: string, inert: boolean): void {
  const w = table.waiting.get(path);
  if (!w) return;
  table.waiting.delete(path);
  for (const wakeUp of w.values()) wakeUp(inert);
}

function exportsJson(e: ModuleExports): string {
  return JSON.stringify([[...e.names].sort((a, b) => (a[0] < b[0] ? -1 : 1)), e.stars]);
}
