/**
 * Shell command lines through a real parser (mvdan/sh, compiled to JavaScript as `mvdan-sh`).
 * Turns a script or a one-line command string into simple commands: argv words with exact spans,
 * the assignments in front of them, and what could not be resolved statically.
 *
 * The parser (1.5 MB) is loaded on first use only.
 */
import { createRequire } from 'node:module';
import { uniqueReasons, type DynamicReason, type Span, type Token } from '../model.js';
import { MappedText } from '../text.js';
import { MAX_NESTING, shellTooDeep } from '../sources/nesting.js';
import { readCompound } from './compound.js';
import { assignmentHead, literalRuns } from './literal-runs.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the GopherJS AST is untyped */
type ShNode = any;
type ShSyntax = any;

let syntaxModule: ShSyntax | undefined;
function syntax(): ShSyntax {
  if (!syntaxModule) {
    const require = createRequire(import.meta.url);
    syntaxModule = (require('mvdan-sh') as { syntax: ShSyntax }).syntax;
  }
  return syntaxModule;
}

export interface ShellAssign {
  name: string;
  value: Token;
  span: Span;
  /** Written with `export` (`export X=1`): the variable reaches the environment of later commands. */
  exported?: true;
  /** The constructs it sits in, outermost first (absent at the top level of the text). */
  flow?: FlowFrame[];
}

export interface ShellCommand {
  argv: Token[];
  assigns: ShellAssign[];
  /** Span of the whole simple command. */
  span: Span;
  /** `export`/`declare`/bare assignment statements have no argv: only assigns. */
  /** The constructs it sits in, outermost first (absent at the top level of the text). */
  flow?: FlowFrame[];
}

/**
 * A construct that decides whether, when and in which environment a statement runs, as sh runs
 * it (checked with dash as /bin/sh). `id` names the construct (unique in the text); frames of the
 * arms of one conditional share it and differ by `arm`.
 */
export type FlowFrame =
  /** A subshell `( … )`, a pipeline element, a background job `… &`, a command substitution: what changes inside does not reach the commands after it. */
  | { kind: 'subshell'; id: string }
  /**
   * One of the `arms` arms of a conditional (`if`/`elif`/`else`, a `case` item, the right side of
   * `&&` / `||`) whose condition is not known statically. `exhaustive`: one arm always runs
   * (`else`, a `*)` item); otherwise possibly none.
   */
  | { kind: 'arm'; id: string; arm: number; arms: number; exhaustive: boolean }
  /** The body (and condition) of a loop: runs any number of times, possibly none. */
  | { kind: 'loop'; id: string }
  /** The body of a function: runs where the function is called, in the caller's shell. */
  | { kind: 'function'; id: string; name: string }
  /** Never runs (`false && …`, the `else` of `if true`). */
  | { kind: 'never'; id: string };

export interface ShellParseResult {
  commands: ShellCommand[];
  /** Assignments that are statements of their own (`X=1`, `export X=1`), in order. */
  assignments: ShellAssign[];
  /** `export X` without a value: X (set before or later) reaches the environment of later commands. */
  exports: { name: string; span: Span; flow?: FlowFrame[] }[];
  /**
   * Why the text yields no commands: `parser` is mvdan/sh's own error text; `tooDeep` is the reader's
   * nesting budget (`limit`, or none when the parser itself ran out of stack).
   */
  error?: { parser?: string; tooDeep?: { limit?: number }; span: Span };
  /** Reading stopped here because `maxCommands` was reached; the rest of the text is not read. */
  truncated?: Span;
}

export interface ShellOptions {
  /** Variables known before the text starts (Makefile variables, ARG defaults, earlier lines). */
  vars?: Map<string, string>;
  /** Variables set by literal assignments become known to later commands (true for scripts). */
  trackAssignments?: boolean;
  /** What an unknown variable `name` is (a Makefile expansion, a GitHub Actions expression, …); default: a shell variable. */
  describeUnknown?: (name: string) => DynamicReason;
  /**
   * Bytes of variable values left to expand, shared by the texts of one file (a script whose
   * variable holds 20,000 paths, used on 2,000 lines, must not build gigabytes of words). Past
   * it, a variable stays unexpanded and its words are dynamic, saying why. Default: a fresh
   * EXPANSION_BUDGET per text.
   */
  budget?: ExpansionBudget;
  /**
   * `deno-task`: the text is run by deno_task_shell (deno.json `tasks`), which is not POSIX sh: a
   * backslash escapes only `$`, `"`, a space and a line break (`AWS_\*` keeps its backslash,
   * `"a\\b"` keeps both), and `\${NAME}` is never expanded (the literal text stays). Checked
   * against Deno 2.9.6 (test/differential/task-shell.test.ts). Default: POSIX sh.
   */
  dialect?: 'sh' | 'deno-task';
  /** 'full' sends the whole text to mvdan/sh (the reference the fast path is tested against). */
  engine?: 'auto' | 'full';
  /**
   * Commands and assignment statements to read at most (the caller's per-file budget); the
   * reader stops at a line or batch boundary past it and says where in `truncated`.
   */
  maxCommands?: number;
  /**
   * Texts met again with the same options are read once (see ShellParseCache): `key` stands for
   * what `describeUnknown` answers, which a function cannot say. Not used with `budget` or
   * `engine: 'full'`.
   */
  shared?: { cache: ShellParseCache; key: string };
}

/**
 * Readings of the texts of one file by text and options, for texts the file repeats (a workflow
 * runs the same 1 KB `run:` script in 30 jobs): each use gets a copy of the first reading with
 * the spans of its own place. A reading is a pure function of the text and the options, and its
 * spans all come from `src.span(start, end)` of the text: they are noted with their offsets when
 * it is made, and made again from the new text's map for each copy.
 */
export class ShellParseCache {
  readonly entries = new Map<string, SharedReading>();
}
interface SharedReading {
  result: ShellParseResult;
  src: MappedText;
  /** The offsets in the text each span of the reading was made from. */
  spans: Map<Span, readonly [number, number]>;
}

/** Maximum size of a shell text we parse; larger inputs are reported, not parsed. */
export const MAX_SHELL_BYTES = 2 * 1024 * 1024;

/** mvdan/sh reports UTF-8 byte offsets; this maps them to UTF-16 indexes of `text`. */
function byteToCharMap(text: string): ((b: number) => number) {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (b) => b;
  const map: number[] = [];
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    for (let k = 0; k < n; k++) map[bytes + k] = i;
    bytes += n;
    if (c >= 0x10000) i++;
  }
  map[bytes] = text.length;
  return (b) => map[b] ?? text.length;
}

/** Bytes of variable values one shell text may expand (see ShellOptions.budget). */
export const EXPANSION_BUDGET = 1024 * 1024;

/** What is left of an expansion budget; share one object between the texts of one file. */
export interface ExpansionBudget {
  left: number;
}

/** Which reader parsed what (for the benchmark and the differential test). */
export const shellStats = { fastLines: 0, compoundLines: 0, fullChunks: 0, fullChars: 0 };

let recorder: ((text: string) => void) | undefined;
/** Test seam: called with every text parseShell is given. */
export function recordShellTexts(fn: ((text: string) => void) | undefined): void {
  recorder = fn;
}

let chunkRecorder: ((chunk: string) => void) | undefined;
/** Test seam: called with every chunk given to mvdan/sh (cached or not). */
export function recordFullChunks(fn: ((chunk: string) => void) | undefined): void {
  chunkRecorder = fn;
}

