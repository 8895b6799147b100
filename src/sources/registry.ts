/**
 * Every source module, registered in one place. A module is one file kind from discovery to
 * facts (see the `Source` contract in ./types.ts and docs/contributing-sources.md): discovery
 * asks this registry for a file's kind, the scan asks it for the module that reads a kind, and
 * suppressions ask it for the kind's comment syntax.
 *
 * The registry holds only what discovery needs — each kind's name matching, content sniff,
 * context and comment syntax: plain data and small functions, no parser — and how to load the
 * module that parses the kind. A module (and the parser it needs: yaml, jsonc-parser,
 * dockerfile-ast, mvdan-sh, the TOML reader, oxc) is loaded only when a file of its kind is read,
 * so a run on a Dockerfile never loads the YAML stack. Each module takes its head from here
 * (`{ ...head('dockerfile'), parse… }`), so the two cannot drift; test/sources/registry.test.ts
 * checks that every entry loads a module with exactly its head.
 *
 * Order matters: the first entry whose name pattern matches claims the file (specific YAML kinds
 * before the generic Kubernetes candidate), and content sniffs run in order for files no name
 * matched. A source module must load heavy parsers lazily (inside `parse`), never at import.
 */
import type { SourceKind } from '../model.js';
import type { CommentStyle, Source, SourceHead } from './types.js';
import { holdsCode, mayMatchUtf8, sniff as typescriptSniff } from './typescript/sniff.js';

/** `Dockerfile`, `Dockerfile.*`, `Dockerfile-*`, `Dockerfile_*`, `*.Dockerfile`, `Containerfile*` (any case). */
export function isDockerfileName(base: string): boolean {
  const b = base.toLowerCase();
  return /^dockerfile([._-].*)?$/.test(b) || b.endsWith('.dockerfile') || b.startsWith('containerfile');
}

/** The first instruction (after comments, parser directives and blank lines) is FROM, or ARG before FROM. */
export function looksLikeDockerfile(head: string): boolean {
  for (const raw of head.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // `FROM [--platform=…] image [AS name]` or `ARG NAME[=value]`: whole-line shapes, so prose starting with "From" is not one
    return /^from(\s+--[a-z-]+=\S+)*\s+[\w./:@${}-]+(\s+as\s+[\w.-]+)?$/i.test(line) || /^arg\s+[A-Za-z_]\w*(=\S*)?$/i.test(line);
  }
  return false;
}

/** runit run scripts: `service/<name>/run`, `sv/<name>/run`, their `log/run`. */
export const RUNIT_RUN = /(^|\/)(service|services|sv|runit)\/[^/]+\/(log\/)?run$/;
/** Dev container definitions: `.devcontainer/devcontainer.json`, `.devcontainer/<name>/devcontainer.json`, `.devcontainer.json`. */
export const DEVCONTAINER_FILES = /(^|\/)(\.devcontainer\/([^/]+\/)?devcontainer\.json|\.devcontainer\.json)$/;
/** Editor task and launch files: `.vscode/tasks.json`, `.vscode/launch.json`, Zed's `.zed/tasks.json` / `debug.json`. */
export const EDITOR_FILES = /(^|\/)\.(vscode|zed)\/(tasks|launch|debug)\.json$/;
/** The first line of an OpenRC init script. */
export const OPENRC_SHEBANG = /^#!\s*\S*\/openrc-run\b/;
const PM2_NAME = /^ecosystem([.-][\w.-]*)?\.config\.(c|m)?js$|^ecosystem([.-][\w.-]*)?\.json$/;
const SUPERVISORD_NAMES = /(^|\/)(supervisord\.conf|supervisor\.conf)$|(^|\/)supervisor(d)?(\.d)?\/.+\.(conf|ini)$|(^|\/)conf\.d\/[^/]+\.supervisor\.conf$/;
const TS_NAME = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;

const YAML = ['yml', 'yaml'];

