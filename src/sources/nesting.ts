/**
 * Nesting limits checked before a parser that recurses per level sees the text (yaml's
 * composer, toml-eslint-parser, jsonc-parser's tree builder): deeper input is a parse-error
 * that says so, never a stack overflow caught by luck. The scanners are iterative and read the
 * text the way the format does — a bracket inside a quoted string or a comment does not count —
 * so a string full of `]` cannot hide real nesting from them.
 */
import { SyntaxKind, createScanner } from 'jsonc-parser';

/** Nesting levels any data file may have (real ones stay under 30). */
export const MAX_NESTING = 256;

/** Offset where JSON/JSONC bracket nesting first exceeds `max` (jsonc-parser's scanner: strings and comments are tokens). */
export function jsonTooDeep(text: string, max = MAX_NESTING): number | undefined {
  // a text with at most `max` opening brackets anywhere (strings and comments included) cannot
  // nest deeper: the scanner is not needed (a deno.json or package.json has a few dozen)
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 123 || c === 91) && ++open > max) break;
  }
  if (open <= max) return undefined;
  const sc = createScanner(text, true);
  let depth = 0;
  for (let k = sc.scan(); k !== SyntaxKind.EOF; k = sc.scan()) {
    if (k === SyntaxKind.OpenBraceToken || k === SyntaxKind.OpenBracketToken) {
      if (++depth > max) return sc.getTokenOffset();
    } else if ((k === SyntaxKind.CloseBraceToken || k === SyntaxKind.CloseBracketToken) && depth > 0) depth--;
  }
  return undefined;
}

/** The yaml package's lexer class (passed in: the package is loaded lazily by its users). */
export type YamlLexer = new () => { lex(source: string): Generator<string> };

/**
 * Offset where YAML nesting first exceeds `max`, from the yaml package's own lexer (quoted and
 * block scalars and comments are single tokens). An upper bound per line: the indentation
 * levels open above it, its `-` / `?` / `:` indicators (`- - - a` nests three sequences on one
 * line) and the open flow brackets.
 */
export function yamlTooDeep(text: string, Lexer: YamlLexer, max = MAX_NESTING): number | undefined {
  return yamlTokensTooDeep(new Lexer().lex(text), max);
}

/** yamlTooDeep over lexer tokens. */
export function yamlTokensTooDeep(tokens: Iterable<string>, max = MAX_NESTING): number | undefined {
  const depth = new YamlDepth(max);
  for (const tok of tokens) if (!depth.take(tok)) return depth.at;
  return undefined;
}

/**
 * yamlTooDeep's check, one lexer token at a time: `take` is false for the first token past `max`
 * (its offset is then `at`). parseYaml feeds yaml's parser from the lexer through it in one loop,
 * so that no document deeper than `max` is composed and no list of tokens is held, with no
 * generator of its own between the two (it was one: an iterator result and a resume per token).
 */
export class YamlDepth {
  /** The offset of the last token taken (of the first token past `max` once `take` said false). */
  at = 0;
  private readonly indents: number[] = [];
  private flow = 0;
  private onLine = 0;
  private lineStart = true;
  private lineIndent = 0;
  private offset = 0;

  constructor(private readonly max: number) {}

  take(tok: string): boolean {
    this.at = this.offset;
    // the lexer marks documents, scalars and flow errors with single control characters that are not in the text
    if (tok.length === 1 && tok.charCodeAt(0) < 0x20 && tok !== '\n' && tok !== '\t' && tok !== '\r') return true;
    this.offset += tok.length;
    if (tok === '\n' || tok === '\r\n') {
      this.lineStart = true;
      this.lineIndent = 0;
      this.onLine = 0;
      return true;
    }
    if (this.lineStart) {
      if (/^[ \t]+$/.test(tok)) {
        this.lineIndent = tok.length;
        return true;
      }
      if (tok.startsWith('#')) return true;
      this.lineStart = false;
      if (this.flow === 0) {
        const indents = this.indents;
        while (indents.length && indents[indents.length - 1]! >= this.lineIndent) indents.pop();
        indents.push(this.lineIndent);
      }
    }
    if (tok === '[' || tok === '{') this.flow++;
    else if (tok === ']' || tok === '}') {
      if (this.flow > 0) this.flow--;
      return true;
    } else if (this.flow > 0 || (tok !== '-' && tok !== '?' && tok !== ':')) return true;
    else this.onLine++;
    return this.indents.length + this.onLine + this.flow <= this.max;
  }
}

/**
 * Offset where TOML bracket nesting (arrays, inline tables, table headers) first exceeds `max`.
 * Basic and literal strings, single- and multi-line, and comments are skipped as TOML reads them.
 */
export function tomlTooDeep(text: string, max = MAX_NESTING): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl;
    } else if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      let j = i + (triple ? 3 : 1);
      for (; j < text.length; j++) {
        const d = text[j];
        if (d === '\\' && c === '"') j++;
        else if (d === '\n' && !triple) break; // an unterminated one-line string: the parser says so
        else if (d === c && (!triple || text.startsWith(c.repeat(3), j))) {
          // `"""a""""`: the closing delimiter is the last three quotes of the run
          if (triple) {
            j += 2;
            while (text[j + 1] === c) j++;
          }
          break;
        }
      }
      i = j;
    } else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/**
 * Offset where shell nesting first exceeds `max`: command substitutions `$(`/`` ` ``, subshells,
 * `${…}` and `{ …; }` groups, and double quotes inside them, read as the shell reads them
 * (single-quoted strings, backslash escapes and comments skipped; a closer only closes what is
 * open on top). mvdan/sh recurses per level, and so does the walk over its tree.
 */
export function shellTooDeep(text: string, max = MAX_NESTING): number | undefined {
  // (character codes: `text[i]` made the scan of every shell text a string compare per character)
  const stack: number[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const top = stack.length ? stack[stack.length - 1]! : -1;
    if (c === BACKSLASH) {
      i++;
      continue;
    }
    if (top === DQUOTE) {
      if (c === DQUOTE) stack.pop();
      else if (c === DOLLAR && (text.charCodeAt(i + 1) === LPAREN || text.charCodeAt(i + 1) === LBRACE)) {
        stack.push(text.charCodeAt(++i));
        if (stack.length > max) return i - 1;
      } else if (c === BACKTICK) {
        stack.push(BACKTICK);
        if (stack.length > max) return i;
      }
      continue;
    }
    if (c === SQUOTE) {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      i = close;
    } else if (c === HASH && (i === 0 || /[\s;&|()]/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl;
    } else if (c === DQUOTE || c === LPAREN || c === LBRACE || (c === BACKTICK && top !== BACKTICK)) {
      stack.push(c);
      if (stack.length > max) return text.charCodeAt(i - 1) === DOLLAR && c !== DQUOTE && c !== BACKTICK ? i - 1 : i;
    } else if ((c === RPAREN && top === LPAREN) || (c === RBRACE && top === LBRACE) || (c === BACKTICK && top === BACKTICK)) stack.pop();
  }
  return undefined;
}
const BACKSLASH = 92;
const DQUOTE = 34;
const SQUOTE = 39;
const DOLLAR = 36;
const LPAREN = 40;
const RPAREN = 41;
const LBRACE = 123;
const RBRACE = 125;
const BACKTICK = 96;
const HASH = 35;