/**
 * Parses shell text into simple commands. Plain command lines (words, quotes, escapes, `$VAR`,
 * assignments, `&&` `||` `;` `|` `&`, simple redirections) are read by a tokenizer here; any line
 * with control syntax (functions, loops, `case`, heredocs, subshells, command substitution, …)
 * goes to mvdan/sh, given only as many lines as the construct needs (doubling until the parser
 * no longer reports the input as incomplete). Both produce the same tokens and spans (a
 * differential test holds them to it), and time and memory grow linearly with the text.
 * `options.engine: 'full'` sends the whole text to mvdan/sh (the reference for that test).
 */
export function parseShell(src: MappedText, options: ShellOptions = {}): ShellParseResult {
  if (options.shared && !options.budget && options.engine !== 'full') return parseShared(src, options, options.shared);
  recorder?.(src.text);
  const vars = new Map(options.vars ?? []);
  const result: ShellParseResult = { commands: [], assignments: [], exports: [] };
  const budget = options.budget ?? { left: EXPANSION_BUDGET };
  const unknownMessage = options.describeUnknown ?? ((name: string): DynamicReason => ({ kind: 'variable', of: 'shell', name }));
  const text = src.text;

  /**
   * Values set inside a construct (subshell, branch, loop, function body), by the innermost one:
   * once a statement outside it is read, a subshell's (or never-run code's) value is undone and
   * a branch's, loop's or function's is no longer known (it depends on whether it ran).
   */
  const scoped: { key: string; kind: FlowFrame['kind']; name: string; prev: string | undefined }[] = [];
  const frameKey = (f: FlowFrame) => (f.kind === 'arm' ? `${f.id}/${f.arm}` : f.id);
  const settle = (flow: FlowFrame[] | undefined) => {
    if (scoped.length === 0) return;
    const inside = new Set((flow ?? []).map(frameKey));
    for (let i = scoped.length - 1; i >= 0; i--) {
      const sc = scoped[i]!;
      if (inside.has(sc.key)) continue;
      scoped.splice(i, 1);
      if ((sc.kind === 'subshell' || sc.kind === 'never') && sc.prev !== undefined) vars.set(sc.name, sc.prev);
      else vars.delete(sc.name);
    }
  };
  const remember = (as: ShellAssign) => {
    if (options.trackAssignments === false) return;
    const frame = as.flow?.[as.flow.length - 1];
    if (frame) {
      const key = frameKey(frame);
      if (!scoped.some((sc) => sc.key === key && sc.name === as.name)) scoped.push({ key, kind: frame.kind, name: as.name, prev: vars.get(as.name) });
    }
    if (as.value.dynamic) vars.delete(as.name);
    else vars.set(as.name, as.value.value);
  };

  /** `$name` / `${name}`: the value when known and within budget, else the text and why not. */
  const expand = (name: string, short: boolean, unknown: DynamicReason[]): string => {
    const v = vars.get(name);
    if (v !== undefined) {
      if (v.length <= budget.left) {
        budget.left -= v.length;
        return v;
      }
      unknown.push({ kind: 'expansion-budget', of: unknownMessage(name), kib: Math.round(EXPANSION_BUDGET / 1024) });
    } else unknown.push(unknownMessage(name));
    return short ? `$${name}` : `\${${name}}`;
  };

  const ctx: ReaderCtx = { src, describe: unknownMessage, vars, result, expand, remember, settle, taskShell: options.dialect === 'deno-task' };
  // mvdan/sh and the walk over its tree recurse per level: deeper text is refused before either runs
  const deep = shellTooDeep(text);
  if (deep !== undefined) {
    setError(ctx, { tooDeep: { limit: MAX_NESTING }, at: deep, incomplete: false });
    return result;
  }
  if (options.engine === 'full') {
    const r = parseChunk(ctx, 0, text.length);
    if (r !== 'ok') setError(ctx, r);
    return result;
  }
  let pos = 0;
  const max = options.maxCommands ?? Infinity;
  while (pos < text.length) {
    if (result.commands.length + result.assignments.length >= max) {
      result.truncated = src.span(pos, pos + 1);
      break;
    }
    const fast = fastLine(text, pos);
    if (fast) {
      shellStats.fastLines++;
      for (const st of fast.statements) applyFast(ctx, st);
      pos = fast.end;
      continue;
    }
    const compound = readCompound(text, pos, ctx.taskShell ? taskUnescape : unescape, ctx.taskShell);
    if (compound) {
      shellStats.compoundLines++;
      replay(ctx, compound.ops, pos);
      pos = compound.end;
      continue;
    }
    // control syntax from here: give the full parser whole lines, from where the construct
    // seems to end (constructLines), doubling until the parser no longer says it is incomplete
    for (let lines = constructLines(text, pos); ; lines *= 2) {
      const end = afterLines(text, pos, lines);
      const r = parseChunk(ctx, pos, end);
      if (r === 'ok') {
        pos = end;
        break;
      }
      if (!r.incomplete || end >= text.length) {
        setError(ctx, r);
        return result;
      }
    }
  }
  return result;
}

/** parseShell through the file's cache of readings (ShellOptions.shared). */
function parseShared(src: MappedText, options: ShellOptions, shared: NonNullable<ShellOptions['shared']>): ShellParseResult {
  const { shared: _shared, ...own } = options;
  // the variables are read only where the text expands one (`$X`, `${X}`): a text without `$`
  // reads the same whatever they are (a workflow repeats such steps in jobs of different `env`)
  const vars = options.vars?.size && src.text.includes('$') ? JSON.stringify([...options.vars]) : '';
  const key = `${shared.key}\u0000${options.dialect ?? 'sh'}\u0000${options.trackAssignments === false ? 0 : 1}\u0000${vars}\u0000${src.text}`;
  const max = options.maxCommands ?? Infinity;
  const have = shared.cache.entries.get(key);
  // a reading that stopped at no command budget, with fewer commands than this one allows, is the same reading
  if (have && !have.result.truncated && have.result.commands.length + have.result.assignments.length < max) {
    const copy = copyReading(have, src);
    if (copy) {
      recorder?.(src.text);
      return copy;
    }
  }
  const spans = new Map<Span, readonly [number, number]>();
  const noting = Object.create(src) as MappedText;
  Object.defineProperty(noting, 'span', {
    value: (start: number, end: number): Span => {
      const s = src.span(start, end);
      spans.set(s, [start, end]);
      return s;
    },
  });
  const result = parseShell(noting, own);
  if (result.truncated) return result;
  const reading: SharedReading = { result, src, spans };
  // the caller gets a copy: what it changes in its model (restored template text) must not reach the next use
  const copy = copyReading(reading, src);
  if (!copy) return result;
  shared.cache.entries.set(key, reading);
  return copy;
}

/** Thrown by copyReading at a span it does not know the offsets of (never expected: the reading is then not shared). */
const UNNOTED = new Error('span not noted');

/** A deep copy of a reading with the spans of `src` (same text): objects shared in it stay shared in the copy. */
function copyReading(reading: SharedReading, src: MappedText): ShellParseResult | undefined {
  const done = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const had = done.get(v);
    if (had !== undefined) return had;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      done.set(v, out);
      for (const x of v) out.push(copy(x));
      return out;
    }
    const at = reading.spans.get(v as Span);
    if (at) {
      const span = src === reading.src ? v : src.span(at[0], at[1]);
      done.set(v, span);
      return span;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.file === 'string' && typeof o.line === 'number' && typeof o.endColumn === 'number') throw UNNOTED;
    const out: Record<string, unknown> = {};
    done.set(v, out);
    for (const k of Object.keys(o)) out[k] = copy(o[k]);
    return out;
  };
  try {
    return copy(reading.result) as ShellParseResult;
  } catch (e) {
    if (e === UNNOTED) return undefined;
    throw e;
  }
}

