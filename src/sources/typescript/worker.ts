/**
 * Deno Workers: `new Worker(specifier, { deno: { permissions } })` with `"inherit"`, `"none"` or a
 * `Deno.PermissionOptionsObject` (per kind `"inherit"`, `true`, `false` or a list; an unlisted
 * kind is `false`). A worker can never get more than its parent has.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { Declaration, Model, PermKind, PermissionGrant, Span, UnresolvedFacts, WorkerFacts } from '../../model.js';
import { DENO_KINDS, noPermissions } from '../../model.js';
import { combineDeno } from '../../grammar/permissions.js';
import { memberName, unwrapTs } from './resolve.js';
import { evalValue, spanOf, type Ctx } from './values.js';

const KINDS = new Set<string>(DENO_KINDS);

/** The module a Worker runs: `"./w.ts"`, `new URL("./w.ts", import.meta.url)`, `import.meta.resolve("./w.ts")`. */
function specifierOf(c: Ctx, e: TSESTree.Node | undefined): string | undefined {
  if (!e) return undefined;
  const n = unwrapTs(e);
  if (n.type === 'MemberExpression' && memberName(n) === 'href') return specifierOf(c, n.object);
  if ((n.type === 'NewExpression' || n.type === 'CallExpression') && n.arguments[0] && n.arguments[0].type !== 'SpreadElement') {
    const isUrl = n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'URL';
    const isResolve = n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && memberName(n.callee) === 'resolve' && n.callee.object.type === 'MetaProperty';
    if (isUrl || isResolve) return specifierOf(c, n.arguments[0]);
  }
  const v = evalValue(c, n);
  return v.t === 'str' ? v.value : undefined;
}

export function denoWorker(c: Ctx, node: TSESTree.NewExpression, out: Model, id: string, context: Declaration['context']): void {
  const opts = node.arguments[1];
  if (!opts || opts.type === 'SpreadElement') return;
  const o = evalValue(c, opts);
  if (o.t !== 'obj') return;
  const deno = o.props.get('deno');
  if (!deno || deno.value.t !== 'obj') return;
  const perm = deno.value.props.get('permissions');
  if (!perm) return;
  const file = c.file.path;
  const spec = node.arguments[0] && node.arguments[0].type !== 'SpreadElement' ? specifierOf(c, node.arguments[0]) : undefined;
  const name = spec ?? 'Worker';
  const origin = { file, span: spanOf(c, node), source: 'typescript' as const, name };
  const note = (s: Span, facts: UnresolvedFacts) => out.unresolved.push({ span: s, ...facts, origin });
  const v = perm.value;
  const grants: PermissionGrant[] = [];
  let facts: WorkerFacts;
  if (v.t === 'str' && (v.value === 'inherit' || v.value === 'none')) {
    facts = { mode: v.value, inheritKinds: [], span: perm.span };
  } else if (v.t === 'obj') {
    facts = { mode: 'object', inheritKinds: [], span: perm.span };
    for (const [k, p] of v.props) {
      if (!KINDS.has(k)) continue;
      const kind = k as PermKind;
      const pv = p.value;
      if (pv.t === 'str' && pv.value === 'inherit') facts.inheritKinds.push(kind);
      else if (pv.t === 'bool') grants.push({ kind, mode: 'allow', scope: pv.value ? 'all' : [], span: p.span, text: p.text, via: 'config' });
      else if (pv.t === 'arr' && pv.items.every((i) => i.t === 'str')) {
        grants.push({ kind, mode: 'allow', scope: pv.items.map((i) => ({ value: (i as { value: string }).value, span: i.span })), span: p.span, text: p.text, via: 'config' });
      } else note(pv.span, { code: 'worker-permission-dynamic', worker: name, text: p.text });
    }
    if (v.partial) note(v.partial.span, { code: 'worker-permissions-partial', worker: name, text: v.partial.text, why: v.partial.why });
  } else {
    note(v.span, { code: 'worker-permissions-dynamic', worker: name, ...(v.t === 'unknown' ? { why: v.why } : {}) });
    return;
  }
  const effective = facts.mode === 'object' ? combineDeno(grants, false) : noPermissions();
  out.declarations.push({
    type: 'declaration',
    id,
    declaration: 'worker',
    name,
    runtime: 'deno',
    span: perm.span,
    permissions: grants,
    effective,
    diagnostics: [],
    origin,
    context,
    worker: facts,
  });
}
