/**
 * YAML helpers shared by the Kubernetes, compose and GitHub Actions sources: parse every
 * document with exact ranges (eemeli/yaml), refuse alias bombs before anything expands them,
 * follow aliases and `<<` merge keys when reading, and turn a scalar into a MappedText whose
 * every character maps back to its file offset (block scalars, folded lines, quotes, CRLF).
 *
 * The `yaml` package is loaded on first use only.
 */
import { createRequire } from 'node:module';
import type { Document, Node as YNode, Scalar, YAMLMap, YAMLSeq, Pair, Alias } from 'yaml';
import type { ProblemFacts, SourceKind, Span, Token } from '../model.js';
import { MappedText } from '../text.js';
import { MAX_NESTING, YamlDepth, yamlTokensTooDeep } from './nesting.js';
import type { ScanContext, SourceFile } from './types.js';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
function yaml(): YamlModule {
  if (!yamlModule) yamlModule = createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlModule;
}

export type YDoc = Document.Parsed;
export type { YNode };

/** Nodes a document may expand to through aliases, over the nodes written: more than this is an alias bomb. */
const EXPANSION_FACTOR = 10;
const EXPANSION_SLACK = 10_000;
/** Bytes of scalar text a document may expand to through aliases (or EXPANSION_FACTOR × the file, if more): aliases of a large string multiply work too. */
const EXPANSION_BYTES = 1024 * 1024;

export interface ParsedYaml {
  docs: YDoc[];
  /** False when a parse-error was recorded and nothing should be read. */
  ok: boolean;
}

/**
 * Parse all documents of a YAML file. Syntax errors and alias bombs become one parse-error
 * problem at the right position; documents before the first broken one are still returned.
 */
