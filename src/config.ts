/**
 * The configuration file: data only (JSON or YAML), never executable code, so that scanning an
 * untrusted pull request runs nothing from it. Found at the scan root as `permlint.config.json`,
 * `.permlintrc.json`, `.permlintrc.yaml` or `.permlintrc.yml` (or given with `--config`),
 * validated against the shipped JSON schema (`schema/permlint.schema.json`), and compiled into
 * the options the scan, the discovery and the engine take.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { ContextKind } from './model.js';
import type { Trusted } from './rule-api.js';
import type { EngineOptions, EngineOverride, LevelSetting, RuleSetting } from './engine.js';

export const CONFIG_NAMES = ['permlint.config.json', '.permlintrc.json', '.permlintrc.yaml', '.permlintrc.yml'];
const CONTEXTS: ContextKind[] = ['deployment', 'ci', 'development', 'test'];

export class ConfigError extends Error {}

// ---------------------------------------------------------------------------------------------
// files shipped with the package (schema, rule docs)

let pkgRoot: string | undefined;
/** The package's root folder, from src/ (tests) or dist/src/ (the built CLI). */
export function packageRoot(): string {
  if (pkgRoot) return pkgRoot;
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schema'))) return (pkgRoot = dir);
    dir = resolve(dir, '..');
  }
  return (pkgRoot = fileURLToPath(new URL('../..', import.meta.url)));
}

export function packageFile(rel: string): string {
  return join(packageRoot(), rel);
}

let pkgJson: { version?: string; homepage?: string } | undefined;
function packageJson() {
  if (!pkgJson) {
    try {
      pkgJson = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: string; homepage?: string };
    } catch {
      pkgJson = {};
    }
  }
  return pkgJson;
}

export function packageVersion(): string {
  return packageJson().version ?? '0.0.0';
}

export function homepage(): string {
  return (packageJson().homepage ?? 'https://permlint.dev').replace(/\/+$/, '');
}

export function docsUrl(ruleId: string): string {
  return `${homepage()}/rules/${ruleId}`;
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
}

export interface LoadedConfig {
  /** The file it came from (absolute), if any. */
  path?: string;
  config: PermlintConfig;
}

/** The first config file at the scan root, if any. */
export function findConfig(root: string): string | undefined {
  for (const n of CONFIG_NAMES) {
    const p = join(root, n);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length;
  const col = offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) ;
  return `${line}:${col}`;
}

/** Read and validate a config file; throws ConfigError with a message that names the file and the bad key. */
export async function loadConfig(path: string, knownRules: string[]): Promise<LoadedConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let data: unknown;
  if (/\.ya?ml$/i.test(path)) {
    const { parseDocument } = await import('yaml');
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, schema: 'core' });
    const err = doc.errors[0];
    if (err) {
      const at = err.linePos?.[0];
      throw new ConfigError(`${path}${at ? `:${at.line}:${at.col}` : ''}: invalid YAML: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new ConfigError(`${path}: invalid YAML: ${(e as Error).message}`);
    }
  } else {
    try {
      data = JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const where = m ? `:${position(text, Number(m[1]))}` : '';
      throw new ConfigError(`${path}${where}: invalid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}`);
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
  const k = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${k}` : k;
}

export function closest(word: string, candidates: string[]): string | undefined {
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
    if (!ok) return [`${at}: expected ${A(schema.type)}, not ${A(t)}${t === 'string' || t === 'number' || t === 'integer' ? ` (${JSON.stringify(value)})` : ''}`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return [`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`];
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
        errors.push(`${kp}: \`${k}\` is not a valid name here`);
        continue;
      }
      const s = schema.properties?.[k];
      if (s) errors.push(...validateAgainst(v, s, root, kp));
      else if (schema.additionalProperties === false) {
        const hint = closest(k, Object.keys(schema.properties ?? {}));
        errors.push(`${kp}: unknown key \`${k}\`${hint ? `; did you mean \`${hint}\`?` : ''}${schema.properties ? ` (allowed: ${Object.keys(schema.properties).join(', ')})` : ''}`);
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
      errors.push(`${keyPath(path, id)}: unknown rule \`${id}\`${hint ? `; did you mean \`${hint}\`?` : ''} (see \`permlint rules\`)`);
    }
  };
  checkRules(cfg.rules, 'rules');
  (cfg.overrides ?? []).forEach((o, i) => checkRules(o.rules, `overrides[${i}].rules`));
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
  if (!globs.length) return () => false;
  const pats = globs.flatMap((g0) => {
    let g = g0.replace(/^\.\//, '');
    const dirOnly = g.endsWith('/');
    g = g.replace(/\/+$/, '');
    if (g.startsWith('/')) g = g.slice(1);
    else if (!g.includes('/')) g = `**/${g}`;
    return dirOnly ? [`${g}/**`] : [g, `${g}/**`];
  });
  const m = picomatch(pats, { dot: true });
  return (file) => m(file);
}

export interface ResolvedConfig {
  ignore: string[];
  contextOverride?: (file: string) => ContextKind | undefined;
  trusted: Trusted;
  engine: EngineOptions;
}

export function resolveConfig(cfg: PermlintConfig): ResolvedConfig {
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
    const inc = globMatcher(o.files);
    const exc = globMatcher(o.excludedFiles ?? []);
    const rules: Record<string, RuleSetting> = {};
    for (const [id, v] of Object.entries(o.rules ?? {})) rules[id] = normaliseRule(v);
    return { matches: (f: string) => inc(f) && !exc(f), rules };
  });
  const trusted: Trusted = { hosts: cfg.trusted?.hosts ?? [], paths: cfg.trusted?.paths ?? [], programs: cfg.trusted?.programs ?? [] };
  const ctxMatchers = Object.entries(cfg.contexts ?? {})
    .filter(([k]) => CONTEXTS.includes(k as ContextKind))
    .map(([k, globs]) => ({ kind: k as ContextKind, m: globMatcher(globs ?? []) }));
  const out: ResolvedConfig = { ignore: cfg.ignore ?? [], trusted, engine: { levels, contextLevels, ruleOptions, overrides, trusted } };
  if (ctxMatchers.length) out.contextOverride = (file) => ctxMatchers.find((c) => c.m(file))?.kind;
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
