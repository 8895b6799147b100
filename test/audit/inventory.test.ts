import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { discover } from '../../src/discover.js';
import { scan } from '../../src/scan.js';
import { isSourceKind } from '../../src/sources/registry.js';
import { DEFAULT_IMPORT_HOSTS } from '../../src/grammar/permissions.js';
import { buildInventory, grantsAnything, viewKind, type AuditEntry } from '../../src/audit/inventory.js';
import { noPermissions } from '../../src/model.js';
import { FIXTURES } from '../helpers.js';

async function auditDir(dir: string): Promise<{ entries: AuditEntry[]; kinds: Map<string, string> }> {
  const found = discover(['.'], {}, dir);
  const { model } = await scan(found.files);
  return { entries: buildInventory(model), kinds: new Map(found.files.map((f) => [f.path, f.kind])) };
}

async function auditFiles(files: Record<string, string>): Promise<AuditEntry[]> {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-audit-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return (await auditDir(dir)).entries;
}

const byKey = (entries: AuditEntry[], key: string) => {
  const e = entries.find((x) => x.key === key);
  if (!e) throw new Error(`no entry ${key} in ${entries.map((x) => x.key).join(', ')}`);
  return e;
};

describe('audit inventory', () => {
  it('reports scoped, unscoped and absent kinds of a Deno task, with file, line, command and entrypoint', async () => {
    const entries = await auditFiles({ 'deno.json': '{\n  "tasks": {\n    "start": "deno run --allow-read=/tmp -N main.ts"\n  }\n}\n' });
    expect(entries).toHaveLength(1);
    const e = entries[0]!;
    expect(e).toMatchObject({ id: 'deno.json#task:start', key: 'task:start', type: 'invocation', file: 'deno.json', line: 3, source: 'deno.json', name: 'start', runtime: 'deno', command: 'run', program: 'deno', entrypoint: 'main.ts' });
    expect(e.context.kind).toBe('development');
    expect(e.permissions.read).toEqual(['/tmp']);
    expect(e.permissions.net).toBe('all');
    expect(e.permissions.write).toBe('none');
    // Deno has no worker/wasi/inspector permission: those kinds are not listed for Deno entries
    expect(Object.keys(e.permissions).sort()).toEqual(['env', 'ffi', 'import', 'net', 'read', 'run', 'sys', 'write']);
  });

  it('shows Deno default import hosts as a list, and an explicit --allow-import replaces them', async () => {
    const entries = await auditFiles({ 'run.sh': 'deno run main.ts\ndeno run --allow-import=example.com main.ts\n' });
    expect(byKey(entries, 'sh#1').permissions.import).toEqual(DEFAULT_IMPORT_HOSTS);
    expect(byKey(entries, 'sh#2').permissions.import).toEqual(['example.com']);
    expect(grantsAnything(byKey(entries, 'sh#1'))).toBe(false);
    expect(grantsAnything(byKey(entries, 'sh#2'))).toBe(true);
  });

  it('shows implicit grants: deno eval and Node without --permission grant every kind', async () => {
    const entries = await auditFiles({ 'package.json': '{ "scripts": { "a": "deno eval \\"1\\"", "b": "node server.js", "c": "node --permission --allow-fs-read=/srv app.js" } }' });
    const ev = byKey(entries, 'script:a');
    expect(ev.command).toBe('eval');
    expect(ev.implicit).toContain('eval');
    expect(Object.values(ev.permissions).every((v) => v === 'all')).toBe(true);
    const node = byKey(entries, 'script:b');
    expect(node.implicit).toContain('--permission');
    expect(Object.keys(node.permissions)).toHaveLength(11);
    expect(Object.values(node.permissions).every((v) => v === 'all')).toBe(true);
    const scoped = byKey(entries, 'script:c');
    expect(scoped.implicit).toBeUndefined();
    expect(scoped.permissions).toMatchObject({ read: ['/srv'], write: 'none', run: 'none', worker: 'none', wasi: 'none', inspector: 'none' });
  });

  it('subtracts exact denies, keeps other denies in `denied`, and a deny of everything makes the kind none', async () => {
    const entries = await auditFiles({
      'run.sh': 'deno run --allow-read --deny-read=/etc --allow-net=a.com,b.com --deny-net=b.com --allow-env --deny-env main.ts\n',
    });
    const e = entries[0]!;
    expect(e.permissions.read).toBe('all');
    expect(e.denied?.read).toEqual(['/etc']);
    expect(e.permissions.net).toEqual(['a.com']);
    expect(e.denied?.net).toBeUndefined();
    expect(e.permissions.env).toBe('none');
  });

  it('viewKind: list minus denies that do not match exactly keeps both', () => {
    const eff = noPermissions();
    eff.read = { allow: ['/data'], deny: ['/data/secret'], ignore: [] };
    expect(viewKind(eff, 'read')).toEqual({ value: ['/data'], denied: ['/data/secret'] });
    eff.read = { allow: ['/data'], deny: ['/data'], ignore: [] };
    expect(viewKind(eff, 'read')).toEqual({ value: 'none' });
  });

  it('lists permission-set declarations (which grant nothing without -P) and the invocation that loads one', async () => {
    const entries = await auditFiles({
      'deno.json': '{\n  "permissions": {\n    "srv": { "net": ["a.com"] }\n  },\n  "tasks": { "s": "deno run -P=srv main.ts" }\n}\n',
    });
    const set = byKey(entries, 'permission-set:srv');
    expect(set).toMatchObject({ type: 'declaration', declaration: 'permission-set', line: 3, name: 'srv', runtime: 'deno', command: null, entrypoint: null });
    expect(set.permissions.net).toEqual(['a.com']);
    expect(grantsAnything(set)).toBe(false);
    expect(byKey(entries, 'task:s').permissions.net).toEqual(['a.com']);
  });
});