/** A name's extension, lowercased: what follows its last dot (`.nvmrc` → `nvmrc`), '' without one. */
function extOf(base: string): string {
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** Extensions a name must have for a `byExt` matcher to hold (the name index reads them). */
const EXTS = new WeakMap<object, ReadonlySet<string>>();
/** A `byExt` matcher's own test, without the extension check (the name index asks it of names with one of those extensions only). */
const TESTS = new WeakMap<object, (path: string, base: string) => boolean>();

/**
 * A condition a name matcher can hold only under (the name index asks a matcher only of the names
 * one of its gates admits): the name's extension (lowercase, as `extOf` gives it) is one of `exts`
 * (any, without), and its first character is one of `starts` (any, without). Each gate states what
 * the test's own code requires (`base === 'Procfile' || base.startsWith('Procfile.')`: a `P`);
 * test/sources/registry.test.ts holds every matcher to its gates on generated names.
 */
export interface NameGate {
  exts?: readonly string[];
  starts?: string;
}
const GATES = new WeakMap<object, readonly NameGate[]>();

/**
 * A name matcher that holds only for names with one of `exts` (lowercase; '' for no extension),
 * then asks `test`. The extension check is part of the matcher, so the index that `kindByName`
 * builds from these lists skips exactly the matchers that would say no. `gates` (each within
 * `exts`) narrow what the index asks the test of further.
 */
function byExt(exts: readonly string[], test: (path: string, base: string) => boolean, gates: readonly NameGate[] = [{ exts }]): (path: string, base: string) => boolean {
  const set = new Set(exts);
  const m = (path: string, base: string) => set.has(extOf(base)) && test(path, base);
  EXTS.set(m, set);
  TESTS.set(m, test);
  GATES.set(m, gates);
  return m;
}

/** A name matcher of any extension that the index asks only of the names `gates` admit (the matcher checks nothing more than its test). */
function gated(gates: readonly NameGate[], test: (path: string, base: string) => boolean): (path: string, base: string) => boolean {
  GATES.set(test, gates);
  return test;
}

/** The gates of a name matcher (none: it is asked of every name). */
export function nameGates(matchName: object): readonly NameGate[] | undefined {
  return GATES.get(matchName);
}

interface Entry extends SourceHead {
  /** The module that parses this kind (imported on first use). */
  load(): Promise<Source>;
  /**
   * The source's own first look at a whole text (no parser): false when it reads nothing in it,
   * so that discovery keeps no text the scan would only rule out (see `mayHoldFacts`).
   */
  worthReading?: (text: string, path: string) => boolean;
  /**
   * `worthReading` asked of a text's UTF-8 bytes (ASCII, or valid UTF-8 without a byte order
   * mark), before decoding: false only when `worthReading` of that text is false (true: maybe,
   * decode and ask it).
   */
  mayBeWorthReading?: (bytes: Uint8Array, path: string) => boolean;
  /**
   * Reading a file costs with its length (a YAML parse) and needs nothing of the scan but its
   * text (and what src/scan-ahead.ts checks): a long one is read in the parser thread while
   * discovery walks.
   */
  readAhead?: true;
}

const ENTRIES: readonly Entry[] = [
  {
    kind: 'deno.json',
    context: 'development',
    comments: 'slash',
    matchName: byExt(['json', 'jsonc'], (_path, base) => base === 'deno.json' || base === 'deno.jsonc', [{ exts: ['json', 'jsonc'], starts: 'd' }]),
    load: async () => (await import('./deno-json.js')).denoJsonSource,
  },
  {
    kind: 'package.json',
    context: 'development',
    comments: 'none', // strict JSON, as npm reads it
    matchName: byExt(['json'], (_path, base) => base === 'package.json', [{ exts: ['json'], starts: 'p' }]),
    load: async () => (await import('./package-json.js')).packageJsonSource,
  },
  {
    kind: 'node-config',
    context: 'development',
    comments: 'slash',
    matchName: byExt(['json'], (_path, base) => base === 'node.config.json', [{ exts: ['json'], starts: 'n' }]),
    load: async () => (await import('./node-config.js')).nodeConfigSource,
  },
  {
    kind: 'shell',
    context: 'development',
    comments: 'hash',
    matchName: byExt(['sh', 'bash', 'zsh', 'ksh'], (_path, base) => /\.(sh|bash|zsh|ksh)$/i.test(base)),
    load: async () => (await import('./shell-script.js')).shellSource,
  },
  {
    kind: 'dockerfile',
    context: 'deployment',
    comments: 'hash',
    matchName: gated([{ exts: ['dockerfile'] }, { starts: 'CcDd' }], (_path, base) => isDockerfileName(base)),
    /** Any file the user names explicitly whose first instruction is FROM (or ARG before FROM). */
    sniff: { names: () => false, content: (head) => looksLikeDockerfile(head) },
    load: async () => (await import('./dockerfile.js')).dockerfileSource,
  },
  {
    kind: 'compose',
    readAhead: true,
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(YAML, (_path, base) => /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i.test(base)),
    load: async () => (await import('./compose.js')).composeSource,
  },
  {
    kind: 'github-actions',
    readAhead: true,
    context: 'ci',
    comments: 'hash',
    matchName: byExt(YAML, (path, base) => /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path) || /^action\.ya?ml$/i.test(base)),
    load: async () => (await import('./github-actions.js')).githubActionsSource,
  },
  {
    kind: 'makefile',
    context: 'development',
    comments: 'hash',
    matchName: byExt(['', 'mk'], (_path, base) => base === 'Makefile' || base === 'makefile' || base === 'GNUmakefile' || base.toLowerCase().endsWith('.mk'), [{ exts: ['mk'] }, { exts: [''], starts: 'GMm' }]),
    load: async () => (await import('./makefile.js')).makefileSource,
  },
  {
    kind: 'systemd',
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(['service'], (_path, base) => base.toLowerCase().endsWith('.service')),
    load: async () => (await import('./systemd.js')).systemdSource,
  },
  {
    kind: 'version-pin',
    context: 'development',
    comments: 'hash',
    matchName: byExt(['nvmrc', 'node-version', 'dvmrc', 'tool-versions', 'toml'], (_path, base) => ['.nvmrc', '.node-version', '.dvmrc', '.tool-versions', 'mise.toml', '.mise.toml'].includes(base.toLowerCase())),
    load: async () => (await import('./version-pins.js')).versionPinSource,
  },
  {
    kind: 'gitlab-ci',
    readAhead: true,
    context: 'ci',
    comments: 'hash',
    matchName: byExt(YAML, (_path, base) => base === '.gitlab-ci.yml' || base === '.gitlab-ci.yaml'),
    load: async () => (await import('./gitlab-ci.js')).gitlabCiSource,
  },
  {
    kind: 'circleci',
    readAhead: true,
    context: 'ci',
    comments: 'hash',
    matchName: byExt(YAML, (path) => /(^|\/)\.circleci\/config\.ya?ml$/.test(path), [{ exts: YAML, starts: 'c' }]),
    load: async () => (await import('./circleci.js')).circleciSource,
  },
  {
    kind: 'bitbucket',
    readAhead: true,
    context: 'ci',
    comments: 'hash',
    matchName: byExt(YAML, (_path, base) => base === 'bitbucket-pipelines.yml' || base === 'bitbucket-pipelines.yaml'),
    load: async () => (await import('./bitbucket.js')).bitbucketSource,
  },
  {
    kind: 'azure-pipelines',
    readAhead: true,
    context: 'ci',
    comments: 'hash',
    matchName: byExt(YAML, (path, base) => /^azure-pipelines([.-][\w.-]*)?\.ya?ml$/.test(base) || /(^|\/)\.azure-pipelines\/[^/]+\.ya?ml$/.test(path)),
    load: async () => (await import('./azure-pipelines.js')).azurePipelinesSource,
  },
  {
    kind: 'drone',
    readAhead: true,
    context: 'ci',
    comments: 'hash',
    matchName: byExt(YAML, (path, base) => /^\.(drone|woodpecker)\.ya?ml$/.test(base) || /(^|\/)\.woodpecker\/[^/]+\.ya?ml$/.test(path)),
    load: async () => (await import('./drone.js')).droneSource,
  },
  {
    kind: 'fly',
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(['toml'], (_path, base) => base === 'fly.toml' || /^fly\.[\w.-]+\.toml$/.test(base)),
    load: async () => (await import('./platforms.js')).flySource,
  },
  {
    kind: 'nixpacks',
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(['toml'], (_path, base) => base === 'nixpacks.toml'),
    load: async () => (await import('./platforms.js')).nixpacksSource,
  },
  {
    kind: 'railway',
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(['toml', 'json'], (_path, base) => base === 'railway.toml' || base === 'railway.json', [{ exts: ['toml', 'json'], starts: 'r' }]),
    load: async () => (await import('./platforms.js')).railwaySource,
  },
  {
    kind: 'netlify',
    context: 'ci',
    comments: 'hash',
    matchName: byExt(['toml'], (_path, base) => base === 'netlify.toml'),
    load: async () => (await import('./platforms.js')).netlifySource,
  },
  {
    kind: 'render',
    readAhead: true,
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(YAML, (_path, base) => base === 'render.yaml' || base === 'render.yml'),
    load: async () => (await import('./platforms.js')).renderSource,
  },
  {
    kind: 'supervisord',
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(['conf', 'ini'], (path) => SUPERVISORD_NAMES.test(path)),
    sniff: { names: () => false, content: (head) => /^\[program:[^\]]+\]\s*$/m.test(head) },
    load: async () => (await import('./supervisord.js')).supervisordSource,
  },
  {
    kind: 'runit',
    context: 'deployment',
    comments: 'hash',
    matchName: byExt([''], (path) => RUNIT_RUN.test(path), [{ exts: [''], starts: 'r' }]),
    load: async () => (await import('./runit.js')).runitSource,
  },
  {
    kind: 'serverless',
    readAhead: true,
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(YAML, (_path, base) => /^serverless(\.[\w-]+)?\.ya?ml$/.test(base)),
    load: async () => (await import('./serverless.js')).serverlessSource,
  },
  {
    kind: 'app-engine',
    readAhead: true,
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(YAML, (_path, base) => base === 'app.yaml' || base === 'app.yml'),
    load: async () => (await import('./app-engine.js')).appEngineSource,
  },
  {
    kind: 'taskfile',
    readAhead: true,
    context: 'development',
    comments: 'hash',
    matchName: byExt(YAML, (_path, base) => /^[Tt]askfile(\.dist)?\.ya?ml$/.test(base)),
    load: async () => (await import('./taskfile.js')).taskfileSource,
  },
  {
    kind: 'justfile',
    context: 'development',
    comments: 'hash',
    matchName: byExt(['', 'justfile', 'just'], (_path, base) => /^\.?[Jj]ustfile$/.test(base) || base.endsWith('.just'), [{ exts: ['justfile', 'just'] }, { exts: [''], starts: 'Jj' }]),
    load: async () => (await import('./justfile.js')).justfileSource,
  },
  {
    kind: 'nx',
    context: 'development',
    comments: 'slash',
    matchName: byExt(['json'], (_path, base) => base === 'project.json', [{ exts: ['json'], starts: 'p' }]),
    load: async () => (await import('./nx.js')).nxSource,
  },
  {
    kind: 'turbo',
    context: 'development',
    comments: 'slash',
    matchName: byExt(['json', 'jsonc'], (_path, base) => base === 'turbo.json' || base === 'turbo.jsonc', [{ exts: ['json', 'jsonc'], starts: 't' }]),
    load: async () => (await import('./turbo.js')).turboSource,
  },
  {
    kind: 'procfile',
    context: 'deployment',
    comments: 'hash',
    matchName: gated([{ starts: 'P' }], (_path, base) => base === 'Procfile' || (base.startsWith('Procfile.') && !/\.(md|txt|bak|orig)$/i.test(base))),
    load: async () => (await import('./procfile.js')).procfileSource,
  },
  {
    kind: 'editor',
    context: 'development',
    comments: 'slash',
    matchName: byExt(['json'], (path) => EDITOR_FILES.test(path), [{ exts: ['json'], starts: 'dlt' }]),
    load: async () => (await import('./vscode.js')).vscodeSource,
  },
  {
    kind: 'devcontainer',
    context: 'development',
    comments: 'slash',
    matchName: byExt(['json'], (path) => DEVCONTAINER_FILES.test(path), [{ exts: ['json'], starts: '.d' }]),
    load: async () => (await import('./devcontainer.js')).devcontainerSource,
  },
  {
    kind: 'jenkinsfile',
    context: 'ci',
    comments: 'slash',
    matchName: gated([{ exts: ['jenkinsfile'] }, { starts: 'J' }], (_path, base) => base === 'Jenkinsfile' || base.startsWith('Jenkinsfile.') || /\.jenkinsfile$/i.test(base)),
    load: async () => (await import('./jenkinsfile.js')).jenkinsfileSource,
  },
  // before the JS/TS sniff: an ecosystem file is a config, not code
  {
    kind: 'pm2',
    context: 'deployment',
    comments: 'slash',
    matchName: byExt(['js', 'cjs', 'mjs', 'json'], (_path, base) => PM2_NAME.test(base), [{ exts: ['js', 'cjs', 'mjs', 'json'], starts: 'e' }]),
    load: async () => (await import('./pm2.js')).pm2Source,
  },
  // chart templates: `{{ … }}` masked, then read as manifests
  {
    kind: 'helm',
    context: 'deployment',
    comments: 'hash',
    matchName: byExt(YAML, (path) => /(^|\/)templates\/(?:[^/]+\/)*[^/]+\.ya?ml$/i.test(path)),
    load: async () => (await import('./helm.js')).helmSource,
  },
  // any other YAML: last among the name patterns
  {
    kind: 'kubernetes',
    readAhead: true,
    context: 'deployment',
    comments: 'hash',
    /** Any YAML file no other source claims; `parse` reads only documents with `apiVersion:` and `kind:`. */
    matchName: byExt(YAML, (_path, base) => /\.ya?ml$/i.test(base)),
    load: async () => (await import('./kubernetes.js')).kubernetesSource,
  },
  // content sniffs: `#!/sbin/openrc-run` before any other `#!`,
  {
    kind: 'openrc',
    context: 'deployment',
    comments: 'hash',
    sniff: {
      names: (base) => !base.includes('.') || /\.(initd|openrc|init)$/.test(base),
      content: (head) => OPENRC_SHEBANG.test(head),
    },
    load: async () => (await import('./openrc.js')).openrcSource,
  },
  // then `#!`,
  {
    kind: 'shebang',
    context: 'development',
    comments: 'both',
    /** Extension-less files and scripts with a JS/TS extension whose first two bytes are `#!`. */
    sniff: {
      names: (base) => !base.includes('.') || /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(base),
      content: (head) => head.startsWith('#!'),
    },
    load: async () => (await import('./shell-script.js')).shebangSource,
  },
  // then JS/TS by extension (the reader sniffs the text itself)
  {
    kind: 'typescript',
    context: 'development', // test files are `test`; NetScript tasks and sandboxes are `deployment` (the reader decides per construct)
    comments: 'slash',
    sniff: { names: (base) => TS_NAME.test(base), content: (_head, path) => TS_NAME.test(path) },
    // the source's sniff (./typescript/sniff.ts): most modules call no API it reads
    worthReading: (text, path) => holdsCode(path) && typescriptSniff(text),
    mayBeWorthReading: (bytes, path) => holdsCode(path) && mayMatchUtf8(bytes),
    load: async () => (await import('./typescript/index.js')).typescriptSource,
  },
];

