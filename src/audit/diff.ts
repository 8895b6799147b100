/**
 * Compare two inventories (a git ref's and the working tree's): which entries widened,
 * narrowed, appeared or went away. Entries are matched by identity, never by line:
 * the file (after renames), the source kind and the key inside the file (`task:start`,
 * `script:build`, `sh#2`). Keys that end in an ordinal (`sh#2`: the second command of a
 * script; `check/2`: the second step of a CI job) are matched first by what they run, so inserting a command above another one does
 * not pair unrelated commands.
 */
import type { ContextKind, PermKind, Runtime } from '../model.js';
import { envCovers, netCovers, parseNetValue, placeCovers, type NetValue, type Place } from '../grammar/query.js';
import { baseFor, resolvePath } from '../semantics/paths.js';
import { grantsAnything, kindsFor, type AuditEntry, type PermValue } from './inventory.js';

export interface KindChange {
  before: PermValue;
  after: PermValue;
  /** Scopes the kind gained (`"all"` when it became unscoped). */
  gained?: 'all' | string[];
  /** Scopes the kind lost (`"all"` when it was unscoped before). */
  lost?: 'all' | string[];
  deniedBefore?: 'all' | string[];
  deniedAfter?: 'all' | string[];
  /** Denies that were there before and are gone (a widening). */
  deniesLifted?: string[];
  /** Denies that are new (a narrowing). */
  deniesAdded?: string[];
}

export interface EntryRef {
  id: string;
  type: AuditEntry['type'];
  file: string;
  line: number;
  key: string;
  source: AuditEntry['source'];
  name: string | null;
  runtime: AuditEntry['runtime'];
  command: string | null;
  entrypoint: string | null;
  /** For declarations: what they declare (`permission-set`, …). */
  declaration?: string;
}

export interface ChangedEntry extends EntryRef {
  /** Where the entry was at the ref (file and line), when it differs. */
  before: { file: string; line: number };
  /** Per kind: before and after. Only the kinds that changed in this list's direction. */
  kinds: Partial<Record<PermKind, KindChange>>;
  implicitBefore?: string;
  implicitAfter?: string;
  /**
   * The entry now runs in a stronger context (development → deployment: a Dockerfile started
   * running this task) or a weaker one. With the same grants, that is a widening of what
   * production may do: diff compares linked models.
   */
  context?: { before: ContextKind; after: ContextKind; calledBy?: { file: string; line: number }[] };
}

export interface AddedEntry extends EntryRef {
  permissions: AuditEntry['permissions'];
  denied?: AuditEntry['denied'];
  implicit?: string;
  /** Whether it grants anything beyond the runtime's defaults (counts as widening for the exit code). */
  widens: boolean;
}

export interface DiffResult {
  version: 1;
  ref: string;
  widened: ChangedEntry[];
  narrowed: ChangedEntry[];
  added: AddedEntry[];
  removed: AddedEntry[];
  /** Entries matched across a file rename (not a change of permissions by itself). */
  moved: { id: string; from: { file: string; line: number }; to: { file: string; line: number } }[];
}

const RANK: Record<ContextKind, number> = { test: 0, development: 1, ci: 2, build: 3, deployment: 4 };

function ref(e: AuditEntry): EntryRef {
  const r: EntryRef = { id: e.id, type: e.type, file: e.file, line: e.line, key: e.key, source: e.source, name: e.name, runtime: e.runtime, command: e.command, entrypoint: e.entrypoint };
  if (e.declaration) r.declaration = e.declaration;
  return r;
}

function full(e: AuditEntry): AddedEntry {
  const a: AddedEntry = { ...ref(e), permissions: e.permissions, widens: grantsAnything(e) };
  if (e.denied) a.denied = e.denied;
  if (e.implicit) a.implicit = e.implicit;
  return a;
}

/**
 * The key without a trailing ordinal (`sh#2` → `sh`, `check/3` → `check`, `ExecStart:1` →
 * `ExecStart`): the site whose commands are numbered in order, so that their numbers shift
 * when one is inserted above.
 */
