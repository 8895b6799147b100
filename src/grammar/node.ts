/**
 * The Node.js argv grammar: options before the script, the permission model
 * (`--permission` / `--experimental-permission`), `--allow-*` flags and their quirks
 * (reference/permission-facts.md §2).
 */
import type { EffectivePermissions, GrammarDiagnostic, ImplicitAllCause, PermKind, PermissionGrant, RuntimeFlag, Span, Token } from '../model.js';
import * as semver from '../semver.js';
import { allPermissions, noPermissions } from '../model.js';
import { diag } from './permissions.js';
import { nodeFsGrantsAbort, queryNode } from './query.js';

/** Node releases without `--permission` (added in 22.13.0 and 23.5.0). */
export const LACKS_PERMISSION = '<22.13.0 || >=23.0.0 <23.5.0';
/** Node releases that read their entry file only with a read grant covering it (implicit since 22.17.0 and 24.2.0). */
const ENTRY_NEEDS_GRANT = '<22.17.0 || >=23.0.0 <24.2.0';
/** Node releases whose radix tree aborts on two read (or write) grants ending on the same node. */
const ABORTS_ON_OVERLAP = '<21.0.0';
/** A synthetic working folder: relative grants and entry files compare with each other, not with absolute paths. */
const SOME_CWD = '/\u27e8cwd\u27e9';
const SCRIPT_LIKE = /(\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$)|^(https?:|jsr:|npm:)/;

/** Node permission flags: kind, whether they take a path list, and the first versions that have them. */
export const NODE_PERMISSION_FLAGS: Record<string, { kind: PermKind; list: boolean; since: string }> = {
  '--allow-fs-read': { kind: 'read', list: true, since: '20.0.0' },
  '--allow-fs-write': { kind: 'write', list: true, since: '20.0.0' },
  '--allow-child-process': { kind: 'run', list: false, since: '20.0.0' },
  '--allow-worker': { kind: 'worker', list: false, since: '20.0.0' },
  '--allow-addons': { kind: 'ffi', list: false, since: '20.12.0' },
  '--allow-wasi': { kind: 'wasi', list: false, since: '20.16.0' },
  '--allow-net': { kind: 'net', list: false, since: '25.0.0' },
  '--allow-inspector': { kind: 'inspector', list: false, since: '24.12.0' },
  '--allow-ffi': { kind: 'ffi', list: false, since: '26.1.0' },
};

export const NODE_MODEL_FLAGS = new Set(['--permission', '--experimental-permission']);

/**
 * Permission-related Node flags that grant no kind `process.permission.has` reports through the
 * model's kinds, with the releases that lack them (Node stops with `bad option`): checked with
 * 24.22.3, 25.9.0 and 26.12.1 (reference/permission-facts.md §2.2 for the first releases).
 */
export const NODE_OTHER_PERMISSION_FLAGS: Record<string, { missing: string; since: string }> = {
  /** Audit only: `has()` answers for the grants, but nothing is denied (a warning on diagnostics_channel). */
  '--permission-audit': { missing: '<24.20.0 || >=25.0.0 <25.8.0', since: '24.20.0 / 25.8.0' },
  '--allow-openssl-store': { missing: '<24.21.0 || >=25.0.0 <26.7.0', since: '24.21.0 / 26.7.0 (not in 25.x)' },
  '--allow-fs-vfs': { missing: '<26.9.0', since: '26.9.0' },
};
/** Releases where every `--allow-*` flag needs the model on (ERR_MISSING_OPTION): 26.12.1 checked; 25.9.0 accepts the boolean ones and ignores them. */
const BOOLEAN_NEEDS_MODEL = '>=26.0.0';

/** Node options that take a value, which may be the next argument. */
const VALUE_OPTIONS = new Set([
  '-r', '--require', '--import', '-e', '--eval', '-p', '--print', '--loader', '--experimental-loader', '-C', '--conditions',
  '--input-type', '--title', '--env-file', '--env-file-if-exists', '--inspect-port', '--debug-port', '--disable-warning',
  '--max-http-header-size', '--openssl-config', '--redirect-warnings', '--report-dir', '--report-directory', '--report-filename',
  '--report-signal', '--diagnostic-dir', '--dns-result-order', '--heapsnapshot-signal', '--icu-data-dir', '--localstorage-file',
  '--secure-heap', '--secure-heap-min', '--tls-cipher-list', '--tls-keylog', '--unhandled-rejections', '--use-largepages',
  '--watch-path', '--experimental-sea-config', '--test-name-pattern', '--test-skip-pattern', '--test-reporter',
  '--test-reporter-destination', '--test-concurrency', '--test-timeout', '--test-shard', '--cpu-prof-dir', '--cpu-prof-name',
  '--heap-prof-dir', '--heap-prof-name', '--stack-trace-limit', '--max-old-space-size', '--experimental-default-type',
  '--run', '--watch-kill-signal', '--test-coverage-include', '--test-coverage-exclude', '--test-global-setup',
  ...Object.keys(NODE_PERMISSION_FLAGS).filter((f) => NODE_PERMISSION_FLAGS[f]!.list),
]);

