/**
 * One module's permission needs: walk the oxc-parser AST once, find the calls the API table
 * knows (`Deno.readTextFile`, `fetch`, `new Deno.Command`, `node:fs.readFileSync`,
 * `process.env.X` …), fold their arguments to values, and note what limits the answer (the
 * `Deno` object escaping, `eval`, a computed dynamic import).
 *
 * Nothing here reads files: the graph hands in the parsed module and a way to look up the
 * exports of the modules it imports.
 */
import type { InferredNeed, PermKind, Span } from '../model.js';
import type { LineIndex } from '../text.js';
import { apiSpec, nodeApi } from './apis.js';
import { REPO_URL, calleeName, fold, memberPath, type FoldScope, type Node } from './values.js';

/** A need before its value is made relative to the invocation's working directory (paths may carry the repository marker). */
export type RawNeed = InferredNeed;

export interface RawLimit {
  kinds: PermKind[] | 'all';
  reason: string;
  span: Span;
}

export interface ImportRef {
  specifier: string;
  span: Span;
  dynamic: boolean;
  /** local name → imported name (`default`, `*`, or the export's name) */
  names: Map<string, string>;
  /** `export … from` */
  reexport?: boolean;
}

export interface ModuleFacts {
  path: string;
  imports: ImportRef[];
  /** Exported name → local name (for consts and functions). */
  exports: Map<string, string>;
  /** `export * from` specifiers. */
  starExports: string[];
  needs: RawNeed[];
  limits: RawLimit[];
  /** Top-level const initialisers by name (declared once). */
  consts: Map<string, Node>;
  /** Functions by name (declared once): wrapper candidates. */
  functions: Map<string, Node>;
  program: Node;
  index: LineIndex;
  text: string;
  /** `import(…)` expressions, for the graph to fold. */
  dynamicImports: Node[];
  /**
   * What the analysis looks up in the tree, found by collectDeclarations' walk (one walk per parse,
   * shared by every graph that reaches the module, instead of one walk per look-up).
   */
  found?: FoundNodes;
}

/** Nodes of a module found once (see ModuleFacts.found), each list in pre-order. */
export interface FoundNodes {
  /** Every call. */
  calls: Node[];
  /** Calls of a plain name (`f(…)`), by that name. */
  callsOf: Map<string, Node[]>;
  /** Names a member of which is assigned to (`name.port = …`). */
  memberAssigned: Set<string>;
}

/** What a module's analysis can ask about the rest of the graph. */
export interface GraphLookup {
  /** Which runtime runs the graph (the Node table applies to Node's own checks). */
  readonly runtime: 'deno' | 'node';
  /** What an imported binding of `module` stands for. */
  resolveImport(module: string, local: string): { builtin: string } | { module: string; name: string } | undefined;
  facts(module: string): ModuleFacts | undefined;
  /** Modules that import `module` (for wrapper call sites in other modules). */
  importersOf(module: string): ModuleFacts[];
}

const NODE_BUILTINS = new Set(['fs', 'fs/promises', 'path', 'os', 'child_process', 'http', 'https', 'net', 'dns', 'worker_threads', 'process', 'url', 'module', 'sqlite', 'inspector', 'wasi', 'tls', 'dgram', 'path/posix']);

/** `node:fs` for `fs` / `node:fs`; `@std/path` for `jsr:@std/path@^1` and `@std/path`; undefined otherwise. */
export function builtinModule(specifier: string): string | undefined {
  if (specifier.startsWith('node:')) return specifier;
  if (NODE_BUILTINS.has(specifier)) return `node:${specifier}`;
  // @std/path: its join/resolve/fromFileUrl fold like node:path's
  const std = /^(?:jsr:)?\/?(@std\/path)(?:@[^/]*)?(\/.*)?$/.exec(specifier);
  if (std) return std[1] + (std[2] ?? '');
  return undefined;
}

const MAX_TEXT = 60;
function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > MAX_TEXT ? `${one.slice(0, MAX_TEXT - 1)}…` : one;
}

