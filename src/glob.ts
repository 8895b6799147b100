/**
 * Globs from configs and ignore files, matched in time linear in the path (times the pattern's
 * length) — never by a backtracking regular expression: `*x*x*x*x*x*x*x*x*z` against a name of
 * 44 `x`s hangs a regex engine, and configs and `.gitignore` files come from the scanned tree.
 *
 * The pattern compiles to a small NFA (one state per pattern element) that is simulated over the
 * path with a set of live states. Syntax: `*` (any run without `/`), `?`, `[abc]`, `[a-z]`, `[!x]`
 * / `[^x]`, `**` as a whole segment (any number of folders), `{a,b}` (expanded, bounded), `\x`.
 *
 * `ignoreRules` adds gitignore semantics on top (negation, `dir/`, anchoring, the base folder of
 * each nested `.gitignore`, last match wins).
 */

export class GlobError extends Error {}

/** Longest pattern accepted, and the most alternatives `{…}` may expand to. */
export const MAX_GLOB_LENGTH = 1024;
export const MAX_BRACE_EXPANSION = 256;

type El =
  | { t: 'char'; c: number }
  | { t: 'one' }
  | { t: 'star' }
  /** `**` + `/`: zero or more whole folders. */
  | { t: 'dirs' }
  /** A trailing `**`: anything. */
  | { t: 'all' }
  | { t: 'class'; neg: boolean; ranges: number[] };

const SLASH = 47;

function expandBraces(p: string, out: string[]): void {
  // first top-level {…} with a comma, outside a class and not escaped
  let depth = 0;
  let open = -1;
  let inClass = false;
  const commas: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '{') {
      if (depth === 0) {
        open = i;
        commas.length = 0;
      }
      depth++;
    } else if (c === ',' && depth === 1) commas.push(i);
    else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0 && commas.length) {
        const pre = p.slice(0, open);
        const post = p.slice(i + 1);
        const cuts = [open, ...commas, i];
        for (let k = 0; k + 1 < cuts.length; k++) {
          expandBraces(pre + p.slice(cuts[k]! + 1, cuts[k + 1]) + post, out);
          if (out.length > MAX_BRACE_EXPANSION) throw new GlobError(`expands to more than ${MAX_BRACE_EXPANSION} patterns`);
        }
        return;
      }
    }
  }
  out.push(p);
}

function compileOne(p: string): El[] {
  const els: El[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) {
      els.push({ t: 'char', c: p.charCodeAt(++i) });
    } else if (c === '*') {
      let j = i;
      while (p[j + 1] === '*') j++;
      const double = j > i;
      const segStart = i === 0 || p[i - 1] === '/';
      const segEnd = j + 1 === p.length || p[j + 1] === '/';
      i = j;
      if (double && segStart && segEnd) {
        if (i + 1 === p.length) els.push({ t: 'all' });
        else {
          els.push({ t: 'dirs' });
          i++; // the slash belongs to `dirs`
        }
      } else if (els[els.length - 1]?.t !== 'star') els.push({ t: 'star' });
    } else if (c === '?') els.push({ t: 'one' });
    else if (c === '[') {
      let j = i + 1;
      let neg = false;
      if (p[j] === '!' || p[j] === '^') {
        neg = true;
        j++;
      }
      const ranges: number[] = [];
      let first = true;
      let closed = false;
      for (; j < p.length; j++) {
        let ch = p[j]!;
        if (ch === ']' && !first) {
          closed = true;
          break;
        }
        first = false;
        if (ch === '\\' && j + 1 < p.length) ch = p[++j]!;
        let lo = ch.charCodeAt(0);
        let hi = lo;
        if (p[j + 1] === '-' && j + 2 < p.length && p[j + 2] !== ']') {
          let h = p[j + 2]!;
          j += 2;
          if (h === '\\' && j + 1 < p.length) h = p[++j]!;
          hi = h.charCodeAt(0);
          if (hi < lo) [lo, hi] = [hi, lo];
        }
        ranges.push(lo, hi);
      }
      if (!closed) els.push({ t: 'char', c: 91 }); // a lone `[` is literal
      else {
        els.push({ t: 'class', neg, ranges });
        i = j;
      }
    } else els.push({ t: 'char', c: p.charCodeAt(i) });
  }
  return els;
}

