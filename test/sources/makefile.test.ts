import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('Makefile source', () => {
  it('expands literal variables, strips @/- prefixes, follows continuations and ; recipes', async () => {
    const { findings, model } = await lintFixture('deploy-makefile');
    const run = model.invocations.find((i) => i.origin.name === 'run')!;
    expect(run.command.value).toBe('deno'); // $(RUNTIME) → $(DENO) → deno
    expect(run.permissions.map((p) => p.text)).toEqual(['--allow-read=.', '--allow-net']);
    expect(run.context.kind).toBe('development');
    const b = brief(findings);
    expect(b).toContain('unscoped-grant Makefile:8:22 note');
    expect(b).toContain('unscoped-grant Makefile:11:25 warning');
    expect(b).toContain('unresolved-value Makefile:14:11 note');
    const check = model.invocations.find((i) => i.origin.name === 'check')!;
    expect(check.entrypoint?.value).toBe('check.ts');
    expect(check.entrypoint?.span.line).toBe(15);
    expect(b.filter((x) => x.includes('Makefile:18'))).toEqual([]);
  });
});
