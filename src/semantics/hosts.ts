/**
 * What a host in a net (or import) grant reaches, with Deno's rules (reference/permission-facts.md
 * §1.2 and §3): hostnames (lower-cased, a trailing dot dropped), `host:port` (no port = every
 * port), IPv4, bracketed IPv6 (IPv4-mapped IPv6 is IPv4), CIDR (`10.0.0.0/8`, `::/0`), `*.`
 * wildcards that also match the apex, `unix:` sockets, `vsock:`, and the CLI-only bare `:port`,
 * which stands for `0.0.0.0:port`, `127.0.0.1:port` and `localhost:port`. `@deno/sandbox`
 * `allowNet` entries use the same syntax.
 */
import { isIPv4, isIPv6 } from 'node:net';
import METADATA from '../../data/metadata-endpoints.json' with { type: 'json' };
import SHARED from '../../data/shared-hosting-suffixes.json' with { type: 'json' };
import PUBLIC from '../../data/public-suffixes.json' with { type: 'json' };

export type HostEntry =
  | { type: 'name'; name: string; wildcard: boolean; port?: number }
  | { type: 'ip'; family: 4 | 6; addr: bigint; prefix: number; port?: number }
  | { type: 'unix'; path: string }
  | { type: 'vsock'; cid: number; port: number };

export interface ParseHostOptions {
  /** The value was written on a command line (bare `:port` expands there only). */
  cli?: boolean;
}

function parsePort(p: string): number | undefined {
  if (!/^\d{1,5}$/.test(p)) return undefined;
  const n = Number(p);
  return n <= 65535 ? n : undefined;
}

function ipv4ToBig(s: string): bigint {
  return s.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** IPv6 text (already validated) → 128-bit integer; undefined for zone ids. */
function ipv6ToBig(s: string): bigint | undefined {
  if (s.includes('%')) return undefined;
  let text = s;
  let v4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    if (!isIPv4(last)) return undefined;
    v4 = ipv4ToBig(last);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const h = halves[0] ? halves[0].split(':') : [];
  const r = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length === 2 ? [...h, ...Array<string>(Math.max(0, 8 - h.length - r.length)).fill('0'), ...r] : h;
  if (groups.length !== 8) return undefined;
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(parseInt(g, 16));
  if (v4 !== undefined) v = (v & ~0xffffffffn) | v4;
  return v;
}

function ipEntry(family: 4 | 6, addr: bigint, prefix: number, port?: number): HostEntry {
  // IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is the IPv4 address
  if (family === 6 && prefix >= 96 && addr >> 32n === 0xffffn) {
    return ipEntry(4, addr & 0xffffffffn, prefix - 96, port);
  }
  const e: HostEntry = { type: 'ip', family, addr, prefix };
  if (port !== undefined) e.port = port;
  return e;
}

/**
 * Parse one list value as Deno reads it. Returns every host the value stands for (three for
 * a CLI `:port`), or undefined when Deno would refuse it (the grammar reports that).
 */
export function parseHost(value: string, options: ParseHostOptions = {}): HostEntry[] | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (v.startsWith('unix:')) {
    const path = v.slice(5);
    return path.startsWith('/') ? [{ type: 'unix', path: normaliseSocket(path) }] : undefined;
  }
  if (v.startsWith('vsock:')) {
    const [, cid, port] = v.split(':');
    const c = Number(cid);
    const p = parsePort(port ?? '');
    return cid !== undefined && /^-?\d+$/.test(cid) && p !== undefined ? [{ type: 'vsock', cid: c, port: p }] : undefined;
  }
  if (v.startsWith(':') && !v.startsWith('::')) {
    if (!options.cli) return undefined;
    const p = parsePort(v.slice(1));
    if (p === undefined) return undefined;
    return [ipEntry(4, 0n, 32, p), ipEntry(4, ipv4ToBig('127.0.0.1'), 32, p), { type: 'name', name: 'localhost', wildcard: false, port: p }];
  }
  if (v.startsWith('[')) {
    const close = v.indexOf(']');
    if (close < 0) return undefined;
    const ip = v.slice(1, close);
    const rest = v.slice(close + 1);
    let port: number | undefined;
    if (rest) {
      if (!rest.startsWith(':')) return undefined;
      port = parsePort(rest.slice(1));
      if (port === undefined) return undefined;
    }
    if (!isIPv6(ip)) return undefined;
    const addr = ipv6ToBig(ip);
    return addr === undefined ? undefined : [ipEntry(6, addr, 128, port)];
  }
  const slash = v.indexOf('/');
  if (slash >= 0) {
    const ip = v.slice(0, slash);
    const bitsText = v.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bitsText)) return undefined;
    const bits = Number(bitsText);
    if (isIPv4(ip) && bits <= 32) return [ipEntry(4, ipv4ToBig(ip), bits)];
    const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
    if (isIPv6(bare) && bits <= 128) {
      const addr = ipv6ToBig(bare);
      return addr === undefined ? undefined : [ipEntry(6, addr, bits)];
    }
    return undefined;
  }
  const colons = v.split(':').length - 1;
  if (colons > 1) return undefined; // IPv6 must be bracketed
  let host = v;
  let port: number | undefined;
  if (colons === 1) {
    host = v.slice(0, v.indexOf(':'));
    port = parsePort(v.slice(v.indexOf(':') + 1));
    if (port === undefined) return undefined;
  }
  if (host === '') return undefined;
  if (isIPv4(host)) return [ipEntry(4, ipv4ToBig(host), 32, port)];
  let name = host.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  const wildcard = name.startsWith('*.');
  if (wildcard) name = name.slice(2);
  if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(name)) return undefined;
  const e: HostEntry = { type: 'name', name, wildcard };
  if (port !== undefined) e.port = port;
  return [e];
}

