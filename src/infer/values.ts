/**
 * Constant folding of the values that reach permission-checked APIs: literals, templates,
 * `+`, consts (also across modules), `path.join`/`resolve`, `new URL(x, import.meta.url)`,
 * `import.meta.dirname`/`filename`/`url`, `fromFileUrl`, `Deno.cwd()`, and parameters of
 * small wrapper functions when the call site is known. Anything else is `undefined`: the
 * value cannot be known without running the program.
 *
 * Paths that depend on where a module lives are written with the repository marker
 * `/@repo/<repo path>` (and URLs as `file:///@repo/<repo path>`); the caller turns them into
 * paths relative to the invocation's working directory.
 */
import { posix } from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Node = any;

export const REPO = '/@repo/';
export const REPO_URL = 'file:///@repo/';

/** What the folder needs to know about names: the module's own bindings and its imports. */
export interface FoldScope {
  /** Repo-relative path of the module. */
  module: string;
  /** A const declared once in the module, by name. */
  constInit(name: string): Node | undefined;
  /** What an imported name stands for: a builtin (`node:path.join`) or a const of another module (folded there). */
  imported(name: string): { builtin: string } | { value: string | undefined } | undefined;
  /** Parameters bound at a wrapper function's call site. */
  params?: Map<string, () => string | undefined>;
}

const MAX_DEPTH = 24;

export function fold(node: Node, scope: FoldScope, depth = 0): string | undefined {
  if (!node || depth > MAX_DEPTH) return undefined;
  switch (node.type) {
    case 'Literal':
      return typeof node.value === 'string' || typeof node.value === 'number' ? String(node.value) : undefined;
    case 'TemplateLiteral': {
      let out = '';
      for (let i = 0; i < node.quasis.length; i++) {
        out += node.quasis[i].value.cooked ?? node.quasis[i].value.raw;
        if (i < node.expressions.length) {
          const v = fold(node.expressions[i], scope, depth + 1);
          if (v === undefined) return undefined;
          out += v;
        }
      }
      return out;
    }
    case 'BinaryExpression': {
      if (node.operator !== '+') return undefined;
      const a = fold(node.left, scope, depth + 1);
      const b = a === undefined ? undefined : fold(node.right, scope, depth + 1);
      return a === undefined || b === undefined ? undefined : a + b;
    }
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
      return fold(node.expression, scope, depth + 1);
    case 'Identifier': {
      const p = scope.params?.get(node.name);
      if (p) return p();
      if (scope.params?.has(node.name)) return undefined;
      const init = scope.constInit(node.name);
      if (init) return fold(init, scope, depth + 1);
      const imp = scope.imported(node.name);
      if (imp && 'value' in imp) return imp.value;
      // CommonJS module wrapper variables (unless the module declares its own)
      if (node.name === '__dirname' && !scope.params?.has('__dirname')) return REPO + posix.dirname(scope.module);
      if (node.name === '__filename' && !scope.params?.has('__filename')) return REPO + scope.module;
      return undefined;
    }
    case 'MetaProperty':
      return undefined;
    case 'MemberExpression': {
      const path = memberPath(node);
      if (path === 'import.meta.url') return REPO_URL + scope.module;
      if (path === 'import.meta.dirname') return REPO + posix.dirname(scope.module);
      if (path === 'import.meta.filename') return REPO + scope.module;
      // new URL(…).pathname / .href
      if (!node.computed && (node.property.name === 'pathname' || node.property.name === 'href')) {
        const u = fold(node.object, scope, depth + 1);
        if (u?.startsWith('file://')) return node.property.name === 'href' ? u : decodeURIComponent(u.slice('file://'.length));
        return node.property.name === 'href' ? u : undefined;
      }
      return undefined;
    }
    case 'NewExpression': {
      if (node.callee.type === 'Identifier' && node.callee.name === 'URL') {
        const rel = fold(node.arguments[0], scope, depth + 1);
        if (rel === undefined) return undefined;
        if (!node.arguments[1]) return /^[a-z][a-z0-9+.-]*:/i.test(rel) ? rel : undefined;
        const base = fold(node.arguments[1], scope, depth + 1);
        if (base === undefined) return undefined;
        try {
          return new URL(rel, base).href;
        } catch {
          return undefined;
        }
      }
      return undefined;
    }
    case 'CallExpression': {
      const callee = calleeName(node.callee, scope);
      if (!callee) return undefined;
      const args = (): (string | undefined)[] => node.arguments.map((a: Node) => fold(a, scope, depth + 1));
      if (callee === 'Deno.cwd' || callee === 'process.cwd') return '.';
      if (/(^|\.)(join|resolve|normalize)$/.test(callee) && /^(node:path|@std\/path|jsr:@std\/path)/.test(callee)) {
        const a = args();
        if (a.some((x) => x === undefined) || a.length === 0) return undefined;
        const parts = a as string[];
        if (callee.endsWith('resolve')) {
          // resolve: the last absolute part wins; relative parts stay relative to the working directory
          let i = parts.length - 1;
          while (i > 0 && !parts[i]!.startsWith('/')) i--;
          return posix.normalize(posix.join(...parts.slice(i)));
        }
        return callee.endsWith('normalize') ? posix.normalize(parts[0]!) : posix.join(...parts);
      }
      if (/(^|\.)(dirname)$/.test(callee) && /^(node:path|@std\/path|jsr:@std\/path)/.test(callee)) {
        const a = fold(node.arguments[0], scope, depth + 1);
        return a === undefined ? undefined : posix.dirname(a);
      }
      if (/(^|\.)(fromFileUrl|fileURLToPath)$/.test(callee)) {
        const u = fold(node.arguments[0], scope, depth + 1);
        return u?.startsWith('file://') ? decodeURIComponent(u.slice('file://'.length)) : undefined;
      }
      if (callee === 'String') return fold(node.arguments[0], scope, depth + 1);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `a.b.c` for a chain of non-computed members (and `import.meta`); undefined otherwise. */
export function memberPath(node: Node): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MetaProperty') return `${node.meta.name}.${node.property.name}`;
  if (node.type === 'ThisExpression') return 'this';
  if (node.type === 'ParenthesizedExpression' || node.type === 'TSNonNullExpression' || node.type === 'TSAsExpression') return memberPath(node.expression);
  if (node.type === 'MemberExpression') {
    const o = memberPath(node.object);
    if (o === undefined) return undefined;
    if (!node.computed) return `${o}.${node.property.name}`;
    if (node.property.type === 'Literal' && typeof node.property.value === 'string') return `${o}.${node.property.value}`;
    return undefined;
  }
  return undefined;
}

/** The canonical name of a callee: `Deno.readTextFile`, `node:fs.readFileSync` (through imports), `fetch`. */
export function calleeName(callee: Node, scope: FoldScope): string | undefined {
  const path = memberPath(callee);
  if (!path) return undefined;
  const dot = path.indexOf('.');
  const head = dot < 0 ? path : path.slice(0, dot);
  const imp = scope.imported(head);
  if (imp && 'builtin' in imp) return imp.builtin + (dot < 0 ? '' : path.slice(dot));
  if (head === 'globalThis' || head === 'window' || head === 'self') return path.slice(dot + 1) || undefined;
  return path;
}
