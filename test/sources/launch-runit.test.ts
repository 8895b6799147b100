import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { brief, FIXTURES, lintFixture, runMain } from '../helpers.js';
import { kindByName } from '../../src/sources/registry.js';

const cliLines = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { rule: string; file: string; line: number; column: number; level: string }[] }).findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level}`);

describe('runit run scripts (fixtures/launch-runit)', () => {
  it('reads service/*/run and sv/*/run as deployment shell; chpst -u is a wrapper that says who the program runs as', async () => {
    const { findings, model } = await lintFixture('launch-runit');
    expect(brief(findings)).toEqual([
      // chpst -u api: not root, so only the grant itself
      'unscoped-grant service/api/run:3:53 error',
      'allow-all service/cron/run:4:15 error',
      // chpst -u root:root: root, said by the wrapper
      'container-privileges sv/worker/run:2:43 warning',
      'subprocess-escalation sv/worker/run:2:43 error',
    ]);
    expect(findings.find((f) => f.span.file === 'sv/worker/run' && f.ruleId === 'container-privileges')!.related?.map((r) => `${r.span.line}:${r.span.column} ${r.message}`)).toEqual([
      '2:15 `chpst -u root:root` runs the service as root',
    ]);
    const api = model.invocations.find((i) => i.origin.name === 'api')!;
    expect(api.context.container?.user?.value).toBe('api');
    expect(api.context.container?.user?.text).toBe('chpst -u api');
    // look-alikes: the log service, an echo, a scoped service under its own user
    expect(model.invocations.map((i) => `${i.origin.source} ${i.origin.name} ${i.context.kind}`)).toEqual([
      'runit api deployment',
      'runit cron deployment',
      'runit docs deployment',
      'runit worker deployment',
    ]);
  });

  it('claims run scripts of service folders by name, not other files called run', () => {
    for (const p of ['service/api/run', 'sv/worker/run', 'etc/sv/x/run', 'service/api/log/run']) expect(kindByName(p), p).toBe('runit');
    for (const p of ['scripts/run', 'service/run', 'service/api/run.sh']) expect(kindByName(p), p).not.toBe('runit');
  });

  it('the CLI: exit code 1 on the error, and a run script named explicitly is linted', async () => {
    const dir = resolve(FIXTURES, 'launch-runit');
    const all = await runMain(['--format', 'json', '.'], dir);
    expect(all.code).toBe(1);
    expect(cliLines(all.stdout)).toEqual([
      'unscoped-grant service/api/run:3:53 error',
      'allow-all service/cron/run:4:15 error',
      'container-privileges sv/worker/run:2:43 warning',
      'subprocess-escalation sv/worker/run:2:43 error',
    ]);
    const docs = await runMain(['--format', 'json', 'service/docs/run'], dir);
    expect(docs.code).toBe(0);
    expect(cliLines(docs.stdout)).toEqual([]);
    expect(cliLines((await runMain(['--format', 'json', 'sv/worker/run'], dir)).stdout)).toEqual(['container-privileges sv/worker/run:2:43 warning', 'subprocess-escalation sv/worker/run:2:43 error']);
  });
});
