/**
 * Which of the link-only candidates of a run on a few files (pre-commit) can change what is
 * reported for the named files — decided on their text, before any of them is parsed.
 *
 * The link phase connects files in these ways only (src/link/): a deployment or CI command runs a
 * deno.json task, a package.json script or a script file (`followDeployments`, chains to a fixed
 * point, the caller's context, container, runtime version and NODE_OPTIONS passing to the target);
 * a run loads a deno.json permission set with `-P`; a compose service takes the user of the
 * Dockerfile it builds; the nearest pin file, deno.json and package.json apply to a run;
 * node.config.json applies to the node runs that name it. Sources also read a few other files of
 * the scan (GitLab CI `include: local`, whose findings are then in the included file; a Helm
 * chart's Chart.yaml; a turbo/nx workspace's package.json files).
 *
 * So a file that can be the target of a named file's callers is always a name the caller writes:
 * a task or script name, or the script's file name. A candidate is kept when its text holds one of
 * those names — those of the named files, and, to a fixed point, those of every kept candidate
 * that can itself be a target (a workflow runs `scripts/ci.sh`, which runs the named deno.json's
 * `build` task). Configuration (deno.json / package.json on the way to a named path, pin files,
 * node.config.json) is always kept. A candidate that holds none of the names cannot reach a named
 * file: it is not read into the model at all. Quotes and backslashes are ignored, and `\x..`,
 * `\u....` and octal escapes are read both ways, so that a name written `"bu"ild` or
 * `b\u0075ild` is still seen; a name assembled from variables (`$A$B`) is only followed in a
 * full scan (docs/pre-commit.md).
 */
import type { DiscoveredFile, FileKind } from './discover.js';

/** Kinds always kept: configuration that applies to named files by folder, not by being run. */
const CONFIG = new Set<FileKind>(['deno.json', 'package.json', 'version-pin', 'node-config']);
/** npm's own names for these scripts (`npm t` runs `test`): a package.json with one of them is reached by any `npm` command. */
const NPM_LIFECYCLE = new Set(['start', 'test', 'stop', 'restart']);

const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The escapes a shell, YAML or JSON reader decodes: `\x..`, `\u{…}`, `\u....`, `\U........`, octal. */
const ESCAPES = /\\(?:x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{1,3}))/g;
const escaped = (m: string, x?: string, ub?: string, u?: string, U?: string, o?: string): string => {
  const code = parseInt((x ?? ub ?? u ?? U ?? o)!, x || ub || u || U ? 16 : 8);
  return code <= 0x10ffff ? String.fromCodePoint(code) : m;
};
/** The same escapes, matched where a backslash is (sticky). */
const ESCAPE_AT = new RegExp(ESCAPES.source, 'y');

