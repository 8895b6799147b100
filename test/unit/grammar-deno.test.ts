import { describe, expect, it } from 'vitest';
import { isFatalDenoDiagnostic, parseDeno } from '../../src/grammar/deno.js';
import { queryDeno } from '../../src/grammar/query.js';
import { tokens } from '../differential/util.js';

const parse = (line: string) => parseDeno(tokens(line.split(' ')));
const col = (line: string, needle: string, from = 0) => line.indexOf(needle, from) + 1;

describe('parseDeno: structure', () => {
  it.each([
    // argv after `deno`        subcommand  entrypoint   programArgs            positionals
    ['-A main.ts', 'run', 'main.ts', [], []],
    ['run -A main.ts --port 8', 'run', 'main.ts', ['--port', '8'], []],
    ['run main.ts --allow-net', 'run', 'main.ts', ['--allow-net'], []],
    ['serve --port=9 server.ts a', 'serve', 'server.ts', ['a'], []],
    ['test -R tests/ more/', 'test', undefined, [], ['tests/', 'more/']],
    ['task build --watch x', 'task', undefined, ['--watch', 'x'], ['build']],
    ['x npm:cowsay hi', 'x', 'npm:cowsay', ['hi'], []],
    // 2.9.6: `deno dx --help` fails with `Module not found "file:///…/dx"`: dx is a script, not an alias
    ['dx npm:cowsay hi', 'run', 'dx', ['npm:cowsay', 'hi'], []],
    ['check main.ts', 'check', undefined, [], ['main.ts']],
    ['run --allow-net a.com main.ts', 'run', 'a.com', ['main.ts'], []],
  ])('deno %s', (line, sub, entry, programArgs, positionals) => {
    const p = parse(line);
    expect(p.subcommand).toBe(sub);
    expect(p.entrypoint?.value).toBe(entry);
    expect(p.programArgs.map((t) => t.value)).toEqual(programArgs);
    expect(p.positionals.map((t) => t.value)).toEqual(positionals);
  });

  it('a value is only attached with `=`: `--allow-net a.com` grants all hosts and runs a.com', () => {
    const p = parse('run --allow-net a.com main.ts');
    expect(p.permissions).toMatchObject([{ kind: 'net', mode: 'allow', scope: 'all' }]);
    expect(p.effective.net.allow).toBe('all');
  });

  it('`--lock main.ts` swallows the script as the lock file path', () => {
    const p = parse('run --lock main.ts');
    expect(p.flags).toContainEqual(expect.objectContaining({ name: '--lock', value: 'main.ts' }));
    expect(p.entrypoint).toBeUndefined();
  });

  it('`--lock=deno.lock main.ts` keeps the script', () => {
    expect(parse('run --lock=deno.lock main.ts').entrypoint?.value).toBe('main.ts');
  });

  it('`deno install` without -g refuses permission flags; with -g they apply', () => {
    const local = parse('install --allow-net npm:x');
    expect(local.diagnostics.map((d) => d.code)).toContain('permissions-not-accepted');
    const global = parse('install -g --allow-net=a.com npm:x');
    expect(global.diagnostics.filter(isFatalDenoDiagnostic)).toEqual([]);
    expect(global.entrypoint?.value).toBe('npm:x');
    expect(global.effective.net.allow).toEqual(['a.com']);
  });

  it('`deno eval` runs with every permission whatever the flags say', () => {
    const p = parse('eval --allow-read=/tmp console.log(1)');
    expect(p.implicitAll).toBeDefined();
    expect(p.effective.net.allow).toBe('all');
    expect(queryDeno(p.effective, { name: 'read', path: '/etc/passwd' }, '/')).toBe('granted');
  });

  it('`deno task` takes no permission flags of its own', () => {
    const p = parse('task --allow-read build');
    expect(p.takesPermissions).toBe(false);
    expect(p.diagnostics.map((d) => d.code)).toContain('permissions-not-accepted');
  });
});

