/**
 * Section G started during the scan (src/infer/index.ts GraphsAhead, from src/lint.ts): the graphs
 * of the entrypoints the scan finds are built in the parser thread while the scan goes on, and the
 * rules take the ones they want. The inferences and findings must be those of section G after the
 * scan, in this thread (PERMLINT_TS_THREAD=0); test/infer/thread.test.ts compares every fixture.
 *
 * The thread loads the compiled modules, so this test runs the compiled library (`dist/`).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the compiled modules are untyped here */
const dist = (m: string) => import(/* @vite-ignore */ new URL(`../../dist/${m}`, import.meta.url).href) as Promise<any>;

afterAll(async () => {
  delete process.env.PERMLINT_TS_THREAD;
  await (await dist('src/sources/typescript/parser.js')).stopParser();
});

describe('section G started during the scan', () => {
  it('builds the graphs of the entrypoints found during the scan, with the inferences and findings of section G after it', async () => {
    const { lint } = await dist('src/lint.js');
    const { inferAheadCount } = await dist('src/infer/index.js');
    const run = async (options: Record<string, unknown>) => {
      const r = await lint(['.'], { cwd: join(FIXTURES, 'infer-rules'), ...options });
      return JSON.stringify({ inferences: r.model.inferences, findings: r.findings });
    };
    process.env.PERMLINT_TS_THREAD = '0';
    const here = await run({});
    delete process.env.PERMLINT_TS_THREAD;
    const before = inferAheadCount();
    expect(await run({})).toBe(here);
    expect(inferAheadCount() - before).toBeGreaterThan(0);
    // the graphs of invocations whose rules are off in their context are built and not taken
    const off = { engine: { levels: { 'over-grant': 'off' } } };
    process.env.PERMLINT_TS_THREAD = '0';
    const hereOff = await run(off);
    delete process.env.PERMLINT_TS_THREAD;
    expect(await run(off)).toBe(hereOff);
  });

  it('a run on named files starts section G at its first invocation worth it', async () => {
    const { lint } = await dist('src/lint.js');
    const { inferAheadCount } = await dist('src/infer/index.js');
    const cwd = join(FIXTURES, 'infer-rules');
    const { readdirSync } = await import('node:fs');
    const named = readdirSync(cwd).filter((f) => /\.(json|ya?ml)$/.test(f));
    expect(named.length).toBeGreaterThan(0);
    const run = async () => {
      const r = await lint(named, { cwd });
      return JSON.stringify({ inferences: r.model.inferences, findings: r.findings });
    };
    process.env.PERMLINT_TS_THREAD = '0';
    const here = await run();
    delete process.env.PERMLINT_TS_THREAD;
    const before = inferAheadCount();
    expect(await run()).toBe(here);
    expect(inferAheadCount() - before).toBeGreaterThan(0);
  });
});
