/**
 * `--fix=all` for deno.json permission sets (`"permissions": { "<name>": { … } }`): the set that
 * `-P` / `--permission-set` loads is rewritten to what the code reachable from every invocation
 * that loads it needs. Edits are exact ranges of the parsed JSONC tree (jsonc-parser): a value is
 * replaced in place, a key nothing needs is removed with its own line and comma, a missing key is
 * added after the last one in the object's own layout; comments and formatting elsewhere stay.
 *
 * A set is left alone when something loads it that permlint cannot judge (a `deno test -P`, a
 * `test`/`bench`/`compile` `"permissions": "<name>"`, an invocation without inference), when it
 * grants everything (`"all": true`), or when a loader runs from another folder than the set's
 * deno.json (the set's relative paths resolve against its own folder).
 */
import { createScanner, findNodeAtLocation, parseTree, SyntaxKind, type Node } from 'jsonc-parser';
import type { Declaration, Inference, Invocation, Model, PermKind } from '../model.js';
import { leastPrivilege, limited } from '../infer/least.js';
import type { Edit, Fix, Texts } from './index.js';
import { DEFAULT_IMPORT_HOSTS } from '../grammar/permissions.js';

const SET_KINDS: PermKind[] = ['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import'];

function nextToken(text: string, offset: number): { kind: SyntaxKind; offset: number } {
  const s = createScanner(text, true);
  s.setPosition(offset);
  const kind = s.scan();
  return { kind, offset: s.getTokenOffset() };
}

function lineStart(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}
function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n;
}
const endOf = (n: Node) => n.offset + n.length;

