/**
 * Static values of expressions, with positions: literals, arrays, objects (spreads included),
 * `const` bindings of the same file, environment reads. Anything else is `unknown`, with the
 * text that could not be resolved: never a guess.
 */
import type { TSESTree } from '@typescript-eslint/types';
import type { DynamicReason, Span, TsUnknown } from '../../model.js';
import type { SourceFile } from '../types.js';
import { memberName, unwrapTs, type Resolver } from './resolve.js';

/**
 * Where a node starts and ends: oxc's `start` / `end` (UTF-16 offsets), which every node has; the
 * analysis thread parses without `range` (one array fewer per node, a sixth less JSON).
 */
export const startOf = (n: TSESTree.Node | TSESTree.Token): number => (n as unknown as { start: number }).start;
export const endOf = (n: TSESTree.Node | TSESTree.Token): number => (n as unknown as { end: number }).end;

export interface Ctx {
  file: SourceFile;
  r: Resolver;
  /**
   * The parent of the node being analysed or of one of its ancestors (the tree has no `parent`
   * pointers: ./analyze.ts traverse); undefined for the root or a node off that path.
   */
  parentOf(n: TSESTree.Node): TSESTree.Node | undefined;
}

export interface ObjProp {
  key: string;
  keySpan: Span;
  /** The whole property (`net: true`). */
  span: Span;
  text: string;
  value: Val;
}

export type Val =
  | { t: 'bool'; value: boolean; span: Span; text: string }
  | { t: 'str'; value: string; span: Span; text: string }
  | { t: 'num'; value: number; span: Span; text: string }
  | { t: 'nullish'; span: Span; text: string }
  | { t: 'arr'; items: Val[]; span: Span; text: string }
  | { t: 'obj'; props: Map<string, ObjProp>; span: Span; text: string; partial?: { why: DynamicReason; span: Span; text: string } }
  /** `Deno.env.get("X")`, `process.env.X`. */
  | { t: 'env'; variable?: string; span: Span; text: string }
  /** `template`: a template string's text with each unknown part written as `${…}`. */
  | { t: 'unknown'; why: DynamicReason; span: Span; text: string; template?: string };

export function spanOf(c: Ctx, n: TSESTree.Node): Span {
  return c.file.index.span(startOf(n), endOf(n));
}

export function textOf(c: Ctx, n: TSESTree.Node): string {
  return c.file.text.slice(startOf(n), endOf(n));
}

/** Short text of an expression for messages (first line, at most 60 characters). */
export function shortText(c: Ctx, n: TSESTree.Node): string {
  const t = textOf(c, n).replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

/** The span of a string literal's characters (without quotes) when written without escapes. */
function stringSpan(c: Ctx, n: TSESTree.Node, value: string): Span {
  const raw = textOf(c, n);
  if (raw.length === value.length + 2) return c.file.index.span(startOf(n) + 1, endOf(n) - 1);
  return spanOf(c, n);
}

/** `Deno.env.get("X")` / `process.env.X` / `process.env["X"]` / `process.env` / `Deno.env.toObject()`: the variable read, if any. */
export function envRead(c: Ctx, e: TSESTree.Node): { variable?: string } | undefined {
  const n = unwrapTs(e);
  if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression') {
    const m = n.callee;
    const name = memberName(m);
    if ((name === 'get' || name === 'toObject') && m.object.type === 'MemberExpression' && memberName(m.object) === 'env') {
      const root = m.object.object;
      if (root.type === 'Identifier' && root.name === 'Deno' && !c.r.declares('Deno')) {
        const a = n.arguments[0];
        return a && a.type === 'Literal' && typeof a.value === 'string' ? { variable: a.value } : {};
      }
    }
  }
  if (n.type === 'MemberExpression' && n.object.type === 'MemberExpression' && memberName(n.object) === 'env') {
    const root = n.object.object;
    if (root.type === 'Identifier' && root.name === 'process' && !c.r.declares('process')) {
      const v = memberName(n);
      return v === undefined ? {} : { variable: v };
    }
  }
  if (n.type === 'MemberExpression' && memberName(n) === 'env' && n.object.type === 'Identifier' && n.object.name === 'process' && !c.r.declares('process')) {
    return {}; // the whole environment
  }
  if (n.type === 'LogicalExpression' && (n.operator === '??' || n.operator === '||')) return envRead(c, n.left);
  return undefined;
}

