/**
 * TOML for the platform sources (fly.toml, netlify.toml, nixpacks.toml, railway.toml) through
 * toml-eslint-parser (a real parser with ranges, the one mise.toml already uses; loaded on first
 * use): every key-value with its full key path (tables and arrays of tables resolved), and string
 * values as text mapped back to the file.
 */
import { MappedText } from '../text.js';
import type { SourceKind, Token } from '../model.js';
import type { ScanContext, SourceFile } from './types.js';
import { MAX_NESTING, tomlTooDeep } from './nesting.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the parser's AST is read structurally */
export interface TomlEntry {
  /** Full key path: `['phases', 'build', 'cmds']`; arrays of tables add their index (`['services', '0', 'cmd']`). */
  path: string[];
  value: any;
  /** The whole `key = value` range. */
  range: [number, number];
}

export async function readToml(file: SourceFile, ctx: ScanContext, source: SourceKind): Promise<TomlEntry[] | undefined> {
  // the parser recurses per array and inline table: deeper nesting is refused before it runs
  const deep = tomlTooDeep(file.text);
  if (deep !== undefined) {
    ctx.model.problems.push({ file: file.path, span: file.index.span(deep, deep + 1), code: 'nesting-budget', format: 'toml', limit: MAX_NESTING, source });
    return undefined;
  }
  const { parseTOML } = await import('toml-eslint-parser');
  let ast: any;
  try {
    ast = parseTOML(file.text);
  } catch (e) {
    const err = e as { message: string; index?: number };
    const at = err.index ?? 0;
    ctx.model.problems.push({ file: file.path, span: file.index.span(at, at + 1), code: 'toml-syntax', detail: err.message, source });
    return undefined;
  }
  const out: TomlEntry[] = [];
  const arrayCounts = new Map<string, number>();
  const keyPath = (kv: any): string[] => kv.key.keys.map((k: any) => String(k.name ?? k.value));
  for (const top of ast.body) {
    for (const node of top.body) {
      if (node.type === 'TOMLKeyValue') out.push({ path: keyPath(node), value: node.value, range: node.range });
      else if (node.type === 'TOMLTable') {
        let prefix = node.resolvedKey.map(String) as string[];
        if (node.kind === 'array') {
          const k = prefix.join('.');
          const n = arrayCounts.get(k) ?? 0;
          arrayCounts.set(k, n + 1);
          prefix = [...prefix, String(n)];
        }
        for (const kv of node.body) if (kv.type === 'TOMLKeyValue') out.push({ path: [...prefix, ...keyPath(kv)], value: kv.value, range: kv.range });
      }
    }
  }
  return out;
}

/** A TOML string value as text mapped onto the file (escapes of basic strings decoded). */
export function tomlText(file: SourceFile, v: any): MappedText | undefined {
  if (!v || v.type !== 'TOMLValue' || v.kind !== 'string') return undefined;
  const [start, end] = v.range as [number, number];
  const value = String(v.value);
  const q = v.multiline ? 3 : 1;
  let from = start + q;
  // a multi-line string drops the line break right after the opening quotes
  if (v.multiline && file.text[from] === '\r') from++;
  if (v.multiline && file.text[from] === '\n') from++;
  const raw = MappedText.verbatim(file.index, from, end - q);
  if (raw.text === value) return raw;
  if (!v.multiline && v.style === 'basic') {
    const m = MappedText.jsonString(file.index, start, end - start);
    if (m.text === value) return m;
  }
  const offsets = Array.from({ length: value.length + 1 }, (_, i) => Math.min(from + i, end - q));
  return new MappedText(value, offsets, file.index);
}

/** A list of TOML strings as words (exec form), each with its own span. */
export function tomlWords(file: SourceFile, v: any): Token[] | undefined {
  if (!v || v.type !== 'TOMLArray') return undefined;
  return (v.elements as any[]).flatMap((e) => {
    const t = tomlText(file, e);
    return t ? [{ value: t.text, span: t.text.length ? t.span(0, t.text.length) : file.index.span(e.range[0], e.range[1]) }] : [];
  });
}
