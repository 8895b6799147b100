/**
 * What a host in a net (or import) grant reaches, with Deno's rules (reference/permission-facts.md
 * §1.2 and §3): hostnames (lower-cased, a trailing dot dropped), `host:port` (no port = every
 * port), IPv4, bracketed IPv6 (IPv4-mapped IPv6 is IPv4), IPv4 CIDR (`10.0.0.0/8`; Deno 2.9.6 refuses IPv6 CIDR), `*.`
 * wildcards that also match the apex, `unix:` sockets, `vsock:`, and the CLI-only bare `:port`,
 * which stands for `0.0.0.0:port`, `127.0.0.1:port` and `localhost:port`. `@deno/sandbox`
 * `allowNet` entries use the same syntax.
 *
 * This module keeps what hosts *mean* (metadata endpoints, sockets, private ranges, shared-hosting
 * and public suffixes) as data; whether a grant reaches one is asked of the query engine
 * (`grammar/query.ts`: `parseNetValue`, `netCovers`, `netState`).
 */
import METADATA from '../../data/metadata-endpoints.json' with { type: 'json' };
import SHARED from '../../data/shared-hosting-suffixes.json' with { type: 'json' };
import PUBLIC from '../../data/public-suffixes.json' with { type: 'json' };
import { netCovers, netState, netWildcard, parseNetValue, showNet, type NetValue } from '../grammar/query.js';

/** One host value as the query engine parsed it (Deno's `NetDescriptor`). */
export type HostEntry = NetValue;

export interface ParseHostOptions {
  /** The value was written on a command line (bare `:port` expands there only). */
  cli?: boolean;
}

/**
 * Parse one list value as Deno reads it (the query engine's parser, the one the differential
 * tests check). Returns every host the value stands for (three for a CLI `:port`), or undefined
 * when Deno would refuse it (the grammar reports that).
 */
export function parseHost(value: string, options: ParseHostOptions = {}): HostEntry[] | undefined {
  return parseNetValue(value, options);
}

/** Display form in Deno's syntax. */
export function showHost(e: HostEntry): string {
  return showNet(e);
}

/** `/var/run` is a symlink to `/run` on current Linux distributions: a socket under one is the socket under the other. */
export function socketAliases(e: HostEntry): HostEntry[] {
  const h = e.host;
  if (h.t !== 'unix') return [e];
  const [a, b, ...rest] = h.path;
  if (a === 'var' && b === 'run') return [e, { ...e, host: { t: 'unix', path: ['run', ...rest] } }];
  if (a === 'run') return [e, { ...e, host: { t: 'unix', path: ['var', 'run', ...(b !== undefined ? [b] : []), ...rest] } }];
  return [e];
}

/** The name under a `*.` wildcard (`*.github.io` → `github.io`), else undefined. */
export function wildcardName(e: HostEntry): string | undefined {
  return netWildcard(e);
}

/** Whether a hostname is a public suffix: every single label (`com`, `io`) and the listed multi-label ones (`co.uk`). */
export function isPublicSuffix(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return !n.includes('.') || publicSuffixes().has(n);
}

// the tables are built on first use: loading the rules that import this module costs nothing
let publicSuffixSet: Set<string> | undefined;
function publicSuffixes(): Set<string> {
  return (publicSuffixSet ??= new Set((PUBLIC as { suffixes: string[] }).suffixes.map((s) => s.toLowerCase())));
}
let sharedHostingList: readonly string[] | undefined;
function sharedHostingSuffixes(): readonly string[] {
  return (sharedHostingList ??= (SHARED as { suffixes: string[] }).suffixes.map((s) => s.toLowerCase()));
}

/** The shared-hosting suffix a wildcard `*.<name>` lets anyone register under, if any. */
export function sharedHostingUnder(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  return sharedHostingSuffixes().find((s) => s === n || s.endsWith(`.${n}`));
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

let sensitiveTargets: readonly SensitiveTarget[] | undefined;

/**
 * What a granted host reaches from the sensitive list:
 * - metadata endpoints and sockets: reached when the grant reaches any port of them;
 * - everything / whole private ranges: when the grant covers the whole range;
 * - loopback: when the grant covers every port of it (`localhost`, not `localhost:8080`).
 */
export function sensitiveReach(grant: HostEntry, denied: readonly HostEntry[] | 'all' = []): SensitiveTarget[] {
  const out: SensitiveTarget[] = [];
  for (const t of (sensitiveTargets ??= targets())) {
    const anyPort = t.group === 'metadata' || t.group === 'socket';
    if (netState({ allow: [grant], deny: denied }, t.entry, { anyPort }) === 'granted') out.push(t);
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
    entries.push(...(parseHost(text, { cli: true }) ?? []).flatMap(socketAliases));
  }
  return { entries, raw };
}

/** Whether a trusted list covers this host entirely. */
export function isTrustedHost(e: HostEntry, trusted: { entries: HostEntry[]; raw: Set<string> }): boolean {
  return trusted.raw.has(showHost(e)) || trusted.entries.some((t) => netCovers(t, e));
}
