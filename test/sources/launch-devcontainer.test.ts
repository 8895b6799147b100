import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('dev containers (fixtures/launch-devcontainer)', () => {
  it('reads lifecycle commands as shell text, argv and named parallel commands, in the development context', async () => {
    const { findings, model } = await lintFixture('launch-devcontainer');
    expect(brief(findings)).toEqual([
      'lifecycle-scripts .devcontainer/devcontainer.json:5:45 note', // onCreateCommand string
      'allow-all .devcontainer/devcontainer.json:6:41 warning', // postCreateCommand array: no shell
      'unscoped-grant .devcontainer/devcontainer.json:8:25 note', // postStartCommand.server
    ]);
    expect(findings.every((f) => f.context === 'development')).toBe(true);
    // the workspace folder holds .devcontainer; `echo deno run -A` is not an invocation
    expect(model.invocations.map((i) => `${i.origin.name} ${i.context.cwd}`)).toEqual(['onCreateCommand ', 'postCreateCommand ', 'postStartCommand.server ', 'postStartCommand.watch ']);
  });
});
