/**
 * Section G in the parser thread (src/infer/thread.ts) against the same code in the scan's thread
 * (PERMLINT_TS_THREAD=0): the inferences and the findings of over-grant and under-grant must be
 * identical, on every fixture folder and on every program of the ground truth (`permlint infer`).
 *
 * The thread loads the compiled analyser, so this test runs the compiled library (`dist/`, built
 * by `npm test` before vitest); under vitest the TypeScript sources build the graphs here only.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, holdsCode } from '../helpers.js';
// @ts-expect-error: a plain .mjs helper shared with the refresh script
import { NODE_PROGRAMS, PROGRAMS, fixtureNames, nodeEntry, nodeFixtureNames } from '../../scripts/infer-truth.mjs';

/* eslint-disable @typescript-eslint/no-explicit-any -- the compiled modules are untyped here */
const dist = (m: string) => import(/* @vite-ignore */ new URL(`../../dist/${m}`, import.meta.url).href) as Promise<any>;

/** Runs `f` here (PERMLINT_TS_THREAD=0), then in the thread; both results as JSON and the graphs the thread built. */
async function both(f: () => Promise<unknown>, worth: (here: any) => boolean = () => true): Promise<{ here: string; thread: string; built: number }> {
  const { inferThreadCount } = await dist('src/infer/index.js');
  process.env.PERMLINT_TS_THREAD = '0';
  const before = inferThreadCount();
  const first = await f();
  const here = JSON.stringify(first);
  expect(inferThreadCount()).toBe(before);
  delete process.env.PERMLINT_TS_THREAD;
  if (!worth(first)) return { here, thread: here, built: 0 };
  const thread = JSON.stringify(await f());
  return { here, thread, built: inferThreadCount() - before };
}

