import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURES, runMain } from '../helpers.js';

const MIXED = resolve(FIXTURES, 'audit-mixed');

describe('permlint audit (the CLI in process)', () => {
  it('--format json: version 2 and one entry per invocation and declaration, with the documented fields', async () => {
    const r = await runMain(['audit', '--format', 'json'], MIXED);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(2);
    const ids = doc.invocations.map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const start = doc.invocations.find((e: { id: string }) => e.id === 'deno.json#task:start');
    expect(start).toMatchObject({
      file: 'deno.json',
      line: 3,
      source: 'deno.json',
      runtime: 'deno',
      command: 'run',
      entrypoint: 'mix-deno-json.ts',
      context: { kind: 'development' },
      permissions: { read: 'none', net: ['api.example.com'], write: 'none' },
    });
    for (const e of doc.invocations) {
      for (const field of ['file', 'line', 'source', 'runtime', 'command', 'entrypoint', 'context', 'permissions', 'grants', 'base', 'startup']) expect(e, `${e.id} ${field}`).toHaveProperty(field);
      for (const v of Object.values(e.permissions)) expect(v === 'all' || v === 'none' || Array.isArray(v)).toBe(true);
    }
  });

  it('JSON v2 carries what a reviewer needs to recompute the answer: allow/deny/ignore, base folder, unresolved values, implicit grants, start-up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-audit-'));
    mkdirSync(join(dir, 'api'));
    writeFileSync(
      join(dir, 'api', 'deno.json'),
      `{
  "permissions": { "app": { "read": ["./data"], "env": { "allow": true, "deny": ["SECRET"] } } },
  "tasks": {
    "a": "deno run --allow-read=$DATA,./x --deny-env=TOKEN --ignore-env=FOO main.ts",
    "s": "deno serve --port=9000 --allow-net=api.example.com srv.ts",
    "b": "deno run -- main.ts"
  }
}
`,
    );
    const doc = JSON.parse((await runMain(['audit', '--format', 'json'], dir)).stdout);
    const by = (id: string) => doc.invocations.find((e: { id: string }) => e.id === id);
    const set = by('api/deno.json#permission-set:app');
    expect(set).toMatchObject({ base: 'api', grants: { read: { allow: ['./data'], deny: [], ignore: [] }, env: { allow: 'all', deny: ['SECRET'], ignore: [] } }, startup: { starts: true } });
    const a = by('api/deno.json#task:a');
    // $DATA is not a literal path: it is listed as unresolved and left out of the scopes
    expect(a.permissions.read).toEqual(['./x']);
    expect(a.grants.read).toEqual({ allow: ['./x'], deny: [], ignore: [] });
    expect(a.grants.env).toEqual({ allow: [], deny: ['TOKEN'], ignore: ['FOO'] });
    expect(a.unresolved).toEqual([{ kind: 'read', value: '$DATA', text: '--allow-read=$DATA,./x', why: 'shell variable $DATA', line: 4, column: 20 }]);
    expect(a.implicitGrants.map((g: { kind: string; values: string[] }) => [g.kind, g.values.length > 3 ? 'many' : g.values])).toEqual([
      ['import', 'many'],
      ['read', ['main.ts']],
    ]);
    const s = by('api/deno.json#task:s');
    expect(s.implicitGrants.find((g: { kind: string }) => g.kind === 'net').values).toEqual(['0.0.0.0:9000', '127.0.0.1:9000', 'localhost:9000']);
    const b = by('api/deno.json#task:b');
    expect(b.startup).toMatchObject({ starts: false, refusals: [{ code: 'refused-at-start', line: 6 }] });
    const text = (await runMain(['audit'], dir)).stdout;
    expect(text).toContain('api/deno.json:4 task:a: --allow-read=$DATA,./x (shell variable $DATA)');
    expect(text).toContain('the runtime refuses to start:');
  });

  it('--format markdown: a matrix with one row per entry and one column per kind', async () => {
    const r = await runMain(['audit', '--format', 'markdown'], MIXED);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const header = lines.find((l) => l.startsWith('| Location'))!;
    expect(header).toContain('| read | write | net | env | sys | run | ffi | import | worker | wasi | inspector |');
    expect(r.stdout).toContain('| `deno.json:3` | task:start | `deno run mix-deno-json.ts` | development | - | - | api.example.com |');
    const rows = lines.filter((l) => l.startsWith('| `'));
    const json = JSON.parse((await runMain(['audit', '--format', 'json'], MIXED)).stdout);
    expect(rows).toHaveLength(json.invocations.length);
  });

  it('stylish (default): the same matrix for the terminal, implicit grants explained', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-audit-'));
    writeFileSync(join(dir, 'package.json'), '{ "scripts": { "start": "node server.js" } }');
    const r = await runMain(['audit'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^location\s+entry\s+runs\s+context\s+read\s+write\s+net/);
    expect(r.stdout).toMatch(/package\.json:1\s+script:start\s+node server\.js\s+development\s+all\s+all/);
    expect(r.stdout).toContain('the Node permission model is not enabled');
  });

  it('audits only the paths given and writes --output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-audit-'));
    const out = join(dir, 'inventory.json');
    const r = await runMain(['audit', 'scripts', '--format', 'json', '--output', out], MIXED);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.invocations.map((e: { file: string }) => e.file)).toEqual(['scripts/run.sh']);
  });

  it("honours the config's ignore globs and contexts; --no-config turns it off", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-audit-'));
    mkdirSync(join(dir, 'deploy'));
    mkdirSync(join(dir, 'tools'));
    writeFileSync(join(dir, 'deploy/start.sh'), 'deno run --allow-net main.ts\n');
    writeFileSync(join(dir, 'tools/gen.sh'), 'deno run -A gen.ts\n');
    writeFileSync(join(dir, 'permlint.config.json'), '{ "ignore": ["tools/**"], "contexts": { "deployment": ["deploy/**"] } }\n');
    const doc = JSON.parse((await runMain(['audit', '--format', 'json'], dir)).stdout);
    expect(doc.invocations.map((e: { file: string; context: { kind: string } }) => `${e.file} ${e.context.kind}`)).toEqual(['deploy/start.sh deployment']);
    const all = JSON.parse((await runMain(['audit', '--format', 'json', '--no-config'], dir)).stdout);
    expect(all.invocations.map((e: { file: string; context: { kind: string } }) => `${e.file} ${e.context.kind}`)).toEqual(['deploy/start.sh development', 'tools/gen.sh development']);
  });

  it('exits 2 on a missing path, an unknown format and a lint-only option', async () => {
    const missing = await runMain(['audit', 'nope'], MIXED);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory: nope');
    const fmt = await runMain(['audit', '--format', 'sarif'], MIXED);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain('unknown format');
    expect((await runMain(['audit', '--fail-on', 'warning'], MIXED)).code).toBe(2);
  });
});