export interface NodeParse {
  /** `--test`: Node's test runner. */
  testRunner?: Span;
  flags: RuntimeFlag[];
  permissions: PermissionGrant[];
  effective: EffectivePermissions;
  enabled?: { flag: string; span: Span };
  /** `--permission-audit`: without `--permission` the grants are only audited (nothing is denied). */
  audit?: Span;
  implicitAll?: ImplicitAllCause;
  entrypoint?: Token;
  /** `-e` / `-p` code. */
  evalCode?: Token;
  programArgs: Token[];
  unresolved: Token[];
  diagnostics: GrammarDiagnostic[];
}

/** Canonical option name: Node accepts `_` for `-` in option names. */
function canonical(name: string): string {
  return name.startsWith('--') ? `--${name.slice(2).replace(/_/g, '-')}` : name;
}

/**
 * Parse Node's argv. `nodeOptions` are the words of NODE_OPTIONS that apply to this command
 * (they act as if written before the command-line options).
 */
export interface NodeParseOptions {
  /** The Node release that runs it, when known (the network is not gated before 25). */
  version?: string;
  /** Absolute working folder, when known: relative grants and the entry file resolve against it. */
  cwd?: string;
  /** Whether a granted path is a directory (Node grants its subtree); default: yes. */
  isDirectory?: (absolutePath: string) => boolean;
}