/** Collect imports, exports, consts and functions: what other modules' folding needs. */
export function collectDeclarations(facts: ModuleFacts): void {
  const seen = new Map<string, number>();
  const count = (name: string) => seen.set(name, (seen.get(name) ?? 0) + 1);
  for (const st of facts.program.body as Node[]) {
    if (st.type === 'ImportDeclaration') {
      if (st.importKind === 'type') continue;
      const names = new Map<string, string>();
      for (const s of st.specifiers ?? []) {
        if (s.importKind === 'type') continue;
        names.set(s.local.name, s.type === 'ImportDefaultSpecifier' ? 'default' : s.type === 'ImportNamespaceSpecifier' ? '*' : (s.imported.name ?? s.imported.value));
      }
      facts.imports.push({ specifier: st.source.value, span: facts.index.span(st.source.start, st.source.end), dynamic: false, names });
    } else if ((st.type === 'ExportNamedDeclaration' || st.type === 'ExportAllDeclaration') && st.source) {
      if (st.exportKind === 'type') continue;
      const names = new Map<string, string>();
      if (st.type === 'ExportAllDeclaration') facts.starExports.push(st.source.value);
      for (const s of st.specifiers ?? []) {
        const exported = s.exported.name ?? s.exported.value;
        names.set(`\0re:${exported}`, s.local.name ?? s.local.value);
        facts.exports.set(exported, `\0re:${exported}`);
      }
      facts.imports.push({ specifier: st.source.value, span: facts.index.span(st.source.start, st.source.end), dynamic: false, names, reexport: true });
    }
  }
  // every binding in the file, to tell a const declared once from a shadowed name
  // require("…") and createRequire(import.meta.url)("…")
  const isRequire = (n: Node) =>
    n?.type === 'CallExpression' &&
    ((n.callee.type === 'Identifier' && n.callee.name === 'require') || (n.callee.type === 'CallExpression' && /(^|\.)createRequire$/.test(memberPath(n.callee.callee) ?? ''))) &&
    n.arguments[0]?.type === 'Literal' &&
    typeof n.arguments[0].value === 'string';
  const bound = new Set<Node>();
  const found: FoundNodes = { calls: [], callsOf: new Map(), memberAssigned: new Set() };
  // the nodes the second pass below reads (const declarations, function declarations), in pre-order
  const decls: Node[] = [];
  walk(facts.program, (n) => {
    record(found, n);
    if ((n.type === 'VariableDeclaration' && n.kind === 'const') || n.type === 'FunctionDeclaration') decls.push(n);
    // `const fs = require("node:fs")` / `const { readFileSync: r } = require("fs")` bind names like an import
    if (n.type === 'VariableDeclarator' && isRequire(n.init)) {
      const names = new Map<string, string>();
      if (n.id.type === 'Identifier') names.set(n.id.name, '*');
      else if (n.id.type === 'ObjectPattern')
        for (const p of n.id.properties) if (p.type === 'Property' && !p.computed && p.value?.type === 'Identifier') names.set(p.value.name, p.key.name ?? p.key.value);
      const arg = n.init.arguments[0];
      facts.imports.push({ specifier: arg.value, span: facts.index.span(arg.start, arg.end), dynamic: false, names });
      bound.add(n.init);
    }
    if (n.type === 'ImportExpression') facts.dynamicImports.push(n);
    // CommonJS require("…") of a literal is an import too
    else if (isRequire(n) && !bound.has(n)) {
      facts.imports.push({ specifier: n.arguments[0].value, span: facts.index.span(n.arguments[0].start, n.arguments[0].end), dynamic: false, names: new Map() });
    }
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier') count(n.id.name);
    else if ((n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') && n.params)
      for (const p of n.params) {
        const id = p.type === 'AssignmentPattern' ? p.left : p.type === 'TSParameterProperty' ? p.parameter : p;
        if (id?.type === 'Identifier') count(id.name);
      }
    if (n.type === 'FunctionDeclaration' && n.id) count(n.id.name);
  });
  facts.found = found;
  for (const n of decls) {
    if (n.type === 'VariableDeclaration')
      for (const d of n.declarations) {
        if (d.id.type !== 'Identifier' || seen.get(d.id.name) !== 1 || !d.init) continue;
        if (d.init.type === 'ArrowFunctionExpression' || d.init.type === 'FunctionExpression') facts.functions.set(d.id.name, d.init);
        else facts.consts.set(d.id.name, d.init);
      }
    else if (n.id && seen.get(n.id.name) === 1) facts.functions.set(n.id.name, n);
  }
  for (const st of facts.program.body as Node[]) {
    if (st.type === 'ExportNamedDeclaration' && !st.source) {
      const d = st.declaration;
      if (d?.type === 'VariableDeclaration') for (const x of d.declarations) if (x.id.type === 'Identifier') facts.exports.set(x.id.name, x.id.name);
      if (d?.type === 'FunctionDeclaration' && d.id) facts.exports.set(d.id.name, d.id.name);
      for (const s of st.specifiers ?? []) facts.exports.set(s.exported.name ?? s.exported.value, s.local.name ?? s.local.value);
    } else if (st.type === 'ExportDefaultDeclaration' && st.declaration?.type === 'FunctionDeclaration' && st.declaration.id) {
      facts.exports.set('default', st.declaration.id.name);
    }
  }
}

type Visitor = (node: Node, parents: Node[]) => void | false;

/**
 * Depth-first walk over every AST node (pre-order, children in source-field order); the visitor
 * returns false to skip a node's children and gets the node's ancestors, nearest last (the same
 * array throughout: read it during the call). Iterative, and with no array or frame per node (a
 * tree's nodes are thousands; the walk's own garbage would survive with the tree in a scavenge):
 * a chain of 30,000 `else if` is as deep as the AST gets, and recursion would overflow.
 */
export function walk(root: Node, visit: Visitor, parents: Node[] = []): void {
  const base = parents.length;
  const nodes: Node[] = [root];
  const depths: number[] = [base];
  while (nodes.length) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    while (parents.length > depth) parents.pop();
    if (!node || typeof node.type !== 'string') continue;
    if (visit(node, parents) === false) continue;
    parents.push(node);
    const from = nodes.length;
    for (const key in node) {
      if (key === 'parent' || key === 'start' || key === 'end' || key === 'type') continue;
      const v = node[key];
      if (v === null || typeof v !== 'object') continue;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const c = v[i];
          if (c && typeof c === 'object' && typeof c.type === 'string') nodes.push(c);
        }
      } else if (typeof v.type === 'string') nodes.push(v);
    }
    // the run of children reversed: the first comes off the stack first
    for (let i = from, j = nodes.length - 1; i < j; i++, j--) {
      const t = nodes[i];
      nodes[i] = nodes[j];
      nodes[j] = t;
    }
    for (let i = from; i < nodes.length; i++) depths.push(depth + 1);
  }
  while (parents.length > base) parents.pop();
}

