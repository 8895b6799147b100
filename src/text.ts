import type { Span } from './model.js';

/**
 * Maps UTF-16 offsets of one file's text to 1-based line and column. CRLF counts as one line break.
 * The line starts are found on first use: most files a scan reads (TypeScript the sniff rules out,
 * files without findings) never need a span.
 */
export class LineIndex {
  private startsOf: number[] | undefined;
  /**
   * The text again, read only where the line starts are found. Through the CLI bundle's code cache,
   * Node 20's V8 ran that search (`includes`, `indexOf`: native string searches) on every call of
   * `span` and `position` once TurboFan had inlined the getter into code that had read `this.text`
   * already (`clamp`), though the starts were found once: a 1.8 MB one-line deno.json task took
   * 12.7 s against 2.1 s without the cache. Read from a field that the hot path never reads, the
   * text is known only behind the test, and the search stays there (docs/performance.md, "This
   * session (twelfth): a search V8 ran on every call").
   */
  private readonly searched: string;
  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.searched = text;
  }

  private get starts(): number[] {
    if (this.startsOf) return this.startsOf;
    const text = this.searched;
    const starts = [0];
    if (text.includes('\r')) {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
    } else for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return (this.startsOf = starts);
  }

  position(offset: number): { line: number; column: number } {
    const o = this.clamp(offset);
    const i = this.lineAt(o);
    return { line: i + 1, column: o - this.starts[i]! + 1 };
  }

  /** (Without position()'s two objects per span: every span of a scan is made here.) */
  span(start: number, end: number): Span {
    const starts = this.starts;
    const a = this.clamp(start);
    const b = this.clamp(Math.max(start, end));
    const la = this.lineAt(a);
    const lb = b === a ? la : this.lineAt(b);
    return { file: this.file, line: la + 1, column: a - starts[la]! + 1, endLine: lb + 1, endColumn: b - starts[lb]! + 1 };
  }

  private clamp(offset: number): number {
    return Math.max(0, Math.min(offset, this.text.length));
  }

  /** The 0-based line of a clamped offset. */
  private lineAt(o: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineText(line: number): string {
    const s = this.starts[line - 1];
    if (s === undefined) return '';
    const e = this.starts[line] ?? this.text.length;
    return this.text.slice(s, e).replace(/\r?\n$|\r$/, '');
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

/** Anything that turns file offsets into spans (a LineIndex, or one line of a token). */
export interface SpanIndex {
  span(start: number, end: number): Span;
}

/**
 * A piece of text that sits somewhere in a file, possibly decoded (a JSON string with escapes,
 * a YAML block scalar, a shebang line). `offsets[i]` is the file offset of `text[i]`;
 * `offsets[text.length]` is the offset just after the last character.
 */
const JSON_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

export class MappedText {
  constructor(
    readonly text: string,
    readonly offsets: ArrayLike<number>,
    readonly index: SpanIndex,
  ) {}

  /**
   * The value of a token written on one line without quotes or escapes (exact then; otherwise
   * every piece keeps a position inside the token). `skip` = characters of the token before the value.
   */
  /**
   * The text of a word with positions in the file: exact when the word is written on one line as
   * its value after `skip` characters, or as its value in one pair of quotes (`"--permission …"`,
   * `'deno run -A'`); otherwise (escapes, expansions) every position is clamped inside the word.
   */
  static ofWord(tok: { value: string; span: Span }, skip = 0): MappedText {
    const { span, value } = tok;
    if (span.line !== span.endLine) return MappedText.ofToken(tok, skip);
    const width = span.endColumn - span.column;
    if (width === skip + value.length + 2) return MappedText.ofToken(tok, skip + 1);
    if (width === skip + value.length) return MappedText.ofToken(tok, skip);
    const { file, line, column, endColumn } = span;
    const offsets = new Int32Array(value.length + 1);
    for (let k = 0; k <= value.length; k++) offsets[k] = Math.min(column - 1 + skip + k, endColumn - 1);
    const clamped: SpanIndex = { span: (a, b) => ({ file, line, column: a + 1, endLine: line, endColumn: Math.max(b + 1, a + 2) }) };
    return new MappedText(value, offsets, clamped);
  }

  static ofToken(tok: { value: string; span: Span }, skip = 0): MappedText {
    const { file, line, column } = tok.span;
    const offsets = new Int32Array(tok.value.length + 1);
    for (let k = 0; k <= tok.value.length; k++) offsets[k] = column - 1 + skip + k;
    const oneLine: SpanIndex = {
      span: (a, b) => (tok.span.line === tok.span.endLine ? { file, line, column: a + 1, endLine: line, endColumn: b + 1 } : tok.span),
    };
    return new MappedText(tok.value, offsets, oneLine);
  }

  /** Text that stands in the file as-is, starting at `start`. */
  static verbatim(index: LineIndex, start: number, end: number): MappedText {
    const text = index.text.slice(start, end);
    const offsets = new Int32Array(text.length + 1);
    for (let i = 0; i <= text.length; i++) offsets[i] = start + i;
    return new MappedText(text, offsets, index);
  }

  /**
   * A JSON string literal whose opening quote is at `quoteOffset`, decoded with a map of every
   * character. Runs without escapes are copied whole and the map is one typed array: a 1.8 MB
   * task built character by character took a string node and a boxed slot per character.
   */
  static jsonString(index: LineIndex, quoteOffset: number, length: number): MappedText {
    const raw = index.text.slice(quoteOffset + 1, quoteOffset + length - 1);
    const pieces: string[] = [];
    const offsets = new Int32Array(raw.length + 1);
    let n = 0;
    let run = 0;
    for (let i = 0; i < raw.length; ) {
      const at = quoteOffset + 1 + i;
      if (raw.charCodeAt(i) === 92 && i + 1 < raw.length) {
        if (i > run) pieces.push(raw.slice(run, i));
        const c = raw[i + 1]!;
        if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
          pieces.push(String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16)));
          offsets[n++] = at;
          i += 6;
          run = i;
          continue;
        }
        pieces.push(JSON_ESCAPES[c] ?? c);
        offsets[n++] = at;
        i += 2;
        run = i;
        continue;
      }
      offsets[n++] = at;
      i++;
    }
    if (raw.length > run) pieces.push(raw.slice(run));
    offsets[n] = quoteOffset + length - 1;
    return new MappedText(pieces.length === 1 ? pieces[0]! : pieces.join(''), n === raw.length ? offsets : offsets.slice(0, n + 1), index);
  }

  fileOffset(i: number): number {
    const n = this.text.length;
    if (i <= 0) return this.offsets[0] ?? 0;
    if (i >= n) return this.offsets[n] ?? this.offsets[n - 1] ?? 0;
    return this.offsets[i]!;
  }

  /** Span of text[start, end) in the file. */
  span(start: number, end: number): Span {
    const a = this.fileOffset(start);
    if (end <= start) return this.index.span(a, a);
    const last = this.fileOffset(end - 1);
    const next = this.fileOffset(end);
    // an escape (`\"`, `\u0041`) ends where the next character starts; a line break between
    // the two (folded YAML, a continuation) must not be swallowed
    const b = next > last && next - last <= 6 ? next : last + 1;
    return this.index.span(a, b);
  }

  slice(start: number, end: number): MappedText {
    const offsets = Array.prototype.slice.call(this.offsets, start, end + 1) as number[];
    return new MappedText(this.text.slice(start, end), offsets, this.index);
  }
}