export function parseNode(argv: Token[], nodeOptions: Token[] = [], options: NodeParseOptions = {}): NodeParse {
  const out: NodeParse = { flags: [], permissions: [], effective: allPermissions(), programArgs: [], unresolved: [], diagnostics: [] };
  const words = [...nodeOptions.map((t) => ({ t, env: true })), ...argv.map((t) => ({ t, env: false }))];
  out.unresolved = words.filter((w) => w.t.dynamic).map((w) => w.t);
  let done = false;
  for (let i = 0; i < words.length; i++) {
    const { t: tok, env } = words[i]!;
    const v = tok.value;
    if (done) {
      out.programArgs.push(tok);
      const name = canonical(v.split('=')[0]!);
      // words after `--` are passed to the program deliberately: never flag-after-script
      if (v.startsWith('--') && !out.programArgs.some((a) => a.value === '--') && (NODE_PERMISSION_FLAGS[name] || NODE_MODEL_FLAGS.has(name))) {
        out.diagnostics.push(diag('flag-after-script', { w: 'flag-after-script', runtime: 'node', flag: v, ...(out.entrypoint ? { script: out.entrypoint.value } : {}) }, tok.span));
      }
      continue;
    }
    if (v === '--' && !env) {
      const next = words[i + 1];
      if (next) {
        out.entrypoint = next.t;
        i++;
      }
      done = true;
      continue;
    }
    if (!v.startsWith('-') || v === '-') {
      if (env) continue; // NODE_OPTIONS cannot name a script
      out.entrypoint = tok;
      done = true;
      continue;
    }
    const eq = v.indexOf('=');
    const name = canonical(eq < 0 ? v : v.slice(0, eq));
    let value = eq < 0 ? undefined : v.slice(eq + 1);
    let span = tok.span;
    let valueSpan = eq < 0 ? undefined : sub(tok, eq + 1, v.length - eq - 1);
    if (value === undefined && VALUE_OPTIONS.has(name)) {
      const next = words[i + 1];
      if (next) {
        value = next.t.value;
        valueSpan = next.t.span;
        span = { ...tok.span, endLine: next.t.span.endLine, endColumn: next.t.span.endColumn };
        i++;
      }
    }
    const perm = NODE_PERMISSION_FLAGS[name];
    if (name === '--test' && !env) out.testRunner ??= tok.span;
    if (NODE_MODEL_FLAGS.has(name)) {
      out.enabled ??= { flag: name, span: tok.span };
      if (name === '--experimental-permission') {
        out.diagnostics.push(
          diag('deprecated', { w: 'node-experimental-permission-renamed' }, tok.span, undefined, {
            range: '>=22.13.0 <23.0.0 || >=23.5.0 <24.0.0',
            ifUnknown: true,
          }),
          diag('refused-at-start', { w: 'node-experimental-permission-removed' }, tok.span, undefined, { range: '>=24.0.0', ifUnknown: false }),
        );
      } else {
        out.diagnostics.push(diag('flag-not-in-version', { w: 'node-permission-too-new' }, tok.span, undefined, { range: LACKS_PERMISSION, ifUnknown: false }));
      }
      out.flags.push({ name, span, text: v });
      continue;
    }
    const other = NODE_OTHER_PERMISSION_FLAGS[name];
    if (other) {
      if (name === '--permission-audit') out.audit ??= tok.span;
      out.diagnostics.push(diag('flag-not-in-version', { w: 'node-flag-too-new', flag: name, since: other.since }, span, undefined, { range: other.missing, ifUnknown: false }));
      out.flags.push({ name, ...(value !== undefined ? { value } : {}), span, text: v });
      continue;
    }
    if (name === '--experimental-policy' || name === '--policy-integrity') {
      out.diagnostics.push(diag('deprecated', { w: 'node-policy-removed', flag: name }, tok.span));
    }
    if (perm) {
      const grant: PermissionGrant = { kind: perm.kind, mode: 'allow', scope: 'all', span, text: value === undefined ? v : eq < 0 ? `${v} ${value}` : v, via: 'flag' };
      if (perm.list) {
        if (value === undefined || value === '') {
          out.diagnostics.push(diag('empty-value', { w: 'node-needs-path', flag: name }, span, perm.kind));
          grant.scope = [];
        } else if (value === '*') grant.scope = 'all';
        else {
          if (value.includes(',')) {
            out.diagnostics.push(
              diag('fs-comma-list', { w: 'node-fs-comma-list', flag: name, value }, valueSpan ?? span, perm.kind),
            );
          }
          grant.scope = [{ value, span: valueSpan ?? span }];
        }
      } else if (value !== undefined) {
        out.diagnostics.push(
          diag('boolean-with-value', { w: 'node-boolean-with-value', flag: name, value, kind: perm.kind }, span, perm.kind),
        );
      }
      if (perm.since !== '20.0.0') {
        out.diagnostics.push(
          diag('flag-not-in-version', { w: 'node-flag-too-new', flag: name, since: perm.since, ...(perm.kind === 'net' ? { netUngated: true } : {}) }, span, perm.kind, {
            range: `<${perm.since}`,
            ifUnknown: false,
          }),
        );
      }
      if (perm.list && value !== undefined && eq < 0 && !env && SCRIPT_LIKE.test(value) && !words.slice(i + 1).some((w) => !w.t.value.startsWith('-'))) {
        out.diagnostics.push(diag('value-with-space', { w: 'node-value-with-space', flag: name, value }, span, perm.kind));
      }
      out.permissions.push(grant);
      out.flags.push({ name, ...(value !== undefined ? { value } : {}), span, text: grant.text });
      continue;
    }
    if (name === '-e' || name === '--eval' || name === '-p' || name === '--print') {
      if (value !== undefined) out.evalCode = { value, span: valueSpan ?? span };
      out.flags.push({ name, ...(value !== undefined ? { value } : {}), span, text: v });
      if (!env) done = true;
      continue;
    }
    out.flags.push({ name, ...(value !== undefined ? { value } : {}), span, text: value !== undefined && eq < 0 ? `${v} ${value}` : v });
  }

  if (out.enabled) {
    out.effective = nodeEffective(out.permissions, options.version);
    startUpChecks(out, options);
    out.effective = nodeEffectiveFor(out.permissions, out.entrypoint, options.version);
  } else if (words.some((w) => w.env && w.t.dynamic)) {
    // part of NODE_OPTIONS is not known statically: whether the model is on is not known either
    // (the unknown words are in `unresolved`; everything stays possible)
  } else if (out.audit) {
    // `process.permission.has` answers for the grants (nodeEffective), but no access is denied
    out.implicitAll = { cause: 'node-audit-only' };
  } else {
    out.implicitAll = { cause: 'node-model-off' };
    // `--allow-fs-read` / `--allow-fs-write` without the model: Node stops with ERR_MISSING_OPTION
    // (20.20.2, 22.23.5, 24.22.3, 25.9.0 and 26.12.1 checked; before 26 the other grants are
    // accepted and do nothing, on 26 every `--allow-*` flag stops it the same way)
    const fs = out.permissions.find((g) => (g.kind === 'read' || g.kind === 'write') && g.via === 'flag');
    if (fs) {
      out.diagnostics.push(
        diag('refused-at-start', { w: 'node-fs-grant-without-model', grant: fs.text }, fs.span, fs.kind, {
          range: '>=20.0.0',
          ifUnknown: true,
        }),
      );
    } else {
      const flag = out.flags.find((f) => f.name.startsWith('--allow-'));
      if (flag) {
        out.diagnostics.push(
          diag('refused-at-start', { w: 'node-grant-without-model-26', grant: flag.text }, flag.span, NODE_PERMISSION_FLAGS[flag.name]?.kind, {
            range: BOOLEAN_NEEDS_MODEL,
            ifUnknown: false,
          }),
        );
      }
    }
  }
  return out;
}

