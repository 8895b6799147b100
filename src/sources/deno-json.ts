/**
 * deno.json / deno.jsonc: tasks (string and object forms), permission sets, test/bench/compile
 * permissions, lock, allowScripts, workspace. Parsed with jsonc-parser (comments, trailing
 * commas, BOM), every key and value with its span.
 */
import { parseTree, findNodeAtLocation, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { Declaration, DenoConfigFacts, GrammarDiagnostic, PermKind, PermissionGrant, ProblemFacts, Span } from '../model.js';
import { DENO_KINDS } from '../model.js';
import { combineDeno, diag, validateDenoValue, valueErrorCode } from '../grammar/permissions.js';
import { MappedText } from '../text.js';
import { addShellText } from './commands.js';
import { dirOf, origin, type ScanContext, type SourceFile } from './types.js';
import { jsonTooDeep } from './nesting.js';
import { head } from './registry.js';

const SET_KEYS = new Set<string>(['all', ...DENO_KINDS]);
const IGNORE_KINDS = new Set<PermKind>(['read', 'env']);

export interface ParsedJson {
  root: JsonNode | undefined;
  /** What the parser refused (worded by the parse-error rule). */
  errors: (ProblemFacts & { span: Span })[];
}

/** Parse JSON with comments and trailing commas; a BOM is kept out of the parser but not out of the offsets. */
/** Deeper nesting than this is refused before parsing (the parser recurses per level). */
export const MAX_JSON_DEPTH = 200;

/** Parses per file and mode, so the phases and passes that read a file share one parse. */
const parsed = new WeakMap<SourceFile, Map<boolean, ParsedJson>>();

/** `strict`: plain JSON as npm reads it (no comments, no trailing commas). Parsed once per file. */
export function parseJsonc(file: SourceFile, strict = false): ParsedJson {
  let byMode = parsed.get(file);
  if (!byMode) parsed.set(file, (byMode = new Map()));
  const have = byMode.get(strict);
  if (have) return have;
  const result = parseJsoncText(file, strict);
  byMode.set(strict, result);
  return result;
}

function parseJsoncText(file: SourceFile, strict: boolean): ParsedJson {
  const text = file.text.charCodeAt(0) === 0xfeff ? ` ${file.text.slice(1)}` : file.text;
  const deep = jsonTooDeep(text, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    return { root: undefined, errors: [{ span: file.index.span(deep, deep + 1), code: 'nesting-budget', format: 'json', limit: MAX_JSON_DEPTH }] };
  }
  const errs: ParseError[] = [];
  const root = parseTree(text, errs, { allowTrailingComma: !strict, disallowComments: strict });
  return {
    root,
    errors: errs.map((e) => ({ span: file.index.span(e.offset, e.offset + Math.max(1, e.length)), code: 'json-syntax' as const, detail: printParseErrorCode(e.error) })),
  };
}

export function spanOf(file: SourceFile, n: JsonNode): Span {
  return file.index.span(n.offset, n.offset + n.length);
}

export function keyNode(n: JsonNode): JsonNode | undefined {
  return n.parent?.type === 'property' ? n.parent.children?.[0] : undefined;
}

export function props(n: JsonNode | undefined): [string, JsonNode, JsonNode][] {
  if (!n || n.type !== 'object') return [];
  return (n.children ?? []).flatMap((p) => {
    const [k, v] = p.children ?? [];
    return k && v && typeof k.value === 'string' ? [[k.value as string, k, v] as [string, JsonNode, JsonNode]] : [];
  });
}

export function text(file: SourceFile, n: JsonNode): string {
  return file.index.text.slice(n.offset, n.offset + n.length);
}

/** Parse a permission set object (deno.json "permissions" entry or inline test/bench/compile permissions). */
export function parsePermissionSet(
  file: SourceFile,
  setNode: JsonNode,
): { grants: PermissionGrant[]; allowAll?: { span: Span; text: string }; diagnostics: GrammarDiagnostic[] } {
  const grants: PermissionGrant[] = [];
  const diagnostics: GrammarDiagnostic[] = [];
  let allowAll: { span: Span; text: string } | undefined;
  if (setNode.type !== 'object') {
    diagnostics.push(diag('empty-value', { w: 'deno-set-not-object' }, spanOf(file, setNode)));
    return { grants, diagnostics };
  }
  for (const [key, k, v] of props(setNode)) {
    const propSpan = file.index.span(k.offset, v.offset + v.length);
    if (!SET_KEYS.has(key)) {
      diagnostics.push(diag('unknown-flag', { w: 'deno-set-unknown-field', field: key, expected: [...SET_KEYS] }, spanOf(file, k)));
      continue;
    }
    if (key === 'all') {
      if (v.type !== 'boolean') diagnostics.push(diag('empty-value', { w: 'deno-set-all-not-boolean' }, spanOf(file, v)));
      else if (v.value === true) allowAll = { span: propSpan, text: text(file, k.parent!) };
      continue;
    }
    const kind = key as PermKind;
    const addValue = (mode: 'allow' | 'deny' | 'ignore', val: JsonNode, spanNode: JsonNode) => {
      const span = file.index.span(spanNode.offset, val.offset + val.length);
      const t = text(file, spanNode.parent ?? spanNode);
      if (val.type === 'boolean') {
        grants.push({ kind, mode, scope: val.value ? 'all' : [], span, text: t, via: 'config' });
      } else if (val.type === 'array') {
        const scope = (val.children ?? []).flatMap((c) => {
          if (c.type !== 'string') {
            diagnostics.push(diag('empty-value', { w: 'deno-set-entry-not-string', key }, spanOf(file, c), kind));
            return [];
          }
          const err = validateDenoValue(kind, c.value as string, false, mode);
          if (err) diagnostics.push(diag(valueErrorCode(kind, c.value as string), err, spanOf(file, c), kind));
          return [{ value: c.value as string, span: file.index.span(c.offset + 1, c.offset + c.length - 1) }];
        });
        grants.push({ kind, mode, scope, span, text: t, via: 'config' });
      } else if (val.type === 'string') {
        diagnostics.push(
          diag('empty-value', { w: 'deno-set-plain-string', key, text: text(file, val), value: val.value as string }, spanOf(file, val), kind),
        );
      } else {
        diagnostics.push(diag('empty-value', { w: 'deno-set-bad-value', key }, spanOf(file, val), kind));
      }
    };
    if (v.type === 'object') {
      for (const [mode, mk, mv] of props(v)) {
        if (mode !== 'allow' && mode !== 'deny' && mode !== 'ignore') {
          diagnostics.push(diag('unknown-flag', { w: 'deno-set-unknown-mode', key, mode }, spanOf(file, mk), kind));
          continue;
        }
        if (mode === 'ignore' && !IGNORE_KINDS.has(kind)) {
          diagnostics.push(diag('unknown-flag', { w: 'deno-set-ignore-kind', key }, spanOf(file, mk), kind));
          continue;
        }
        addValue(mode, mv, mk);
      }
    } else addValue('allow', v, k);
  }
  return allowAll ? { grants, allowAll, diagnostics } : { grants, diagnostics };
}

export const denoJsonSource = {
  ...head('deno.json'),
  /** Phase one: configuration facts and declarations (before any command line is analysed). */
  parseConfig(file: SourceFile, ctx: ScanContext): DenoConfigFacts | undefined {
    const { root, errors } = parseJsonc(file);
    for (const e of errors.slice(0, 1)) ctx.model.problems.push({ file: file.path, ...e, source: 'deno.json' });
    if (!root || errors.length > 0) return undefined;
    if (root.type !== 'object') {
      ctx.model.problems.push({ file: file.path, span: spanOf(file, root), code: 'deno-json-not-object', source: 'deno.json' });
      return undefined;
    }
    const dir = dirOf(file.path);
    const facts: DenoConfigFacts = { file: file.path, dir, isWorkspaceRoot: !!findNodeAtLocation(root, ['workspace']), tasks: [], permissionSets: [] };

    const lock = findNodeAtLocation(root, ['lock']);
    if (lock) {
      const span = file.index.span(keyNode(lock)!.offset, lock.offset + lock.length);
      const t = text(file, lock.parent!);
      if (lock.type === 'boolean') facts.lock = { value: lock.value ? 'true' : 'false', span, text: t };
      else if (lock.type === 'string') facts.lock = { value: 'path', span, text: t };
      else if (lock.type === 'object') {
        const frozen = findNodeAtLocation(lock, ['frozen']);
        facts.lock = frozen?.type === 'boolean' ? { value: 'object', frozen: frozen.value as boolean, span, text: t } : { value: 'object', span, text: t };
      }
    }
    const scripts = findNodeAtLocation(root, ['allowScripts']);
    if (scripts) {
      const span = file.index.span(keyNode(scripts)!.offset, scripts.offset + scripts.length);
      const allow = scripts.type === 'object' ? findNodeAtLocation(scripts, ['allow']) : scripts;
      facts.allowScripts = { all: allow?.type === 'boolean' && allow.value === true, span, text: text(file, scripts.parent!) };
    }

    const perms = findNodeAtLocation(root, ['permissions']);
    for (const [name, k, v] of props(perms)) {
      facts.permissionSets.push(name);
      ctx.model.declarations.push(declaration(file, ctx, 'permission-set', name, k, v));
    }
    for (const sub of ['test', 'bench', 'compile'] as const) {
      const p = findNodeAtLocation(root, [sub, 'permissions']);
      if (p && p.type === 'object') ctx.model.declarations.push(declaration(file, ctx, `${sub}-permissions`, sub, keyNode(p)!, p));
    }
    for (const [name] of props(findNodeAtLocation(root, ['tasks']))) facts.tasks.push(name);
    ctx.model.denoConfigs.push(facts);
    return facts;
  },

  /** Phase two: task command lines. */
  parse(file: SourceFile, ctx: ScanContext): void {
    const { root, errors } = parseJsonc(file);
    if (!root || errors.length > 0 || root.type !== 'object') return;
    const dir = dirOf(file.path);
    for (const [name, k, v] of props(findNodeAtLocation(root, ['tasks']))) {
      const cmd = v.type === 'object' ? findNodeAtLocation(v, ['command']) : v;
      if (!cmd || cmd.type !== 'string') continue;
      const site = origin(file, file.index.span(k.offset, v.offset + v.length), 'deno.json', name);
      const kind = ctx.contextFor(file.path, 'development');
      addShellText(MappedText.jsonString(file.index, cmd.offset, cmd.length), { origin: site, context: { kind, cwd: dir }, id: `${file.path}#task:${name}`, shell: { dialect: 'deno-task' } }, ctx);
    }
  },
};

function declaration(file: SourceFile, ctx: ScanContext, type: Declaration['declaration'], name: string, k: JsonNode, v: JsonNode): Declaration {
  const set = parsePermissionSet(file, v);
  const effective = combineDeno(set.grants, false);
  if (set.allowAll) {
    const own = new Set(set.grants.map((g) => g.kind));
    for (const kind of DENO_KINDS) if (!own.has(kind)) effective[kind].allow = 'all';
  }
  const natural = type === 'test-permissions' || type === 'bench-permissions' ? 'test' : type === 'compile-permissions' ? 'deployment' : 'development';
  const d: Declaration = {
    type: 'declaration',
    id: `${file.path}#${type}:${name}`,
    declaration: type,
    name,
    runtime: 'deno',
    span: spanOf(file, k),
    permissions: set.grants,
    effective,
    diagnostics: set.diagnostics,
    origin: origin(file, file.index.span(k.offset, v.offset + v.length), 'deno.json', name),
    context: { kind: ctx.contextFor(file.path, natural), cwd: dirOf(file.path) },
  };
  if (set.allowAll) d.allowAll = set.allowAll;
  return d;
}
