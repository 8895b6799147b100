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
import type { CodeRole, ContextKind, Declaration, EffectivePermissions, Invocation, Model, PermKind, Runtime, SourceKind } from '../model.js';
import { ALL_KINDS, DENO_KINDS } from '../model.js';
import { DEFAULT_IMPORT_HOSTS } from '../grammar/permissions.js';

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
  if (c.container?.root) out.runsAsRoot = c.container.root.reason;
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

export function invocationEntry(inv: Invocation): AuditEntry {
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
  };
  if (inv.implicitAll) e.implicit = inv.implicitAll.reason;
  return e;
}

export function declarationEntry(d: Declaration): AuditEntry {
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
  };
  if (d.allowAll) e.implicit = `\`${d.allowAll.text}\` grants every kind it does not list`;
  return e;
}

/** Every invocation and declaration of the model, in file and position order. */
export function buildInventory(model: Model): AuditEntry[] {
  const out = [...model.invocations.map(invocationEntry), ...model.declarations.map(declarationEntry)];
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
