/**
 * The module graph of one entrypoint: relative imports (`.js` → `.ts` as Deno's sloppy
 * imports and TypeScript's emit convention do), deno.json `imports`/`scopes` import maps
 * (the workspace root's map under a member's), workspace members by package name, and dynamic
 * `import()` of a value that folds. `npm:`, `jsr:`, `https:` and bare Node packages are
 * external nodes: a small table says what well-known packages need; any other reachable
 * dependency is opaque and stops over-grant claims for every kind.
 *
 * Files are read only through {@link InferFs}; nothing found here is imported or evaluated.
 */
import { parseTypescript, type ParseFailure, type ParseOutcome } from '../sources/typescript/parser.js';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { posix } from 'node:path';
import type { PermKind, Span } from '../model.js';
import { LineIndex } from '../text.js';
import { analyzeModule, builtinModule, collectDeclarations, foldScope, type GraphLookup, type ModuleFacts, type RawLimit, type RawNeed } from './analyze.js';
import { REPO, fold } from './values.js';
import type { InferFs } from './fs.js';
import { DEFAULT_IMPORT_HOSTS } from '../grammar/permissions.js';
import { foldersUp } from '../link/nearest.js';
import { parseFailureText } from '../messages/problems.js';

export const MAX_MODULES = 5000;

/** What well-known external packages need ([] = nothing; a pure library). Anything not listed is opaque. */
const KNOWN_PACKAGES: Record<string, { kinds: PermKind[]; note?: string }> = {
  '@std/path': { kinds: [] },
  '@std/assert': { kinds: [] },
  '@std/expect': { kinds: [] },
  '@std/fmt': { kinds: [] },
  '@std/encoding': { kinds: [] },
  '@std/collections': { kinds: [] },
  '@std/cli': { kinds: [] },
  '@std/async': { kinds: [] },
  '@std/uuid': { kinds: [] },
  '@std/text': { kinds: [] },
  '@std/semver': { kinds: [] },
  '@std/jsonc': { kinds: [] },
  '@std/yaml': { kinds: [] },
  '@std/toml': { kinds: [] },
  '@std/csv': { kinds: [] },
  '@std/bytes': { kinds: [] },
  '@std/streams': { kinds: [] },
  '@std/dotenv': { kinds: ['read', 'env'], note: 'reads .env and sets the variables it lists' },
  '@std/fs': { kinds: ['read', 'write'] },
  '@std/http': { kinds: ['net', 'read'] },
  '@std/log': { kinds: ['write'] },
  zod: { kinds: [] },
};

export interface ExternalDep {
  specifier: string;
  package: string;
  span: Span;
  /** Kinds it may use; 'all' when the package is not in the table. */
  kinds: PermKind[] | 'all';
  /** Under Node: the repo-relative node_modules folder it resolved to. */
  dir?: string;
  note?: string;
}

export interface Graph {
  entry: string;
  modules: Map<string, ModuleFacts>;
  externals: ExternalDep[];
  needs: RawNeed[];
  limits: RawLimit[];
}

/**
 * A graph as plain data (structured-cloneable: what the parser thread sends back, ./thread.ts):
 * each module by path with the span of its start, and what was found. No syntax tree.
 */
export interface GraphSummary {
  entry: string;
  modules: Map<string, Span>;
  externals: ExternalDep[];
  needs: RawNeed[];
  limits: RawLimit[];
}

export function summarize(g: Graph): GraphSummary {
  return { entry: g.entry, modules: new Map([...g.modules].map(([path, m]) => [path, m.index.span(0, 0)])), externals: g.externals, needs: g.needs, limits: g.limits };
}

/** Parses one module: in the parser thread from here (parseTypescript), or with oxc directly inside it. */
export type ParseModule = (path: string, text: string) => ParseOutcome | Promise<ParseOutcome>;

/**
 * Modules parsed for earlier graphs of the same run, by path: the tree and what
 * collectDeclarations found (read-only after that; each graph adds its own needs and limits).
 * denoland/deno: 296 module loads of 135 files. Bounded by the characters of source held.
 */
export class ModuleCache {
  private readonly parsed = new Map<string, { facts: ModuleFacts; error?: ParseFailure }>();
  private chars = 0;
  static readonly MAX_CHARS = 8 * 1024 * 1024;

  get(path: string, text: string): { facts: ModuleFacts; error?: ParseFailure } | undefined {
    const have = this.parsed.get(path);
    return have && have.facts.text === text ? have : undefined;
  }

