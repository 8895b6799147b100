/**
 * Name resolution inside one file, and across the files of one scan for local modules that
 * re-export the APIs we read: named, aliased, default and namespace imports, `require`,
 * `const` aliases, `export { x as y } from`, `export * from`.
 *
 * A name declared more than once anywhere in the file (shadowing, parameters, `let`) is
 * ambiguous and resolves to nothing: never a guess.
 */
import type { TSESTree } from '@typescript-eslint/types';
import { dirOf, joinPath } from '../types.js';

export type Api = 'netscript' | 'sandbox' | 'child_process';

/** What an expression stands for: an export of one of the APIs, or the whole module (namespace). */
export type Ref = { api: Api; name: string; ns?: false } | { api: Api; ns: true };

/** How a module exports one name. */
export type ExportEntry =
  | { kind: 'ref'; ref: Ref }
  | { kind: 'module'; module: string; imported: string };

export interface ModuleExports {
  names: Map<string, ExportEntry>;
  /** `export * from '<module>'` targets (package names or repo paths). */
  stars: string[];
}

/** Per scan: exports of the analysed modules, and files waiting for a module that is not analysed yet. */
export interface ModuleTable {
  modules: Map<string, ModuleExports>;
  /** Files waiting for a module, by its path; each is called with whether the module's exports are inert. */
  waiting: Map<string, Map<string, (inert: boolean) => void>>;
  /**
   * Counts the registrations that can change what a look-up finds (exports that are not inert,
   * or that were not): a file analysed when it was last is current while it has not moved.
   */
  version: number;
  /**
   * Modules whose turn has passed without being analysed, by path: files that only re-export
   * (./sniff.ts moduleOnly), which nothing waited for. The first look-up of one analyses it
   * there and then (it adds nothing to the model but its exports), so that it is in `modules`
   * as if it had been analysed in its turn.
   */
  deferred: Map<string, () => void>;
}

export function newModuleTable(): ModuleTable {
  return { modules: new Map(), waiting: new Map(), deferred: new Map(), version: 0 };
}

/**
 * Whether exports can give nothing to any look-up: every star and every name leads to a package
 * that is neither an API nor relative (exportOf answers undefined for those; a name entry only
 * shadows stars, and there are none left that lead anywhere). Such a module answers every
 * look-up as a module not in the table does, except that no file waits for it.
 */
export function inertExports(e: ModuleExports): boolean {
  const leadsNowhere = (spec: string) => apiOfSpecifier(spec) === undefined && !isRelative(spec);
  if (!e.stars.every(leadsNowhere)) return false;
  for (const entry of e.names.values()) if (entry.kind === 'ref' || !leadsNowhere(entry.module)) return false;
  return true;
}

/** Whether the module at `path` is in the table, analysing it first if it was deferred. */
function analysed(table: ModuleTable, path: string): boolean {
  if (table.modules.has(path)) return true;
  const later = table.deferred.get(path);
  if (!later) return false;
  table.deferred.delete(path);
  later();
  return table.modules.has(path);
}

const PACKAGES: [RegExp, Api][] = [
  [/^(?:jsr:|npm:)?\/?@netscript\/plugin-workers-core(?:@[^/]*)?(?:\/.*)?$/, 'netscript'],
  [/^(?:jsr:|npm:)?\/?@deno\/sandbox(?:@[^/]*)?(?:\/.*)?$/, 'sandbox'],
  [/^(?:node:)?child_process$/, 'child_process'],
];

export function apiOfSpecifier(spec: string): Api | undefined {
  for (const [re, api] of PACKAGES) if (re.test(spec)) return api;
  return undefined;
}

export function isRelative(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../');
}

/** Repo-relative path of `spec` imported from `fromFile` (posix), without trying extensions. */
export function importPath(fromFile: string, spec: string): string {
  return joinPath(dirOf(fromFile), spec);
}

/** The files an import of `path` may mean (TypeScript and Deno resolution, `.js` written for `.ts`). */
export function moduleCandidates(path: string): string[] {
  const out = [path];
  const m = /\.(m|c)?jsx?$/.exec(path);
  if (m) {
    const stem = path.slice(0, -m[0].length);
    out.push(`${stem}.${m[1] ?? ''}ts`, `${stem}.tsx`);
  }
  for (const ext of ['.ts', '.tsx', '.mts', '.js', '.mjs', '/mod.ts', '/index.ts', '/index.js']) out.push(path + ext);
  return out;
}

export type Binding =
  | { kind: 'import'; spec: string; imported: string }
  | { kind: 'const'; init: TSESTree.Expression }
  | { kind: 'other' };

