/**
 * What a runtime answers when asked about one resource, given effective permissions:
 * `queryDeno` mirrors `Deno.permissions.querySync` (Deno 2.9.6), `queryNode` mirrors
 * `process.permission.has` (Node 20 permission model).
 *
 * Deno keeps, per permission kind, one list of allow / deny / ignore descriptors sorted
 * "most specific first" and answers with the first entry that matches the query
 * (runtime/permissions/lib.rs, `query_allowed_desc_for_exact_match`); only when no entry
 * matches do the bare flags (`--allow-x`, `--deny-x`, `--ignore-x`) decide. This file
 * rebuilds that list with the same ordering (including its quirks: the list is built by
 * binary-search insertion with a comparator that is not a total order, and wildcard hosts
 * are ordered by their DNS wire bytes) so that the answers agree with the real binary.
 * See reference/permission-facts.md §1.2 for the observable rules.
 */
// (Node's net.isIPv4 / isIPv6, read by hand: ./ip.ts)
import { isIPv4, isIPv6 } from './ip.js';
import type { EffectivePermissions, KindState, PermissionGrant } from '../model.js';

export type QueryState = 'granted' | 'prompt' | 'denied';

export type DenoDescriptor =
  | { name: 'read' | 'write' | 'ffi'; path?: string }
  | { name: 'net' | 'import'; host?: string }
  | { name: 'env'; variable?: string }
  | { name: 'sys'; kind?: string }
  | { name: 'run'; command?: string };

export interface DenoQueryOptions {
  /**
   * Resolve a program name through PATH (what Deno does at start-up for `--allow-run=name`
   * and for a queried command name). Without it, names are compared as written: an allowed
   * name matches the same name and any path whose file name is that name.
   */
  which?: (name: string) => string | undefined;
}

// ---------------------------------------------------------------------------------------
// Rust-compatible ordering helpers

type Ord = -1 | 0 | 1;

