import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('GitHub Actions corners (fixtures/launch-github-actions)', () => {
  it('expands a literal matrix with each value read where the matrix writes it, reads docker:// steps with args, and composite actions', async () => {
    const { findings, model } = await lintFixture('launch-github-actions');
    expect(brief(findings)).toEqual([
      'subprocess-escalation .github/actions/gen/action.yml:7:30 warning', // composite runs.steps
      'allow-all .github/workflows/ci.yml:8:41 warning', // the matrix value "--allow-all", at its own position
      'unscoped-grant .github/workflows/ci.yml:16:30 warning', // docker://denoland/deno with args
    ]);
    // one reading per matrix combination; the scoped value gives no finding
    const runs = model.invocations.filter((i) => i.origin.file === '.github/workflows/ci.yml' && i.entrypoint?.value === 'tools/lint.ts');
    expect(runs.map((i) => i.argv.map((a) => a.value).join(' '))).toEqual(['run --frozen --allow-read=./data tools/lint.ts', 'run --frozen --allow-all tools/lint.ts']);
    expect(runs.map((i) => i.id)).toEqual([
      '.github/workflows/ci.yml#check/2#matrix:matrix.flags=--allow-read=./data, matrix.task=lint.ts',
      '.github/workflows/ci.yml#check/2#matrix:matrix.flags=--allow-all, matrix.task=lint.ts',
    ]);
    // the docker:// image pins the runtime of what it runs; alpine running echo is nothing
    const gen = model.invocations.find((i) => i.entrypoint?.value === 'scripts/gen.ts')!;
    expect(gen.context.runtimeVersion?.value).toBe('denoland/deno:2.9.6');
    expect(findings.some((f) => f.span.line >= 17 && f.span.file === '.github/workflows/ci.yml')).toBe(false);
  });
});