export function evalValue(c: Ctx, e: TSESTree.Node, depth = 0): Val {
  const n = unwrapTs(e);
  const span = spanOf(c, n);
  const text = textOf(c, n);
  const unknown = (what: TsUnknown): Val => ({ t: 'unknown', why: { kind: 'ts', what }, span, text });
  const unknownBecause = (why: DynamicReason): Val => ({ t: 'unknown', why, span, text });
  if (depth > 30) return unknown('nested-too-deeply');
  switch (n.type) {
    case 'Literal':
      if (typeof n.value === 'string') return { t: 'str', value: n.value, span: stringSpan(c, n, n.value), text };
      if (typeof n.value === 'boolean') return { t: 'bool', value: n.value, span, text };
      if (typeof n.value === 'number') return { t: 'num', value: n.value, span, text };
      if (n.value === null) return { t: 'nullish', span, text };
      return unknown('unexpected-literal');
    case 'TemplateLiteral': {
      if (n.expressions.length === 0 && n.quasis[0]?.value.cooked != null) {
        const v = n.quasis[0].value.cooked;
        return { t: 'str', value: v, span: stringSpan(c, n, v), text };
      }
      let template = '';
      n.quasis.forEach((q, i) => {
        template += q.value.cooked ?? q.value.raw;
        const ex = n.expressions[i];
        if (ex) template += `\${${textOf(c, ex).replace(/[{}\s]+/g, ' ').trim()}}`;
      });
      return { t: 'unknown', why: { kind: 'ts', what: 'template' }, span, text, template };
    }
    case 'Identifier': {
      if (n.name === 'undefined' && !c.r.declares('undefined')) return { t: 'nullish', span, text };
      const init = c.r.constInit(n.name);
      if (!init) return unknownBecause(c.r.declares(n.name) ? { kind: 'ts-not-const', name: n.name } : { kind: 'ts-undefined', name: n.name });
      const v = evalValue(c, init, depth + 1);
      return v;
    }
    case 'ArrayExpression': {
      const items: Val[] = [];
      for (const el of n.elements) {
        if (!el) continue;
        if (el.type === 'SpreadElement') {
          const v = evalValue(c, el.argument, depth + 1);
          if (v.t === 'arr') items.push(...v.items);
          else items.push({ t: 'unknown', why: { kind: 'ts', what: 'spread-not-list' }, span: spanOf(c, el), text: textOf(c, el) });
        } else items.push(evalValue(c, el, depth + 1));
      }
      return { t: 'arr', items, span, text };
    }
    case 'ObjectExpression': {
      const props = new Map<string, ObjProp>();
      let partial: { why: DynamicReason; span: Span; text: string } | undefined;
      for (const p of n.properties) {
        if (p.type === 'SpreadElement') {
          const v = evalValue(c, p.argument, depth + 1);
          if (v.t === 'obj') {
            for (const [k, pv] of v.props) props.set(k, pv);
            if (v.partial) partial = v.partial;
          } else if (v.t !== 'nullish') {
            // keys written before an unknown spread may be overwritten by it
            props.clear();
            partial = { why: v.t === 'unknown' ? v.why : { kind: 'ts', what: 'spread-not-object' }, span: spanOf(c, p), text: textOf(c, p) };
          }
          continue;
        }
        const key = propKey(p);
        if (key === undefined) {
          props.clear();
          partial = { why: { kind: 'ts', what: 'computed-key' }, span: spanOf(c, p), text: textOf(c, p) };
          continue;
        }
        const value = p.value.type === 'AssignmentPattern' || p.value.type === 'ObjectPattern' || p.value.type === 'ArrayPattern' || p.value.type === 'TSEmptyBodyFunctionExpression'
          ? unknown('pattern')
          : evalValue(c, p.value, depth + 1);
        props.set(key, { key, keySpan: spanOf(c, p.key), span: spanOf(c, p), text: textOf(c, p), value });
      }
      return partial ? { t: 'obj', props, span, text, partial } : { t: 'obj', props, span, text };
    }
    case 'MemberExpression': {
      const env = envRead(c, n);
      if (env) return { t: 'env', ...env, span, text };
      const key = memberName(n);
      if (key === undefined) return unknown('computed-property');
      const obj = evalValue(c, n.object, depth + 1);
      if (obj.t === 'obj') {
        const p = obj.props.get(key);
        if (p) return p.value;
        return obj.partial ? unknownBecause({ kind: 'ts-may-come-from', key, text: obj.partial.text }) : { t: 'nullish', span, text };
      }
      if (obj.t === 'arr' && /^\d+$/.test(key)) return obj.items[Number(key)] ?? { t: 'nullish', span, text };
      return obj.t === 'unknown' ? { ...obj, span, text } : unknown('property-of-non-object');
    }
    case 'CallExpression': {
      const env = envRead(c, n);
      if (env) return { t: 'env', ...env, span, text };
      return unknown('call-result');
    }
    case 'LogicalExpression': {
      const env = envRead(c, n);
      if (env) return { t: 'env', ...env, span, text };
      return unknown('expression');
    }
    default:
      return unknown('expression');
  }
}

/** The key of a non-computed property (`net`, `"net"`, `1`). */
export function propKey(p: TSESTree.Property): string | undefined {
  if (!p.computed && p.key.type === 'Identifier') return p.key.name;
  if (p.key.type === 'Literal' && (typeof p.key.value === 'string' || typeof p.key.value === 'number')) return String(p.key.value);
  return undefined;
}