/** Every kind's head (name matching, sniff, context, comment syntax), in discovery order. */
export const SOURCES: readonly SourceHead[] = ENTRIES;

const BY_KIND = new Map<SourceKind, Entry>(ENTRIES.map((s) => [s.kind, s]));

/** The head a source module is built on: `{ ...head('dockerfile'), parse(…) { … } }`. */
export function head(kind: SourceKind): SourceHead {
  const e = BY_KIND.get(kind);
  if (!e) throw new Error(`no source kind ${kind} in the registry`);
  const { load: _load, worthReading: _worth, mayBeWorthReading: _mayBe, ...rest } = e;
  return rest;
}

/** How many bytes of a file the content sniffs see. */
export const SNIFF_BYTES = 512;

/** The module that reads files of `kind` (loaded on first use; undefined for kinds no module reads). */
/** Whether a long file of this kind is read in the parser thread while discovery walks (`readAhead`). */
export function readsAhead(kind: string): boolean {
  return BY_KIND.get(kind as SourceKind)?.readAhead === true;
}

export function loadSource(kind: string): Promise<Source | undefined> {
  const e = BY_KIND.get(kind as SourceKind);
  return e ? e.load() : Promise.resolve(undefined);
}

/**
 * Whether a file of `kind` with this text can give its source anything to read: false when the
 * source's own sniff on the whole text rules it out (TypeScript/JavaScript that names no API the
 * analyser reads), true for kinds without one. Discovery keeps no text for a file ruled out.
 */