describe('section G in the parser thread', () => {
  afterAll(async () => {
    delete process.env.PERMLINT_TS_THREAD;
    await (await dist('src/sources/typescript/parser.js')).stopParser();
  });

  it('gives the same inferences and over-/under-grant findings as the scan thread on every fixture folder', async () => {
    const { lint } = await dist('src/lint.js');
    const { RULES } = await dist('rules/index.js');
    const rules = RULES.filter((r: any) => r.meta.id === 'over-grant' || r.meta.id === 'under-grant');
    let built = 0;
    let inferred = 0;
    // (a folder without code has no entrypoint to read)
    const folders = readdirSync(FIXTURES).filter((d) => statSync(join(FIXTURES, d)).isDirectory() && holdsCode(join(FIXTURES, d)));
    for (const d of folders) {
      const r = await both(async () => {
        const res = await lint(['.'], { cwd: join(FIXTURES, d), rules });
        return { inferences: res.model.inferences, findings: res.findings };
        // (nothing inferred here: no entrypoint could be read, nothing to compare)
      }, (here) => !!here.inferences?.length);
      expect(r.thread, d).toBe(r.here);
      built += r.built;
      inferred += (JSON.parse(r.here).inferences ?? []).length;
    }
    expect(built).toBeGreaterThan(20);
    expect(inferred).toBeGreaterThan(20);
  });

  it('infers the same from every ground-truth program, Deno and Node (`permlint infer`)', async () => {
    const { inferEntrypoint } = await dist('src/infer/index.js');
    const { inferFs } = await dist('src/infer/fs.js');
    const { nodeFs } = await dist('src/fs.js');
    const programs: [string, string, 'deno' | 'node'][] = [
      ...(fixtureNames() as string[]).map((n): [string, string, 'deno'] => [join(PROGRAMS, n), 'main.ts', 'deno']),
      ...(nodeFixtureNames() as string[]).map((n): [string, string, 'node'] => [join(NODE_PROGRAMS, n), nodeEntry(n), 'node']),
    ];
    expect(programs.length).toBeGreaterThan(50);
    for (const [dir, entry, runtime] of programs) {
      const r = await both(() => inferEntrypoint(entry, inferFs(nodeFs, dir), runtime));
      expect(r.built, dir).toBe(1);
      expect(r.thread, dir).toBe(r.here);
      expect(JSON.parse(r.here).needs.length + JSON.parse(r.here).limits.length, dir).toBeGreaterThan(0);
    }
  });

  it('builds a tree held in memory here: the thread reads only the disk', async () => {
    const { lint } = await dist('src/lint.js');
    const { memoryFs } = await dist('src/fs.js');
    const { inferThreadCount } = await dist('src/infer/index.js');
    const before = inferThreadCount();
    const files = { 'deno.json': JSON.stringify({ tasks: { start: 'deno run --allow-env=A main.ts' } }), 'main.ts': 'Deno.env.get("A");\nDeno.env.get("B");\n' };
    const res = await lint({ fs: memoryFs(files), paths: ['.'] }, { cwd: '/' });
    expect(inferThreadCount()).toBe(before);
    expect(res.model.inferences?.[0]?.needs.map((n: any) => `${n.kind}:${n.value} ${n.span.file}:${n.span.line}`)).toEqual(['env:A main.ts:1', 'env:B main.ts:2']);
  });

  it('reads `deno eval` code there too, with the same answers (src/eval-code.ts)', async () => {
    const { lint } = await dist('src/lint.js');
    const { memoryFs } = await dist('src/fs.js');
    const { parseRequestCount } = await dist('src/sources/typescript/parser.js');
    const codes = ["console.log('Welcome to Deno!')", 'console.log(Deno.version.deno)', "Deno.readTextFileSync('/etc/passwd')", "import('npm:chalk')", 'console.log(', "Deno['readTextFileSync']('/x')"];
    const tasks = Object.fromEntries(codes.map((c, i) => [`t${i}`, `deno eval ${JSON.stringify(c)}`]));
    const sent: number[] = [];
    const r = await both(async () => {
      const before = parseRequestCount();
      const res = await lint({ fs: memoryFs({ 'deno.json': JSON.stringify({ tasks }) }), paths: ['.'] }, { cwd: '/' });
      sent.push(parseRequestCount() - before);
      return { evals: res.model.invocations.map((i: any) => i.implicitAll), findings: res.findings };
    });
    expect(r.thread).toBe(r.here);
    // parsed from here the first time (one request per code), inside the thread the second
    expect(sent).toEqual([codes.length, 0]);
    expect(JSON.parse(r.here).evals.map((a: any) => !!a?.codeNeedsNothing)).toEqual([true, true, false, false, false, false]);
  });

  it('asks for `deno eval` code while the scan runs when the thread already runs, with the same answers (src/eval-ahead.ts)', async () => {
    const { lint } = await dist('src/lint.js');
    const { memoryFs } = await dist('src/fs.js');
    const { evalAheadCounts } = await dist('src/eval-ahead.js');
    const codes = ["console.log('hi')", 'Deno.readTextFileSync("/etc/passwd")', "console.log('hi')", 'console.log(1)'];
    const tasks = Object.fromEntries(codes.map((c, i) => [`t${i}`, `deno eval ${JSON.stringify(c)}`]));
    // the eval with --ext and a file the workflow runs: the scan finds them in two files
    tasks.js = 'deno eval --ext=js "console.log(2)"';
    const files = {
      'deno.json': JSON.stringify({ tasks }),
      '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno eval "Deno.env.get(\'HOME\')"\n      - run: deno eval "console.log(\'hi\')"\n',
      // a candidate of the TypeScript analysis: the walk starts the parser thread
      'src/spawn.ts': 'new Deno.Command("git", { args: ["status"] });\n',
    };
    const at = { ...evalAheadCounts };
    const r = await both(async () => {
      const res = await lint({ fs: memoryFs(files), paths: ['.'] }, { cwd: '/' });
      return { evals: res.model.invocations.filter((i: any) => i.subcommand === 'eval').map((i: any) => [i.entrypoint.value, !!i.implicitAll?.codeNeedsNothing]), findings: res.findings };
    });
    expect(r.thread).toBe(r.here);
    expect(JSON.parse(r.here).evals.filter((e: any) => e[1]).map((e: any) => e[0]).sort()).toEqual(["console.log('hi')", "console.log('hi')", "console.log('hi')", 'console.log(1)', 'console.log(2)'].sort());
    // here (PERMLINT_TS_THREAD=0) nothing is asked ahead; in the thread each distinct code once, and every answer taken from it
    expect(evalAheadCounts.asked - at.asked).toBe(5);
    expect(evalAheadCounts.used - at.used).toBe(7);
  });

  it('asks for `deno eval` code while the scan runs in a pre-commit run whose named file starts the thread, with the same answers', async () => {
    const { lint } = await dist('src/lint.js');
    const { evalAheadCounts } = await dist('src/eval-ahead.js');
    const dir = mkdtempSync(join(tmpdir(), 'permlint-eval-ahead-'));
    try {
      // a repository (the named files link against the rest of it): a workflow that runs the named module reads two codes
      mkdirSync(join(dir, '.git'));
      mkdirSync(join(dir, '.github/workflows'), { recursive: true });
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, '.github/workflows/ci.yml'), 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno run -A src/spawn.ts\n      - run: deno eval "Deno.env.get(\'HOME\')"\n      - run: deno eval "console.log(\'hi\')"\n');
      writeFileSync(join(dir, 'deno.json'), JSON.stringify({ tasks: { hi: 'deno eval "console.log(\'hi\')"', one: 'deno eval "console.log(1)"' } }));
      // a TypeScript module: the pre-commit run starts the parser thread for it
      writeFileSync(join(dir, 'src/spawn.ts'), 'new Deno.Command("git", { args: ["status"] });\n');
      const at = { ...evalAheadCounts };
      const r = await both(async () => {
        const res = await lint(['src/spawn.ts', 'deno.json'], { cwd: dir });
        return {
          evals: res.model.invocations.filter((i: any) => i.subcommand === 'eval').map((i: any) => [i.origin.file, i.entrypoint.value, !!i.implicitAll?.codeNeedsNothing]),
          linkOnly: [...res.linkOnly],
          findings: res.findings,
        };
      });
      expect(r.thread).toBe(r.here);
      const here = JSON.parse(r.here);
      expect(here.linkOnly).toEqual(['.github/workflows/ci.yml']);
      expect(here.evals.filter((e: any) => e[2]).map((e: any) => `${e[0]} ${e[1]}`).sort()).toEqual([
        ".github/workflows/ci.yml console.log('hi')",
        "deno.json console.log('hi')",
        'deno.json console.log(1)',
      ]);
      // each distinct code asked once while the scan ran, and all four answers taken from those
      expect(evalAheadCounts.asked - at.asked).toBe(3);
      expect(evalAheadCounts.used - at.used).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