/** `node` without the wrappers memberPath looks through (parentheses, `!`, `as`). */
function unwrapPath(node: Node): Node {
  while (node && (node.type === 'ParenthesizedExpression' || node.type === 'TSNonNullExpression' || node.type === 'TSAsExpression')) node = node.expression;
  return node;
}

/** Whether memberPath(node) is `name`, a name without dots (an identifier: paths of members and meta properties have a dot). */
function namedBy(node: Node, name: string): boolean {
  const n = unwrapPath(node);
  return n?.type === 'Identifier' && n.name === name;
}

/** Whether memberPath(node) may start with `<name>.` and have one dot more at most: a member of the identifier `name` (a check before building the path). */
function isMemberOf(node: Node, name: string): boolean {
  const n = unwrapPath(node);
  return n?.type === 'MemberExpression' && namedBy(n.object, name);
}

/** Whether memberPath(node) is `process.env`, without building the path. */
function isProcessEnv(node: Node): boolean {
  const n = unwrapPath(node);
  if (n?.type !== 'MemberExpression' || !namedBy(n.object, 'process')) return false;
  return n.computed ? n.property.type === 'Literal' && n.property.value === 'env' : n.property.name === 'env';
}

export function foldScope(facts: ModuleFacts, graph: GraphLookup, depth = 0, params?: FoldScope['params']): FoldScope {
  return {
    module: facts.path,
    params,
    constInit: (name) => facts.consts.get(name),
    imported: (name) => {
      const r = graph.resolveImport(facts.path, name);
      if (!r) return undefined;
      if ('builtin' in r) return r;
      if (depth > 8) return { value: undefined };
      const other = graph.facts(r.module);
      const local = other?.exports.get(r.name);
      const init = other && local ? other.consts.get(local) : undefined;
      if (!other || !init) return { value: undefined };
      return { value: fold(init, foldScope(other, graph, depth + 1)) };
    },
  };
}

