/**
 * Whether grants satisfy an inferred need, asked of the one query engine (src/grammar/query.ts):
 * Deno's `Deno.permissions.querySync` answer, or Node's `process.permission.has`.
 */
import type { EffectivePermissions, InferredNeed, Invocation, PermKind } from '../model.js';
import { queryDeno, queryNode, type DenoDescriptor, type NodeScope } from '../grammar/query.js';

const NODE_SCOPE: Partial<Record<PermKind, NodeScope>> = { read: 'fs.read', write: 'fs.write', run: 'child', worker: 'worker', ffi: 'addon', wasi: 'wasi' };
export function denoDescriptor(kind: PermKind, value: string | undefined): DenoDescriptor | undefined {
  switch (kind) {
    case 'read':
    case 'write':
    case 'ffi':
      return { name: kind, ...(value === undefined ? {} : { path: value }) };
    case 'net':
    case 'import':
      return { name: kind, ...(value === undefined ? {} : { host: value }) };
    case 'env':
      return { name: 'env', ...(value === undefined ? {} : { variable: value }) };
    case 'sys':
      return { name: 'sys', ...(value === undefined ? {} : { kind: value }) };
    case 'run':
      return { name: 'run', ...(value === undefined ? {} : { command: value }) };
    default:
      return undefined;
  }
}

/** Whether the grants satisfy one need; undefined when that cannot be known (a value that does not fold under a partial grant). */
export function satisfied(inv: Pick<Invocation, 'runtime' | 'context'>, effective: EffectivePermissions, n: InferredNeed, nodeVersion?: string): boolean | undefined {
  const st = effective[n.kind];
  if (n.unscoped) return st.allow === 'all' && (st.deny === 'all' ? false : st.deny.length === 0);
  if (inv.runtime === 'node') {
    const scope = NODE_SCOPE[n.kind];
    if (!scope) return true;
    if (n.value === undefined && (n.kind === 'read' || n.kind === 'write')) return st.allow === 'all' ? true : st.allow.length === 0 ? false : undefined;
    return queryNode(effective, scope, n.value, { cwd: `/${inv.context.cwd ?? ''}`, ...(nodeVersion ? { version: nodeVersion } : {}) });
  }
  const desc = denoDescriptor(n.kind, n.value);
  if (!desc) return true;
  if (n.value === undefined) {
    if (st.allow === 'all') return queryDeno(effective, desc, inv.context.cwd ?? '') === 'granted' ? true : undefined;
    return st.allow.length === 0 ? false : undefined;
  }
  return queryDeno(effective, desc, inv.context.cwd ?? '') === 'granted';
}

