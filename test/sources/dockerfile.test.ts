import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('Dockerfile source', () => {
  it('reads shell form with continuations and comment lines, heredocs, ARG substitution, exec form and ENTRYPOINT + CMD', async () => {
    const { findings, model } = await lintFixture('deploy-dockerfile');
    const b = brief(findings);
    // shell form: the second command of a continued RUN, past a comment line (a build step: one step lower)
    expect(b).toContain('unscoped-grant Dockerfile:9:14 warning');
    // unfrozen runs under one workspace root are one finding there, each run a related location
    expect(findings.some((f) => f.ruleId === 'unfrozen-lockfile' && [f, ...(f.related ?? [])].some((r) => r.span.file === 'Dockerfile' && r.span.line === 9 && r.span.column === 5))).toBe(true);
    // `deno cache --frozen` on the first line is frozen
    expect(b.filter((x) => x.startsWith('unfrozen-lockfile Dockerfile:7:'))).toEqual([]);
    // heredoc body: the script itself, at its own line
    expect(b).toContain('subprocess-escalation Dockerfile:11:10 warning');
    // `ARG FLAGS` without a default: unknown, never guessed
    expect(b).toContain('unresolved-value Dockerfile:13:14 note');
    // exec-form RUN with a Node install
    expect(b).toContain('unfrozen-lockfile Dockerfile:20:7 warning');
    // ENTRYPOINT ["deno"] + CMD ["run", "-A", …]: one invocation, the flag on the CMD line
    expect(b).toContain('allow-all Dockerfile:23:14 error');
    const start = model.invocations.find((i) => i.id === 'Dockerfile#stage2:start')!;
    expect(start.command.span.line).toBe(22);
    expect(start.argv.map((a) => a.value)).toEqual(['run', '-A', 'server.ts']);
    // ENV NODE_TLS_REJECT_UNAUTHORIZED=0 on a continuation line reaches model.env
    expect(b).toContain('insecure-tls Dockerfile:17:5 error');
  });

  it('keeps per-stage USER, WORKDIR and the image version in the context', async () => {
    const { model } = await lintFixture('deploy-dockerfile');
    const build = model.invocations.find((i) => i.id === 'Dockerfile#run:1#2')!;
    // a RUN step runs while the image is built: the build context; the stage's start command is deployment
    expect(build.context.kind).toBe('build');
    expect(build.context.container?.workdir).toBe('/app');
    expect(build.context.container?.user).toBeUndefined();
    expect(build.context.container?.imageDefaultUser).toBeUndefined();
    expect(build.context.runtimeVersion?.value).toBe('denoland/deno:2.1.4');
    const start = model.invocations.find((i) => i.id === 'Dockerfile#stage2:start')!;
    expect(start.context.kind).toBe('deployment');
    expect(start.context.container?.user).toMatchObject({ value: 'root', text: 'USER root', span: { line: 21 } });
    // the node image of stage 2 says nothing about the deno it runs
    expect(start.context.runtimeVersion).toBeUndefined();
    const worker = model.invocations.find((i) => i.origin.file === 'Dockerfile.worker')!;
    expect(worker.runtime).toBe('node');
    expect(worker.context.container?.user).toBeUndefined();
    expect(worker.context.container?.imageDefaultUser).toMatchObject({ file: 'Dockerfile.worker', span: { line: 1 } });
  });

  it('applies ENV NODE_OPTIONS to node in later instructions', async () => {
    const { model } = await lintFixture('deploy-dockerfile-safe');
    const node = model.invocations.find((i) => i.origin.file === 'Dockerfile.node')!;
    expect(node.node?.enabled?.flag).toBe('--permission');
  });

  it('reports nothing for a frozen, scoped, non-root image', async () => {
    const { findings } = await lintFixture('deploy-dockerfile-safe');
    expect(brief(findings)).toEqual([]);
  });
});
