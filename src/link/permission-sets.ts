/**
 * Link pass: a deno.json permission set takes the strongest context of the invocations that
 * load it with `-P` (rules.md "Permission sets"): a set that a Dockerfile's `deno task start`
 * loads is judged as deployment, with the Dockerfile as its caller. A set nothing loads keeps
 * its own context (development).
 */
import type { Declaration, InvocationContext, Model, Origin } from '../model.js';
import { RANK } from './context.js';

export function linkPermissionSets(model: Model): void {
  const loaders = new Map<string, InvocationContext[]>();
  for (const inv of model.invocations) {
    const id = inv.permissionSet?.declarationId;
    if (!id) continue;
    const list = loaders.get(id);
    if (list) list.push(inv.context);
    else loaders.set(id, [inv.context]);
  }
  if (!loaders.size) return;
  for (const d of model.declarations) {
    if (d.declaration !== 'permission-set') continue;
    const ctxs = loaders.get(d.id);
    if (ctxs) d.context = strongest(d, ctxs);
  }
}

function strongest(d: Declaration, ctxs: InvocationContext[]): InvocationContext {
  const best = ctxs.reduce((a, b) => (RANK[b.kind] > RANK[a.kind] ? b : a));
  const calledBy: Origin[] = [];
  for (const c of ctxs) {
    if (c.kind !== best.kind) continue;
    for (const o of c.calledBy ?? []) if (!calledBy.some((x) => x.file === o.file && x.span.line === o.span.line && x.span.column === o.span.column)) calledBy.push(o);
  }
  // the set's own folder stays its working folder (relative values resolve against it)
  const next: InvocationContext = { ...d.context, kind: best.kind };
  if (calledBy.length) next.calledBy = calledBy;
  else delete next.calledBy;
  if (best.container) next.container = best.container;
  if (best.runtimeVersion && !next.runtimeVersion) next.runtimeVersion = best.runtimeVersion;
  return next;
}
