/**
 * PM2 ecosystem files (`ecosystem.config.{js,cjs,mjs,json}`, `ecosystem*.json`): each entry of
 * `apps` becomes the command PM2 starts — `interpreter` (`node` for JavaScript when unset, the
 * script itself with `interpreter: "none"` or a binary), `interpreter_args` / `node_args`, the
 * `script`, then `args` — with `cwd` and `env` (NODE_OPTIONS reaches node).
 *
 * A JavaScript ecosystem file is read as a static object literal with the TypeScript reader
 * (oxc-parser, loaded on first use): `module.exports = {…}`, `export default {…}`, or a `const`
 * holding the object. Nothing is evaluated; a value that is not a literal is an unknown word.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { Node as JsonNode } from 'jsonc-parser';
import type { ContextKind, EnvSetting, Origin, Span, Token } from '../model.js';
import { splitEnvString } from '../shell/index.js';
import { MappedText } from '../text.js';
import { addArgv } from './commands.js';
import { parseJsonc, props } from './deno-json.js';
import { dirOf, joinPath, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

const JS_SCRIPT = /\.(c|m)?js$/;
const SHELL_SCRIPT = /\.(sh|bash)$/;

/** One value of an app entry, whatever the file's syntax: a string with its text, a list, or something not static. */
type Value = { kind: 'string'; text: MappedText; span: Span } | { kind: 'list'; items: Value[]; span: Span } | { kind: 'other'; span: Span; raw: string };
type App = Map<string, { key: Span; value: Value }>;

export const pm2Source: Source = {
  ...head('pm2'),
  async parse(file: SourceFile, ctx: ScanContext): Promise<void> {
    const apps = file.path.endsWith('.json') ? jsonApps(file, ctx) : await jsApps(file, ctx);
    const kind = ctx.contextFor(file.path, 'deployment');
    apps.forEach((app, k) => runApp(file, ctx, app, k, kind));
  },
};

function runApp(file: SourceFile, ctx: ScanContext, app: App, k: number, kind: ContextKind): void {
  const str = (key: string) => {
    const v = app.get(key)?.value;
    return v?.kind === 'string' ? v : undefined;
  };
  const words = (key: string): Token[] => {
    const v = app.get(key)?.value;
    if (!v) return [];
    if (v.kind === 'string') return splitEnvString(v.text);
    if (v.kind === 'list') return v.items.flatMap((i) => (i.kind === 'string' ? [{ value: i.text.text, span: i.span }] : [unknown(i)]));
    return [unknown(v)];
  };
  const script = app.get('script')?.value;
  if (!script) return;
  const name = str('name')?.text.text ?? `app ${k + 1}`;
  const cwdText = str('cwd')?.text.text;
  const cwd = cwdText && !cwdText.startsWith('/') ? joinPath(dirOf(file.path), cwdText) : dirOf(file.path);
  const scriptTok: Token = script.kind === 'string' ? { value: script.text.text, span: script.span } : unknown(script);
  const interpreter = str('interpreter') ?? str('exec_interpreter');
  const interpreterArgs = [...words('interpreter_args'), ...words('node_args')];
  let argv: Token[];
  if (interpreter && interpreter.text.text !== 'none') argv = [{ value: interpreter.text.text, span: interpreter.span }, ...interpreterArgs, scriptTok, ...words('args')];
  else if (!interpreter && JS_SCRIPT.test(scriptTok.value)) argv = [{ value: 'node', span: scriptTok.span }, ...interpreterArgs, scriptTok, ...words('args')];
  else if (!interpreter && SHELL_SCRIPT.test(scriptTok.value)) argv = [{ value: 'bash', span: scriptTok.span }, scriptTok, ...words('args')];
  else argv = [scriptTok, ...words('args')]; // a binary (`script: "deno"`), or interpreter "none"
  const origin: Origin = { file: file.path, span: app.get('script')!.key, source: 'pm2', name };
  const context = { kind, cwd };
  const env: EnvSetting[] = [];
  const envValue = app.get('env')?.value;
  if (envValue?.kind === 'list') {
    // `env` is read as a list of `NAME=value` pairs (see entries())
    for (const item of envValue.items) {
      if (item.kind !== 'string') continue;
      const eq = item.text.text.indexOf('=');
      const value = item.text.slice(eq + 1, item.text.text.length);
      env.push({ name: item.text.text.slice(0, eq), value: { value: value.text, span: value.span(0, value.text.length) }, span: item.span, origin, context });
    }
  }
  ctx.model.env.push(...env);
  addArgv(argv, { origin, context, id: `${file.path}#app:${name}`, ...(env.length ? { inheritedEnv: env } : {}) }, ctx);
}

