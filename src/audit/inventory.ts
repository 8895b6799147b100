/**
 * The permission inventory: one entry per invocation and per declaration of the model, with
 * what it may touch after flags, permission sets, denies and implicit grants were applied
 * (the grammars already computed that as `effective`; this module only reshapes it).
 *
 * Per kind the inventory says `"all"`, `"none"` or the list of scopes the runtime allows.
 * Denies are subtracted where they name exactly an allowed scope; a deny of everything makes
 * the kind `"none"`; any other deny (a path under an allowed folder, a host under `"all"`) is
 * kept in `denied[kind]`, because it restricts the grant without being expressible as a
 * shorter list.
 */
import type { CodeRole, ContextKind, Declaration, EffectivePermissions, GrammarDiagnostic, Invocation, KindState, Model, PermKind, Runtime, SourceKind, Span, Token } from '../model.js';
import { ALL_KINDS, DENO_KINDS } from '../model.js';
import { DEFAULT_IMPORT_HOSTS } from '../grammar/permissions.js';
import { diagnosticHolds } from '../rule-util.js';
import { isDeno1 } from '../grammar/deno.js';
import { pinnedVersion } from '../link/versions.js';
import { rootCause } from '../semantics/container.js';
import { dynamicParts, dynamicText } from '../messages/dynamic.js';
import { grammarMessage, implicitAllReason } from '../messages/grammar.js';

/** The audit JSON version (docs/audit.md). 2 added grants, base, unresolved, implicitGrants and startup. */
export const AUDIT_VERSION = 2;

export type PermValue = 'all' | 'none' | string[];

export interface AuditContext {
  kind: ContextKind;
  /** Working directory (repo-relative, '' = root) when known. */
  cwd?: string;
  /** The container user, when a deployment file sets one. */
  containerUser?: string;
  /** Why the container runs as root, when it does. */
  runsAsRoot?: string;
  /** Deployment or CI files that run this invocation. */
  calledBy?: { file: string; line: number; name?: string }[];
  /** The code role of the file it is written in, when not production (test, fixture, example, generated, vendored, development). */
  role?: CodeRole;
}

export interface AuditEntry {
  /** The model id (file + task/script name or an ordinal; never a line). */
  id: string;
  /** The id without its file part: what identifies the entry inside its file (`task:start`, `sh#2`). */
  key: string;
  type: 'invocation' | 'declaration';
  file: string;
  line: number;
  column: number;
  source: SourceKind;
  /** Task, script, service or set name, when the source has one. */
  name: string | null;
  runtime: Runtime;
  /** Deno subcommand (`run`, `serve`, `task`, `eval`, …); null for Node and for declarations. */
  command: string | null;
  /** The runtime word as written (`deno`, `/usr/bin/node`); null for declarations. */
  program: string | null;
  /** For declarations: what they declare (`permission-set`, `test-permissions`, `netscript-task`, …). */
  declaration?: string;
  entrypoint: string | null;
  context: AuditContext;
  /** Per kind: `"all"`, `"none"` or the allowed scopes. Deno entries list Deno's 8 kinds; Node entries add worker, wasi, inspector. */
  permissions: Partial<Record<PermKind, PermValue>>;
  /** Denies that narrow a kind without removing a listed scope exactly (`--deny-read=/etc` under `--allow-read`). */
  denied?: Partial<Record<PermKind, 'all' | string[]>>;
  /** Why the runtime grants everything whatever the flags say (`deno eval`, Node without `--permission`). */
  implicit?: string;
  /** v2: per kind, the runtime's own three lists: `allow`, `deny` and `ignore` (`"all"` or the scopes), implicit grants included, unresolved values left out. */
  grants?: Partial<Record<PermKind, { allow: 'all' | string[]; deny: 'all' | string[]; ignore: 'all' | string[] }>>;
  /** v2: the folder relative values resolve against (repo-relative, `''` = root; a permission set's deno.json folder); null when not known. */
  base?: string | null;
  /** v2: the container's working folder, when a deployment file sets one (relative values resolve there at run time). */
  containerWorkdir?: string;
  /** v2: values that are not known statically (`--allow-read=$DATA`): never shown as literal scopes. */
  unresolved?: { kind?: PermKind; text: string; why: string; line: number; column: number; value?: string }[];
  /** v2: what the runtime grants without a flag saying so (entry module, `deno serve`'s listen address, default import hosts). */
  implicitGrants?: { kind: PermKind; values: string[]; why: string }[];
  /** v2: whether the runtime starts at all; when it refuses, every reason (a grammar diagnostic with its code). */
  startup?: { starts: boolean; refusals?: { code: string; message: string; line: number; column: number }[] };
}

