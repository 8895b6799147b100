/**
 * Neutralising text from the scanned tree for each output. File names, values and messages can
 * hold anything a stranger commits: terminal escape sequences, `\r` that rewrites a line, a
 * newline followed by `::add-mask::` or `::stop-commands::` for a workflow log, `<img src=…>`,
 * links, images and `@mentions` for a pull-request comment. Every reporter passes such text
 * through the function for its medium; JSON, SARIF and JUnit escape by their own syntax.
 */
import { randomBytes } from 'node:crypto';

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
