/**
 * Neutralising text from the scanned tree for each output. File names, values and messages can
 * hold anything a stranger commits: terminal escape sequences, `\r` that rewrites a line, a
 * newline followed by `::add-mask::` or `::stop-commands::` for a workflow log, `<img src=…>`,
 * links, images and `@mentions` for a pull-request comment. Every reporter passes such text
 * through the function for its medium; JSON, SARIF and JUnit escape by their own syntax.
 */
import { randomBytes } from 'node:crypto';
import type { Finding } from '../model.js';

/** Longest stretch a message quotes from the tree: a code span, or a run without spaces. */
export const MAX_EXCERPT = 80;
/** Longest message, after excerpts are cut. */
export const MAX_MESSAGE = 1000;

/** `s` cut to `max` characters with the middle elided (`…`), never splitting a surrogate pair. */
function elide(s: string, max: number): string {
  if (s.length <= max) return s;
  let head = Math.ceil((max - 1) * 0.6);
  let tail = s.length - (max - 1 - head);
  if (/[\uDC00-\uDFFF]/.test(s[head] ?? '')) head--;
  if (/[\uDC00-\uDFFF]/.test(s[tail] ?? '')) tail++;
  return `${s.slice(0, head)}…${s.slice(tail)}`;
}

/**
 * A run of more than MAX_EXCERPT non-blank characters, matched from its first character only (a
 * run shorter than that was tried again from each of its characters: quadratic in its length).
 * Made on first use: a module of the parser thread's bundle that it leaves out unless used.
 */
let longRun: RegExp | undefined;

/**
 * A message that quotes at most short, elided excerpts of what the tree holds: each code span
 * (`…`) and each run without spaces longer than MAX_EXCERPT keeps its start and end around a
 * `…`, and the whole is cut at MAX_MESSAGE. Rules and sources write values as they are; lint()
 * passes every finding through shortFinding once, so no source kind or rule can print a
 * 100 KB token (a task name, a path list, a `$(` nested 100,000 deep).
 */
export function shortMessage(message: string): string {
  if (message.length <= MAX_EXCERPT) return message;
  // even pieces are prose, odd ones are inside backticks
  const out = message
    .split('`')
    .map((piece, i) => (i % 2 === 1 ? elide(piece, MAX_EXCERPT) : piece.length > MAX_EXCERPT ? piece.replace((longRun ??= new RegExp(`(?<!\\S)\\S{${MAX_EXCERPT + 1},}`, 'g')), (run) => elide(run, MAX_EXCERPT)) : piece))
    .join('`');
  return out.length > MAX_MESSAGE ? elide(out, MAX_MESSAGE) : out;
}

/** The finding with its message, related messages, details and cause message cut by shortMessage. */
export function shortFinding(f: Finding): Finding {
  const long = (m: string) => m.length > MAX_EXCERPT;
  if (!long(f.message) && !f.related?.some((r) => long(r.message)) && !f.details?.some(long) && !(f.cause && long(f.cause.message))) return f;
  const out: Finding = { ...f, message: shortMessage(f.message) };
  if (f.related) out.related = f.related.map((r) => (long(r.message) ? { ...r, message: shortMessage(r.message) } : r));
  if (f.details) out.details = f.details.map(shortMessage);
  if (f.cause) out.cause = { ...f.cause, message: shortMessage(f.cause.message) };
  return out;
}

/**
 * C0/C1 control characters, DEL, and the Unicode line/paragraph separators and bidirectional
 * controls, shown as `\n`, `\r`, `\t`, `\xNN` or `\uNNNN` (a terminal or a log cannot be driven).
 */
export function escapeControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const n = c.charCodeAt(0);
    return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** Escaping for a workflow command's message (toolkit `escapeData`); other control characters made visible. */
export function escapeData(s: string): string {
  return escapeControls(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Escaping for a workflow command's property value (toolkit `escapeProperty`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Plain text for a workflow log: the lines run between `::stop-commands::<token>` and
 * `::<token>::`, GitHub's own way to print untrusted text, with a token nobody can guess; every
 * line has its control characters escaped, and a line that would still look like a command
 * (`::x` or `##[x` at its start) gets a visible space.
 */
export function workflowLogBlock(text: string, token = randomBytes(16).toString('hex')): string {
  if (!text) return '';
  const lines = text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => escapeControls(l).replace(/^(\s*)(::|##\[)/, '$1 $2'));
  return `::stop-commands::${token}\n${lines.join('\n')}\n::${token}::\n`;
}

/**
 * Markdown text (a table cell or a paragraph) that renders as the same characters and nothing
 * else: no HTML, links, images, emphasis, code spans, autolinked mentions or issue references,
 * no line breaks, no table cell breaks.
 */
export function escapeMarkdown(s: string): string {
  return (
    escapeControls(s.replace(/\r\n|\r|\n/g, ' '))
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // CommonMark: ASCII punctuation may be backslash-escaped; these start emphasis, code,
      // links and images, strike-through, headings, or end a table cell
      .replace(/[\\`*_[\]!|~#]/g, (c) => `\\${c}`)
      // `@user` and `org/repo#1` would notify or link: a zero-width space breaks the autolink
      .replace(/@/g, '@\u200b')
      // bare URLs are autolinked by GFM
      .replace(/:\/\//g, ':\u200b//')
      .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\u200b.`)
  );
}

/** Inline code that holds `s` exactly (a fence longer than any backtick run inside), safe in a table cell. */
export function markdownCode(s: string): string {
  const text = escapeControls(s).replace(/\|/g, '\\|');
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim()) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A copy of a plain data value (arrays, objects, strings) with every string's control characters escaped. */
export function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeControls(value) as T;
  if (Array.isArray(value)) return value.map((v) => escapeStrings(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = escapeStrings(v);
    return out as T;
  }
  return value;
}