function render(v: true | string[]): string {
  return v === true ? 'true' : `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
}

/** Remove one property of an object, with its comma, its trailing comment and its own line. */
function removeProperty(text: string, obj: Node, prop: Node): Omit<Edit, 'file'>[] {
  const props = obj.children ?? [];
  const i = props.indexOf(prop);
  const next = props[i + 1];
  const prev = props[i - 1];
  const ownLine = /^\s*$/.test(text.slice(lineStart(text, prop.offset), prop.offset));
  // its comma, when it has one
  const after = nextToken(text, endOf(prop));
  const stop = after.kind === SyntaxKind.CommaToken ? after.offset + 1 : endOf(prop);
  if (ownLine && /^\s*(\/\/.*)?$/.test(text.slice(stop, lineEnd(text, stop)))) {
    const edits = [{ start: lineStart(text, prop.offset), end: Math.min(text.length, lineEnd(text, stop) + 1), text: '' }];
    // the last property: the one before it loses its comma
    if (!next && prev) {
      const c = nextToken(text, endOf(prev));
      if (c.kind === SyntaxKind.CommaToken && after.kind !== SyntaxKind.CommaToken) edits.push({ start: c.offset, end: c.offset + 1, text: '' });
    }
    return edits;
  }
  if (next) return [{ start: prop.offset, end: next.offset, text: '' }];
  if (prev) {
    const c = nextToken(text, endOf(prev));
    return [{ start: c.offset, end: stop, text: '' }];
  }
  return [{ start: prop.offset, end: stop, text: '' }];
}

/** Add properties after the last one of the object, in its layout (one per line, or on its line). */
function addProperties(text: string, obj: Node, entries: [string, string][]): Omit<Edit, 'file'>[] {
  const props = obj.children ?? [];
  const last = props[props.length - 1];
  const rendered = entries.map(([k, v]) => `${JSON.stringify(k)}: ${v}`);
  if (!last) return [{ start: obj.offset + 1, end: endOf(obj) - 1, text: ` ${rendered.join(', ')} ` }];
  const comma = nextToken(text, endOf(last));
  const hasComma = comma.kind === SyntaxKind.CommaToken;
  const indent = text.slice(lineStart(text, last.offset), last.offset);
  if (/^\s*$/.test(indent)) {
    const eol = lineEnd(text, hasComma ? comma.offset : endOf(last));
    const lines = rendered.map((r, i) => `\n${indent}${r}${i < rendered.length - 1 || hasComma ? ',' : ''}`).join('');
    if (hasComma) return [{ start: eol, end: eol, text: lines }];
    // the comma after the last value (before any comment on its line), then the new lines
    return eol === endOf(last) ? [{ start: eol, end: eol, text: `,${lines}` }] : [{ start: endOf(last), end: endOf(last), text: ',' }, { start: eol, end: eol, text: lines }];
  }
  return [{ start: endOf(last), end: endOf(last), text: rendered.map((r) => `, ${r}`).join('') }];
}

/** Names the deno.json's `test`/`bench`/`compile` blocks load by name. */
function namedByBlocks(root: Node): Set<string> {
  const out = new Set<string>();
  for (const sub of ['test', 'bench', 'compile']) {
    const p = findNodeAtLocation(root, [sub, 'permissions']);
    if (p?.type === 'string') out.add(p.value as string);
  }
  return out;
}

export function permissionSetFixes(model: Model, texts: Texts, rewritten: PermKind[]): Fix[] {
  const out: Fix[] = [];
  const loaders = new Map<string, Invocation[]>();
  for (const inv of model.invocations) {
    const id = inv.permissionSet?.declarationId;
    if (id) loaders.set(id, [...(loaders.get(id) ?? []), inv]);
  }
  for (const decl of model.declarations) {
    if (decl.declaration !== 'permission-set' || decl.allowAll) continue;
    const users = loaders.get(decl.id);
    if (!users?.length) continue;
    const f = setFix(model, texts, decl, users, rewritten.filter((k) => SET_KINDS.includes(k)));
    if (f) out.push(f);
  }
  return out;
}

function setFix(model: Model, texts: Texts, decl: Declaration, users: Invocation[], kinds: PermKind[]): Fix | undefined {
  const file = decl.origin.file;
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const infs: [Invocation, Inference][] = [];
  for (const inv of users) {
    const inf = (model.inferences ?? []).find((i) => i.subjectId === inv.id);
    if (!inf || inv.runtime !== 'deno' || (inv.context.cwd ?? '') !== dir || inv.flags.some((f) => f.name === '--allow-all')) return undefined;
    infs.push([inv, inf]);
  }
  // (read again only for a set whose loaders were all inferred)
  const text = texts.get(file);
  if (text === undefined) return undefined;
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root || namedByBlocks(root).has(decl.name)) return undefined;
  const obj = findNodeAtLocation(root, ['permissions', decl.name]);
  if (obj?.type !== 'object') return undefined;

  const edits: Omit<Edit, 'file'>[] = [];
  const add: [string, string][] = [];
  const wantAll: string[] = [];
  for (const kind of kinds) {
    // what the loaders need of this kind from the set (a loader's own flag for the kind replaces the set's)
    let want: true | Set<string> | undefined;
    let judged = true;
    for (const [inv, inf] of infs) {
      if (inv.permissions.some((g) => g.kind === kind && g.mode === 'allow' && !g.set && g.via === 'flag')) continue;
      if (limited(inf, kind)) judged = false;
      const g = leastPrivilege(inf, 'deno').grants.find((x) => x.kind === kind);
      if (!g) continue;
      if (g.scope === 'all') want = true;
      else if (want !== true) want = new Set([...(want ?? []), ...g.scope]);
    }
    if (!judged) return undefined;
    const value = want === undefined ? undefined : want === true ? true : [...want].sort();
    if (value !== undefined) wantAll.push(`"${kind}": ${render(value)}`);
    const prop = obj.children?.find((p) => p.children?.[0]?.value === kind);
    const node = prop?.children?.[1];
    if (!prop || !node) {
      // hosts Deno imports from without a grant need no "import" key
      const defaults = kind === 'import' && Array.isArray(value) && value.every((h) => DEFAULT_IMPORT_HOSTS.includes(h));
      if (value !== undefined && !defaults) add.push([kind, render(value)]);
      continue;
    }
    // the object form: its `allow` is the grant (deny and ignore stay)
    const target = node.type === 'object' ? findNodeAtLocation(node, ['allow']) : node;
    const current = target === undefined ? undefined : target.type === 'array' ? (target.children ?? []).map((c) => c.value as string) : target.value === true ? true : target.value === false ? [] : undefined;
    if (target && current === undefined) return undefined; // a value of another type: the runtime refuses it anyway
    if (value === undefined) {
      if (current === undefined || (Array.isArray(current) && current.length === 0)) continue;
      if (node.type === 'object') edits.push(...removeProperty(text, node, target!.parent!));
      else edits.push(...removeProperty(text, obj, prop));
    } else if (render(value) !== (current === undefined ? undefined : render(current as true | string[]))) {
      if (target) edits.push({ start: target.offset, end: endOf(target), text: render(value) });
      else if (node.type === 'object') edits.push(...addProperties(text, node, [['allow', render(value)]]));
    }
  }
  if (add.length) edits.push(...addProperties(text, obj, add));
  if (!edits.length) return undefined;
  return {
    ruleId: 'over-grant',
    span: decl.span,
    subjectIds: [decl.id, ...users.map((u) => u.id)],
    description: `grant in the permission set \`${decl.name}\` what the code its loaders run needs: \`{ ${wantAll.join(', ')} }\``,
    safety: 'unsafe',
    edits: edits.map((e) => ({ ...e, file })),
  };
}