const FS_READ = new Set(['readFile', 'readFileSync', 'readdir', 'readdirSync', 'stat', 'statSync', 'lstat', 'lstatSync', 'exists', 'existsSync', 'access', 'accessSync', 'createReadStream', 'realpath', 'realpathSync', 'readlink', 'readlinkSync', 'opendir', 'opendirSync', 'watch', 'watchFile']);
const FS_WRITE = new Set(['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'unlink', 'unlinkSync', 'createWriteStream', 'chmod', 'chmodSync', 'chown', 'chownSync', 'utimes', 'utimesSync', 'truncate', 'truncateSync', 'mkdtemp', 'mkdtempSync']);
const FS_BOTH = new Set(['rename', 'renameSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync']);
const OS_SYS: Record<string, string[]> = {
  hostname: ['hostname'],
  homedir: ['homedir'],
  cpus: ['cpus'],
  totalmem: ['systemMemoryInfo'],
  freemem: ['systemMemoryInfo'],
  uptime: ['osUptime'],
  loadavg: ['loadavg'],
  release: ['osRelease'],
  networkInterfaces: ['networkInterfaces'],
  userInfo: ['uid', 'gid', 'userInfo'],
  getPriority: ['getPriority'],
};

/** Find the needs of one module. Needs inside named functions whose value depends on a parameter are folded at each call site. */
export function analyzeModule(facts: ModuleFacts, graph: GraphLookup): void {
  const scope = foldScope(facts, graph);
  const queried = new Set<PermKind>();
  for (const n of foundIn(facts).calls) {
    const c = calleeName(n.callee, scope);
    if (c === 'Deno.permissions.query' || c === 'Deno.permissions.querySync' || c === 'Deno.permissions.request') {
      const name = n.arguments[0]?.properties?.find((p: Node) => p.key?.name === 'name')?.value?.value;
      if (typeof name === 'string') queried.add(name as PermKind);
    }
  }
  const span = (n: Node) => facts.index.span(n.start, n.end);
  const text = (n: Node) => short(facts.text.slice(n.start, n.end));
  const funcs = new Map<Node, string>();
  for (const [name, fn] of facts.functions) funcs.set(fn, name);

  // the ancestors of the node being visited (the walk's one array; emit reads it during the visit)
  let parents: Node[] = [];
  // (made once, not per node visited: a module's walk visits every node of every graph it is in)
  const emit = (need: Omit<RawNeed, 'span' | 'text'> & { node?: Node }, at: Node, valueNode?: Node) => {
    const guarded = parents.some((p, i) => p.type === 'TryStatement' && p.handler && parents[i + 1] === p.block);
    // the innermost named function whose parameters may feed the call
    let fnNode: Node | undefined;
    for (let i = parents.length - 1; i >= 0 && !fnNode; i--) if (funcs.has(parents[i])) fnNode = parents[i];
    const g = guarded || queried.has(need.kind) || (need as { guarded?: boolean }).guarded === true;
    // a file URL names a path (Deno.readTextFile(new URL(…)))
    if ((need.kind === 'read' || need.kind === 'write' || need.kind === 'ffi') && need.value?.startsWith('file://')) need = { ...need, value: decodeURIComponent(need.value.slice(7)) };
    const base = { ...need, node: undefined, span: span(at), text: text(at), ...(g ? { guarded: true } : {}) };
    delete (base as { node?: Node }).node;
    if (need.value === undefined && valueNode && fnNode && dependsOnParams(valueNode, fnNode)) {
      const sites = wrapperCalls(facts, graph, funcs.get(fnNode)!, fnNode);
      if (sites.length) {
        for (const s of sites) {
          const v = fold(valueNode, { ...scope, params: s.params });
          facts.needs.push({ ...base, value: v, api: `${s.name}() → ${need.api}`, span: s.span, text: s.text });
        }
        return;
      }
    }
    facts.needs.push(base);
  };
  const valueOf = (v: Node | undefined) => (v ? fold(v, scope) : undefined);

  walk(facts.program, (n, ancestors) => {
    parents = ancestors;

    if (n.type === 'CallExpression' && n.callee.type === 'Identifier' && (n.callee.name === 'eval' || n.callee.name === 'Function')) {
      facts.limits.push({ kinds: 'all', reason: `\`${n.callee.name}\` runs code permlint cannot read`, span: span(n) });
    }
    if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'Function') facts.limits.push({ kinds: 'all', reason: '`new Function` runs code permlint cannot read', span: span(n) });
    // the Deno object escaping: Deno[x], `const d = Deno`, passing Deno.readFile around
    if (n.type === 'Identifier' && n.name === 'Deno') {
      const parent = parents[parents.length - 1];
      const isObject = parent?.type === 'MemberExpression' && parent.object === n;
      if (isObject && parent.computed && !(parent.property.type === 'Literal')) facts.limits.push({ kinds: 'all', reason: '`Deno[…]` with a computed key', span: span(parent) });
      // (`typeof Deno` only asks whether it exists)
      else if (!isObject && !(parent?.type === 'MemberExpression' && parent.property === n) && !(parent?.type === 'UnaryExpression' && parent.operator === 'typeof') && parent?.type !== 'TSTypeReference' && parent?.type !== 'TSQualifiedName')
        facts.limits.push({ kinds: 'all', reason: 'the `Deno` object is passed around', span: span(n) });
    }
    if (n.type === 'MemberExpression') {
      // (the path is built only when the object is `Deno`: `Deno.x` needs it to be, and most members are not)
      const p = namedBy(n.object, 'Deno') ? memberPath(n) : undefined;
      const parent = parents[parents.length - 1];
      const called = (parent?.type === 'CallExpression' || parent?.type === 'NewExpression') && parent.callee === n;
      if (p && /^Deno\.[a-zA-Z]+$/.test(p) && !called && parent?.type !== 'MemberExpression' && apiSpec(p)?.kinds.length) {
        facts.limits.push({ kinds: apiSpec(p)!.kinds, reason: `\`${p}\` is passed around instead of called`, span: span(n) });
      }
      // process.env.X / process.env[x] / Deno.env as a whole
      if (n.object && isProcessEnv(n.object) && !(parent?.type === 'AssignmentExpression' && parent.left === n)) {
        const name = n.computed ? valueOf(n.property) : n.property.name;
        emit({ kind: 'env', value: name, api: 'process.env' }, n, n.computed ? n.property : undefined);
      }
    }
    if ((n.type === 'SpreadElement' || n.type === 'CallExpression') && n.argument && isProcessEnv(n.argument)) {
      emit({ kind: 'env', unscoped: 'every environment variable is read (enumeration)', api: 'process.env' }, n);
    }
    if (n.type === 'CallExpression' && isMemberOf(n.callee, 'Object') && /^Object\.(keys|entries|values|assign)$/.test(memberPath(n.callee) ?? '') && n.arguments.some((a: Node) => isProcessEnv(a))) {
      emit({ kind: 'env', unscoped: 'every environment variable is read (enumeration)', api: 'process.env' }, n);
    }
    if (n.type === 'ImportExpression') {
      const v = valueOf(n.source);
      if (v === undefined) {
        emit({ kind: 'read', api: 'import()' }, n, n.source);
        facts.limits.push({ kinds: ['import'], reason: 'a computed `import()` may load a remote module', span: span(n) });
      }
      // a remote import() that folds joins the graph, which adds its --allow-import need
      else if (/^(https?|jsr):/.test(v)) return;
      else if (v.startsWith('file://') && !v.startsWith(REPO_URL)) emit({ kind: 'read', value: decodeURIComponent(v.slice(7)), api: 'import()' }, n);
      return;
    }
    if (n.type !== 'CallExpression' && n.type !== 'NewExpression') return;
    // createRequire(import.meta.url)("…") is a require
    const callee = n.callee.type === 'CallExpression' && /(^|\.)createRequire$/.test(calleeName(n.callee.callee, scope) ?? '') ? 'require' : calleeName(n.callee, scope);
    if (!callee) return;
    const args: Node[] = n.arguments;
    const isNew = n.type === 'NewExpression';

    // ---- Deno namespace
    if (callee === 'Deno.Command' && isNew) {
      const cmd = valueOf(args[0]);
      const opts = args[1];
      const envKeys = objectKeys(opts, 'env');
      const ld = envKeys?.find((k) => /^(LD_|DYLD_)/.test(k));
      if (ld) emit({ kind: 'run', unscoped: `\`${ld}\` in the child's env needs unscoped --allow-run`, api: 'Deno.Command' }, n);
      else emit({ kind: 'run', value: cmd, api: 'Deno.Command' }, n, args[0]);
      return;
    }
    if (callee === 'Deno.kill') {
      emit({ kind: 'run', unscoped: 'sending a signal to another process needs unscoped --allow-run', api: 'Deno.kill' }, n);
      return;
    }
    if (/^Deno\.env\.(get|has|set|delete)$/.test(callee)) {
      emit({ kind: 'env', value: valueOf(args[0]), api: callee }, n, args[0]);
      return;
    }
    if (callee === 'Deno.env.toObject') {
      emit({ kind: 'env', unscoped: 'Deno.env.toObject() reads every variable', api: callee }, n);
      return;
    }
    if (callee === 'Deno.open' || callee === 'Deno.openSync') {
      const o = args[1];
      const flag = (k: string) => o?.type === 'ObjectExpression' && o.properties.some((p: Node) => propName(p) === k && p.value?.value === true);
      const read = !o || flag('read');
      const write = flag('write') || flag('append') || flag('create') || flag('truncate') || flag('createNew');
      if (o && o.type !== 'ObjectExpression') {
        emit({ kind: 'read', value: valueOf(args[0]), api: callee }, n, args[0]);
        emit({ kind: 'write', value: valueOf(args[0]), api: callee }, n, args[0]);
        return;
      }
      if (read) emit({ kind: 'read', value: valueOf(args[0]), api: callee }, n, args[0]);
      if (write) emit({ kind: 'write', value: valueOf(args[0]), api: callee }, n, args[0]);
      return;
    }
    if (/^Deno\.makeTemp(Dir|File)(Sync)?$/.test(callee)) {
      const dir = objectProp(args[0], 'dir');
      if (dir) emit({ kind: 'write', value: valueOf(dir), api: callee }, n, dir);
      else emit({ kind: 'write', value: '/tmp', api: callee, implicit: `${callee}() writes in $TMPDIR (/tmp when unset)` }, n);
      return;
    }
    if (callee === 'Deno.serve' || callee === 'Deno.listen' || callee === 'Deno.listenTls' || callee === 'Deno.listenDatagram') {
      let opts = args[0]?.type === 'ObjectExpression' ? args[0] : undefined;
      // options held in a const (std's file_server: `const options = { hostname }; options.port = port; Deno.serve(options, handler)`):
      // its literal only when nothing assigns to it afterwards; otherwise where it listens is not known
      const first = args[0];
      if (!opts && first?.type === 'Identifier') {
        const init = scope.constInit(first.name);
        if (foundIn(facts).memberAssigned.has(first.name) && !facts.functions.has(first.name)) {
          emit({ kind: 'net', api: callee }, n, first);
          return;
        }
        if (init?.type === 'ObjectExpression') opts = init;
      }
      const transport = opts ? valueOf(objectProp(opts, 'transport')) : undefined;
      if (transport === 'unix' || (opts && objectProp(opts, 'path'))) {
        const p = valueOf(objectProp(opts, 'path'));
        emit({ kind: 'read', value: p, api: callee }, n);
        emit({ kind: 'write', value: p, api: callee }, n);
        emit({ kind: 'net', value: p === undefined ? undefined : `unix:${p}`, api: callee }, n);
        return;
      }
      const portNode = opts ? objectProp(opts, 'port') : undefined;
      const hostNode = opts ? objectProp(opts, 'hostname') : undefined;
      const port = portNode ? valueOf(portNode) : callee === 'Deno.serve' ? '8000' : undefined;
      const host = hostNode ? valueOf(hostNode) : '0.0.0.0';
      const implicit = !portNode || !hostNode ? `${callee}() listens on ${hostNode ? host : '0.0.0.0'}:${portNode ? (port ?? '?') : (port ?? '?')} unless told otherwise` : undefined;
      if (opts === undefined && args[0] && callee !== 'Deno.serve') {
        emit({ kind: 'net', api: callee }, n, args[0]);
        return;
      }
      emit({ kind: 'net', value: port !== undefined && host !== undefined ? `${host}:${port}` : undefined, api: callee, ...(implicit ? { implicit } : {}) }, n, portNode ?? hostNode);
      return;
    }
    if (callee === 'Deno.connect' || callee === 'Deno.connectTls') {
      const opts = args[0];
      const transport = valueOf(objectProp(opts, 'transport'));
      if (transport === 'unix') {
        const p = valueOf(objectProp(opts, 'path'));
        emit({ kind: 'read', value: p, api: callee }, n);
        emit({ kind: 'write', value: p, api: callee }, n);
        emit({ kind: 'net', value: p === undefined ? undefined : `unix:${p}`, api: callee }, n);
        return;
      }
      const portNode = objectProp(opts, 'port');
      const hostNode = objectProp(opts, 'hostname');
      const port = valueOf(portNode);
      const host = hostNode ? valueOf(hostNode) : '127.0.0.1';
      emit({ kind: 'net', value: port !== undefined && host !== undefined ? `${host}:${port}` : undefined, api: callee }, n, portNode ?? hostNode);
      if (callee === 'Deno.connectTls' && objectProp(opts, 'certFile')) emit({ kind: 'read', value: valueOf(objectProp(opts, 'certFile')), api: callee }, n);
      return;
    }
    if (callee === 'Deno.resolveDns') {
      const ns = objectProp(objectProp(args[2], 'nameServer'), 'ipAddr');
      emit({ kind: 'net', value: ns ? `${valueOf(ns)}:${valueOf(objectProp(objectProp(args[2], 'nameServer'), 'port')) ?? '53'}` : undefined, api: callee }, n);
      return;
    }
    if (callee === 'Deno.dlopen') {
      emit({ kind: 'ffi', value: valueOf(args[0]), api: callee }, n, args[0]);
      return;
    }
    if (callee === 'Deno.openKv') {
      const p = valueOf(args[0]);
      if (!args[0] || p === ':memory:') return;
      // an argument that does not fold may be undefined (the default database needs nothing): not certain
      const maybe = p === undefined ? { guarded: true } : {};
      emit({ kind: 'read', value: p, api: callee, ...maybe }, n, args[0]);
      emit({ kind: 'write', value: p, api: callee, ...maybe }, n, args[0]);
      return;
    }
    // addons: process.dlopen(module, path) and require("….node"); WASI
    if (callee === 'process.dlopen' || callee === 'node:process.dlopen') {
      emit({ kind: 'ffi', value: valueOf(args[1]), api: 'process.dlopen' }, n, args[1]);
      return;
    }
    if (callee === 'require' && args[0]?.type === 'Literal' && typeof args[0].value === 'string' && args[0].value.endsWith('.node')) {
      emit({ kind: 'ffi', value: args[0].value, api: 'require(.node)' }, n);
      emit({ kind: 'read', value: args[0].value, api: 'require(.node)' }, n);
      return;
    }
    if (callee === 'node:wasi.WASI' && isNew) {
      emit({ kind: 'wasi', api: 'node:wasi.WASI' }, n);
      return;
    }
    if ((callee === 'Worker' || callee === 'node:worker_threads.Worker') && isNew) {
      const v = valueOf(args[0]);
      if (callee === 'Worker') {
        const path = v?.startsWith('file://') ? decodeURIComponent(v.slice(7)) : v;
        emit({ kind: 'read', value: path, api: 'new Worker' }, n, args[0]);
      } else emit({ kind: 'worker', api: 'node:worker_threads.Worker' }, n); // Node 24 reads the worker's entry itself (checked: no fs grant needed)
      return;
    }
    if (callee === 'fetch' || (callee === 'WebSocket' && isNew) || callee === 'EventSource') {
      const v = valueOf(args[0]);
      const api = callee === 'fetch' ? 'fetch' : `new ${callee}`;
      if (v?.startsWith('file://')) emit({ kind: 'read', value: decodeURIComponent(v.slice(7)), api }, n);
      else if (v?.startsWith('data:') || v?.startsWith('blob:')) return;
      else emit({ kind: 'net', value: v === undefined ? undefined : hostOf(v), api }, n, args[0]);
      return;
    }
    if (callee.startsWith('Deno.')) {
      const spec = apiSpec(callee);
      if (!spec || spec.kinds.length === 0) return;
      for (const k of spec.unscoped ?? []) emit({ kind: k, unscoped: `${callee}() checks all of --allow-${k}`, api: callee }, n);
      if (spec.pathArgs) {
        spec.pathArgs.forEach((kinds, i) => {
          for (const k of kinds) emit({ kind: k, value: valueOf(args[i]), api: callee }, n, args[i]);
        });
        return;
      }
      for (const k of spec.kinds) if (!spec.unscoped?.includes(k)) emit({ kind: k, value: k === 'sys' ? spec.sys : k === 'read' || k === 'write' ? valueOf(args[0]) : undefined, api: callee }, n, args[0]);
      return;
    }

    // ---- node: modules (Deno's Node compatibility and Node's own permission model)
    const m = /^node:(fs|fs\/promises|child_process|os|http|https|net|process|sqlite|wasi|module|worker_threads)\.(?:promises\.)?([A-Za-z]+)$/.exec(callee);
    if (m) {
      const [, mod, fn] = m as unknown as [string, string, string];
      // under Node the table generated from the Node binary says what each call checks (scripts/gen-node-table.mjs)
      const row = graph.runtime === 'node' ? nodeApi(`node:${mod}.${fn}`) : undefined;
      if (row) {
        for (const need of row.needs) emit({ kind: need.kind, value: need.arg === null ? undefined : valueOf(args[need.arg]), api: callee }, n, need.arg === null ? undefined : args[need.arg]);
        return;
      }
      if (mod === 'fs' || mod === 'fs/promises') {
        if (fn === 'symlink' || fn === 'symlinkSync') {
          emit({ kind: 'read', unscoped: 'symlink needs unscoped --allow-read', api: callee }, n);
          emit({ kind: 'write', unscoped: 'symlink needs unscoped --allow-write', api: callee }, n);
        } else if (FS_READ.has(fn)) emit({ kind: 'read', value: valueOf(args[0]), api: callee }, n, args[0]);
        else if (FS_WRITE.has(fn)) emit({ kind: 'write', value: valueOf(args[0]), api: callee }, n, args[0]);
        else if (FS_BOTH.has(fn)) {
          emit({ kind: 'read', value: valueOf(args[0]), api: callee }, n, args[0]);
          emit({ kind: 'write', value: valueOf(args[1]), api: callee }, n, args[1]);
        }
        return;
      }
      if (mod === 'child_process' && /^(exec|execSync|execFile|execFileSync|spawn|spawnSync|fork)$/.test(fn)) {
        const optsNode = fn.startsWith('exec') && !fn.startsWith('execFile') ? args[1] : args[args.length - 1];
        const cmd = valueOf(args[0]);
        const program = fn.startsWith('exec') && !fn.startsWith('execFile') ? undefined : cmd;
        emit({ kind: 'run', value: fn === 'fork' ? undefined : program, api: callee }, n, args[0]);
        if (!objectProp(optsNode, 'env')) emit({ kind: 'env', unscoped: 'a child process without `env` inherits every variable', api: callee }, n);
        return;
      }
      if (mod === 'os') {
        if (fn === 'tmpdir') for (const v of ['TMPDIR', 'TMP', 'TEMP']) emit({ kind: 'env', value: v, api: callee }, n);
        for (const s of OS_SYS[fn] ?? []) emit({ kind: 'sys', value: s, api: callee }, n);
        return;
      }
      if ((mod === 'http' || mod === 'https') && (fn === 'request' || fn === 'get')) {
        const v = valueOf(args[0]);
        emit({ kind: 'net', value: v === undefined ? undefined : hostOf(v), api: callee }, n, args[0]);
        return;
      }
      if (mod === 'net' && (fn === 'connect' || fn === 'createConnection')) {
        const port = args[0]?.type === 'ObjectExpression' ? valueOf(objectProp(args[0], 'port')) : valueOf(args[0]);
        const host = args[0]?.type === 'ObjectExpression' ? (objectProp(args[0], 'host') ? valueOf(objectProp(args[0], 'host')) : 'localhost') : args[1] ? valueOf(args[1]) : 'localhost';
        emit({ kind: 'net', value: port && host ? `${host}:${port}` : undefined, api: callee }, n);
        return;
      }
      if (mod === 'process' && fn === 'loadEnvFile') {
        emit({ kind: 'read', value: valueOf(args[0]) ?? './.env', api: callee }, n);
        emit({ kind: 'env', unscoped: 'process.loadEnvFile() reads the whole environment', api: callee }, n);
        return;
      }
      if (mod === 'sqlite' && fn === 'DatabaseSync' && isNew) {
        const p = valueOf(args[0]);
        if (p === ':memory:') return;
        emit({ kind: 'read', value: p, api: callee }, n, args[0]);
        emit({ kind: 'write', value: p, api: callee }, n, args[0]);
        return;
      }
    }
    // X.listen(port[, host]) on a server made by createServer
    if (n.callee.type === 'MemberExpression' && !n.callee.computed && n.callee.property.name === 'listen' && madeByCreateServer(n.callee.object, scope)) {
      const port = valueOf(args[0]);
      const hostArg = args[1] && args[1].type !== 'ArrowFunctionExpression' && args[1].type !== 'FunctionExpression' ? valueOf(args[1]) : '0.0.0.0';
      emit({ kind: 'net', value: port !== undefined && hostArg !== undefined ? `${hostArg}:${port}` : undefined, api: 'server.listen' }, n, args[0]);
    }
  });
}

/** Notes `n` in `found` if it is a node FoundNodes keeps. */
function record(found: FoundNodes, n: Node): void {
  if (n.type === 'CallExpression') {
    found.calls.push(n);
    if (n.callee.type === 'Identifier') {
      const list = found.callsOf.get(n.callee.name);
      if (list) list.push(n);
      else found.callsOf.set(n.callee.name, [n]);
    }
  } else if (n.type === 'AssignmentExpression' && n.left.type === 'MemberExpression' && n.left.object.type === 'Identifier') found.memberAssigned.add(n.left.object.name);
}

/** The module's found nodes (collectDeclarations), found now if it did not run. */
function foundIn(facts: ModuleFacts): FoundNodes {
  if (!facts.found) {
    const found: FoundNodes = { calls: [], callsOf: new Map(), memberAssigned: new Set() };
    walk(facts.program, (n) => record(found, n));
    facts.found = found;
  }
  return facts.found;
}

function madeByCreateServer(node: Node, scope: FoldScope): boolean {
  const init = node?.type === 'Identifier' ? scope.constInit(node.name) : node;
  return init?.type === 'CallExpression' && /^node:(http|https|net)\.createServer$/.test(calleeName(init.callee, scope) ?? '');
}

function propName(p: Node): string | undefined {
  if (p?.type !== 'Property' || p.computed) return undefined;
  return p.key.type === 'Identifier' ? p.key.name : typeof p.key.value === 'string' ? p.key.value : undefined;
}

function objectProp(obj: Node, name: string): Node | undefined {
  if (obj?.type !== 'ObjectExpression') return undefined;
  const p = obj.properties.find((x: Node) => propName(x) === name);
  return p ? (p.shorthand ? p.key : p.value) : undefined;
}

function objectKeys(obj: Node, name: string): string[] | undefined {
  const v = objectProp(obj, name);
  if (v?.type !== 'ObjectExpression') return undefined;
  return v.properties.map(propName).filter((x: string | undefined): x is string => !!x);
}

/** `host:port` as Deno checks a URL (the scheme's default port written out), or the path of a file URL. */
export function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol === 'file:') return undefined;
    const port = u.port || ({ 'https:': '443', 'http:': '80', 'wss:': '443', 'ws:': '80' } as Record<string, string>)[u.protocol];
    return port ? `${u.hostname}:${port}` : u.hostname;
  } catch {
    return undefined;
  }
}

