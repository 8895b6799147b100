/**
 * What a path in a permission grant reaches: resolution against the working directory of the
 * invocation (or the config's folder for deno.json permission sets), `~` / `$HOME` / `${HOME}`,
 * relative and absolute paths, and containment (a path grants the file or folder and everything
 * under it; `/etc` covers `/etc/passwd`, `./data` does not cover `./src`).
 *
 * A path is resolved to one of four roots, because a static linter does not know where the
 * repository or the home folder is on the machine that runs the program:
 * - `abs`: an absolute path on that machine (`/etc/passwd`, a container's `/app`);
 * - `home`: under the home folder of whoever runs the program (`~/.ssh`);
 * - `repo`: under the repository root (a relative path with a known working directory);
 * - `cwd`: under a working directory that is not known statically (a shell script run from
 *   anywhere) — two `cwd` paths of the same invocation still compare, since they share it.
 * Only `/` (an `abs` path with no segments) is known to cover the other roots.
 */
import CREDENTIALS from '../../data/credential-paths.json' with { type: 'json' };
import type { Declaration, Invocation, PermKind, PermissionGrant } from '../model.js';
import { envCovers, placeCovers, placeState, type EngineRuntime, type Place } from '../grammar/query.js';

export type PathRoot = Place['root'];

/**
 * A resolved path (the query engine's `Place`): normalised segments under a root (no `.`, no `..`
 * except a leading climb out of an unknown cwd, counted in `up`), and Node's `*` suffix in `star`
 * (`/home/us*` covers `/home/user/.ssh`; `''` = every entry of the folder).
 */
export type ResolvedPath = Place;

/** The folder relative paths resolve against. */
export interface PathBase {
  root: 'abs' | 'repo' | 'cwd';
  segments: string[];
  /**
   * A container folder that holds a repository folder (`WORKDIR /app` after `COPY . /app`):
   * absolute paths under `abs` are that repository folder's files.
   */
  mount?: { abs: string[]; repo: string[] };
}

export type PathRuntime = 'deno' | 'node';

export interface ResolveOptions {
  runtime?: PathRuntime;
  /** Environment known where the value is written (`DENO_DIR=… deno run`), for `$NAME` expansion. */
  env?: ReadonlyMap<string, string>;
}

const HOME_VAR = /^(?:\$HOME|\$\{HOME\})(?=\/|$)/;

/**
 * The base of an invocation or declaration from its context's `cwd`: a repo-relative folder
 * (`''` = the repository root), an absolute folder (a container's `WORKDIR /app`), or unknown.
 */
export function baseFor(cwd: string | undefined): PathBase {
  if (cwd === undefined) return { root: 'cwd', segments: [] };
  if (cwd.startsWith('/')) return { root: 'abs', segments: split(cwd) };
  if (cwd.startsWith('~') || HOME_VAR.test(cwd)) {
    // a home-relative working directory: keep it comparable with paths of the same invocation only
    return { root: 'cwd', segments: [] };
  }
  return { root: 'repo', segments: split(cwd) };
}

function split(p: string): string[] {
  return p.split('/').filter((s) => s !== '' && s !== '.');
}

/** Apply `..` and `.`; climbing above an `abs`/`home`/`repo` root stays at the root (as the OS does for `/..`). */
function normalise(root: PathRoot, segs: string[], up = 0): { segments: string[]; up: number } {
  const out: string[] = [];
  let climb = up;
  for (const s of segs) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (out.length > 0) out.pop();
      else if (root === 'cwd') climb++;
      continue;
    }
    out.push(s);
  }
  return { segments: out, up: climb };
}

/**
 * Resolve one written path. Returns undefined when it cannot be known statically
 * (`$DATA_DIR/x` with no known value, a Windows drive path, an empty value).
 */
