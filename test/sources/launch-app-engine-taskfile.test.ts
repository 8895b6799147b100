import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('App Engine app.yaml (fixtures/launch-app-engine)', () => {
  it('reads entrypoint in the deployment context; an app.yaml that is a Kubernetes manifest is read as one', async () => {
    const { findings, model } = await lintFixture('launch-app-engine');
    expect(brief(findings)).toEqual([
      'unscoped-grant app.yaml:3:31 warning',
      'subprocess-escalation app.yaml:3:49 error',
      'allow-all k8s/app.yaml:11:45 error',
    ]);
    expect(model.invocations.map((i) => `${i.origin.source} ${i.origin.name}`)).toEqual(['app-engine api.entrypoint', 'kubernetes Pod/app/app']);
  });
});

describe('Taskfile (fixtures/launch-taskfile)', () => {
  it('reads cmds (strings and cmd:), the shorthand list form and dir, with {{.VAR}} as unknown, in the development context', async () => {
    const { findings, model } = await lintFixture('launch-taskfile');
    expect(brief(findings)).toEqual([
      'allow-all Taskfile.yml:6:18 warning',
      'unscoped-grant Taskfile.yml:10:23 note',
      'unresolved-value Taskfile.yml:10:35 note',
    ]);
    expect(model.invocations.map((i) => `${i.origin.name} ${i.context.cwd}`)).toEqual(['build tools', 'serve ', 'lint ']);
    expect(findings.find((f) => f.ruleId === 'unresolved-value')!.message).toContain('{{.DATA_DIR}}');
  });
});