  set(path: string, entry: { facts: ModuleFacts; error?: ParseFailure }): void {
    const text = entry.facts.text;
    if (text.length > ModuleCache.MAX_CHARS) return;
    if (this.chars + text.length > ModuleCache.MAX_CHARS) {
      this.parsed.clear();
      this.chars = 0;
    }
    const prev = this.parsed.get(path);
    if (prev) this.chars -= prev.facts.text.length;
    this.parsed.set(path, entry);
    this.chars += text.length;
  }
}

interface ImportMap {
  dir: string;
  imports: Record<string, string>;
  scopes: Record<string, Record<string, string>>;
}

interface Member {
  name: string;
  dir: string;
  exports: Record<string, string>;
}

interface ConfigInfo {
  maps: ImportMap[];
  members: Member[];
}

/** The JSON files read through each InferFs, parsed (read-only): every folder under a deno.json parsed it again. */
const jsonRead = new WeakMap<InferFs, Map<string, Record<string, unknown> | undefined>>();

function readJson(fs: InferFs, path: string): Record<string, unknown> | undefined {
  let read = jsonRead.get(fs);
  if (!read) jsonRead.set(fs, (read = new Map()));
  if (read.has(path)) return read.get(path);
  const text = fs.read(path);
  let out: Record<string, unknown> | undefined;
  if (text !== undefined) {
    const v = parseJsonOrJsonc(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) out = v as Record<string, unknown>;
  }
  read.set(path, out);
  return out;
}

/**
 * A JSON(C) file's value: most deno.json and package.json files are plain JSON, which the engine's
 * own parser reads at once (in the parser thread jsonc-parser's code is cold: the ~40 small member
 * configs of denoland/std's workspace took 6–12 ms); comments, trailing commas or a byte order
 * mark go through jsonc-parser's tree, which also makes the most of a broken file. Either way a
 * `__proto__` key is a property like any other, as in Deno's parser (jsonc-parser's `parse`
 * assigns it, which sets the object's prototype).
 */
export function parseJsonOrJsonc(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    return root && jsonValue(root);
  }
}

function jsonValue(n: JsonNode): unknown {
  if (n.type === 'array') return (n.children ?? []).map(jsonValue);
  if (n.type !== 'object') return n.value as unknown;
  const o: Record<string, unknown> = {};
  for (const [k, v] of (n.children ?? []).map((p) => p.children ?? [])) {
    if (k && v && typeof k.value === 'string') Object.defineProperty(o, k.value, { value: jsonValue(v), enumerable: true, writable: true, configurable: true });
  }
  return o;
}

function strRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** What one deno.json(c) gives the folders under it: its import map and, for a workspace root, its members. */
interface ConfigEntry {
  map: ImportMap;
  members: Member[];
}

/** Each config file's entry, by path, per InferFs (read-only, shared by the folders under it): every folder built its workspace's member list again. */
const configEntries = new WeakMap<InferFs, Map<string, ConfigEntry>>();

function configEntry(fs: InferFs, d: string, path: string, cfg: Record<string, unknown>): ConfigEntry {
  let entries = configEntries.get(fs);
  if (!entries) configEntries.set(fs, (entries = new Map()));
  const have = entries.get(path);
  if (have) return have;
  const map: ImportMap = { dir: d, imports: strRecord(cfg.imports), scopes: Object.fromEntries(Object.entries((cfg.scopes as Record<string, unknown>) ?? {}).map(([k, v]) => [k, strRecord(v)])) };
  const members: Member[] = [];
  if (Array.isArray(cfg.workspace)) {
    for (const m of cfg.workspace) {
      if (typeof m !== 'string') continue;
      const mdir = posix.normalize(posix.join(d, m)).replace(/^\.\/?|\/$/g, '');
      const mc = readJson(fs, `${mdir}/deno.json`) ?? readJson(fs, `${mdir}/deno.jsonc`);
      if (!mc || typeof mc.name !== 'string') continue;
      const exp = typeof mc.exports === 'string' ? { '.': mc.exports } : strRecord(mc.exports);
      members.push({ name: mc.name, dir: mdir, exports: exp });
    }
  }
  const entry = { map, members };
  entries.set(path, entry);
  return entry;
}

