import { describe, expect, it } from 'vitest';
import semver from 'semver';
import { parseNode } from '../../src/grammar/node.js';
import { nodeFsGrantsAbort, queryNode } from '../../src/grammar/query.js';
import { tokens } from '../differential/util.js';

const parse = (line: string, nodeOptions?: string) => parseNode(tokens(line.split(' ')), nodeOptions ? tokens(nodeOptions.split(' ')) : []);
const col = (line: string, needle: string) => line.indexOf(needle) + 1;

describe('parseNode: structure', () => {
  it.each([
    // argv after `node`                              entrypoint   programArgs
    ['app.js --allow-fs-read=*', 'app.js', ['--allow-fs-read=*']],
    ['--permission --allow-fs-read /data app.js x', 'app.js', ['x']],
    ['-r ./setup.js app.js', 'app.js', []],
    ['-- app.js --flag', 'app.js', ['--flag']],
    ['--inspect app.js', 'app.js', []],
  ])('node %s', (line, entry, programArgs) => {
    const p = parse(line);
    expect(p.entrypoint?.value).toBe(entry);
    expect(p.programArgs.map((t) => t.value)).toEqual(programArgs);
  });

  it('without --permission everything is allowed', () => {
    const p = parse('--allow-fs-read=/data app.js');
    expect(p.implicitAll).toBeDefined();
    expect(p.effective.read.allow).toBe('all');
  });

  it('`-e` code ends the options', () => {
    const p = parse('--permission -e 1 --allow-child-process');
    expect(p.evalCode?.value).toBe('1');
    expect(p.permissions).toEqual([]);
  });

  it('NODE_OPTIONS can enable the model and grant', () => {
    const p = parse('app.js', '--permission --allow-fs-read=/data');
    expect(p.enabled?.flag).toBe('--permission');
    expect(p.effective.read.allow).toEqual(['/data']);
  });
});

describe('parseNode: permission flags', () => {
  it.each([
    ['--permission --allow-fs-read=/a --allow-fs-read=/b app.js', { read: ['/a', '/b'] }],
    ['--permission --allow_fs_read=/a app.js', { read: ['/a'] }],
    ['--permission --allow-fs-read=* app.js', { read: 'all' }],
    ['--permission --allow-child-process=false app.js', { run: 'all' }],
    ['--permission --allow-worker --allow-addons --allow-wasi app.js', { worker: 'all', ffi: 'all', wasi: 'all', run: [] }],
    ['--experimental-permission --allow-fs-write /tmp app.js', { write: ['/tmp'], read: [] }],
  ])('node %s', (line, expected) => {
    const p = parse(line);
    for (const [kind, allow] of Object.entries(expected)) expect(p.effective[kind as 'read'].allow).toEqual(allow);
  });

  it.each([
    ['--permission --allow-fs-read=/a,/b app.js', 'fs-comma-list'],
    ['--permission --allow-worker=false app.js', 'boolean-with-value'],
    ['--permission --allow-fs-read= app.js', 'empty-value'],
    ['--experimental-permission app.js', 'deprecated'],
  ])('node %s → %s', (line, code) => {
    expect(parse(line).diagnostics.map((d) => d.code)).toContain(code);
  });

  it('spans the flag and its value, also when the value is the next word', () => {
    const line = '--permission --allow-fs-read=/data --allow-fs-write /out app.js';
    const p = parse(line);
    const [read, write] = p.permissions;
    expect(read!.span).toMatchObject({ column: col(line, '--allow-fs-read'), endColumn: col(line, ' --allow-fs-write') });
    expect(read!.scope).toEqual([{ value: '/data', span: expect.objectContaining({ column: col(line, '/data'), endColumn: col(line, '/data') + 5 }) }]);
    expect(write!.span).toMatchObject({ column: col(line, '--allow-fs-write'), endColumn: col(line, ' app.js') });
    expect(write!.scope).toEqual([{ value: '/out', span: expect.objectContaining({ column: col(line, '/out') }) }]);
  });
});

