import * as semver from './semver.js';
/** Helpers shared by rules: walking grants of invocations and declarations, messages. */
import { posix } from 'node:path';
import type { Declaration, GrammarDiagnostic, Invocation, Model, PermKind, PermissionGrant } from './model.js';
import { DENO_KINDS } from './model.js';

export type Subject = Invocation | Declaration;

/** Grants a subject writes itself (an invocation's own flags; a declaration's keys). Grants loaded with -P belong to the set. */
export function ownGrants(s: Subject): PermissionGrant[] {
  if (s.type === 'invocation') {
    if (s.implicitAll || !s.takesPermissions) return [];
    return s.permissions.filter((g) => !g.set);
  }
  return s.permissions;
}

export function subjects(model: Model): Subject[] {
  return [...model.invocations, ...model.declarations];
}

/** What the subject is, for messages: `deno run main.ts` (task `start`), permission set `ci`, … */
export function describe(s: Subject): string {
  if (s.type === 'declaration') {
    if (s.declaration === 'permission-set') return `permission set \`${s.name}\``;
    if (s.declaration.endsWith('-permissions')) return `\`${s.name}.permissions\``;
    const label: Partial<Record<Declaration['declaration'], string>> = { 'netscript-task': 'NetScript task', worker: 'Worker' };
    return `${label[s.declaration] ?? s.declaration} \`${s.name}\``;
  }
  const words = [s.command.value.replace(/^.*\//, ''), ...(s.subcommand && s.runtime === 'deno' ? [s.subcommand] : []), ...(s.entrypoint ? [s.entrypoint.value] : [])];
  const where = s.origin.name ? ` (${s.origin.source === 'deno.json' ? 'task' : s.origin.source === 'package.json' ? 'script' : s.origin.source} \`${s.origin.name}\`)` : '';
  return `\`${words.join(' ')}\`${where}${calledByText(s)}`;
}

/** `, run by Dockerfile:12 and k8s/app.yaml:30` when deployment or CI files run the subject (a followed task or script). */
export function calledByText(s: Subject): string {
  const by = s.context.calledBy ?? [];
  if (!by.length) return '';
  const names = [...new Set(by.map((o) => `${o.file}:${o.span.line}`))];
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
  return `, run by ${list}`;
}

/**
 * True when a bare deny of the same kind cancels every grant of it (`--allow-read --deny-read`).
 * A scoped allow is more specific than a bare deny and wins over it in Deno 2.6+
 * (`--deny-read --allow-read=/etc/hosts` grants `/etc/hosts`), so it is not cancelled.
 */
export function fullyDenied(s: Subject, kind: PermKind): boolean {
  const st = s.effective[kind];
  return st.deny === 'all' && !(Array.isArray(st.allow) && st.allow.length > 0);
}

export const KIND_NOUN: Record<PermKind, string> = {
  read: 'file-system read access',
  write: 'file-system write access',
  net: 'network access',
  env: 'environment access',
  sys: 'system-information access',
  run: 'subprocess access',
  ffi: 'native-library (FFI) access',
  import: 'remote-import access',
  worker: 'worker threads',
  wasi: 'WASI',
  inspector: 'the inspector',
};

export const SCOPED_EXAMPLE: Partial<Record<PermKind, string>> = {
  read: '--allow-read=./data',
  write: '--allow-write=./out',
  net: '--allow-net=api.example.com:443',
  env: '--allow-env=PORT,LOG_LEVEL',
  sys: '--allow-sys=hostname',
  run: '--allow-run=git',
  ffi: '--allow-ffi=./lib/libfoo.so',
  import: '--allow-import=jsr.io:443',
};

/**
 * The Node versions an invocation may run on, as node-semver ranges: the pin of its image or
 * setup step, else the nearest pin file up from its folder (applied by the follow pass).
 * Empty when nothing is pinned.
 */
export function nodeVersionsFor(model: Model, inv: Invocation): string[] {
  return runtimeVersionsFor(model, inv);
}

/** The versions of its own runtime (Deno or Node) a subject may run on, as node-semver ranges; empty when nothing is pinned. */
export function runtimeVersionsFor(model: Model, s: Subject): string[] {
  const own = s.context.runtimeVersion;
  if (!own) return [];
  const pin = (model.pins ?? []).find(
    (p) => p.runtime === s.runtime && p.span.file === own.span.file && p.span.line === own.span.line && p.span.column === own.span.column,
  );
  return pin ? [pin.version] : [];
}

/**
 * Whether a grammar diagnostic holds for the runtime versions this subject may run on: always for a
 * diagnostic that does not depend on the version; otherwise when every pinned version lies in its
 * range, or, with no pin, when the grammar says it holds then too.
 */
export function diagnosticHolds(model: Model, s: Subject, d: GrammarDiagnostic): boolean {
  if (!d.versions) return true;
  const versions = runtimeVersionsFor(model, s);
  return versions.length === 0 ? d.versions.ifUnknown : allVersionsIn(versions, d.versions.range);
}

/** `, and this repository pins 24.1.0` when the subject's runtime version is pinned. */
export function pinnedText(model: Model, s: Subject): string {
  const v = runtimeVersionsFor(model, s);
  return v.length ? `, and this repository pins ${v.join(', ')}` : '';
}

/** True when versions are known and every release they can resolve to is inside `range`. */
export function allVersionsIn(versions: string[], range: string): boolean {
  return versions.length > 0 && versions.every((v) => semver.validRange(v) !== null && semver.subset(v, range, { includePrerelease: false }));
}

/** The Deno invocations whose entrypoint is the file that creates the Worker (its parent threads). */
export function workerParents(model: Model, d: Declaration): Invocation[] {
  return entrypointIndex(model.invocations).get(d.origin.file)?.slice() ?? [];
}

/**
 * The Deno invocations that take permissions, by the repo-relative path of their local
 * entrypoint, in model order: workerParents asked every invocation for every declaration (two
 * rules, each declaration of a scan). Made again when the list has grown.
 */
const entrypoints = new WeakMap<readonly Invocation[], { length: number; byPath: Map<string, Invocation[]> }>();
function entrypointIndex(invocations: readonly Invocation[]): Map<string, Invocation[]> {
  const have = entrypoints.get(invocations);
  if (have && have.length === invocations.length) return have.byPath;
  const byPath = new Map<string, Invocation[]>();
  for (const inv of invocations) {
    if (inv.runtime !== 'deno' || !inv.entrypoint || inv.entrypoint.dynamic || !inv.takesPermissions) continue;
    const v = inv.entrypoint.value.replace(/^file:\/\//, '');
    if (/^[a-z][a-z0-9+.-]*:/i.test(v)) continue;
    const path = posix.normalize(v.startsWith('/') ? v.slice(1) : posix.join(inv.context.cwd ?? '', v));
    const list = byPath.get(path);
    if (list) list.push(inv);
    else byPath.set(path, [inv]);
  }
  entrypoints.set(invocations, { length: invocations.length, byPath });
  return byPath;
}

/** Every permission granted with no scope (`-A`, `"all": true`, or each kind unscoped). */
export function grantsAll(inv: Invocation): boolean {
  return !!inv.implicitAll || DENO_KINDS.every((k) => inv.effective[k].allow === 'all');
}
