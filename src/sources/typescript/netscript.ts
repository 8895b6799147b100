/**
 * NetScript `@netscript/plugin-workers-core` task definitions:
 * `defineTask(id)` builder chains in any order (`.runtime`, `.entrypoint`, `.handler`,
 * `.permissions`, `.timeout`, `.retry`, `.build`), with permissions written as object literals,
 * preset references (`permissions.network`), spreads with overrides, `createPermissionPreset`,
 * `mergePermissions`, and `const` bindings of the same file.
 *
 * Facts (reference/permission-facts.md §4): runtime `'deno'` by default; an omitted permissions
 * object compiles to `--allow-all`; `true` ⇒ `--allow-<x>`, a non-empty list ⇒ `--allow-<x>=a,b`,
 * `false` / `[]` ⇒ nothing; `ffi: true` ⇒ `--allow-ffi`; `import: [...]` ⇒ `--allow-import=…`;
 * only the `deno` runtime applies permissions. Defaults: timeout 300 000 ms, 1 retry.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { Declaration, DynamicReason, GrammarDiagnostic, NetScriptTaskFacts, PermKind, PermissionGrant, ScopedValue, Span, UnresolvedFacts } from '../../model.js';
import { allPermissions, noPermissions } from '../../model.js';
import { combineDeno, diag, validateDenoValue } from '../../grammar/permissions.js';
import { memberName, unwrapTs } from './resolve.js';
import { endOf, evalValue, shortText, spanOf, startOf, textOf, type Ctx, type Val } from './values.js';
import type { Model as Emit } from '../../model.js';

type Preset = Record<'net' | 'read' | 'write' | 'env' | 'run' | 'ffi', boolean>;
const P = (net: boolean, read: boolean, write: boolean, env: boolean, run: boolean, ffi: boolean): Preset => ({ net, read, write, env, run, ffi });

/** `export const permissions` of plugin-workers-core (domain/permissions.ts). */
export const PRESETS: Record<string, Preset> = {
  minimal: P(false, false, false, true, false, false),
  none: P(false, false, false, true, false, false),
  network: P(true, false, false, true, false, false),
  filesystem: P(false, true, true, true, false, false),
  readOnly: P(false, true, false, true, false, false),
  subprocess: P(false, false, false, true, true, false),
  full: P(true, true, true, true, true, false),
  allAccess: P(true, true, true, true, true, true),
};

const LIST_KEYS = new Set(['net', 'read', 'write', 'env', 'run']);
const DEFAULT_RUNTIME = 'deno';

interface PermEntry {
  key: string;
  value: boolean | ScopedValue[] | { unknown: DynamicReason };
  span: Span;
  text: string;
}

interface PermSet {
  entries: Map<string, PermEntry>;
  unknown: { why: DynamicReason; span: Span; text: string }[];
}

/** The API export an expression stands for. */
export function apiRef(c: Ctx, e: TSESTree.Node): { api: string; name?: string; ns: boolean } | undefined {
  const r = c.r.ref(e);
  if (!r || 'pending' in r) return undefined;
  return r.ref.ns ? { api: r.ref.api, ns: true } : { api: r.ref.api, name: r.ref.name, ns: false };
}

function isNetscript(c: Ctx, e: TSESTree.Node, name: string): boolean {
  const r = apiRef(c, e);
  return !!r && r.api === 'netscript' && !r.ns && r.name === name;
}

/** `permissions.network` (or `ns.permissions.network`): the preset name. */
function presetName(c: Ctx, n: TSESTree.Node): string | undefined {
  if (n.type !== 'MemberExpression') return undefined;
  const name = memberName(n);
  if (name === undefined) return undefined;
  return isNetscript(c, n.object, 'permissions') ? name : undefined;
}

function fromPreset(preset: Preset, span: Span, text: string): PermSet {
  const entries = new Map<string, PermEntry>();
  for (const [k, v] of Object.entries(preset)) entries.set(k, { key: k, value: v, span, text });
  return { entries, unknown: [] };
}