describe('queryNode', () => {
  const eff = (line: string) => parse(line).effective;
  const dirs = new Set(['/w/data', '/w/data/sub', '/tmp']);
  const opts = { cwd: '/w', isDirectory: (p: string) => dirs.has(p) };
  it.each([
    ['--allow-fs-read=/w/data', 'fs.read', '/w/data/x/y', true],
    ['--allow-fs-read=/w/data', 'fs.read', '/w/database', false],
    ['--allow-fs-read=data', 'fs.read', '/w/data/file', true],
    ['--allow-fs-read=/w/file.txt', 'fs.read', '/w/file.txt/x', false],
    ['--allow-fs-read=/w/da*', 'fs.read', '/w/database/x', true],
    ['--allow-fs-read=/w/data/*.js', 'fs.read', '/w/data/x.txt', true],
    ['--allow-fs-read=*', 'fs.read', '/anything', true],
    ['--allow-fs-read=*', 'fs.read', undefined, true],
    ['--allow-fs-read=/w/data', 'fs.read', undefined, false],
    ['--allow-fs-read=/w/data', 'fs.write', '/w/data/x', false],
    ['--allow-fs-read=* --allow-fs-write=*', 'fs', undefined, true],
    ['--allow-fs-read=*', 'fs', undefined, false],
    ['--allow-child-process', 'child', undefined, true],
    ['--allow-worker', 'child', undefined, false],
    ['--allow-worker=false', 'worker', undefined, true],
    ['--allow-addons', 'addon', undefined, true],
    ['', 'bogus', undefined, false],
  ] as const)('node --permission %s: has(%s, %s) = %s', (flags, scope, ref, expected) => {
    expect(queryNode(eff(`--permission ${flags} app.js`.replace('  ', ' ')), scope, ref, opts)).toBe(expected);
  });

  it("mirrors Node 20: has('addon') is false even with --allow-addons", () => {
    expect(queryNode(eff('--permission --allow-addons app.js'), 'addon', undefined, { version: '20.20.2' })).toBe(false);
  });

  it('Node 20 aborts on two fs paths ending on the same tree node', () => {
    const grants = (line: string) => parse(`--permission ${line} app.js`).permissions;
    const v20 = { ...opts, version: '20.20.2' };
    expect(nodeFsGrantsAbort(grants('--allow-fs-read=/w/data --allow-fs-read=./data'), v20)).toEqual(['read']);
    expect(nodeFsGrantsAbort(grants('--allow-fs-write=/w/x --allow-fs-write=/w/x'), v20)).toEqual(['write']);
    expect(nodeFsGrantsAbort(grants('--allow-fs-read=/w/data --allow-fs-read=/w/other'), v20)).toEqual([]);
    expect(nodeFsGrantsAbort(grants('--allow-fs-read=/w/data --allow-fs-read=./data'), { ...opts, version: '24.0.0' })).toEqual([]);
  });
});

/** Node 25 / 26 corners, each found by the differential against 25.9.0 and 26.12.1 (test/differential/node.test.ts). */
describe('parseNode: Node 25 and 26', () => {
  /** The codes of the diagnostics that hold for one release. */
  const at = (version: string, line: string, nodeOptions?: string) =>
    parse(line, nodeOptions)
      .diagnostics.filter((d) => !d.versions || semver.satisfies(version, d.versions.range))
      .map((d) => d.code);

  it("--allow-ffi and --allow-addons are separate has() scopes: 'ffi' from 26.1, 'addon' from 21", () => {
    const ffi = parse('--permission --allow-ffi app.js').effective;
    const addons = parse('--permission --allow_addons app.js').effective;
    const both = parse('--permission --allow-addons --allow-ffi app.js').effective;
    expect([queryNode(ffi, 'ffi', undefined, { version: '26.12.1' }), queryNode(ffi, 'addon', undefined, { version: '26.12.1' })]).toEqual([true, false]);
    expect([queryNode(addons, 'ffi', undefined, { version: '26.12.1' }), queryNode(addons, 'addon', undefined, { version: '26.12.1' })]).toEqual([false, true]);
    expect([queryNode(both, 'ffi', undefined, { version: '26.12.1' }), queryNode(both, 'addon', undefined, { version: '26.12.1' })]).toEqual([true, true]);
    expect(queryNode(both, 'ffi', undefined, { version: '26.0.0' })).toBe(false);
    // both are native code to the rules: the kind stays granted
    expect(ffi.ffi.allow).toBe('all');
  });

  it('--allow-fs-read without the model stops every release (ERR_MISSING_OPTION, 25.9.0 and 26.12.1 too)', () => {
    for (const v of ['20.20.2', '24.22.3', '25.9.0', '26.12.1']) expect(at(v, '--allow-fs-read=/data app.js')).toContain('refused-at-start');
  });

  it('a boolean --allow-* flag without the model stops Node 26 only', () => {
    expect(at('26.12.1', '--allow-net app.js')).toContain('refused-at-start');
    expect(at('26.12.1', 'app.js', '--allow-worker')).toContain('refused-at-start');
    expect(at('25.9.0', '--allow-net app.js')).not.toContain('refused-at-start');
    expect(at('24.22.3', '--allow-child-process app.js')).not.toContain('refused-at-start');
    expect(parse('--allow-net app.js').implicitAll).toBeDefined();
  });

  it.each([
    ['--allow-fs-vfs', '26.8.0', '26.9.0'],
    ['--allow-openssl-store', '25.9.0', '26.12.1'],
    ['--allow-openssl-store', '24.20.0', '24.22.3'],
    ['--permission-audit', '25.7.0', '25.9.0'],
    ['--permission-audit', '24.19.0', '24.22.3'],
  ])('%s: bad option on %s, known on %s', (flag, lacks, has) => {
    expect(at(lacks, `--permission ${flag} app.js`)).toContain('flag-not-in-version');
    expect(at(has, `--permission ${flag} app.js`)).not.toContain('flag-not-in-version');
  });

  it('--permission-audit alone denies nothing, but is a model for has() and the missing-option check', () => {
    const p = parse('--permission-audit --allow-fs-read=/data app.js');
    expect(p.audit).toBeDefined();
    expect(p.enabled).toBeUndefined();
    expect(p.implicitAll).toEqual({ cause: 'node-audit-only' });
    expect(p.effective.read.allow).toBe('all');
    expect(at('26.12.1', '--permission-audit --allow-fs-read=/data --allow-net app.js')).not.toContain('refused-at-start');
    // next to --permission, --permission wins
    const q = parse('--permission-audit --permission --allow-fs-read=/data app.js');
    expect(q.implicitAll).toBeUndefined();
    expect(q.effective.read.allow).toEqual(['/data']);
  });
});