export function resolvePath(value: string, base: PathBase, options: ResolveOptions = {}): ResolvedPath | undefined {
  let v = value;
  if (v === '') return undefined;
  let star: string | undefined;
  if (options.runtime === 'node') {
    // Node: `*` after a prefix is a prefix match; everything after the first `*` is ignored
    const i = v.indexOf('*');
    if (i >= 0) {
      v = v.slice(0, i);
      const slash = v.lastIndexOf('/');
      star = v.slice(slash + 1);
      v = slash < 0 ? '.' : v.slice(0, slash) || '/';
    }
  }
  // expand variables we know; `$HOME` is the home root
  if (HOME_VAR.test(v)) v = `~${v.replace(HOME_VAR, '')}`;
  if (v.includes('$')) {
    const expanded = expandVars(v, options.env);
    if (expanded === undefined) return undefined;
    v = expanded;
    if (HOME_VAR.test(v)) v = `~${v.replace(HOME_VAR, '')}`;
  }
  if (/^[A-Za-z]:[\\/]/.test(v) || v.startsWith('\\\\')) return undefined; // Windows paths: not this machine's layout
  if (v.startsWith('file://')) {
    try {
      v = decodeURIComponent(new URL(v).pathname);
    } catch {
      return undefined;
    }
  }
  let root: PathRoot;
  let segs: string[];
  let up = 0;
  if (v === '~' || v.startsWith('~/')) {
    root = 'home';
    segs = v.slice(1).split('/');
  } else if (v.startsWith('~')) {
    // `~user/…`: another user's home; absolute but unknown. Treat as under /home.
    root = 'abs';
    segs = ['home', ...v.slice(1).split('/')];
  } else if (v.startsWith('/')) {
    root = 'abs';
    segs = v.split('/');
    const m = base.mount;
    if (m) {
      const abs = normalise('abs', segs).segments;
      if (m.abs.every((x, i) => abs[i] === x)) {
        root = 'repo';
        segs = [...m.repo, ...abs.slice(m.abs.length)];
      }
    }
  } else {
    root = base.root;
    segs = [...base.segments, ...v.split('/')];
  }
  const n = normalise(root, segs, up);
  up = n.up;
  const out: ResolvedPath = { root, segments: n.segments };
  if (star !== undefined) out.star = star;
  if (up > 0) out.up = up;
  return out;
}

/** Expand `$NAME` / `${NAME}` from a known environment; undefined when one is unknown. */
function expandVars(v: string, env: ReadonlyMap<string, string> | undefined): string | undefined {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    let name: string;
    if (v[i + 1] === '{') {
      const close = v.indexOf('}', i + 2);
      if (close < 0) return undefined;
      name = v.slice(i + 2, close);
      i = close;
    } else {
      let j = i + 1;
      while (j < v.length && /[A-Za-z0-9_]/.test(v[j]!)) j++;
      name = v.slice(i + 1, j);
      i = j - 1;
    }
    if (name === 'HOME') {
      out += '$HOME';
      continue;
    }
    const val = env?.get(name);
    if (val === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
    out += val;
  }
  return out;
}

/**
 * Whether a grant of `a` reaches everything at `b` (b is `a` or under it), as the query engine
 * answers it (paths under different roots compare only when `a` is `/`). `runtime` decides
 * Node's `*` suffix.
 */
export function covers(a: ResolvedPath, b: ResolvedPath, runtime: EngineRuntime = a.star !== undefined ? 'node' : 'deno'): boolean {
  return placeCovers(runtime, a, b);
}

/** A readable form: `/etc`, `~/.ssh`, `src/main.ts` (repo-relative), `./out` (unknown cwd). */
export function showPath(p: ResolvedPath): string {
  return showPlace(p).replaceAll('\u27e8any\u27e9', '*');
}

function showPlace(p: ResolvedPath): string {
  const tail = p.segments.join('/') + (p.star !== undefined ? `${p.segments.length ? '/' : ''}${p.star}*` : '');
  switch (p.root) {
    case 'abs':
      return `/${tail}`;
    case 'home':
      return tail ? `~/${tail}` : '~';
    case 'repo':
      return tail || '.';
    case 'cwd': {
      const up = '../'.repeat(p.up ?? 0);
      return tail ? `${up || './'}${tail}` : up ? up.slice(0, -1) : '.';
    }
  }
}

/** Resolve a repo-relative file path (`deno.json`, `.github/workflows/ci.yml`) as a `repo` path. */
export function repoPath(p: string): ResolvedPath {
  return { root: 'repo', segments: normalise('repo', p.split('/')).segments };
}

