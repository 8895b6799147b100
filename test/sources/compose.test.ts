import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';
import { dynamicText } from '../../src/messages/dynamic.js';

describe('compose source', () => {
  it('reads command as a string or list, entrypoint, environment as a map (through a merge key) or a list', async () => {
    const { findings, model } = await lintFixture('deploy-compose');
    const b = brief(findings);
    // string command split into words; user "0:0" and the docker socket are the container layer
    expect(b).toContain('unscoped-grant docker-compose.yml:8:32 error');
    expect(b).toContain('container-privileges docker-compose.yml:8:32 warning');
    // entrypoint ["node"] + command list; NODE_OPTIONS from `<<: *common` turns the permission model on
    expect(b).toContain('subprocess-escalation docker-compose.yml:16:16 error');
    expect(b.some((x) => x.startsWith('permission-model-disabled docker-compose.yml'))).toBe(false);
    // list-form environment and the deno image entrypoint for a command list
    expect(b).toContain('allow-all docker-compose.yml:20:23 error');
    expect(b).toContain('insecure-tls docker-compose.yml:22:9 error');
    // the service built from ./api works in that folder
    const api = model.invocations.find((i) => i.origin.name === 'api')!;
    expect(api.context.cwd).toBe('api');
    // ${PORT:-8000} is not known statically
    expect(dynamicText(model.env.find((e) => e.name === 'PORT')!.value.dynamic!)).toMatch(/PORT/);
  });

  it('reports nothing for a scoped, frozen, non-root service', async () => {
    const { findings } = await lintFixture('deploy-compose');
    // the `safe` service (lines 24-27) and the other services' lines the fixture keeps clean
    expect(brief(findings.filter((f) => f.span.line >= 24))).toEqual([]);
    expect(findings.filter((f) => f.subject?.name === 'safe')).toEqual([]);
  });
});
