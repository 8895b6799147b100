import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { positions, where } from '../typescript/where.js';

const RULE = 'missing-timeout';
const FX = 'ts-netscript';

describe(RULE, () => {
  it('fires once per task granted run, write or net that leaves timeout or retries implicit, naming what is missing', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, RULE)).toEqual([
      where(FX, 'workers/presets.ts', "task('const-object')", 'task'),
      where(FX, 'workers/tasks.ts', "defineTask('charge-customer')", 'defineTask'),
    ]);
    const f = findings.filter((x) => x.ruleId === RULE);
    expect(f.every((x) => x.level === 'note')).toBe(true);
    expect(f[0]!.message).toMatch(/timeout .* and its retry count/);
    expect(f[0]!.message).toContain('write');
  });

  it('does not fire when both are set, or when the task reaches neither run, write nor net', async () => {
    const { findings, model } = await lintFixture(FX);
    const flagged = new Set(findings.filter((x) => x.ruleId === RULE).map((x) => x.subject?.id));
    for (const name of ['daily-report', 'everything', 'fetcher', 'spread', 'merged', 'python-etl', 'inline']) {
      const d = model.declarations.find((x) => x.name === name)!;
      expect(flagged.has(d.id), name).toBe(false);
    }
  });

  it('names only what is missing when one of the two is set', async () => {
    const { lintDir } = await import('../helpers.js');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'permlint-timeout-'));
    try {
      writeFileSync(
        join(dir, 'task.ts'),
        "import { defineTask } from '@netscript/plugin-workers-core';\nexport const t = defineTask('t').entrypoint('./t.ts').permissions({ net: ['a.example.com'] }).timeout(5000).build();\nexport const u = defineTask('u').entrypoint('./u.ts').permissions({ read: ['./data'] }).build();\n",
      );
      const { findings } = await lintDir(dir);
      const f = findings.filter((x) => x.ruleId === RULE);
      expect(f.map((x) => `${x.span.line}:${x.span.column}`)).toEqual(['2:18']);
      expect(f[0]!.message).toContain('retry count');
      expect(f[0]!.message).not.toContain('its timeout');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