function classHas(el: { neg: boolean; ranges: number[] }, c: number): boolean {
  if (c === SLASH) return false;
  let hit = false;
  for (let k = 0; k < el.ranges.length; k += 2) if (c >= el.ranges[k]! && c <= el.ranges[k + 1]!) hit = true;
  return hit !== el.neg;
}

/**
 * One pattern as an NFA. States 0..n (n = accept); `dirs` uses a second state per element
 * (inside a folder name), numbered n+1+k.
 */
class Nfa {
  private readonly n: number;
  /** State sets, allocated once: `matches` is synchronous and never re-entered. */
  private cur: Uint8Array;
  private next: Uint8Array;
  constructor(private readonly els: El[]) {
    this.n = els.length;
    this.cur = new Uint8Array(2 * this.n + 2);
    this.next = new Uint8Array(2 * this.n + 2);
  }

  private closure(set: Uint8Array, s: number): void {
    // epsilon moves: star, dirs and all may match nothing
    while (s < this.n && !set[s]) {
      set[s] = 1;
      const t = this.els[s]!.t;
      if (t !== 'star' && t !== 'dirs' && t !== 'all') return;
      s++;
    }
    if (s === this.n) set[s] = 1;
  }

  matches(str: string): boolean {
    const n = this.n;
    let cur = this.cur;
    let next = this.next;
    cur.fill(0);
    this.closure(cur, 0);
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      next.fill(0);
      let any = false;
      for (let s = 0; s < n; s++) {
        if (cur[s]) {
          const el = this.els[s]!;
          switch (el.t) {
            case 'char':
              if (el.c === c) {
                this.closure(next, s + 1);
                any = true;
              }
              break;
            case 'one':
              if (c !== SLASH) {
                this.closure(next, s + 1);
                any = true;
              }
              break;
            case 'class':
              if (classHas(el, c)) {
                this.closure(next, s + 1);
                any = true;
              }
              break;
            case 'star':
              if (c !== SLASH) {
                this.closure(next, s);
                any = true;
              }
              break;
            case 'all':
              this.closure(next, s);
              any = true;
              break;
            case 'dirs':
              // inside a folder name (state n+1+s) until its slash
              if (c === SLASH) this.closure(next, s);
              else next[n + 1 + s] = 1;
              any = true;
              break;
          }
        }
        if (cur[n + 1 + s]) {
          if (c === SLASH) this.closure(next, s);
          else next[n + 1 + s] = 1;
          any = true;
        }
      }
      if (!any) return false;
      const t = cur;
      cur = next;
      next = t;
    }
    return cur[n] === 1;
  }
}

/** The literal run of `els` from `from` (chars only) as a string, and where it stops. */
function literalRun(els: El[], from: number): { text: string; end: number } {
  let text = '';
  let i = from;
  for (; i < els.length; i++) {
    const el = els[i]!;
    if (el.t !== 'char') break;
    text += String.fromCharCode(el.c);
  }
  return { text, end: i };
}

/**
 * One brace-free pattern as a matcher. The shapes ignore files and configs are made of get a
 * string test instead of the NFA (a discovery walk asks every rule about every entry):
 * `name`, `*.ext`, `prefix*`, `prefix/**`, `**\/name`, `**\/name/**`; anything else runs the NFA behind a check
 * of its literal head and tail (every match starts and ends with them).
 */