/** Join under a resolved folder: `under(deno.json's folder, 'deno.lock')`. */
export function under(p: ResolvedPath | PathBase, ...names: string[]): ResolvedPath {
  const n = normalise(p.root, [...p.segments, ...names.flatMap((x) => x.split('/'))], 'up' in p ? p.up ?? 0 : 0);
  const out: ResolvedPath = { root: p.root, segments: n.segments };
  if (n.up > 0) out.up = n.up;
  return out;
}

/** The base as a path (the working directory itself). */
export function basePath(base: PathBase): ResolvedPath {
  return { root: base.root, segments: [...base.segments] };
}

/** The last segment of a path. */
export function baseName(p: ResolvedPath): string {
  return p.segments[p.segments.length - 1] ?? '';
}

interface CredentialFile {
  paths: { path: string; why: string; secret?: boolean }[];
  homeRoots: string[];
  dotenvFiles: { names: string[]; prefix: string; notSecret: string[] };
  envFamilies: { prefixes: string[] };
}
const CRED = CREDENTIALS as CredentialFile;

export interface CredentialPlace {
  /** The place; a `*` segment stands for any one name (`/home/<any>/.ssh` is written `/home/` + `*` + `/.ssh`). */
  path: ResolvedPath;
  text: string;
  why: string;
  /** Everything inside is a secret too (`~/.ssh/id_ed25519`); otherwise only the place or a folder above it reaches the secrets in it (`/etc` holds `/etc/shadow`, `/etc/hosts` is not secret). */
  secret: boolean;
  /** The same place written another way (`~/.ssh` is also `/root/.ssh` and `/home/<user>/.ssh`). */
  variants: ResolvedPath[];
}

const ABS: { root: 'abs'; segments: string[] } = { root: 'abs', segments: [] };

/** Places that hold credentials (data/credential-paths.json), resolved; a home-folder place is also under every home root. */
export const CREDENTIAL_PLACES: readonly CredentialPlace[] = CRED.paths.map((p) => {
  const path = resolvePath(p.path, ABS)!;
  const variants = path.root === 'home' ? CRED.homeRoots.map((h) => resolvePath(`${h}/${path.segments.join('/')}`, ABS)!) : [];
  return { path, text: p.path, why: p.why, secret: !!p.secret, variants };
});

/** `place` with its `*` (any name) and `<pid>` (a process: digits, `self`, `thread-self`) segments named after `grant`'s segment at the same depth (or a name nobody uses). */
function instantiate(place: ResolvedPath, grant: ResolvedPath): ResolvedPath {
  if (!place.segments.some((s) => s === '*' || s === '<pid>')) return place;
  const sameRoot = place.root === grant.root;
  return { ...place, segments: place.segments.map((s, i) => {
    const named = sameRoot ? grant.segments[i] : undefined;
    if (s === '<pid>') return named !== undefined && /^(\d+|self|thread-self)$/.test(named) ? named : '\u27e8any\u27e9';
    if (s !== '*') return s;
    if (named !== undefined) return named;
    // Node's `/home/us*` names the family of `/home/user`, `/home/us2`, …
    if (sameRoot && i === grant.segments.length && grant.star !== undefined) return `${grant.star}\u27e8any\u27e9`;
    return '\u27e8any\u27e9';
  }) };
}

export interface PlaceReach {
  /** The place as reached (a `*` named, the home-root variant that matched). */
  place: ResolvedPath;
  /** The grant lies inside the place rather than covering it. */
  inside: boolean;
}

/**
 * Whether a grant of `grant` lets the program read at `place` (or inside it when the place is
 * secret throughout), with the subject's denies and ignores applied as the runtime applies them.
 * The question is asked of the query engine for every written form of the place.
 */