/** The kinds an entry of this runtime has. */
export function kindsFor(runtime: Runtime): readonly PermKind[] {
  return runtime === 'node' ? ALL_KINDS : DENO_KINDS;
}

/** One kind's effective state as the inventory shows it. */
export function viewKind(eff: EffectivePermissions, kind: PermKind): { value: PermValue; denied?: 'all' | string[] } {
  const st = eff[kind];
  if (!st) return { value: 'none' };
  const { allow, deny } = st;
  if (deny === 'all') return { value: 'none' };
  if (allow === 'all') return deny.length ? { value: 'all', denied: [...deny] } : { value: 'all' };
  const denied = new Set(deny);
  const left = allow.filter((s) => !denied.has(s));
  const rest = deny.filter((d) => !allow.includes(d));
  if (left.length === 0) return { value: 'none' };
  return rest.length ? { value: left, denied: rest } : { value: left };
}

function local(id: string, file: string): string {
  return id.startsWith(`${file}#`) ? id.slice(file.length + 1) : id;
}

function contextOf(c: Invocation['context']): AuditContext {
  const out: AuditContext = { kind: c.kind };
  if (c.cwd !== undefined) out.cwd = c.cwd;
  if (c.container?.user) out.containerUser = c.container.user.value;
  const root = c.container ? rootCause(c.container) : undefined;
  if (root) out.runsAsRoot = root.cause === 'root-user' ? `\`${root.user.text}\`` : root.cause === 'image-default' ? `no \`USER\` in the final stage of ${root.file}` : `\`${root.setting.text}\` and no user`;
  if (c.role) out.role = c.role;
  if (c.calledBy?.length) out.calledBy = c.calledBy.map((o) => (o.name ? { file: o.file, line: o.span.line, name: o.name } : { file: o.file, line: o.span.line }));
  return out;
}

function permissionsOf(eff: EffectivePermissions, runtime: Runtime): Pick<AuditEntry, 'permissions' | 'denied'> {
  const permissions: AuditEntry['permissions'] = {};
  const denied: NonNullable<AuditEntry['denied']> = {};
  for (const k of kindsFor(runtime)) {
    const v = viewKind(eff, k);
    permissions[k] = v.value;
    if (v.denied) denied[k] = v.denied;
  }
  return Object.keys(denied).length ? { permissions, denied } : { permissions };
}

/** Diagnostics that mean the runtime stops at start-up (for the pinned version, or any when none is pinned and the code says so). */
const START_REFUSALS = new Set<GrammarDiagnostic['code']>([
  'empty-value', 'invalid-host', 'invalid-sys', 'invalid-env', 'allow-all-conflict', 'unknown-permission-set', 'permissions-not-accepted', 'unknown-flag',
  'unknown-permission-flag', 'refused-at-start', 'lock-swallows-script', 'flag-not-in-version',
]);

function inside(a: Span, b: Span): boolean {
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  return a.file === b.file && before(b.line, b.column, a.line, a.column) && before(a.endLine, a.endColumn, b.endLine, b.endColumn);
}

