/**
 * Shell command lines through a real parser (mvdan/sh, compiled to JavaScript as `mvdan-sh`).
 * Turns a script or a one-line command string into simple commands: argv words with exact spans,
 * the assignments in front of them, and what could not be resolved statically.
 *
 * The parser (1.5 MB) is loaded on first use only.
 */
import { createRequire } from 'node:module';
import type { Span, Token } from '../model.js';
import { MappedText } from '../text.js';

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
}

export interface ShellCommand {
  argv: Token[];
  assigns: ShellAssign[];
  /** Span of the whole simple command. */
  span: Span;
  /** `export`/`declare`/bare assignment statements have no argv: only assigns. */
}

export interface ShellParseResult {
  commands: ShellCommand[];
  /** Assignments that are statements of their own (`X=1`, `export X=1`), in order. */
  assignments: ShellAssign[];
  error?: { message: string; span: Span };
}

export interface ShellOptions {
  /** Variables known before the text starts (Makefile variables, ARG defaults, earlier lines). */
  vars?: Map<string, string>;
  /** Variables set by literal assignments become known to later commands (true for scripts). */
  trackAssignments?: boolean;
  /** Extra prefix for messages about unknown values, e.g. "Makefile variable". */
  describeUnknown?: (name: string) => string;
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

export function parseShell(src: MappedText, options: ShellOptions = {}): ShellParseResult {
  const sx = syntax();
  const toChar = byteToCharMap(src.text);
  const vars = new Map(options.vars ?? []);
  const result: ShellParseResult = { commands: [], assignments: [] };
  const spanOf = (n: ShNode): Span => src.span(toChar(n.Pos().Offset()), toChar(n.End().Offset()));

  let file: ShNode;
  try {
    const parser = sx.NewParser(sx.Variant(sx.LangBash));
    file = parser.Parse(src.text, '');
  } catch (e: any) {
    const message = typeof e?.Error === 'function' ? String(e.Error()) : String(e?.message ?? e);
    const pos = e?.Pos;
    const at = pos && typeof pos.Offset === 'function' ? toChar(pos.Offset()) : 0;
    result.error = { message: message.replace(/^:?\d+:\d+: /, ''), span: src.span(at, at + 1) };
    return result;
  }

  const unknownMessage = options.describeUnknown ?? ((name: string) => `shell variable $${name}`);

  /** Unquote a literal: backslash escapes outside quotes, `\"` `\\` `\$` inside double quotes. */
  const unescape = (v: string, inDouble: boolean) =>
    inDouble ? v.replace(/\\([\\"$`])/g, '$1').replace(/\\\n/g, '') : v.replace(/\\\n/g, '').replace(/\\(.)/g, '$1');

  const wordToken = (w: ShNode): Token => {
    let value = '';
    const unknown: string[] = [];
    const parts = (ps: ShNode[], inDouble: boolean) => {
      for (const p of ps) {
        const t = sx.NodeType(p);
        if (t === 'Lit') value += unescape(String(p.Value), inDouble);
        else if (t === 'SglQuoted') value += String(p.Value);
        else if (t === 'DblQuoted') parts(arr(p.Parts), true);
        else if (t === 'ParamExp') {
          const name = String(p.Param?.Value ?? '');
          const simple = !p.Exp && !p.Repl && !p.Index && !p.Slice && !p.Length && !p.Excl && !p.Width;
          if (simple && vars.has(name)) value += vars.get(name);
          else {
            unknown.push(unknownMessage(name));
            value += p.Short ? `$${name}` : `\${${name}}`;
          }
        } else if (t === 'CmdSubst') {
          unknown.push('command substitution');
          value += '$(…)';
        } else if (t === 'ArithmExp') {
          unknown.push('arithmetic expansion');
          value += '$((…))';
        } else {
          unknown.push(`${t} expansion`);
          value += '…';
        }
      }
    };
    parts(arr(w.Parts), false);
    const tok: Token = { value, span: spanOf(w) };
    if (unknown.length) tok.dynamic = [...new Set(unknown)].join(', ');
    return tok;
  };

  const assignOf = (a: ShNode): ShellAssign | undefined => {
    if (!a.Name) return undefined;
    const name = String(a.Name.Value);
    const value: Token = a.Value ? wordToken(a.Value) : { value: '', span: spanOf(a) };
    return { name, value, span: spanOf(a) };
  };

  const remember = (as: ShellAssign) => {
    if (options.trackAssignments === false) return;
    if (as.value.dynamic) vars.delete(as.name);
    else vars.set(as.name, as.value.value);
  };

  const visit = (n: ShNode) => {
    sx.Walk(n, (node: ShNode) => {
      if (!node) return true;
      const t = sx.NodeType(node);
      if (t === 'CallExpr') {
        const assigns = arr(node.Assigns).map(assignOf).filter((a): a is ShellAssign => !!a);
        const args = arr(node.Args);
        if (args.length === 0) {
          for (const a of assigns) {
            result.assignments.push(a);
            remember(a);
          }
        } else {
          // command substitutions inside the words are commands too
          for (const w of args) for (const p of arr(w.Parts)) visitNested(p);
          result.commands.push({ argv: args.map(wordToken), assigns, span: spanOf(node) });
        }
        return false;
      }
      if (t === 'DeclClause') {
        for (const a of arr(node.Args)) {
          const as = assignOf(a);
          if (as && a.Value) {
            result.assignments.push(as);
            remember(as);
          }
        }
        return false;
      }
      return true;
    });
  };
  const visitNested = (p: ShNode) => {
    const t = sx.NodeType(p);
    if (t === 'CmdSubst' || t === 'ProcSubst') for (const s of arr(p.Stmts)) visit(s);
    else if (t === 'DblQuoted') for (const q of arr(p.Parts)) visitNested(q);
  };

  for (const stmt of arr(file.Stmts)) visit(stmt);
  return result;
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
