import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('GitHub Actions source', () => {
  it('reads run: block scalars with exact lines, env expansion and ${{ }} as unknown', async () => {
    const { findings, model } = await lintFixture('deploy-actions');
    const b = brief(findings);
    // `$LOCK_FLAGS` comes from the workflow env (--frozen): not flagged
    expect(b.some((x) => x.startsWith('unfrozen-lockfile .github/workflows/ci.yml:19:'))).toBe(false);
    const check = model.invocations.find((i) => i.id === '.github/workflows/ci.yml#test/3#2')!;
    expect(check.command.span).toMatchObject({ line: 19, column: 11 });
    // the line inside the block scalar after a continuation
    expect(b).toContain('unfrozen-lockfile .github/workflows/ci.yml:20:11 warning');
    expect(b).toContain('unscoped-grant .github/workflows/ci.yml:20:20 note');
    expect(b).toContain('unresolved-value .github/workflows/ci.yml:21:13 note');
    const u = findings.find((f) => f.ruleId === 'unresolved-value' && f.span.line === 21)!;
    expect(u.message).toContain('${{ inputs.extra }}');
    // folded scalar
    expect(b).toContain('unfrozen-lockfile .github/workflows/ci.yml:29:11 warning');
  });

  it('reads the job container, setup-deno matrix versions and setup-node versions', async () => {
    const { findings, model } = await lintFixture('deploy-actions');
    const b = brief(findings);
    expect(b).toContain('container-privileges .github/workflows/ci.yml:36:32 note');
    expect(b).toContain('vulnerable-runtime .github/workflows/ci.yml:10:17 error');
    expect(b).toContain('vulnerable-runtime .github/workflows/ci.yml:27:25 error');
    // 2.8.1 in the same matrix is not affected
    expect(b.some((x) => x.startsWith('vulnerable-runtime .github/workflows/ci.yml:10:27'))).toBe(false);
    const pins = (model.pins ?? []).filter((p) => p.source === 'github-actions').map((p) => p.text);
    expect(pins).toEqual(['1.40.0', '2.8.1', '20.3.0', 'denoland/deno:2.8.1']);
  });

  it('reads composite actions and skips run: blocks of other shells', async () => {
    const { findings } = await lintFixture('deploy-actions');
    const b = brief(findings);
    expect(b).toContain('unfrozen-lockfile .github/actions/setup/action.yml:6:12 warning');
    expect(b.some((x) => x.includes('action.yml:8:'))).toBe(false);
  });
});
