/**
 * Where a command-line word sits in the file it was read from, so that `--fix` can replace it by
 * other words, remove it or insert words before it without re-serialising anything:
 *
 * - `word`: inside a command string (a deno.json task, a package.json script, a shell line, a
 *   Dockerfile shell-form instruction, a YAML `run:`/`command:` string): words are separated by
 *   blanks;
 * - `item`: its own element of an array (Dockerfile exec form, a JSON array, a YAML flow
 *   sequence `["deno", "run"]`): elements are separated by commas, each in its quotes;
 * - `line`: its own item of a YAML block sequence (`- --allow-read`): one item per line.
 *
 * Everything is decided from the exact text around the word's range; a word whose surroundings
 * are none of these is only ever replaced by one word.
 */

export interface Place {
  style: 'word' | 'item' | 'line';
  /** The word's range without quotes. */
  start: number;
  end: number;
  /** The word's range with its quotes, when it is its own quoted string. */
  outerStart: number;
  outerEnd: number;
  quote: '' | '"' | "'";
  /** `line` style: the text before the item on its line (`      - `). */
  prefix?: string;
}

export interface Change {
  start: number;
  end: number;
  text: string;
}

/** Words permlint writes: no blanks, quotes, backslashes or shell syntax, so they need no escaping in any carrier. */
const PLAIN = /^[A-Za-z0-9_./:=,@%+~-]+(=\*)?$/;
export function writable(word: string): boolean {
  return PLAIN.test(word);
}

function lineStart(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}
function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n;
}

export function placeOf(text: string, start: number, end: number): Place {
  const q = text[start - 1];
  const quote = (q === '"' || q === "'") && text[end] === q ? q : '';
  const outerStart = quote ? start - 1 : start;
  const outerEnd = quote ? end + 1 : end;
  let l = outerStart - 1;
  while (l >= 0 && /\s/.test(text[l]!)) l--;
  let r = outerEnd;
  while (r < text.length && /\s/.test(text[r]!)) r++;
  const base = { start, end, outerStart, outerEnd, quote } as const;
  if ((text[l] === ',' || text[l] === '[') && (text[r] === ',' || text[r] === ']')) return { ...base, style: 'item' };
  const before = text.slice(lineStart(text, outerStart), outerStart);
  const after = text.slice(outerEnd, lineEnd(text, outerEnd));
  if (/^\s*-\s+$/.test(before) && /^\s*(#.*)?$/.test(after)) return { ...base, style: 'line', prefix: before };
  return { ...base, style: 'word' };
}

/** The word in the element's quotes; an unquoted flow-sequence element with a comma or bracket in it gets double quotes (`[deno, "--allow-read=./a,./b"]`). */
const quoted = (p: Place, w: string) => (p.quote === '' && p.style === 'item' && /[,[\]{}]/.test(w) ? `"${w}"` : `${p.quote}${w}${p.quote}`);

/** What follows the comma before an array element (`' '`, or a line break and indentation in a multi-line array). */
function itemSep(text: string, p: Place): string {
  let l = p.outerStart - 1;
  while (l >= 0 && /\s/.test(text[l]!)) l--;
  return text[l] === ',' ? text.slice(l + 1, p.outerStart) : ' ';
}

/** Replace the word by `words` (one or more); undefined when the carrier cannot hold them. */
export function replaceWith(text: string, p: Place, words: string[]): Change | undefined {
  if (!words.length) return removal(text, p);
  if (words.length === 1) return p.style === 'item' ? { start: p.outerStart, end: p.outerEnd, text: quoted(p, words[0]!) } : { start: p.start, end: p.end, text: words[0]! };
  if (p.style === 'word') return p.quote ? undefined : { start: p.start, end: p.end, text: words.join(' ') };
  if (p.style === 'item') return { start: p.outerStart, end: p.outerEnd, text: words.map((w) => quoted(p, w)).join(`,${itemSep(text, p)}`) };
  return { start: p.outerStart, end: p.outerEnd, text: words.map((w, i) => (i ? `\n${p.prefix!}` : '') + quoted(p, w)).join('') };
}

/** Remove the word (and the separator that goes with it); undefined when it is its own string outside an array. */
export function removal(text: string, p: Place): Change | undefined {
  if (p.style === 'line') {
    const s = lineStart(text, p.outerStart);
    const e = lineEnd(text, p.outerEnd);
    return { start: s, end: Math.min(text.length, e + 1), text: '' };
  }
  if (p.style === 'item') {
    let l = p.outerStart - 1;
    while (l >= 0 && /\s/.test(text[l]!)) l--;
    if (text[l] === ',') return { start: l, end: p.outerEnd, text: '' };
    // the first element: take the comma after it and the blanks up to the next element
    let r = p.outerEnd;
    while (r < text.length && /\s/.test(text[r]!)) r++;
    if (text[r] !== ',') return { start: p.outerStart, end: p.outerEnd, text: '' };
    r++;
    while (r < text.length && /[ \t]/.test(text[r]!)) r++;
    return { start: p.outerStart, end: r, text: '' };
  }
  if (p.quote) return undefined;
  // a word alone on a continued line (`  --allow-net \`): the whole line goes
  const ls = lineStart(text, p.start);
  const le = lineEnd(text, p.end);
  if (/^\s*$/.test(text.slice(ls, p.start)) && /^[ \t]*\\$/.test(text.slice(p.end, le)) && le < text.length) return { start: ls, end: le + 1, text: '' };
  let from = p.start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  // a word first on its line keeps the indentation and drops the blank after it instead
  if (from === lineStart(text, p.start) || text[from - 1] === '"' || text[from - 1] === "'") {
    let to = p.end;
    while (to < text.length && (text[to] === ' ' || text[to] === '\t')) to++;
    return { start: p.start, end: to, text: '' };
  }
  return { start: from, end: p.end, text: '' };
}

/** Insert `words` before the word (the entrypoint), in the carrier's own separators. */
export function insertBefore(text: string, p: Place, words: string[]): Change | undefined {
  if (p.style === 'word') return p.quote ? undefined : { start: p.start, end: p.start, text: `${words.join(' ')} ` };
  if (p.style === 'item') return { start: p.outerStart, end: p.outerStart, text: words.map((w) => `${quoted(p, w)},${itemSep(text, p)}`).join('') };
  const s = lineStart(text, p.outerStart);
  return { start: s, end: s, text: words.map((w) => `${p.prefix!}${quoted(p, w)}\n`).join('') };
}
