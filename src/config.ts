/**
 * The configuration file: data only (JSON or YAML), never executable code, so that scanning an
 * untrusted pull request runs nothing from it. Found at the scan root as `permlint.config.json`,
 * `.permlintrc.json`, `.permlintrc.yaml` or `.permlintrc.yml` (or given with `--config`),
 * validated against the shipped JSON schema (`schema/permlint.schema.json`), and compiled into
 * the options the scan, the discovery and the engine take.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { jsonTooDeep, yamlTooDeep } from './sources/nesting.js';
import { decodeText, excerpt, realRoot, safeRead } from './fsafe.js';
import { nodeFs, type FileSystem } from './fs.js';
import { checkGlobs, compileGlob, pathGlobMatcher } from './glob.js';
import type { CodeRole, ContextKind } from './model.js';
import { CODE_ROLES } from './roles.js';
import type { Trusted } from './rule-api.js';
import type { EngineOptions, EngineOverride, LevelSetting, RuleSetting } from './engine.js';

export const CONFIG_NAMES = ['permlint.config.json', '.permlintrc.json', '.permlintrc.yaml', '.permlintrc.yml'];
const CONTEXTS: ContextKind[] = ['deployment', 'build', 'ci', 'development', 'test'];

export class ConfigError extends Error {}

// ---------------------------------------------------------------------------------------------
// files shipped with the package (schema, rule docs): src/package-info.ts, which the CLI loads
// without the rest of this module

export { homepage, packageFile, packageRoot, packageVersion, repositoryUrl } from './package-info.js';
import { packageFile, repositoryUrl } from './package-info.js';

/** A rule's documentation page in the repository, when package.json names the repository. */
export function docsUrl(ruleId: string): string | undefined {
  const repo = repositoryUrl();
  return repo ? `${repo}/blob/HEAD/docs/rules/${ruleId}.md` : undefined;
}

const docCache = new Map<string, { markdown: string; summary?: string } | undefined>();
/** A rule's docs page (docs/rules/<id>.md) and its first paragraph, when the page exists. */
export function ruleDoc(id: string): { markdown: string; summary?: string } | undefined {
  if (docCache.has(id)) return docCache.get(id);
  let doc: { markdown: string; summary?: string } | undefined;
  try {
    const markdown = readFileSync(packageFile(`docs/rules/${id}.md`), 'utf8');
    doc = { markdown };
    const summary = firstParagraph(markdown);
    if (summary) doc.summary = summary;
  } catch {
    doc = undefined;
  }
  docCache.set(id, doc);
  return doc;
}

/**
 * The rule's description for SARIF `fullDescription`: the prose of the page's first `##`
 * section (its "What it catches"), list items included, code blocks left out.
 */