function evalPerms(c: Ctx, e: TSESTree.Node, depth = 0): PermSet {
  const n = unwrapTs(e);
  const span = spanOf(c, n);
  const text = shortText(c, n);
  const unknown = (why: DynamicReason): PermSet => ({ entries: new Map(), unknown: [{ why, span, text }] });
  if (depth > 20) return unknown({ kind: 'ts', what: 'nested-too-deeply' });
  const preset = presetName(c, n);
  if (preset !== undefined) {
    const p = PRESETS[preset];
    return p ? fromPreset(p, span, text) : unknown({ kind: 'ts-not-preset', name: preset });
  }
  if (n.type === 'Identifier') {
    const init = c.r.constInit(n.name);
    if (init) return evalPerms(c, init, depth + 1);
    const r = apiRef(c, n);
    if (r) return unknown({ kind: 'ts-not-permissions', name: n.name });
    return unknown(c.r.declares(n.name) ? { kind: 'ts-not-known-const', name: n.name } : { kind: 'ts-undefined', name: n.name });
  }
  if (n.type === 'CallExpression') {
    if (isNetscript(c, n.callee, 'createPermissionPreset')) {
      // { ...permissions.minimal, ...overrides }
      const base = fromPreset(PRESETS.minimal!, spanOf(c, n), shortText(c, n));
      const arg = n.arguments[0];
      if (!arg) return base;
      if (arg.type === 'SpreadElement') return unknown({ kind: 'ts', what: 'spread-argument' });
      return overlay(base, evalPerms(c, arg, depth + 1));
    }
    if (isNetscript(c, n.callee, 'mergePermissions')) {
      // most-permissive union, starting from everything false
      let acc: PermSet = { entries: new Map(), unknown: [] };
      for (const a of n.arguments) {
        if (a.type === 'SpreadElement') {
          acc.unknown.push({ why: { kind: 'ts', what: 'spread-argument' }, span: spanOf(c, a), text: shortText(c, a) });
          continue;
        }
        acc = union(acc, evalPerms(c, a, depth + 1));
      }
      return acc;
    }
    return unknown({ kind: 'ts', what: 'call-not-preset-helper' });
  }
  if (n.type === 'ObjectExpression') {
    let acc: PermSet = { entries: new Map(), unknown: [] };
    for (const p of n.properties) {
      if (p.type === 'SpreadElement') {
        const s = evalPerms(c, p.argument, depth + 1);
        if (s.unknown.length && s.entries.size === 0) acc = { entries: new Map(), unknown: [...acc.unknown, ...s.unknown] };
        else acc = overlay(acc, s);
        continue;
      }
      const key = !p.computed && p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' && typeof p.key.value === 'string' ? p.key.value : undefined;
      if (key === undefined) {
        acc = { entries: new Map(), unknown: [...acc.unknown, { why: { kind: 'ts', what: 'computed-key' }, span: spanOf(c, p), text: shortText(c, p) }] };
        continue;
      }
      acc.entries.set(key, entryOf(c, key, evalValue(c, p.value, depth + 1), spanOf(c, p), textOf(c, p)));
    }
    return acc;
  }
  const v = evalValue(c, n, depth + 1);
  if (v.t === 'obj') {
    const entries = new Map<string, PermEntry>();
    for (const [k, p] of v.props) entries.set(k, entryOf(c, k, p.value, p.span, p.text));
    return { entries, unknown: v.partial ? [{ why: v.partial.why, span: v.partial.span, text: v.partial.text }] : [] };
  }
  return unknown(v.t === 'unknown' ? v.why : { kind: 'ts', what: 'not-object' });
}

function entryOf(_c: Ctx, key: string, v: Val, span: Span, text: string): PermEntry {
  if (v.t === 'bool') return { key, value: v.value, span, text };
  if (v.t === 'arr') {
    const list: ScopedValue[] = [];
    for (const it of v.items) {
      if (it.t === 'str') list.push({ value: it.value, span: it.span });
      else return { key, value: { unknown: it.t === 'unknown' ? it.why : { kind: 'ts', what: 'list-entry-not-string' } }, span, text };
    }
    return { key, value: list, span, text };
  }
  if (v.t === 'nullish') return { key, value: false, span, text };
  return { key, value: { unknown: v.t === 'unknown' ? v.why : { kind: 'ts', what: 'not-bool-or-list' } }, span, text };
}

function overlay(a: PermSet, b: PermSet): PermSet {
  const entries = new Map(a.entries);
  for (const [k, v] of b.entries) entries.set(k, v);
  return { entries, unknown: [...a.unknown, ...b.unknown] };
}

