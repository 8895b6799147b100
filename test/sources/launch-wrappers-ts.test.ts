import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('runtimes started from code through wrappers (fixtures/launch-wrappers-ts)', () => {
  it('reads dax $ templates, legacy Deno.run({ cmd }) and spawn("sh", ["-c", …]) with positions in the source', async () => {
    const { findings, model } = await lintFixture('launch-wrappers-ts');
    expect(brief(findings)).toEqual([
      'allow-all tools.ts:5:18 warning', // $`deno run --allow-all ${file}`
      'unresolved-value tools.ts:5:32 note', // ${file}: one unknown word
      'unscoped-grant tools.ts:7:46 warning', // Deno.run({ cmd: [...] })
      'unscoped-grant tools.ts:8:30 note', // spawn("sh", ["-c", "deno run --allow-net …"])
    ]);
    // the scoped dax command is read and silent; spawn("echo", …) is no invocation
    expect(model.invocations.map((i) => i.origin.span.line)).toEqual([5, 6, 7, 8]);
  });
});