/** The v2 fields: raw allow/deny/ignore, base folder, unresolved values, implicit grants, start-up. */
function v2(s: Invocation | Declaration, model: Model | undefined): Pick<AuditEntry, 'grants' | 'base' | 'containerWorkdir' | 'unresolved' | 'implicitGrants' | 'startup'> {
  const dynamic: Token[] = s.type === 'invocation' ? s.unresolved : [];
  const unresolvedValues = new Map<string, { kind: PermKind; text: string }>();
  const unresolved: NonNullable<AuditEntry['unresolved']> = [];
  for (const t of dynamic) {
    const g = s.permissions.find((p) => inside(t.span, p.span) || inside(p.span, t.span));
    const entry: NonNullable<AuditEntry['unresolved']>[number] = { text: t.value, why: t.dynamic ? dynamicText(t.dynamic) : 'not known statically', line: t.span.line, column: t.span.column };
    if (g) entry.kind = g.kind;
    unresolved.push(entry);
    if (g && g.scope !== 'all') {
      // the unknown parts as the word writes them (`$DATA`, `${{ inputs.x }}`)
      const unknown = dynamicParts(t.dynamic ?? []);
      for (const v of g.scope) {
        if (!inside(v.span, t.span) && !inside(t.span, v.span)) continue;
        if (unknown.length && !unknown.some((u) => v.value.includes(u))) continue;
        unresolvedValues.set(`${g.kind}\0${v.value}`, { kind: g.kind, text: v.value });
        entry.value = v.value;
      }
    }
  }
  const known = (kind: PermKind, list: 'all' | readonly string[]) => (list === 'all' ? list : list.filter((v) => !unresolvedValues.has(`${kind}\0${v}`)));
  const grants: AuditEntry['grants'] = {};
  for (const k of kindsFor(s.runtime)) {
    const st: KindState | undefined = s.effective[k];
    if (!st) continue;
    grants[k] = { allow: known(k, st.allow), deny: known(k, st.deny), ignore: known(k, st.ignore) };
  }
  // what the runtime adds on its own: values of the effective allow list that no grant wrote
  const written = new Set(s.permissions.flatMap((g) => (g.scope === 'all' ? [] : g.scope.map((v) => `${g.kind}\0${v.value}`))));
  const implicitGrants: NonNullable<AuditEntry['implicitGrants']> = [];
  const added = (k: PermKind) => {
    const allow = s.effective[k]?.allow;
    return Array.isArray(allow) ? allow.filter((v) => !written.has(`${k}\0${v}`)) : [];
  };
  if (s.type === 'invocation' && !s.implicitAll) {
    if (s.runtime === 'deno' && s.takesPermissions) {
      if (model && isDeno1(pinnedVersion(model, s))) {
        // checked with Deno 1.46.3: a remote module from any host loads with no flag (even with --deny-net)
        implicitGrants.push({ kind: 'import', values: ['*'], why: 'Deno 1.x does not gate imports: a module from any host loads without a flag (`--allow-import` is Deno 2)' });
      } else {
        const imports = added('import');
        const defaults = imports.filter((h) => DEFAULT_IMPORT_HOSTS.includes(h));
        if (defaults.length) implicitGrants.push({ kind: 'import', values: defaults, why: "Deno's default import hosts (no --allow-import list replaces them)" });
        const remote = imports.filter((h) => !DEFAULT_IMPORT_HOSTS.includes(h));
        if (remote.length) implicitGrants.push({ kind: 'import', values: remote, why: 'the host of the remote entry module' });
      }
      if (s.subcommand === 'serve') {
        const listen = added('net');
        if (listen.length) implicitGrants.push({ kind: 'net', values: listen, why: '`deno serve` listens on its own address' });
      }
      if (s.entrypoint && !/^(https?|jsr|npm):/.test(s.entrypoint.value)) implicitGrants.push({ kind: 'read', values: [s.entrypoint.value], why: 'Deno loads the entry module (and what it imports) without a read grant' });
    } else if (s.runtime === 'node' && s.node?.enabled && s.entrypoint) {
      implicitGrants.push({ kind: 'read', values: [s.entrypoint.value], why: 'Node 22.17+ and 24.2+ read the entry file without a grant (Node 20 refuses to start without one)' });
    }
  }
  const refusals = s.diagnostics
    .filter((d) => START_REFUSALS.has(d.code) && (model ? diagnosticHolds(model, s, d) : !d.versions || d.versions.ifUnknown))
    .map((d) => ({ code: d.code, message: grammarMessage(d), line: d.span.line, column: d.span.column }));
  const out: ReturnType<typeof v2> = { grants, base: s.context.cwd ?? null, startup: refusals.length ? { starts: false, refusals } : { starts: true } };
  if (s.context.container?.workdir) out.containerWorkdir = s.context.container.workdir;
  if (unresolved.length) out.unresolved = unresolved;
  if (implicitGrants.length) out.implicitGrants = implicitGrants;
  return out;
}

