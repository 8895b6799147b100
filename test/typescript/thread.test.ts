/**
 * The TypeScript analysis in the parser thread (src/sources/typescript/thread.ts) against the same
 * analysis in the scan's thread: the model and the findings must be identical, on every fixture
 * folder that holds JavaScript or TypeScript and on a tree made for the cross-thread parts
 * (permission sets, config contexts, re-exports that wake earlier files, parse errors).
 *
 * The thread loads the compiled analyser, so this test runs the compiled library (`dist/`, built
 * by `npm test` before vitest); under vitest the TypeScript sources analyse in-thread only.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, holdsCode } from '../helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the compiled modules are untyped here */
const dist = (m: string) => import(/* @vite-ignore */ new URL(`../../dist/src/${m}`, import.meta.url).href) as Promise<any>;

async function both(input: unknown, options: Record<string, unknown> = {}): Promise<{ here: string; thread: string; analysed: number }> {
  const { lint } = await dist('lint.js');
  const { typescriptThreadCount } = await dist('sources/typescript/index.js');
  const run = async (env: string | undefined) => {
    if (env === undefined) delete process.env.PERMLINT_TS_THREAD;
    else process.env.PERMLINT_TS_THREAD = env;
    const r = await lint(input, options);
    return JSON.stringify({ model: r.model, findings: r.findings });
  };
  const here = await run('0');
  const before = typescriptThreadCount();
  const thread = await run(undefined);
  return { here, thread, analysed: typescriptThreadCount() - before };
}

describe('TypeScript analysis in the parser thread', () => {
  afterAll(async () => {
    delete process.env.PERMLINT_TS_THREAD;
    await (await dist('sources/typescript/parser.js')).stopParser();
  });

  it('gives the same model and findings as the analysis in the scan thread on every fixture with code', async () => {
    let analysed = 0;
    const folders = readdirSync(FIXTURES).filter((d) => statSync(join(FIXTURES, d)).isDirectory() && holdsCode(join(FIXTURES, d)));
    expect(folders.length).toBeGreaterThan(10);
    for (const d of folders) {
      const r = await both(['.'], { cwd: join(FIXTURES, d) });
      expect(r.thread, d).toBe(r.here);
      analysed += r.analysed;
    }
    expect(analysed).toBeGreaterThan(20);
  });

  it('sends permission sets, config contexts, re-exports and parse errors across', async () => {
    const { memoryFs } = await dist('fs.js');
    const files = {
      'deno.json': JSON.stringify({ permissions: { net: { net: ['example.com'] }, default: { read: true } }, test: { permissions: { env: true } } }),
      'app/run.ts': "import { spawn } from './proc.ts';\nspawn('deno', ['run', '-P=net', 'main.ts']);\nnew Deno.Command('deno', { args: ['run', '-P', 'x.ts'] });\n",
      'app/proc.ts': "export { spawn } from './barrel.ts';\n",
      'app/barrel.ts': "export * from 'node:child_process';\n",
      'app/late_test.ts': "new Deno.Command('deno', { args: ['test', '-P', 'a_test.ts'] });\n",
      'deploy/task.ts': "import { defineTask } from 'jsr:@netscript/plugin-workers-core';\nexport default defineTask({ name: 't', entrypoint: './t.ts' }).permissions({ net: ['a.example'] });\n",
      'broken.ts': "new Deno.Command('deno', { args: [ });\n",
      'deep.ts': `new Deno.Command('deno', { args: ${'['.repeat(1200)}${']'.repeat(1200)} });\n`,
      'w.js': "new Worker(new URL('./x.js', import.meta.url), { type: 'module', deno: { permissions: { net: true } } });\n",
    };
    const contextOverride = (f: string) => (f === 'app/run.ts' ? 'deployment' : undefined);
    const r = await both({ fs: memoryFs(files), paths: ['.'] }, { cwd: '/', contextOverride });
    expect(r.analysed).toBe(8);
    expect(r.thread).toBe(r.here);
    const model = JSON.parse(r.thread).model;
    // the -P set resolved in the thread, the barrel woke app/run.ts, the contexts came across
    const run = model.invocations.filter((i: any) => i.origin.file === 'app/run.ts');
    expect(run.map((i: any) => i.context.kind)).toEqual(['deployment', 'deployment']);
    expect(JSON.stringify(model)).toContain('example.com');
  });

  it('reads modules that only re-export when an importer asks for them, with the same model as reading each in its turn', async () => {
    const { memoryFs } = await dist('fs.js');
    const files = {
      // an importer before its barrel (it waits; the barrel is read in its turn and wakes it)
      'a/early.ts': "import { spawn } from './z_barrel.ts';\nspawn('deno', ['run', '-A', 'a.ts']);\n",
      'a/z_barrel.ts': "export { spawn } from 'node:child_process';\n",
      // barrels before their importer, one through the other (both read when b/use.ts asks)
      'b/a_barrel.ts': "// the public face\nexport * from './b_impl.ts';\n",
      'b/b_impl.ts': "export { execFile, spawn } from 'node:child_process'\nexport type { ChildProcess } from 'node:child_process'\n",
      'b/use.ts': "import { execFile } from './a_barrel.ts';\nexecFile('deno', ['run', '--allow-net', 'b.ts']);\nnew Deno.Command('deno', { args: ['test', '-A'] });\n",
      // a barrel nobody imports (never read), and one whose module is not in the scan
      'c/mod.ts': "export * from './x.ts';\nexport * as cp from 'node:child_process';\n",
      'd/index.js': "export { fork } from './gone.js'\n",
      'd/use.js': "import { fork } from './index.js';\nfork('deno', ['run', '-A', 'd.ts']);\n",
    };
    const r = await both({ fs: memoryFs(files), paths: ['.'] }, { cwd: '/' });
    expect(r.thread).toBe(r.here);
    const model = JSON.parse(r.thread).model;
    expect(model.invocations.map((i: any) => i.origin.file).sort()).toEqual(['a/early.ts', 'b/use.ts', 'b/use.ts']);
  });

  it('a file woken by a module whose exports lead nowhere puts its facts again after the files read since (as a run again would)', async () => {
    const { memoryFs } = await dist('fs.js');
    const files = {
      'a.ts': "import { assert } from './z_util.ts';\nassert(true);\nnew Deno.Command('deno', { args: ['run', '-A', 'a.ts'] });\n",
      'm.ts': "new Deno.Command('deno', { args: ['run', '-A', 'm.ts'] });\n",
      // a candidate of its own whose exports are only a package's: a.ts waits for it, and learns nothing
      'z_util.ts': "export { assert } from 'jsr:@std/assert';\nnew Deno.Command('deno', { args: ['run', '-A', 'z.ts'] });\n",
    };
    const r = await both({ fs: memoryFs(files), paths: ['.'] }, { cwd: '/' });
    expect(r.thread).toBe(r.here);
    expect(JSON.parse(r.thread).model.invocations.map((i: any) => i.origin.file)).toEqual(['m.ts', 'z_util.ts', 'a.ts']);
  });
});
