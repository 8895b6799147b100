/**
 * Shared permission vocabulary of the Deno grammar and of deno.json permission sets:
 * flag names, value validation and how grants combine into effective permissions
 * (Deno 2.9.6 behaviour, see reference/permission-facts.md §1.2–1.3 and §1.8).
 */
import type { DenoValueRefusal, EffectivePermissions, GrammarDiagnostic, GrammarWording, GrantMode, KindState, PermKind, PermissionGrant, ScopedValue, Span } from '../model.js';
import { DENO_KINDS, noPermissions } from '../model.js';
import { parseNetValue } from './query.js';

export type DenoKind = (typeof DENO_KINDS)[number];

export interface DenoPermFlag {
  kind: DenoKind;
  mode: GrantMode;
}

/** Every Deno permission flag (long form) → kind and mode. */
export const DENO_PERMISSION_FLAGS: Record<string, DenoPermFlag> = {};
for (const kind of DENO_KINDS) {
  DENO_PERMISSION_FLAGS[`--allow-${kind}`] = { kind, mode: 'allow' };
  DENO_PERMISSION_FLAGS[`--deny-${kind}`] = { kind, mode: 'deny' };
}
DENO_PERMISSION_FLAGS['--ignore-read'] = { kind: 'read', mode: 'ignore' };
DENO_PERMISSION_FLAGS['--ignore-env'] = { kind: 'env', mode: 'ignore' };

export const DENO_SHORT_FLAGS: Record<string, string> = {
  A: '--allow-all',
  R: '--allow-read',
  W: '--allow-write',
  N: '--allow-net',
  E: '--allow-env',
  S: '--allow-sys',
  I: '--allow-import',
  P: '--permission-set',
};

/** `--allow-sys` names Deno accepts (`SysDescriptor::parse`); `username` is an alias of `userInfo`. */
export const SYS_NAMES = new Set([
  'hostname', 'inspector', 'osRelease', 'osUptime', 'loadavg', 'networkInterfaces', 'systemMemoryInfo', 'uid', 'gid',
  'cpus', 'homedir', 'getegid', 'statfs', 'getPriority', 'setPriority', 'userInfo', 'setegid', 'seteuid', 'setgid',
  'setuid', 'ca', 'umask', 'username',
]);

/** Hosts Deno may import from with no `--allow-import` (2.9.x, `implicit_allow_import`). */
export const DEFAULT_IMPORT_HOSTS = [
  'jsr.io:443', 'deno.land:443', 'esm.sh:443', 'raw.esm.sh:443', 'cdn.jsdelivr.net:443',
  'raw.githubusercontent.com:443', 'gist.githubusercontent.com:443',
];

const HOST_KINDS = new Set<PermKind>(['net', 'import']);

/**
 * Validate one list value the way Deno does at start-up. Returns an error message or undefined.
 * `cli` = the value came from a command line (bare `:port` is a CLI-only convenience of `--allow-net`/`--deny-net`).
 * `mode` matters for two quirks of 2.9.6: `--deny-run` accepts empty names, `--ignore-env` does not check names.
 */
export function validateDenoValue(kind: PermKind, value: string, cli: boolean, mode: GrantMode = 'allow'): DenoValueRefused | undefined {
  if (value === '') {
    if (kind === 'run') return mode === 'deny' ? undefined : refused('empty-command', value);
    if (kind === 'net' || kind === 'import') return refused('empty-host', value);
    if (kind === 'env') return refused('empty-env', value);
    if (kind === 'sys') return refused('empty-sys', value);
    return refused('empty-path', value);
  }
  if (HOST_KINDS.has(kind)) return validateHost(value, cli && kind === 'net');
  if (kind === 'sys' && !SYS_NAMES.has(value)) return refused('sys-name', value);
  if (kind === 'env' && mode !== 'ignore' && (value.includes('=') || value.includes('\0'))) return refused('env-name', value);
  return undefined;
}

/** A value Deno refuses: why, and the part of it Deno's message quotes (src/messages/grammar.ts words it). */
export type DenoValueRefused = Extract<GrammarWording, { w: 'deno-value-refused' }>;

