/**
 * Deno 2.9.6 and Node 20/22/24 behaviours the grammar reproduces (reference/permission-facts.md
 * §1.2, §1.16, §2), each checked against the real binaries: the grammar emits a coded diagnostic,
 * with the runtime versions it holds for.
 */
import { describe, expect, it } from 'vitest';
import { isFatalDenoDiagnostic, parseDeno } from '../../src/grammar/deno.js';
import { parseNode } from '../../src/grammar/node.js';
import { queryDeno, queryNode } from '../../src/grammar/query.js';
import { tokens } from '../differential/util.js';

const deno = (line: string) => parseDeno(tokens(line.split(' ')));
const node = (line: string, version?: string) => parseNode(tokens(line.split(' ')), [], version ? { version } : {});
const codes = (p: { diagnostics: { code: string }[] }) => p.diagnostics.map((d) => d.code);

describe('Deno short flags with a value stuck on', () => {
  it.each([
    ['run -R/etc main.ts', 'read', ['/etc']],
    ['run -Nexample.com main.ts', 'net', ['example.com']],
    ['run -EHOME main.ts', 'env', ['HOME']],
    ['run -Rw main.ts', 'read', ['w']],
    ['run -Shostname,cpus main.ts', 'sys', []], // `h` is -h (help): a cluster, not a value
  ])('deno %s', (line, kind, values) => {
    const p = deno(line);
    const g = p.permissions.find((x) => x.kind === kind)!;
    expect(g.scope === 'all' ? [] : g.scope.map((v) => v.value)).toEqual(values);
  });

  it('a letter that is itself a short flag clusters: -RWN is three bare flags, -EAPP_ENV is -E -A -P…', () => {
    expect(deno('run -RWN main.ts').permissions.map((g) => `${g.kind}:${String(g.scope === 'all')}`)).toEqual(['read:true', 'write:true', 'net:true']);
    const p = deno('run -EAPP_ENV main.ts');
    expect(p.allowAll).toHaveLength(1);
    expect(codes(p)).toContain('allow-all-conflict');
  });

  it('-Pname loads the set `name`; -P name runs `name` as the script', () => {
    expect(deno('run -Pnested main.ts').permissionSet?.name).toBe('nested');
    const p = deno('run -P all main.ts');
    expect(p.entrypoint?.value).toBe('all');
    expect(codes(p)).toContain('value-with-space');
  });

  it('-h in a cluster prints help and runs nothing', () => {
    expect(deno('run -Ehostname main.ts').diagnostics.filter(isFatalDenoDiagnostic).map((d) => d.code)).toContain('refused-at-start');
  });
});

describe('Deno start-up refusals', () => {
  it.each(['run --ignore-write main.ts', 'run --allow-plugin main.ts', 'run --allow-reed main.ts', 'run --ignore-net main.ts'])('%s: unexpected argument', (line) => {
    expect(codes(deno(line))).toEqual(['unknown-permission-flag']);
  });
  it('deno run -- main.ts has no script', () => {
    const p = deno('run -- main.ts');
    expect(codes(p)).toEqual(['refused-at-start']);
    expect(p.diagnostics.every(isFatalDenoDiagnostic)).toBe(true);
  });
  it('--lock main.ts takes the script as the lock file', () => {
    expect(codes(deno('run --lock main.ts'))).toEqual(['lock-swallows-script']);
  });
});

describe('Deno version-aware diagnostics (Deno 1.x pins)', () => {
  it.each([
    ['run --allow-hrtime main.ts', 'removed-flag'],
    ['run --unstable main.ts', 'deprecated'],
    ['install --allow-read main.ts', 'permissions-not-accepted'],
    ['install -A main.ts', 'permissions-not-accepted'],
  ])('%s holds for Deno 2 only', (line, code) => {
    const d = deno(line).diagnostics.find((x) => x.code === code)!;
    expect(d.versions).toEqual({ range: '>=2.0.0', ifUnknown: true });
  });
});

