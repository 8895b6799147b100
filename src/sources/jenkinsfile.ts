/**
 * Jenkinsfiles (`Jenkinsfile`, `Jenkinsfile.*`, `*.jenkinsfile`): the `sh` steps of declarative
 * and scripted pipelines — `sh '…'`, `sh "…"`, `sh '''…'''`, `sh """…"""`, `sh('…')` and
 * `sh(script: '…', …)` — through the shell parser, with positions inside the string; inside
 * `dir('sub') { … }` (nested, `dir(path: …)`) the steps run in that folder of the workspace.
 * `bat` steps are read by Windows cmd's rules (`readCmd`), never as POSIX shell; `powershell` and
 * `pwsh` steps are not parsed (never a shell parse-error) and are listed with `--verbose`.
 *
 * The file is read by a small tokenizer of Groovy's lexical structure (comments, the four
 * string forms with their escapes, GString `${…}` / `$name` interpolation with nested braces,
 * identifiers, punctuation), not by a pattern over the text, so an `sh` in a comment or inside
 * another string is not a step. Interpolated values are computed by Groovy when the pipeline
 * runs: they are unknown words to the shell (`unresolved-value`), never guesses.
 */
import type { DynamicReason, Token } from '../model.js';
import { MappedText } from '../text.js';
import { addArgv, addShellText } from './commands.js';
import { restorePlaceholders, mark } from './github-actions.js';
import { dirOf, joinPath, type ScanContext, type Source, type SourceFile } from './types.js';
import { head } from './registry.js';

const PLACEHOLDER = 'PERMLINT_GROOVY_';
const MAX_TOKENS = 500_000;

type Tok =
  | { kind: 'ident'; value: string; start: number; end: number }
  | { kind: 'punct'; value: string; start: number; end: number }
  | { kind: 'string'; quote: string; start: number; end: number; contentStart: number; contentEnd: number };

/** Groovy tokens of `text`; undefined when a string or comment never closes (reported by the caller). */
export function tokenizeGroovy(text: string): { tokens: Tok[]; error?: { at: number; code: 'groovy-unclosed'; quote?: string } } {
  const tokens: Tok[] = [];
  let i = 0;
  const n = text.length;
  while (i < n && tokens.length < MAX_TOKENS) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return { tokens, error: { at: i, code: 'groovy-unclosed' } };
      i = close + 2;
      continue;
    }
    if (c === '#' && i === 0 && text[1] === '!') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      const contentStart = i + quote.length;
      const end = closeString(text, contentStart, quote);
      if (end < 0) return { tokens, error: { at: i, code: 'groovy-unclosed', quote } };
      tokens.push({ kind: 'string', quote, start: i, end: end + quote.length, contentStart, contentEnd: end });
      i = end + quote.length;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$]/.test(text[j]!)) j++;
      tokens.push({ kind: 'ident', value: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    tokens.push({ kind: 'punct', value: c, start: i, end: i + 1 });
    i++;
  }
  return { tokens };
}

/** Offset of the closing quote of a string whose content starts at `from`; -1 when it never closes. */
function closeString(text: string, from: number, quote: string): number {
  const gstring = quote[0] === '"';
  let depth = 0; // inside `${ … }` of a GString
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (depth > 0) {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '"' || c === "'") {
        // a string inside the interpolation
        const end = closeString(text, i + 1, c);
        if (end < 0) return -1;
        i = end;
      }
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (gstring && c === '$' && text[i + 1] === '{') {
      depth = 1;
      i++;
      continue;
    }
    if (quote.length === 1 && c === '\n') return -1;
    if (text.startsWith(quote, i)) return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', "'": "'", '"': '"', $: '$' };

/**
 * A string's value mapped onto the file, with each GString interpolation replaced by a shell
 * variable placeholder (`${PERMLINT_GROOVY_<n>}`) that the shell reader treats as unknown.
 */
function stringText(file: SourceFile, t: Extract<Tok, { kind: 'string' }>, exprs: string[]): MappedText {
  const src = file.text;
  const gstring = t.quote[0] === '"';
  let out = '';
  const offsets: number[] = [];
  const push = (s: string, at: number) => {
    for (let k = 0; k < s.length; k++) {
      out += s[k];
      offsets.push(at);
    }
  };
  for (let i = t.contentStart; i < t.contentEnd; ) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < t.contentEnd) {
      const e = src[i + 1]!;
      if (e === '\n') i += 2; // a line continuation inside the string
      else {
        push(ESCAPES[e] ?? e, i);
        i += 2;
      }
      continue;
    }
    if (gstring && c === '$' && (src[i + 1] === '{' || /[A-Za-z_]/.test(src[i + 1] ?? ''))) {
      let j = i + 1;
      if (src[j] === '{') {
        let depth = 1;
        j++;
        while (j < t.contentEnd && depth > 0) {
          if (src[j] === '{') depth++;
          else if (src[j] === '}') depth--;
          j++;
        }
      } else while (j < t.contentEnd && /[\w.]/.test(src[j]!)) j++;
      const ph = `\${${PLACEHOLDER}${exprs.length}}`;
      exprs.push(src.slice(i, j));
      for (let k = 0; k < ph.length; k++) {
        out += ph[k];
        offsets.push(i + Math.floor((k * (j - i)) / ph.length));
      }
      i = j;
      continue;
    }
    out += c;
    offsets.push(i);
    i++;
  }
  offsets.push(t.contentEnd);
  return new MappedText(out, offsets, file.index);
}