function matcherOf(els: El[]): (s: string) => boolean {
  const head = literalRun(els, 0);
  if (head.end === els.length) {
    const lit = head.text;
    return (s) => s === lit;
  }
  const rest = els.length - head.end;
  const last = els[els.length - 1]!;
  if (rest === 1 && last.t === 'star') {
    const lit = head.text;
    return (s) => s.startsWith(lit) && s.indexOf('/', lit.length) < 0;
  }
  if (rest === 1 && last.t === 'all') {
    const lit = head.text;
    return (s) => s.startsWith(lit);
  }
  if (head.end === 0 && els[0]!.t === 'dirs' && last.t === 'all') {
    // `**/dir/**` (a config's `dir/` context): the literal at the start or after any slash
    const mid = literalRun(els, 1);
    if (mid.end === els.length - 1 && mid.text) {
      const lit = mid.text;
      const slashLit = `/${lit}`;
      return (s) => s.startsWith(lit) || s.includes(slashLit);
    }
  }
  if (head.end === 0 && (els[0]!.t === 'star' || els[0]!.t === 'dirs')) {
    const tail = literalRun(els, 1);
    if (tail.end === els.length) {
      const lit = tail.text;
      if (els[0]!.t === 'star') {
        return (s) => {
          const cut = s.length - lit.length;
          return cut >= 0 && s.endsWith(lit) && (cut === 0 || s.lastIndexOf('/', cut - 1) < 0);
        };
      }
      const slashLit = `/${lit}`;
      return (s) => s === lit || s.endsWith(slashLit);
    }
  }
  // the literal tail: the chars after the last element of another kind
  let t = els.length;
  while (t > head.end && els[t - 1]!.t === 'char') t--;
  const tail = literalRun(els, t).text;
  const prefix = head.text;
  const nfa = new Nfa(els);
  const minLength = prefix.length + tail.length;
  return (s) => s.length >= minLength && s.startsWith(prefix) && s.endsWith(tail) && nfa.matches(s);
}

/** Compile a glob (braces expanded) into a matcher of whole strings. Throws GlobError past the bounds. */
export function compileGlob(pattern: string): (s: string) => boolean {
  if (pattern.length > MAX_GLOB_LENGTH) throw new GlobError(`longer than ${MAX_GLOB_LENGTH} characters`);
  const alts: string[] = [];
  expandBraces(pattern, alts);
  const ms = alts.map((a) => matcherOf(compileOne(a)));
  if (ms.length === 1) return ms[0]!;
  return (s) => ms.some((m) => m(s));
}

/** The same language through the NFA alone, without the string shortcuts (the reference tests hold `compileGlob` to). */
export function compileGlobReference(pattern: string): (s: string) => boolean {
  const alts: string[] = [];
  expandBraces(pattern, alts);
  const nfas = alts.map((a) => new Nfa(compileOne(a)));
  return (s) => nfas.some((m) => m.matches(s));
}

/**
 * The config's path globs (`contexts`, `overrides[].files`): gitignore-like — a pattern without
 * `/` matches at any depth, `dir/` means everything under it, a leading `/` or `./` anchors at
 * the root; a pattern also matches everything under a folder it matches.
 */