/** mergePermissions: `true` wins; lists are unioned; a list beats `false`. */
function union(a: PermSet, b: PermSet): PermSet {
  const entries = new Map(a.entries);
  for (const [k, v] of b.entries) {
    const cur = entries.get(k);
    if (!cur || typeof cur.value === 'object' && !Array.isArray(cur.value)) {
      if (!cur) entries.set(k, v);
      continue;
    }
    const x = cur.value;
    const y = v.value;
    if (typeof y === 'object' && !Array.isArray(y)) entries.set(k, v);
    else if (x === true) continue;
    else if (y === true) entries.set(k, v);
    else if (Array.isArray(x) && Array.isArray(y)) {
      const seen = new Set(x.map((s) => s.value));
      entries.set(k, { ...cur, value: [...x, ...y.filter((s) => !seen.has(s.value))], text: `${cur.text}, ${v.text}` });
    } else if (Array.isArray(y)) entries.set(k, v);
  }
  return { entries, unknown: [...a.unknown, ...b.unknown] };
}

function toGrants(set: PermSet, diagnostics: GrammarDiagnostic[]): PermissionGrant[] {
  const grants: PermissionGrant[] = [];
  for (const e of set.entries.values()) {
    if (typeof e.value === 'object' && !Array.isArray(e.value)) continue;
    const kind = e.key as PermKind;
    if (LIST_KEYS.has(e.key)) {
      grants.push({ kind, mode: 'allow', scope: e.value === true ? 'all' : e.value === false ? [] : e.value, span: e.span, text: e.text, via: 'config' });
    } else if (e.key === 'ffi') {
      // BuilderPermissions.ffi is a boolean; a truthy list still emits a bare --allow-ffi
      const on = e.value === true || (Array.isArray(e.value) && e.value.length > 0);
      grants.push({ kind: 'ffi', mode: 'allow', scope: on ? 'all' : [], span: e.span, text: e.text, via: 'config' });
    } else if (e.key === 'import' && Array.isArray(e.value)) {
      grants.push({ kind: 'import', mode: 'allow', scope: e.value, span: e.span, text: e.text, via: 'config' });
    }
    if (Array.isArray(e.value) && (LIST_KEYS.has(e.key) || e.key === 'import')) {
      for (const v of e.value) {
        const err = validateDenoValue(kind, v.value, true);
        if (err) diagnostics.push(diag(v.value === '' ? 'empty-value' : kind === 'net' || kind === 'import' ? 'invalid-host' : 'invalid-env', err, v.span, kind));
      }
    }
  }
  return grants;
}

interface ChainCall {
  name: string;
  call: TSESTree.CallExpression;
  /** From the method name to the closing parenthesis. */
  span: Span;
}

/** The method calls made on the builder returned by `defineTask(…)`, innermost first. */
function chainOf(c: Ctx, start: TSESTree.CallExpression): { calls: ChainCall[]; top: TSESTree.Node } {
  const calls: ChainCall[] = [];
  let cur: TSESTree.Node = start;
  for (;;) {
    let parent: TSESTree.Node | undefined = c.parentOf(cur);
    while (parent && (parent.type === 'TSAsExpression' || parent.type === 'TSNonNullExpression' || parent.type === 'TSSatisfiesExpression')) {
      cur = parent;
      parent = c.parentOf(cur);
    }
    if (!parent || parent.type !== 'MemberExpression' || parent.object !== cur) break;
    const name = memberName(parent);
    const call: TSESTree.Node | undefined = c.parentOf(parent);
    if (name === undefined || !call || call.type !== 'CallExpression' || call.callee !== parent) break;
    calls.push({ name, call, span: c.file.index.span(startOf(parent.property), endOf(call)) });
    cur = call;
  }
  return { calls, top: cur };
}