/** The import maps that apply to a folder: its nearest deno.json(c), then the workspace root's. */
function configFor(fs: InferFs, dir: string, cache: Map<string, ConfigInfo>): ConfigInfo {
  const have = cache.get(dir);
  if (have) return have;
  const info: ConfigInfo = { maps: [], members: [] };
  let found = false;
  for (const d of foldersUp(dir)) {
    for (const name of ['deno.json', 'deno.jsonc']) {
      const path = d ? `${d}/${name}` : name;
      const cfg = readJson(fs, path);
      if (!cfg) continue;
      // a workspace member uses its own map first, then the root's
      if (!found || cfg.workspace) {
        const entry = configEntry(fs, d, path, cfg);
        info.maps.push(entry.map);
        info.members.push(...entry.members);
      }
      found = true;
      break;
    }
    if (info.members.length) break;
  }
  cache.set(dir, info);
  return info;
}

function applyMap(spec: string, map: Record<string, string>): string | undefined {
  if (map[spec] !== undefined) return map[spec];
  let best: string | undefined;
  for (const k of Object.keys(map)) if (k.endsWith('/') && spec.startsWith(k) && (!best || k.length > best.length)) best = k;
  if (best) return map[best]! + spec.slice(best.length);
  // deno.json expands a `jsr:`/`npm:` entry to its subpaths too: "@std/fs": "jsr:@std/fs@^1" maps "@std/fs/walk"
  for (const k of Object.keys(map)) if (/^(jsr|npm):/.test(map[k]!) && spec.startsWith(`${k}/`) && (!best || k.length > best.length)) best = k;
  return best ? `${map[best]!}${spec.slice(best.length)}` : undefined;
}

const EXTS = ['.ts', '.tsx', '.mts', '.js', '.mjs', '.jsx', '.cjs'];

type Resolved = ReturnType<GraphBuilder['resolveSpecifier']>;

/**
 * What the graphs read through one InferFs found out about its files: the import maps of each
 * folder, each specifier resolved (by runtime, importing module and specifier). Both follow from
 * the files alone (a specifier resolves to a module only when its file reads), so the graphs of
 * one reader share them: the parser thread's graphs of one run share a reader (./thread.ts), and
 * each built its own again (deno.json read and parsed per graph and folder).
 */
const found = new WeakMap<InferFs, { configs: Map<string, ConfigInfo>; resolved: Map<string, Resolved> }>();

function foundBy(fs: InferFs): { configs: Map<string, ConfigInfo>; resolved: Map<string, Resolved> } {
  let f = found.get(fs);
  if (!f) found.set(fs, (f = { configs: new Map(), resolved: new Map() }));
  return f;
}

export class GraphBuilder implements GraphLookup {
  private readonly modules = new Map<string, ModuleFacts>();
  private readonly importers = new Map<string, Set<string>>();
  private readonly configs: Map<string, ConfigInfo>;
  private readonly resolved: Map<string, Resolved>;
  readonly externals: ExternalDep[] = [];
  readonly limits: RawLimit[] = [];

  constructor(
    private readonly fs: InferFs,
    readonly runtime: 'deno' | 'node',
    private readonly parse: ParseModule = parseTypescript,
    private readonly cache: ModuleCache = new ModuleCache(),
  ) {
    const f = foundBy(fs);
    this.configs = f.configs;
    this.resolved = f.resolved;
  }

  facts(module: string): ModuleFacts | undefined {
    return this.modules.get(module);
  }

  importersOf(module: string): ModuleFacts[] {
    return [...(this.importers.get(module) ?? [])].map((m) => this.modules.get(m)!).filter(Boolean);
  }