function unknown(v: Value): Token {
  return { value: v.kind === 'other' ? v.raw : '…', span: v.span, dynamic: [{ kind: 'pm2-computed' }] };
}

// ---- JSON ecosystem files

function jsonApps(file: SourceFile, ctx: ScanContext): App[] {
  const { root, errors } = parseJsonc(file);
  for (const e of errors.slice(0, 1)) ctx.model.problems.push({ file: file.path, ...e, source: 'pm2' });
  if (!root || errors.length) return [];
  const appsNode = root.type === 'array' ? root : props(root).find(([n]) => n === 'apps')?.[2];
  if (!appsNode || appsNode.type !== 'array') return [];
  const span = (n: JsonNode) => file.index.span(n.offset, n.offset + n.length);
  const value = (n: JsonNode): Value => {
    if (n.type === 'string') {
      const text = MappedText.jsonString(file.index, n.offset, n.length);
      return { kind: 'string', text, span: text.span(0, text.text.length) };
    }
    if (n.type === 'array') return { kind: 'list', items: (n.children ?? []).map(value), span: span(n) };
    return { kind: 'other', span: span(n), raw: file.text.slice(n.offset, n.offset + n.length) };
  };
  return (appsNode.children ?? [])
    .filter((a) => a.type === 'object')
    .map((a) => {
      const app: App = new Map();
      for (const [key, k, v] of props(a)) {
        if (key === 'env' && v.type === 'object') {
          const items: Value[] = [];
          for (const [name, , ev] of props(v)) {
            if (ev.type !== 'string') continue;
            const t = MappedText.jsonString(file.index, ev.offset, ev.length);
            items.push({ kind: 'string', text: prefixed(name, t), span: span(ev.parent!) });
          }
          app.set(key, { key: span(k), value: { kind: 'list', items, span: span(v) } });
        } else app.set(key, { key: span(k), value: value(v) });
      }
      return app;
    });
}

/** `NAME=` in front of a value's mapped text (the name has no position of its own). */
function prefixed(name: string, t: MappedText): MappedText {
  const at = t.fileOffset(0);
  const offsets = [...Array.from({ length: name.length + 1 }, () => at), ...Array.from({ length: t.text.length + 1 }, (_, i) => t.fileOffset(i))];
  return new MappedText(`${name}=${t.text}`, offsets, t.index);
}

// ---- JavaScript ecosystem files (a static object literal; never evaluated)

