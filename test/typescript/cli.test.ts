/** The built CLI (run `npm run build` first, as `npm test` does) on TypeScript fixtures. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, runMain } from '../helpers.js';
import { where } from './where.js';

const empty = mkdtempSync(join(tmpdir(), 'permlint-ts-cli-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('permlint CLI on TypeScript', () => {
  it('reports NetScript findings with positions and fails the run', async () => {
    const r = await runMain(['--format', 'json', '.'], resolve(FIXTURES, 'ts-netscript'));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; column: number }[] };
    const omitted = out.findings.filter((f) => f.rule === 'omitted-permissions').map((f) => `${f.file}:${f.line}:${f.column}`);
    expect(omitted).toContain(where('ts-netscript', 'workers/tasks.ts', "defineTask('charge-customer')", 'defineTask'));
  });

  it('never loads the TypeScript parser in a tree without candidates (module loads traced by Node)', async () => {
    writeFileSync(join(empty, 'a.ts'), 'export const add = (a: number, b: number): number => a + b;\n');
    // no invocation with an entrypoint either: section G (over-/under-grant) reads entrypoints with the same parser
    writeFileSync(join(empty, 'deno.json'), '{ "tasks": { "fmt": "deno fmt --check" } }\n');
    const none = runCli(['--format', 'json', '.'], empty, { NODE_DEBUG: 'module' });
    expect(none.code).toBe(0);
    expect(none.stderr).not.toContain('oxc-parser');
    // the same trace does show it when a candidate exists (so the check above can fail)
    const some = runCli(['--format', 'json', '.'], resolve(FIXTURES, 'ts-worker'), { NODE_DEBUG: 'module' });
    expect(some.stderr).toContain('oxc-parser');
  });
});