/** `/var/run` is a symlink to `/run` on current Linux distributions. */
function normaliseSocket(path: string): string {
  const segs: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segs.pop();
    else segs.push(s);
  }
  const p = `/${segs.join('/')}`;
  return p.startsWith('/var/run/') ? p.slice(4) : p;
}

function hostCovers(a: HostEntry, b: HostEntry): boolean {
  if (a.type === 'name' && b.type === 'name') {
    if (!a.wildcard) return !b.wildcard && a.name === b.name;
    return b.name === a.name || b.name.endsWith(`.${a.name}`);
  }
  if (a.type === 'ip' && b.type === 'ip') {
    if (a.family !== b.family || a.prefix > b.prefix) return false;
    const bits = BigInt(a.family === 4 ? 32 : 128);
    const shift = bits - BigInt(a.prefix);
    return a.addr >> shift === b.addr >> shift;
  }
  if (a.type === 'unix' && b.type === 'unix') return a.path === b.path;
  if (a.type === 'vsock' && b.type === 'vsock') return (a.cid === -1 || a.cid === b.cid) && a.port === b.port;
  return false;
}

function portOf(e: HostEntry): number | undefined {
  return e.type === 'name' || e.type === 'ip' ? e.port : undefined;
}

/** `a` reaches the address of `b`, whatever the ports. */
export function coversAddress(a: HostEntry, b: HostEntry): boolean {
  return hostCovers(a, b);
}

/** `a` grants everything `b` stands for (every port of `b` when `b` has none). */
export function covers(a: HostEntry, b: HostEntry): boolean {
  if (!hostCovers(a, b)) return false;
  const pa = portOf(a);
  return pa === undefined || pa === portOf(b);
}

/** `a` grants at least part of `b` (some address, some port). */
export function overlaps(a: HostEntry, b: HostEntry): boolean {
  if (!hostCovers(a, b) && !hostCovers(b, a)) return false;
  const pa = portOf(a);
  const pb = portOf(b);
  return pa === undefined || pb === undefined || pa === pb;
}

/** Display form in Deno's syntax. */
export function showHost(e: HostEntry): string {
  switch (e.type) {
    case 'name':
      return `${e.wildcard ? '*.' : ''}${e.name}${e.port !== undefined ? `:${e.port}` : ''}`;
    case 'unix':
      return `unix:${e.path}`;
    case 'vsock':
      return `vsock:${e.cid}:${e.port}`;
    case 'ip': {
      const text = e.family === 4 ? showIPv4(e.addr) : showIPv6(e.addr);
      const full = e.family === 4 ? 32 : 128;
      if (e.prefix < full) return `${text}/${e.prefix}`;
      const withBrackets = e.family === 6 ? `[${text}]` : text;
      return e.port !== undefined ? `${withBrackets}:${e.port}` : withBrackets;
    }
  }
}

