import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('Procfile (fixtures/launch-procfile)', () => {
  it('reads each process type in the deployment context (Procfile.dev: development) and follows the task it runs', async () => {
    const { findings, model } = await lintFixture('launch-procfile');
    expect(brief(findings)).toEqual([
      'unscoped-grant Procfile:2:19 warning', // release: --allow-read with no list
      'unscoped-grant Procfile:4:27 warning', // worker: --allow-fs-read=*
      'allow-all Procfile.dev:1:15 warning', // development: one step lower
      'allow-all deno.json:4:24 error', // clock: deno task clock runs in the deployment context
    ]);
    expect(findings.find((f) => f.span.file === 'deno.json')?.related?.map((r) => `${r.span.file}:${r.span.line}`)).toEqual(['Procfile:5']);
    expect(model.invocations.filter((i) => i.origin.source === 'procfile').map((i) => i.origin.name)).toEqual(['release', 'web', 'worker', 'clock', 'web']);
    // a commented-out line and `echo "deno run -A …"` are not invocations
    expect(findings.some((f) => f.span.file === 'Procfile' && f.span.line >= 6)).toBe(false);
  });
});