function firstParagraph(md: string): string | undefined {
  const lines = md.split(/\r?\n/);
  let start = lines.findIndex((l) => /^##\s/.test(l));
  start = start < 0 ? 0 : start + 1;
  const words: string[] = [];
  let fence = false;
  for (const line of lines.slice(start)) {
    if (/^\s*(```|~~~)/.test(line)) {
      // "Message, for example:" introduces the block left out
      if (!fence && words.length && words[words.length - 1]!.endsWith(':')) words.pop();
      fence = !fence;
      continue;
    }
    if (fence) continue;
    if (/^#{1,6}\s/.test(line)) {
      if (words.length) break;
      continue;
    }
    const t = line.trim();
    if (!t || /^(\||<!--|\*\*Default level)/.test(t)) continue;
    words.push(t.replace(/^[-*+]\s+/, '• '));
  }
  const text = words.join(' ').replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (text.length <= 1000) return text;
  const cut = text.slice(0, 1000);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('; '));
  return end > 200 ? cut.slice(0, end + 1) : `${cut.slice(0, 999)}…`;
}

// ---------------------------------------------------------------------------------------------
// the config's shape

export type RuleValue = LevelSetting | [LevelSetting] | [LevelSetting, Record<string, unknown>] | RuleSetting;

export interface PermlintConfig {
  rules?: Record<string, RuleValue>;
  ignore?: string[];
  contexts?: Partial<Record<ContextKind, string[]>>;
  trusted?: Partial<Trusted>;
  overrides?: { files: string[]; excludedFiles?: string[]; rules?: Record<string, RuleValue> }[];
  /** Code roles by glob (src/roles.ts); the first role listed that matches wins. */
  roles?: Partial<Record<CodeRole, string[]>>;
}

export interface LoadedConfig {
  /** The file it came from (absolute), if any. */
  path?: string;
  config: PermlintConfig;
}

/**
 * Whether a path exists; a folder permlint may not look into (Node's permission model throws
 * where the disk would just say no) counts as not there.
 */
function present(p: string): boolean {
  try {
    return existsSync(p);
  } catch {
    return false;
  }
}

/**
 * The first config file in a folder, if any. Anything by that name counts (a directory, a
 * FIFO, a dangling link): `loadConfig` then refuses it with the reason rather than the run
 * quietly going on without the config.
 */
export function findConfig(root: string, fs: FileSystem = nodeFs): string | undefined {
  for (const n of CONFIG_NAMES) {
    const p = join(root, n);
    try {
      fs.lstat(p);
      return p;
    } catch {
      /* not there */
    }
  }
  return undefined;
}

/** Config files larger than this are refused (a link to /dev/zero, a generated monster). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deeper nesting than this is refused before anything recurses over the value. */
export const MAX_CONFIG_DEPTH = 64;

/** The folder holding `.git` (a folder or, in a worktree or submodule, a file) at or above `dir`, if any. */
export function repositoryRoot(dir: string): string | undefined {
  for (let d = resolve(dir); ; ) {
    if (present(join(d, '.git'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/**
 * The config that governs `start` (a file or folder): the nearest config file in its folder or
 * above, looking no higher than the repository that holds it (the folder with `.git`), or the
 * file-system root outside a repository. As ESLint and zizmor do: a monorepo package or a
 * subfolder run picks up the configuration that applies to it.
 */
export function findConfigUp(start: string): string | undefined {
  let dir = resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    const found = findConfig(dir);
    if (found) return found;
    if (present(join(dir, '.git'))) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const toPosix = (p: string) => p.split(sep).join('/');

/**
 * Rewrites gitignore-style globs written relative to `from` (the config's folder) so that they
 * match paths relative to `to` (the scan root). Unanchored globs (no `/` but a trailing one)
 * match at any depth and stay as they are; anchored ones are moved; globs that cannot match
 * anything under `to` are dropped.
 */
export function rebaseGlobs(globs: string[], from: string, to: string): string[] {
  const up = toPosix(relative(from, to)); // the scan root seen from the config: '' or 'packages/a'
  const down = toPosix(relative(to, from)); // the config seen from the scan root: 'packages/a'
  if (!up && !down) return globs;
  return globs.flatMap((g0) => {
    const neg = g0.startsWith('!') ? '!' : '';
    let g = g0.slice(neg.length).replace(/^\.\//, '');
    const dirOnly = g.endsWith('/') ? '/' : '';
    g = g.replace(/\/+$/, '');
    const anchored = g.startsWith('/') || g.includes('/');
    g = g.replace(/^\/+/, '');
    if (!up.startsWith('..') && up) {
      // the scan root is below the config's folder
      if (!anchored) return [g0];
      const want = up.split('/');
      const segs = g.split('/');
      for (let i = 0; i < want.length; i++) {
        const s = segs[i];
        if (s === undefined) return [];
        if (s === '**') return [`${neg}/${segs.slice(i).join('/')}${dirOnly}`];
        if (!compileGlob(s)(want[i]!)) return [];
      }
      const rest = segs.slice(want.length).join('/');
      return rest ? [`${neg}/${rest}${dirOnly}`] : [];
    }
    if (!down.startsWith('..') && down) {
      // the config's folder is below the scan root
      return [anchored ? `${neg}/${down}/${g}${dirOnly}` : `${neg}/${down}/**/${g}${dirOnly}`];
    }
    return [];
  });
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length;
  const col = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return `${line}:${col}`;
}

/**
 * Read and validate a config file; throws ConfigError with a message that names the file, the
 * position or key path, and what was expected — never the file's content (a config may be a
 * committed link to a secret: the environment, an `.npmrc`). The file is read through the safe
 * opener: a regular file, at most MAX_CONFIG_BYTES, links only inside `root` (default: the
 * config's own folder); `fs` is the disk unless given (a git ref's tree for `diff`).
 */
export async function loadConfig(path: string, knownRules: string[], options: { root?: string; fs?: FileSystem } = {}): Promise<LoadedConfig> {
  const fs = options.fs ?? nodeFs;
  const r = safeRead(fs, path, { root: realRoot(fs, options.root ?? dirname(path)), maxBytes: MAX_CONFIG_BYTES });
  if (!r.ok) throw new ConfigError(`cannot read the config file ${path}: ${r.reason}`);
  const text = decodeText(r.bytes);
  let data: unknown;
  if (/\.ya?ml$/i.test(path)) {
    const { parseDocument, Lexer } = await import('yaml');
    const deep = yamlTooDeep(text, Lexer, MAX_CONFIG_DEPTH);
    if (deep !== undefined) throw new ConfigError(`${path}:${position(text, deep)}: invalid YAML: nested more than ${MAX_CONFIG_DEPTH} levels deep`);
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, schema: 'core' });
    const err = doc.errors[0];
    if (err) {
      const at = err.pos ? position(text, err.pos[0]) : undefined;
      throw new ConfigError(`${path}${at ? `:${at}` : ''}: invalid YAML (${err.code.toLowerCase().replace(/_/g, ' ')})`);
    }
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch {
      throw new ConfigError(`${path}: invalid YAML: aliases expand too much`);
    }
  } else {
    const deep = jsonTooDeep(text, MAX_CONFIG_DEPTH);
    if (deep !== undefined) throw new ConfigError(`${path}:${position(text, deep)}: invalid JSON: nested more than ${MAX_CONFIG_DEPTH} levels deep`);
    try {
      data = JSON.parse(text);
    } catch {
      // the engine's message quotes the text; take the position and the kind of error from a parser that does not
      const errs: ParseError[] = [];
      parseTree(text, errs, { allowTrailingComma: false, disallowComments: true });
      const e = errs[0];
      const what = e ? printParseErrorCode(e.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'not valid JSON';
      throw new ConfigError(`${path}${e ? `:${position(text, e.offset)}` : ''}: invalid JSON: ${what}`);
    }
  }
  if (data === null || data === undefined) data = {};
  const errors = validateConfig(data, knownRules);
  if (errors.length) throw new ConfigError(`invalid config ${path}:\n${errors.map((e) => `  ${e}`).join('\n')}`);
  return { path, config: data as PermlintConfig };
}

// ---------------------------------------------------------------------------------------------
// validation against the shipped schema (the subset of JSON Schema it uses)

interface Schema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  items?: Schema | Schema[];
  additionalItems?: boolean;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  propertyNames?: { pattern?: string };
  oneOf?: Schema[];
  $ref?: string;
}

let schemaCache: Schema | undefined;
export function configSchema(): Schema {
  if (!schemaCache) schemaCache = JSON.parse(readFileSync(packageFile('schema/permlint.schema.json'), 'utf8')) as Schema;
  return schemaCache;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const A = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function keyPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const k = /^[A-Za-z_$][\w$-]*$/.test(key) && key.length <= 60 ? key : JSON.stringify(excerpt(key, 40));
  return path ? `${path}.${k}` : k;
}

export function closest(word: string, candidates: string[]): string | undefined {
  if (word.length > 64) return undefined;
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };
  const best = candidates.map((c) => ({ c, d: dist(word.toLowerCase(), c.toLowerCase()) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.c : undefined;
}

/** Errors as `<path>: <what is wrong>`; empty when the value follows the schema. */
export function validateAgainst(value: unknown, schema: Schema, root: Schema, path = ''): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/definitions\//, '');
    const target = (root as { definitions?: Record<string, Schema> }).definitions?.[name];
    if (!target) return [`${path || '(root)'}: schema error: unknown $ref ${schema.$ref}`];
    return validateAgainst(value, target, root, path);
  }
  const at = path || '(root)';
  if (schema.oneOf) {
    const results = schema.oneOf.map((s) => validateAgainst(value, s, root, path));
    const ok = results.filter((r) => r.length === 0).length;
    if (ok === 1) return [];
    if (ok > 1) return [`${at}: matches more than one allowed form`];
    // report the branch of the value's own type, if exactly one has it
    const t = typeOf(value);
    const types = schema.oneOf.map((s) => resolveType(s, root));
    const same = types.map((x, i) => (x === t || (x === 'number' && t === 'integer') ? i : -1)).filter((i) => i >= 0);
    if (same.length === 1) return results[same[0]!]!;
    return [`${at}: expected ${[...new Set(types)].map((x) => A(x ?? 'value')).join(' or ')}, not ${A(t)}`];
  }
  if (schema.type) {
    const t = typeOf(value);
    const ok = t === schema.type || (schema.type === 'number' && t === 'integer');
    if (!ok) return [`${at}: expected ${A(schema.type)}, not ${A(t)}`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return [`${at}: expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`];
  }
  const errors: string[] = [];
  if (typeof value === 'string' && schema.minLength !== undefined && value.length < schema.minLength) errors.push(`${at}: must not be empty`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: needs at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${at}: takes at most ${schema.maxItems} item${schema.maxItems === 1 ? '' : 's'}`);
    value.forEach((v, i) => {
      const s = Array.isArray(schema.items) ? schema.items[i] : schema.items;
      if (s) errors.push(...validateAgainst(v, s, root, keyPath(path, i)));
      else if (Array.isArray(schema.items) && schema.additionalItems === false) errors.push(`${keyPath(path, i)}: unexpected item`);
    });
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${at}: missing required key \`${r}\``);
    for (const [k, v] of Object.entries(obj)) {
      const kp = keyPath(path, k);
      if (schema.propertyNames?.pattern && !new RegExp(schema.propertyNames.pattern).test(k)) {
        errors.push(`${kp}: not a valid name here`);
        continue;
      }
      const s = schema.properties?.[k];
      if (s) errors.push(...validateAgainst(v, s, root, kp));
      else if (schema.additionalProperties === false) {
        const hint = closest(k, Object.keys(schema.properties ?? {}));
        errors.push(`${kp}: unknown key${hint ? `; did you mean \`${hint}\`?` : ''}${schema.properties ? ` (allowed: ${Object.keys(schema.properties).join(', ')})` : ''}`);
      } else if (typeof schema.additionalProperties === 'object') errors.push(...validateAgainst(v, schema.additionalProperties, root, kp));
    }
  }
  return errors;
}

function resolveType(s: Schema, root: Schema): string | undefined {
  if (s.$ref) {
    const t = (root as { definitions?: Record<string, Schema> }).definitions?.[s.$ref.replace(/^#\/definitions\//, '')];
    return t ? resolveType(t, root) : undefined;
  }
  return s.type;
}

/** Schema errors, then unknown rule ids (with a did-you-mean). */
export function validateConfig(data: unknown, knownRules: string[]): string[] {
  const schema = configSchema();
  const errors = validateAgainst(data, schema, schema);
  if (errors.length || typeOf(data) !== 'object') return errors;
  const cfg = data as PermlintConfig;
  const checkRules = (rules: Record<string, unknown> | undefined, path: string) => {
    for (const id of Object.keys(rules ?? {})) {
      if (knownRules.includes(id)) continue;
      const hint = closest(id, knownRules);
      errors.push(`${keyPath(path, id)}: unknown rule${hint ? `; did you mean \`${hint}\`?` : ''} (see \`permlint rules\`)`);
    }
  };
  checkRules(cfg.rules, 'rules');
  (cfg.overrides ?? []).forEach((o, i) => checkRules(o.rules, `overrides[${i}].rules`));
  // globs are matched without backtracking; ones past the bounds are refused here
  const globErrors = [
    checkGlobs(cfg.ignore ?? [], 'ignore'),
    ...Object.entries(cfg.contexts ?? {}).map(([k, g]) => checkGlobs(g ?? [], keyPath('contexts', k))),
    ...(cfg.overrides ?? []).flatMap((o, i) => [checkGlobs(o.files, `overrides[${i}].files`), checkGlobs(o.excludedFiles ?? [], `overrides[${i}].excludedFiles`)]),
  ];
  for (const g of globErrors) if (g) errors.push(g);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// compiling the config into options

export function normaliseRule(v: RuleValue): RuleSetting {
  if (typeof v === 'string') return { level: v };
  if (Array.isArray(v)) return v[1] ? { level: v[0], options: v[1] } : { level: v[0] };
  return v;
}

/** gitignore-like globs: a pattern without `/` matches at any depth; `dir/` means everything under it; a leading `/` anchors. */
export function globMatcher(globs: string[]): (file: string) => boolean {
  return pathGlobMatcher(globs);
}

export interface ResolvedConfig {
  ignore: string[];
  contextOverride?: (file: string) => ContextKind | undefined;
  /** Config `roles`: the code role globs give a file, if any. */
  roleOverride?: (file: string) => CodeRole | undefined;
  trusted: Trusted;
  engine: EngineOptions;
}

/**
 * Answers a pure function of a path once per path (up to PER_FILE_ANSWERS of them, then afresh):
 * a scan asks the `contexts` globs about each TypeScript file six times (three natural contexts,
 * when discovery hands it to the parser thread and when the scan confirms it) and again per
 * source and role, and each answer rewrites the path to the config's folder and runs the glob
 * NFAs (deno scanned inside permlint's tree: ~70 ms of the main thread, now ~1/6 of it).
 */
const PER_FILE_ANSWERS = 200_000;
function perFile<T>(fn: (file: string) => T): (file: string) => T {
  const answers = new Map<string, T>();
  return (file) => {
    if (answers.has(file)) return answers.get(file) as T;
    const v = fn(file);
    if (answers.size >= PER_FILE_ANSWERS) answers.clear();
    answers.set(file, v);
    return v;
  };
}

/**
 * A scan path (relative to `root`) seen from the config's folder, or undefined when it lies
 * outside it. When the root lies inside that folder (the config found in a folder above it), a
 * plain relative path (no `.`, `..` or empty segment, no `\\`, `:` or leading or trailing `/`) is
 * the root's path and itself, without `path.resolve` and `relative` per path.
 */
function relativeToConfig(configDir: string, root: string): (file: string) => string | undefined {
  const slow = (file: string) => {
    const r = toPosix(relative(configDir, resolve(root, file)));
    return r.startsWith('..') ? undefined : r;
  };
  const rootRel = toPosix(relative(configDir, resolve(root)));
  if (!rootRel || rootRel.startsWith('..') || isAbsolute(rootRel)) return slow;
  return (file) => (plainRelative(file) ? `${rootRel}/${file}` : slow(file));
}

function plainRelative(file: string): boolean {
  if (!file || file.charCodeAt(0) === 47 || file.charCodeAt(file.length - 1) === 47 || file.includes('\\') || file.includes(':') || file.includes('//')) return false;
  const f = `/${file}/`;
  return !f.includes('/./') && !f.includes('/../');
}

/**
 * Compiles a config. Its globs are relative to its own folder (`base.configDir`); the scan
 * passes paths relative to the scan root (`base.root`), rewritten here when the two differ.
 */
export function resolveConfig(cfg: PermlintConfig, base?: { configDir: string; root: string }): ResolvedConfig {
  const rel = base && resolve(base.configDir) !== resolve(base.root) ? relativeToConfig(base.configDir, base.root) : (file: string) => file;
  const within = (m: (f: string) => boolean) => (file: string) => {
    const r = rel(file);
    return r !== undefined && m(r);
  };
  const levels: Record<string, LevelSetting> = {};
  const contextLevels: NonNullable<EngineOptions['contextLevels']> = {};
  const ruleOptions: Record<string, Record<string, unknown>> = {};
  for (const [id, v] of Object.entries(cfg.rules ?? {})) {
    const s = normaliseRule(v);
    if (s.level !== undefined) levels[id] = s.level;
    if (s.options) ruleOptions[id] = s.options;
    if (s.contexts) contextLevels[id] = s.contexts;
  }
  const overrides: EngineOverride[] = (cfg.overrides ?? []).map((o) => {
    const inc = within(globMatcher(o.files));
    const exc = within(globMatcher(o.excludedFiles ?? []));
    const rules: Record<string, RuleSetting> = {};
    for (const [id, v] of Object.entries(o.rules ?? {})) rules[id] = normaliseRule(v);
    return { matches: (f: string) => inc(f) && !exc(f), rules };
  });
  const trusted: Trusted = { hosts: cfg.trusted?.hosts ?? [], paths: cfg.trusted?.paths ?? [], programs: cfg.trusted?.programs ?? [] };
  const ctxMatchers = Object.entries(cfg.contexts ?? {})
    .filter(([k]) => CONTEXTS.includes(k as ContextKind))
    .map(([k, globs]) => ({ kind: k as ContextKind, m: within(globMatcher(globs ?? [])) }));
  const ignoreGlobs = base ? rebaseGlobs(cfg.ignore ?? [], base.configDir, base.root) : (cfg.ignore ?? []);
  const out: ResolvedConfig = { ignore: ignoreGlobs, trusted, engine: { levels, contextLevels, ruleOptions, overrides, trusted } };
  if (ctxMatchers.length) out.contextOverride = perFile((file) => ctxMatchers.find((c) => c.m(file))?.kind);
  const roleMatchers = Object.entries(cfg.roles ?? {})
    .filter(([k]) => (CODE_ROLES as readonly string[]).includes(k))
    .map(([k, globs]) => ({ role: k as CodeRole, m: globMatcher(globs ?? []) }));
  if (roleMatchers.length) out.roleOverride = perFile((file) => roleMatchers.find((c) => c.m(file))?.role);
  return out;
}

export const STARTER_CONFIG = {
  $schema: './node_modules/permlint/schema/permlint.schema.json',
  rules: {},
  ignore: [],
  contexts: { deployment: [], ci: [], development: [], test: [] },
  trusted: { hosts: [], paths: [], programs: [] },
  overrides: [],
};