function dependsOnParams(valueNode: Node, fn: Node): boolean {
  const params = new Set<string>();
  for (const p of fn.params ?? []) {
    const id = p.type === 'AssignmentPattern' ? p.left : p;
    if (id?.type === 'Identifier') params.add(id.name);
  }
  let hit = false;
  walk(valueNode, (n) => {
    if (n.type === 'Identifier' && params.has(n.name)) hit = true;
  });
  return hit;
}

interface WrapperSite {
  name: string;
  span: Span;
  text: string;
  params: Map<string, () => string | undefined>;
}

/** Calls of a wrapper function in its own module and in the modules that import it. */
function wrapperCalls(facts: ModuleFacts, graph: GraphLookup, name: string, fn: Node): WrapperSite[] {
  const out: WrapperSite[] = [];
  const names: string[] = (fn.params ?? []).map((p: Node) => (p.type === 'AssignmentPattern' ? p.left?.name : p.name));
  const scan = (mod: ModuleFacts, local: string) => {
    const scope = foldScope(mod, graph);
    for (const n of foundIn(mod).callsOf.get(local) ?? []) {
      const params = new Map<string, () => string | undefined>();
      names.forEach((p, i) => {
        if (p) params.set(p, () => (n.arguments[i] ? fold(n.arguments[i], scope) : undefined));
      });
      out.push({ name, span: mod.index.span(n.start, n.end), text: short(mod.text.slice(n.start, n.end)), params });
    }
  };
  scan(facts, name);
  const exported = [...facts.exports].find(([, local]) => local === name)?.[0];
  if (exported) {
    for (const other of graph.importersOf(facts.path)) {
      for (const imp of other.imports) for (const [local, imported] of imp.names) if (imported === exported && graph.resolveImport(other.path, local)) {
        const r = graph.resolveImport(other.path, local);
        if (r && 'module' in r && r.module === facts.path) scan(other, local);
      }
    }
  }
  return out;
}