/** Every `defineTask(…)` call of the file, as a declaration (or an unresolved-value note). */
export function netscriptTask(c: Ctx, call: TSESTree.CallExpression, out: Emit, id: string, context: Declaration['context']): void {
  const file = c.file.path;
  const { calls } = chainOf(c, call);
  const nameArg = call.arguments[0];
  const nameVal = nameArg && nameArg.type !== 'SpreadElement' ? evalValue(c, nameArg) : undefined;
  const name = nameVal?.t === 'str' ? nameVal.value : undefined;
  const callSpan = spanOf(c, call);
  const origin = { file, span: callSpan, source: 'typescript' as const, ...(name !== undefined ? { name } : {}) };
  const task = name !== undefined ? { task: name } : {};
  const note = (span: Span, facts: UnresolvedFacts) => out.unresolved.push({ span, ...facts, origin });

  const facts: NetScriptTaskFacts = { runtime: DEFAULT_RUNTIME, complete: calls.some((k) => k.name === 'build') };
  let permsCall: ChainCall | undefined;
  let hasEntrypoint = false;
  let hasHandler = false;
  for (const k of calls) {
    switch (k.name) {
      case 'runtime': {
        const a = k.call.arguments[0];
        const v = a && a.type !== 'SpreadElement' ? evalValue(c, a) : undefined;
        facts.runtimeSpan = k.span;
        if (v?.t === 'str') facts.runtime = v.value;
        else {
          delete facts.runtime;
          note(a ? spanOf(c, a) : k.span, { code: 'netscript-runtime-dynamic', ...task, ...(v?.t === 'unknown' ? { why: v.why } : {}) });
        }
        break;
      }
      case 'permissions':
        permsCall = k;
        facts.permissionsCall = k.span;
        break;
      case 'timeout':
        facts.timeout = k.span;
        break;
      case 'retry':
        facts.retry = k.span;
        break;
      case 'entrypoint':
        hasEntrypoint = true;
        break;
      case 'handler':
        hasHandler = true;
        break;
      default:
        break;
    }
  }
  if (hasHandler && !hasEntrypoint) facts.inProcess = true;
  if (!facts.complete && !permsCall && !facts.inProcess) {
    note(callSpan, { code: 'netscript-unbuilt', ...task });
  }

  emitTask(c, { name, span: callSpan, facts, perms: permsCall ? { span: permsCall.span, arg: permsCall.call.arguments[0] } : undefined }, out, id, context);
}

interface TaskSite {
  name: string | undefined;
  /** The `defineTask(…)` call, or the task object. */
  span: Span;
  facts: NetScriptTaskFacts;
  /** `.permissions(arg)` / `permissions: arg`; undefined when left out. */
  perms?: { span: Span; arg: TSESTree.Node | undefined };
}

/** One task (builder chain or declarative object) as a declaration. */
function emitTask(c: Ctx, site: TaskSite, out: Emit, id: string, context: Declaration['context']): void {
  const file = c.file.path;
  const { name, facts } = site;
  const callSpan = site.span;
  const origin = { file, span: callSpan, source: 'typescript' as const, ...(name !== undefined ? { name } : {}) };
  const task = name !== undefined ? { task: name } : {};
  const note = (span: Span, facts: UnresolvedFacts) => out.unresolved.push({ span, ...facts, origin });
  const permsCall = site.perms;
  const diagnostics: GrammarDiagnostic[] = [];
  let grants: PermissionGrant[] = [];
  let allowAll: { span: Span; text: string } | undefined;
  let effective = permsCall ? noPermissions() : facts.inProcess ? noPermissions() : allPermissions();
  if (permsCall) {
    const arg = permsCall.arg;
    if (!arg || arg.type === 'SpreadElement') {
      note(permsCall.span, { code: 'netscript-permissions-dynamic', ...task });
    } else {
      const set = evalPerms(c, arg);
      for (const u of set.unknown) {
        note(u.span, { code: 'netscript-permission-dynamic', ...task, text: u.text, why: u.why });
      }
      for (const e of set.entries.values()) {
        if (typeof e.value === 'object' && !Array.isArray(e.value)) {
          note(e.span, { code: 'netscript-permission-dynamic', ...task, text: e.text, why: e.value.unknown });
        }
      }
      grants = toGrants(set, diagnostics);
      effective = combineDeno(grants, false);
      const unscoped = (k: string) => grants.some((g) => g.kind === k && g.scope === 'all');
      if (['net', 'read', 'write', 'env', 'run'].every(unscoped)) {
        // with run: true the task can start `deno run -A`: as wide as --allow-all
        const direct = unwrapTs(arg);
        allowAll = { span: spanOf(c, direct), text: shortText(c, direct) };
        effective = allPermissions();
      }
    }
  }
  const runtime = facts.runtime;
  if (runtime !== undefined && runtime !== 'deno') {
    // only the deno adapter applies permissions: the rest run with the worker's own rights
    if (grants.length) facts.ignoredPermissions = grants;
    grants = [];
    allowAll = undefined;
    effective = allPermissions();
  }
  const d: Declaration = {
    type: 'declaration',
    id: name !== undefined ? `${file}#netscript-task:${name}` : id,
    declaration: 'netscript-task',
    name: name ?? `defineTask#${callSpan.line}`,
    runtime: 'deno',
    span: callSpan,
    permissions: grants,
    effective,
    diagnostics,
    origin,
    context,
    netscript: facts,
  };
  if (allowAll) d.allowAll = allowAll;
  out.declarations.push(d);
}

