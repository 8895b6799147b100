/**
 * `@deno/sandbox` `Sandbox.create({ … })` (reference/permission-facts.md §3): `allowNet`
 * (omitted ⇒ no network restriction; `[]` ⇒ none), `secrets` (`{ NAME: { hosts, value } }`,
 * substituted only on HTTPS requests to `hosts`), `env` (visible to code in the VM), `volumes`.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { Declaration, DynamicReason, Model, PermissionGrant, SandboxEnvValue, SandboxFacts, ScopedValue, Span, UnresolvedFacts } from '../../model.js';
import { noPermissions } from '../../model.js';
import { evalValue, spanOf, type Ctx, type Val } from './values.js';

function hostsOf(v: Val): { hosts: ScopedValue[]; unknown?: DynamicReason } {
  if (v.t !== 'arr') return { hosts: [], unknown: v.t === 'unknown' ? v.why : { kind: 'ts', what: 'not-host-list' } };
  const hosts: ScopedValue[] = [];
  for (const it of v.items) {
    if (it.t === 'str') hosts.push({ value: it.value, span: it.span });
    else return { hosts, unknown: it.t === 'unknown' ? it.why : { kind: 'ts', what: 'host-not-string' } };
  }
  return { hosts };
}

/** A name for messages: the variable the sandbox is stored in, else `Sandbox.create`. */
function nameOf(c: Ctx, call: TSESTree.Node): string {
  let cur: TSESTree.Node | undefined = c.parentOf(call);
  while (cur && (cur.type === 'AwaitExpression' || cur.type === 'TSAsExpression' || cur.type === 'TSNonNullExpression')) cur = c.parentOf(cur);
  if (cur?.type === 'VariableDeclarator' && cur.id.type === 'Identifier') return cur.id.name;
  if (cur?.type === 'VariableDeclarator' && cur.id.type === 'ObjectPattern') return 'sandbox';
  return 'Sandbox.create';
}

export function sandboxCreate(c: Ctx, call: TSESTree.CallExpression, out: Model, id: string, context: Declaration['context']): void {
  const file = c.file.path;
  const span = spanOf(c, call);
  const name = nameOf(c, call);
  const origin = { file, span, source: 'typescript' as const, name };
  const note = (s: Span, facts: UnresolvedFacts) => out.unresolved.push({ span: s, ...facts, origin });
  const facts: SandboxFacts = { secrets: [], env: [], volumes: [] };
  const grants: PermissionGrant[] = [];
  const effective = noPermissions();

  const arg = call.arguments[0];
  const opts: Val | undefined = !arg ? undefined : arg.type === 'SpreadElement' ? { t: 'unknown', why: { kind: 'ts', what: 'spread-argument' }, span: spanOf(c, arg), text: '' } : evalValue(c, arg);
  if (opts && opts.t !== 'obj' && opts.t !== 'nullish') {
    note(opts.span, { code: 'sandbox-options-dynamic', ...(opts.t === 'unknown' ? { why: opts.why } : {}) });
    facts.allowNet = { span: opts.span, hosts: [], resolved: false };
  } else if (opts?.t === 'obj') {
    const allow = opts.props.get('allowNet');
    if (allow) {
      const h = hostsOf(allow.value);
      facts.allowNet = { span: allow.span, hosts: h.hosts, resolved: !h.unknown };
      if (h.unknown) note(allow.value.span, { code: 'sandbox-allownet-dynamic', sandbox: name, why: h.unknown });
      else grants.push({ kind: 'net', mode: 'allow', scope: h.hosts, span: allow.span, text: allow.text, via: 'config' });
    } else if (opts.partial) {
      facts.allowNet = { span: opts.partial.span, hosts: [], resolved: false };
      note(opts.partial.span, { code: 'sandbox-options-partial', sandbox: name, text: opts.partial.text, why: opts.partial.why });
    }
    const secrets = opts.props.get('secrets');
    if (secrets) {
      if (secrets.value.t === 'obj') {
        for (const [k, p] of secrets.value.props) {
          const hostsProp = p.value.t === 'obj' ? p.value.props.get('hosts') : undefined;
          if (!hostsProp) {
            if (p.value.t !== 'obj') note(p.value.span, { code: 'sandbox-secret-dynamic', sandbox: name, secret: k });
            facts.secrets.push({ name: k, span: p.keySpan, hosts: [] });
            continue;
          }
          const h = hostsOf(hostsProp.value);
          if (h.unknown) note(hostsProp.value.span, { code: 'sandbox-secret-hosts-dynamic', sandbox: name, secret: k, why: h.unknown });
          facts.secrets.push({ name: k, span: p.keySpan, hosts: h.hosts });
        }
      } else note(secrets.value.span, { code: 'sandbox-secrets-dynamic', sandbox: name });
    }
    const env = opts.props.get('env');
    if (env) {
      if (env.value.t === 'obj') {
        for (const [k, p] of env.value.props) facts.env.push({ name: k, span: p.keySpan, value: envValue(p.value) });
      } else if (env.value.t !== 'nullish') {
        const v = env.value;
        facts.env.push({ name: '*', span: env.keySpan, value: v.t === 'env' ? { kind: 'env-read', span: v.span, text: v.text } : { kind: 'other', span: v.span, text: v.text } });
      }
    }
    const volumes = opts.props.get('volumes');
    if (volumes?.value.t === 'obj') for (const [k, p] of volumes.value.props) facts.volumes.push({ mount: k, span: p.keySpan });
  }
  if (!facts.allowNet) effective.net.allow = 'all';
  else if (facts.allowNet.resolved) effective.net.allow = facts.allowNet.hosts.map((h) => h.value);

  out.declarations.push({
    type: 'declaration',
    id,
    declaration: 'sandbox',
    name,
    runtime: 'deno',
    span: call.callee.type === 'MemberExpression' ? spanOf(c, call.callee) : span,
    permissions: grants,
    effective,
    diagnostics: [],
    origin,
    context,
    sandbox: facts,
  });
}

function envValue(v: Val): SandboxEnvValue {
  if (v.t === 'env') return v.variable !== undefined ? { kind: 'env-read', variable: v.variable, span: v.span, text: v.text } : { kind: 'env-read', span: v.span, text: v.text };
  if (v.t === 'str') return { kind: 'literal', value: v.value, span: v.span, text: v.text };
  return { kind: 'other', span: v.span, text: v.text };
}