export function reachesPlace(
  runtime: EngineRuntime,
  grant: ResolvedPath,
  place: CredentialPlace | { path: ResolvedPath; secret: boolean; variants?: ResolvedPath[] },
  exclusions: { deny?: readonly ResolvedPath[] | 'all'; ignore?: readonly ResolvedPath[] | 'all' } = {},
): PlaceReach | undefined {
  for (const form of [place.path, ...(place.variants ?? [])]) {
    const inst = instantiate(form, grant);
    let probe: ResolvedPath | undefined;
    let inside = false;
    if (placeCovers(runtime, grant, inst)) probe = inst;
    else if (place.secret && placeCovers(runtime, { ...inst, star: undefined }, grant)) {
      probe = grant;
      inside = true;
    }
    if (!probe) continue;
    const grants = { allow: [grant], ...(exclusions.deny ? { deny: exclusions.deny } : {}), ...(exclusions.ignore ? { ignore: exclusions.ignore } : {}) };
    if (placeState(runtime, grants, probe) === 'granted') return { place: inst, inside };
  }
  return undefined;
}

/** A dotenv file name that holds secrets (`.env`, `.env.production`; not `.env.example`). */
export function isDotenvName(name: string): boolean {
  if (CRED.dotenvFiles.notSecret.includes(name)) return false;
  return CRED.dotenvFiles.names.includes(name) || (name.startsWith(CRED.dotenvFiles.prefix) && name.length > CRED.dotenvFiles.prefix.length);
}

/** Environment prefixes of credential families (`AWS_`, `GITHUB_`, …). */
export const CREDENTIAL_ENV_PREFIXES: readonly string[] = CRED.envFamilies.prefixes;

/**
 * The credential families an env grant reads: Deno strips one trailing `*` and matches the rest
 * as a prefix (`AWS_*`, and `*` alone reads everything). Names without `*` are exact.
 */
export function envFamiliesReached(value: string): string[] {
  return CREDENTIAL_ENV_PREFIXES.filter((f) => value.endsWith('*') && envCovers(value, `${f}*`));
}

/** Literal environment assignments that apply to an invocation (`DENO_DIR=/x deno run …`, Dockerfile `ENV`). */
export function knownEnv(s: Invocation | Declaration): Map<string, string> {
  const env = new Map<string, string>();
  if (s.type !== 'invocation') return env;
  for (const e of s.env ?? []) if (!e.value.dynamic) env.set(e.name, e.value.value);
  return env;
}

/** Trusted paths from the config: relative ones are relative to the repository root. */
export function trustedPaths(list: readonly string[]): ResolvedPath[] {
  return list.flatMap((t) => {
    const p = resolvePath(t, { root: 'repo', segments: [] });
    return p ? [p] : [];
  });
}

export function isTrustedPath(p: ResolvedPath, trusted: readonly ResolvedPath[]): boolean {
  return trusted.some((t) => placeCovers('deno', t, p));
}

/** The working-directory base of an invocation or declaration. */
export function subjectBase(s: Invocation | Declaration): PathBase {
  const base = baseFor(s.context.cwd);
  const wd = s.context.container?.workdir;
  if (base.root === 'repo' && wd?.startsWith('/')) {
    const abs = normalise('abs', wd.split('/')).segments;
    if (abs.length > 0) base.mount = { abs, repo: base.segments };
  }
  return base;
}

/** Whether a word names a remote or registry module rather than a local file (`https:`, `jsr:`, `npm:`, `data:`). */
export function isSpecifier(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[A-Za-z]:[\\/]/.test(value) && !value.startsWith('file:');
}

/** A narrower grant written the way the subject writes grants: `--allow-read=./data`, `"read": ["./data"]`, `allowNet: [...]`. */
export function grantExample(s: Invocation | Declaration, g: PermissionGrant, value: string): string {
  const kind: PermKind = g.kind;
  if (g.via === 'flag' || s.type === 'invocation') {
    if (s.runtime === 'node' && (kind === 'read' || kind === 'write')) return `--allow-fs-${kind}=${value}`;
    return `--allow-${kind}=${value}`;
  }
  if (s.declaration === 'sandbox' && kind === 'net') return `allowNet: ["${value}"]`;
  if (s.runtime === 'node' && (kind === 'read' || kind === 'write')) return `"allow-fs-${kind}": ["${value}"]`;
  return `"${kind}": ["${value}"]`;
}