export function invocationEntry(inv: Invocation, model?: Model): AuditEntry {
  const e: AuditEntry = {
    id: inv.id,
    key: local(inv.id, inv.origin.file),
    type: 'invocation',
    file: inv.origin.file,
    line: inv.command.span.line,
    column: inv.command.span.column,
    source: inv.origin.source,
    name: inv.origin.name ?? null,
    runtime: inv.runtime,
    command: inv.runtime === 'deno' ? (inv.subcommand ?? null) : null,
    program: inv.command.value,
    entrypoint: inv.entrypoint?.value ?? null,
    context: contextOf(inv.context),
    ...permissionsOf(inv.effective, inv.runtime),
    ...v2(inv, model),
  };
  if (inv.implicitAll) e.implicit = implicitAllReason(inv.implicitAll);
  dropUnresolved(e);
  return e;
}

/** Unresolved values are not scopes: take them out of the `permissions` view too. */
function dropUnresolved(e: AuditEntry): void {
  for (const u of e.unresolved ?? []) {
    if (!u.kind || u.value === undefined) continue;
    const v = e.permissions[u.kind];
    if (!Array.isArray(v)) continue;
    const left = v.filter((x) => x !== u.value);
    e.permissions[u.kind] = left.length ? left : 'none';
  }
}

export function declarationEntry(d: Declaration, model?: Model): AuditEntry {
  const e: AuditEntry = {
    id: d.id,
    key: local(d.id, d.origin.file),
    type: 'declaration',
    file: d.origin.file,
    line: d.span.line,
    column: d.span.column,
    source: d.origin.source,
    name: d.name,
    runtime: d.runtime,
    command: null,
    program: null,
    declaration: d.declaration,
    entrypoint: null,
    context: contextOf(d.context),
    ...permissionsOf(d.effective, d.runtime),
    ...v2(d, model),
  };
  if (d.allowAll) e.implicit = `\`${d.allowAll.text}\` grants every kind it does not list`;
  return e;
}

/** Every invocation and declaration of the model, in file and position order. */
export function buildInventory(model: Model): AuditEntry[] {
  const out = [...model.invocations.map((i) => invocationEntry(i, model)), ...model.declarations.map((d) => declarationEntry(d, model))];
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
}

/**
 * Whether an entry grants anything beyond what the runtime gives every program (Deno's default
 * import hosts). Named permission sets and test/bench/compile permissions grant nothing by
 * themselves (Deno applies them only under `-P`; the invocations that use them show it).
 */
export function grantsAnything(e: AuditEntry): boolean {
  if (e.type === 'declaration' && ['permission-set', 'test-permissions', 'bench-permissions', 'compile-permissions'].includes(e.declaration ?? '')) return false;
  for (const [kind, v] of Object.entries(e.permissions) as [PermKind, PermValue][]) {
    if (v === 'none') continue;
    if (kind === 'import' && e.runtime === 'deno' && Array.isArray(v) && v.every((h) => DEFAULT_IMPORT_HOSTS.includes(h))) continue;
    return true;
  }
  return false;
}

/** `deno.json:3 task:start` style label for people. */
export function label(e: Pick<AuditEntry, 'file' | 'line' | 'key'>): string {
  return `${e.file}:${e.line} ${e.key}`;
}
