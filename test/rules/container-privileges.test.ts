import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('container-privileges', () => {
  it('points at the broad grant with the root evidence as a related location', async () => {
    const { findings } = await lintFixture('deploy-dockerfile');
    const f = findings.filter((x) => x.ruleId === 'container-privileges');
    expect(brief(f)).toEqual(['container-privileges Dockerfile:23:14 warning', 'container-privileges Dockerfile.worker:3:5 warning']);
    expect(f[0]!.message).toMatch(/`-A` grants every permission.*`USER root` runs the container as root/);
    expect(f[0]!.related?.map((r) => `${r.span.file}:${r.span.line}`)).toEqual(['Dockerfile:21']);
    // Node without the permission model in a final stage without USER
    expect(f[1]!.message).toContain('Node without the permission model');
    expect(f[1]!.related?.map((r) => r.span.line)).toEqual([1]);
  });

  it('names privileged, host namespaces and host mounts', async () => {
    const k8s = await lintFixture('deploy-kubernetes');
    const f = k8s.findings.filter((x) => x.ruleId === 'container-privileges');
    expect(brief(f)).toEqual(['container-privileges k8s/app.yaml:21:15 warning', 'container-privileges k8s/app.yaml:47:26 warning', 'container-privileges k8s/app.yaml:67:15 warning']);
    expect(f[1]!.message).toContain('hostPID: true');
    expect(f[2]!.message).toContain('Docker socket');
    const compose = await lintFixture('deploy-compose');
    const c = compose.findings.filter((x) => x.ruleId === 'container-privileges');
    expect(brief(c)).toEqual(['container-privileges docker-compose.yml:8:32 warning', 'container-privileges docker-compose.yml:16:16 warning']);
    expect(c[0]!.related?.map((r) => r.span.line)).toEqual([9, 11]);
  });

  it('stays quiet for scoped grants as root and broad grants without the container layer', async () => {
    const { findings } = await lintFixture('deploy-kubernetes');
    // the init container runs as root (pod runAsUser: 0) with scoped, frozen flags
    expect(findings.filter((f) => f.ruleId === 'container-privileges' && f.span.line === 14)).toEqual([]);
    // -A in a pod without root, privileges or host mounts
    expect(findings.filter((f) => f.ruleId === 'container-privileges' && f.span.file === 'k8s/crlf.yaml')).toEqual([]);
    const safe = await lintFixture('deploy-dockerfile-safe');
    expect(safe.findings.filter((f) => f.ruleId === 'container-privileges')).toEqual([]);
  });

  it('takes the CI level for a job container', async () => {
    const { findings } = await lintFixture('deploy-actions');
    expect(brief(findings.filter((f) => f.ruleId === 'container-privileges'))).toEqual(['container-privileges .github/workflows/ci.yml:36:32 note']);
  });
});

describe('container-privileges for compose services built from a repository Dockerfile', () => {
  it('no `user:` in compose: the Dockerfile final stage decides (no USER = root); a USER or a compose user clears it', async () => {
    const { findings } = await lintFixture('deploy-compose-build');
    const cp = findings.filter((f) => f.ruleId === 'container-privileges');
    expect(brief(cp)).toEqual(['container-privileges compose.yaml:4:31 warning']); // api only: web.Dockerfile has USER, worker sets user
    expect(cp[0]!.related).toEqual([expect.objectContaining({ span: expect.objectContaining({ file: 'api/Dockerfile', line: 1 }) })]);
  });
});