function showIPv4(a: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((a >> s) & 0xffn)).join('.');
}

function showIPv6(a: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((a >> BigInt(i * 16)) & 0xffffn));
  // compress the longest run of zero groups
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

/** Whether a hostname is a public suffix: every single label (`com`, `io`) and the listed multi-label ones (`co.uk`). */
export function isPublicSuffix(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return !n.includes('.') || PUBLIC_SUFFIXES.has(n);
}

const PUBLIC_SUFFIXES = new Set((PUBLIC as { suffixes: string[] }).suffixes.map((s) => s.toLowerCase()));
export const SHARED_HOSTING_SUFFIXES: readonly string[] = (SHARED as { suffixes: string[] }).suffixes.map((s) => s.toLowerCase());

/** The shared-hosting suffix a wildcard `*.<name>` lets anyone register under, if any. */
export function sharedHostingUnder(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  return SHARED_HOSTING_SUFFIXES.find((s) => s === n || s.endsWith(`.${n}`));
}

export interface SensitiveTarget {
  entry: HostEntry;
  text: string;
  why: string;
  /** `metadata`, `socket`, `everything`, `private-range`, `loopback`. */
  group: 'metadata' | 'socket' | 'everything' | 'private-range' | 'loopback';
}

interface MetadataFile {
  metadata: { host: string; why: string }[];
  sockets: { path: string; why: string }[];
  everything: { host: string; why: string }[];
  privateRanges: { host: string; why: string }[];
  loopback: { hosts: string[] };
}

function targets(): SensitiveTarget[] {
  const m = METADATA as MetadataFile;
  const out: SensitiveTarget[] = [];
  const add = (text: string, why: string, group: SensitiveTarget['group']) => {
    const entries = parseHost(text);
    if (!entries) throw new Error(`data/metadata-endpoints.json: \`${text}\` is not a host Deno accepts`);
    for (const entry of entries) out.push({ entry, text, why, group });
  };
  for (const x of m.metadata) add(x.host, x.why, 'metadata');
  for (const x of m.sockets) add(`unix:${x.path}`, x.why, 'socket');
  for (const x of m.everything) add(x.host, x.why, 'everything');
  for (const x of m.privateRanges) add(x.host, x.why, 'private-range');
  for (const h of m.loopback.hosts) add(h, 'every service on this machine (databases, admin ports, the Docker API)', 'loopback');
  return out;
}

export const SENSITIVE_TARGETS: readonly SensitiveTarget[] = targets();

/**
 * What a granted host reaches from the sensitive list:
 * - metadata endpoints and sockets: reached when the grant reaches any port of them;
 * - everything / whole private ranges: when the grant covers the whole range;
 * - loopback: when the grant covers every port of it (`localhost`, not `localhost:8080`).
 */
export function sensitiveReach(grant: HostEntry): SensitiveTarget[] {
  const out: SensitiveTarget[] = [];
  for (const t of SENSITIVE_TARGETS) {
    const hit = t.group === 'metadata' || t.group === 'socket' ? hostCovers(grant, t.entry) : covers(grant, t.entry);
    if (hit) out.push(t);
  }
  return out;
}

/** Parse trusted hosts once: entries, and the raw strings for those that do not parse. */
export function trustedHosts(list: readonly string[]): { entries: HostEntry[]; raw: Set<string> } {
  const entries: HostEntry[] = [];
  const raw = new Set<string>();
  for (const t of list) {
    raw.add(t.toLowerCase());
    let text = t;
    // allow URLs in the config (`https://api.example.com`) — the host is what counts
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
      try {
        const u = new URL(t);
        text = u.port ? `${u.hostname}:${u.port}` : u.hostname;
      } catch {
        continue;
      }
    }
    entries.push(...(parseHost(text, { cli: true }) ?? []));
  }
  return { entries, raw };
}

/** Whether a trusted list covers this host entirely. */
export function isTrustedHost(e: HostEntry, trusted: { entries: HostEntry[]; raw: Set<string> }): boolean {
  return trusted.raw.has(showHost(e)) || trusted.entries.some((t) => covers(t, e));
}