interface ReaderCtx {
  src: MappedText;
  describe: (name: string) => DynamicReason;
  vars: Map<string, string>;
  result: ShellParseResult;
  expand: (name: string, short: boolean, unknown: DynamicReason[]) => string;
  remember: (as: ShellAssign) => void;
  /** Called before each statement is read, with the constructs it sits in (see `scoped` in parseShell). */
  settle: (flow: FlowFrame[] | undefined) => void;
  /** deno_task_shell quoting and expansion (`ShellOptions.dialect`). */
  taskShell: boolean;
}

interface ChunkError {
  parser?: string;
  tooDeep?: { limit?: number };
  at: number;
  incomplete: boolean;
}

function setError(ctx: ReaderCtx, e: ChunkError): void {
  // as the whole-text parse did: a text that does not parse yields no commands
  ctx.result.commands = [];
  ctx.result.assignments = [];
  ctx.result.exports = [];
  ctx.result.error = { ...(e.parser !== undefined ? { parser: e.parser } : {}), ...(e.tooDeep ? { tooDeep: e.tooDeep } : {}), span: ctx.src.span(e.at, e.at + 1) };
}

/**
 * The offset just after the `n`-th line break from `pos` (or the end of the text). A break after
 * an odd run of backslashes continues the line and is not counted: a chunk ending there would
 * parse as a complete command and split it (inside quotes it only makes the chunk longer).
 */
function afterLines(text: string, pos: number, n: number): number {
  let at = pos;
  for (let k = 0; k < n; ) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
    let b = 0;
    while (nl - 1 - b >= pos && text.charCodeAt(nl - 1 - b) === 92) b++;
    if (b % 2 === 0) k++;
  }
  return at;
}

const OPENERS = new Set(['if', 'for', 'while', 'until', 'case', 'select', '{']);
const CLOSERS = new Set(['fi', 'done', 'esac', '}']);
/** Lines a construct is tried with at most before the doubling takes over. */
const GUESS_LINES = 256;

/**
 * How many lines from `pos` the construct starting there seems to take: a first try for the full
 * parser, so that an `if … fi` of 20 lines is parsed once instead of as 1, 2, 4, 8, 16 and 32
 * lines (each an incomplete parse of the construct's start). A guess only: words that open and
 * close compound commands, brackets, quotes and comments are counted roughly, and mvdan/sh decides;
 * a guess that is too short continues with the doubling, and a chunk that ends where the parser
 * finds it complete is read as any other chunk. 1 when the text holds a here-document.
 */
export function constructLines(text: string, pos: number): number {
  let depth = 0; // compound commands open
  let parens = 0;
  let cases = 0;
  let quote = ''; // the open quote character across lines
  let lines = 0;
  let i = pos;
  let word = '';
  let lastOp = ''; // the operator just before a line break (a line ending in && continues)
  const endWord = () => {
    if (word) {
      if (OPENERS.has(word)) {
        depth++;
        if (word === 'case') cases++;
      } else if (CLOSERS.has(word) && depth > 0) {
        depth--;
        if (word === 'esac' && cases > 0) cases--;
      }
      lastOp = '';
    }
    word = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote !== "'") i++;
      else if (c === quote) quote = '';
      else if (c === '\n') lines++;
      i++;
      continue;
    }
    if (c === '\\') {
      // a continued line is not counted (as afterLines does not)
      word += c;
      i += 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      word += c;
      i++;
      continue;
    }
    if (c === '#' && word === '') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') return 1;
    if (c === ' ' || c === '\t' || c === ';' || c === '&' || c === '|' || c === '\n' || c === '(' || c === ')') {
      endWord();
      if (c === '(') parens++;
      else if (c === ')') parens = cases > 0 ? Math.max(0, parens - 1) : parens - 1;
      if (c === '&' || c === '|') lastOp = c;
      else if (c === ';') lastOp = '';
      if (c === '\n') {
        lines++;
        if (depth <= 0 && parens <= 0 && lastOp === '') return lines;
        if (lines >= GUESS_LINES) return lines;
      }
      i++;
      continue;
    }
    word += c;
    i++;
  }
  return Math.max(1, lines + 1);
}

/**
 * deno_task_shell's unquoting of a literal: outside quotes a backslash escapes `$`, `"`, a space
 * and a line break and is kept before anything else; inside double quotes it escapes `$` and `"`.
 */
const taskUnescape = (v: string, inDouble: boolean) => (inDouble ? v.replace(/\\([$"])/g, '$1') : v.replace(/\\\n/g, '').replace(/\\([$" ])/g, '$1'));