/**
 * The simple commands of a Windows `cmd` script (a Jenkins `bat` step), by cmd's own rules: `^`
 * escapes (and continues a line), `"…"` groups, `&` `&&` `||` `|` and line breaks separate
 * commands, `<` `>` redirect, `@` and `call` in front are dropped, `rem` / `::` lines are
 * comments. `%VAR%`, `!VAR!`, `%1`, `%%i` and Groovy interpolations are unknown words. An
 * `if` / `for` / `(` block is not read (listed with --verbose).
 */
export function readCmd(src: MappedText, unknown: (word: string) => DynamicReason | undefined): { commands: Token[][]; skipped: number[] } {
  const s = src.text;
  const commands: Token[][] = [];
  const skipped: number[] = [];
  let words: Token[] = [];
  let value = '';
  let start = -1;
  let end = -1;
  let quoted = false;
  let redirect = false;
  const endWord = () => {
    if (start >= 0) {
      const tok: Token = { value, span: src.span(start, end) };
      const why = [...value.matchAll(/%%?~?[\w]+%?|%[\w]+%|![\w]+!|\$\{[A-Z_0-9]+\}/g)].map((m): DynamicReason => unknown(m[0]) ?? { kind: 'variable', of: 'cmd', name: m[0] });
      if (why.length) tok.dynamic = why;
      if (redirect) redirect = false; // the redirection's target is not a word of the command
      else words.push(tok);
    }
    value = '';
    start = -1;
  };
  const endCommand = () => {
    endWord();
    let w = words;
    while (w[0] && /^@/.test(w[0].value)) w = w[0].value === '@' ? w.slice(1) : [{ ...w[0], value: w[0].value.slice(1) }, ...w.slice(1)];
    if (w[0]?.value.toLowerCase() === 'call') w = w.slice(1);
    const first = w[0]?.value.toLowerCase();
    if (first === 'rem' || first?.startsWith('::')) w = [];
    else if (first === 'if' || first === 'for' || first?.startsWith('(') || first === ')') {
      skipped.push(w[0]!.span.line);
      w = [];
    }
    if (w.length) commands.push(w);
    words = [];
    redirect = false;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (!quoted && c === '^') {
      if (s[i + 1] === '\n' || (s[i + 1] === '\r' && s[i + 2] === '\n')) {
        i += s[i + 1] === '\r' ? 2 : 1; // a line continuation
        continue;
      }
      if (i + 1 < s.length) {
        if (start < 0) start = i;
        value += s[++i];
        end = i + 1;
      }
      continue;
    }
    if (c === '"') {
      quoted = !quoted;
      if (start < 0) start = i;
      end = i + 1;
      continue;
    }
    if (!quoted && (c === '\n' || c === '&' || c === '|')) {
      if (c === '&' && (s[i - 1] === '>' || s[i - 1] === '<')) continue; // `2>&1`
      endCommand();
      if ((c === '&' || c === '|') && s[i + 1] === c) i++;
      continue;
    }
    if (!quoted && (c === '>' || c === '<')) {
      if (/^\d$/.test(value)) {
        value = '';
        start = -1;
      }
      endWord();
      if (s[i + 1] === c) i++;
      if (s[i + 1] === '&') i += 2; // `>&2`
      else redirect = true;
      continue;
    }
    if (!quoted && (c === ' ' || c === '\t' || c === '\r')) {
      endWord();
      continue;
    }
    if (start < 0) start = i;
    value += c;
    end = i + 1;
  }
  endCommand();
  return { commands, skipped };
}

function isPunct(t: Tok | undefined, v: string): boolean {
  return t?.kind === 'punct' && t.value === v;
}

