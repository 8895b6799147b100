/**
 * scripts/bench-bound.mjs, the lower bounds `npm run bench -- --bounds` measures: each mode does
 * the work it names on the files it is given, and nothing is taken from a file it was not given.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BOUND = fileURLToPath(new URL('../../scripts/bench-bound.mjs', import.meta.url));
let dir: string;
const bound = (...args: string[]) => spawnSync(process.execPath, [BOUND, ...args], { cwd: dir, encoding: 'utf8' });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'permlint-bound-'));
  mkdirSync(join(dir, 'src/deep'), { recursive: true });
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
  writeFileSync(join(dir, 'src/task.ts'), "new Deno.Command('deno', { args: ['run', '-A', 'x.ts'] });\n");
  writeFileSync(join(dir, 'src/deep/view.tsx'), 'export const V = () => <div>{Deno.run({ cmd: ["ls"] })}</div>;\n');
  writeFileSync(join(dir, 'src/plain.ts'), 'export const a = 1;\n');
  writeFileSync(join(dir, '.github/workflows/ci.yml'), 'on: push\n---\njobs: {}\n');
  writeFileSync(join(dir, 'deno.json'), '{ "tasks": { "a": "deno run -A x.ts" } }\n');
  writeFileSync(join(dir, 'node_modules/x/package.json'), '{}\n');
  writeFileSync(join(dir, 'list.json'), JSON.stringify({
    read: ['src/task.ts', 'src/deep/view.tsx', 'src/plain.ts', '.github/workflows/ci.yml', 'deno.json', 'node_modules/x/package.json'],
    ts: ['src/task.ts', 'src/deep/view.tsx'],
    yaml: ['.github/workflows/ci.yml'],
    json: ['deno.json', 'node_modules/x/package.json'],
  }));
  writeFileSync(join(dir, 'folders.json'), JSON.stringify(['.', 'src', 'src/deep', 'gone']));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench lower bounds', () => {
  it('parse: reads the listed files the floor walks (not node_modules) and parses each listed TypeScript, YAML and JSON file once', () => {
    const r = bound('parse', 'list.json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('read 5, parsed 2 TypeScript, 1 YAML (2 documents), 1 JSON\n');
  });

  it('parse: with nothing for the second thread, reads and parses the JSON in the main one', () => {
    writeFileSync(join(dir, 'json-only.json'), JSON.stringify({ read: ['deno.json', 'src/plain.ts'], ts: [], yaml: [], json: ['deno.json'] }));
    const r = bound('parse', 'json-only.json');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('read 2, parsed 0 TypeScript, 0 YAML (0 documents), 1 JSON\n');
  });

  it('list and stat run without reading or failing on a folder that is gone', () => {
    for (const args of [['list'], ['stat', 'folders.json']]) {
      const r = bound(...args);
      expect(r.status).toBe(0);
      expect(r.stdout + r.stderr).toBe('');
    }
  });

  it('stops with exit 2 on an unknown mode', () => {
    const r = bound('lint');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^usage: node scripts\/bench-bound\.mjs parse <list\.json> \| list \| stat <folders\.json>/);
  });
});