function cmpNum(a: number, b: number): Ord {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpStr(a: string, b: string): Ord {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpArr<T>(a: readonly T[], b: readonly T[], cmp: (x: T, y: T) => Ord): Ord {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmp(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return cmpNum(a.length, b.length);
}

function flip(o: Ord): Ord {
  return (o === 0 ? 0 : -o) as Ord;
}

/**
 * Insert into a sorted vector the way Rust's `Vec::binary_search` + `insert` does
 * (the branch-free binary search of current Rust std); equal elements are not inserted twice.
 */
function rustInsert<T>(list: T[], item: T, cmp: (elem: T, item: T) => Ord): void {
  let size = list.length;
  if (size === 0) {
    list.push(item);
    return;
  }
  let base = 0;
  while (size > 1) {
    const half = Math.floor(size / 2);
    const mid = base + half;
    if (cmp(list[mid]!, item) !== 1) base = mid;
    size -= half;
  }
  const c = cmp(list[base]!, item);
  if (c === 0) return;
  list.splice(base + (c === -1 ? 1 : 0), 0, item);
}

// ---------------------------------------------------------------------------------------
// Paths

/** Absolute, lexically normalised path split into components (Rust `Path::components`). */
function pathComponents(value: string, cwd: string): string[] {
  const base = cwd.startsWith('/') ? cwd : `/${cwd}`;
  const full = value.startsWith('/') ? value : `${base}/${value}`;
  const out: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

function startsWith(path: string[], base: string[]): boolean {
  return base.length <= path.length && base.every((c, i) => path[i] === c);
}

function pathEq(a: string[], b: string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

/** `PathDescriptor::cmp_allow_allow` (also used deny–deny). */
function cmpPathSame(a: string[], b: string[]): Ord {
  if (pathEq(a, b)) return 0;
  if (startsWith(b, a)) return 1;
  if (startsWith(a, b)) return -1;
  return cmpArr(a, b, cmpStr);
}

/** `PathDescriptor::cmp_allow_deny`. */
function cmpPathAllowDeny(allow: string[], deny: string[]): Ord {
  if (startsWith(deny, allow)) return 1;
  if (startsWith(allow, deny)) return -1;
  return 1;
}

function fileStem(path: string[]): string | undefined {
  const name = path[path.length - 1];
  if (name === undefined) return undefined;
  if (name === '..') return name;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return name;
  return name.slice(0, dot);
}

/** `denies_run_name`: `deno` denies `/usr/bin/deno`, `/x/DENO.exe`, `/x/deno.sh`. */
function deniesRunName(name: string, cmdPath: string[]): boolean {
  const stem = fileStem(cmdPath);
  if (stem === undefined || stem.length < name.length) return false;
  if (stem.slice(0, name.length).toLowerCase() !== name.toLowerCase()) return false;
  const suffix = stem.slice(name.length);
  return suffix === '' || suffix.startsWith('.');
}

// ---------------------------------------------------------------------------------------
// Hosts

type Host =
  | { t: 'fqdn'; wire: number[]; name: string }
  | { t: 'wild'; wire: number[]; name: string }
  | { t: 'ip'; v: 4 | 6; bytes: number[] }
  | { t: 'vsock'; cid: number }
  | { t: 'subnet'; v: 4 | 6; bytes: number[]; prefix: number }
  | { t: 'unix'; path: string[] };

interface NetDesc {
  host: Host;
  port: number | undefined;
}

const HOST_ORDER: Record<Host['t'], number> = { fqdn: 0, wild: 1, ip: 2, vsock: 3, subnet: 4, unix: 5 };

function ipv4Bytes(s: string): number[] {
  return s.split('.').map(Number);
}

/** 16 bytes of an IPv6 address (accepts `::`, embedded IPv4 and a `%zone`). */
function ipv6Bytes(input: string): number[] {
  const s = input.includes('%') ? input.slice(0, input.indexOf('%')) : input;
  let groups: number[] = [];
  const parse = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const b = ipv4Bytes(g);
        out.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    const head = parse(s.slice(0, dbl));
    const tail = parse(s.slice(dbl + 2));
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else groups = parse(s);
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function ipHost(bytes: number[], v: 4 | 6): Host {
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 address
  if (v === 6 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return { t: 'ip', v: 4, bytes: bytes.slice(12) };
  }
  return { t: 'ip', v, bytes };
}

function isRustIPv4(s: string): boolean {
  // Rust's Ipv4Addr parser: four decimal octets, no leading zeros
  return isIPv4(s) && s.split('.').every((p) => p === '0' || !p.startsWith('0'));
}

function fqdnWire(name: string): number[] {
  const out: number[] = [];
  for (const label of name.replace(/\.$/, '').split('.')) {
    out.push(label.length);
    for (const ch of label) out.push(ch.charCodeAt(0));
  }
  out.push(0);
  return out;
}

function parseHost(s: string, wildcards: boolean): Host | undefined {
  if (s.startsWith('[') && s.endsWith(']')) {
    const inner = s.slice(1, -1);
    return isIPv6(inner.split('%')[0]!) ? ipHost(ipv6Bytes(inner), 6) : undefined;
  }
  const noDot = s.endsWith('.') ? s.slice(0, -1) : s;
  if (isRustIPv4(noDot)) return s === noDot ? ipHost(ipv4Bytes(noDot), 4) : undefined;
  if (isIPv6(noDot.split('%')[0]!)) return s === noDot ? ipHost(ipv6Bytes(noDot), 6) : undefined;
  const slash = s.indexOf('/');
  if (slash > 0) {
    const ip = s.slice(0, slash);
    const bits = s.slice(slash + 1);
    if (/^\d+$/.test(bits)) {
      if (isRustIPv4(ip) && Number(bits) <= 32) return { t: 'subnet', v: 4, bytes: ipv4Bytes(ip), prefix: Number(bits) };
      if (isIPv6(ip) && Number(bits) <= 128) return { t: 'subnet', v: 6, bytes: ipv6Bytes(ip), prefix: Number(bits) };
    }
  }
  let name = s.toLowerCase();
  let wild = false;
  if (wildcards && name.startsWith('*.')) {
    name = name.slice(2);
    wild = true;
  }
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare === '' || !bare.split('.').every((l) => /^[a-z0-9_-]{1,63}$/.test(l))) return undefined;
  return wild ? { t: 'wild', wire: fqdnWire(bare), name: bare } : { t: 'fqdn', wire: fqdnWire(bare), name: bare };
}

/** `NetDescriptor::parse_for_list` / `parse_for_query`. */
function parseNet(value: string, wildcards: boolean, cwd: string): NetDesc | undefined {
  if (value.startsWith('unix:')) {
    const p = value.slice(5);
    return p.startsWith('/') ? { host: { t: 'unix', path: pathComponents(p, cwd) }, port: undefined } : undefined;
  }
  if (value.startsWith('vsock:')) {
    const [cid, port] = value.slice(6).split(':');
    const c = cid === '-1' ? 0xffffffff : /^\d+$/.test(cid ?? '') ? Number(cid) : NaN;
    if (Number.isNaN(c) || !/^\d+$/.test(port ?? '')) return undefined;
    return { host: { t: 'vsock', cid: c }, port: Number(port) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  const validPort = (p: string) => /^\d+$/.test(p) && Number(p) <= 65535;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return undefined;
    const host = parseHost(value.slice(0, close + 1), false);
    const after = value.slice(close + 1);
    if (!host) return undefined;
    if (after === '') return { host, port: undefined };
    if (!after.startsWith(':') || !validPort(after.slice(1))) return undefined;
    return { host, port: Number(after.slice(1)) };
  }
  const colon = value.indexOf(':');
  const hostPart = colon < 0 ? value : value.slice(0, colon);
  const portPart = colon < 0 ? '' : value.slice(colon + 1);
  if (colon >= 0 && portPart === '') return undefined;
  const host = parseHost(hostPart, wildcards);
  if (!host) return undefined;
  if (portPart === '') return { host, port: undefined };
  if (!validPort(portPart)) return undefined;
  return { host, port: Number(portPart) };
}

function cmpHost(a: Host, b: Host): Ord {
  const o = cmpNum(HOST_ORDER[a.t], HOST_ORDER[b.t]);
  if (o !== 0) return o;
  if ((a.t === 'fqdn' || a.t === 'wild') && (b.t === 'fqdn' || b.t === 'wild')) return cmpArr(a.wire, b.wire, cmpNum);
  if (a.t === 'ip' && b.t === 'ip') return cmpNum(a.v, b.v) || cmpArr(a.bytes, b.bytes, cmpNum);
  if (a.t === 'subnet' && b.t === 'subnet') return cmpNum(a.v, b.v) || cmpArr(a.bytes, b.bytes, cmpNum) || cmpNum(a.prefix, b.prefix);
  if (a.t === 'vsock' && b.t === 'vsock') return cmpNum(a.cid, b.cid);
  if (a.t === 'unix' && b.t === 'unix') return cmpArr(a.path, b.path, cmpStr);
  return 0;
}

function cmpOptPort(a: number | undefined, b: number | undefined): Ord {
  if (a === undefined) return b === undefined ? 0 : -1;
  return b === undefined ? 1 : cmpNum(a, b);
}

/** `NetDescriptor::cmp_allow` (also deny–deny). */
function cmpNet(a: NetDesc, b: NetDesc): Ord {
  const ap = a.port !== undefined;
  const bp = b.port !== undefined;
  if (ap && !bp) return -1;
  if (!ap && bp) return 1;
  return cmpHost(a.host, b.host) || cmpOptPort(a.port, b.port);
}

function subnetContains(net: { v: 4 | 6; bytes: number[]; prefix: number }, ip: { v: 4 | 6; bytes: number[] }): boolean {
  if (net.v !== ip.v) return false;
  let bits = net.prefix;
  for (let i = 0; i < net.bytes.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((net.bytes[i]! & mask) !== (ip.bytes[i]! & mask)) return false;
  }
  return true;
}

/** `NetDescriptor::matches_allow`: does list entry `entry` cover query `q`. */
function netMatches(q: NetDesc, entry: NetDesc): boolean {
  if (entry.port !== undefined && q.port !== entry.port) return false;
  const a = entry.host;
  const b = q.host;
  if (a.t === 'fqdn' && b.t === 'fqdn') return a.name === b.name;
  if (a.t === 'wild' && b.t === 'fqdn') return b.name === a.name || b.name.endsWith(`.${a.name}`);
  if (a.t === 'wild' && b.t === 'wild') return a.name === b.name;
  if (a.t === 'ip' && b.t === 'ip') return a.v === b.v && a.bytes.every((x, i) => x === b.bytes[i]);
  if (a.t === 'vsock' && b.t === 'vsock') return a.cid === b.cid;
  if (a.t === 'subnet' && b.t === 'ip') return subnetContains(a, b);
  if (a.t === 'unix' && b.t === 'unix') return pathEq(a.path, b.path);
  return false;
}

// ---------------------------------------------------------------------------------------
// Env

type EnvDesc = { pattern: boolean; name: string };

function parseEnv(v: string): EnvDesc {
  return v.endsWith('*') ? { pattern: true, name: v.slice(0, -1) } : { pattern: false, name: v };
}

function cmpEnv(a: EnvDesc, b: EnvDesc): Ord {
  if (!a.pattern) return b.pattern ? -1 : cmpStr(a.name, b.name);
  return b.pattern ? cmpStr(b.name, a.name) : 1;
}

// ---------------------------------------------------------------------------------------
// The generic sorted list

/** One kind's comparison and matching rules, over parsed descriptors `D` and a query `Q`. */
interface KindRules<D, Q> {
  cmpAllowAllow(a: D, b: D): Ord;
  /** Allow vs deny; 0 means "equally specific" (the deny then comes first). */
  cmpAllowDeny(a: D, d: D): Ord;
  cmpDenyDeny(a: D, b: D): Ord;
  matchesAllow(q: Q, d: D): boolean;
  matchesDeny(q: Q, d: D): boolean;
}

type Entry<D> = { mode: 'allow'; d: D } | { mode: 'deny' | 'ignore'; d: D };

const KIND_PRECEDENCE = { deny: 0, ignore: 2, allow: 3 } as const;
const DENY_ORDER = { deny: 0, ignore: 2 } as const;

function cmpEntry<D, Q>(rules: KindRules<D, Q>, self: Entry<D>, other: Entry<D>): Ord {
  if (self.mode === 'allow') {
    if (other.mode === 'allow') return rules.cmpAllowAllow(self.d, other.d);
    const c = rules.cmpAllowDeny(self.d, other.d);
    return c === 0 ? cmpNum(KIND_PRECEDENCE.allow, KIND_PRECEDENCE[other.mode]) : c;
  }
  if (other.mode === 'allow') {
    const c = rules.cmpAllowDeny(other.d, self.d);
    return c === 0 ? cmpNum(KIND_PRECEDENCE[self.mode], KIND_PRECEDENCE.allow) : flip(c);
  }
  return rules.cmpDenyDeny(self.d, other.d) || cmpNum(DENY_ORDER[self.mode], DENY_ORDER[other.mode]);
}

interface Lists<D> {
  allow: D[] | 'all' | undefined;
  deny: D[] | 'all' | undefined;
  ignore: D[] | 'all' | undefined;
}

function answer<D, Q>(rules: KindRules<D, Q>, lists: Lists<D>, q: Q | undefined): QueryState {
  const entries: Entry<D>[] = [];
  const cmp = (a: Entry<D>, b: Entry<D>) => cmpEntry(rules, a, b);
  for (const mode of ['allow', 'deny', 'ignore'] as const) {
    const l = lists[mode];
    if (Array.isArray(l)) for (const d of l) rustInsert(entries, { mode, d } as Entry<D>, cmp);
  }
  if (q !== undefined) {
    for (const e of entries) {
      if (e.mode === 'allow' ? rules.matchesAllow(q, e.d) : rules.matchesDeny(q, e.d)) return e.mode === 'allow' ? 'granted' : 'denied';
    }
  }
  if (lists.ignore === 'all' || lists.deny === 'all') return 'denied';
  return lists.allow === 'all' ? 'granted' : 'prompt';
}

function mapList<D>(l: KindState['allow'], f: (v: string) => D | undefined): D[] | 'all' | undefined {
  if (l === 'all') return 'all';
  if (l.length === 0) return undefined;
  return l.flatMap((v) => {
    const d = f(v);
    return d === undefined ? [] : [d];
  });
}

function lists<D>(st: KindState, f: (v: string) => D | undefined): Lists<D> {
  return { allow: mapList(st.allow, f), deny: mapList(st.deny, f), ignore: mapList(st.ignore, f) };
}

const PATH_RULES: KindRules<string[], string[]> = {
  cmpAllowAllow: cmpPathSame,
  cmpAllowDeny: cmpPathAllowDeny,
  cmpDenyDeny: cmpPathSame,
  matchesAllow: (q, d) => startsWith(q, d),
  matchesDeny: (q, d) => startsWith(q, d),
};

const NET_RULES: KindRules<NetDesc, NetDesc> = {
  cmpAllowAllow: cmpNet,
  cmpAllowDeny: (a, d) => cmpNet(a, d) || 1,
  cmpDenyDeny: cmpNet,
  matchesAllow: netMatches,
  matchesDeny: netMatches,
};

const ENV_RULES: KindRules<EnvDesc, string> = {
  cmpAllowAllow: cmpEnv,
  cmpAllowDeny: (a, d) => cmpEnv(a, d) || 1,
  cmpDenyDeny: cmpEnv,
  matchesAllow: (q, d) => (d.pattern ? q.startsWith(d.name) : q === d.name),
  matchesDeny: (q, d) => (d.pattern ? q.startsWith(d.name) : q === d.name),
};

const SYS_RULES: KindRules<string, string> = {
  cmpAllowAllow: cmpStr,
  cmpAllowDeny: () => 1,
  cmpDenyDeny: cmpStr,
  matchesAllow: (q, d) => q === d,
  matchesDeny: (q, d) => q === d,
};

/** Run: allow entries are resolved paths; deny entries are names or paths. */
type RunDesc = { t: 'name'; name: string } | { t: 'path'; path: string[] };
type RunQuery = RunDesc;

const RUN_RULES: KindRules<RunDesc, RunQuery> = {
  cmpAllowAllow: (a, b) => (a.t === 'path' && b.t === 'path' ? cmpPathSame(a.path, b.path) : a.t === 'name' && b.t === 'name' ? cmpStr(a.name, b.name) : a.t === 'path' ? -1 : 1),
  cmpAllowDeny: (_a, d) => (d.t === 'name' ? -1 : 1),
  cmpDenyDeny: (a, b) => {
    if (a.t === 'name') return b.t === 'name' ? cmpStr(a.name, b.name) : 1;
    return b.t === 'name' ? -1 : cmpPathSame(a.path, b.path);
  },
  matchesAllow: (q, d) => {
    // name entries only exist without a PATH resolver: a name then stands for any program file of that name
    if (q.t === 'path') return d.t === 'path' ? pathEq(q.path, d.path) : q.path[q.path.length - 1] === d.name;
    return d.t === 'name' && q.name === d.name;
  },
  matchesDeny: (q, d) => {
    if (d.t === 'name') return q.t === 'path' ? deniesRunName(d.name, q.path) : q.name === d.name;
    return q.t === 'path' ? startsWith(q.path, d.path) : deniesRunName(q.name, d.path);
  },
};

const SYS_ALIASES: Record<string, string> = { username: 'userInfo' };

function isRunPath(v: string): boolean {
  return v.includes('/');
}

/**
 * Deno's answer for one permission descriptor. `cwd` (absolute, or repo-relative) resolves
 * relative paths in both the grants and the descriptor. A descriptor without its field
 * (`{ name: 'read' }`) asks about the whole kind.
 */
export function queryDeno(effective: EffectivePermissions, desc: DenoDescriptor, cwd: string, options: DenoQueryOptions = {}): QueryState {
  const which = options.which;
  switch (desc.name) {
    case 'read':
    case 'ffi':
      return answer(PATH_RULES, lists(effective[desc.name], (v) => pathComponents(v, cwd)), desc.path === undefined ? undefined : pathComponents(desc.path, cwd));
    case 'write': {
      const l = lists(effective.write, (v) => pathComponents(v, cwd));
      // every program allowed by --allow-run is write-protected (Permissions::from_options)
      const runPaths = resolvedRunAllow(effective.run.allow, cwd, which).flatMap((r) => (r.t === 'path' ? [r.path] : []));
      // (Deno appends them to the deny list, so a bare --deny-write then becomes that list alone)
      if (runPaths.length > 0) l.deny = [...(Array.isArray(l.deny) ? l.deny : []), ...runPaths];
      return answer(PATH_RULES, l, desc.path === undefined ? undefined : pathComponents(desc.path, cwd));
    }
    case 'net':
    case 'import': {
      const st = effective[desc.name];
      const q = desc.host === undefined ? undefined : parseNet(desc.host, false, cwd);
      if (desc.host !== undefined && !q) return 'prompt';
      return answer(NET_RULES, lists(st, (v) => parseNet(v, true, cwd)), q);
    }
    case 'env':
      return answer(ENV_RULES, lists(effective.env, parseEnv), desc.variable);
    case 'sys': {
      const norm = (v: string) => SYS_ALIASES[v] ?? v;
      return answer(SYS_RULES, lists(effective.sys, norm), desc.kind === undefined ? undefined : norm(desc.kind));
    }
    case 'run': {
      const st = effective.run;
      const allow: Lists<RunDesc>['allow'] = st.allow === 'all' ? 'all' : st.allow.length === 0 ? undefined : resolvedRunAllow(st.allow, cwd, which);
      // names that resolve nowhere are dropped; when all are, there is no grant at all
      const l: Lists<RunDesc> = {
        allow: Array.isArray(allow) && allow.length === 0 ? undefined : allow,
        deny: mapList(st.deny, (v): RunDesc => (isRunPath(v) ? { t: 'path', path: pathComponents(v, cwd) } : { t: 'name', name: v })),
        ignore: undefined,
      };
      let q: RunQuery | undefined;
      if (desc.command !== undefined) {
        if (isRunPath(desc.command)) q = { t: 'path', path: pathComponents(desc.command, cwd) };
        else {
          const resolved = which ? which(desc.command) : undefined;
          q = resolved ? { t: 'path', path: pathComponents(resolved, cwd) } : { t: 'name', name: desc.command };
        }
      }
      return answer(RUN_RULES, l, q);
    }
  }
}

function resolvedRunAllow(allow: KindState['allow'], cwd: string, which: DenoQueryOptions['which']): RunDesc[] {
  if (allow === 'all') return [];
  return allow.flatMap((v): RunDesc[] => {
    if (isRunPath(v)) return [{ t: 'path', path: pathComponents(v, cwd) }];
    if (!which) return [{ t: 'name', name: v }];
    const p = which(v);
    return p ? [{ t: 'path', path: pathComponents(p, cwd) }] : [];
  });
}

// ---------------------------------------------------------------------------------------
// Node

export type NodeScope = 'fs' | 'fs.read' | 'fs.write' | 'child' | 'worker' | 'addon' | 'ffi' | 'wasi' | 'inspector' | 'net' | (string & {});

export interface NodeQueryOptions {
  /** Working directory of the process (absolute); relative grants and references resolve against it. */
  cwd?: string;
  /**
   * Whether a granted path is an existing directory at start-up (Node then grants its subtree).
   * Defaults to "yes", the reading a linter wants for a grant such as `--allow-fs-read=./data`.
   */
  isDirectory?: (absolutePath: string) => boolean;
  /**
   * Node version whose `has` to mirror (default: current lines). Node 20's `has('addon')` answers
   * `false` even with `--allow-addons` (the flag still lets addons load; only the query does not know the scope).
   */
  version?: string;
}

/**
 * Node's answer to `process.permission.has(scope, reference)` (Node 20 semantics: a granted
 * directory covers its subtree; a `*` ends the path and everything after it is ignored; the
 * fs grants are matched with Node's radix tree, whose quirks this reproduces).
 * Scopes Node does not know answer `false`.
 */
export function queryNode(effective: EffectivePermissions, scope: NodeScope, reference?: string, options: NodeQueryOptions = {}): boolean {
  const cwd = options.cwd ?? '/';
  switch (scope) {
    case 'fs':
      return effective.read.allow === 'all' && effective.write.allow === 'all';
    case 'fs.read':
    case 'fs.write': {
      const st = effective[scope === 'fs.read' ? 'read' : 'write'];
      if (st.allow === 'all') return true;
      if (st.allow.length === 0) return false;
      // no reference asks "every path": Node 22+ answers that only for `*`, Node 20 looks up the working folder
      if (reference === undefined && nodeMajor(options) > 20) return false;
      return nodeFsTree(st.allow, options).lookup(resolveNodePath(reference ?? '', cwd), true);
    }
    case 'child':
      return effective.run.allow === 'all';
    case 'worker':
      return effective.worker.allow === 'all';
    case 'addon':
      return nodeMajor(options) > 20 && effective.ffi.allow === 'all' && (effective.ffi.nodeScopes?.includes('addon') ?? true);
    case 'ffi':
      // `--allow-ffi` and its scope are Node 26.1+ (`has('ffi')` is false before)
      return nodeAtLeast(options, 26, 1) && effective.ffi.allow === 'all' && (effective.ffi.nodeScopes?.includes('ffi') ?? true);
    case 'wasi':
      return effective.wasi.allow === 'all';
    case 'inspector':
      return effective.inspector.allow === 'all';
    case 'net':
      // before Node 25 `has('net')` is false: the network is not gated, and the scope is unknown
      return nodeMajor(options) >= 25 && effective.net.allow === 'all';
    default:
      return false;
  }
}

function nodeMajor(options: NodeQueryOptions): number {
  return Number((options.version ?? '99').split('.')[0]);
}

function nodeAtLeast(options: NodeQueryOptions, major: number, minor: number): boolean {
  const [a, b] = (options.version ?? '99.0').split('.').map(Number);
  return a! > major || (a === major && (b ?? 0) >= minor);
}

function nodeFsTree(paths: readonly string[], options: NodeQueryOptions): RadixTree {
  const tree = new RadixTree();
  for (const raw of paths) {
    const path = wildcardIfDir(resolveNodePath(raw, options.cwd ?? '/'), options.isDirectory ?? (() => true));
    // Node 20 inserts every path; later lines first look the path up and skip what is already granted
    if (nodeMajor(options) <= 20 || !tree.lookup(path, false)) tree.insert(path);
  }
  return tree;
}

/**
 * Node 20 aborts at start-up (a failed `CHECK` in its radix tree) when two `--allow-fs-read`
 * (or two `--allow-fs-write`) paths end on the same tree node — the same path twice, `./data`
 * next to `/abs/data`, or `dir/*.txt` next to `dir`. Returns the kinds whose grants do that.
 */
export function nodeFsGrantsAbort(grants: readonly PermissionGrant[], options: NodeQueryOptions = {}): ('read' | 'write')[] {
  if (nodeMajor(options) > 20) return [];
  return (['read', 'write'] as const).filter((k) => {
    const values: string[] = [];
    for (const g of grants) {
      if (g.kind !== k || g.mode !== 'allow') continue;
      if (g.scope === 'all') break; // `*`: Node grants everything and reads no further path
      values.push(...g.scope.map((v) => v.value));
    }
    return nodeFsTree(values, options).aborted;
  });
}

/** `path.resolve` against `cwd`, posix. */
function resolveNodePath(p: string, cwd: string): string {
  const parts = pathComponents(p, cwd);
  return `/${parts.join('/')}`;
}

function wildcardIfDir(p: string, isDirectory: (p: string) => boolean): string {
  if (p.includes('*') || !isDirectory(p)) return p;
  return p.endsWith('/') ? `${p}*` : `${p}/*`;
}

class RadixNode {
  children = new Map<string, RadixNode>();
  wildcard: RadixNode | undefined;
  leaf = false;
  constructor(public prefix = '') {}

  createChild(pathPrefix: string, tree: RadixTree): RadixNode {
    if (pathPrefix === '' && !this.leaf) {
      this.leaf = true;
      return this;
    }
    if (pathPrefix === '') {
      tree.aborted = true; // CHECK(!path_prefix.empty()) fails in Node
      return this;
    }
    const label = pathPrefix[0]!;
    const child = this.children.get(label);
    if (!child) {
      const n = new RadixNode(pathPrefix);
      this.children.set(label, n);
      return n;
    }
    let i = 0;
    for (; i < child.prefix.length; i++) {
      if (i > pathPrefix.length || pathPrefix[i] !== child.prefix[i]) {
        const parentPrefix = child.prefix.slice(0, i);
        const childPrefix = child.prefix.slice(i);
        child.prefix = childPrefix;
        const split = new RadixNode(parentPrefix);
        split.children.set(childPrefix[0]!, child);
        this.children.set(parentPrefix[0]!, split);
        return split.createChild(pathPrefix.slice(i), tree);
      }
    }
    child.leaf = true;
    return child.createChild(pathPrefix.slice(i), tree);
  }

  createWildcard(): RadixNode {
    this.wildcard ??= new RadixNode();
    return this.wildcard;
  }

  next(path: string, start: number): RadixNode | undefined {
    let idx = start;
    if (idx >= path.length) return undefined;
    // a wildcard child takes precedence
    if (this.children.size > 1 && this.children.has('*')) return this.children.get('*');
    const child = this.children.get(path[idx]!);
    if (!child) return undefined;
    for (let i = 0; i < path.length; i++) {
      if (i >= child.prefix.length || child.prefix[i] === '*') return child;
      if (idx >= path.length && child.prefix[i] === '/') continue;
      const ch = idx < path.length ? path[idx] : '\0';
      idx++;
      if (ch !== child.prefix[i]) return undefined;
    }
    return child;
  }

  isEnd(): boolean {
    return this.children.size === 0 || this.leaf;
  }
}

class RadixTree {
  root = new RadixNode('');
  aborted = false;

  insert(path: string): void {
    let node = this.root;
    let parentLen = this.root.prefix.length;
    for (let i = 1; i <= path.length; i++) {
      const wild = path[i - 1] === '*';
      const last = i === path.length;
      if (wild || last) node = node.createChild(path.slice(parentLen, parentLen + i), this);
      if (wild) {
        node = node.createWildcard();
        parentLen = i;
      }
    }
  }

  lookup(path: string, whenEmpty: boolean): boolean {
    let node = this.root;
    if (node.children.size === 0) return whenEmpty;
    let parentLen = node.prefix.length;
    for (;;) {
      if (parentLen === path.length && node.isEnd()) return true;
      const next = node.next(path, parentLen);
      if (!next) return false;
      node = next;
      parentLen += node.prefix.length;
      if (node.wildcard && path.length >= parentLen - 2) return true;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Static questions: what rules, semantics, audit and diff ask ("does this grant reach that
// place / host / variable?"). They go through the same matching as `queryDeno` / `queryNode`;
// nothing else in the product decides coverage.

/**
 * A path as a static linter knows it: under one of four roots, because the machine that runs
 * the program is not this one (`abs` = absolute there, `home` = under the home folder of whoever
 * runs it, `repo` = under the repository, `cwd` = under a working folder not known statically;
 * `up` counts `..` above that unknown folder). `star` is Node's `*` suffix (a prefix match on the
 * next segment; `''` = every entry of the folder).
 */
export interface Place {
  root: 'abs' | 'home' | 'repo' | 'cwd';
  segments: string[];
  star?: string;
  up?: number;
}

export type EngineRuntime = 'deno' | 'node';

/** The absolute path the engine uses for a place: the non-`abs` roots become folders under `/` (only `/` covers them). */
function placeKey(p: Place, forQuery: boolean): string {
  const prefix = p.root === 'abs' ? '' : p.root === 'cwd' ? `/\u27e8cwd${p.up ? `-${p.up}` : ''}\u27e9` : `/\u27e8${p.root}\u27e9`;
  const tail = p.segments.map((s) => `/${s}`).join('');
  if (p.star === undefined) return `${prefix}${tail}` || '/';
  // a grant keeps Node's `*`; a query about a family of siblings asks about their common prefix
  return `${prefix}${tail}/${p.star}${forQuery ? '' : '*'}`;
}

export interface PlaceGrants {
  allow: readonly Place[] | 'all';
  deny?: readonly Place[] | 'all';
  ignore?: readonly Place[] | 'all';
}

function keyList(l: readonly Place[] | 'all' | undefined): 'all' | string[] {
  if (l === undefined) return [];
  return l === 'all' ? 'all' : l.map((p) => placeKey(p, false));
}

/** The runtime's answer for a read of `query` under these path grants (Deno: allow/deny/ignore ordering; Node: its radix tree). */
export function placeState(runtime: EngineRuntime, grants: PlaceGrants, query: Place): QueryState {
  const st: KindState = { allow: keyList(grants.allow), deny: keyList(grants.deny), ignore: keyList(grants.ignore) };
  const eff = { read: st } as EffectivePermissions;
  const key = placeKey(query, true);
  if (runtime === 'node') return queryNode(eff, 'fs.read', key, { cwd: '/' }) ? 'granted' : 'prompt';
  return queryDeno(eff, { name: 'read', path: key }, '/');
}

/** A grant of `grant` reaches all of `place` (it is `place` or a folder above it). */
export function placeCovers(runtime: EngineRuntime, grant: Place, place: Place): boolean {
  return placeState(runtime, { allow: [grant] }, place) === 'granted';
}

/** Environment names: Deno strips one trailing `*` and matches the rest as a prefix; does grant `a` cover every name `b` stands for. */
export function envCovers(a: string, b: string): boolean {
  const pa = parseEnv(a);
  const pb = parseEnv(b);
  if (!pa.pattern) return !pb.pattern && pa.name === pb.name;
  return pb.name.startsWith(pa.name);
}

/** A parsed net or import value (`NetDescriptor`): host and optional port. */
export type NetValue = NetDesc;

/**
 * Parse one net/import list value the way Deno does at start-up (`NetDescriptor::parse_for_list`);
 * undefined = Deno refuses it. `cli`: a command-line value, where a bare `:port` stands for
 * `0.0.0.0:port`, `127.0.0.1:port` and `localhost:port`.
 */
export function parseNetValue(value: string, options: { cli?: boolean } = {}): NetValue[] | undefined {
  if (options.cli && /^:\d+$/.test(value)) {
    const port = Number(value.slice(1));
    if (port > 65535) return undefined;
    return [`0.0.0.0${value}`, `127.0.0.1${value}`, `localhost${value}`].map((v) => parseNet(v, true, '/')!);
  }
  const d = parseNet(value, true, '/');
  return d ? [d] : undefined;
}

function hostCovers(a: Host, b: Host): boolean {
  if (a.t === 'fqdn' && b.t === 'fqdn') return a.name === b.name;
  if (a.t === 'wild' && (b.t === 'fqdn' || b.t === 'wild')) return b.name === a.name || b.name.endsWith(`.${a.name}`);
  if (a.t === 'ip' && b.t === 'ip') return a.v === b.v && a.bytes.every((x, i) => x === b.bytes[i]);
  if (a.t === 'subnet' && b.t === 'ip') return subnetContains(a, b);
  if (a.t === 'subnet' && b.t === 'subnet') return a.prefix <= b.prefix && subnetContains(a, { v: b.v, bytes: b.bytes });
  if (a.t === 'vsock' && b.t === 'vsock') return a.cid === b.cid;
  if (a.t === 'unix' && b.t === 'unix') return pathEq(a.path, b.path);
  return false;
}

/**
 * Grant `a` covers everything `b` stands for (every port of `b` when `b` has none).
 * `anyPort`: it is enough that `a` reaches the address of `b` on some port.
 */
export function netCovers(a: NetValue, b: NetValue, options: { anyPort?: boolean } = {}): boolean {
  if (!hostCovers(a.host, b.host)) return false;
  return options.anyPort || a.port === undefined || a.port === b.port;
}

/**
 * Deno's answer for a connection to `target` under these net grants (values as written in the
 * grant, already parsed). `anyPort`: ask about the port the grant names, if any (a grant of
 * `169.254.169.254:80` still reaches the metadata service). Ranges (CIDR targets) are answered by
 * coverage, since a connection names one address.
 */
export function netState(grants: { allow: readonly NetValue[]; deny: readonly NetValue[] | 'all' }, target: NetValue, options: { anyPort?: boolean } = {}): QueryState {
  if (target.host.t === 'subnet') {
    const allowed = grants.allow.some((a) => netCovers(a, target, options));
    const denied = grants.deny === 'all' ? false : grants.deny.some((d) => netCovers(d, target, { anyPort: true }));
    return allowed && !denied ? 'granted' : denied ? 'denied' : 'prompt';
  }
  const lists: Lists<NetDesc> = { allow: grants.allow.length ? [...grants.allow] : undefined, deny: grants.deny === 'all' ? 'all' : grants.deny.length ? [...grants.deny] : undefined, ignore: undefined };
  const queries = options.anyPort && target.port === undefined ? [...new Set(grants.allow.map((a) => a.port))].map((port) => ({ host: target.host, port })) : [target];
  return queries.some((q) => answer(NET_RULES, lists, q) === 'granted') ? 'granted' : answer(NET_RULES, lists, queries[0] ?? target);
}

/** A wildcard value's name (`*.example.com` → `example.com`), else undefined. */
export function netWildcard(d: NetValue): string | undefined {
  return d.host.t === 'wild' ? d.host.name : undefined;
}

/** The host name of a name value (wildcard or not), else undefined. */
export function netName(d: NetValue): string | undefined {
  return d.host.t === 'wild' || d.host.t === 'fqdn' ? d.host.name : undefined;
}

/** Display form in Deno's syntax. */
export function showNet(d: NetValue): string {
  const h = d.host;
  const port = d.port !== undefined ? `:${d.port}` : '';
  switch (h.t) {
    case 'fqdn':
      return `${h.name}${port}`;
    case 'wild':
      return `*.${h.name}${port}`;
    case 'unix':
      return `unix:/${h.path.join('/')}`;
    case 'vsock':
      return `vsock:${h.cid === 0xffffffff ? -1 : h.cid}:${d.port ?? 0}`;
    case 'ip': {
      const text = h.v === 4 ? h.bytes.join('.') : `[${showIPv6(h.bytes)}]`;
      return `${text}${port}`;
    }
    case 'subnet':
      return `${h.v === 4 ? h.bytes.join('.') : showIPv6(h.bytes)}/${h.prefix}`;
  }
}

function showIPv6(bytes: number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