/** Unquote a literal: backslash escapes outside quotes, `\"` `\\` `\$` inside double quotes. */
const unescape = (v: string, inDouble: boolean) =>
  inDouble ? v.replace(/\\([\\"$`])/g, '$1').replace(/\\\n/g, '') : v.replace(/\\\n/g, '').replace(/\\(.)/g, '$1');

/**
 * What mvdan/sh makes of one chunk, independent of where the chunk sits and of the variables
 * known before it: the operations the reader performs, in the order it performs them (a word is
 * expanded when its operation runs, so `A=1 B=$A` and `export X=…; cmd $X` see the variables as
 * the walk over the AST did). Offsets are UTF-16 indexes into the chunk.
 */
export type ChunkPart =
  | { t: 'text'; value: string }
  /** `dq`: inside double quotes, so its value is not split into fields. */
  | { t: 'param'; name: string; short: boolean; dq?: true }
  /** Text that stands for something not resolved statically (`why` joins the word's dynamic list). */
  | { t: 'dynamic'; text: string; why: DynamicReason }
  /** A parameter with an operator (`${X:-y}`): the caller's description of the variable. */
  | { t: 'described'; text: string; name: string };
export interface ChunkWord {
  start: number;
  end: number;
  parts: ChunkPart[];
}
export interface ChunkAssign {
  name: string;
  start: number;
  end: number;
  value?: ChunkWord;
}
/** A FlowFrame within a chunk: `at` (the construct's offset in the chunk) stands for the id. */
export type ChunkFrame =
  | { kind: 'subshell' | 'loop' | 'never'; at: number }
  | { kind: 'arm'; at: number; arm: number; arms: number; exhaustive: boolean }
  | { kind: 'function'; at: number; name: string };
export type ChunkOp = (
  /** A simple command; `nested` are the commands of its substitutions, read before its words. */
  | { op: 'cmd'; assigns: ChunkAssign[]; nested: ChunkOp[]; args: ChunkWord[]; start: number; end: number }
  /** Assignments without a command (`A=1 B=2`): all values read, then each one remembered. */
  | { op: 'assigns'; assigns: ChunkAssign[] }
  /** `export A=1 B=$A`: each value read and remembered in turn (`bare`: names without a value). */
  | { op: 'decl'; assigns: ChunkAssign[]; exported: boolean; bare: ChunkAssign[] }
) & { flow?: ChunkFrame[] };
type ChunkReading = { ops: ChunkOp[] } | { error: ChunkError };

/**
 * Chunk readings by chunk text. Workflows repeat the same `run:` blocks across jobs, and a
 * construct's first lines are tried more than once (1, 2, 4, … lines): each distinct chunk goes
 * through mvdan/sh once per process. Bounded by the characters held.
 */
const chunkCache = new Map<string, ChunkReading>();
let chunkCacheChars = 0;
const CHUNK_CACHE_CHARS = 4 * 1024 * 1024;

/** Parses text[start, end) with mvdan/sh (or takes the cached reading) and reads its commands into ctx. */
function parseChunk(ctx: ReaderCtx, start: number, end: number): 'ok' | ChunkError {
  const chunk = start === 0 && end === ctx.src.text.length ? ctx.src.text : ctx.src.text.slice(start, end);
  shellStats.fullChunks++;
  shellStats.fullChars += chunk.length;
  chunkRecorder?.(chunk);
  const cacheKey = ctx.taskShell ? `\u0000task\u0000${chunk}` : chunk;
  let reading = chunkCache.get(cacheKey);
  if (!reading) {
    try {
      reading = readChunk(chunk, ctx.taskShell);
    } catch (e) {
      // a nesting the depth check in parseShell could not see (it bounds the usual shapes)
      if (!(e instanceof RangeError)) throw e;
      reading = { error: { tooDeep: {}, at: 0, incomplete: false } };
    }
    if (chunk.length <= CHUNK_CACHE_CHARS) {
      if (chunkCacheChars + chunk.length > CHUNK_CACHE_CHARS) {
        chunkCache.clear();
        chunkCacheChars = 0;
      }
      chunkCache.set(cacheKey, reading);
      chunkCacheChars += chunk.length;
    }
  }
  if ('error' in reading) return { ...reading.error, at: start + reading.error.at };
  replay(ctx, reading.ops, start);
  return 'ok';
}

/** Performs a chunk's operations at offset `start` of the text, with the variables known now. */
function replay(ctx: ReaderCtx, ops: ChunkOp[], start: number): void {
  const { src, result } = ctx;
  const tokenOf = (w: ChunkWord): Token => fieldsOf(w, false)[0]!;
  /** The argv words a word becomes: an unquoted expansion is split into fields (see Fields). */
  const fieldsOf = (w: ChunkWord, split = true): Token[] => {
    const f = new Fields(split);
    if (!w.parts.length) f.literal(''); // `""`
    for (const p of w.parts) {
      if (p.t === 'text') f.literal(p.value);
      else if (p.t === 'param') expandInto(ctx, f, p);
      else if (p.t === 'dynamic') {
        f.unknown.push(p.why);
        f.literal(p.text);
      } else {
        f.unknown.push(ctx.describe(p.name));
        f.literal(p.text);
      }
    }
    return f.tokens(src.span(start + w.start, start + w.end));
  };
  const assignOf = (a: ChunkAssign): ShellAssign => {
    const span = src.span(start + a.start, start + a.end);
    return { name: a.name, value: a.value ? tokenOf(a.value) : { value: '', span }, span };
  };
  /** The chunk's frames with ids unique in the text (offset of the construct and depth). */
  const flowOf = (fs: ChunkFrame[] | undefined): { flow?: FlowFrame[] } => {
    if (!fs?.length) return {};
    const flow = fs.map((f, i): FlowFrame => {
      const { at, ...rest } = f;
      return { ...rest, id: `${start + at}:${i}` } as FlowFrame;
    });
    return { flow };
  };
  const run = (list: ChunkOp[]) => {
    for (const o of list) {
      const fl = flowOf(o.flow);
      ctx.settle(fl.flow);
      if (o.op === 'cmd') {
        const assigns = o.assigns.map((a) => ({ ...assignOf(a), ...fl }));
        run(o.nested);
        if (o.nested.length) ctx.settle(fl.flow); // what a substitution set stays in its subshell
        const argv = o.args.flatMap((w) => fieldsOf(w));
        if (argv.length) result.commands.push({ argv, assigns, span: src.span(start + o.start, start + o.end), ...fl });
        else for (const a of assigns) { result.assignments.push(a); ctx.remember(a); }
      } else if (o.op === 'assigns') {
        const assigns = o.assigns.map((a) => ({ ...assignOf(a), ...fl }));
        for (const a of assigns) {
          result.assignments.push(a);
          ctx.remember(a);
        }
      } else {
        for (const a of o.assigns) {
          const as: ShellAssign = { ...assignOf(a), ...fl };
          if (o.exported) as.exported = true;
          result.assignments.push(as);
          ctx.remember(as);
        }
        if (o.exported) for (const a of o.bare) result.exports.push({ name: a.name, span: src.span(start + a.start, start + a.end), ...fl });
      }
    }
  };
  run(ops);
}

/** Whether a statement succeeds: known ('ok', 'fail') or not (undefined). */
type Status = 'ok' | 'fail' | undefined;
/** mvdan/sh's binary operators (syntax.BinCmdOperator): `&&`, `||`, `|`, `|&`. */
const AND = 10;
const PIPE = 12;
const PIPE_ALL = 13;

/** One chunk through mvdan/sh: its operations (offsets within the chunk), or the parse error. */
function readChunk(chunk: string, taskShell = false): ChunkReading {
  const unquote = taskShell ? taskUnescape : unescape;
  const sx = syntax();
  const toChar = byteToCharMap(chunk);
  const range = (n: ShNode) => ({ start: toChar(n.Pos().Offset()), end: toChar(n.End().Offset()) });

  let file: ShNode;
  try {
    const parser = sx.NewParser(sx.Variant(sx.LangBash));
    file = parser.Parse(chunk, '');
  } catch (e: any) {
    const message = typeof e?.Error === 'function' ? String(e.Error()) : String(e?.message ?? e);
    const pos = e?.Pos;
    const off = pos && typeof pos.Offset === 'function' ? toChar(pos.Offset()) : 0;
    const text = message.replace(/^:?\d+:\d+: /, '');
    // mvdan/sh flags input that more text could complete, except a here-document with a quoted
    // delimiter (`<<'EOF'`), which it reports as unclosed without the flag
    return { error: { parser: text, at: off, incomplete: !!e?.Incomplete || text.startsWith('unclosed here-document') } };
  }

  const wordOf = (w: ShNode): ChunkWord => {
    const out: ChunkPart[] = [];
    const text = (v: string) => {
      const last = out[out.length - 1];
      if (last?.t === 'text') last.value += v;
      else out.push({ t: 'text', value: v });
    };
    const parts = (ps: ShNode[], inDouble: boolean) => {
      for (const p of ps) {
        const t = sx.NodeType(p);
        if (t === 'Lit') text(unquote(String(p.Value), inDouble));
        else if (t === 'SglQuoted') text(String(p.Value));
        else if (t === 'DblQuoted') parts(arr(p.Parts), true);
        else if (t === 'ParamExp') {
          const name = String(p.Param?.Value ?? '');
          const simple = !p.Exp && !p.Repl && !p.Index && !p.Slice && !p.Length && !p.Excl && !p.Width;
          // deno_task_shell expands `$NAME` only: `\${NAME}` (any form) stays as written
          if (taskShell && !p.Short) text(chunk.slice(toChar(p.Pos().Offset()), toChar(p.End().Offset())));
          else if (simple) out.push(inDouble ? { t: 'param', name, short: !!p.Short, dq: true } : { t: 'param', name, short: !!p.Short });
          else out.push({ t: 'described', name, text: p.Short ? `$${name}` : `\${${name}}` });
        } else if (t === 'CmdSubst') out.push({ t: 'dynamic', text: '$(…)', why: { kind: 'command-substitution' } });
        else if (t === 'ArithmExp') out.push({ t: 'dynamic', text: '$((…))', why: { kind: 'arithmetic-expansion' } });
        else out.push({ t: 'dynamic', text: '…', why: { kind: 'shell-expansion', node: String(t) } });
      }
    };
    parts(arr(w.Parts), false);
    return { ...range(w), parts: out };
  };

  const assignOf = (a: ShNode): ChunkAssign | undefined => {
    if (!a.Name) return undefined;
    const as: ChunkAssign = { name: String(a.Name.Value), ...range(a) };
    if (a.Value) as.value = wordOf(a.Value);
    return as;
  };

  const at = (n: ShNode) => toChar(n.Pos().Offset());
  const withFlow = <T extends ChunkOp>(op: T, flow: ChunkFrame[]): T => (flow.length ? { ...op, flow } : op);

  /** One statement: `… &` runs in a background subshell. */
  const stmt = (s: ShNode, ops: ChunkOp[], flow: ChunkFrame[]) => {
    const inner: ChunkFrame[] = s.Background || s.Coprocess ? [...flow, { kind: 'subshell', at: at(s) }] : flow;
    if (s.Cmd) command(s.Cmd, ops, inner);
    for (const r of arr(s.Redirs)) generic(r, ops, inner);
  };
  const stmts = (list: ShNode, ops: ChunkOp[], flow: ChunkFrame[]) => {
    for (const s of arr(list)) stmt(s, ops, flow);
  };
  /** Statements that run when `runs` says so: always, never, or in one arm of a conditional. */
  const guarded = (list: ShNode[], ops: ChunkOp[], flow: ChunkFrame[], runs: Status, arm: Omit<Extract<ChunkFrame, { kind: 'arm' }>, 'kind'>) => {
    if (runs === 'ok') for (const s of list) stmt(s, ops, flow);
    else if (runs === 'fail') for (const s of list) stmt(s, ops, [...flow, { kind: 'never', at: arm.at }]);
    else for (const s of list) stmt(s, ops, [...flow, { kind: 'arm', ...arm }]);
  };
  const ifClause = (c: ShNode, ops: ChunkOp[], flow: ChunkFrame[]) => {
    stmts(c.Cond, ops, flow);
    const cond = listStatus(arr(c.Cond));
    const els = c.Else;
    const shape = { at: at(c), arms: els ? 2 : 1, exhaustive: !!els };
    guarded(arr(c.Then), ops, flow, cond, { ...shape, arm: 0 });
    if (!els) return;
    const elseRuns = cond === 'ok' ? 'fail' : cond === 'fail' ? 'ok' : undefined;
    const elseFlow: ChunkFrame[] = elseRuns === 'ok' ? flow : elseRuns === 'fail' ? [...flow, { kind: 'never', at: shape.at }] : [...flow, { kind: 'arm', ...shape, arm: 1 }];
    if (arr(els.Cond).length) ifClause(els, ops, elseFlow);
    else stmts(els.Then, ops, elseFlow);
  };
  const command = (c: ShNode, ops: ChunkOp[], flow: ChunkFrame[]) => {
    const t = sx.NodeType(c);
    if (t === 'CallExpr') {
      const assigns = arr(c.Assigns).map(assignOf).filter((a): a is ChunkAssign => !!a);
      const args = arr(c.Args);
      if (args.length === 0) ops.push(withFlow({ op: 'assigns', assigns }, flow));
      else {
        // command substitutions inside the words are commands too (run in a subshell)
        const nested: ChunkOp[] = [];
        for (const w of args) for (const p of arr(w.Parts)) visitNested(p, nested, flow);
        ops.push(withFlow({ op: 'cmd', assigns, nested, args: args.map(wordOf), ...range(c) }, flow));
      }
    } else if (t === 'DeclClause') {
      const assigns: ChunkAssign[] = [];
      const bare: ChunkAssign[] = [];
      for (const a of arr(c.Args)) {
        const as = assignOf(a);
        if (as && a.Value) assigns.push(as);
        else if (as && a.Naked) bare.push(as);
      }
      ops.push(withFlow({ op: 'decl', assigns, exported: String(c.Variant?.Value ?? '') === 'export', bare }, flow));
    } else if (t === 'Subshell') stmts(c.Stmts, ops, [...flow, { kind: 'subshell', at: at(c) }]);
    else if (t === 'Block') stmts(c.Stmts, ops, flow);
    else if (t === 'IfClause') ifClause(c, ops, flow);
    else if (t === 'BinaryCmd') {
      if (c.Op === PIPE || c.Op === PIPE_ALL) {
        // every element of a pipeline runs in a subshell of its own (dash, and bash without lastpipe)
        stmt(c.X, ops, [...flow, { kind: 'subshell', at: at(c.X) }]);
        stmt(c.Y, ops, [...flow, { kind: 'subshell', at: at(c.Y) }]);
      } else {
        stmt(c.X, ops, flow);
        const x = stmtStatus(c.X);
        const runs: Status = c.Op === AND ? x : x === 'ok' ? 'fail' : x === 'fail' ? 'ok' : undefined;
        guarded([c.Y], ops, flow, runs, { at: at(c.Y), arm: 0, arms: 1, exhaustive: false });
      }
    } else if (t === 'WhileClause') {
      const loop: ChunkFrame[] = [...flow, { kind: 'loop', at: at(c) }];
      stmts(c.Cond, ops, loop);
      stmts(c.Do, ops, loop);
    } else if (t === 'ForClause') {
      if (c.Loop) generic(c.Loop, ops, flow);
      stmts(c.Do, ops, [...flow, { kind: 'loop', at: at(c) }]);
    } else if (t === 'CaseClause') {
      if (c.Word) generic(c.Word, ops, flow);
      const items = arr(c.Items);
      const exhaustive = items.some((it: ShNode) => arr(it.Patterns).some((w: ShNode) => w.Lit() === '*'));
      items.forEach((it: ShNode, k: number) => stmts(it.Stmts, ops, [...flow, { kind: 'arm', at: at(c), arm: k, arms: items.length, exhaustive }]));
    } else if (t === 'FuncDecl') {
      if (c.Body) stmt(c.Body, ops, [...flow, { kind: 'function', at: at(c), name: String(c.Name?.Value ?? '') }]);
    } else if (t === 'TimeClause') {
      if (c.Stmt) stmt(c.Stmt, ops, flow);
    } else generic(c, ops, flow);
  };
  /** Any other node: the statements and commands found inside it, command substitutions in a subshell. */
  const generic = (n: ShNode, ops: ChunkOp[], flow: ChunkFrame[]) => {
    sx.Walk(n, (node: ShNode) => {
      if (!node) return true;
      const t = sx.NodeType(node);
      if (t === 'Stmt') {
        stmt(node, ops, flow);
        return false;
      }
      if (t === 'CmdSubst' || t === 'ProcSubst') {
        stmts(node.Stmts, ops, [...flow, { kind: 'subshell', at: at(node) }]);
        return false;
      }
      if (t === 'CallExpr' || t === 'DeclClause') {
        command(node, ops, flow);
        return false;
      }
      return true;
    });
  };
  const visitNested = (p: ShNode, ops: ChunkOp[], flow: ChunkFrame[]) => {
    const t = sx.NodeType(p);
    if (t === 'CmdSubst' || t === 'ProcSubst') stmts(p.Stmts, ops, [...flow, { kind: 'subshell', at: at(p) }]);
    else if (t === 'DblQuoted') for (const q of arr(p.Parts)) visitNested(q, ops, flow);
  };

  /** Whether a statement succeeds, when that is known statically (`true`, `:`, an assignment, `export …`; `false`). */
  const stmtStatus = (s: ShNode): Status => {
    const r = cmdStatus(s.Cmd);
    return s.Negated && r ? (r === 'ok' ? 'fail' : 'ok') : r;
  };
  const listStatus = (list: ShNode[]): Status => (list.length ? stmtStatus(list[list.length - 1]) : undefined);
  const cmdStatus = (c: ShNode): Status => {
    if (!c) return undefined;
    const t = sx.NodeType(c);
    if (t === 'CallExpr') {
      const args = arr(c.Args);
      // `X=$(cmd)` has the status of cmd
      if (args.length === 0) return arr(c.Assigns).every((a: ShNode) => !a.Value || arr(a.Value.Parts).every((p: ShNode) => sx.NodeType(p) !== 'CmdSubst')) ? 'ok' : undefined;
      if (args.length !== 1 || arr(c.Assigns).length) return undefined;
      const lit = args[0].Lit();
      return lit === 'true' || lit === ':' ? 'ok' : lit === 'false' ? 'fail' : undefined;
    }
    if (t === 'DeclClause') return String(c.Variant?.Value ?? '') === 'export' ? 'ok' : undefined;
    if (t === 'Block' || t === 'Subshell') return listStatus(arr(c.Stmts));
    if (t === 'BinaryCmd') {
      const x = stmtStatus(c.X);
      const y = stmtStatus(c.Y);
      if (c.Op === PIPE || c.Op === PIPE_ALL) return y;
      if (c.Op === AND) return x === 'fail' ? 'fail' : x === 'ok' ? y : undefined;
      return x === 'ok' ? 'ok' : x === 'fail' ? y : undefined;
    }
    return undefined;
  };

  const ops: ChunkOp[] = [];
  stmts(file.Stmts, ops, []);
  return { ops };
}


// ---------------------------------------------------------------------------------------------
// The fast path: one logical line of plain simple commands, or undefined (the full parser reads it)

type FastPart = { t: 'lit'; raw: string; dq: boolean } | { t: 'sq'; value: string } | { t: 'param'; name: string; short: boolean; dq?: true };
interface FastWord {
  start: number;
  end: number;
  parts: FastPart[];
}
interface FastAssign {
  name: string;
  start: number;
  end: number;
  value?: FastWord;
  /** `export X`: a name without `=`. */
  bare?: true;
}
type FastStatement = ({ kind: 'cmd'; assigns: FastAssign[]; words: FastWord[] } | { kind: 'decl'; assigns: FastAssign[]; exported: boolean }) & {
  /** Offset of its first word. */
  start: number;
  /** The operator after it (a line break or the end: `;`). */
  sep: ';' | '&' | '&&' | '||' | '|';
  /** The constructs `|`, `&`, `&&`, `||` put it in, as the full parser reports them. */
  flow?: FlowFrame[];
};

/** Words that start compound commands or other syntax at command position: the full parser reads them. */
const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'select', 'function', 'in', 'time', 'coproc', '!', '{', '}', '[[', ']]', 'let']);
const DECL = new Set(['export', 'declare', 'local', 'readonly', 'typeset', 'nameref']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAM = /[@*#?$!\-0-9]/;

/** Reads one word from `i`: its parts, or undefined for anything the fast path leaves to the full parser. */
function readWord(text: string, i: number): FastWord | undefined {
  const start = i;
  const parts: FastPart[] = [];
  const { flush, addLit, empty } = literalRuns(parts);
  /** `$…` at text[j]: the parameter and where it ends, or undefined. */
  const param = (j: number): { name: string; short: boolean; end: number } | undefined => {
    const c = text[j + 1];
    if (c === undefined) return undefined;
    if (NAME_START.test(c)) {
      let k = j + 2;
      while (k < text.length && NAME_CHAR.test(text[k]!)) k++;
      return { name: text.slice(j + 1, k), short: true, end: k };
    }
    if (SPECIAL_PARAM.test(c)) return { name: c, short: true, end: j + 2 };
    if (c === '{') {
      let k = j + 2;
      if (k < text.length && NAME_START.test(text[k]!)) {
        while (k < text.length && NAME_CHAR.test(text[k]!)) k++;
      } else if (k < text.length && /[0-9]/.test(text[k]!)) {
        while (k < text.length && /[0-9]/.test(text[k]!)) k++;
      } else if (k < text.length && /[@*?$!-]/.test(text[k]!)) k++;
      else return undefined;
      if (text[k] !== '}') return undefined;
      return { name: text.slice(j + 2, k), short: false, end: k + 1 };
    }
    return undefined;
  };
  /** A `$name` / `${name}` at `j` becomes a param part; the index after it, or undefined when it is not a plain parameter. */
  const takeParam = (j: number, dq: boolean): number | undefined => {
    const p = param(j);
    if (!p) return undefined;
    flush();
    parts.push(dq ? { t: 'param', name: p.name, short: p.short, dq: true } : { t: 'param', name: p.name, short: p.short });
    return p.end;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>' || c === '(' || c === ')') break;
    if (c === '\r' || c === '`') return undefined;
    // mvdan/sh 0.10.1 starts a comment at a `#` right after a quote or an expansion (`"$X"#b`), sh does not
    if (c === '#' && empty() && parts.length > 0) return undefined;
    if (c === '\\') {
      if (i + 1 >= text.length || text[i + 1] === '\r') return undefined;
      addLit(text.slice(i, i + 2), false);
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      flush();
      parts.push({ t: 'sq', value: text.slice(i + 1, close) });
      i = close + 1;
      continue;
    }
    if (c === '"') {
      flush();
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        const d = text[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '`' || d === '\r') return undefined;
        if (d === '\\') {
          // a continued line inside double quotes: mvdan/sh's literal drops it (read there, both dialects)
          if (i + 1 >= text.length || text[i + 1] === '\n') return undefined;
          addLit(text.slice(i, i + 2), true);
          i += 2;
          continue;
        }
        if (d === '$') {
          const end = takeParam(i, true);
          if (end === undefined) return undefined;
          i = end;
          continue;
        }
        addLit(d, true);
        i++;
      }
      flush();
      continue;
    }
    if (c === '$') {
      const end = takeParam(i, false);
      if (end === undefined) return undefined;
      i = end;
      continue;
    }
    addLit(c, false);
    i++;
  }
  flush();
  if (i === start) return undefined;
  return { start, end: i, parts };
}

/** The word's text when it is one unquoted literal without escapes (reserved words, names, fds). */
function plainText(w: FastWord): string | undefined {
  if (w.parts.length !== 1) return undefined;
  const p = w.parts[0]!;
  return p.t === 'lit' && !p.dq && !p.raw.includes('\\') ? p.raw : undefined;
}

/** `NAME=…` as an assignment (the value's parts follow the `=`), or undefined. */
function assignmentOf(w: FastWord): FastAssign | undefined | 'bail' {
  const first = w.parts[0];
  if (!first || first.t !== 'lit' || first.dq) return undefined;
  const m = assignmentHead(first.raw);
  if (m === undefined || m === 'bail') return m;
  if (m[2] !== '=') return 'bail'; // X+=…, X[i]=…: the full parser
  const name = m[1]!;
  const rest = first.raw.slice(name.length + 1);
  const parts: FastPart[] = rest ? [{ t: 'lit', raw: rest, dq: false }, ...w.parts.slice(1)] : w.parts.slice(1);
  const valueStart = w.start + name.length + 1;
  const a: FastAssign = { name, start: w.start, end: w.end };
  if (w.end > valueStart) a.value = { start: valueStart, end: w.end, parts };
  return a;
}

/**
 * Statements the fast path holds before it hands them over: a line of 225,000 `echo a;` (one
 * 1.8 MB deno.json task) is read in batches that end after a `;` or `&`, where the next statement
 * starts afresh, instead of holding every statement of the line at once (twice the memory).
 */
const FAST_BATCH = 1024;

/**
 * Reads the plain simple commands of one logical line from `pos` (a line start, or just after a
 * `;` / `&` where an earlier call stopped): up to and including the line break that ends it, or
 * after FAST_BATCH statements. Undefined when anything needs the full parser.
 */
export function fastLine(text: string, pos: number): { end: number; statements: FastStatement[] } | undefined {
  const statements: FastStatement[] = [];
  let assigns: FastAssign[] = [];
  let words: FastWord[] = [];
  let decl = false;
  let exported = false;
  let expectMore = false;
  let i = pos;
  let start = -1;
  let sep: FastStatement['sep'] = ';';
  const finish = (): boolean => {
    if (decl) statements.push({ kind: 'decl', assigns, exported, start, sep });
    else if (assigns.length || words.length) statements.push({ kind: 'cmd', assigns, words, start, sep });
    else return false;
    start = -1;
    sep = ';';
    assigns = [];
    words = [];
    decl = false;
    exported = false;
    return true;
  };
  const hasContent = () => decl || assigns.length > 0 || words.length > 0;
  /** A redirection at `i` (operator length `opLen`): skips it and its target. */
  const redirect = (opLen: number): boolean => {
    if (words.length === 0 || decl) return false;
    let j = i + opLen;
    while (text[j] === ' ' || text[j] === '\t') j++;
    const target = readWord(text, j);
    if (!target) return false;
    i = target.end;
    return true;
  };
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (i >= text.length) break;
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '\n') {
      i++;
      if (hasContent()) {
        finish();
        expectMore = false;
        return { end: i, statements: withFlow(statements) };
      }
      if (expectMore) continue;
      return { end: i, statements: withFlow(statements) };
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      // mvdan-sh 0.10.1 continues a comment that ends in a backslash onto the next line, which
      // joins the command written before the comment (between commands it joins nothing)
      if (hasContent() && i < text.length && (text[i - 1] === '\\' || (text[i - 1] === '\r' && text[i - 2] === '\\'))) return undefined;
      continue;
    }
    if (c === ';') {
      if (text[i + 1] === ';' || text[i + 1] === '&' || !finish()) return undefined;
      expectMore = false;
      i++;
      if (statements.length >= FAST_BATCH) return { end: i, statements: withFlow(statements) };
      continue;
    }
    if (c === '&') {
      if (text[i + 1] === '&') {
        sep = '&&';
        if (!finish()) return undefined;
        expectMore = true;
        i += 2;
        continue;
      }
      if (text[i + 1] === '>') {
        if (!redirect(text[i + 2] === '>' ? 3 : 2)) return undefined;
        continue;
      }
      sep = '&';
      if (!finish()) return undefined;
      expectMore = false;
      i++;
      if (statements.length >= FAST_BATCH) return { end: i, statements: withFlow(statements) };
      continue;
    }
    if (c === '|') {
      if (text[i + 1] === '&') return undefined;
      sep = text[i + 1] === '|' ? '||' : '|';
      if (!finish()) return undefined;
      expectMore = true;
      i += text[i + 1] === '|' ? 2 : 1;
      continue;
    }
    if (c === '<' || c === '>') {
      const op = text.slice(i, i + 3);
      if (op.startsWith('<<') || op.startsWith('<>') || op.startsWith('>|') || op.startsWith('<(') || op.startsWith('>(')) return undefined;
      const len = op.startsWith('>>') || op.startsWith('>&') || op.startsWith('<&') ? 2 : 1;
      if (!redirect(len)) return undefined;
      continue;
    }
    if (c === '(' || c === ')' || c === '\r') return undefined;
    const w = readWord(text, i);
    if (!w) return undefined;
    if (start < 0) start = w.start;
    const plain = plainText(w);
    if (plain !== undefined && /^[0-9]+$/.test(plain) && (text[w.end] === '<' || text[w.end] === '>')) {
      // `2>&1`: a file descriptor, not a word
      i = w.end;
      const op = text.slice(i, i + 3);
      if (op.startsWith('<<') || op.startsWith('<>') || op.startsWith('>|') || op.startsWith('<(') || op.startsWith('>(')) return undefined;
      const len = op.startsWith('>>') || op.startsWith('>&') || op.startsWith('<&') ? 2 : 1;
      if (!redirect(len)) return undefined;
      continue;
    }
    if (plain === '{' || plain === '}') return undefined;
    if (decl) {
      const a = assignmentOf(w);
      if (a === 'bail') return undefined;
      if (a) assigns.push(a);
      else if (plain === undefined || !/^([-+][A-Za-z]+|[A-Za-z_][A-Za-z0-9_]*)$/.test(plain)) return undefined;
      else if (!/^[-+]/.test(plain)) assigns.push({ name: plain, start: w.start, end: w.end, bare: true });
    } else if (words.length === 0) {
      const a = assignmentOf(w);
      if (a === 'bail') return undefined;
      if (a) assigns.push(a);
      else if (plain !== undefined && RESERVED.has(plain)) return undefined;
      else if (plain !== undefined && DECL.has(plain)) {
        if (assigns.length) return undefined;
        decl = true;
        exported = plain === 'export';
      } else if (plain === undefined && w.parts[0]?.t === 'lit' && w.parts.length === 1 && RESERVED.has(unescape(w.parts[0].raw, false))) return undefined;
      else words.push(w);
    } else words.push(w);
    i = w.end;
    expectMore = false;
  }
  if (expectMore) return undefined; // `a &&` at the end: incomplete, the full parser says so
  finish();
  return { end: i, statements: withFlow(statements) };
}

