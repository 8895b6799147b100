import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('Nx project.json (fixtures/launch-nx)', () => {
  it('reads nx:run-commands commands (strings and { command }), the command shorthand and cwd, in the development context', async () => {
    const { findings, model } = await lintFixture('launch-nx');
    expect(brief(findings)).toEqual([
      'allow-all apps/api/project.json:7:32 warning',
      'unscoped-grant apps/api/project.json:11:36 warning',
    ]);
    expect(model.invocations.map((i) => `${i.origin.name} ${i.context.cwd} ${i.entrypoint?.value}`)).toEqual([
      'serve apps/api main.ts',
      'serve apps/api worker.ts',
      'seed apps/api tools/seed.ts',
    ]);
  });
});