  /** Read, parse and follow from the entrypoint. Returns false when the entrypoint cannot be read. */
  async build(entry: string): Promise<Graph | undefined> {
    if (!(await this.load(entry))) return undefined;
    const queue = [entry];
    while (queue.length) {
      const path = queue.shift()!;
      const facts = this.modules.get(path)!;
      const targets: { spec: string; span: Span }[] = facts.imports.map((i) => ({ spec: i.specifier, span: i.span }));
      // dynamic import() of a value that folds joins the graph, as in Deno's own graph
      for (const n of facts.dynamicImports) {
        const v = fold(n.source, foldScope(facts, this));
        if (v !== undefined) targets.push({ spec: v, span: facts.index.span(n.source.start, n.source.end) });
      }
      for (const t of targets) {
        const r = this.resolveSpecifier(path, t.spec);
        if (r.kind === 'module') {
          let set = this.importers.get(r.path);
          if (!set) this.importers.set(r.path, (set = new Set()));
          set.add(path);
          if (!this.modules.has(r.path)) {
            if (this.modules.size >= MAX_MODULES) {
              this.limits.push({ kinds: 'all', reason: `more than ${MAX_MODULES} modules: the rest were not read`, span: t.span });
              continue;
            }
            if (await this.load(r.path)) queue.push(r.path);
            else this.limits.push({ kinds: 'all', reason: `\`${t.spec}\` could not be read`, span: t.span });
          }
        }
        if ((r.kind === 'external' || r.kind === 'builtin') && r.url) {
          const host = importHost(r.url);
          if (host) {
            // the module loader checks --allow-import for each remote module it fetches
            const dflt = DEFAULT_IMPORT_HOSTS.includes(host);
            const via = r.url.startsWith('jsr:') ? 'a jsr: specifier is fetched from jsr.io' : undefined;
            facts.needs.push({
              kind: 'import',
              value: host,
              api: 'import',
              span: t.span,
              text: t.spec,
              ...(via || dflt ? { implicit: [via, dflt ? `${host} is a default import host: no --allow-import needed` : undefined].filter(Boolean).join('; ') } : {}),
            });
            // what a remote module imports in turn is not read
            if (r.url.startsWith('http') && !this.limits.some((l) => l.kinds !== 'all' && l.kinds.includes('import'))) this.limits.push({ kinds: ['import'], reason: `what \`${t.spec}\` imports in turn is not read`, span: t.span });
          }
        }
        if (r.kind === 'module' && r.manifest) {
          facts.needs.push({ kind: 'read', value: REPO + r.manifest, api: 'module loading', span: t.span, text: t.spec, implicit: 'Node reads the package.json of a package it resolves by name' });
        }
        if (r.kind === 'data' && this.runtime === 'node') {
          facts.needs.push({ kind: 'read', value: REPO + r.path, api: 'module loading', span: t.span, text: t.spec, implicit: 'Node reads every module it loads under --permission' });
        }
        if (r.kind === 'external') {
          if (!this.externals.some((e) => e.package === r.package && e.span.file === t.span.file && e.span.line === t.span.line)) {
            const known = KNOWN_PACKAGES[r.package];
            this.externals.push({ specifier: t.spec, package: r.package, span: t.span, kinds: known ? known.kinds : 'all', ...(known?.note ? { note: known.note } : {}), ...(r.dir ? { dir: r.dir } : {}) });
          }
        } else if (r.kind === 'unresolved') {
          this.limits.push({ kinds: 'all', reason: `\`${t.spec}\` does not resolve to a file permlint can read`, span: t.span });
        }
      }
    }
    for (const m of this.modules.values()) analyzeModule(m, this);
    return {
      entry,
      modules: this.modules,
      externals: this.externals,
      needs: [...this.modules.values()].flatMap((m) => m.needs),
      limits: [...this.limits, ...[...this.modules.values()].flatMap((m) => m.limits)],
    };
  }

  /**
   * Parses in the parser thread (src/sources/typescript/parser.ts, or inside it: ./thread.ts): oxc
   * is native and recursive, so a deeply nested module parsed on the main thread would end the
   * process with a segfault. A module an earlier graph of the run parsed is taken from the cache.
   */
  private async load(path: string): Promise<boolean> {
    const text = this.fs.read(path);
    if (text === undefined) return false;
    let parsed = this.cache.get(path, text);
    if (!parsed) {
      const res = await this.parse(path, text);
      const index = new LineIndex(path, text);
      const program = 'program' in res ? res.program : ({ type: 'Program', body: [], sourceType: 'module', start: 0, end: 0 } as unknown as ModuleFacts['program']);
      const facts: ModuleFacts = {
        path,
        imports: [],
        exports: new Map(),
        starExports: [],
        needs: [],
        limits: [],
        consts: new Map(),
        functions: new Map(),
        program,
        index,
        text,
        dynamicImports: [],
      };
      collectDeclarations(facts);
      parsed = 'error' in res ? { facts, error: res.error } : { facts };
      this.cache.set(path, parsed);
    }
    if (parsed.error) {
      this.limits.push({ kinds: 'all', reason: `${path} does not parse: ${parseFailureText(parsed.error)}`, span: parsed.facts.index.span(0, 0) });
    }
    // this graph's own needs and limits; the declarations are shared
    this.modules.set(path, { ...parsed.facts, needs: [], limits: [] });
    return true;
  }

