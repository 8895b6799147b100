/**
 * The TypeScript analysis started while discovery walks the tree, and with it the parser thread
 * (src/sources/typescript/index.ts AnalysisAhead): the model and the findings must be those of the
 * analysis in the scan's thread, a run that parses nothing must end as before, and a thread that
 * cannot start must be reported as the first parse reports it.
 *
 * The thread loads the compiled modules, so this test runs the compiled library (`dist/`, built
 * by `npm test` before vitest).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, removeFixtureCopies, runMain, scratchDir } from '../helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the compiled modules are untyped here */
const dist = (m: string) => import(/* @vite-ignore */ new URL(`../../dist/src/${m}`, import.meta.url).href) as Promise<any>;

/** The model and findings of a lint with the analysis here (PERMLINT_TS_THREAD=0), then in the thread, and how the analysis ahead turned out. */
async function both(input: unknown, options: Record<string, unknown> = {}, before?: () => Promise<void>) {
  const { lint } = await dist('lint.js');
  const { aheadOutcomes } = await dist('sources/typescript/parser.js');
  process.env.PERMLINT_TS_THREAD = '0';
  const r0 = await lint(input, options);
  const here = JSON.stringify({ model: r0.model, findings: r0.findings });
  delete process.env.PERMLINT_TS_THREAD;
  const at = { ...aheadOutcomes };
  await before?.();
  const r1 = await lint(input, options);
  const thread = JSON.stringify({ model: r1.model, findings: r1.findings });
  return { here, thread, stood: aheadOutcomes.stood - at.stood, again: aheadOutcomes.again - at.again, reordered: aheadOutcomes.reordered - at.reordered };
}

afterEach(() => removeFixtureCopies());
afterAll(async () => {
  delete process.env.PERMLINT_TS_THREAD;
  await (await dist('sources/typescript/parser.js')).stopParser();
});

describe('the parser thread started during discovery', () => {
  it('starts at the first candidate the walk finds, and gives the model and findings of the analysis here', async () => {
    const { stopParser, parserThreadStarted } = await dist('sources/typescript/parser.js');
    const cwd = join(FIXTURES, 'ts-worker');
    const r = await both(['.'], { cwd }, async () => {
      await stopParser();
    });
    expect(parserThreadStarted()).toBe(true);
    expect(r.thread).toBe(r.here);
    expect(r.stood + r.again).toBe(1);
  });

  it('a CLI run on a tree with no TypeScript ends with the report and exit code main() gives', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'deno.json'), '{ "tasks": { "dev": "deno run -A main.ts", "x": "deno eval \\"console.log(1)\\"" } }\n');
    mkdirSync(join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(join(dir, '.github/workflows/ci.yml'), 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno run --allow-all x.ts\n');
    const args = ['--format', 'json', '--persona', 'auditor', '.'];
    const cli = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const inProcess = await runMain(args, dir);
    expect(JSON.parse(inProcess.stdout).findings.length).toBeGreaterThan(0);
    expect(cli.status).toBe(inProcess.code);
    expect(cli.stdout).toBe(inProcess.stdout);
  });

  it('a thread that cannot start (Node permission model, no native addons) is reported as the first parse reports it', () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'main.ts'), 'new Deno.Command("deno", { args: ["run", "-A", "x.ts"] });\n');
    // (Node 20 spells it --experimental-permission; later versions --permission)
    const flag = Number(process.versions.node.split('.')[0]) >= 22 ? '--permission' : '--experimental-permission';
    const r = spawnSync(process.execPath, [flag, '--allow-fs-read=*', '--allow-worker', BIN, '--verbose', '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('main.ts  not read: cannot parse main.ts as TypeScript: the TypeScript parser cannot start (cannot load oxc-parser:');
    expect(JSON.parse(r.stdout).findings).toEqual([]);
  });
});

