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
      'migrate apps/api migrate.ts', // the package.json script that nx:run-script runs (read where it is written)
      'serve apps/api main.ts',
      'serve apps/api worker.ts',
      'seed apps/api tools/seed.ts',
    ]);
    // nx:run-script is recorded as the run it makes (npm, no packageManager here), so the link phase follows it to the script
    const run = model.commands.find((c) => c.origin.source === 'nx' && c.origin.name === 'migrate')!;
    expect(`${run.program.value} ${run.args.map((a) => a.value).join(' ')} in ${run.context.cwd} at ${run.origin.span.line}:${run.origin.span.column}`).toBe('npm run migrate in apps/api at 13:70');
    expect(run.packageManager?.script?.name).toBe('migrate');
  });
});