describe('audit of a fixture mixing every source kind', () => {
  const CORE = new Set(['deno.json', 'package.json', 'shell', 'shebang']);

  it('lists each invocation exactly once (deployment and TypeScript sources count once they are registered)', async () => {
    const { entries, kinds } = await auditDir(resolve(FIXTURES, 'audit-mixed'));
    const ids = entries.map((e) => `${e.source} ${e.id}`);
    expect(new Set(ids).size).toBe(ids.length);

    // every file of the fixture runs exactly one program named mix-<something>
    const handled = [...kinds].filter(([, kind]) => CORE.has(kind) || isSourceKind(kind)).map(([p]) => p);
    expect(handled).toEqual(expect.arrayContaining(['deno.json', 'package.json', 'scripts/run.sh', 'mix-shebang']));
    const invocations = entries.filter((e) => e.type === 'invocation');
    for (const file of handled) {
      const here = invocations.filter((e) => e.file === file);
      expect(here.map((e) => e.entrypoint), file).toHaveLength(1);
      expect(here[0]!.entrypoint, file).toMatch(/mix-[a-z-]+\.(ts|js)$|\/mix-shebang$/);
    }
    // and nothing else is reported as an invocation
    for (const e of invocations) expect(handled, `${e.file} ${e.key}`).toContain(e.file);
    const markers = invocations.map((e) => e.entrypoint);
    expect(new Set(markers).size).toBe(markers.length);

    // core kinds: exact shape
    expect(byKey(entries, 'task:start')).toMatchObject({ file: 'deno.json', line: 3, source: 'deno.json', entrypoint: 'mix-deno-json.ts', permissions: { net: ['api.example.com'] } });
    expect(byKey(entries, 'script:serve')).toMatchObject({ file: 'package.json', line: 5, source: 'package.json', runtime: 'node', permissions: { read: ['/srv'], net: 'none' } });
    expect(entries.find((e) => e.file === 'scripts/run.sh')).toMatchObject({ line: 4, source: 'shell', permissions: { read: ['./data'] } });
    expect(entries.find((e) => e.file === 'mix-shebang')).toMatchObject({ line: 1, source: 'shebang', permissions: { env: ['HOME'] } });
    const decl = byKey(entries, 'permission-set:worker');
    expect(decl).toMatchObject({ type: 'declaration', line: 6, permissions: { read: ['./data'], net: 'all' }, denied: { net: ['169.254.169.254'] } });
  });

  it('an unresolved value is left out of the grants however the variable is written (`$DATA` or `${DATA}`)', async () => {
    const entries = await auditFiles({
      'package.json': JSON.stringify({ scripts: { a: 'deno run --allow-read=${DATA},./x main.ts', b: 'deno run --allow-read=$DATA/in,./y main.ts' } }),
    });
    const a = byKey(entries, 'script:a');
    expect(a.unresolved).toEqual([{ kind: 'read', value: '${DATA}', text: '--allow-read=${DATA},./x', why: 'shell variable $DATA', line: 1, column: 27 }]);
    expect(a.grants?.read).toEqual({ allow: ['./x'], deny: [], ignore: [] });
    const b = byKey(entries, 'script:b');
    expect(b.unresolved).toMatchObject([{ kind: 'read', value: '$DATA/in', why: 'shell variable $DATA' }]);
    expect(b.grants?.read).toEqual({ allow: ['./y'], deny: [], ignore: [] });
  });
});
