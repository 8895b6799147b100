/**
 * src/grammar/ip.ts answers as Node's `net.isIPv4` / `net.isIPv6` (which src/grammar/query.ts
 * used before): on every address shape Node's grammar has (each number of groups before and after
 * `::`, with and without a trailing IPv4 address and a zone), on random strings over the
 * characters that matter, on those strings mutated one character at a time, and on real hosts
 * (the repository's data, fixtures and tests, host:port forms, the literature's examples).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isIPv4 as nodeIsIPv4, isIPv6 as nodeIsIPv6 } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isIPv4, isIPv6 } from '../../src/grammar/ip.js';
import { ROOT, rng } from '../helpers.js';

/** The strings on which ours and Node's differ (none expected). */
function differences(strings: Iterable<string>): string[] {
  const out: string[] = [];
  for (const s of strings) if (isIPv4(s) !== nodeIsIPv4(s) || isIPv6(s) !== nodeIsIPv6(s)) out.push(s);
  return out;
}

const GROUPS = ['0', '1', 'a', 'F', 'ff', 'dB8', '0db8', 'ffff', 'FFFF', '12345', 'g', '', 'fffff', '0x1', ' 1'];
const V4 = ['1.2.3.4', '0.0.0.0', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..3.4', '192.0.2.128', '1.2.3.04', '10.0.0.255', '1.2.3.4.', '.1.2.3.4', '1.2.3.-4', '99.199.249.250', '2.5.5.25'];
const ZONES = ['', '%eth0', '%1', '%', '%%1', '%a:b', '%a.b-c', '%a b', '%a_b', '%\u00e9', '%A:Z:0:9', '%::'];

describe('the IPv4 and IPv6 checks read by hand', () => {
  it("answer as Node's on every shape of its grammar: groups before and after `::`, a trailing IPv4 address, a zone", () => {
    const r = rng(13);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const strings = new Set<string>();
    for (let before = 0; before <= 9; before++) {
      for (let after = 0; after <= 9; after++) {
        for (const gap of [true, false]) {
          if (!gap && after > 0) continue;
          for (const v4 of [false, true]) {
            for (let n = 0; n < 12; n++) {
              // valid groups mostly, an invalid one now and then
              const group = () => (r() < 0.85 ? pick(GROUPS.slice(0, 10)) : pick(GROUPS));
              const head = Array.from({ length: before }, group);
              const tail = Array.from({ length: after }, group);
              if (v4) (gap ? tail : head).push(r() < 0.8 ? pick(V4.slice(0, 3)) : pick(V4));
              const zone = r() < 0.7 ? '' : pick(ZONES);
              strings.add((gap ? `${head.join(':')}::${tail.join(':')}` : head.join(':')) + zone);
            }
          }
        }
      }
    }
    for (const v of V4) for (const z of ZONES) strings.add(v + z);
    const list = [...strings];
    expect(list.filter((s) => nodeIsIPv6(s)).length).toBeGreaterThan(200);
    expect(list.filter((s) => nodeIsIPv4(s)).length).toBeGreaterThan(3);
    expect(list.length - list.filter((s) => nodeIsIPv6(s)).length).toBeGreaterThan(500);
    expect(differences(list)).toEqual([]);
  });

  it("answer as Node's on random strings over the characters that matter, and on those strings mutated", () => {
    const r = rng(7);
    const alphabet = ['0', '1', '2', '5', '9', 'a', 'f', 'F', 'g', ':', ':', ':', '::', '.', '.', '%', '-', '_', ' ', '[', ']', '/', 'z', '\n', '\u0661', '25', '255', '256', '00'];
    const strings: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const n = 1 + Math.floor(r() * 24);
      let s = '';
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(r() * alphabet.length)]!;
      strings.push(s);
    }
    // every valid address of the shape test, one character changed, dropped or doubled
    const chars = '0189afAFgG:.%-_ /[]\u00e9';
    const bases = ['::', '::1', '1::', 'fd00:ec2::254', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '::ffff:192.0.2.128', 'fe80::1%eth0', '1:2:3:4:5::1.2.3.4', '1.2.3.4', '255.255.255.255'];
    for (const b of bases) {
      for (let i = 0; i <= b.length; i++) {
        strings.push(b.slice(0, i) + b.slice(i + 1), b.slice(0, i) + b.slice(i, i + 1) + b.slice(i));
        for (const c of chars) strings.push(b.slice(0, i) + c + b.slice(i + 1), b.slice(0, i) + c + b.slice(i));
      }
    }
    expect(strings.filter((s) => nodeIsIPv6(s)).length).toBeGreaterThan(300);
    expect(differences(strings)).toEqual([]);
  });

  it("answer as Node's on real hosts: the repository's data, fixtures and tests, host:port forms, the RFCs' examples", () => {
    const strings = new Set([
      'localhost', 'localhost:8080', '127.0.0.1', '127.0.0.1:8000', '0.0.0.0:8000', '[::1]', '[::1]:8000', '::1', 'deno.land', 'deno.land:443', '*.example.com',
      'fe80::1%eth0', 'fe80::1%25eth0', '::ffff:192.0.2.128', '2001:db8::', '2001:DB8:0:0:8:800:200C:417A', 'FF01::101', '0:0:0:0:0:0:0:1', '0:0:0:0:0:0:0:0',
      '::13.1.68.3', '::FFFF:129.144.52.38', '2001:db8:85a3::8a2e:370:7334', '2001:0db8:0000:0000:0000:ff00:0042:8329', '1080::8:800:200C:417A', 'fc00::/7', '10.0.0.0/8',
      'metadata.google.internal', '169.254.169.254', 'fd00:ec2::254', '[fd00:ec2::254]', '100.100.100.200', '1.1.1.1:53', 'api.github.com:443', 'host:1:2', 'a:b', 'a::b', 'abcd:ef01',
    ]);
    // every host-like value in the repository's data and fixtures: words of letters, digits, `.`, `:`, `%`, `[`, `]`, `-`, split at the brackets too
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(json|ts|js|ya?ml|toml|md|sh)$|Dockerfile$/.test(name) && statSync(p).size < 1 << 20) {
          for (const m of readFileSync(p, 'utf8').matchAll(/[0-9A-Za-z.:%\-[\]]{2,}/g)) {
            strings.add(m[0]);
            for (const part of m[0].split(/[[\]]/)) if (part) strings.add(part);
            // (a host:port's host)
            const colon = m[0].lastIndexOf(':');
            if (colon > 0) strings.add(m[0].slice(0, colon));
          }
        }
      }
    };
    walk(join(ROOT, 'data'));
    walk(join(ROOT, 'fixtures'));
    walk(join(ROOT, 'test'));
    const list = [...strings];
    expect(list.filter((s) => nodeIsIPv6(s)).length).toBeGreaterThan(15);
    expect(list.length).toBeGreaterThan(10_000);
    expect(list.filter((s) => nodeIsIPv4(s)).length).toBeGreaterThan(20);
    expect(differences(list)).toEqual([]);
  });
});