export function pathGlobMatcher(globs: string[]): (file: string) => boolean {
  if (!globs.length) return () => false;
  const ms = globs.map((g0) => {
    let g = g0.replace(/^\.\//, '');
    const dirOnly = g.endsWith('/');
    g = g.replace(/\/+$/, '');
    if (g.startsWith('/')) g = g.slice(1);
    else if (!g.includes('/')) g = `**/${g}`;
    const m = compileGlob(g);
    const under = compileGlob(`${g}/**`);
    return dirOnly ? under : (f: string) => m(f) || under(f);
  });
  return (file) => ms.some((m) => m(file));
}

/** Check every glob of a config; the error of the first bad one (with its key path), or undefined. */
export function checkGlobs(globs: string[], keyPath: string): string | undefined {
  for (let i = 0; i < globs.length; i++) {
    try {
      compileGlob(globs[i]!);
    } catch (e) {
      if (e instanceof GlobError) return `${keyPath}[${i}]: the glob ${e.message}`;
      throw e;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// gitignore

interface IgnoreRule {
  /** Absolute folder the rule is relative to (the `.gitignore`'s folder, or the root), with a trailing separator unless empty. */
  base: string;
  negate: boolean;
  dirOnly: boolean;
  /** Matches the path relative to base (anchored) or the last segment only. */
  anchored: boolean;
  /**
   * For an anchored pattern of fixed depth whose folders are written out (`/target/`,
   * `/tests/wpt/runner/manifest.json`): the one folder (relative to the top, no trailing `/`)
   * whose entries it can match. `IgnoreSet.forFolder` leaves it out everywhere else.
   */
  folder?: string;
  /**
   * The literal end every path the pattern matches has (the characters after its last wildcard,
   * brace, class or escape; the whole pattern when it has none), '' when it ends with one:
   * `ignoresName` says no at once to a name without it (`*.orig`, `junit.xml`), without calling `match`.
   */
  tail: string;
  /**
   * For a `tail` with a `/`: its part after the last `/`, the whole name of every entry the
   * pattern matches (the tail ends the path, or, after a `**` that matched no folder, the tail
   * without its first `/` does: `**\/.claude/settings.local.json` matches only `settings.local.json`).
   */
  last: string | undefined;
  match: (s: string) => boolean;
}

/** A pattern's literal end (`IgnoreRule.tail`). */
function literalTail(pattern: string): string {
  let i = pattern.length;
  while (i > 0 && !'*?[]{}\\'.includes(pattern[i - 1]!)) i--;
  return pattern.slice(i);
}

/** Rules of one `.gitignore` (or a list of ignore globs), relative to `base` (a folder path with `/` separators, `''` for the root). */
export function parseIgnore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n|\r/)) {
    let line = raw;
    if (!line || line.startsWith('#')) continue;
    // trailing spaces are dropped unless escaped
    line = line.replace(/(?<!\\)\s+$/, '');
    if (!line) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) line = line.slice(1);
    const dirOnly = line.endsWith('/');
    line = line.replace(/\/+$/, '');
    if (!line) continue;
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    let match: (s: string) => boolean;
    try {
      match = compileGlob(line);
    } catch {
      continue; // a pattern past the bounds ignores nothing (git has no such patterns in practice)
    }
    const tail = literalTail(line);
    const rule: IgnoreRule = { base: base === '' ? '' : `${base}/`, negate, dirOnly, anchored, tail, last: tail.includes('/') ? tail.slice(tail.lastIndexOf('/') + 1) : undefined, match };
    // (no `**`, braces, classes or escapes anywhere, no wildcard before the last `/`: `*` and `?` never match `/`)
    const slash = line.lastIndexOf('/');
    if (anchored && !/\*\*|[{[\\]/.test(line) && !/[*?]/.test(line.slice(0, Math.max(slash, 0)))) {
      const folder = `${rule.base}${slash < 0 ? '' : line.slice(0, slash)}`;
      rule.folder = folder.endsWith('/') ? folder.slice(0, -1) : folder;
    }
    rules.push(rule);
  }
  return rules;
}

/** A set of gitignore rules over paths relative to one root (`a/b/c`, forward slashes). */
export class IgnoreSet {
  private rules: IgnoreRule[] = [];
  /** A view's (`forFolder`) folder path (relative to the top, no trailing `/`); undefined for a set that is not a view. */
  private dir: string | undefined;
  /** A view's anchored rules: the folder's path after the rule's base, by the rule's place, made when first asked. */
  private under: (string | undefined)[] | undefined;
  /** A view's: how many rules the whole set had when it was made, and whether it holds a rule of one folder (`IgnoreRule.folder`). */
  private at = 0;
  private specific = false;
  /** The whole set's rules of one folder (`IgnoreRule.folder`), by that folder, and its other rules by their base (without the trailing `/`; not those of the top). */
  private byFolder: Map<string, IgnoreRule[]> | undefined;
  private byBase: Map<string, IgnoreRule[]> | undefined;

  add(rules: IgnoreRule[]): this {
    for (const r of rules) {
      this.rules.push(r);
      const index = r.folder !== undefined ? (this.byFolder ??= new Map()) : r.base !== '' ? (this.byBase ??= new Map()) : undefined;
      const key = r.folder ?? r.base.slice(0, -1);
      if (index !== undefined) {
        const l = index.get(key);
        if (l) l.push(r);
        else index.set(key, [r]);
      }
    }
    return this;
  }

  /** Globs as given on the command line or in a config (`ignore`), relative to the root. */
  addGlobs(globs: string[]): this {
    return this.add(parseIgnore(globs.join('\n'), ''));
  }

  get size(): number {
    return this.rules.length;
  }

  /**
   * The rules that can match an entry of the folder `dir` (relative to the top, '' for the top),
   * in order: a walk asks `ignoresEntry` of a folder's entries on these, not on every rule of the
   * tree (rules of other `.gitignore` files, anchored patterns of other folders).
   */
  forFolder(dir: string): IgnoreSet {
    const d = dir ? `${dir}/` : '';
    const view = new IgnoreSet();
    view.rules = this.rules.filter((r) => (r.base === '' || d.startsWith(r.base)) && (r.folder === undefined || r.folder === dir));
    view.dir = dir;
    view.at = this.rules.length;
    view.specific = view.rules.some((r) => r.folder !== undefined);
    return view;
  }

  /**
   * `forFolder(dir)` for a folder `dir` (not the top) whose parent's view is `parent` (made by
   * this set's `forFolder` or `forSubfolder`): the parent's rules again, without filtering every
   * rule of the set, when no rule can tell the two folders apart — none of the parent's folder
   * only, none of `dir`'s (its `.gitignore`, an anchored pattern of that folder), none added
   * since the parent's view that applies to the parent. Otherwise `forFolder(dir)`.
   */
  forSubfolder(parent: IgnoreSet, dir: string): IgnoreSet {
    if (parent.specific || parent.dir === undefined || this.byFolder?.has(dir) || this.byBase?.has(dir)) return this.forFolder(dir);
    const rules = this.rules;
    if (parent.at < rules.length) {
      // (a rule of the parent's folder or above, added since: the parent's list is not the whole answer)
      const pd = parent.dir ? `${parent.dir}/` : '';
      for (let i = parent.at; i < rules.length; i++) {
        const r = rules[i]!;
        if (r.folder === undefined && (r.base === '' || pd.startsWith(r.base))) return this.forFolder(dir);
      }
    }
    const view = new IgnoreSet();
    view.rules = parent.rules;
    view.dir = dir;
    view.at = rules.length;
    return view;
  }

  /**
   * `ignoresEntry` of the entry `name` of the folder this view is for (`forFolder`), without
   * making its path: every rule of the view is of that folder or of one above it (its base
   * starts the folder's path), and only an anchored rule reads more than the name.
   */
  ignoresName(name: string, isDir: boolean): boolean {
    const dir = this.dir;
    if (dir === undefined) return this.ignoresEntry(name, isDir, name);
    let ignored = false;
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if (ignored !== r.negate || (r.dirOnly && !isDir)) continue;
      // (the path ends with the name, and a name is one segment: the rule's literal end says no to
      // most names — a name it does not end, or, when the literal end holds a folder, any other name)
      const last = r.last;
      if (last !== undefined ? name !== last : !name.endsWith(r.tail)) continue;
      if (r.match(r.anchored ? this.underOf(i, r) + name : name)) ignored = !r.negate;
    }
    return ignored;
  }

  /** The view's folder path after the anchored rule `r`'s base (`r` is the view's `i`th rule), with a trailing `/` unless empty. */
  private underOf(i: number, r: IgnoreRule): string {
    const under = (this.under ??= []);
    let u = under[i];
    if (u === undefined) {
      const d = this.dir ? `${this.dir}/` : '';
      under[i] = u = d.slice(r.base.length);
    }
    return u;
  }

  /** Whether this very path is ignored (its parent folders are not looked at: the walk prunes them). `name`: its last part, when the caller has it. */
  ignoresEntry(path: string, isDir: boolean, name?: string): boolean {
    let ignored = false;
    for (const r of this.rules) {
      // a rule can only change the answer: ignore rules while not ignored, negations while ignored
      if (ignored !== r.negate || (r.dirOnly && !isDir)) continue;
      if (r.base && !path.startsWith(r.base)) continue;
      const subject = r.anchored ? (r.base ? path.slice(r.base.length) : path) : (name ??= path.slice(path.lastIndexOf('/') + 1));
      if (r.match(subject)) ignored = !r.negate;
    }
    return ignored;
  }

  /** Whether a path is ignored, itself or through a folder above it (for paths named on the command line). */
  ignores(path: string): boolean {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) if (this.ignoresEntry(parts.slice(0, i).join('/'), true)) return true;
    return this.ignoresEntry(path, false);
  }
}
