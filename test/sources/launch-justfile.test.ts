import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';
import { dynamicText } from '../../src/messages/dynamic.js';

describe('justfile (fixtures/launch-justfile)', () => {
  it('reads recipe lines (@/- prefixes, continuations) and shebang recipes as one script, {{…}} as unknown, in the development context', async () => {
    const { findings, model } = await lintFixture('launch-justfile');
    expect(brief(findings)).toEqual([
      'allow-all justfile:6:15 warning', // @deno run --allow-all
      'unscoped-grant justfile:10:7 note', // --allow-read on the continued line
      'unresolved-value justfile:13:15 note', // --allow-net=localhost:{{port}}: a just variable, read when just runs
      'subprocess-escalation justfile:19:14 warning', // inside a #!/usr/bin/env bash recipe
    ]);
    expect(model.invocations.map((i) => i.origin.name)).toEqual(['serve', 'build', 'check', 'script']);
    const check = model.invocations.find((i) => i.origin.name === 'check')!;
    expect(check.argv.map((a) => a.value)).toContain('--allow-net=localhost:{{port}}');
    expect(dynamicText(check.argv.find((a) => a.value.includes('{{port}}'))?.dynamic ?? [])).toContain('just interpolation {{port}}');
    // `port := "8000"` is an assignment, not a recipe; echo is not an invocation
  });
});