describe('parseDeno: permission flags', () => {
  it.each([
    ['run -RN main.ts', { read: 'all', net: 'all' }],
    ['run -R=/tmp main.ts', { read: ['/tmp'] }],
    ['run --allow-net=a.com --allow-net=b.com main.ts', { net: ['a.com', 'b.com'] }],
    ['run --allow-net --allow-net=a.com main.ts', { net: ['a.com'] }],
    ['run --allow-net=:8080 main.ts', { net: ['0.0.0.0:8080', '127.0.0.1:8080', 'localhost:8080'] }],
    ['run -A --deny-net=a.com main.ts', { net: 'all', read: 'all' }],
  ])('deno %s', (line, expected) => {
    const p = parse(line);
    expect(p.diagnostics.filter(isFatalDenoDiagnostic)).toEqual([]);
    for (const [kind, allow] of Object.entries(expected)) expect(p.effective[kind as 'read'].allow).toEqual(allow);
  });

  it.each([
    ['run -A --allow-read main.ts', 'allow-all-conflict'],
    ['run --allow-read= main.ts', 'empty-value'],
    ['run --allow-net=a.com,,b.com main.ts', 'empty-value'],
    ['run --allow-net=http://a.com main.ts', 'invalid-host'],
    ['run --allow-import=:8080 main.ts', 'invalid-host'],
    ['run --allow-sys=bogus main.ts', 'invalid-sys'],
    ['run --allow-env=A=B main.ts', 'invalid-env'],
    ['run --allow-run= main.ts', 'empty-value'],
  ])('deno %s is refused (%s)', (line, code) => {
    expect(parse(line).diagnostics.filter(isFatalDenoDiagnostic).map((d) => d.code)).toContain(code);
  });

  it.each(['run --deny-run=,sh main.ts', 'run --ignore-env=A=B main.ts', 'run --allow-net=-dash.org main.ts', 'run --deny-net=:8080 main.ts'])(
    'deno %s is accepted (as by deno 2.9.6)',
    (line) => {
      expect(parse(line).diagnostics.filter(isFatalDenoDiagnostic)).toEqual([]);
    },
  );

  it('`--allow-net --allow-net=a.com` is flagged as narrowed', () => {
    expect(parse('run --allow-net --allow-net=a.com main.ts').diagnostics.map((d) => d.code)).toContain('narrowed-by-repeat');
  });
});

describe('parseDeno: spans', () => {
  it('spans each flag and each list value inside `--allow-read=a,b`', () => {
    const line = 'run --allow-read=a,bb -N main.ts';
    const p = parse(line);
    const read = p.permissions.find((g) => g.kind === 'read')!;
    expect(read.span).toMatchObject({ line: 1, column: col(line, '--allow-read'), endColumn: col(line, ' -N') });
    expect(read.scope).toEqual([
      { value: 'a', span: expect.objectContaining({ column: col(line, 'a,'), endColumn: col(line, 'a,') + 1 }) },
      { value: 'bb', span: expect.objectContaining({ column: col(line, 'bb'), endColumn: col(line, 'bb') + 2 }) },
    ]);
    const net = p.permissions.find((g) => g.kind === 'net')!;
    expect(net.span).toMatchObject({ column: col(line, '-N'), endColumn: col(line, '-N') + 2 });
    expect(net.text).toBe('-N');
  });

  it('spans one letter of combined short flags and the value of `-R=/tmp`', () => {
    const line = 'run -RW -R=/tmp main.ts';
    const p = parse(line);
    const [r, w, r2] = p.permissions;
    expect(r).toMatchObject({ kind: 'read', span: { column: col(line, 'R'), endColumn: col(line, 'R') + 1 } });
    expect(w).toMatchObject({ kind: 'write', span: { column: col(line, 'W'), endColumn: col(line, 'W') + 1 } });
    expect(r2!.scope).toEqual([{ value: '/tmp', span: expect.objectContaining({ column: col(line, '/tmp'), endColumn: col(line, '/tmp') + 4 }) }]);
  });

  it('puts an empty-value diagnostic on the flag', () => {
    const line = 'run --allow-read= main.ts';
    expect(parse(line).diagnostics[0]).toMatchObject({ code: 'empty-value', span: { column: col(line, '--allow-read') } });
  });
});