/**
 * A declarative task object (`config/task-config.ts` `TaskConfig`): `const t: TaskConfig = { … }`,
 * `{ … } satisfies TaskConfig`, `{ … } as TaskConfig`. Defaults as the schema's: `type: 'deno'`,
 * `timeout: 300000`, `maxRetries: 1`; an omitted `permissions` runs with `--allow-all`.
 */
export function netscriptTaskObject(c: Ctx, obj: TSESTree.ObjectExpression, out: Emit, id: string, context: Declaration['context']): void {
  const props = new Map<string, TSESTree.Property>();
  let spread = false;
  for (const p of obj.properties) {
    if (p.type === 'SpreadElement') {
      spread = true;
      continue;
    }
    const key = !p.computed && p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined;
    if (key !== undefined) props.set(key, p);
  }
  const str = (k: string): { value?: string; span: Span } | undefined => {
    const p = props.get(k);
    if (!p) return undefined;
    const v = evalValue(c, p.value);
    return v.t === 'str' ? { value: v.value, span: spanOf(c, p) } : { span: spanOf(c, p) };
  };
  const name = str('id')?.value ?? str('name')?.value;
  // findings about the whole task point at its `id` (the object may span many lines)
  const span = str('id')?.span ?? str('name')?.span ?? c.file.index.span(startOf(obj), startOf(obj) + 1);
  const facts: NetScriptTaskFacts = { runtime: DEFAULT_RUNTIME, complete: !spread };
  const type = str('type');
  if (type) {
    facts.runtimeSpan = type.span;
    if (type.value !== undefined) facts.runtime = type.value;
    else {
      delete facts.runtime;
      out.unresolved.push({ span: type.span, code: 'netscript-type-dynamic', ...(name !== undefined ? { task: name } : {}), origin: { file: c.file.path, span, source: 'typescript' } });
    }
  }
  const timeout = props.get('timeout');
  if (timeout) facts.timeout = spanOf(c, timeout);
  const retries = props.get('maxRetries');
  if (retries) facts.retry = spanOf(c, retries);
  const perms = props.get('permissions');
  if (perms) facts.permissionsCall = spanOf(c, perms);
  // a spread may carry permissions: never report them as omitted
  if (!perms && spread) facts.complete = false;
  emitTask(c, { name, span, facts, perms: perms ? { span: spanOf(c, perms), arg: perms.value } : undefined }, out, id, context);
}

const TYPE_WRAPPERS = new Set(['Partial', 'Readonly', 'Required']);

/** Whether a type names netscript's `TaskConfig` (also inside `Partial<…>`, `Readonly<…>`, `Required<…>`). */
function isTaskConfig(c: Ctx, t: TSESTree.TypeNode | undefined): boolean {
  if (!t || t.type !== 'TSTypeReference') return false;
  const n = t.typeName;
  const inner = t.typeArguments?.params[0];
  if (n.type === 'Identifier' && TYPE_WRAPPERS.has(n.name) && !c.r.declares(n.name)) return isTaskConfig(c, inner);
  if (n.type === 'Identifier') return isNetscript(c, n, 'TaskConfig');
  if (n.type === 'TSQualifiedName' && n.left.type === 'Identifier' && n.right.name === 'TaskConfig') {
    const r = apiRef(c, n.left);
    return !!r && r.api === 'netscript' && r.ns;
  }
  return false;
}

/** The object literal a `TaskConfig` type names: `const t: TaskConfig = {…}`, `{…} satisfies TaskConfig`, `{…} as TaskConfig`. */
export function taskConfigObject(c: Ctx, node: TSESTree.Node): TSESTree.ObjectExpression | undefined {
  if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) {
    const init = unwrapTs(node.init);
    if (init.type === 'ObjectExpression' && isTaskConfig(c, node.id.typeAnnotation?.typeAnnotation)) return init;
  }
  if ((node.type === 'TSSatisfiesExpression' || node.type === 'TSAsExpression') && node.expression.type === 'ObjectExpression' && isTaskConfig(c, node.typeAnnotation)) {
    return node.expression;
  }
  return undefined;
}
