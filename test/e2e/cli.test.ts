import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runMain } from '../helpers.js';

/**
 * The built CLI as a subprocess: the exit status Node sets for 0, 1 and 2, and no stack trace on
 * stderr. A deliberate, small set of process starts; the option combinations that only decide
 * which of those codes main() returns run main() in this process (runMain).
 */
describe('permlint CLI (built, as a subprocess)', () => {
  it('prints the version and exits 0', () => {
    const r = runCli(['--version'], process.cwd());
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 with a clear message for a path that does not exist', () => {
    const r = runCli(['does-not-exist'], process.cwd());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file or directory: does-not-exist');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 2 for an unknown option and an unknown format', async () => {
    expect(runCli(['--bogus'], process.cwd()).code).toBe(2);
    const r = await runMain(['--format', 'xml', '.'], process.cwd());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown format');
  });

  it('reports a malformed deno.json as parse-error at the right position, exit 1, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-'));
    writeFileSync(join(dir, 'deno.json'), '{\n  "tasks": {\n    "a": "deno run main.ts"\n    "b": 1\n}\n');
    const r = runCli(['--format', 'json', '.'], dir);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.findings).toEqual([expect.objectContaining({ rule: 'parse-error', file: 'deno.json', line: 4, column: 5 })]);
    expect(r.stderr).toBe('');
  });

  it("keeps JSON output clean when the yaml library's debug switches (LOG_TOKENS, LOG_STREAM) are set", () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-'));
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(join(dir, '.github/workflows/ci.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno run -A main.ts\n');
    const r = runCli(['--format', 'json', '.'], dir, { LOG_TOKENS: '1', LOG_STREAM: '1' });
    const doc = JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; column: number }[] };
    expect(doc.findings).toContainEqual(expect.objectContaining({ rule: 'allow-all', file: '.github/workflows/ci.yml', line: 6, column: 23 }));
  });

  it('exits 0 on a clean tree and 1 when an error is found; --fail-on never exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-'));
    writeFileSync(join(dir, 'deno.json'), '{ "tasks": { "start": "deno run --allow-net=api.example.com main.ts" } }');
    expect(runCli(['.'], dir).code).toBe(0);
    // development context: an unscoped write is an error lowered to a warning
    writeFileSync(join(dir, 'run.sh'), 'deno run --allow-write main.ts\n');
    expect((await runMain(['--persona', 'pedantic', '.'], dir)).code).toBe(0);
    expect((await runMain(['--persona', 'pedantic', '--fail-on', 'warning', '.'], dir)).code).toBe(1);
    // the default persona leaves broad grants of developer tooling to the pedantic one
    expect((await runMain(['--fail-on', 'warning', '.'], dir)).code).toBe(0);
    // a mistake keeps its level everywhere
    writeFileSync(join(dir, 'run.sh'), 'node --allow-child-process app.js\n');
    const r = runCli(['.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1:6');
    expect(r.stdout).toContain('permission-model-disabled');
    expect((await runMain(['--fail-on', 'never', '.'], dir)).code).toBe(0);
  });
});