export function groupOf(key: string): string {
  return key.replace(/[#:/]\d+$/, '');
}

function signature(e: AuditEntry): string {
  return `${e.runtime}\0${e.command ?? ''}\0${e.entrypoint ?? ''}\0${e.declaration ?? ''}`;
}

/** Pair entries of the two sides. `fileOf` maps a before-file to where it lives now. */
export function matchEntries(before: AuditEntry[], after: AuditEntry[], fileOf: (file: string) => string): [AuditEntry, AuditEntry][] {
  const groupKey = (e: AuditEntry, file: string) => `${e.type}\0${e.source}\0${file}\0${groupOf(e.key)}`;
  const groups = new Map<string, AuditEntry[]>();
  for (const a of after) {
    const k = groupKey(a, a.file);
    groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  const taken = new Set<AuditEntry>();
  const pairs: [AuditEntry, AuditEntry][] = [];
  const pending = new Set(before);
  const pass = (same: (b: AuditEntry, a: AuditEntry) => boolean) => {
    for (const b of before) {
      if (!pending.has(b)) continue;
      const cands = groups.get(groupKey(b, fileOf(b.file))) ?? [];
      const a = cands.find((x) => !taken.has(x) && same(b, x));
      if (!a) continue;
      taken.add(a);
      pending.delete(b);
      pairs.push([b, a]);
    }
  };
  pass((b, a) => b.key === a.key && signature(b) === signature(a));
  pass((b, a) => signature(b) === signature(a));
  pass((b, a) => b.key === a.key);
  pass(() => true);
  return pairs;
}

function asList(v: PermValue): string[] {
  return v === 'none' ? [] : v === 'all' ? [] : v;
}

/**
 * How values of one kind are read for comparison: the kind, the runtime and the folder each
 * side's relative values resolve against (`AuditEntry.base`). Without a kind, values compare as
 * written (two values are the same scope only when they are the same text).
 */
export interface CompareScope {
  kind?: PermKind;
  /** The runtime of both sides (default `deno`), unless `runtimeBefore` / `runtimeAfter` say otherwise. */
  runtime?: Runtime;
  /** The runtime that reads the before side's values (an entry that moved from node to deno). */
  runtimeBefore?: Runtime;
  /** The runtime that reads the after side's values. */
  runtimeAfter?: Runtime;
  /** Base folder of the before side (repo-relative, `''` = root); null/undefined = unknown. */
  baseBefore?: string | null;
  /** Base folder of the after side. */
  baseAfter?: string | null;
}

/** One side's value as the query engine sees it: a place, host values, an env name, or only its text. */
type Scope = { text: string; place?: Place; net?: NetValue[]; env?: string };

const PATH_KINDS = new Set<PermKind>(['read', 'write', 'ffi']);

function scopeOf(text: string, scope: CompareScope, base: string | null | undefined, runtime: Runtime): Scope {
  const kind = scope.kind;
  if (kind && PATH_KINDS.has(kind)) {
    const place = resolvePath(text, baseFor(base ?? undefined), { runtime });
    return place ? { text, place } : { text };
  }
  if (kind === 'net' || kind === 'import') {
    const net = parseNetValue(text, { cli: true });
    return net ? { text, net } : { text };
  }
  if (kind === 'env') return { text, env: text };
  return { text };
}

/** Does grant value `a` reach everything value `b` stands for? Asked of the query engine; values it cannot read compare as text. */
function scopeCovers(a: Scope, b: Scope, runtime: Runtime): boolean {
  if (a.place && b.place) return placeCovers(runtime, a.place, b.place);
  if (a.net && b.net) return b.net.every((nb) => a.net!.some((na) => netCovers(na, nb)));
  if (a.env !== undefined && b.env !== undefined) return envCovers(a.env, b.env);
  return a.text === b.text;
}

/** A list that reaches every value of its kind (`--allow-read=/`): the same coverage as a bare flag. */
function coversEverything(list: Scope[]): boolean {
  return list.some((s) => s.place?.root === 'abs' && s.place.segments.length === 0 && s.place.star === undefined);
}

/** Values of `from` that no value of `by` covers (what `by` does not reach of `from`). */
function uncovered(from: Scope[], by: Scope[], runtime: Runtime): string[] {
  return from.filter((x) => !by.some((y) => scopeCovers(y, x, runtime))).map((x) => x.text);
}

/**
 * How one kind changed: what it gained (widening) and what it lost (narrowing), by coverage as
 * the runtime decides it (`/a` → `/a/b` narrows, `/a/b` → `/a` widens, a reordered list is no
 * change, an explicit `/` is the same as a bare flag). Denies compare the same way.
 */
export function compareKind(
  before: PermValue,
  after: PermValue,
  deniedBefore?: 'all' | string[],
  deniedAfter?: 'all' | string[],
  scope: CompareScope = {},
): { widened?: KindChange; narrowed?: KindChange } {
  const base: KindChange = { before, after };
  if (deniedBefore) base.deniedBefore = deniedBefore;
  if (deniedAfter) base.deniedAfter = deniedAfter;
  // each side is read by its own runtime (a Node `*` is a prefix, Deno's is a literal name), and
  // what a side covers is decided by the runtime of the side that holds the covering grant
  const rb = scope.runtimeBefore ?? scope.runtime ?? 'deno';
  const ra = scope.runtimeAfter ?? scope.runtime ?? 'deno';
  const sideB = (v: string[]) => v.map((t) => scopeOf(t, scope, scope.baseBefore, rb));
  const sideA = (v: string[]) => v.map((t) => scopeOf(t, scope, scope.baseAfter, ra));
  const sb = sideB(asList(before));
  const sa = sideA(asList(after));
  const allBefore = before === 'all' || coversEverything(sb);
  const allAfter = after === 'all' || coversEverything(sa);
  let gained: 'all' | string[] = [];
  let lost: 'all' | string[] = [];
  if (allAfter && !allBefore) gained = after === 'all' ? 'all' : uncovered(sa, sb, rb);
  else if (allBefore && !allAfter) lost = before === 'all' ? 'all' : uncovered(sb, sa, ra);
  else if (!allBefore && !allAfter) {
    gained = uncovered(sa, sb, rb);
    lost = uncovered(sb, sa, ra);
  }
  // denies only matter while something is granted
  let liftedDenies: string[] = [];
  let newDenies: string[] = [];
  if (before !== 'none' && after !== 'none') {
    const db = sideB(deniedBefore === 'all' ? [] : (deniedBefore ?? []));
    const da = sideA(deniedAfter === 'all' ? [] : (deniedAfter ?? []));
    liftedDenies = uncovered(db, da, ra);
    newDenies = uncovered(da, db, rb);
  }
  const some = (x: 'all' | string[]) => x === 'all' || x.length > 0;
  const change = (): KindChange => {
    const c: KindChange = { ...base };
    if (some(gained)) c.gained = gained;
    if (some(lost)) c.lost = lost;
    if (liftedDenies.length) c.deniesLifted = liftedDenies;
    if (newDenies.length) c.deniesAdded = newDenies;
    return c;
  };
  const out: { widened?: KindChange; narrowed?: KindChange } = {};
  if (some(gained) || liftedDenies.length) out.widened = change();
  if (some(lost) || newDenies.length) out.narrowed = change();
  return out;
}

export function diffInventories(refName: string, before: AuditEntry[], after: AuditEntry[], renames: Map<string, string>): DiffResult {
  const fileOf = (f: string) => renames.get(f) ?? f;
  const pairs = matchEntries(before, after, fileOf);
  const result: DiffResult = { version: 1, ref: refName, widened: [], narrowed: [], added: [], removed: [], moved: [] };
  const matchedB = new Set(pairs.map((p) => p[0]));
  const matchedA = new Set(pairs.map((p) => p[1]));
  for (const [b, a] of pairs) {
    if (b.file !== a.file) result.moved.push({ id: a.id, from: { file: b.file, line: b.line }, to: { file: a.file, line: a.line } });
    const widened: ChangedEntry['kinds'] = {};
    const narrowed: ChangedEntry['kinds'] = {};
    // an entry whose runtime changed (node → deno): each side is read by its own runtime, and only
    // the kinds both runtimes gate are compared (Deno has no worker, wasi or inspector permission)
    const both = new Set(kindsFor(b.runtime).filter((k) => kindsFor(a.runtime).includes(k)));
    const kinds = new Set(([...Object.keys(b.permissions), ...Object.keys(a.permissions)] as PermKind[]).filter((k) => b.runtime === a.runtime || both.has(k)));
    for (const k of kinds) {
      const c = compareKind(b.permissions[k] ?? 'none', a.permissions[k] ?? 'none', b.denied?.[k], a.denied?.[k], { kind: k, runtimeBefore: b.runtime, runtimeAfter: a.runtime, baseBefore: b.base, baseAfter: a.base });
      if (c.widened) widened[k] = c.widened;
      if (c.narrowed) narrowed[k] = c.narrowed;
    }
    // what runs it changed: a follow target moved into (or out of) a deployment or CI context
    const rankB = RANK[b.context.kind];
    const rankA = RANK[a.context.kind];
    const contextChange = { before: b.context.kind, after: a.context.kind, ...(a.context.calledBy?.length ? { calledBy: a.context.calledBy.map((c) => ({ file: c.file, line: c.line })) } : {}) };
    const entry = (ks: ChangedEntry['kinds'], withContext: boolean): ChangedEntry => {
      const e: ChangedEntry = { ...ref(a), before: { file: b.file, line: b.line }, kinds: ks };
      if (b.implicit) e.implicitBefore = b.implicit;
      if (a.implicit) e.implicitAfter = a.implicit;
      if (withContext) e.context = contextChange;
      return e;
    };
    const stronger = rankA > rankB && grantsAnything(a);
    const weaker = rankA < rankB && grantsAnything(b);
    if (Object.keys(widened).length || stronger) result.widened.push(entry(widened, stronger));
    if (Object.keys(narrowed).length || weaker) result.narrowed.push(entry(narrowed, weaker));
  }
  result.added = after.filter((a) => !matchedA.has(a)).map(full);
  result.removed = before.filter((b) => !matchedB.has(b)).map((b) => ({ ...full(b), widens: false }));
  return result;
}

/** Exit code of `permlint diff`: 1 when anything widened (or an added entry grants something), else 0. */
export function diffExitCode(d: DiffResult): number {
  return d.widened.length > 0 || d.added.some((a) => a.widens) ? 1 : 0;
}

/**
 * Renames git cannot see (the new file is not tracked yet): a file that no longer exists
 * (`gone`, text at the ref in `refFiles`) paired with a file that did not exist at the ref
 * (`fresh`, text in `workFiles`), same kind, when at least half their lines are the same
 * (git's default similarity threshold). Files already paired in `known` take no part.
 */
export function contentRenames(
  refFiles: Map<string, string>,
  workFiles: Map<string, string>,
  gone: string[],
  fresh: string[],
  kindOf: (path: string) => string,
  known: Map<string, string>,
): Map<string, string> {
  const knownTargets = new Set(known.values());
  const from = gone.filter((p) => refFiles.has(p) && !known.has(p));
  const to = fresh.filter((p) => workFiles.has(p) && !knownTargets.has(p));
  const scored: { from: string; to: string; score: number }[] = [];
  for (const f of from) {
    for (const t of to) {
      if (kindOf(f) !== kindOf(t)) continue;
      const score = similarity(refFiles.get(f)!, workFiles.get(t)!);
      if (score >= 0.5) scored.push({ from: f, to: t, score });
    }
  }
  scored.sort((x, y) => y.score - x.score || (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : 1));
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const s of scored) {
    if (out.has(s.from) || used.has(s.to)) continue;
    out.set(s.from, s.to);
    used.add(s.to);
  }
  return out;
}

/** Dice coefficient over the multisets of trimmed, non-empty lines. */
export function similarity(a: string, b: string): number {
  const lines = (t: string) => t.split(/\r?\n|\r/).map((l) => l.trim()).filter(Boolean);
  const la = lines(a);
  const lb = lines(b);
  if (la.length + lb.length === 0) return 1;
  const count = new Map<string, number>();
  for (const l of la) count.set(l, (count.get(l) ?? 0) + 1);
  let common = 0;
  for (const l of lb) {
    const n = count.get(l) ?? 0;
    if (n > 0) {
      common++;
      count.set(l, n - 1);
    }
  }
  return (2 * common) / (la.length + lb.length);
}