describe('queryDeno', () => {
  const eff = (line: string) => parse(line).effective;
  it.each([
    ['--allow-read=/etc/hosts --deny-read=/etc', { name: 'read', path: '/etc/hosts' }, 'granted'],
    ['--allow-read=/etc/hosts --deny-read=/etc', { name: 'read', path: '/etc/passwd' }, 'denied'],
    ['--allow-read=/etc --deny-read=/etc', { name: 'read', path: '/etc/hosts' }, 'denied'],
    ['--allow-read=data', { name: 'read', path: '/w/data/x' }, 'granted'],
    ['--allow-read=data', { name: 'read', path: '/w/datax' }, 'prompt'],
    ['--allow-net=*.example.com', { name: 'net', host: 'example.com:443' }, 'granted'],
    ['--allow-net=*.example.com', { name: 'net', host: 'A.Example.COM' }, 'granted'],
    ['--allow-net=example.com', { name: 'net', host: 'api.example.com' }, 'prompt'],
    ['--allow-net=example.com:443', { name: 'net', host: 'example.com' }, 'prompt'],
    ['--allow-net=10.0.0.0/8', { name: 'net', host: '10.2.3.4:22' }, 'granted'],
    ['--allow-net=[::1]', { name: 'net', host: '[0:0:0:0:0:0:0:1]:80' }, 'granted'],
    ['--allow-net=unix:/run/x.sock', { name: 'net', host: 'unix:/run/x.sock' }, 'granted'],
    ['--allow-env=AWS_REGION --deny-env=AWS_*', { name: 'env', variable: 'AWS_REGION' }, 'granted'],
    ['--allow-env=AWS_REGION --deny-env=AWS_*', { name: 'env', variable: 'AWS_SECRET' }, 'denied'],
    ['--allow-sys=username', { name: 'sys', kind: 'userInfo' }, 'granted'],
    ['--allow-read --ignore-read=/etc', { name: 'read', path: '/etc/hosts' }, 'denied'],
    ['-A --deny-net=a.com', { name: 'net', host: 'b.com' }, 'granted'],
    ['--allow-net=*.x.a.com --deny-net=*.a.com', { name: 'net', host: 'y.x.a.com' }, 'denied'],
    ['--allow-net=*.a.com --deny-net=*.x.a.com', { name: 'net', host: 'y.x.a.com' }, 'granted'],
  ] as const)('deno run %s: %j is %s', (flags, desc, state) => {
    expect(queryDeno(eff(`run ${flags} main.ts`), desc, '/w')).toBe(state);
  });

  it('resolves run names through the given PATH lookup and write-protects allowed programs', () => {
    const e = eff('run --allow-run=git --allow-write main.ts');
    const which = (n: string) => (n === 'git' ? '/usr/bin/git' : undefined);
    expect(queryDeno(e, { name: 'run', command: 'git' }, '/w', { which })).toBe('granted');
    expect(queryDeno(e, { name: 'run', command: '/usr/bin/git' }, '/w', { which })).toBe('granted');
    expect(queryDeno(e, { name: 'write', path: '/usr/bin/git' }, '/w', { which })).toBe('denied');
    expect(queryDeno(e, { name: 'write', path: '/w/x' }, '/w', { which })).toBe('granted');
  });

  it('without a PATH lookup, an allowed name stands for programs of that name', () => {
    const e = eff('run --allow-run=git main.ts');
    expect(queryDeno(e, { name: 'run', command: 'git' }, '/w')).toBe('granted');
    expect(queryDeno(e, { name: 'run', command: '/opt/bin/git' }, '/w')).toBe('granted');
    expect(queryDeno(e, { name: 'run', command: 'sh' }, '/w')).toBe('prompt');
  });

  it('keeps the default import hosts without --allow-import', () => {
    const e = eff('run main.ts');
    expect(queryDeno(e, { name: 'import', host: 'jsr.io:443' }, '/w')).toBe('granted');
    expect(queryDeno(e, { name: 'import', host: 'jsr.io' }, '/w')).toBe('prompt');
    expect(queryDeno(eff('run --allow-import=a.com main.ts'), { name: 'import', host: 'jsr.io:443' }, '/w')).toBe('prompt');
  });
});
