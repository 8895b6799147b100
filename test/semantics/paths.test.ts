import { describe, expect, it } from 'vitest';
import {
  baseFor,
  covers,
  envFamiliesReached,
  isDotenvName,
  isTrustedPath,
  resolvePath,
  showPath,
  trustedPaths,
  type PathBase,
} from '../../src/semantics/paths.js';

const ROOT = baseFor('');
const UNKNOWN = baseFor(undefined);

describe('resolvePath: relative, absolute, ~ and $HOME against the working directory', () => {
  const cases: [string, PathBase, string, ('deno' | 'node')?, Record<string, string>?][] = [
    ['/etc/passwd', ROOT, '/etc/passwd'],
    ['/a/./b/../c/', ROOT, '/a/c'],
    ['/..', ROOT, '/'],
    ['~', ROOT, '~'],
    ['~/.ssh', ROOT, '~/.ssh'],
    ['$HOME', ROOT, '~'],
    ['${HOME}', ROOT, '~'],
    ['$HOME/.aws/credentials', ROOT, '~/.aws/credentials'],
    ['${HOME}/.config', ROOT, '~/.config'],
    ['~alice/.ssh', ROOT, '/home/alice/.ssh'],
    ['.', ROOT, '.'],
    ['./data', ROOT, 'data'],
    ['data/', baseFor('app'), 'app/data'],
    ['../shared', baseFor('app'), 'shared'],
    ['../..', baseFor('app'), '.'],
    ['main.ts', baseFor('/app'), '/app/main.ts'],
    ['./x', UNKNOWN, './x'],
    ['../x', UNKNOWN, '../x'],
    ['..', UNKNOWN, '..'],
    ['$DATA_DIR/x', ROOT, '/srv/data/x', 'deno', { DATA_DIR: '/srv/data' }],
    ['${DENO_DIR}', baseFor('app'), 'app/.deno', 'deno', { DENO_DIR: '.deno' }],
    ['/home/*', ROOT, '/home/*', 'node'],
    ['/tmp/wc/test*.js', ROOT, '/tmp/wc/test*', 'node'],
    ['/tmp/*', ROOT, '/tmp/*', 'deno'], // Deno has no globs: `*` is a file name
    ['file:///etc/hosts', ROOT, '/etc/hosts'],
  ];
  it.each(cases)('%s from %j → %s', (value, base, expected, runtime, env) => {
    const p = resolvePath(value, base, { runtime: runtime ?? 'deno', env: new Map(Object.entries(env ?? {})) });
    expect(p).toBeDefined();
    expect(showPath(p!)).toBe(expected);
  });

  it.each([['$DATA_DIR/x'], ['${UNSET}'], [''], ['C:\\Users\\me'], ['\\\\server\\share']])('%s cannot be resolved statically', (value) => {
    expect(resolvePath(value, ROOT)).toBeUndefined();
  });

  it('keeps ~ and $HOME in the home root and absolute paths in the machine root', () => {
    expect(resolvePath('~/.ssh', ROOT)!.root).toBe('home');
    expect(resolvePath('$HOME/.ssh', ROOT)!.root).toBe('home');
    expect(resolvePath('/etc', baseFor('app'))!.root).toBe('abs');
    expect(resolvePath('x', UNKNOWN)!.root).toBe('cwd');
    expect(resolvePath('x', baseFor('a/b'))!.root).toBe('repo');
  });
});

describe('container working directories', () => {
  it('maps absolute paths under WORKDIR onto the repository folder copied there', () => {
    const base: PathBase = { ...baseFor('svc'), mount: { abs: ['app'], repo: ['svc'] } };
    expect(showPath(resolvePath('/app', base)!)).toBe('svc');
    expect(showPath(resolvePath('/app/out', base)!)).toBe('svc/out');
    expect(showPath(resolvePath('/application', base)!)).toBe('/application');
    expect(showPath(resolvePath('/etc', base)!)).toBe('/etc');
    expect(showPath(resolvePath('main.ts', base)!)).toBe('svc/main.ts');
  });
});

