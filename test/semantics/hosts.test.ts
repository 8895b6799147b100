import { describe, expect, it } from 'vitest';
import { netCovers } from '../../src/grammar/query.js';
import {
  isPublicSuffix,
  isTrustedHost,
  parseHost,
  sensitiveReach,
  sharedHostingUnder,
  showHost,
  trustedHosts,
  type HostEntry,
} from '../../src/semantics/hosts.js';

const one = (v: string, cli = true): HostEntry => {
  const e = parseHost(v, { cli });
  expect(e, v).toBeDefined();
  expect(e).toHaveLength(1);
  return e![0]!;
};

describe('parseHost: the forms Deno accepts, normalised', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['API.example.com:443', 'api.example.com:443'],
    ['*.Example.com', '*.example.com'],
    ['1.2.3.4', '1.2.3.4'],
    ['1.2.3.4:80', '1.2.3.4:80'],
    ['[::1]', '[::1]'],
    ['[::1]:8080', '[::1]:8080'],
    ['[0:0:0:0:0:0:0:1]', '[::1]'],
    ['[FD00:EC2::254]', '[fd00:ec2::254]'],
    ['[::ffff:169.254.169.254]', '169.254.169.254'],
    ['[::ffff:a9fe:a9fe]:80', '169.254.169.254:80'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['unix:/var/run/docker.sock', 'unix:/var/run/docker.sock'],
    ['unix:/run/app/../docker.sock', 'unix:/run/docker.sock'],
    ['vsock:-1:80', 'vsock:-1:80'],
  ])('%s → %s', (value, shown) => {
    expect(showHost(one(value))).toBe(shown);
  });

  it('expands a bare :port on the command line only (0.0.0.0, 127.0.0.1, localhost — not [::1])', () => {
    expect(parseHost(':8080', { cli: true })!.map(showHost)).toEqual(['0.0.0.0:8080', '127.0.0.1:8080', 'localhost:8080']);
    expect(parseHost(':8080', { cli: false })).toBeUndefined();
  });

  it.each([['::1'], ['a.*.com'], ['*'], ['https://example.com'], ['example.com:99999'], ['example.com:80-90'], ['unix:relative.sock'], ['[::1'], ['10.0.0.0/33'], [''], ['::/0'], ['fc00::/7'], ['[fc00::]/7']])(
    '%s is refused (Deno 2.9.6 has no IPv6 CIDR)',
    (value) => {
      expect(parseHost(value, { cli: true })).toBeUndefined();
    },
  );
});

describe('the query engine: which host grant covers which (netCovers)', () => {
  it.each([
    ['*.example.com', 'example.com', true], // Deno: the wildcard also matches the apex
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'badexample.com', false],
    ['*.example.com', '*.a.example.com', true],
    ['example.com', 'sub.example.com', false],
    ['example.com', '*.example.com', false],
    ['example.com', 'example.com:443', true],
    ['example.com:443', 'example.com', false],
    ['example.com:443', 'example.com:443', true],
    ['localhost', 'localhost:8080', true],
    ['localhost:8080', 'localhost', false],
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.1.0.0/16', '10.0.0.0/8', false],
    ['10.0.0.0/8', '169.254.169.254', false],
    ['0.0.0.0/0', '169.254.169.254', true],
    ['0.0.0.0/0', '10.0.0.0/8', true],
    ['169.254.0.0/16', '169.254.169.254', true],
    ['172.16.0.0/12', '172.31.255.255', true],
    ['172.16.0.0/12', '172.32.0.1', false],
    ['0.0.0.0/0', '[::1]', false], // another address family
    ['[::1]', '[0:0:0:0:0:0:0:1]:80', true],
    ['[::ffff:10.0.0.1]', '10.0.0.1', true],
    ['unix:/var/run/docker.sock', 'unix:/run/docker.sock', false], // Deno compares the written path; the data lists both spellings
    ['unix:/run/other.sock', 'unix:/run/docker.sock', false],
    ['localhost', '127.0.0.1', false], // a name and an address are different grants
  ])('%s covers %s: %s', (a, b, expected) => {
    expect(netCovers(one(a), one(b))).toBe(expected);
  });

  it('anyPort: a port of a host reaches the host', () => {
    expect(netCovers(one('localhost:8080'), one('localhost'), { anyPort: true })).toBe(true);
    expect(netCovers(one('localhost:8080'), one('localhost'))).toBe(false);
  });
});

describe('sensitiveReach', () => {
  it.each([
    ['169.254.169.254', ['metadata']],
    ['169.254.169.254:80', ['metadata']],
    ['169.254.0.0/16', ['metadata']],
    ['[fd00:ec2::254]:80', ['metadata']],
    ['metadata.google.internal', ['metadata']],
    ['*.google.internal', ['metadata']],
    ['100.100.100.200', ['metadata']],
    ['unix:/var/run/docker.sock', ['socket']],
    ['unix:/run/docker.sock', ['socket']],
    ['10.0.0.0/8', ['private-range']],
    ['192.168.0.0/16', ['private-range']],
    ['localhost', ['loopback']],
    ['127.0.0.1', ['loopback']],
    ['[::1]', ['loopback']],
    ['localhost:8080', []],
    ['127.0.0.1:5432', []],
    ['10.1.2.0/24', []],
    ['192.168.1.10', []],
    ['api.example.com', []],
    ['0.0.0.0:8080', []],
    ['unix:/run/app.sock', []],
  ])('%s reaches %j', (value, groups) => {
    expect([...new Set(sensitiveReach(one(value)).map((t) => t.group))]).toEqual(groups);
  });

  it('0.0.0.0/0 reaches everything: metadata, private ranges and loopback', () => {
    const groups = new Set(sensitiveReach(one('0.0.0.0/0')).map((t) => t.group));
    expect([...groups].sort()).toEqual(['everything', 'loopback', 'metadata', 'private-range']);
  });
});

describe('suffixes', () => {
  it.each([
    ['com', true],
    ['io', true],
    ['co.uk', true],
    ['com.au', true],
    ['example.com', false],
    ['mycompany.com', false],
    ['example.co.uk', false],
  ])('public suffix %s: %s', (name, expected) => {
    expect(isPublicSuffix(name)).toBe(expected);
  });

  it.each([
    ['github.io', 'github.io'],
    ['GitHub.io', 'github.io'],
    ['vercel.app', 'vercel.app'],
    ['amazonaws.com', 's3.amazonaws.com'],
    ['myorg.github.io', undefined],
    ['mycompany.com', undefined],
    ['io', 'github.io'],
  ])('shared hosting under *.%s: %s', (name, expected) => {
    expect(sharedHostingUnder(name)).toBe(expected);
  });
});

describe('trusted hosts', () => {
  const trust = trustedHosts(['*.mycompany.com', 'https://api.partner.com', '169.254.169.254', 'unix:/var/run/docker.sock']);
  it.each([
    ['api.mycompany.com', true],
    ['mycompany.com', true],
    ['*.mycompany.com', true],
    ['mycompany.com.evil.com', false],
    ['api.partner.com', true],
    ['api.partner.com:443', true],
    ['partner.com', false],
    ['169.254.169.254:80', true],
    ['169.254.0.0/16', false],
    ['unix:/run/docker.sock', true],
  ])('%s trusted: %s', (value, expected) => {
    expect(isTrustedHost(one(value), trust)).toBe(expected);
  });
});