  resolveImport(module: string, local: string, depth = 0): { builtin: string } | { module: string; name: string } | undefined {
    const facts = this.modules.get(module);
    if (!facts || depth > 8) return undefined;
    for (const imp of facts.imports) {
      const imported = imp.names.get(local);
      if (imported === undefined) continue;
      const r = this.resolveSpecifier(module, imp.specifier);
      if (r.kind === 'builtin') return { builtin: imported === '*' || imported === 'default' ? r.name : `${r.name}.${imported}` };
      if (r.kind !== 'module') return undefined;
      // follow `export { x } from` chains
      const target = this.modules.get(r.path);
      const local2 = target?.exports.get(imported);
      if (local2?.startsWith('\0re:')) return this.resolveImport(r.path, local2, depth + 1);
      return { module: r.path, name: imported };
    }
    return undefined;
  }

  resolveSpecifier(from: string, spec: string): { kind: 'module'; path: string; manifest?: string } | { kind: 'builtin'; name: string; url?: string } | { kind: 'external'; package: string; url?: string; dir?: string } | { kind: 'unresolved' } | { kind: 'ignored' } | { kind: 'data'; path: string } {
    const key = `${this.runtime}\0${from}\0${spec}`;
    const have = this.resolved.get(key);
    if (have) return have;
    const r = this.resolveUncached(from, spec);
    this.resolved.set(key, r);
    return r;
  }

  private resolveUncached(from: string, spec: string): ReturnType<GraphBuilder['resolveSpecifier']> {
    const dir = posix.dirname(from) === '.' ? '' : posix.dirname(from);
    let s = spec;
    if (s.startsWith('file:///@repo/')) s = `/${s.slice('file:///@repo/'.length)}`;
    else if (s.startsWith('/@repo/')) s = `/${s.slice('/@repo/'.length)}`;
    else if (this.runtime === 'deno' && !s.startsWith('.') && !s.startsWith('/')) {
      const cfg = configFor(this.fs, dir, this.configs);
      let mapped: string | undefined;
      let mapDir = '';
      for (const m of cfg.maps) {
        for (const [scope, map] of Object.entries(m.scopes)) {
          const sd = posix.normalize(posix.join(m.dir, scope)).replace(/^\.\/?/, '');
          if (from.startsWith(sd.endsWith('/') ? sd : `${sd}/`)) mapped ??= applyMap(s, map);
        }
        mapped ??= applyMap(s, m.imports);
        if (mapped !== undefined) {
          mapDir = m.dir;
          break;
        }
      }
      if (mapped !== undefined) {
        if (mapped.startsWith('./') || mapped.startsWith('../')) s = `/${posix.normalize(posix.join(mapDir, mapped))}`;
        else s = mapped;
      } else {
        for (const mem of cfg.members) {
          if (s === mem.name || s.startsWith(`${mem.name}/`)) {
            const sub = s === mem.name ? '.' : `./${s.slice(mem.name.length + 1)}`;
            const target = mem.exports[sub];
            if (target) s = `/${posix.normalize(posix.join(mem.dir, target))}`;
          }
        }
      }
    }
    if (this.runtime === 'node' && !s.startsWith('.') && !s.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(s) && !builtinModule(s)) {
      const r = nodeResolve(this.fs, dir, s);
      if (r) return r;
    }
    const builtin = builtinModule(s);
    if (builtin) return { kind: 'builtin', name: builtin, ...(/^(jsr|https?):/.test(s) ? { url: s } : {}) };
    if (/^(npm|jsr):/.test(s)) return { kind: 'external', package: packageName(s.slice(4)), ...(s.startsWith('jsr:') ? { url: s } : {}) };
    if (/^https?:/.test(s)) return { kind: 'external', package: s, url: s };
    if (/^(data|blob):/.test(s)) return { kind: 'ignored' };
    if (!s.startsWith('.') && !s.startsWith('/')) return { kind: 'external', package: packageName(s) };
    const base = s.startsWith('/') ? s.slice(1) : posix.join(dir, s);
    const norm = posix.normalize(base);
    if (norm.startsWith('../') || norm === '..') return { kind: 'unresolved' };
    // data and addons are loaded, not parsed: a read under Node (an addon is also an ffi need, found at the call)
    if (/\.(json|node|wasm)$/.test(norm)) return { kind: 'data', path: norm };
    for (const c of candidates(norm)) if (this.modules.has(c) || this.fs.read(c) !== undefined) return { kind: 'module', path: c };
    return { kind: 'unresolved' };
  }
}

/** The `host:port` Deno's module loader checks `--allow-import` for (`jsr:` is fetched from jsr.io). */
export function importHost(url: string): string | undefined {
  if (url.startsWith('jsr:')) return 'jsr.io:443';
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
}