export function mayHoldFacts(kind: string, path: string, text: string): boolean {
  const w = BY_KIND.get(kind as SourceKind)?.worthReading;
  return w === undefined || w(text, path);
}

/**
 * `mayHoldFacts` asked of a text's UTF-8 bytes (ASCII, or valid UTF-8 without a byte order
 * mark) before decoding them: false only when `mayHoldFacts` of that text is false, so that
 * discovery rules a file out without making a string of it; true (maybe) for kinds without a
 * sniff on bytes.
 */
export function mayHoldFactsUtf8(kind: string, path: string, bytes: Uint8Array): boolean {
  const e = BY_KIND.get(kind as SourceKind);
  return e?.worthReading === undefined || e.mayBeWorthReading === undefined || e.mayBeWorthReading(bytes, path);
}

/** Whether some module reads files of `kind` (without loading it). */
export function isSourceKind(kind: string): boolean {
  return BY_KIND.has(kind as SourceKind);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What the name index asks a matcher: its kind, and its test (a `byExt` matcher's own test: its extension check holds for every name it is asked of). */
interface Claim {
  kind: SourceKind;
  test: (path: string, base: string) => boolean;
}
/** A matcher the index may ask of names with one extension: its claim, and the first characters its gates take then (undefined: any). */
interface Candidate extends Claim {
  starts: string | undefined;
}
/**
 * Per extension, the entries (in order) whose gates admit names with it (`NameGate`), and per
 * first character of the name (its code below 128; 128 for any other), those whose gates admit
 * that character too: a walk asks a name of a few matchers, and of none for most names (`mod.ts`,
 * `main.out`, `foo.json`). Both made on first use, the second from the first (a tree has a few
 * hundred pairs: each asks a few candidates, not every entry).
 */
const BY_EXT = new Map<string, { candidates: readonly Candidate[]; byFirst: (readonly Claim[] | undefined)[] }>();
const NO_CLAIMS: readonly Claim[] = [];

/** The claims for names with this extension (lowercase) and first character code (NaN for ''). */
function claims(ext: string, first: number): readonly Claim[] {
  let e = BY_EXT.get(ext);
  if (e === undefined) {
    e = { candidates: candidatesOf(ext), byFirst: new Array<readonly Claim[] | undefined>(129).fill(undefined) };
    if (BY_EXT.size < 4096) BY_EXT.set(ext, e);
  }
  const k = first < 128 ? first : 128;
  return e.byFirst[k] ?? (e.byFirst[k] = claimsOf(e.candidates, k));
}

/** The entries whose gates admit names with the extension `ext`, with the first characters those gates take. */
function candidatesOf(ext: string): readonly Candidate[] {
  const out: Candidate[] = [];
  for (const s of ENTRIES) {
    const m = s.matchName;
    if (!m || (EXTS.has(m) && !EXTS.get(m)!.has(ext))) continue;
    const gates = GATES.get(m)?.filter((g) => g.exts === undefined || g.exts.includes(ext));
    if (gates !== undefined && gates.length === 0) continue;
    const starts = gates === undefined || gates.some((g) => g.starts === undefined) ? undefined : gates.map((g) => g.starts).join('');
    out.push({ kind: s.kind, test: TESTS.get(m) ?? m, starts });
  }
  return out;
}

/** Of the candidates, those whose gates take names starting with the character of code `k` (128: one outside ASCII, which no gate names). */
function claimsOf(candidates: readonly Candidate[], k: number): readonly Claim[] {
  const c = k < 128 ? String.fromCharCode(k) : undefined;
  const l = candidates.filter((x) => x.starts === undefined || (c !== undefined && x.starts.includes(c)));
  return l.length ? l : NO_CLAIMS;
}

/** A file's kind by its path alone; undefined = needs a content sniff, or is not ours. (`base`: the path's last part, when the caller has it.) */
export function kindByName(path: string, base = baseOf(path)): SourceKind | undefined {
  const list = claims(extOf(base), base.charCodeAt(0));
  for (let i = 0; i < list.length; i++) if (list[i]!.test(path, base)) return list[i]!.kind;
  return undefined;
}

/** `kindByName` of the entry `base` of the folder `dir` (relative, `/` separators, '' for the top): the path is made only when a matcher may need it. */
export function kindOfEntry(dir: string, base: string): SourceKind | undefined {
  const list = claims(extOf(base), base.charCodeAt(0));
  if (list.length === 0) return undefined;
  const path = dir ? `${dir}/${base}` : base;
  for (let i = 0; i < list.length; i++) if (list[i]!.test(path, base)) return list[i]!.kind;
  return undefined;
}

type Sniffer = Entry & { sniff: NonNullable<Entry['sniff']> };
/** The entries with a content sniff, in order. */
const SNIFFERS = ENTRIES.filter((s) => s.sniff !== undefined) as Sniffer[];
/** Per extension as written (after the last dot; `/` for a name without one), the sniffers whose `names` take such names, in order (`SourceHead.sniff`: `names` reads no more of a name). */
const SNIFFERS_BY_EXT = new Map<string, readonly Sniffer[]>();

/** The sniffers whose `names` take `base`. */
function sniffersNaming(base: string): readonly Sniffer[] {
  const dot = base.lastIndexOf('.');
  const key = dot < 0 ? '/' : base.slice(dot + 1);
  let list = SNIFFERS_BY_EXT.get(key);
  if (!list) {
    list = SNIFFERS.filter((s) => s.sniff.names(base));
    if (SNIFFERS_BY_EXT.size < 4096) SNIFFERS_BY_EXT.set(key, list);
  }
  return list;
}

/** Whether a folder walk should read the head of a file no name matched (an explicitly named file is always sniffed). */
export function mightSniff(path: string, base = baseOf(path)): boolean {
  return sniffersNaming(base).length > 0;
}

/** A file's kind by the first SNIFF_BYTES of its text, for files no name matched. */
export function kindByContent(head: string, path: string, explicit: boolean, base = baseOf(path)): SourceKind | undefined {
  const list = explicit ? SNIFFERS : sniffersNaming(base);
  for (let i = 0; i < list.length; i++) if (list[i]!.sniff.content(head, path)) return list[i]!.kind;
  return undefined;
}

/** Comment syntax of a kind (for suppression directives); `none` for unknown kinds. */
export function commentStyleOf(kind: string | undefined): CommentStyle {
  return (kind !== undefined && BY_KIND.get(kind as SourceKind)?.comments) || 'none';
}