export function parseYaml(file: SourceFile, ctx: ScanContext, source: SourceKind): ParsedYaml {
  const y = yaml();
  let docs: YDoc[];
  // an alias is a lexer token of its own that starts with `*` (so may a block scalar's text):
  // without one no node can expand, and the expansion count is not needed
  let aliases = false;
  // the composer recurses per level: deeper nesting is refused before it runs. The tokens go
  // from the lexer through the depth check to yaml's parser one at a time (lexed once, and no
  // list of them is held: on deno's 424 KB workflow that list and its strings were ~0.8 MB the
  // collector promoted); yaml's parser gives the composer a document once all its tokens are in,
  // so a document past the limit is never composed, and one before it is dropped with the rest.
  let deep: number | undefined;
  const tooDeep = () => {
    problem(file, ctx, source, deep!, deep! + 1, { code: 'nesting-budget', format: 'yaml', limit: MAX_NESTING });
    return { docs: [], ok: false };
  };
  try {
    const depth = new YamlDepth(MAX_NESTING);
    // what parseAllDocuments does with these options (prettyErrors false: no line counter)
    const parser = new y.Parser();
    // the concrete syntax tree, as Parser.parse(text) yields it, from the lexer's tokens checked
    // as yamlTooDeep checks them: they end before the first one past the nesting limit, and the
    // document being parsed then is dropped
    const cst = function* () {
      for (const t of new y.Lexer().lex(file.text)) {
        if (!depth.take(t)) {
          deep = depth.at;
          return;
        }
        if (t.charCodeAt(0) === 42) aliases = true;
        yield* parser.next(t);
      }
      yield* parser.end();
    };
    const composer = new y.Composer({ keepSourceTokens: false, uniqueKeys: false, merge: true, prettyErrors: false, strict: false });
    docs = Array.from(composer.compose(cst())) as YDoc[];
  } catch (e) {
    // (as when every token was checked before parsing: too deep further on says so first)
    deep ??= yamlTokensTooDeep(new y.Lexer().lex(file.text));
    if (deep !== undefined) return tooDeep();
    problem(file, ctx, source, 0, 1, { code: 'yaml-exception', detail: (e as Error).message });
    return { docs: [], ok: false };
  }
  if (deep !== undefined) return tooDeep();
  const good: YDoc[] = [];
  for (const d of docs) {
    const err = d.errors[0];
    if (err) {
      const [a, b] = err.pos ?? [0, 1];
      problem(file, ctx, source, a, Math.max(b, a + 1), { code: 'yaml-syntax', detail: err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') });
      return { docs: good, ok: false };
    }
    if (!aliases) {
      good.push(d);
      continue;
    }
    const size = expandedSize(d);
    if (size.expanded > size.written * EXPANSION_FACTOR + EXPANSION_SLACK) {
      const at = size.firstAlias ?? 0;
      problem(file, ctx, source, at, at + 1, { code: 'alias-bomb', limit: size.written * EXPANSION_FACTOR + EXPANSION_SLACK });
      return { docs: good, ok: false };
    }
    const byteBudget = Math.max(EXPANSION_BYTES, file.text.length * EXPANSION_FACTOR);
    if (size.bytes > byteBudget) {
      const at = size.firstAlias ?? 0;
      problem(file, ctx, source, at, at + 1, { code: 'expansion-budget', format: 'yaml', limit: Math.round(byteBudget / 1024) });
      return { docs: good, ok: false };
    }
    good.push(d);
  }
  return { docs: good, ok: true };
}

function problem(file: SourceFile, ctx: ScanContext, source: SourceKind, a: number, b: number, facts: ProblemFacts): void {
  ctx.model.problems.push({ file: file.path, span: file.index.span(a, b), ...facts, source });
}


/**
 * What each alias of a document points to, from one walk over the document (the `yaml`
 * package's `Alias.resolve` walks the whole document per call: quadratic in the aliases). An
 * alias names the last node before it with that anchor.
 */
const anchorIndex = new WeakMap<object, Map<string, { at: number; node: unknown }[]>>();
export function resolveAlias(doc: YDoc, alias: Alias): unknown {
  const y = yaml();
  let index = anchorIndex.get(doc);
  if (!index) {
    index = new Map();
    const stack: unknown[] = [doc.contents];
    while (stack.length) {
      const n = stack.pop();
      if (n === null || n === undefined || y.isAlias(n)) continue;
      const anchor = (n as { anchor?: string }).anchor;
      const at = (n as { range?: [number, number] }).range?.[0];
      if (anchor && at !== undefined) {
        const list = index.get(anchor) ?? [];
        list.push({ at, node: n });
        index.set(anchor, list);
      }
      if (y.isMap(n) || y.isSeq(n)) {
        for (const it of (n as YAMLMap | YAMLSeq).items as unknown[]) {
          if (y.isPair(it)) stack.push((it as Pair).key, (it as Pair).value);
          else stack.push(it);
        }
      }
    }
    for (const list of index.values()) list.sort((a, b) => a.at - b.at);
    anchorIndex.set(doc, index);
  }
  const list = index.get(alias.source);
  const at = alias.range?.[0] ?? Infinity;
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length - 1;
  let found: unknown;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.at < at) {
      found = list[mid]!.node;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Count the nodes as written and as they would be after expanding every alias (memoised: linear time). */
function expandedSize(doc: YDoc): { written: number; expanded: number; bytes: number; firstAlias?: number } {
  const y = yaml();
  const memo = new Map<unknown, number>();
  const bytesMemo = new Map<unknown, number>();
  /** Scalar text under a node, aliases followed (memoised: linear time). */
  const bytesOf = (n: unknown, depth: number): number => {
    if (n === null || n === undefined || depth > 500) return 0;
    const cached = bytesMemo.get(n);
    if (cached !== undefined) return cached;
    bytesMemo.set(n, 0); // a self-referencing alias counts once
    let b = 0;
    if (y.isAlias(n)) b = bytesOf(resolveAlias(doc, n as Alias), depth + 1);
    else if (y.isScalar(n)) {
      const r = (n as Scalar).range;
      b = r ? r[1] - r[0] : String((n as Scalar).value ?? '').length;
    } else if (y.isMap(n) || y.isSeq(n)) {
      for (const it of (n as YAMLMap | YAMLSeq).items as unknown[]) {
        b += y.isPair(it) ? bytesOf((it as Pair).key, depth + 1) + bytesOf((it as Pair).value, depth + 1) : bytesOf(it, depth + 1);
        if (b > Number.MAX_SAFE_INTEGER / 4) b = Number.MAX_SAFE_INTEGER / 4;
      }
    }
    bytesMemo.set(n, b);
    return b;
  };
  let written = 0;
  let firstAlias: number | undefined;
  const CAP = Number.MAX_SAFE_INTEGER / 4;
  const visit = (n: unknown, depth: number): number => {
    if (n === null || n === undefined) return 0;
    const cached = memo.get(n);
    if (cached !== undefined) return cached;
    if (depth > 500) return 1;
    let size = 1;
    if (y.isAlias(n)) {
      if (firstAlias === undefined) firstAlias = (n as Alias).range?.[0];
      const target = resolveAlias(doc, n as Alias);
      memo.set(n, 1); // a self-referencing alias counts once
      size = target ? visit(target, depth + 1) : 1;
      memo.set(n, size);
      return size;
    }
    written++;
    memo.set(n, 1);
    if (y.isMap(n) || y.isSeq(n)) {
      for (const it of (n as YAMLMap | YAMLSeq).items as unknown[]) {
        if (y.isPair(it)) size += visit((it as Pair).key, depth + 1) + visit((it as Pair).value, depth + 1);
        else size += visit(it, depth + 1);
        if (size > CAP) size = CAP;
      }
    }
    memo.set(n, size);
    return size;
  };
  const expanded = visit(doc.contents, 0);
  const bytes = bytesOf(doc.contents, 0);
  return firstAlias === undefined ? { written, expanded, bytes } : { written, expanded, bytes, firstAlias };
}

/** A key of a mapping as YReader.pairs gives it. */
export interface YEntry {
  key: string;
  keyNode: YNode;
  value: YNode | undefined;
  pair: Pair;
}

/** Reads nodes of one document, resolving aliases. */
export class YReader {
  /** The pairs of each mapping read so far, by key (sources ask a mapping for one key after another). */
  private readonly entries = new Map<YAMLMap, Map<string, YEntry>>();
  private readonly lists = new Map<YAMLMap, readonly YEntry[]>();
  /** Mappings whose merge keys are being followed. */
  private readonly reading = new Set<YAMLMap>();

  constructor(
    readonly file: SourceFile,
    readonly doc: YDoc,
  ) {}

  resolve(n: unknown): YNode | undefined {
    const y = yaml();
    let cur = n;
    for (let i = 0; i < 32 && y.isAlias(cur); i++) cur = resolveAlias(this.doc, cur as Alias);
    if (cur === null || cur === undefined || y.isAlias(cur)) return undefined;
    return cur as YNode;
  }

  isMap(n: unknown): n is YAMLMap {
    return yaml().isMap(this.resolve(n));
  }

  /** The pairs of a mapping, with `<<` merge keys applied (own keys win, later duplicates win). */
  pairs(n: unknown): readonly YEntry[] {
    const m = this.resolve(n);
    if (!yaml().isMap(m)) return [];
    let list = this.lists.get(m);
    if (!list) {
      // a mapping that merges itself (`a: &a {<<: *a}`, or through others) adds nothing to itself
      if (this.reading.has(m)) return [];
      list = [...this.byKey(m).values()];
      this.lists.set(m, list);
    }
    return list;
  }

  /** The pairs of a mapping by key, merge keys applied, computed once per mapping. */
  private byKey(m: YAMLMap): Map<string, YEntry> {
    const cached = this.entries.get(m);
    if (cached) return cached;
    if (this.reading.has(m)) return new Map();
    this.reading.add(m);
    try {
      const out = this.merged(m);
      this.entries.set(m, out);
      return out;
    } finally {
      this.reading.delete(m);
    }
  }

  private merged(m: YAMLMap): Map<string, YEntry> {
    const y = yaml();
    const own: YEntry[] = [];
    const merged: YEntry[] = [];
    for (const p of m.items as Pair[]) {
      const k = this.resolve(p.key);
      const kv = y.isScalar(k) ? (k as Scalar).value : undefined;
      // with `merge: true` the parser gives a merge key the value Symbol(<<)
      const key = typeof kv === 'symbol' ? (kv.description === '<<' ? '<<' : undefined) : kv === undefined || kv === null ? undefined : String(kv);
      if (key === undefined) continue;
      if (key === '<<' && (k as Scalar).type === 'PLAIN') {
        const v = this.resolve(p.value);
        const sources = y.isSeq(v) ? (v.items as unknown[]) : [p.value];
        for (const s of sources) merged.push(...this.pairs(s));
        continue;
      }
      own.push({ key, keyNode: k as YNode, value: this.resolve(p.value), pair: p });
    }
    const out = new Map<string, YEntry>();
    for (const e of merged) if (!out.has(e.key)) out.set(e.key, e);
    for (const e of own) out.set(e.key, e);
    return out;
  }

  get(n: unknown, key: string): YNode | undefined {
    return this.entry(n, key)?.value;
  }

  entry(n: unknown, key: string): YEntry | undefined {
    const m = this.resolve(n);
    if (!yaml().isMap(m)) return undefined;
    return this.byKey(m).get(key);
  }

  path(n: unknown, ...keys: string[]): YNode | undefined {
    let cur: YNode | undefined = this.resolve(n);
    for (const k of keys) {
      if (!cur) return undefined;
      cur = this.get(cur, k);
    }
    return cur;
  }

  items(n: unknown): YNode[] {
    const y = yaml();
    const s = this.resolve(n);
    if (!y.isSeq(s)) return [];
    return (s.items as unknown[]).map((i) => this.resolve(i)).filter((i): i is YNode => !!i);
  }

  isSeq(n: unknown): boolean {
    return yaml().isSeq(this.resolve(n));
  }

  /** The scalar's value as a string (numbers and booleans as written), or undefined for collections and null. */
  str(n: unknown): string | undefined {
    const y = yaml();
    const s = this.resolve(n);
    if (!y.isScalar(s)) return undefined;
    const v = (s as Scalar).value;
    if (v === null || v === undefined) return undefined;
    if (typeof v === 'number' && (s as Scalar).source !== undefined) return String((s as Scalar).source);
    return String(v);
  }

  bool(n: unknown): boolean | undefined {
    const y = yaml();
    const s = this.resolve(n);
    if (!y.isScalar(s)) return undefined;
    const v = (s as Scalar).value;
    return typeof v === 'boolean' ? v : undefined;
  }

  span(n: YNode | undefined): Span {
    const r = n?.range;
    if (!r) return this.file.index.span(0, 0);
    return this.file.index.span(r[0], r[1]);
  }

  /** Span from a key to the end of its value. */
  pairSpan(e: { keyNode: YNode; value: YNode | undefined }): Span {
    const a = e.keyNode.range?.[0] ?? 0;
    const b = e.value?.range?.[1] ?? e.keyNode.range?.[1] ?? a;
    return this.file.index.span(a, b);
  }

  /** A scalar's decoded text, each character mapped to where it stands in the file. */
  text(n: unknown): MappedText | undefined {
    const y = yaml();
    const s = this.resolve(n);
    if (!y.isScalar(s) || !s.range) return undefined;
    const v = (s as Scalar).value;
    if (v === null || v === undefined || typeof v === 'object') return undefined;
    const value = typeof v === 'number' && (s as Scalar).source !== undefined ? String((s as Scalar).source) : String(v);
    return scalarText(this.file, value, (s as Scalar).type, s.range[0], s.range[1]);
  }

  /** A scalar as a Token (value and span); undefined for non-scalars. */
  token(n: unknown): Token | undefined {
    const t = this.text(n);
    if (!t) return undefined;
    return { value: t.text, span: t.text.length ? t.span(0, t.text.length) : this.span(this.resolve(n)) };
  }
}

/** Map a decoded scalar back onto its source range. */
export function scalarText(file: SourceFile, value: string, type: string | undefined, start: number, end: number): MappedText {
  const src = file.text;
  if (type === 'QUOTE_DOUBLE' && !src.slice(start, end).includes('\n')) {
    const m = MappedText.jsonString(file.index, start, end - start);
    if (m.text === value) return m;
  }
  let p = start;
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    // skip the header line (`|`, `>-`, `|2` and a comment)
    while (p < end && src[p] !== '\n') p++;
    p++;
  } else if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') p++;
  const offsets = new Int32Array(value.length + 1);
  // written as it reads (a plain or quoted scalar on one line, without escapes): each character where it stands
  if (p + value.length <= end && src.startsWith(value, p)) {
    for (let i = 0; i < value.length; i++) offsets[i] = p + i;
    offsets[value.length] = p + value.length;
    return new MappedText(value, offsets, file.index);
  }
  const single = type === 'QUOTE_SINGLE';
  const double = type === 'QUOTE_DOUBLE';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let q = p;
    // characters that are in the source but not in the value: indentation, line breaks (folded), CR, quote doubling
    for (; q < end; q++) {
      const s = src.charCodeAt(q);
      if (s === c || !(s === 32 || s === 9 || s === 13 || s === 10 || (single && s === 39) || (double && s === 92))) break;
    }
    if (q < end && src.charCodeAt(q) === c) {
      offsets[i] = q;
      p = q + 1;
    } else {
      offsets[i] = Math.min(p, Math.max(start, end - 1));
    }
  }
  offsets[value.length] = Math.min(p, end);
  return new MappedText(value, offsets, file.index);
}

/** A Helm (or other Go template) file: `{{ … }}` outside GitHub's `${{ … }}`. */
export function looksLikeTemplate(text: string): boolean {
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 2)) {
    if (text[i - 1] !== '$') return true;
  }
  return false;
}