/** What Node 20 checks at start-up under the permission model: overlapping fs grants abort it, and its entry file needs a read grant. */
function startUpChecks(out: NodeParse, options: NodeParseOptions): void {
  const cwd = options.cwd ?? SOME_CWD;
  const isDirectory = options.isDirectory ? { isDirectory: options.isDirectory } : {};
  for (const k of nodeFsGrantsAbort(out.permissions, { cwd, version: '20.0.0', ...isDirectory })) {
    const g = out.permissions.filter((x) => x.kind === k);
    out.diagnostics.push(
      diag('refused-at-start', { w: 'node-fs-overlap', kind: k }, g[g.length - 1]!.span, k, {
        range: ABORTS_ON_OVERLAP,
        ifUnknown: false,
      }),
    );
  }
  const ep = out.entrypoint;
  if (!ep || ep.dynamic || ep.value === '-' || /^[a-z][a-z0-9+.-]*:/i.test(ep.value)) return;
  const read = out.effective.read.allow;
  if (read === 'all') return;
  // a relative entry compares with relative grants only (the working folder is not known here), and an absolute one with absolute grants
  const rel = !ep.value.startsWith('/');
  if (!options.cwd && read.some((p) => !p.startsWith('/') !== rel)) return;
  if (queryNode(out.effective, 'fs.read', ep.value, { cwd, version: '20.0.0', ...isDirectory })) return;
  out.diagnostics.push(
    diag('refused-at-start', { w: 'node-entry-needs-read', entry: ep.value }, ep.span, 'read', {
      range: ENTRY_NEEDS_GRANT,
      ifUnknown: false,
    }),
  );
}

/** Whether a Node version (`22.3.0`, `v20`) is known and below 25, where the permission model does not gate the network. */
function netUngated(version: string | undefined): boolean {
  const major = Number(/^v?(\d+)/.exec(version ?? '')?.[1]);
  return Number.isFinite(major) && major < 25;
}

/** A pinned version or range (`22.23.5`, `22.x`, `node:22.17.0-alpine`) as a node-semver range. */
function versionRange(version: string): string | undefined {
  return semver.validRange(version) ?? semver.coerce(version)?.version ?? undefined;
}

/** Whether every release a pinned version or range can resolve to reads its entry file without a grant (22.17+, 24.2+). */
export function readsEntryImplicitly(version: string | undefined): boolean {
  const range = version ? versionRange(version) : undefined;
  return !!range && !semver.intersects(range, ENTRY_NEEDS_GRANT, { includePrerelease: false });
}

/**
 * What Node of this version grants under the permission model for these grants and this entry
 * file: `nodeEffective`, plus the entry file's implicit read on 22.17+ / 24.2+ (`has` says so).
 * The link phase calls it again when a pin attached later says which Node runs.
 */
export function nodeEffectiveFor(grants: PermissionGrant[], entrypoint: Token | undefined, version?: string): EffectivePermissions {
  const eff = nodeEffective(grants, version);
  const ep = entrypoint;
  const read = eff.read;
  if (ep && !ep.dynamic && Array.isArray(read.allow) && readsEntryImplicitly(version) && !read.allow.includes(ep.value)) read.allow = [...read.allow, ep.value];
  return eff;
}

/**
 * What Node grants under the permission model for these grants (env, sys and imports are never
 * restricted; before Node 25 neither is the network, when the version is known).
 */
export function nodeEffective(grants: PermissionGrant[], version?: string): EffectivePermissions {
  const eff = noPermissions();
  eff.env.allow = 'all';
  eff.sys.allow = 'all';
  eff.import.allow = 'all';
  if (netUngated(version)) eff.net.allow = 'all';
  const native = new Set<string>();
  for (const g of grants) {
    const st = eff[g.kind];
    if (g.scope === 'all') st.allow = 'all';
    else if (st.allow !== 'all') st.allow = [...new Set([...st.allow, ...g.scope.map((s) => s.value)])];
    if (g.kind === 'ffi' && g.via === 'flag') native.add(NATIVE_SCOPE[canonical(g.text.split(/[= ]/)[0]!)] ?? '');
  }
  // `--allow-addons` and `--allow-ffi` (26.1+) are both native code (kind ffi) but separate `has()` scopes
  if (eff.ffi.allow === 'all' && native.size > 0 && !native.has('')) eff.ffi.nodeScopes = [...native].sort();
  return eff;
}

/** The `process.permission.has` scope each native-code flag grants. */
const NATIVE_SCOPE: Record<string, string> = { '--allow-addons': 'addon', '--allow-ffi': 'ffi' };

function sub(tok: Token, start: number, len: number): Span {
  const s = tok.span;
  if (s.line !== s.endLine || s.endColumn - s.column !== tok.value.length) return s;
  return { ...s, column: s.column + start, endColumn: s.column + start + len };
}

