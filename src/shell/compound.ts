/**
 * The shell reader's second fast path: a recursive-descent reader of the compound commands real
 * trees write (`if`/`elif`/`else`, `for`/`while`/`until`, `case`, subshells, groups, functions,
 * `[[ … ]]` with `=~`, `!`, command and process substitution, `${X:-y}` and the other parameter
 * operators on any quoted operand, `${X[@]}`, `${!X}`, `$'…'`, `$(( … ))`, arrays, `X+=`,
 * `(( … ))` and `for (( …; …; … ))` with assignments and increments of a name), for
 * one logical line from a line start (with the lines a construct spans). It builds the part of
 * mvdan/sh's tree the reader uses and walks it exactly as `readChunk` walks mvdan/sh's (same
 * operations, frames and statuses), so `replay` turns both into the same commands. Anything it
 * does not read with certainty (here-documents with substitutions, escaped backticks,
 * `$(( … ))` that assigns, `?:` and `,` in arithmetic, extglob, `;&`, `select`, `time`, `coproc`, odd spacing
 * around reserved words, any malformed input) makes it give up: the caller then hands the line
 * to mvdan/sh, which also gives the errors. `test/shell/fast-path.test.ts` and
 * `scripts/shell-differential.mjs` hold it to mvdan/sh.
 */
import type { DynamicReason } from '../model.js';
import type { ChunkAssign, ChunkFrame, ChunkOp, ChunkPart, ChunkWord } from './index.js';
import { assignmentHead, literalRuns } from './literal-runs.js';

/** Nesting (substitutions, compound commands) read here at most; deeper lines go to mvdan/sh. */
const MAX_DEPTH = 100;

type Part =
  | { t: 'lit'; raw: string; dq: boolean }
  | { t: 'sq'; value: string }
  /** `$X`, `${X}`; `op`: with an operator (`${X:-y}`, `${#X}`), which mvdan/sh's reader describes. */
  | { t: 'param'; name: string; short: boolean; dq: boolean; op: boolean; start: number; end: number }
  /** `$( … )` (`proc`: `<( … )` / `>( … )`), its statements read. */
  | { t: 'subst'; at: number; stmts: Stmt[]; dq: boolean; proc: boolean }
  /** `$(( … ))`: names, numbers, parameters and the operators that cannot assign. */
  | { t: 'arith' };
interface Word {
  start: number;
  end: number;
  parts: Part[];
}
interface Assign {
  name: string;
  start: number;
  end: number;
  value?: Word;
  /** `export X`: a name without `=` (mvdan/sh's Naked). */
  bare?: true;
  /** `X=(a b)`: an array, which has no value for the reader. */
  array?: true;
}
type Cmd =
  | { t: 'call'; assigns: Assign[]; args: Word[]; start: number; end: number }
  | { t: 'decl'; exported: boolean; assigns: Assign[] }
  | { t: 'subshell'; at: number; stmts: Stmt[] }
  | { t: 'block'; stmts: Stmt[] }
  | IfNode
  | { t: 'bin'; op: '&&' | '||' | '|'; x: Stmt; y: Stmt }
  | { t: 'while'; at: number; cond: Stmt[]; body: Stmt[] }
  | { t: 'for'; at: number; items: Word[]; body: Stmt[] }
  | { t: 'case'; at: number; word: Word; items: { patterns: Word[]; stmts: Stmt[] }[] }
  | { t: 'func'; at: number; name: string; body: Stmt }
  | { t: 'test'; words: Word[] }
  /** `(( … ))`: no command, no word (mvdan/sh's ArithmCmd, read as `readChunk` reads it: nothing). */
  | { t: 'arith' };