/**
 * The frames `|`, `&`, `&&` and `||` put the statements of complete lists in, exactly as the
 * full parser's tree gives them (`a && b || c` is `(a && b) || c`; `a | b | c` is `(a | b) | c`;
 * every pipeline element is a subshell; `… &` puts the whole list in one).
 */
function withFlow(statements: FastStatement[]): FastStatement[] {
  let i = 0;
  while (i < statements.length) {
    // one and-or list: pipelines joined by && / ||, ended by ; or &
    let end = i;
    while (end < statements.length && (statements[end]!.sep === '&&' || statements[end]!.sep === '||' || statements[end]!.sep === '|')) end++;
    const list = statements.slice(i, end + 1);
    i = end + 1;
    if (list.length === 1 && list[0]!.sep !== '&') continue;
    const base: FlowFrame[] = list[list.length - 1]!.sep === '&' ? [{ kind: 'subshell', id: `${list[0]!.start}:0` }] : [];
    let status: Status = 'ok';
    let op: '&&' | '||' | undefined;
    let k = 0;
    while (k < list.length) {
      let m = k;
      while (list[m]!.sep === '|') m++;
      const pipeline = list.slice(k, m + 1);
      // the right side of && / || runs when the left side's status says so
      const runs: Status = op === undefined ? 'ok' : op === '&&' ? status : status === 'ok' ? 'fail' : status === 'fail' ? 'ok' : undefined;
      const at = pipeline[0]!.start;
      const here: FlowFrame[] =
        runs === 'ok' ? base : runs === 'fail' ? [...base, { kind: 'never', id: `${at}:${base.length}` }] : [...base, { kind: 'arm', id: `${at}:${base.length}`, arm: 0, arms: 1, exhaustive: false }];
      const n = pipeline.length;
      pipeline.forEach((st, j) => {
        const frames = [...here];
        if (n > 1) {
          for (let d = 0; d < (j === 0 ? n - 1 : n - 1 - j); d++) frames.push({ kind: 'subshell', id: `${at}:${frames.length}` });
          if (j > 0) frames.push({ kind: 'subshell', id: `${st.start}:${frames.length}` });
        }
        if (frames.length) st.flow = frames;
      });
      const last = pipeline[n - 1]!;
      const own: Status = last.kind === 'decl' ? (last.exported ? 'ok' : undefined) : fastStatus(last);
      status = op === undefined ? own : op === '&&' ? (status === 'fail' ? 'fail' : status === 'ok' ? own : undefined) : status === 'ok' ? 'ok' : status === 'fail' ? own : undefined;
      op = last.sep === '&&' || last.sep === '||' ? last.sep : undefined;
      k = m + 1;
    }
  }
  return statements;
}

