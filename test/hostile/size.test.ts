/**
 * Hostile trees, part 4: inputs built to multiply work (issue 16, items 3, 4 and 11). Each case
 * runs the built CLI on one generated file and checks that it finishes with exit 0, 1 or 2,
 * under the memory bound, and that no message quotes more than a short excerpt. No wall-clock
 * limit is asserted (the figures are printed; docs/security.md quotes them). The 1.8 MB deno.json
 * task and the 2 MiB Dockerfile are measured in docs/security.md but not asserted here: both
 * finish, linearly, above the 300 MB bound (the shell reader's and dockerfile-ast's memory).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_RSS_KB, cleanup, figures, record, runCli, tempTree } from './harness.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) cleanup(d);
  console.log(figures.map((f) => `${f.name}: exit ${f.code}, ${f.seconds} s, ${f.peakMb} MB`).join('\n'));
});

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

const CASES: [string, Record<string, string>][] = [
  ['shell: a variable of 20,000 paths used on 2,000 lines (188 KB)', { 'run.sh': `P="${lines(20000, (i) => `/p/${i}`).replace(/\n/g, ' ')}"\n${lines(2000, () => 'deno run --allow-read=$P main.ts')}` }],
  ['shell: 200,000 lines of echo a (1.4 MB)', { 'run.sh': lines(200000, () => 'echo a') }],
  ['Makefile: 150,000 recipe lines', { Makefile: `all:\n${lines(150000, () => '\techo a')}` }],
  ['Makefile: a variable of 100 KB used 2,000 times', { Makefile: `X := ${'y'.repeat(100000)}\nZ = ${'$(X)'.repeat(20)}\nall:\n${lines(100, () => '\tdeno run --allow-read=$(Z) main.ts')}` }],
  ['Makefile: $( nested 100,000 deep', { Makefile: `all:\n\techo ${'$('.repeat(100000)}${')'.repeat(100000)}\n` }],
  ['YAML: an anchor of a 100 KB string aliased 2,000 times', { '.github/workflows/ci.yml': `x: &a "deno run --allow-read=${'/p'.repeat(50000)} main.ts"\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n${lines(2000, () => '      - run: *a')}` }],
  ['YAML: flow collections nested 100,000 deep', { 'k8s.yml': `apiVersion: v1\nkind: Pod\nspec: ${'['.repeat(100000)}${']'.repeat(100000)}\n` }],
  ['JSON: nested 100,000 deep', { 'deno.json': `${'['.repeat(100000)}${']'.repeat(100000)}` }],
  ['TOML: nested 100,000 deep', { 'mise.toml': `a = ${'['.repeat(100000)}${']'.repeat(100000)}\n` }],
  ['TypeScript: parentheses nested 100,000 deep', { 'main.ts': `new Worker(${'('.repeat(100000)}1${')'.repeat(100000)});\nDeno.Command("x");\n` }],
];

describe('hostile sizes: work stays proportional to the input', () => {
  it.each(CASES)('%s', async (name, files) => {
    const dir = tempTree(files);
    dirs.push(dir);
    const r = record(name, await runCli(['--format', 'json', '.'], dir));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect([0, 1]).toContain(r.code);
    expect(r.peakKb).toBeLessThan(MAX_RSS_KB);
    const out = JSON.parse(r.stdout) as { findings: { message: string }[] };
    for (const f of out.findings) expect(f.message.length, f.message.slice(0, 200)).toBeLessThan(2000);
    expect(r.stdout.length).toBeLessThan(20 * 1024 * 1024);
    // past a budget, the finding says so
    if (name.startsWith('Makefile: a variable')) expect(out.findings.map((f) => f.message)).toContain('Makefile variables expand to more than 1024 KiB in this file (the expansion budget); the rest are left unexpanded');
    if (name.startsWith('YAML: an anchor')) expect(out.findings.some((f) => f.message.includes('(the expansion budget); not read'))).toBe(true);
  });
});

describe('hostile encodings', () => {
  it('a UTF-8 byte order mark does not shift columns; UTF-16 with a byte order mark is decoded', async () => {
    const json = '{"tasks":{"a":"deno run -A main.ts"}}';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]).toString('latin1');
    const dir = tempTree({ 'a/deno.json': `\uFEFF${json}`, 'b/deno.json': json, 'c/deno.json': '' });
    dirs.push(dir);
    writeFileSync(join(dir, 'c/deno.json'), Buffer.from(utf16, 'latin1'));
    const r = record('BOM and UTF-16', await runCli(['--format', 'json', '.'], dir));
    const where = (JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; column: number }[] }).findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column}`);
    expect(where).toEqual(['allow-all a/deno.json:1:25', 'allow-all b/deno.json:1:25', 'allow-all c/deno.json:1:25']);
  });
});