describe('the TypeScript analysis started during discovery', () => {
  it('stands when the walk hands the candidates over in scan order; starts again in it when a folder `a-b/` comes after `a/`', async () => {
    const { memoryFs } = await dist('fs.js');
    const spawn = (n: string) => `new Deno.Command('deno', { args: ['run', '-A', '${n}.ts'] });\n`;
    const files = {
      'a/m.ts': "import { run } from './z_barrel.ts';\nrun();\n" + spawn('am'),
      'a/z_barrel.ts': "export { spawn as run } from 'node:child_process';\n",
      'a/sub/mod.ts': spawn('sub'),
      'b.ts': spawn('b'),
    };
    const inOrder = await both({ fs: memoryFs(files), paths: ['.'] }, { cwd: '/' });
    expect(inOrder.thread).toBe(inOrder.here);
    expect([inOrder.stood, inOrder.reordered]).toEqual([1, 0]);
    // a/m.ts is handed over when the walk enters a/sub/; a-b/ is walked after a/ and comes before it
    const late = await both({ fs: memoryFs({ ...files, 'a-b/y.ts': spawn('ab') }), paths: ['.'] }, { cwd: '/' });
    expect(late.thread).toBe(late.here);
    expect([late.stood, late.reordered]).toEqual([1, 1]);
    expect(JSON.parse(late.thread).model.invocations.length).toBe(4);
  });

  it('starts again with the permission sets when a -P look-up comes out differently from none, and waits for modules found later', async () => {
    const { memoryFs } = await dist('fs.js');
    const files = {
      'deno.json': JSON.stringify({ permissions: { net: { net: ['example.com'] } } }),
      'app/run.ts': "import { spawn } from './z_proc.ts';\nspawn('deno', ['run', '-P=net', 'main.ts']);\n",
      'app/z_proc.ts': "export { spawn } from 'node:child_process';\n",
    };
    const r = await both({ fs: memoryFs(files), paths: ['.'] }, { cwd: '/' });
    expect(r.thread).toBe(r.here);
    // (again when the thread had analysed app/run.ts before the sets came: it depends on timing)
    expect(r.stood + r.again).toBe(1);
    expect(JSON.stringify(JSON.parse(r.thread).model.invocations)).toContain('example.com');
    // without the set, the guess stands; app/run.ts waited for app/z_proc.ts, found after it
    const { 'deno.json': _, ...noSets } = files;
    const s = await both({ fs: memoryFs(noSets), paths: ['.'] }, { cwd: '/' });
    expect(s.thread).toBe(s.here);
    expect([s.stood, s.again]).toEqual([1, 0]);
    expect(JSON.parse(s.thread).model.invocations.map((i: any) => i.origin.file)).toEqual(['app/run.ts']);
  });

  it('on named files (a pre-commit run): starts on them before the link-only walk, and the scan takes it over', async () => {
    const { memoryFs } = await dist('fs.js');
    const files = {
      'deno.json': JSON.stringify({ permissions: { net: { net: ['example.com'] } }, tasks: { dev: 'deno run -P=net app/run.ts' } }),
      '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno task dev\n',
      'app/run.ts': "import { spawn } from 'node:child_process';\nspawn('deno', ['run', '-P=net', 'main.ts']);\n",
      'tools/b.ts': "new Deno.Command('deno', { args: ['run', '-A', 'b.ts'] });\n",
    };
    // (named out of path order: the analysis ahead starts again in the scan's order)
    for (const paths of [['app/run.ts'], ['tools/b.ts', 'app/run.ts', 'deno.json']]) {
      const r = await both({ fs: memoryFs(files), paths }, { cwd: '/' });
      expect(r.thread).toBe(r.here);
      expect(r.stood + r.again).toBe(1);
      const model = JSON.parse(r.thread).model;
      expect(JSON.stringify(model.invocations)).toContain('example.com');
      expect(model.invocations.filter((i: any) => i.origin.file.endsWith('.ts')).map((i: any) => i.origin.file)).toEqual(paths.filter((p) => p.endsWith('.ts')).sort());
    }
  });

  it('in the thread: a session ahead whose -P look-up the sets answer differently starts again and answers as a session with the sets', async () => {
    const { threadAnalyzer } = await dist('sources/typescript/thread.js');
    const { createRequire } = await import('node:module');
    const { parseSync } = createRequire(import.meta.url)('oxc-parser/src-js/bindings');
    const parseOne = (path: string, text: string, lang: string, sourceTypes: string[], range: boolean) => {
      const r = parseSync(path, text, { lang, sourceType: sourceTypes[0], astType: 'ts', range, preserveParens: false });
      return r.errors.length ? { error: { code: 'ts-syntax', detail: r.errors[0].message, offset: 0 } } : { json: r.program };
    };
    const contexts = { development: 'development', deployment: 'deployment', test: 'test' };
    const tsFiles = [
      { path: 'app/run.ts', text: "import { spawn } from './z_proc.ts';\nspawn('deno', ['run', '-P=net', 'main.ts']);\n", contexts },
      { path: 'app/z_proc.ts', text: "export { spawn } from 'node:child_process';\n", contexts },
    ];
    const sets = { folders: [['', [['net', 'deno.json#permission-set:net']]]], declarations: [{ id: 'deno.json#permission-set:net', permissions: [], origin: { file: 'deno.json' } }] };
    const run = async (messages: unknown[][]) => {
      const posted: any[] = [];
      const a = threadAnalyzer(parseOne, (m: any) => posted.push(m));
      for (const batch of messages) {
        for (const m of batch) a.receive(m);
        // (one file per turn of the event loop: until none is queued)
        while (a.queued() > 0) await new Promise((r) => setImmediate(r));
      }
      return posted;
    };
    const ahead = await run([[{ analysis: 'ahead', sid: 1 }, { analysis: 'files', sid: 1, files: tsFiles }], [{ analysis: 'confirm', sid: 1, sets }]]);
    const plain = await run([[{ analysis: 'session', sid: 1, sets, files: tsFiles }]]);
    expect(ahead[0]).toEqual({ sid: 1, ahead: 'again' });
    expect(ahead.slice(1)).toEqual(plain);
    expect(JSON.stringify(plain)).toContain('deno.json#permission-set:net');
    // with no set to find, what it answered before the sets came stands
    const noSets = { folders: [], declarations: [] };
    const stood = await run([[{ analysis: 'ahead', sid: 2 }, { analysis: 'files', sid: 2, files: tsFiles }], [{ analysis: 'confirm', sid: 2, sets: noSets }]]);
    expect(stood[0]).toEqual({ sid: 2, ahead: 'stood' });
    expect(stood.slice(1)).toEqual(await run([[{ analysis: 'session', sid: 2, sets: noSets, files: tsFiles }]]));
  });

  it('the text a module found later is given stands for one the sniff keeps', async () => {
    const { MAY_COME } = await dist('sources/typescript/thread.js');
    const { sniff } = await dist('sources/typescript/sniff.js');
    expect(sniff(MAY_COME)).toBe(true);
  });
});