/** A plain command's status when known: an assignment, `true`, `:` succeed; `false` fails. */
function fastStatus(st: Extract<FastStatement, { kind: 'cmd' }>): Status {
  if (st.words.length === 0) return 'ok';
  if (st.words.length !== 1 || st.assigns.length) return undefined;
  const lit = plainText(st.words[0]!);
  return lit === 'true' || lit === ':' ? 'ok' : lit === 'false' ? 'fail' : undefined;
}

function applyFast(ctx: ReaderCtx, st: FastStatement): void {
  const { src, result } = ctx;
  const tokenOf = (w: FastWord): Token => fieldsOf(w, false)[0]!;
  /** The argv words a word becomes: an unquoted expansion is split into fields (see Fields). */
  const fieldsOf = (w: FastWord, split = true): Token[] => {
    const f = new Fields(split);
    if (!w.parts.length) f.literal(''); // `""`
    for (const p of w.parts) {
      if (p.t === 'lit') f.literal(ctx.taskShell ? taskUnescape(p.raw, p.dq) : unescape(p.raw, p.dq));
      else if (p.t === 'param' && ctx.taskShell && !p.short) f.literal(`\${${p.name}}`);
      else if (p.t === 'sq') f.literal(p.value);
      else expandInto(ctx, f, p);
    }
    return f.tokens(src.span(w.start, w.end));
  };
  const assignOf = (a: FastAssign): ShellAssign => {
    const span = src.span(a.start, a.end);
    return { name: a.name, value: a.value ? tokenOf(a.value) : { value: '', span }, span };
  };
  const fl = st.flow ? { flow: st.flow } : {};
  ctx.settle(st.flow);
  if (st.kind === 'decl') {
    for (const a of st.assigns) {
      if (!a.value) {
        if (st.exported && a.bare) result.exports.push({ name: a.name, span: src.span(a.start, a.end), ...fl });
        continue;
      }
      const as = { ...assignOf(a), ...fl };
      if (st.exported) as.exported = true;
      result.assignments.push(as);
      ctx.remember(as);
    }
    return;
  }
  const assigns = st.assigns.map((a) => ({ ...assignOf(a), ...fl }));
  if (st.words.length === 0) {
    for (const a of assigns) {
      result.assignments.push(a);
      ctx.remember(a);
    }
    return;
  }
  const first = st.assigns[0]?.start ?? st.words[0]!.start;
  const argv = st.words.flatMap((w) => fieldsOf(w));
  if (argv.length) result.commands.push({ argv, assigns, span: src.span(first, st.words[st.words.length - 1]!.end), ...fl });
  else
    for (const a of assigns) {
      result.assignments.push(a);
      ctx.remember(a);
    }
}