export const jenkinsfileSource: Source = {
  ...head('jenkinsfile'),
  parse(file: SourceFile, ctx: ScanContext): void {
    const { tokens, error } = tokenizeGroovy(file.text);
    if (error) {
      ctx.model.problems.push({ file: file.path, span: file.index.span(error.at, error.at + 1), code: 'groovy-unclosed', ...(error.quote ? { quote: error.quote } : {}), source: 'jenkinsfile' });
      return;
    }
    const kind = ctx.contextFor(file.path, 'ci');
    const base = dirOf(file.path);
    // `dir('x') { … }` blocks: the folder each open block runs its steps in (undefined: not known statically)
    const dirs: { depth: number; cwd: string | undefined }[] = [];
    let depth = 0;
    let pendingDir: { at: number; cwd: string | undefined } | undefined;
    const cwdNow = () => (dirs.length ? dirs[dirs.length - 1]!.cwd : base);
    let step = 0;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.kind === 'punct' && t.value === '{') {
        depth++;
        if (pendingDir && pendingDir.at === k) dirs.push({ depth, cwd: pendingDir.cwd });
        pendingDir = undefined;
        continue;
      }
      if (t.kind === 'punct' && t.value === '}') {
        while (dirs.length && dirs[dirs.length - 1]!.depth >= depth) dirs.pop();
        depth--;
        continue;
      }
      if (t.kind !== 'ident' || isPunct(tokens[k - 1], '.')) continue; // `foo.sh …` is a method of something else
      if (t.value === 'dir') {
        // `dir('sub') {`, `dir(path: 'sub') {`
        let j = k + 1;
        if (!isPunct(tokens[j], '(')) continue;
        j++;
        if (tokens[j]?.kind === 'ident' && (tokens[j] as { value: string }).value === 'path' && isPunct(tokens[j + 1], ':')) j += 2;
        const arg = tokens[j];
        if (arg?.kind !== 'string' || !isPunct(tokens[j + 1], ')') || !isPunct(tokens[j + 2], '{')) continue;
        const exprs: string[] = [];
        const path = stringText(file, arg, exprs).text;
        const here = cwdNow();
        // a relative folder of the workspace; an absolute or interpolated one is not a repository folder permlint knows
        const known = !exprs.length && !path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path) && here !== undefined;
        pendingDir = { at: j + 2, cwd: known ? joinPath(here, path) : undefined };
        continue;
      }
      if (t.value === 'powershell' || t.value === 'pwsh') {
        // PowerShell is not POSIX shell: never parsed as one; listed with --verbose
        const arg = isPunct(tokens[k + 1], '(') ? tokens[k + 2] : tokens[k + 1];
        if (arg?.kind === 'string' || (arg?.kind === 'ident' && isPunct(tokens[(isPunct(tokens[k + 1], '(') ? k + 3 : k + 2)], ':'))) {
          const at = file.index.position(t.start);
          (ctx.model.unreadParts ??= []).push({ path: file.path, code: 'powershell-step', step: t.value, line: at.line, column: at.column });
        }
        continue;
      }
      if (t.value !== 'sh' && t.value !== 'bat') continue;
      let j = k + 1;
      if (isPunct(tokens[j], '(')) j++;
      let at = j;
      let script = tokens[j];
      // named arguments: `sh script: '…'`, `sh(label: 'x', script: '…')`
      if (script?.kind === 'ident' && isPunct(tokens[j + 1], ':')) {
        script = undefined;
        for (let m = j; m < Math.min(tokens.length - 2, j + 40); m++) {
          const a = tokens[m]!;
          if (a.kind === 'punct' && (a.value === ')' || a.value === '}' || a.value === '{')) break;
          if (a.kind === 'ident' && a.value === 'script' && isPunct(tokens[m + 1], ':') && tokens[m + 2]!.kind === 'string') {
            script = tokens[m + 2];
            at = m + 2;
            break;
          }
        }
      }
      if (!script || script.kind !== 'string') continue;
      // `'…' + x` builds the string at run time: only a whole literal is read
      if (isPunct(tokens[at + 1], '+')) continue;
      step++;
      const exprs: string[] = [];
      const text = stringText(file, script, exprs);
      const before = mark(ctx.model);
      if (t.value === 'bat') {
        // a cmd script: read by cmd's rules, never as POSIX shell
        const site = {
          origin: { file: file.path, span: file.index.span(t.start, script.end), source: 'jenkinsfile' as const, name: `bat #${step}` },
          context: cwdNow() === undefined ? { kind } : { kind, cwd: cwdNow()! },
          id: `${file.path}#bat:${step}`,
        };
        const read = readCmd(text, (w) => (w.startsWith(`\${${PLACEHOLDER}`) ? { kind: 'template', of: 'groovy', exprs: [exprs[Number(w.slice(PLACEHOLDER.length + 2, -1))] ?? ''] } : undefined));
        read.commands.forEach((argv, n) => addArgv(argv, { ...site, id: read.commands.length > 1 ? `${site.id}#${n + 1}` : site.id }, ctx));
        for (const line of read.skipped) (ctx.model.unreadParts ??= []).push({ path: file.path, code: 'bat-control-block', line });
        restorePlaceholders(ctx.model, before, PLACEHOLDER, exprs);
        continue;
      }
      addShellText(
        text,
        {
          origin: { file: file.path, span: file.index.span(t.start, script.end), source: 'jenkinsfile', name: `sh #${step}` },
          context: cwdNow() === undefined ? { kind } : { kind, cwd: cwdNow()! },
          id: `${file.path}#sh:${step}`,
          shell: { describeUnknown: (name) => (name.startsWith(PLACEHOLDER) ? { kind: 'template', of: 'groovy', exprs: [exprs[Number(name.slice(PLACEHOLDER.length))] ?? ''] } : { kind: 'variable', of: 'shell', name }) },
        },
        ctx,
      );
      restorePlaceholders(ctx.model, before, PLACEHOLDER, exprs);
    }
  },
};