/** Every name the file declares, at any depth, with how it is bound. */
export function collectBindings(program: TSESTree.Program, traverse: Traverse): Map<string, Binding[]> {
  const map = new Map<string, Binding[]>();
  const add = (name: string, b: Binding) => {
    const have = map.get(name);
    if (have) have.push(b);
    else map.set(name, [b]);
  };
  const addPattern = (p: TSESTree.Node | null | undefined, b: (name: string) => Binding) => {
    if (!p) return;
    switch (p.type) {
      case 'Identifier':
        add(p.name, b(p.name));
        break;
      case 'ObjectPattern':
        for (const prop of p.properties) {
          if (prop.type === 'RestElement') addPattern(prop.argument, () => ({ kind: 'other' }));
          else addPattern(prop.value, b);
        }
        break;
      case 'ArrayPattern':
        for (const e of p.elements) addPattern(e, () => ({ kind: 'other' }));
        break;
      case 'RestElement':
        addPattern(p.argument, () => ({ kind: 'other' }));
        break;
      case 'AssignmentPattern':
        addPattern(p.left, () => ({ kind: 'other' }));
        break;
      case 'TSParameterProperty':
        addPattern(p.parameter, () => ({ kind: 'other' }));
        break;
      default:
        break;
    }
  };
  traverse(program, (node, path, depth) => {
    switch (node.type) {
      case 'ImportDeclaration': {
        // type-only imports are kept: a type name (`TaskConfig`) resolves like a value name
        const spec = node.source.value;
        for (const s of node.specifiers) {
          if (s.type === 'ImportSpecifier') {
            const imported = s.imported.type === 'Identifier' ? s.imported.name : s.imported.value;
            add(s.local.name, { kind: 'import', spec, imported });
          } else if (s.type === 'ImportDefaultSpecifier') add(s.local.name, { kind: 'import', spec, imported: 'default' });
          else add(s.local.name, { kind: 'import', spec, imported: '*' });
        }
        break;
      }
      case 'TSImportEqualsDeclaration': {
        const ref = node.moduleReference;
        if (ref.type === 'TSExternalModuleReference' && ref.expression.type === 'Literal' && typeof ref.expression.value === 'string') {
          add(node.id.name, { kind: 'import', spec: ref.expression.value, imported: '*' });
        } else add(node.id.name, { kind: 'other' });
        break;
      }
      case 'VariableDeclarator': {
        const decl = depth > 0 ? (path[depth - 1] as TSESTree.VariableDeclaration) : undefined;
        const isConst = decl?.type === 'VariableDeclaration' && decl.kind === 'const';
        const req = requireSpec(node.init);
        if (req !== undefined) {
          if (node.id.type === 'Identifier') add(node.id.name, { kind: 'import', spec: req, imported: '*' });
          else if (node.id.type === 'ObjectPattern') {
            for (const prop of node.id.properties) {
              if (prop.type === 'Property' && !prop.computed && prop.key.type === 'Identifier' && prop.value.type === 'Identifier') {
                add(prop.value.name, { kind: 'import', spec: req, imported: prop.key.name });
              } else addPattern(prop, () => ({ kind: 'other' }));
            }
          } else addPattern(node.id, () => ({ kind: 'other' }));
        } else if (isConst && node.id.type === 'Identifier' && node.init) add(node.id.name, { kind: 'const', init: node.init });
        else if (isConst && node.id.type === 'ObjectPattern' && node.init) {
          // const { a, b: c } = obj: each name is obj.a / obj.b
          for (const prop of node.id.properties) {
            if (prop.type === 'Property' && !prop.computed && prop.key.type === 'Identifier' && prop.value.type === 'Identifier') {
              add(prop.value.name, { kind: 'const', init: memberOf(node.init, prop.key) });
            } else addPattern(prop, () => ({ kind: 'other' }));
          }
        } else addPattern(node.id, () => ({ kind: 'other' }));
        break;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'TSDeclareFunction':
        if (node.type !== 'ArrowFunctionExpression' && node.id) add(node.id.name, { kind: 'other' });
        for (const p of node.params) addPattern(p, () => ({ kind: 'other' }));
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (node.id) add(node.id.name, { kind: 'other' });
        break;
      case 'CatchClause':
        addPattern(node.param, () => ({ kind: 'other' }));
        break;
      case 'TSEnumDeclaration':
      case 'TSModuleDeclaration':
        if (node.id.type === 'Identifier') add(node.id.name, { kind: 'other' });
        break;
      default:
        break;
    }
  });
  return map;
}

/** A synthetic `obj.key` member expression for destructured consts (positions are the key's). */
function memberOf(obj: TSESTree.Expression, key: TSESTree.Identifier): TSESTree.Expression {
  return {
    type: 'MemberExpression',
    object: obj,
    property: key,
    computed: false,
    optional: false,
    start: (key as unknown as { start: number }).start,
    end: (key as unknown as { end: number }).end,
    loc: key.loc,
  } as unknown as TSESTree.Expression;
}

/** `require('x')` → 'x'. */
export function requireSpec(e: TSESTree.Node | null | undefined): string | undefined {
  if (!e || e.type !== 'CallExpression' || e.callee.type !== 'Identifier' || e.callee.name !== 'require') return undefined;
  const a = e.arguments[0];
  return a && a.type === 'Literal' && typeof a.value === 'string' ? a.value : undefined;
}

/** A pre-order walk: each node is entered with its ancestors `path[0..depth)`, nearest last (valid during the call only). */
export type Traverse = (node: TSESTree.Node, enter: (node: TSESTree.Node, path: readonly TSESTree.Node[], depth: number) => void) => void;

/** Removes TypeScript-only wrappers: `x as T`, `x satisfies T`, `x!`, `<T>x`. */
export function unwrapTs(e: TSESTree.Node): TSESTree.Node {
  let cur = e;
  while (cur.type === 'TSAsExpression' || cur.type === 'TSSatisfiesExpression' || cur.type === 'TSNonNullExpression' || cur.type === 'TSTypeAssertion') {
    cur = cur.expression;
  }
  return cur;
}

/**
 * Result of resolving a name: the API export it is, or nothing. A name imported from a local
 * module that is not analysed (yet) resolves to nothing and is reported through `onPending`, so
 * that the file is analysed again if that module turns out to re-export one of the APIs.
 */
export type Resolution = { ref: Ref; via: string[] } | { pending: string[] } | undefined;

export interface Resolver {
  /** What an identifier or member expression stands for. */
  ref(e: TSESTree.Node): Resolution;
  /** The one `const` binding of a name, or undefined (unknown, ambiguous or not const). */
  constInit(name: string): TSESTree.Expression | undefined;
  /** True when the file declares the name anywhere (it is not the global). */
  declares(name: string): boolean;
}

export function makeResolver(file: string, bindings: Map<string, Binding[]>, table: ModuleTable, onPending: (candidates: string[]) => void): Resolver {
  /**
   * What each import (specifier and name) resolved to, while the table is as it was then: a file
   * calls the names it imports again and again (a test calls its assertions hundreds of times),
   * and each look-up through a local module built its candidate paths and walked its re-exports.
   * The table only grows (a deferred module, files woken by it); a look-up can find something
   * else only once a module is added or the version moves (./analyze.ts: exports that were, or
   * are, not inert), so those end the memo.
   */
  const memo = new Map<string, Resolution>();
  let memoSize = table.modules.size;
  let memoVersion = table.version;
  const importRefMemo = (spec: string, imported: string): Resolution => {
    if (table.modules.size !== memoSize || table.version !== memoVersion) {
      memo.clear();
      memoSize = table.modules.size;
      memoVersion = table.version;
    }
    const key = `${spec}\0${imported}`;
    if (memo.has(key)) return memo.get(key);
    const r = importRef(spec, imported, new Set());
    // (the look-up may itself have analysed a deferred module: the answer is the table's after it)
    if (table.modules.size === memoSize && table.version === memoVersion) memo.set(key, r);
    return r;
  };
  const importRef = (spec: string, imported: string, seen: Set<string>): Resolution => {
    const api = apiOfSpecifier(spec);
    if (api) {
      if (imported === '*' || (imported === 'default' && api === 'child_process')) return { ref: { api, ns: true }, via: [] };
      if (imported === 'default') return undefined;
      return { ref: { api, name: imported }, via: [] };
    }
    if (!isRelative(spec)) return undefined;
    return moduleExport(importPath(file, spec), imported, seen);
  };

  const moduleExport = (path: string, name: string, seen: Set<string>): Resolution => {
    const cands = moduleCandidates(path);
    const key = cands.find((c) => analysed(table, c));
    if (!key) return { pending: cands };
    if (seen.has(`${key}#${name}`)) return undefined;
    seen.add(`${key}#${name}`);
    const mod = table.modules.get(key)!;
    const withVia = (r: Resolution): Resolution => (r && 'ref' in r ? { ref: r.ref, via: [key, ...r.via] } : r);
    if (name === '*') return undefined;
    const entry = mod.names.get(name);
    if (entry) return withVia(entry.kind === 'ref' ? { ref: entry.ref, via: [] } : exportOf(key, entry.module, entry.imported, seen));
    for (const star of mod.stars) {
      const r = exportOf(key, star, name, seen);
      if (r) return withVia(r);
    }
    return undefined;
  };

  const exportOf = (fromFile: string, spec: string, name: string, seen: Set<string>): Resolution => {
    const api = apiOfSpecifier(spec);
    if (api) return name === '*' ? { ref: { api, ns: true }, via: [] } : { ref: { api, name }, via: [] };
    if (!isRelative(spec)) return undefined;
    return moduleExport(importPath(fromFile, spec), name, seen);
  };

  const one = (name: string): Binding | undefined => {
    const b = bindings.get(name);
    return b && b.length === 1 ? b[0] : undefined;
  };

  const ref = (e: TSESTree.Node, depth = 0): Resolution => {
    if (depth > 20) return undefined;
    const n = unwrapTs(e);
    if (n.type === 'Identifier') {
      const b = one(n.name);
      if (!b) return undefined;
      if (b.kind === 'import') return importRefMemo(b.spec, b.imported);
      if (b.kind === 'const') return ref(b.init, depth + 1);
      return undefined;
    }
    if (n.type === 'MemberExpression') {
      const prop = memberName(n);
      if (prop === undefined) return undefined;
      const obj = ref(n.object, depth + 1);
      if (!obj || !('ref' in obj)) return obj;
      if (obj.ref.ns) return { ref: { api: obj.ref.api, name: prop }, via: obj.via };
      return undefined;
    }
    if (n.type === 'CallExpression' && requireSpec(n) !== undefined) return importRef(requireSpec(n)!, '*', new Set());
    if (n.type === 'AwaitExpression') return ref(n.argument, depth + 1);
    if (n.type === 'ImportExpression' && n.source.type === 'Literal' && typeof n.source.value === 'string') return importRef(n.source.value, '*', new Set());
    return undefined;
  };

  return {
    ref: (e) => {
      const r = ref(e);
      if (r && 'pending' in r) {
        onPending(r.pending);
        return undefined;
      }
      return r;
    },
    constInit: (name) => {
      const b = one(name);
      return b?.kind === 'const' ? b.init : undefined;
    },
    declares: (name) => bindings.has(name),
  };
}

/** `a.b` → 'b'; `a['b']` → 'b'; otherwise undefined. */
export function memberName(m: TSESTree.MemberExpression): string | undefined {
  if (!m.computed && m.property.type === 'Identifier') return m.property.name;
  if (m.computed && m.property.type === 'Literal' && typeof m.property.value === 'string') return m.property.value;
  return undefined;
}

/** The file's exports, as far as they concern the APIs (so that other files can import them). */
export function collectExports(program: TSESTree.Program, resolver: Resolver): ModuleExports {
  const out: ModuleExports = { names: new Map(), stars: [] };
  const local = (name: string): ExportEntry | undefined => {
    const r = resolver.ref({ type: 'Identifier', name } as TSESTree.Identifier);
    return r && 'ref' in r ? { kind: 'ref', ref: r.ref } : undefined;
  };
  for (const st of program.body) {
    if (st.type === 'ExportAllDeclaration') {
      if (st.exportKind === 'type') continue;
      if (st.exported) {
        const name = exportName(st.exported);
        out.names.set(name, { kind: 'module', module: st.source.value, imported: '*' });
      } else out.stars.push(st.source.value);
    } else if (st.type === 'ExportNamedDeclaration') {
      if (st.exportKind === 'type') continue;
      if (st.source) {
        for (const s of st.specifiers) {
          if (s.type !== 'ExportSpecifier' || s.exportKind === 'type') continue;
          const from = exportName(s.local);
          const to = exportName(s.exported);
          out.names.set(to, { kind: 'module', module: st.source.value, imported: from });
        }
      } else if (st.declaration?.type === 'VariableDeclaration') {
        for (const d of st.declaration.declarations) {
          if (d.id.type !== 'Identifier') continue;
          const e = local(d.id.name);
          if (e) out.names.set(d.id.name, e);
        }
      } else {
        for (const s of st.specifiers) {
          if (s.type !== 'ExportSpecifier' || s.exportKind === 'type') continue;
          const from = exportName(s.local);
          const to = exportName(s.exported);
          const e = local(from);
          if (e) out.names.set(to, e);
        }
      }
    }
  }
  return out;
}

/** `x` or `"x"` in `export { x as "x" }`. */
function exportName(n: TSESTree.Node): string {
  return n.type === 'Identifier' ? n.name : String((n as unknown as { value: unknown }).value);
}