function packageName(s: string): string {
  const noVersion = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!;
  const at = noVersion.indexOf('@', 1);
  return at > 0 ? noVersion.slice(0, at) : noVersion;
}

function candidates(p: string): string[] {
  const out = [p];
  const js = /\.(js|mjs|cjs|jsx)$/.exec(p);
  if (js) {
    const stem = p.slice(0, -js[0].length);
    out.push(`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`);
  }
  if (!/\.[a-z]+$/.test(p)) out.push(...EXTS.map((e) => p + e), ...EXTS.map((e) => `${p}/index${e}`));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Node resolution (a small resolver over InferFs rather than oxc-resolver: it must read through
// the root-confined, size-bounded InferFs, in memory for tests; and it needs only what decides
// which files load: package.json `imports` (#x), `exports` (self-reference, subpaths, patterns,
// conditions), and the nearest node_modules/<package> folder. Packages in node_modules are
// external nodes: found, never read.

const CONDITIONS = ['node', 'import', 'require', 'module-sync', 'default'];

/** A package.json `exports`/`imports` target for one subpath, or undefined. */
function target(map: unknown, sub: string): string | undefined {
  if (typeof map === 'string') return sub === '.' ? map : undefined;
  if (!map || typeof map !== 'object' || Array.isArray(map)) return undefined;
  const obj = map as Record<string, unknown>;
  const keys = Object.keys(obj);
  // a conditions object stands for '.'
  if (keys.length && !keys.some((k) => k.startsWith('.') || k.startsWith('#'))) return sub === '.' ? conditional(obj) : undefined;
  if (sub in obj) return conditional(obj[sub]);
  let best: { key: string; star: string } | undefined;
  for (const k of keys) {
    const i = k.indexOf('*');
    if (i < 0) continue;
    const pre = k.slice(0, i);
    const post = k.slice(i + 1);
    if (sub.startsWith(pre) && sub.endsWith(post) && sub.length >= k.length - 1 && (!best || pre.length > best.key.indexOf('*'))) best = { key: k, star: sub.slice(pre.length, sub.length - post.length) };
  }
  if (!best) return undefined;
  const t = conditional(obj[best.key]);
  return t?.split('*').join(best.star);
}

function conditional(v: unknown, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const t = conditional(x, depth + 1);
      if (t) return t;
    }
    return undefined;
  }
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (CONDITIONS.includes(k)) return conditional(x, depth + 1);
  return undefined;
}

type NodeResolved = { kind: 'module'; path: string; manifest?: string } | { kind: 'external'; package: string; dir: string } | { kind: 'unresolved' };

/** Resolve a bare or `#` specifier as Node does, from a repo-relative folder. */
export function nodeResolve(fs: InferFs, dir: string, spec: string): NodeResolved | undefined {
  const ups: string[] = [];
  for (let d = dir; ; d = posix.dirname(d) === '.' ? '' : posix.dirname(d)) {
    ups.push(d);
    if (d === '') break;
  }
  const pkgJson = (d: string) => readJson(fs, d ? `${d}/package.json` : 'package.json');
  const inside = (d: string, t: string): NodeResolved => {
    const p = posix.normalize(posix.join(d, t));
    return p.startsWith('../') ? { kind: 'unresolved' } : { kind: 'module', path: p };
  };
  // the nearest package.json: `imports` for #x, `exports` for a self-reference by name
  for (const d of ups) {
    const pj = pkgJson(d);
    if (!pj) continue;
    if (spec.startsWith('#')) {
      const t = target(pj.imports, spec);
      if (t === undefined) return { kind: 'unresolved' };
      return t.startsWith('./') ? inside(d, t) : nodeResolve(fs, d, t);
    }
    if (typeof pj.name === 'string' && pj.exports !== undefined && (spec === pj.name || spec.startsWith(`${pj.name}/`))) {
      const t = target(pj.exports, spec === pj.name ? '.' : `./${spec.slice(pj.name.length + 1)}`);
      // resolving a package name reads its package.json (observed under Node 24's permission model)
      const r = t ? inside(d, t) : undefined;
      if (r?.kind === 'module') return { ...r, manifest: d ? `${d}/package.json` : 'package.json' };
    }
    break;
  }
  if (spec.startsWith('#')) return { kind: 'unresolved' };
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  for (const d of ups) {
    const pdir = d ? `${d}/node_modules/${name}` : `node_modules/${name}`;
    if (pkgJson(pdir) || fs.read(`${pdir}/index.js`) !== undefined) return { kind: 'external', package: name, dir: pdir };
  }
  return undefined;
}