/** A `$name` part: its value, split into fields only when it is unquoted and its value known. */
function expandInto(ctx: ReaderCtx, f: Fields, p: { name: string; short: boolean; dq?: true }): void {
  const known = ctx.vars.has(p.name);
  const before = f.unknown.length;
  const v = ctx.expand(p.name, p.short, f.unknown);
  f.expansion(v, !p.dq && known && f.unknown.length === before);
}

/**
 * Field splitting, as POSIX sh and deno_task_shell both do it (checked with Deno 2.9.6: a task
 * `export F='--allow-read --allow-env' && deno run $F x.ts` grants read and env; with `"$F"` it
 * is one unknown flag): the value of an unquoted, known expansion is cut at spaces, tabs and
 * line breaks, and a word that expands to nothing at all (`$EMPTY`) is no argument. Quoted
 * parts and literal text are never split. Every field keeps the span of the word it came from.
 * With `split` false (assignment values) the word stays one token.
 */
class Fields {
  readonly unknown: DynamicReason[] = [];
  private readonly out: string[] = [];
  private cur = '';
  /** The current field exists (text was added to it, or a quoted or literal part, even an empty one). */
  private open = false;
  constructor(private readonly split: boolean) {}
  literal(v: string): void {
    this.cur += v;
    this.open = true;
  }
  expansion(v: string, splits: boolean): void {
    if (!this.split || !splits) return this.literal(v);
    let i = 0;
    while (i < v.length) {
      const c = v[i]!;
      if (c === ' ' || c === '\t' || c === '\n') {
        if (this.open) this.out.push(this.cur);
        this.cur = '';
        this.open = false;
      } else {
        this.cur += c;
        this.open = true;
      }
      i++;
    }
  }
  tokens(span: Span): Token[] {
    if (this.open) this.out.push(this.cur);
    if (!this.split && this.out.length === 0) this.out.push('');
    // (one reason, the usual case, is unique as it is: uniqueReasons compares by JSON text)
    const dynamic = this.unknown.length === 1 ? [this.unknown[0]!] : this.unknown.length ? uniqueReasons(this.unknown) : undefined;
    return this.out.map((value) => (dynamic ? { value, span, dynamic } : { value, span }));
  }
}

function arr(x: any): any[] {
  if (!x) return [];
  if (Array.isArray(x)) return x;
  if (typeof x.length === 'number') return Array.from(x as ArrayLike<unknown>);
  return [];
}

/**
 * Split a string the way `env -S` does (whitespace-separated, with single and double quotes),
 * keeping each piece's span. Used for shebang lines and `env -S "…"` arguments.
 */
export function splitEnvString(src: MappedText): Token[] {
  const out: Token[] = [];
  const s = src.text;
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    let value = '';
    while (i < s.length && !/\s/.test(s[i]!)) {
      const c = s[i]!;
      if (c === "'" || c === '"') {
        const close = s.indexOf(c, i + 1);
        const end = close < 0 ? s.length : close;
        value += s.slice(i + 1, end);
        i = end + 1;
      } else if (c === '\\' && i + 1 < s.length) {
        value += s[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    out.push({ value, span: src.span(start, Math.min(i, s.length)) });
  }
  return out;
}