describe('covers: a path grants itself and everything under it', () => {
  const r = (v: string, base: PathBase = ROOT, runtime: 'deno' | 'node' = 'deno') => resolvePath(v, base, { runtime })!;
  const cases: [string, string, boolean, PathBase?, PathBase?, ('deno' | 'node')?][] = [
    ['/etc', '/etc/passwd', true],
    ['/etc/passwd', '/etc', false],
    ['/etc', '/etc', true],
    ['/etc', '/etcetera', false],
    ['./data', './src', false],
    ['./data', './data-old/x', false],
    ['./data', './data/x/y.json', true],
    ['.', 'main.ts', true],
    ['.', 'deno.json', true],
    ['.', 'deno.lock', true],
    ['./src', 'src/main.ts', true],
    ['/', '~/.ssh', true],
    ['/', 'main.ts', true],
    ['/', './x', true, ROOT, UNKNOWN],
    ['/home', '~/.ssh', false], // the home folder's location is not known
    ['~', '~/.ssh/id_ed25519', true],
    ['$HOME', '~/.aws', true],
    ['~/.ssh', '~', false],
    ['.', 'main.ts', false, UNKNOWN, ROOT], // unknown cwd vs a repository path: cannot tell
    ['.', './main.ts', true, UNKNOWN, UNKNOWN],
    ['..', './main.ts', false, UNKNOWN, UNKNOWN], // `..` of an unknown folder is not `.`
    ['..', 'app/main.ts', true, baseFor('app'), ROOT],
    ['/app', 'main.ts', true, ROOT, baseFor('/app')],
  ];
  it.each(cases)('%s covers %s: %s', (a, b, expected, baseA, baseB) => {
    expect(covers(r(a, baseA ?? ROOT), r(b, baseB ?? ROOT))).toBe(expected);
  });

  it.each([
    ['/home/us*', '/home/user/.ssh', true],
    ['/home/us*', '/home/other/.ssh', false],
    ['/home/us*', '/home', false],
    ['/home/*', '/home', true],
    ['/home/*', '/home/bob/.ssh', true],
    ['/tmp/wc/test*', '/tmp/wc/test2/x', true],
    ['/tmp/wc/*.js', '/tmp/wc/anything', true], // Node ignores what follows `*`
  ])('Node %s covers %s: %s', (a, b, expected) => {
    expect(covers(r(a, ROOT, 'node'), r(b))).toBe(expected);
  });
});

describe('credential helpers', () => {
  it.each([
    ['AWS_*', ['AWS_']],
    ['A*', ['AWS_', 'AZURE_']],
    ['GITHUB_*', ['GITHUB_']],
    ['AWS_REGION', []],
    ['AWS_S3_*', []],
    ['*_KEY', []],
    ['MY_APP_*', []],
  ])('env %s reaches %j', (value, expected) => {
    expect(envFamiliesReached(value)).toEqual(expected);
  });

  it('`*` alone reads every credential family', () => {
    expect(envFamiliesReached('*')).toEqual(expect.arrayContaining(['AWS_', 'AZURE_', 'GITHUB_', 'GOOGLE_', 'NPM_']));
  });

  it.each([
    ['.env', true],
    ['.env.production', true],
    ['.env.local', true],
    ['.env.example', false],
    ['.env.sample', false],
    ['.envrc', false],
    ['env', false],
    ['.env.', false],
  ])('dotenv name %s: %s', (name, expected) => {
    expect(isDotenvName(name)).toBe(expected);
  });
});

describe('trusted paths', () => {
  const trusted = trustedPaths(['/run/secrets', './fixtures', '~/.cache/my-tool']);
  it.each([
    ['/run/secrets', true],
    ['/run/secrets/db_password', true],
    ['/run', false],
    ['fixtures/a.json', true],
    ['./fixtures-old', false],
    ['~/.cache/my-tool/x', true],
    ['~/.cache', false],
  ])('%s trusted: %s', (value, expected) => {
    expect(isTrustedPath(resolvePath(value, ROOT)!, trusted)).toBe(expected);
  });
});