describe('Deno matching (query engine)', () => {
  const B = '/w';
  it('a bare deny loses to a more specific allow', () => {
    const p = deno('run --deny-read --allow-read=/etc/hosts main.ts');
    expect(queryDeno(p.effective, { name: 'read', path: '/etc/hosts' }, B)).toBe('granted');
    expect(queryDeno(p.effective, { name: 'read', path: '/etc/passwd' }, B)).toBe('denied');
  });
  it('a deny matches by resolved path', () => {
    const p = deno('run --allow-ffi=lib/,./lib/x.so,./lib --deny-ffi=./lib main.ts');
    expect(queryDeno(p.effective, { name: 'ffi', path: './lib/y.so' }, B)).toBe('denied');
  });
  it('programs in --allow-run are write-protected', () => {
    const p = deno('run --allow-run=./bin/tool --allow-write main.ts');
    expect(queryDeno(p.effective, { name: 'write', path: 'bin/tool' }, B)).toBe('denied');
    expect(queryDeno(p.effective, { name: 'write', path: 'bin/other' }, B)).toBe('granted');
  });
  it('CIDR: the broader allow wins inside a narrower deny; run: a path allow beats a name deny', () => {
    const p = deno('run --allow-net=10.0.0.0/8 --deny-net=10.1.0.0/16 main.ts');
    expect(queryDeno(p.effective, { name: 'net', host: '10.1.2.3' }, B)).toBe('granted');
    const r = deno('run --allow-run=/bin/ls --deny-run=ls main.ts');
    expect(queryDeno(r.effective, { name: 'run', command: '/bin/ls' }, B)).toBe('granted');
  });
});

describe('Node faithful by version', () => {
  it('--experimental-permission: deprecated on 22.13–23, refused on 24', () => {
    const ds = node('--experimental-permission app.js').diagnostics;
    expect(ds.find((d) => d.code === 'refused-at-start')!.versions).toEqual({ range: '>=24.0.0', ifUnknown: false });
    expect(ds.find((d) => d.code === 'deprecated')!.versions!.range).toContain('<24.0.0');
  });
  it('Node 20 aborts on overlapping read grants', () => {
    const p = node('--experimental-permission --allow-fs-read=data --allow-fs-read=data/ app.js');
    expect(p.diagnostics.find((d) => d.code === 'refused-at-start' && d.kind === 'read' && d.versions?.range === '<21.0.0')).toBeDefined();
  });
  it('Node 20 cannot read its entry file without a grant; 22.17+ and 24.2+ read it implicitly', () => {
    const p = node('--permission --allow-fs-read=./data app.js');
    expect(p.diagnostics.find((d) => d.code === 'refused-at-start' && d.kind === 'read')!.versions!.range).toBe('<22.17.0 || >=23.0.0 <24.2.0');
    expect(node('--permission --allow-fs-read=./ app.js').diagnostics.filter((d) => d.code === 'refused-at-start')).toEqual([]);
  });
  it('a grant of a path that is no folder at start-up covers that name only; `dir/*` covers files created later (Node 20/22/24 checked)', () => {
    const write = (flag: string) => node(`--permission --allow-fs-read=* ${flag} app.js`, '24.22.3').effective;
    const absent = { cwd: '/srv', isDirectory: () => false, version: '24.22.3' };
    expect(queryNode(write('--allow-fs-write=./build'), 'fs.write', '/srv/build/report.txt', absent)).toBe(false);
    expect(queryNode(write('--allow-fs-write=./build/'), 'fs.write', '/srv/build/report.txt', absent)).toBe(false);
    expect(queryNode(write('--allow-fs-write=./build/*'), 'fs.write', '/srv/build/report.txt', absent)).toBe(true);
    // the folder exists at start-up: its subtree
    expect(queryNode(write('--allow-fs-write=./build'), 'fs.write', '/srv/build/report.txt', { ...absent, isDirectory: () => true })).toBe(true);
  });
  it('the network is not gated before Node 25', () => {
    expect(node('--permission app.js', '24.1.0').effective.net.allow).toBe('all');
    expect(node('--permission app.js', '25.0.0').effective.net.allow).toEqual([]);
    expect(queryNode(node('--permission app.js', '24.1.0').effective, 'net', undefined, { version: '24.1.0' })).toBe(false);
  });
  it('--test is a fact of the grammar: `node --no-warnings --test` runs the test runner', () => {
    expect(node('--no-warnings --test').testRunner).toBeDefined();
    expect(node('app.js --test').testRunner).toBeUndefined();
  });
  it('a permission flag after the script is reported with a code', () => {
    expect(codes(node('app.js --permission'))).toEqual(['flag-after-script']);
  });
});