interface IfNode {
  t: 'if';
  at: number;
  cond: Stmt[];
  then: Stmt[];
  else?: IfNode;
}
interface Stmt {
  at: number;
  negated: boolean;
  background: boolean;
  cmd: Cmd;
  /** The target words of its redirections, in order. */
  redirs: Word[];
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'select', 'function', 'in', 'time', 'coproc', '!', '{', '}', '[[', ']]', 'let']);
const DECL = new Set(['export', 'declare', 'local', 'readonly', 'typeset', 'nameref']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAM = /[@*#?$!\-0-9]/;
/** Characters that end an unquoted word. */
const BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
/** `${X<op>…}` operators read here (mvdan/sh: default, assign, alternate, error, remove, replace, case). */
const PARAM_OPS = [':-', ':=', ':+', ':?', '##', '%%', '//', '^^', ',,', '-', '=', '+', '?', '#', '%', '/', '^', ','];
/** Parentheses nested in `$(( … ))` read here at most. */
const MAX_ARITH_PARENS = 16;
/** Assignments to a name in `(( … ))` and `for (( … ))`, longest first. */
const ARITH_ASSIGN_OPS = ['<<=', '>>=', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=', '='];
/** Binary arithmetic operators read here, longest first (none assigns). */
const ARITH_OPS = ['**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '&', '^', '|'];
const UNARY_TESTS = new Set(['-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-p', '-r', '-s', '-t', '-u', '-w', '-x', '-G', '-L', '-N', '-O', '-S', '-z', '-n', '-o', '-v', '-R']);
const BINARY_TESTS = new Set(['=', '==', '!=', '-nt', '-ot', '-ef', '-eq', '-ne', '-le', '-ge', '-lt', '-gt']);

class Reader {
  i: number;
  depth = 0;
  /** Here-documents opened on the current line, read at its line break. */
  pending: { delim: string; strip: boolean; quoted: boolean }[] = [];
  constructor(
    readonly text: string,
    pos: number,
  ) {
    this.i = pos;
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) bail();
  }

  /** Blanks and continued lines. */
  blanks(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.i];
      if (c === ' ' || c === '\t') this.i++;
      else if (c === '\\' && t[this.i + 1] === '\n') {
        if (this.pending.length) bail();
        this.i += 2;
      } else return;
    }
  }
  /** Blanks, line breaks and comments (`joins`: where a line continued would join what comes before, see `comment`). */
  space(joins = false): void {
    for (;;) {
      this.blanks();
      const c = this.text[this.i];
      if (c === '\n') this.newline();
      else if (c === '#') this.comment(joins);
      else return;
    }
  }
  /** Past a line break: the bodies of the here-documents opened on the line. */
  newline(): void {
    this.i++;
    const t = this.text;
    for (const h of this.pending) {
      for (;;) {
        if (this.i >= t.length) bail(); // unclosed: mvdan/sh says so
        const nl = t.indexOf('\n', this.i);
        const end = nl < 0 ? t.length : nl;
        let line = t.slice(this.i, end);
        this.i = nl < 0 ? t.length : nl + 1;
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) break;
        if (!h.quoted) {
          // an unquoted body is expanded: only plain text and `$NAME` / `${NAME}` here
          if (/[\\`\r]|\$(?![A-Za-z_]|\{[A-Za-z_][A-Za-z0-9_]*\})/.test(line)) bail();
          // mvdan-sh 0.10.1 compares the text after an expansion with the delimiter as if it began the line (`${X}EOF` ends the body)
          for (const m of line.matchAll(/\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})/g)) {
            const rest = line.slice(m.index! + m[0].length);
            if ((h.strip ? rest.replace(/^\t+/, '') : rest) === h.delim) bail();
          }
        }
      }
    }
    this.pending = [];
  }
  /**
   * A comment, up to (not past) its line break. mvdan-sh 0.10.1 continues a comment that ends in a
   * backslash onto the next line: after a command (`joins`) that line joins it; between commands
   * (a line start, after `;`, `&&`, `|`, `then`, `{`) there is nothing to join, as in sh.
   */
  comment(joins: boolean): void {
    const t = this.text;
    const nl = t.indexOf('\n', this.i);
    if (joins && nl > 0 && (t[nl - 1] === '\\' || (t[nl - 1] === '\r' && t[nl - 2] === '\\'))) bail();
    this.i = nl < 0 ? t.length : nl;
  }
  /** Blanks and a comment up to (not past) the line break, after a statement. */
  blanksToEol(): void {
    this.blanks();
    if (this.text[this.i] === '#') this.comment(true);
  }

  /** The plain word at `i` (an unquoted literal without escapes or expansions, delimited), or undefined. */
  peekPlain(): string | undefined {
    const t = this.text;
    let j = this.i;
    while (j < t.length && !BREAK.has(t[j]!)) {
      const c = t[j]!;
      if (c === '\\' || c === '"' || c === "'" || c === '$' || c === '`' || c === '\r') return undefined;
      j++;
    }
    return j > this.i ? t.slice(this.i, j) : undefined;
  }

  /** One word from `i`, or a bail for anything not read here. */
  word(): Word {
    const t = this.text;
    const start = this.i;
    const parts: Part[] = [];
    const { flush, addLit, empty } = literalRuns(parts);
    const dollar = (dq: boolean) => {
      const j = this.i;
      const n = t[j + 1];
      if (n === '(') {
        flush();
        if (t[j + 2] === '(') {
          this.i = this.arith(j);
          parts.push({ t: 'arith' });
          return;
        }
        this.i = j + 2;
        parts.push({ t: 'subst', at: j, stmts: this.parenList(), dq, proc: false });
        return;
      }
      if (n === "'" && !dq) {
        // `$'…'`: mvdan/sh's value is the text between the quotes, escapes kept
        let k = j + 2;
        for (;;) {
          const d = t[k];
          if (d === undefined || d === '\r') bail();
          if (d === "'") break;
          if (d === '\\') {
            const e = t[k + 1];
            if (e === undefined || e === '\n' || e === '\r') bail();
            k++;
          }
          k++;
        }
        flush();
        parts.push({ t: 'sq', value: t.slice(j + 2, k) });
        this.i = k + 1;
        return;
      }
      if (n === undefined || (!NAME_CHAR.test(n) && !SPECIAL_PARAM.test(n) && n !== '{' && n !== '[' && n !== '\\')) {
        // a `$` that starts nothing (`$ `, `"$"`, `"$'"`) is a literal of its own: mvdan/sh unquotes it apart from its neighbours
        flush();
        addLit('$', dq);
        flush();
        this.i = j + 1;
        return;
      }
      if (n === '[' || n === '\\') bail(); // `$[…]` (arithmetic), `$\`
      const p = this.param(j);
      flush();
      parts.push({ ...p, dq, start: j, end: this.i });
    };
    while (this.i < t.length) {
      const c = t[this.i]!;
      if ((c === '<' || c === '>') && t[this.i + 1] === '(') {
        // `<(cmd)`, `--file=<(cmd)`: a process substitution
        flush();
        const at = this.i;
        this.i += 2;
        parts.push({ t: 'subst', at, stmts: this.parenList(), dq: false, proc: true });
        continue;
      }
      if (BREAK.has(c)) break;
      // mvdan/sh 0.10.1 starts a comment at a `#` right after a quote or an expansion (`"$X"#b`), sh does not
      if (c === '#' && empty() && parts.length > 0) bail();
      if (c === '`') {
        flush();
        parts.push(this.backtick(false));
        continue;
      }
      if (c === '\r') bail();
      if (c === '\\') {
        if (this.i + 1 >= t.length || t[this.i + 1] === '\r') bail();
        addLit(t.slice(this.i, this.i + 2), false);
        this.i += 2;
        continue;
      }
      if (c === "'") {
        const close = t.indexOf("'", this.i + 1);
        if (close < 0) bail();
        flush();
        parts.push({ t: 'sq', value: t.slice(this.i + 1, close) });
        this.i = close + 1;
        continue;
      }
      if (c === '"') {
        flush();
        this.i++;
        for (;;) {
          if (this.i >= t.length) bail();
          const d = t[this.i]!;
          if (d === '"') {
            this.i++;
            break;
          }
          if (d === '`') {
            flush();
            parts.push(this.backtick(true));
            continue;
          }
          if (d === '\r') bail();
          if (d === '\\') {
            // a continued line inside double quotes: mvdan/sh's literal drops it (read there, both dialects)
            if (this.i + 1 >= t.length || t[this.i + 1] === '\n') bail();
            addLit(t.slice(this.i, this.i + 2), true);
            this.i += 2;
            continue;
          }
          if (d === '$') {
            dollar(true);
            continue;
          }
          addLit(d, true);
          this.i++;
        }
        flush();
        continue;
      }
      if (c === '$') {
        if (t[this.i + 1] === '"') {
          // `$"…"`: read as "…"
          this.i++;
          continue;
        }
        dollar(false);
        continue;
      }
      addLit(c, false);
      this.i++;
    }
    flush();
    if (this.i === start) bail();
    if (this.pending.length && t.slice(start, this.i).includes('\n')) bail();
    return { start, end: this.i, parts };
  }

  /** `` `cmd` `` at `i`: plain commands only (no escapes, quotes, comments or line breaks inside). */
  backtick(dq: boolean): Part {
    const t = this.text;
    const at = this.i;
    const close = t.indexOf('`', at + 1);
    if (close < 0) bail();
    if (/[\\"'#\n\r]/.test(t.slice(at + 1, close)) || !t.slice(at + 1, close).trim()) bail();
    const sub = new Reader(t.slice(0, close), at + 1);
    sub.depth = this.depth + 1;
    if (sub.depth > MAX_DEPTH) bail();
    const stmts = sub.list(undefined, 'eof');
    if (sub.i !== close || sub.pending.length) bail();
    this.i = close + 1;
    return { t: 'subst', at, stmts, dq, proc: false };
  }

  /** `$…` at `j` (not `$(`): sets `i` past it. */
  param(j: number): { t: 'param'; name: string; short: boolean; op: boolean } {
    const t = this.text;
    const c = t[j + 1];
    if (c === undefined) bail();
    if (NAME_START.test(c!)) {
      let k = j + 2;
      while (k < t.length && NAME_CHAR.test(t[k]!)) k++;
      this.i = k;
      return { t: 'param', name: t.slice(j + 1, k), short: true, op: false };
    }
    if (SPECIAL_PARAM.test(c!)) {
      this.i = j + 2;
      return { t: 'param', name: c!, short: true, op: false };
    }
    if (c !== '{') return bail();
    return { t: 'param', ...this.braced(j), short: false };
  }

  /**
   * `${…}` at `j`: sets `i` past it. `op`: anything but a plain `${NAME}` (an operator, a length,
   * an index, `${!X}`), which mvdan/sh's reader describes by the name. Its operand is read only
   * for where it ends: text, escapes, quotes and parameters (`${X:+"$X"}`, `${A:-${B:-}}`), no
   * substitutions.
   */
  braced(j: number): { name: string; op: boolean } {
    const t = this.text;
    this.enter();
    let k = j + 2;
    let op = false;
    let only = false; // `${#X}`: nothing may follow the name (and its index)
    let excl = false;
    if (t[k] === '#' && /[A-Za-z_0-9]/.test(t[k + 1] ?? '')) {
      k++;
      op = only = true;
    } else if (t[k] === '!' && NAME_START.test(t[k + 1] ?? '')) {
      k++;
      op = excl = true;
    }
    const s = k;
    if (k < t.length && NAME_START.test(t[k]!)) {
      while (k < t.length && NAME_CHAR.test(t[k]!)) k++;
    } else if (k < t.length && /[0-9]/.test(t[k]!)) {
      while (k < t.length && /[0-9]/.test(t[k]!)) k++;
    } else if (!op && k < t.length && /[@*?$!-]/.test(t[k]!)) {
      // a special parameter: `${@}` only
      if (t[k + 1] !== '}') bail();
      k++;
    } else bail();
    const name = t.slice(s, k);
    if (t[k] === '[') {
      // `${X[@]}`, `${#X[*]}`, `${X[0]}`, `${X[i]}`, `${X[$i]}`
      if (!NAME_START.test(name)) bail();
      k++;
      if (t[k] === '@' || t[k] === '*') k++;
      else if (/[0-9]/.test(t[k] ?? '')) while (/[0-9]/.test(t[k] ?? '')) k++;
      else if (t[k] === '$' && NAME_START.test(t[k + 1] ?? '')) {
        k += 2;
        while (NAME_CHAR.test(t[k] ?? '')) k++;
      } else if (NAME_START.test(t[k] ?? '')) while (NAME_CHAR.test(t[k] ?? '')) k++;
      else bail();
      if (t[k] !== ']') bail();
      k++;
      op = true;
    }
    if (t[k] === '}') {
      this.i = k + 1;
      this.depth--;
      return { name, op };
    }
    if (only) bail();
    if (excl && (t[k] === '*' || t[k] === '@') && t[k + 1] === '}') {
      // `${!prefix*}`: the names
      this.i = k + 2;
      this.depth--;
      return { name, op };
    }
    const o = PARAM_OPS.find((o) => t.startsWith(o, k));
    if (!o) bail();
    k += o!.length;
    // the operand, up to its `}`
    for (;;) {
      const d = t[k];
      if (d === undefined || d === '`' || d === '{' || d === '(' || d === ')' || d === '\n' || d === '\r') bail();
      if (d === '}') break;
      if (d === '\\') k = this.escaped(k);
      else if (d === "'") {
        const close = t.indexOf("'", k + 1);
        if (close < 0 || t.slice(k + 1, close).includes('\n')) bail();
        k = close + 1;
      } else if (d === '"') {
        // double quotes inside: text, escapes and parameters
        k++;
        for (;;) {
          const e = t[k];
          if (e === undefined || e === '`' || e === '\n' || e === '\r') bail();
          if (e === '"') break;
          if (e === '\\') k = this.escaped(k);
          else if (e === '$') k = this.operandParam(k);
          else k++;
        }
        k++;
      } else if (d === '$') k = this.operandParam(k);
      else k++;
    }
    this.i = k + 1;
    this.depth--;
    return { name, op: true };
  }

  /** A backslash at `k` and the character it escapes: the index after them. */
  escaped(k: number): number {
    const e = this.text[k + 1];
    if (e === undefined || e === '\n' || e === '\r') bail();
    return k + 2;
  }

  /** `$NAME`, `$1`, `$@`, `${…}` at `k` inside an operand: the index after it (anything else is left to mvdan/sh). */
  operandParam(k: number): number {
    const t = this.text;
    const n = t[k + 1] ?? '';
    if (NAME_START.test(n)) {
      k += 2;
      while (NAME_CHAR.test(t[k] ?? '')) k++;
      return k;
    }
    if (SPECIAL_PARAM.test(n)) return k + 2;
    if (n !== '{') bail();
    this.braced(k);
    return this.i;
  }

  /** `$(( … ))` at `j`: the index after it (`arithExpr`, as an expansion). */
  arith(j: number): number {
    return this.arithExpr(j + 3, '))', false, false) + 2;
  }

  /**
   * An arithmetic expression from `k`: the index of its end (`))`, or `;` with `end` ';'; not
   * consumed). Names, numbers, parameters, parentheses, unary `+ - ! ~` and the binary operators
   * that do not assign, each read as mvdan/sh's arithmetic lexer reads it. With `cmd` (the
   * expression of `(( … ))` or one of the three of `for (( …; …; … ))`), also assignments to a
   * name before it (`i = 0`, `a = b += 2`) and increments of a name written as bash writes them
   * (`i++`, `--n`), and a parameter only as `$X`, `${X}` or `$1`: mvdan/sh's tree of an arithmetic
   * command is walked for command substitutions, which an expansion `$(( … ))` hides. Anything else
   * (`?:`, `,`, an assignment inside an expression, a line break) is left to mvdan/sh. `empty`:
   * nothing is an expression too.
   */
  arithExpr(k: number, end: ';' | '))', cmd: boolean, empty: boolean): number {
    const t = this.text;
    let depth = 0;
    const skip = () => {
      while (t[k] === ' ' || t[k] === '\t') k++;
    };
    const name = () => {
      if (!NAME_START.test(t[k] ?? '')) return false;
      while (NAME_CHAR.test(t[k] ?? '')) k++;
      return true;
    };
    const atEnd = () => (end === ';' ? t[k] === ';' : t[k] === ')' && t[k + 1] === ')');
    skip();
    if (atEnd()) return empty ? k : bail();
    // `NAME op=` … (right-associative: each to a name)
    while (cmd) {
      const from = k;
      if (!name()) break;
      skip();
      const op = ARITH_ASSIGN_OPS.find((o) => t.startsWith(o, k));
      if (!op || (op === '=' && t[k + 1] === '=')) {
        k = from;
        break;
      }
      k += op.length;
      skip();
    }
    for (;;) {
      skip();
      let read = false;
      while (t[k] === '+' || t[k] === '-' || t[k] === '!' || t[k] === '~' || t[k] === '(') {
        if ((t[k] === '+' || t[k] === '-') && t[k + 1] === t[k]) {
          // `++NAME`, `--NAME`
          if (!cmd) bail();
          k += 2;
          if (!name()) bail();
          read = true;
          break;
        }
        if (t[k] === '!' && t[k + 1] === '=') bail();
        // mvdan/sh recurses through every precedence level per parenthesis and runs out of stack
        // near 110 of them (its error then depends on the stack left): a few only here
        if (t[k] === '(' && ++depth > MAX_ARITH_PARENS) bail();
        k++;
        skip();
      }
      if (!read) {
        if (name()) {
          // `NAME++`, `NAME--`
          if (cmd && (t[k] === '+' || t[k] === '-') && t[k + 1] === t[k]) k += 2;
        } else if (/[0-9]/.test(t[k] ?? '')) while (NAME_CHAR.test(t[k] ?? '')) k++;
        else if (t[k] === '$' && !cmd) k = this.operandParam(k);
        else if (t[k] === '$') {
          const n = t[k + 1] ?? '';
          if (NAME_START.test(n)) {
            k += 2;
            while (NAME_CHAR.test(t[k] ?? '')) k++;
          } else if (/[0-9]/.test(n)) k += 2;
          else if (n === '{' && NAME_START.test(t[k + 2] ?? '')) {
            k += 3;
            while (NAME_CHAR.test(t[k] ?? '')) k++;
            if (t[k] !== '}') bail();
            k++;
          } else bail();
        } else bail();
      }
      skip();
      while (t[k] === ')' && depth > 0) {
        depth--;
        k++;
        skip();
      }
      if (depth === 0 && atEnd()) return k;
      const o = ARITH_OPS.find((o) => t.startsWith(o, k));
      if (!o) bail();
      k += o!.length;
      // `+=`, `<<=`, `++`, `--`: assignments and increments inside an expression
      if (t[k] === '=' || ((o === '+' || o === '-') && t[k] === o)) bail();
    }
  }

  /** Statements up to a `)` (consumed): `$( … )`, `<( … )`, `( … )`. */
  parenList(): Stmt[] {
    this.enter();
    const stmts = this.list(undefined, 'paren');
    if (this.text[this.i] !== ')') bail();
    this.i++;
    this.depth--;
    return stmts;
  }

  /**
   * Statements until a reserved word of `stops` at command position (not consumed), a `)` in
   * 'paren' mode, or `;;` in 'case' mode (not consumed).
   */
  list(stops: Set<string> | undefined, mode: 'words' | 'paren' | 'case' | 'eof'): Stmt[] {
    const t = this.text;
    const stmts: Stmt[] = [];
    for (;;) {
      this.space();
      if (this.i >= t.length) return mode === 'eof' ? stmts : bail();
      const c = t[this.i]!;
      if (c === ')') {
        if (mode === 'paren') return stmts;
        bail();
      }
      if (c === ';') {
        if (mode === 'case' && t[this.i + 1] === ';' && t[this.i + 2] !== '&') return stmts;
        bail();
      }
      const plain = this.peekPlain();
      if (plain !== undefined && stops?.has(plain)) return stmts;
      if (mode === 'case' && plain === 'esac') return stmts;
      const s = this.stmt(true);
      stmts.push(s);
      this.blanksToEol();
      const d = t[this.i];
      if (s.sep || d === '\n' || d === ')' || d === undefined) continue;
      if (mode === 'case' && d === ';' && t[this.i + 1] === ';') continue;
      bail();
    }
  }

  /** A list of one line at the top level: statements up to the line break that ends it (consumed). */
  topLine(): Stmt[] {
    const t = this.text;
    const stmts: Stmt[] = [];
    this.space();
    for (;;) {
      if (this.i >= t.length) return stmts;
      const s = this.stmt(true);
      stmts.push(s);
      this.blanksToEol();
      if (this.i >= t.length) return stmts;
      if (t[this.i] === '\n') {
        this.newline();
        return stmts;
      }
      if (!s.sep) bail();
    }
  }

  /** A statement (mvdan/sh getStmt): `!`, a pipeline, `&&`/`||` (left-associative), and with `readEnd` a `;` or `&`. */
  stmt(readEnd: boolean, andOr = true): Stmt & { sep?: true } {
    const t = this.text;
    const at = this.i;
    let negated = false;
    if (this.peekPlain() === '!') {
      negated = true;
      this.i++;
      this.blanks();
      if (this.peekPlain() === '!') bail();
    }
    // mvdan/sh negates the whole pipeline (`! a | b`), whose elements start at the `!`
    let s: Stmt & { sep?: true } = this.pipeline({ at, negated: false, background: false, cmd: undefined as unknown as Cmd, redirs: [] });
    s.negated = negated;
    while (andOr) {
      this.blanks();
      const op = t.startsWith('&&', this.i) ? '&&' : t.startsWith('||', this.i) ? '||' : undefined;
      if (!op) break;
      this.i += 2;
      this.space();
      const y = this.stmt(false, false);
      s = { at: s.at, negated: false, background: false, cmd: { t: 'bin', op, x: s, y }, redirs: [] };
    }
    if (readEnd) {
      this.blanks();
      const c = t[this.i];
      if (c === ';' && t[this.i + 1] !== ';' && t[this.i + 1] !== '&') {
        this.i++;
        s.sep = true;
      } else if (c === '&' && t[this.i + 1] !== '&' && t[this.i + 1] !== '>') {
        this.i++;
        s.background = true;
        s.sep = true;
      }
    }
    return s;
  }

  pipeline(first: Stmt): Stmt {
    const t = this.text;
    let s = first;
    this.command(s);
    for (;;) {
      this.blanks();
      if (t[this.i] !== '|' || t[this.i + 1] === '|') return s;
      if (t[this.i + 1] === '&') bail();
      this.i++;
      this.space();
      const y: Stmt = { at: this.i, negated: false, background: false, cmd: undefined as unknown as Cmd, redirs: [] };
      if (this.peekPlain() === '!') bail();
      this.command(y);
      s = { at: s.at, negated: false, background: false, cmd: { t: 'bin', op: '|', x: s, y }, redirs: [] };
    }
  }

  /** Redirections after a compound command (mvdan/sh puts them on the statement). */
  trailingRedirs(s: Stmt): void {
    for (;;) {
      this.blanks();
      if (!this.redirect(s)) break;
    }
    const c = this.text[this.i];
    // a compound command is followed by an operator, a line break, a comment or a closing token
    if (c !== undefined && c !== '\n' && c !== ';' && c !== '&' && c !== '|' && c !== ')' && c !== '#') bail();
  }

  /** A redirection at `i` (`>`, `>>`, `<`, `>&`, `<&`, `&>`, `&>>`, with a leading fd): its target into s.redirs. */
  redirect(s: Stmt): boolean {
    const t = this.text;
    let j = this.i;
    while (/[0-9]/.test(t[j] ?? '')) j++;
    const c = t[j];
    let len: number;
    if (c === '&' && t[j + 1] === '>' && j === this.i) len = t[j + 2] === '>' ? 3 : 2;
    else if (c === '<' && t[j + 1] === '<') {
      if (t[j + 2] === '<') {
        // `<<< word`
        this.i = j + 3;
        this.blanks();
        if (this.i >= t.length || BREAK.has(t[this.i]!)) bail();
        s.redirs.push(this.word());
        return true;
      }
      // `<<EOF`, `<<-'EOF'`: the delimiter; the body is read at the line break
      const strip = t[j + 2] === '-';
      this.i = j + (strip ? 3 : 2);
      this.blanks();
      if (this.i >= t.length || BREAK.has(t[this.i]!)) bail();
      const w = this.word();
      let delim = '';
      let quoted = false;
      for (const p of w.parts) {
        if (p.t === 'sq') {
          quoted = true;
          delim += p.value;
        } else if (p.t === 'lit' && !/[\\$]/.test(p.raw)) {
          quoted ||= p.dq;
          delim += p.raw;
        } else bail();
      }
      if (!delim || (w.parts.length > 1 && !quoted) || /\s/.test(delim)) bail();
      this.pending.push({ delim, strip, quoted });
      return true;
    } else if (c === '<' || c === '>') {
      const op = t.slice(j, j + 2);
      if (op === '<>' || op === '>|' || op === '<(' || op === '>(') bail();
      len = op === '>>' || op === '>&' || op === '<&' ? 2 : 1;
    } else return false;
    this.i = j + len;
    this.blanks();
    if (this.i >= this.text.length || (BREAK.has(t[this.i]!) && !((t[this.i] === '<' || t[this.i] === '>') && t[this.i + 1] === '('))) bail();
    s.redirs.push(this.word());
    return true;
  }

  /** The command of statement `s` at `i`. */
  command(s: Stmt): void {
    const t = this.text;
    this.enter();
    const c = t[this.i];
    if (c === undefined || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')' || c === '#') bail();
    if (c === '(' && t[this.i + 1] === '(') {
      // `(( … ))`: an arithmetic command, its end followed by what may end a command
      this.i = this.arithExpr(this.i + 2, '))', true, false) + 2;
      const d = t[this.i];
      if (d !== undefined && d !== ' ' && d !== '\t' && d !== '\n' && d !== ';' && d !== '&' && d !== '|' && d !== ')') bail();
      s.cmd = { t: 'arith' };
      this.trailingRedirs(s);
      this.depth--;
      return;
    }
    if (c === '(') {
      const at = this.i;
      this.i++;
      const stmts = this.parenList();
      if (!stmts.length) bail();
      s.cmd = { t: 'subshell', at, stmts };
      this.trailingRedirs(s);
      this.depth--;
      return;
    }
    const plain = this.peekPlain();
    if (plain !== undefined && RESERVED.has(plain)) {
      this.compound(s, plain);
      this.trailingRedirs(s);
      this.depth--;
      return;
    }
    if (plain !== undefined && DECL.has(plain)) {
      this.decl(s, plain);
      this.depth--;
      return;
    }
    this.simple(s);
    this.depth--;
  }

  /** After a reserved word: the next plain word must be one of `words`; it is consumed. */
  keyword(...words: string[]): string {
    this.space();
    const w = this.peekPlain();
    if (w === undefined || !words.includes(w)) bail();
    this.i += w!.length;
    return w!;
  }

  /**
   * `for (( init; test; step ))` from its `((`: mvdan/sh's CStyleLoop, whose expressions
   * `readChunk` walks for command substitutions only (`arithExpr` reads none), then the body.
   */
  cStyleFor(s: Stmt, at: number): void {
    const t = this.text;
    let k = this.arithExpr(this.i + 2, ';', true, true) + 1;
    k = this.arithExpr(k, ';', true, true) + 1;
    this.i = this.arithExpr(k, '))', true, true) + 2;
    this.blanks();
    if (t[this.i] === ';' && t[this.i + 1] !== ';') this.i++;
    else if (t[this.i] !== '\n') bail();
    this.keyword('do');
    const body = this.list(new Set(['done']), 'words');
    if (!body.length) bail();
    this.i += 4;
    s.cmd = { t: 'for', at, items: [], body };
  }

  compound(s: Stmt, word: string): void {
    const t = this.text;
    const at = this.i;
    const after = t[this.i + word.length];
    // reserved words followed by blanks or a line break only (`{a`, `if;` are left to mvdan/sh)
    if (after !== ' ' && after !== '\t' && after !== '\n') bail();
    this.i += word.length;
    if (word === '{') {
      const stmts = this.list(new Set(['}']), 'words');
      if (!stmts.length) bail();
      this.i++;
      s.cmd = { t: 'block', stmts };
    } else if (word === 'if') {
      s.cmd = this.ifClause(at);
    } else if (word === 'while' || word === 'until') {
      const cond = this.list(new Set(['do']), 'words');
      if (!cond.length) bail();
      this.i += 2;
      const body = this.list(new Set(['done']), 'words');
      if (!body.length) bail();
      this.i += 4;
      s.cmd = { t: 'while', at, cond, body };
    } else if (word === 'for') {
      this.blanks();
      if (t[this.i] === '(' && t[this.i + 1] === '(') return this.cStyleFor(s, at);
      const name = this.peekPlain();
      if (name === undefined || !NAME.test(name)) bail();
      this.i += name!.length;
      this.blanks();
      const items: Word[] = [];
      const kw = this.peekPlain();
      if (kw === 'in') {
        this.i += 2;
        for (;;) {
          this.blanks();
          const c = t[this.i];
          if (c === ';' && t[this.i + 1] !== ';') {
            this.i++;
            break;
          }
          if (c === '\n') break;
          if (c === undefined || BREAK.has(c) || c === '#') bail();
          const p = this.peekPlain();
          if (p === 'do' || p === 'done') bail();
          items.push(this.word());
        }
      } else if (t[this.i] === ';' && t[this.i + 1] !== ';') this.i++;
      else if (t[this.i] !== '\n') bail();
      this.keyword('do');
      const body = this.list(new Set(['done']), 'words');
      if (!body.length) bail();
      this.i += 4;
      s.cmd = { t: 'for', at, items, body };
    } else if (word === 'case') {
      this.blanks();
      const w = this.word();
      this.blanks();
      if (this.peekPlain() !== 'in') bail();
      this.i += 2;
      const items: { patterns: Word[]; stmts: Stmt[] }[] = [];
      for (;;) {
        this.space();
        const p = this.peekPlain();
        if (p === 'esac') {
          this.i += 4;
          break;
        }
        if (t[this.i] === '(') {
          this.i++;
          this.blanks();
        }
        const patterns: Word[] = [];
        for (;;) {
          const c = t[this.i];
          if (c === undefined || BREAK.has(c)) bail();
          patterns.push(this.word());
          this.blanks();
          if (t[this.i] === '|') {
            this.i++;
            this.blanks();
            continue;
          }
          if (t[this.i] !== ')') bail();
          this.i++;
          break;
        }
        const stmts = this.list(undefined, 'case');
        items.push({ patterns, stmts });
        if (t.startsWith(';;', this.i)) {
          if (t[this.i + 2] === '&') bail();
          this.i += 2;
          continue;
        }
        // the last item may end without `;;`
        if (this.peekPlain() !== 'esac') bail();
      }
      s.cmd = { t: 'case', at, word: w, items };
    } else if (word === '[[') {
      s.cmd = this.testClause();
    } else if (word === 'function') {
      this.blanks();
      const name = this.peekPlain();
      if (name === undefined || !NAME.test(name)) bail();
      this.i += name!.length;
      if (t.startsWith('()', this.i)) this.i += 2;
      this.funcBody(s, at, name!);
    } else bail();
  }

  ifClause(at: number): IfNode {
    const cond = this.list(new Set(['then']), 'words');
    if (!cond.length) bail();
    this.i += 4;
    const then = this.list(new Set(['elif', 'else', 'fi']), 'words');
    if (!then.length) bail();
    const node: IfNode = { t: 'if', at, cond, then };
    const w = this.peekPlain()!;
    const wAt = this.i;
    this.i += w.length;
    if (w === 'elif') {
      const after = this.text[this.i];
      if (after !== ' ' && after !== '\t' && after !== '\n') bail();
      node.else = this.ifClause(wAt);
    } else if (w === 'else') {
      const body = this.list(new Set(['fi']), 'words');
      if (!body.length) bail();
      this.i += 2;
      node.else = { t: 'if', at: wAt, cond: [], then: body };
    }
    return node;
  }

  funcBody(s: Stmt, at: number, name: string): void {
    this.space();
    const c = this.text[this.i];
    const plain = this.peekPlain();
    if (!(c === '(' && this.text[this.i + 1] !== '(') && plain !== '{') bail();
    const body: Stmt = { at: this.i, negated: false, background: false, cmd: undefined as unknown as Cmd, redirs: [] };
    this.command(body);
    s.cmd = { t: 'func', at, name, body };
    // mvdan/sh reads `&&`, `|`, `&` after a body into the body: left to it
    this.blanks();
    const d = this.text[this.i];
    if (d === '&' || d === '|') bail();
  }

  /** `[[ … ]]` (after `[[`): unary and binary tests, `!`, `&&`, `||`; no `( … )`, `<`, `>`, `=~`. */
  testClause(): Cmd {
    const t = this.text;
    const words: Word[] = [];
    const tok = (): string | undefined => {
      this.blanks();
      if (t.startsWith('&&', this.i)) return '&&';
      if (t.startsWith('||', this.i)) return '||';
      const c = t[this.i];
      if (c === undefined || c === '\n' || c === '(' || c === ')' || c === '<' || c === '>' || c === ';' || c === '&' || c === '|' || c === '#') bail();
      return this.peekPlain() ?? '';
    };
    const operand = () => {
      const w = tok();
      if (w === '&&' || w === '||' || w === ']]' || w === '!' || w === '=~') bail();
      words.push(this.word());
    };
    const primary = () => {
      let w = tok();
      while (w === '!') {
        this.i++;
        w = tok();
      }
      if (w === '&&' || w === '||' || w === ']]' || w === '=~') bail();
      if (UNARY_TESTS.has(w!)) {
        this.i += w!.length;
        operand();
      } else {
        words.push(this.word());
        const op = tok();
        if (op === '=~') {
          this.i += 2;
          this.regex();
        } else if (BINARY_TESTS.has(op!)) {
          this.i += op!.length;
          operand();
        }
      }
      const next = tok();
      if (next !== '&&' && next !== '||' && next !== ']]') bail();
    };
    for (;;) {
      primary();
      const next = tok();
      if (next === ']]') {
        this.i += 2;
        break;
      }
      this.i += 2; // && or ||
    }
    return { t: 'test', words };
  }

  /**
   * The elements of `X=(…)` from the `(` at `i` (sets `a`'s end past the `)`). mvdan/sh's reader
   * keeps no value for an array, so the elements are read only for where they end: words on one
   * or more lines, comments between them; an element with `[` in unquoted text (`[k]=v`, `a[0]`)
   * or starting with `=`, and here-documents waiting for their body, are left to mvdan/sh.
   */
  array(a: Assign): void {
    const t = this.text;
    if (this.pending.length) bail();
    this.enter();
    this.i++;
    for (;;) {
      this.space(true);
      const c = t[this.i];
      if (c === ')') break;
      if (c === undefined || c === '[' || c === '=' || BREAK.has(c)) bail();
      const w = this.word();
      // a `[` in unquoted text, a `=` starting a token: mvdan/sh's lexer makes index syntax of them
      if (w.parts.some((p, k) => p.t === 'lit' && !p.dq && (p.raw.includes('[') || (k > 0 && p.raw[0] === '=')))) bail();
      const d = t[this.i];
      if (d !== ' ' && d !== '\t' && d !== '\n' && d !== ')' && d !== '\\') bail();
    }
    this.i++;
    this.depth--;
    a.end = this.i;
    a.array = true;
  }

  /**
   * The right side of `=~` (mvdan/sh's regexp lexing): up to a blank, `;`, `&`, `<`, `>` or line
   * break outside parentheses, `(`, `)` and `|` part of it; quotes and parameters inside; a `$`
   * before anything else is text. No substitutions (the reader would look into them).
   */
  regex(): void {
    const t = this.text;
    this.blanks();
    const start = this.i;
    let depth = 0;
    for (;;) {
      const c = t[this.i];
      if (c === undefined || c === '\r' || c === '`') bail();
      if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '<' || c === '>') {
        if (depth > 0) bail();
        break;
      }
      if (c === '\\') this.i = this.escaped(this.i);
      else if (c === '(') {
        depth++;
        this.i++;
      } else if (c === ')') {
        if (depth === 0) bail();
        depth--;
        this.i++;
      } else if (c === "'") {
        const close = t.indexOf("'", this.i + 1);
        if (close < 0 || t.slice(this.i, close).includes('\n')) bail();
        this.i = close + 1;
      } else if (c === '"') {
        this.i++;
        for (;;) {
          const e = t[this.i];
          if (e === undefined || e === '`' || e === '\n' || e === '\r') bail();
          if (e === '"') break;
          if (e === '\\') this.i = this.escaped(this.i);
          else if (e === '$') this.regexDollar(true);
          else this.i++;
        }
        this.i++;
      } else if (c === '$') this.regexDollar(false);
      else this.i++;
    }
    if (this.i === start) bail();
  }
  regexDollar(dq: boolean): void {
    const n = this.text[this.i + 1] ?? '';
    if (NAME_CHAR.test(n) || SPECIAL_PARAM.test(n) || n === '{') this.i = this.operandParam(this.i);
    else if (n === '(' || n === '[' || n === '\\' || (!dq && (n === "'" || n === '"'))) bail();
    else this.i++;
  }

  decl(s: Stmt, variant: string): void {
    const t = this.text;
    const at = this.i;
    this.i += variant.length;
    const assigns: Assign[] = [];
    for (;;) {
      this.blanks();
      const c = t[this.i];
      if (c === undefined || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')' || c === '#') break;
      if (BREAK.has(c)) bail();
      const w = this.word();
      const a = assignmentOf(w);
      const plain = plainText(w);
      if (a) {
        if (!a.value && t[this.i] === '(') this.array(a); // `local -a X=(…)`: no value, no name to export
        assigns.push(a);
      } else if (plain !== undefined && /^([-+][A-Za-z]+|[A-Za-z_][A-Za-z0-9_]*)$/.test(plain)) {
        if (!/^[-+]/.test(plain)) assigns.push({ name: plain, start: w.start, end: w.end, bare: true });
      } else {
        // any other word (`export $(grep … .env | xargs)`): a value without a name, which the reader
        // skips; left to mvdan/sh where its lexer would make more of it (a `=` or `[` in the first
        // literal; a `=` earlier in the clause, which it remembers for a word that starts quoted)
        const first = w.parts[0];
        const litStart = !/["'$`<>]/.test(t[w.start]!); // mvdan/sh's first token is a literal
        if (litStart ? first?.t !== 'lit' || /[=[]/.test(first.raw) : t.slice(at, w.start).includes('=')) bail();
      }
    }
    s.cmd = { t: 'decl', exported: variant === 'export', assigns };
  }

  simple(s: Stmt): void {
    const t = this.text;
    const assigns: Assign[] = [];
    const args: Word[] = [];
    for (;;) {
      this.blanks();
      const c = t[this.i];
      if (c === undefined || c === '\n' || c === ';' || c === '&' && t[this.i + 1] !== '>' || c === '|' || c === ')' || (c === '#' && (assigns.length || args.length))) break;
      if (c === '#') bail();
      if (/[0-9<>&]/.test(c) && !((c === '<' || c === '>') && t[this.i + 1] === '(')) {
        // a redirection (`2>&1`, `>f`, `&>f`), or a word starting with digits (`<(cmd)` is a word)
        let j = this.i;
        while (/[0-9]/.test(t[j] ?? '')) j++;
        if (t[j] === '<' || t[j] === '>' || (c === '&' && j === this.i)) {
          if (!args.length) bail();
          this.redirect(s);
          continue;
        }
      }
      if (c === '(') bail();
      const w = this.word();
      if (args.length === 0) {
        const a = assignmentOf(w);
        if (a) {
          if (!a.value && t[this.i] === '(') this.array(a);
          assigns.push(a);
          continue;
        }
        const plain = plainText(w);
        if (plain !== undefined && (RESERVED.has(plain) || DECL.has(plain))) bail();
        if (plain === undefined && w.parts[0]?.t === 'lit' && w.parts.length === 1) bail(); // `\if`, `e\xport`: left to mvdan/sh
        if (assigns.length === 0 && plain !== undefined && NAME.test(plain)) {
          // `name()` / `name ()`: a function
          const k = this.i;
          this.blanks();
          if (t[this.i] === '(') {
            this.i++;
            this.blanks();
            if (t[this.i] !== ')') bail();
            this.i++;
            this.funcBody(s, w.start, plain);
            return;
          }
          this.i = k;
        }
      }
      if (t[this.i] === '(') bail();
      args.push(w);
    }
    if (!assigns.length && !args.length) bail();
    if (args.length && assigns.some((a) => a.array)) bail(); // mvdan/sh: inline variables cannot be arrays
    const start = assigns[0]?.start ?? args[0]!.start;
    const end = args.length ? args[args.length - 1]!.end : assigns[assigns.length - 1]!.end;
    s.cmd = { t: 'call', assigns, args, start, end };
  }
}

/** The word's text when it is one unquoted literal without escapes. */
function plainText(w: Word): string | undefined {
  if (w.parts.length !== 1) return undefined;
  const p = w.parts[0]!;
  return p.t === 'lit' && !p.dq && !p.raw.includes('\\') ? p.raw : undefined;
}

/**
 * `NAME=…` or `NAME+=…` (mvdan/sh reads both as the name and the value after `=`) as an
 * assignment, or undefined; `X[i]=` is left to mvdan/sh. Without a value, mvdan/sh's span ends
 * one character after the name (`X=`, and `X+` of `X+=`).
 */
function assignmentOf(w: Word): Assign | undefined {
  const first = w.parts[0];
  if (!first || first.t !== 'lit' || first.dq) return undefined;
  const m = assignmentHead(first.raw);
  if (m === 'bail') bail();
  if (!m) return undefined;
  if (m[2] === '[') bail();
  const name = m[1]!;
  const rest = first.raw.slice(m[0].length);
  const parts: Part[] = rest ? [{ t: 'lit', raw: rest, dq: false }, ...w.parts.slice(1)] : w.parts.slice(1);
  const valueStart = w.start + m[0].length;
  const a: Assign = { name, start: w.start, end: w.end };
  if (w.end > valueStart) a.value = { start: valueStart, end: w.end, parts };
  else a.end = w.start + name.length + 1;
  return a;
}

type Status = 'ok' | 'fail' | undefined;

/**
 * The operations of the statements of one line, as `readChunk` makes them from mvdan/sh's tree
 * (offsets relative to `base`).
 */
function walk(stmtsIn: Stmt[], text: string, base: number, unquote: (v: string, dq: boolean) => string, taskShell: boolean): ChunkOp[] {
  const rel = (n: number) => n - base;
  const wordOf = (w: Word): ChunkWord => {
    const out: ChunkPart[] = [];
    for (const p of w.parts) {
      if (p.t === 'lit') out.push({ t: 'text', value: unquote(p.raw, p.dq) });
      else if (p.t === 'sq') out.push({ t: 'text', value: p.value });
      else if (p.t === 'param') {
        if (taskShell && !p.short) out.push({ t: 'text', value: text.slice(p.start, p.end) });
        else if (!p.op) out.push(p.dq ? { t: 'param', name: p.name, short: p.short, dq: true } : { t: 'param', name: p.name, short: p.short });
        else out.push({ t: 'described', name: p.name, text: p.short ? `$${p.name}` : `\${${p.name}}` });
      } else if (p.t === 'arith') out.push({ t: 'dynamic', text: '$((…))', why: { kind: 'arithmetic-expansion' } });
      else if (p.proc) out.push({ t: 'dynamic', text: '…', why: { kind: 'shell-expansion', node: 'ProcSubst' } as DynamicReason });
      else out.push({ t: 'dynamic', text: '$(…)', why: { kind: 'command-substitution' } });
    }
    return { start: rel(w.start), end: rel(w.end), parts: out };
  };
  const assignOf = (a: Assign): ChunkAssign => {
    const as: ChunkAssign = { name: a.name, start: rel(a.start), end: rel(a.end) };
    if (a.value) as.value = wordOf(a.value);
    return as;
  };
  const withFlow = <T extends ChunkOp>(op: T, flow: ChunkFrame[]): T => (flow.length ? { ...op, flow } : op);
  const substs = (ws: Word[], ops: ChunkOp[], flow: ChunkFrame[]) => {
    for (const w of ws) for (const p of w.parts) if (p.t === 'subst') stmts(p.stmts, ops, [...flow, { kind: 'subshell', at: rel(p.at) }]);
  };
  const stmt = (s: Stmt, ops: ChunkOp[], flow: ChunkFrame[]) => {
    const inner: ChunkFrame[] = s.background ? [...flow, { kind: 'subshell', at: rel(s.at) }] : flow;
    command(s.cmd, ops, inner);
    substs(s.redirs, ops, inner);
  };
  const stmts = (list: Stmt[], ops: ChunkOp[], flow: ChunkFrame[]) => {
    for (const s of list) stmt(s, ops, flow);
  };
  const guarded = (list: Stmt[], ops: ChunkOp[], flow: ChunkFrame[], runs: Status, arm: { at: number; arm: number; arms: number; exhaustive: boolean }) => {
    if (runs === 'ok') for (const s of list) stmt(s, ops, flow);
    else if (runs === 'fail') for (const s of list) stmt(s, ops, [...flow, { kind: 'never', at: arm.at }]);
    else for (const s of list) stmt(s, ops, [...flow, { kind: 'arm', ...arm }]);
  };
  const ifClause = (c: IfNode, ops: ChunkOp[], flow: ChunkFrame[]) => {
    stmts(c.cond, ops, flow);
    const cond = listStatus(c.cond);
    const els = c.else;
    const shape = { at: rel(c.at), arms: els ? 2 : 1, exhaustive: !!els };
    guarded(c.then, ops, flow, cond, { ...shape, arm: 0 });
    if (!els) return;
    const elseRuns = cond === 'ok' ? 'fail' : cond === 'fail' ? 'ok' : undefined;
    const elseFlow: ChunkFrame[] = elseRuns === 'ok' ? flow : elseRuns === 'fail' ? [...flow, { kind: 'never', at: shape.at }] : [...flow, { kind: 'arm', ...shape, arm: 1 }];
    if (els.cond.length) ifClause(els, ops, elseFlow);
    else stmts(els.then, ops, elseFlow);
  };
  const command = (c: Cmd, ops: ChunkOp[], flow: ChunkFrame[]) => {
    switch (c.t) {
      case 'call': {
        const assigns = c.assigns.map(assignOf);
        if (c.args.length === 0) ops.push(withFlow({ op: 'assigns', assigns }, flow));
        else {
          const nested: ChunkOp[] = [];
          substs(c.args, nested, flow);
          ops.push(withFlow({ op: 'cmd', assigns, nested, args: c.args.map(wordOf), start: rel(c.start), end: rel(c.end) }, flow));
        }
        return;
      }
      case 'decl':
        ops.push(
          withFlow(
            { op: 'decl', assigns: c.assigns.filter((a) => !a.bare && a.value).map(assignOf), exported: c.exported, bare: c.assigns.filter((a) => a.bare).map(assignOf) },
            flow,
          ),
        );
        return;
      case 'subshell':
        return stmts(c.stmts, ops, [...flow, { kind: 'subshell', at: rel(c.at) }]);
      case 'block':
        return stmts(c.stmts, ops, flow);
      case 'if':
        return ifClause(c, ops, flow);
      case 'bin':
        if (c.op === '|') {
          stmt(c.x, ops, [...flow, { kind: 'subshell', at: rel(c.x.at) }]);
          stmt(c.y, ops, [...flow, { kind: 'subshell', at: rel(c.y.at) }]);
        } else {
          stmt(c.x, ops, flow);
          const x = stmtStatus(c.x);
          const runs: Status = c.op === '&&' ? x : x === 'ok' ? 'fail' : x === 'fail' ? 'ok' : undefined;
          guarded([c.y], ops, flow, runs, { at: rel(c.y.at), arm: 0, arms: 1, exhaustive: false });
        }
        return;
      case 'while': {
        const loop: ChunkFrame[] = [...flow, { kind: 'loop', at: rel(c.at) }];
        stmts(c.cond, ops, loop);
        stmts(c.body, ops, loop);
        return;
      }
      case 'for':
        substs(c.items, ops, flow);
        return stmts(c.body, ops, [...flow, { kind: 'loop', at: rel(c.at) }]);
      case 'case': {
        substs([c.word], ops, flow);
        const exhaustive = c.items.some((it) => it.patterns.some((w) => w.parts.length === 1 && w.parts[0]!.t === 'lit' && !w.parts[0]!.dq && w.parts[0]!.raw === '*'));
        c.items.forEach((it, k) => stmts(it.stmts, ops, [...flow, { kind: 'arm', at: rel(c.at), arm: k, arms: c.items.length, exhaustive }]));
        return;
      }
      case 'func':
        return stmt(c.body, ops, [...flow, { kind: 'function', at: rel(c.at), name: c.name }]);
      case 'test':
        return substs(c.words, ops, flow);
      case 'arith':
        return;
    }
  };
  const stmtStatus = (s: Stmt): Status => {
    const r = cmdStatus(s.cmd);
    return s.negated && r ? (r === 'ok' ? 'fail' : 'ok') : r;
  };
  const listStatus = (list: Stmt[]): Status => (list.length ? stmtStatus(list[list.length - 1]!) : undefined);
  const cmdStatus = (c: Cmd): Status => {
    if (c.t === 'call') {
      if (c.args.length === 0) return c.assigns.every((a) => !a.value || a.value.parts.every((p) => !(p.t === 'subst' && !p.proc && !p.dq))) ? 'ok' : undefined;
      if (c.args.length !== 1 || c.assigns.length) return undefined;
      const lit = plainLit(c.args[0]!);
      return lit === 'true' || lit === ':' ? 'ok' : lit === 'false' ? 'fail' : undefined;
    }
    if (c.t === 'decl') return c.exported ? 'ok' : undefined;
    if (c.t === 'block' || c.t === 'subshell') return listStatus(c.stmts);
    if (c.t === 'bin') {
      const x = stmtStatus(c.x);
      const y = stmtStatus(c.y);
      if (c.op === '|') return y;
      if (c.op === '&&') return x === 'fail' ? 'fail' : x === 'ok' ? y : undefined;
      return x === 'ok' ? 'ok' : x === 'fail' ? y : undefined;
    }
    return undefined;
  };
  const ops: ChunkOp[] = [];
  stmts(stmtsIn, ops, []);
  return ops;
}

/** mvdan/sh's Word.Lit(): the value of a word that is one literal (escapes kept). */
function plainLit(w: Word): string | undefined {
  if (w.parts.length !== 1) return undefined;
  const p = w.parts[0]!;
  return p.t === 'lit' && !p.dq ? p.raw : undefined;
}

/**
 * Reads the statements of one logical line from `pos` (a line start), with every line a
 * construct opened on it spans, up to and including the line break that ends it. Undefined when
 * anything on it is left to mvdan/sh. The operations' offsets are relative to `pos`.
 */
export function readCompound(text: string, pos: number, unquote: (v: string, dq: boolean) => string, taskShell: boolean): { end: number; ops: ChunkOp[] } | undefined {
  const r = new Reader(text, pos);
  let stmts: Stmt[];
  try {
    stmts = r.topLine();
  } catch (e) {
    if (e instanceof Bail || e instanceof RangeError) return undefined;
    throw e;
  }
  if (!stmts.length || r.pending.length) return undefined;
  return { end: r.i, ops: walk(stmts, text, pos, unquote, taskShell) };
}
