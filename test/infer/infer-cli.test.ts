import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runMain } from '../helpers.js';

describe('permlint infer', () => {
  it('prints the least-privilege command, each grant with its call sites, and a permission set', async () => {
    const r = await runMain(['infer', 'main.ts'], resolve(FIXTURES, 'infer-programs/wrapper-fn'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('main.ts (2 modules)\n  deno run --allow-read=./files/one.txt,./files/two.txt main.ts\n');
    expect(r.stdout).toContain('./files/one.txt  `load("one.txt")` at main.ts:2');
    expect(r.stdout).toContain('"read": ["./files/one.txt", "./files/two.txt"]');
  });

  it('says why a kind cannot be narrowed, and what it cannot know', async () => {
    const r = await runMain(['infer', 'main.ts'], resolve(FIXTURES, 'infer-programs/cli-args'));
    expect(r.stdout).toContain('  --allow-read\n    cannot narrow --allow-read: `Deno.readTextFile(path)` at main.ts:2\n');
  });

  it('infers each invocation of a task, as JSON', async () => {
    const r = await runMain(['infer', 'start', '--format', 'json'], resolve(FIXTURES, 'infer-rules'));
    expect(r.code).toBe(0);
    const [t] = JSON.parse(r.stdout);
    expect(t.target).toBe('deno.json task `start`');
    expect(t.flags).toEqual(['--allow-read=./config.json,./static/about.html,./static/index.html', '--allow-net=127.0.0.1:8080,api.example.com:443', '--allow-env=PORT']);
    expect(t.grants[1].uses.map((u: { line: number }) => u.line)).toEqual([10, 11]);
  });

  it('exits 2 for a name that is neither a file nor a task', async () => {
    const r = await runMain(['infer', 'nope'], resolve(FIXTURES, 'infer-rules'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no file, task or script named `nope`');
  });
});
