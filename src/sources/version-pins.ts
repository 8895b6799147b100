/**
 * Runtime versions the repository pins: `.nvmrc`, `.node-version`, `.dvmrc`, `.tool-versions`,
 * `mise.toml`, exact `package.json` `engines`, and (through helpers used by the deployment
 * sources) image tags (`node:<tag>`, `denoland/deno:<tag>`) and setup-node / setup-deno inputs.
 *
 * A pin becomes a `RuntimePin` in `model.pins`; whether an advisory affects it is the
 * `vulnerable-runtime` rule's business.
 */
import type { ContextKind, ProblemFacts, Runtime, RuntimePin, SourceKind, Span } from '../model.js';
import { subSpan } from '../text.js';
import { findNodeAtLocation } from 'jsonc-parser';
import { parseJsonc, spanOf } from './deno-json.js';
import type { ScanContext, SourceFile } from './types.js';
import { MAX_NESTING, tomlTooDeep } from './nesting.js';
import { head } from './registry.js';

const LEADING_VERSION = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/i;

/**
 * What a version text stands for: an exact release (`20.3.0`, `v20.3.0`), a floating line
 * (`20`, `20.3`, `20.x`, `^20.1.0`, `~1.40`), or nothing we can check (`lts/*`, `latest`, `canary`).
 */
export function versionSpec(text: string): { version: string; exact: boolean } | undefined {
  const t = text.trim();
  const m = LEADING_VERSION.exec(t);
  if (m) {
    const [, major, minor, patch] = m;
    const fixed = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);
    if (fixed(minor) && fixed(patch)) return { version: `${Number(major)}.${Number(minor)}.${Number(patch)}`, exact: true };
    if (fixed(minor)) return { version: `${Number(major)}.${Number(minor)}`, exact: false };
    return { version: `${Number(major)}`, exact: false };
  }
  // a range written with operators: only plain node-semver ranges of numbers
  if (/^[\^~]v?\d+(\.\d+){0,2}$/.test(t)) return { version: t.replace('v', ''), exact: false };
  return undefined;
}

/** The runtime an image reference runs (`node:22-alpine`, `docker.io/library/node:20`, `denoland/deno:alpine-2.1.4`). */
export function parseImage(image: string): { runtime: Runtime; tag?: string; tagOffset: number; repo: string } | undefined {
  let ref = image.trim();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  const name = hasTag ? ref.slice(0, colon) : ref;
  const tag = hasTag ? ref.slice(colon + 1) : undefined;
  let parts = name.split('/');
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) parts = parts.slice(1);
  const repo = parts.join('/');
  const offset = image.indexOf(ref) + colon + 1;
  if (repo === 'node' || repo === 'library/node') return tag === undefined ? { runtime: 'node', tagOffset: offset, repo } : { runtime: 'node', tag, tagOffset: offset, repo };
  if (repo === 'denoland/deno' || repo === 'deno') return tag === undefined ? { runtime: 'deno', tagOffset: offset, repo } : { runtime: 'deno', tag, tagOffset: offset, repo };
  return undefined;
}

/** The version part of an image tag: `20.3.0-bookworm-slim` → `20.3.0`, `alpine-2.1.4` → `2.1.4`; `lts`, `latest` → undefined. */
export function tagVersion(tag: string): { text: string; start: number } | undefined {
  const pieces = tag.split('-');
  let pos = 0;
  for (const p of pieces) {
    if (LEADING_VERSION.test(p)) return { text: p, start: pos };
    pos += p.length + 1;
  }
  return undefined;
}

/** A pin for an image reference written at `span` (the image text, verbatim on one line). */
export function imagePin(image: string, span: Span, source: SourceKind, context: ContextKind): RuntimePin | undefined {
  const img = parseImage(image);
  if (!img?.tag) return undefined;
  const v = tagVersion(img.tag);
  if (!v) return undefined;
  const spec = versionSpec(v.text);
  if (!spec) return undefined;
  const lead = image.length - image.trimStart().length;
  return { runtime: img.runtime, text: image.trim(), version: spec.version, exact: spec.exact, span: subSpan(span, lead, image.trim().length), source, context };
}

export function addPin(ctx: ScanContext, pin: RuntimePin | undefined): RuntimePin | undefined {
  if (!pin) return undefined;
  (ctx.model.pins ??= []).push(pin);
  return pin;
}

const TOOL_NAMES: Record<string, Runtime> = { node: 'node', nodejs: 'node', deno: 'deno' };