/** A span that covers a sub-range of a token's value when the value is written verbatim (no quotes or escapes). */
export function subSpan(span: Span, startCol: number, length: number): Span {
  if (span.line !== span.endLine) return span;
  return { ...span, column: span.column + startCol, endColumn: span.column + startCol + length };
}

export function spanKey(s: Span): string {
  return `${s.file}:${s.line}:${s.column}:${s.endLine}:${s.endColumn}`;
}

export function compareSpans(a: Span, b: Span): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn;
}

/**
 * Template expressions replaced by unknown shell variables `${<placeholder><n>}`, each mapped over
 * the span of the expression it stands for; `exprs[n]` is the expression's text (restored in
 * messages). `endOf(text, i)` says where an expression starting at `i` ends (the index after it),
 * or -1 when none starts there; `literal(text, i)`, when given, may instead say that the text at
 * `i` stands for other literal text (an escape) and how many characters it takes.
 */
export function maskTemplates(
  src: MappedText,
  placeholder: string,
  endOf: (text: string, i: number) => number,
  literal?: (text: string, i: number) => { text: string; length: number } | undefined,
): { text: MappedText; exprs: string[] } {
  const exprs: string[] = [];
  const s = src.text;
  // the text between expressions is copied a run at a time (a character at a time, the output
  // was a rope of one-character strings)
  const pieces: string[] = [];
  const offsets: number[] = [];
  let run = 0;
  let i = 0;
  while (i < s.length) {
    const lit = literal?.(s, i);
    if (lit) {
      if (i > run) pieces.push(s.slice(run, i));
      for (let k = 0; k < lit.text.length; k++) offsets.push(src.fileOffset(i + Math.floor((k * lit.length) / lit.text.length)));
      pieces.push(lit.text);
      i += lit.length;
      run = i;
      continue;
    }
    const end = endOf(s, i);
    if (end > i) {
      if (i > run) pieces.push(s.slice(run, i));
      const ph = `\${${placeholder}${exprs.length}}`;
      exprs.push(s.slice(i, end));
      for (let k = 0; k < ph.length; k++) offsets.push(src.fileOffset(i + Math.floor((k * (end - i)) / ph.length)));
      pieces.push(ph);
      i = end;
      run = i;
      continue;
    }
    offsets.push(src.fileOffset(i));
    i++;
  }
  if (!exprs.length && !literal) return { text: src, exprs };
  if (s.length > run) pieces.push(s.slice(run));
  offsets.push(src.fileOffset(s.length));
  return { text: new MappedText(pieces.join(''), offsets, src.index), exprs };
}

/**
 * `{{ … }}` template values (just, Task, Go templates) masked with maskTemplates. With
 * `quadEscape`, `{{{{` is a literal `{{` (just).
 */
export function maskBraceTemplates(src: MappedText, placeholder: string, quadEscape = false): { text: MappedText; exprs: string[] } {
  if (!src.text.includes('{{')) return { text: src, exprs: [] };
  const endOf = (t: string, i: number) => {
    if (!t.startsWith('{{', i)) return -1;
    const close = t.indexOf('}}', i + 2);
    return close < 0 ? -1 : close + 2;
  };
  const literal = quadEscape ? (t: string, i: number) => (t.startsWith('{{{{', i) ? { text: '{{', length: 4 } : undefined) : undefined;
  return maskTemplates(src, placeholder, endOf, literal);
}

/** The program name of a command word: the last path segment, without `.exe` (`/usr/bin/node` → `node`). */
export function basename(word: string): string {
  // (without a regular expression per call: every simple command asks for its program's, several times)
  const s = word.includes('\\') ? word.replace(/\\/g, '/') : word;
  const b = s.slice(s.lastIndexOf('/') + 1);
  const n = b.length;
  return n >= 4 && b.charCodeAt(n - 4) === 46 && (b.charCodeAt(n - 3) | 32) === 101 && (b.charCodeAt(n - 2) | 32) === 120 && (b.charCodeAt(n - 1) | 32) === 101 ? b.slice(0, n - 4) : b;
}