async function jsApps(file: SourceFile, ctx: ScanContext): Promise<App[]> {
  if (!/\bapps\b/.test(file.text)) return [];
  const { parseTypescript } = await import('./typescript/parser.js');
  const parsed = await parseTypescript(file.path, file.text);
  if ('error' in parsed) {
    const { offset, ...failure } = parsed.error;
    ctx.model.problems.push({ file: file.path, span: file.index.span(offset, offset), ...(failure.code === 'ts-nesting-budget' ? { code: failure.code, limit: failure.limit } : failure), source: 'pm2' });
    return [];
  }
  const program = parsed.program;
  const consts = new Map<string, TSESTree.Expression>();
  let exported: TSESTree.Node | undefined;
  for (const st of program.body) {
    if (st.type === 'VariableDeclaration') {
      for (const d of st.declarations) if (d.id.type === 'Identifier' && d.init) consts.set(d.id.name, d.init);
    } else if (st.type === 'ExportDefaultDeclaration') exported = st.declaration;
    else if (st.type === 'ExpressionStatement' && st.expression.type === 'AssignmentExpression') {
      const l = st.expression.left;
      if (l.type === 'MemberExpression' && l.object.type === 'Identifier' && l.object.name === 'module' && !l.computed && l.property.type === 'Identifier' && l.property.name === 'exports') exported = st.expression.right;
    }
  }
  const deref = (n: TSESTree.Node | undefined, depth = 0): TSESTree.Node | undefined => {
    if (!n || depth > 8) return n;
    if (n.type === 'Identifier' && consts.has(n.name)) return deref(consts.get(n.name), depth + 1);
    if (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression') return deref(n.expression, depth + 1);
    return n;
  };
  const root = deref(exported);
  if (!root || root.type !== 'ObjectExpression') return [];
  const appsNode = deref(objectProps(root).get('apps')?.value);
  if (!appsNode || appsNode.type !== 'ArrayExpression') return [];
  const span = (n: TSESTree.Node) => file.index.span(n.range[0], n.range[1]);
  const value = (n0: TSESTree.Node, depth = 0): Value => {
    const n = deref(n0);
    if (!n || depth > 8) return { kind: 'other', span: span(n0), raw: file.text.slice(n0.range[0], n0.range[1]) };
    if (n.type === 'Literal' && typeof n.value === 'string') {
      const text = jsString(file, n.range[0], n.range[1], n.value);
      return { kind: 'string', text, span: text.span(0, text.text.length) };
    }
    if (n.type === 'TemplateLiteral' && n.expressions.length === 0) {
      const q = n.quasis[0]!;
      const text = MappedText.verbatim(file.index, n.range[0] + 1, n.range[1] - 1);
      return text.text === q.value.cooked ? { kind: 'string', text, span: text.span(0, text.text.length) } : { kind: 'other', span: span(n), raw: file.text.slice(n.range[0], n.range[1]) };
    }
    if (n.type === 'ArrayExpression') return { kind: 'list', items: n.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== 'SpreadElement').map((e) => value(e, depth + 1)), span: span(n) };
    return { kind: 'other', span: span(n0), raw: file.text.slice(n0.range[0], n0.range[1]) };
  };
  const apps: App[] = [];
  for (const el of appsNode.elements) {
    const a = deref(el ?? undefined);
    if (!a || a.type !== 'ObjectExpression') continue;
    const app: App = new Map();
    for (const [key, p] of objectProps(a)) {
      const v = deref(p.value);
      if (key === 'env' && v?.type === 'ObjectExpression') {
        const items: Value[] = [];
        for (const [name, ep] of objectProps(v)) {
          const ev = value(ep.value);
          if (ev.kind === 'string') items.push({ kind: 'string', text: prefixed(name, ev.text), span: span(ep) });
        }
        app.set(key, { key: span(p.key), value: { kind: 'list', items, span: span(v) } });
      } else app.set(key, { key: span(p.key), value: value(p.value) });
    }
    apps.push(app);
  }
  return apps;
}

function objectProps(o: TSESTree.ObjectExpression): Map<string, TSESTree.Property> {
  const out = new Map<string, TSESTree.Property>();
  for (const p of o.properties) {
    if (p.type !== 'Property' || p.computed) continue;
    const key = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined;
    if (key !== undefined) out.set(key, p);
  }
  return out;
}

/** A JavaScript string literal's value mapped onto the file: exact when written without escapes. */
function jsString(file: SourceFile, start: number, end: number, value: string): MappedText {
  const inner = MappedText.verbatim(file.index, start + 1, end - 1);
  if (inner.text === value) return inner;
  if (file.text[start] === '"') {
    const m = MappedText.jsonString(file.index, start, end - start);
    if (m.text === value) return m;
  }
  // escapes we do not map one by one: every character falls inside the literal
  const offsets = Array.from({ length: value.length + 1 }, (_, i) => Math.min(start + 1 + i, end - 1));
  return new MappedText(value, offsets, file.index);
}