/** `.nvmrc`, `.node-version`, `.dvmrc`, `.tool-versions`, `mise.toml` / `.mise.toml`. */
export const versionPinSource = {
  ...head('version-pin'),
  async parse(file: SourceFile, ctx: ScanContext): Promise<void> {
    const base = file.path.slice(file.path.lastIndexOf('/') + 1).toLowerCase();
    const context = ctx.contextFor(file.path, 'development');
    const text = file.text;
    const start0 = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (base === '.nvmrc' || base === '.node-version' || base === '.dvmrc') {
      // the first non-comment word
      const runtime: Runtime = base === '.dvmrc' ? 'deno' : 'node';
      for (const { line, start } of lines(text, start0)) {
        const hash = line.indexOf('#');
        const body = hash >= 0 ? line.slice(0, hash) : line;
        const word = body.trim();
        if (!word) continue;
        const at = start + body.indexOf(word);
        pinText(ctx, file, runtime, word, at, 'version-pin', context);
        return;
      }
      return;
    }
    if (base === '.tool-versions') {
      for (const { line, start } of lines(text, start0)) {
        const hash = line.indexOf('#');
        const body = hash >= 0 ? line.slice(0, hash) : line;
        const words = [...body.matchAll(/\S+/g)];
        const tool = words[0]?.[0];
        const runtime = tool ? TOOL_NAMES[tool] : undefined;
        const first = words[1];
        if (!runtime || !first) continue;
        pinText(ctx, file, runtime, first[0], start + first.index!, 'version-pin', context);
      }
      return;
    }
    if (base === 'mise.toml' || base === '.mise.toml') {
      const toml = await readTomlTools(start0 ? ` ${text.slice(1)}` : text);
      if ('error' in toml) {
        ctx.model.problems.push({ file: file.path, span: file.index.span(toml.error.at, toml.error.at + 1), ...toml.error.problem, name: base, source: 'version-pin' });
        return;
      }
      for (const t of toml.tools) {
        const runtime = TOOL_NAMES[t.name];
        if (runtime) pinText(ctx, file, runtime, t.value, t.at, 'version-pin', context);
      }
    }
  },
};

function pinText(ctx: ScanContext, file: SourceFile, runtime: Runtime, text: string, at: number, source: SourceKind, context: ContextKind): void {
  const spec = versionSpec(text);
  if (!spec) return;
  addPin(ctx, { runtime, text, version: spec.version, exact: spec.exact, span: file.index.span(at, at + text.length), source, context });
}

function* lines(text: string, from: number): Generator<{ line: string; start: number }> {
  let start = from;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    yield { line, start };
    start = end + 1;
  }
}

/** package.json `engines.node` / `engines.deno` when it names one exact release. */
export function enginesPins(file: SourceFile, ctx: ScanContext): void {
  const { root, errors } = parseJsonc(file, true);
  if (!root || errors.length > 0 || root.type !== 'object') return;
  for (const runtime of ['node', 'deno'] as const) {
    const n = findNodeAtLocation(root, ['engines', runtime]);
    if (!n || n.type !== 'string') continue;
    const value = String(n.value).trim().replace(/^=\s*/, '');
    const spec = versionSpec(value);
    if (!spec?.exact) continue; // only exact pins: `>=20` says nothing about what runs
    const span = spanOf(file, n);
    addPin(ctx, { runtime, text: String(n.value), version: spec.version, exact: true, span: { ...span, column: span.column + 1, endColumn: span.endColumn - 1 }, source: 'package.json', context: ctx.contextFor(file.path, 'development') });
  }
}

type TomlNode = { type: string; range: [number, number]; [k: string]: unknown };

/**
 * The `[tools]` table of a mise.toml — `node = "20.3.0"`, `node = ["20", "18"]` (the first is
 * used), `node = { version = "20" }`, `[tools.node] version = "20"`, `tools.node = "20"` — read
 * with a real TOML parser that keeps positions (toml-eslint-parser, loaded on first use).
 * `at` is the offset of the version text.
 */
export async function readTomlTools(text: string): Promise<{ tools: { name: string; value: string; at: number }[] } | { error: { at: number; problem: Extract<ProblemFacts, { code: 'nesting-budget' | 'toml-syntax' }> } }> {
  // the parser recurses per array and inline table: deeper nesting is refused before it runs
  const deep = tomlTooDeep(text);
  if (deep !== undefined) return { error: { at: deep, problem: { code: 'nesting-budget', format: 'toml', limit: MAX_NESTING } } };
  const { parseTOML } = await import('toml-eslint-parser');
  let ast: { body: { body: TomlNode[] }[] };
  try {
    ast = parseTOML(text) as unknown as typeof ast;
  } catch (e) {
    const err = e as { message: string; index?: number };
    return { error: { at: err.index ?? 0, problem: { code: 'toml-syntax', detail: err.message } } };
  }
  const tools: { name: string; value: string; at: number }[] = [];
  const keyPath = (kv: TomlNode) => (kv.key as { keys: { name?: string; value?: string }[] }).keys.map((k) => String(k.name ?? k.value));
  const firstString = (v: TomlNode | undefined): { value: string; at: number } | undefined => {
    if (!v) return undefined;
    if (v.type === 'TOMLValue' && v.kind === 'string') return { value: String(v.value), at: v.range[0] + (v.multiline ? 3 : 1) };
    if (v.type === 'TOMLArray') return firstString((v.elements as TomlNode[])[0]);
    if (v.type === 'TOMLInlineTable') return firstString((v.body as TomlNode[]).find((kv) => keyPath(kv).join('.') === 'version')?.value as TomlNode | undefined);
    return undefined;
  };
  const visit = (table: string[], kvs: TomlNode[]) => {
    for (const kv of kvs) {
      if (kv.type !== 'TOMLKeyValue') continue;
      const path = [...table, ...keyPath(kv)];
      if (path[0] !== 'tools' || path.length < 2 || (path.length === 3 && path[2] !== 'version') || path.length > 3) continue;
      const v = firstString(kv.value as TomlNode);
      if (v) tools.push({ name: path[1]!, ...v });
    }
  };
  for (const top of ast.body) {
    visit([], top.body.filter((n) => n.type === 'TOMLKeyValue'));
    for (const t of top.body) if (t.type === 'TOMLTable') visit(t.resolvedKey as string[], t.body as TomlNode[]);
  }
  return { tools };
}
