/**
 * Least privilege from inferred needs: per kind, either the exact values the code needs or the
 * whole kind with the reason it cannot be narrowed ("cannot narrow --allow-read:
 * `Deno.readTextFile(p)` at a.ts:12"). Pure: rules, `permlint infer` and `--fix` use it.
 */
import type { Inference, InferredNeed, PermKind, Runtime } from '../model.js';
import { DEFAULT_IMPORT_HOSTS } from '../grammar/permissions.js';

export interface KindGrant {
  kind: PermKind;
  /** 'all' = the unscoped flag. */
  scope: 'all' | string[];
  /** Why the kind cannot be narrowed, when scope is 'all'. */
  why?: string;
  needs: InferredNeed[];
}

export interface LeastPrivilege {
  grants: KindGrant[];
  /** Kinds the answer is unsure about (an opaque dependency, the Deno object escaping), with the reason. */
  unsure: { kinds: PermKind[] | 'all'; reason: string; at: string }[];
}

const ORDER: PermKind[] = ['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import', 'worker', 'wasi', 'inspector'];

export function at(n: { span: { file: string; line: number } }): string {
  return `${n.span.file}:${n.span.line}`;
}

export function flagName(kind: PermKind, runtime: Runtime): string {
  if (runtime === 'node') return { read: '--allow-fs-read', write: '--allow-fs-write', run: '--allow-child-process', worker: '--allow-worker', ffi: '--allow-addons', wasi: '--allow-wasi', inspector: '--allow-inspector' }[kind as string] ?? `--allow-${kind}`;
  return `--allow-${kind}`;
}

/** `cannot narrow --allow-read: \`Deno.readTextFile(p)\` at a.ts:12` */
export function cannotNarrow(n: InferredNeed, runtime: Runtime): string {
  return n.unscoped ? `${flagName(n.kind, runtime)} must be unscoped: ${n.unscoped} (\`${n.text}\` at ${at(n)})` : `cannot narrow ${flagName(n.kind, runtime)}: \`${n.text}\` at ${at(n)}`;
}

export function leastPrivilege(inf: Inference, runtime: Runtime): LeastPrivilege {
  const byKind = new Map<PermKind, InferredNeed[]>();
  for (const n of inf.needs) byKind.set(n.kind, [...(byKind.get(n.kind) ?? []), n]);
  const grants: KindGrant[] = [];
  for (const kind of ORDER) {
    const needs = byKind.get(kind);
    if (!needs) continue;
    const open = needs.find((n) => n.unscoped) ?? needs.find((n) => n.value === undefined);
    // Deno grants the default import hosts with no flag; a list replaces them, so it names them too
    if (kind === 'import' && runtime === 'deno' && !open && needs.every((n) => DEFAULT_IMPORT_HOSTS.includes(n.value!))) continue;
    // Node's child-process, worker, addon and WASI grants take no value
    if (runtime === 'node' && kind !== 'read' && kind !== 'write') grants.push({ kind, scope: 'all', needs });
    else if (open) grants.push({ kind, scope: 'all', why: cannotNarrow(open, runtime), needs });
    else grants.push({ kind, scope: [...new Set(needs.map((n) => n.value!))].sort(), needs });
  }
  return { grants, unsure: inf.limits.map((l) => ({ kinds: l.kinds, reason: l.reason, at: at(l) })) };
}

/** Whether a limit stops claims about a kind. */
export function limited(inf: Inference, kind: PermKind): Inference['limits'][number] | undefined {
  return inf.limits.find((l) => l.kinds === 'all' || l.kinds.includes(kind));
}

/** The command-line flags for a least-privilege answer. */
export function toFlags(lp: LeastPrivilege, runtime: Runtime): string[] {
  const out: string[] = runtime === 'node' ? ['--permission'] : [];
  for (const g of lp.grants) out.push(...grantWords(g, runtime));
  return out;
}

/**
 * The words one grant is written as. Node: file-system grants take one flag per path (22+ reads
 * a comma as part of the path) and `=*` for all (a bare `--allow-fs-read` takes the next word as
 * its value); its other grants are booleans and take no value (`--allow-net=a.com` is all network).
 */
export function grantWords(g: KindGrant, runtime: Runtime): string[] {
  const flag = flagName(g.kind, runtime);
  if (runtime === 'node') {
    if (g.kind !== 'read' && g.kind !== 'write') return [flag];
    return g.scope === 'all' ? [`${flag}=*`] : g.scope.map((v) => `${flag}=${v}`);
  }
  return [g.scope === 'all' ? flag : `${flag}=${g.scope.join(',')}`];
}

/** A deno.json permission set with the same grants. */
export function toPermissionSet(lp: LeastPrivilege): Record<string, true | string[]> {
  const out: Record<string, true | string[]> = {};
  for (const g of lp.grants) out[g.kind] = g.scope === 'all' ? true : g.scope;
  return out;
}
