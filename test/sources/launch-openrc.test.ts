import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { brief, FIXTURES, lintFixture, runMain } from '../helpers.js';
import { kindByContent } from '../../src/sources/registry.js';

const cliLines = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { rule: string; file: string; line: number; column: number; level: string }[] }).findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level}`);

describe('OpenRC service scripts (fixtures/launch-openrc)', () => {
  it('reads command + command_args as the daemon, command_user as who runs it, in the deployment context', async () => {
    const { findings, model } = await lintFixture('launch-openrc');
    expect(brief(findings)).toEqual([
      'allow-all etc/init.d/api:5:19 error',
      // command_args with an earlier variable expanded (${QUEUE_HOME}), run as command_user=root
      'container-privileges packaging/queue.initd:4:27 warning',
      'unscoped-grant packaging/queue.initd:4:27 error',
      // a command written out in start_pre()
      'unscoped-grant packaging/queue.initd:9:20 error',
    ]);
    expect(findings.find((f) => f.ruleId === 'container-privileges')!.related?.map((r) => `${r.span.line}:${r.span.column} ${r.message}`)).toEqual(['5:1 `command_user=root` runs the service as root']);
    const queue = model.invocations.find((i) => i.origin.name === 'queue/command')!;
    expect(queue.entrypoint?.value).toBe('/opt/queue/server.js');
    expect(queue.programArgs.map((a) => a.value)).toEqual(['--port', '${QUEUE_PORT}']);
    expect(queue.context.container?.user?.value).toBe('root');
    expect(model.invocations.find((i) => i.origin.name === 'worker/command')!.context.container?.user?.text).toBe('command_user=deno:deno');
    // look-alikes: a scoped daemon with its own user, and a sysvinit script whose words are only text
    expect(model.invocations.filter((i) => i.origin.source === 'openrc').map((i) => `${i.origin.file} ${i.origin.name} ${i.context.kind}`)).toEqual([
      'etc/init.d/api api/command deployment',
      'etc/init.d/worker worker/command deployment',
      'packaging/queue.initd queue deployment',
      'packaging/queue.initd queue/command deployment',
    ]);
    expect(findings.some((f) => f.span.file === 'etc/init.d/worker' || f.span.file === 'etc/init.d/legacy')).toBe(false);
  });

  it('is found by its #!/sbin/openrc-run line, before any other shebang reading', () => {
    expect(kindByContent('#!/sbin/openrc-run\ncommand=/usr/bin/deno\n', 'etc/init.d/api', false)).toBe('openrc');
    expect(kindByContent('#!/usr/sbin/openrc-run\n', 'pkg/api.initd', false)).toBe('openrc');
    expect(kindByContent('#!/bin/sh\n', 'etc/init.d/legacy', false)).toBe('shebang');
  });

  it('the CLI: exit code 1 on the error, and a service script named explicitly is linted', async () => {
    const dir = resolve(FIXTURES, 'launch-openrc');
    const all = await runMain(['--format', 'json', '.'], dir);
    expect(all.code).toBe(1);
    expect(cliLines(all.stdout)).toEqual([
      'allow-all etc/init.d/api:5:19 error',
      'container-privileges packaging/queue.initd:4:27 warning',
      'unscoped-grant packaging/queue.initd:4:27 error',
      'unscoped-grant packaging/queue.initd:9:20 error',
    ]);
    const worker = await runMain(['--format', 'json', 'etc/init.d/worker'], dir);
    expect(worker.code).toBe(0);
    expect(cliLines(worker.stdout)).toEqual([]);
    expect(cliLines((await runMain(['--format', 'json', 'etc/init.d/api'], dir)).stdout)).toEqual(['allow-all etc/init.d/api:5:19 error']);
  });
});