function refused(refusal: DenoValueRefusal, value: string): DenoValueRefused {
  return { w: 'deno-value-refused', refusal, value };
}

/**
 * Whether Deno accepts a host value: the query engine's parser decides (one host validator in
 * the product, checked by the differential tests); this function only says which refusal Deno
 * words (and what its message quotes).
 */
function validateHost(value: string, cli: boolean): DenoValueRefused | undefined {
  if (parseNetValue(value, { cli })) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return refused('url', value);
  if (value.startsWith('unix:')) return refused('unix-socket', value);
  if (value.startsWith('vsock:')) return refused('vsock', value);
  if (value.startsWith(':') || value === '') return refused('empty-host', '');
  const colon = value.lastIndexOf(':');
  if (!value.startsWith('[') && value.indexOf(':') !== colon) return refused('ipv6-brackets', value);
  if (colon > 0 && !value.endsWith(']')) {
    const port = value.slice(colon + 1);
    if (!/^\d+$/.test(port) || Number(port) > 65535) return refused('port', port);
  }
  return refused('host', value);
}

/** Expand Deno's CLI-only bare `:port` to the hosts it stands for. */
export function expandCliHost(value: string): string[] {
  if (/^:\d+$/.test(value)) return [`0.0.0.0${value}`, `127.0.0.1${value}`, `localhost${value}`];
  return [value];
}

/** Split a Deno list value on commas (2.9.6: `,,` is no longer an escape; it yields an empty value). */
export function splitDenoList(value: string, valueSpan: Span): ScopedValue[] {
  const out: ScopedValue[] = [];
  let col = 0;
  for (const part of value.split(',')) {
    out.push({ value: part, span: sub(valueSpan, col, part.length) });
    col += part.length + 1;
  }
  return out;
}

function sub(span: Span, start: number, length: number): Span {
  if (span.line !== span.endLine || span.endColumn - span.column < start + length) return span;
  return { ...span, column: span.column + start, endColumn: span.column + start + length };
}

/**
 * Combine grants into effective permissions with Deno 2.9.6 rules:
 * repeated list flags merge; a bare flag next to a list flag of the same kind and mode
 * narrows to the list; `allow: 'all'` from -A applies to kinds no flag mentions.
 */
export function combineDeno(grants: PermissionGrant[], allowAll: boolean): EffectivePermissions {
  const eff = noPermissions();
  const seen = new Map<string, { bare: boolean; list: string[] | undefined }>();
  for (const g of grants) {
    const key = `${g.kind}:${g.mode}`;
    const cur = seen.get(key) ?? { bare: false, list: undefined };
    if (g.scope === 'all') cur.bare = true;
    else cur.list = [...(cur.list ?? []), ...g.scope.flatMap((v) => (g.via === 'flag' ? expandCliHostFor(g.kind, v.value) : [v.value]))];
    seen.set(key, cur);
  }
  for (const kind of DENO_KINDS) {
    const st: KindState = eff[kind];
    if (allowAll) st.allow = 'all';
    for (const mode of ['allow', 'deny', 'ignore'] as const) {
      const s = seen.get(`${kind}:${mode}`);
      if (!s) continue;
      st[mode] = s.list !== undefined && s.list.length > 0 ? dedupe(s.list) : s.bare ? 'all' : [];
    }
  }
  return eff;
}

function expandCliHostFor(kind: PermKind, v: string): string[] {
  return kind === 'net' ? expandCliHost(v) : [v];
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** The diagnostic code for a value `validateDenoValue` refused. */
export function valueErrorCode(kind: PermKind, value: string): GrammarDiagnostic['code'] {
  if (value === '') return 'empty-value';
  return kind === 'sys' ? 'invalid-sys' : kind === 'env' ? 'invalid-env' : 'invalid-host';
}

/** A grammar diagnostic: its code and the facts its wording needs (worded by src/messages/grammar.ts, never here). */
export function diag(code: GrammarDiagnostic['code'], data: GrammarWording, span: Span, kind?: PermKind, versions?: GrammarDiagnostic['versions']): GrammarDiagnostic {
  const d: GrammarDiagnostic = kind ? { code, data, span, kind } : { code, data, span };
  if (versions) d.versions = versions;
  return d;
}
