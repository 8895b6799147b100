/**
 * The Node.js argv grammar: options before the script, the permission model
 * (`--permission` / `--experimental-permission`), `--allow-*` flags and their quirks
 * (reference/permission-facts.md §2).
 */
import type { EffectivePermissions, GrammarDiagnostic, PermKind, PermissionGrant, RuntimeFlag, Span, Token } from '../model.js';
import { allPermissions, noPermissions } from '../model.js';
import { diag } from './permissions.js';

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
  flags: RuntimeFlag[];
  permissions: PermissionGrant[];
  effective: EffectivePermissions;
  enabled?: { flag: string; span: Span };
  implicitAll?: { reason: string };
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
export function parseNode(argv: Token[], nodeOptions: Token[] = []): NodeParse {
  const out: NodeParse = { flags: [], permissions: [], effective: allPermissions(), programArgs: [], unresolved: [], diagnostics: [] };
  const words = [...nodeOptions.map((t) => ({ t, env: true })), ...argv.map((t) => ({ t, env: false }))];
  out.unresolved = words.filter((w) => w.t.dynamic).map((w) => w.t);
  let done = false;
  for (let i = 0; i < words.length; i++) {
    const { t: tok, env } = words[i]!;
    const v = tok.value;
    if (done) {
      out.programArgs.push(tok);
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
    if (NODE_MODEL_FLAGS.has(name)) {
      out.enabled ??= { flag: name, span: tok.span };
      if (name === '--experimental-permission') out.diagnostics.push(diag('deprecated', '`--experimental-permission` is the old name of `--permission`', tok.span));
      out.flags.push({ name, span, text: v });
      continue;
    }
    if (perm) {
      const grant: PermissionGrant = { kind: perm.kind, mode: 'allow', scope: 'all', span, text: value === undefined ? v : eq < 0 ? `${v} ${value}` : v, via: 'flag' };
      if (perm.list) {
        if (value === undefined || value === '') {
          out.diagnostics.push(diag('empty-value', `\`${name}\` needs a path (or \`*\`)`, span, perm.kind));
          grant.scope = [];
        } else if (value === '*') grant.scope = 'all';
        else {
          if (value.includes(',')) {
            out.diagnostics.push(
              diag('fs-comma-list', `Node reads \`${value}\` as one path: comma-separated lists are no longer valid since Node 20.7; repeat \`${name}\` for each path`, valueSpan ?? span, perm.kind),
            );
          }
          grant.scope = [{ value, span: valueSpan ?? span }];
        }
      } else if (value !== undefined) {
        out.diagnostics.push(
          diag('boolean-with-value', `\`${name}\` is a boolean flag: Node ignores \`=${value}\` and grants ${describeKind(perm.kind)} without restriction`, span, perm.kind),
        );
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
    out.effective = nodeEffective(out.permissions);
  } else {
    out.implicitAll = { reason: 'the Node permission model is not enabled (no `--permission`)' };
  }
  return out;
}

/** What Node grants under the permission model for these grants (env, sys and imports are never restricted). */
export function nodeEffective(grants: PermissionGrant[]): EffectivePermissions {
  const eff = noPermissions();
  eff.env.allow = 'all';
  eff.sys.allow = 'all';
  eff.import.allow = 'all';
  for (const g of grants) {
    const st = eff[g.kind];
    if (g.scope === 'all') st.allow = 'all';
    else if (st.allow !== 'all') st.allow = [...new Set([...st.allow, ...g.scope.map((s) => s.value)])];
  }
  return eff;
}

function sub(tok: Token, start: number, len: number): Span {
  const s = tok.span;
  if (s.line !== s.endLine || s.endColumn - s.column !== tok.value.length) return s;
  return { ...s, column: s.column + start, endColumn: s.column + start + len };
}

export function describeKind(kind: PermKind): string {
  return (
    {
      read: 'file-system reads',
      write: 'file-system writes',
      net: 'network access',
      env: 'environment access',
      sys: 'system information',
      run: 'subprocesses',
      ffi: 'native code (FFI / addons)',
      import: 'remote imports',
      worker: 'worker threads',
      wasi: 'WASI',
      inspector: 'the inspector',
    } as Record<PermKind, string>
  )[kind];
}