/** The text as a shell, YAML or JSON reader may see it: escapes decoded, then quotes and backslashes dropped. */
export function decoded(text: string): string {
  return text.replace(ESCAPES, escaped).replace(/["'`\\]/g, '');
}
export const stripped = (text: string) => text.replace(/["'`\\]/g, '');

/** Where a text's escapes are, as `decoded` reads them (left to right, each match consumed whole), and what each decodes to. */
export interface Escapes {
  at: number[];
  end: number[];
  out: string[];
}

/** A text's escapes: found by its backslashes (`indexOf`), not by running the pattern over the whole text. */
export function escapesOf(text: string): Escapes {
  const e: Escapes = { at: [], end: [], out: [] };
  for (let i = text.indexOf('\\'); i >= 0; i = text.indexOf('\\', i)) {
    ESCAPE_AT.lastIndex = i;
    const m = ESCAPE_AT.exec(text);
    if (m === null) {
      i++;
      continue;
    }
    e.at.push(i);
    e.end.push(ESCAPE_AT.lastIndex);
    e.out.push(escaped(m[0], m[1], m[2], m[3], m[4], m[5]));
    i = ESCAPE_AT.lastIndex;
  }
  return e;
}

/** Whether the UTF-16 unit is one `stripped` drops. */
const dropped = (c: number) => c === 34 || c === 39 || c === 96 || c === 92;
/** The units of a string `stripped` keeps. */
function keptUnits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (!dropped(s.charCodeAt(i))) n++;
  return n;
}

/**
 * Whether `decoded(text)` holds `word` (no quote or backslash in it; `pattern`: `spread(word)`)
 * at a place where an escape is decoded — the only places it can differ from `stripped(text)`:
 * an occurrence in the decoded text that holds no escape's output is a piece of the text as it
 * is. So each escape is decoded with just enough around it (the tokens on each side until
 * `word.length` units `stripped` keeps, the escapes among them decoded too), and the pattern
 * asked of that window. `decoded(t).includes(w) === spread(w).test(t) || holdsAtEscapes(t, escapesOf(t), w, spread(w))`,
 * without decoding, copying or stripping the whole text (a 424 KB workflow: a two-byte copy the
 * size of the text, ~7-15 ms with the garbage it makes).
 */
export function holdsAtEscapes(text: string, e: Escapes, word: string, pattern: RegExp): boolean {
  const count = e.at.length;
  for (let k = 0; k < count; k++) {
    let lo = e.at[k]!;
    let j = k - 1;
    for (let n = 0; lo > 0 && n < word.length; ) {
      if (j >= 0 && e.end[j] === lo) {
        n += keptUnits(e.out[j]!);
        lo = e.at[j--]!;
      } else if (!dropped(text.charCodeAt(--lo))) n++;
    }
    let hi = e.end[k]!;
    let m = k + 1;
    for (let n = 0; hi < text.length && n < word.length; ) {
      if (m < count && e.at[m] === hi) {
        n += keptUnits(e.out[m]!);
        hi = e.end[m++]!;
      } else if (!dropped(text.charCodeAt(hi++))) n++;
    }
    // the window with its escapes (j+1 … m-1) decoded
    let window = '';
    let from = lo;
    for (let i = j + 1; i < m; i++) {
      window += text.slice(from, e.at[i]) + e.out[i];
      from = e.end[i]!;
    }
    if (pattern.test(window + text.slice(from, hi))) return true;
  }
  return false;
}

const QUOTED = /["'`\\]/;
const REGEXP_SYNTAX = /[\\^$.*+?()[\]{}|/]/;
/**
 * A pattern that finds `word` (no quote or backslash in it) where `stripped(text)` holds it:
 * its characters (UTF-16 units) in order, with any run of quotes and backslashes between two of
 * them — what `stripped` drops. So `spread(w).test(t) === stripped(t).includes(w)`, without
 * making the stripped copy of a large text.
 */
export function spread(word: string): RegExp {
  if (!word || QUOTED.test(word)) throw new Error('spread: a word without quotes or backslashes');
  let source = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    source += (i ? '["\'`\\\\]*' : '') + (REGEXP_SYNTAX.test(c) ? `\\${c}` : c);
  }
  return new RegExp(source);
}

/** The members of a JSON object under `key` (name, and the text of its value); undefined when the text cannot be read as JSON. */
export type JsonMembers = (text: string, key: string) => [string, string][] | undefined;

/**
 * The candidates (link-only files found by name, with their text) that can change a named file's
 * findings, in the candidates' order. `membersOf` reads a manifest's tasks or scripts
 * (jsonc-parser, loaded by the caller only when a manifest is involved). When a manifest cannot
 * be read, every candidate is kept.
 */
export function relevantLinkInputs(named: DiscoveredFile[], candidates: DiscoveredFile[], membersOf: JsonMembers): DiscoveredFile[] {
  /** Names a caller writes to run what a named file holds (and, to a fixed point, what runs it). */
  const words = new Set<string>();
  /** The words in the order added: a text that holds none of the first n is asked only about the rest (words are never taken back). */
  const order: string[] = [];
  let all = false;
  const add = (w: string) => {
    const n = stripped(w);
    if (!n || words.has(n)) return false;
    words.add(n);
    order.push(n);
    return true;
  };
  /** Each word's pattern over texts with quotes and backslashes in it (`spread`). */
  const patterns = new Map<string, RegExp>();
  /**
   * Per text: how many of `order` it is known not to hold, and its escapes (found only when the
   * text itself does not hold a word). A word has no quote or backslash, so one the text holds,
   * its stripped form holds too; the stripped and decoded forms themselves are never made
   * (`spread`, `holdsAtEscapes`). With no word yet, nothing is made.
   */
  const texts = new Map<string, [asked: number, escapes?: Escapes]>();
  const holdsWord = (text: string | undefined): boolean => {
    if (text === undefined) return true; // not read by discovery: cannot tell
    let t = texts.get(text);
    if (!t) texts.set(text, (t = [0]));
    for (; t[0] < order.length; t[0]++) {
      const w = order[t[0]]!;
      if (text.includes(w)) return true;
      let p = patterns.get(w);
      if (p === undefined) patterns.set(w, (p = spread(w)));
      // stripped(text), then decoded(text) where it differs: at the escapes
      if (p.test(text) || holdsAtEscapes(text, (t[1] ??= escapesOf(text)), w, p)) return true;
    }
    return false;
  };
  const manifest = (f: DiscoveredFile) => {
    const entries = membersOf(f.text ?? '', f.kind === 'deno.json' ? 'tasks' : 'scripts');
    if (!entries) all = true;
    return entries ?? [];
  };
  /** A script is run by its file name (without the extension: `./scripts/$name.sh` still names `name`). */
  const scriptName = (f: DiscoveredFile) => {
    const b = base(f.path);
    const dot = b.lastIndexOf('.');
    return dot > 0 ? b.slice(0, dot) : b;
  };

  const kinds = new Set(named.map((f) => f.kind));
  const namedYaml = named.some((f) => /\.ya?ml$/i.test(f.path));
  for (const f of named) {
    if (f.kind === 'deno.json' || f.kind === 'package.json') {
      const entries = manifest(f);
      // (`npm run build` also runs `prebuild` and `postbuild`)
      for (const [name] of entries) add(f.kind === 'package.json' ? name.replace(/^(pre|post)(?=.)/, '') : name);
      // a permission set is loaded by any `deno … -P` (or `--permission-set`) run
      if (f.kind === 'deno.json' && f.text?.includes('permissions')) add('deno');
      // npm's own names run these scripts (`npm t` runs `test`)
      if (f.kind === 'package.json' && entries.some(([n]) => NPM_LIFECYCLE.has(n))) add('npm');
    } else if (f.kind === 'shell' || f.kind === 'shebang') add(scriptName(f));
    // a node.config.json is named by `--experimental-config-file` (or the default-config flag)
    else if (f.kind === 'node-config') add('config-file');
  }

  // configuration is always kept; a task or script of it that runs a named thing adds its own name
  const keep = new Set<DiscoveredFile>(candidates.filter((f) => CONFIG.has(f.kind)));
  const manifests = candidates.filter((f) => f.kind === 'deno.json' || f.kind === 'package.json').map((f) => ({ f, entries: manifest(f) }));
  for (let changed = true; changed && !all; ) {
    changed = false;
    for (const { f, entries } of manifests) {
      for (const [name, value] of entries) {
        if (words.has(stripped(name)) || !holdsWord(value)) continue;
        add(name);
        if (f.kind === 'package.json' && NPM_LIFECYCLE.has(name)) add('npm');
        changed = true;
      }
    }
    for (const f of candidates) {
      if (keep.has(f)) continue;
      const needed =
        holdsWord(f.text) ||
        // a compose service runs as the user of the Dockerfile it builds
        (f.kind === 'dockerfile' && kinds.has('compose')) ||
        // GitLab CI includes local YAML files (and a named YAML file may be one, whose findings come
        // from the including file's parse); a Helm template needs its chart's Chart.yaml
        (kinds.has('gitlab-ci') && /\.ya?ml$/i.test(f.path)) ||
        (f.kind === 'gitlab-ci' && namedYaml) ||
        (kinds.has('helm') && base(f.path) === 'Chart.yaml');
      if (!needed) continue;
      keep.add(f);
      kinds.add(f.kind);
      if (f.kind === 'shell' || f.kind === 'shebang') add(scriptName(f));
      changed = true;
    }
  }
  return all ? candidates : candidates.filter((f) => keep.has(f));
}
