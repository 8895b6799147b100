import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('systemd source', () => {
  it('reads ExecStart with prefixes, continuations and Environment= variables; User=root is the container layer', async () => {
    const { findings, model } = await lintFixture('deploy-systemd');
    const b = brief(findings);
    expect(b).toContain('insecure-tls deploy/app.service:7:39 error');
    expect(b).toContain('container-privileges deploy/app.service:10:3 warning');
    expect(b).toContain('unscoped-grant deploy/app.service:10:3 error');
    const start = model.invocations.find((i) => i.id === 'deploy/app.service#ExecStart:2')!;
    expect(start.permissions.map((p) => p.text)).toEqual(['--allow-net=:8080', '--allow-write']);
    expect(start.context).toMatchObject({ kind: 'deployment', container: { workdir: '/srv/app' } });
    const pre = model.invocations.find((i) => i.id === 'deploy/app.service#ExecStartPre:1')!;
    expect(pre.command.span).toMatchObject({ line: 8, column: 15 });
  });

  it('does not call a non-root service a privileged container', async () => {
    const { findings } = await lintFixture('deploy-systemd');
    expect(brief(findings).filter((x) => x.includes('safe.service'))).toEqual(['unscoped-grant deploy/safe.service:3:38 error']);
  });
});
