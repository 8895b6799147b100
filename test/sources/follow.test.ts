import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('following what deployment and CI files run', () => {
  it('judges a task in the context of the files that run it, once, naming them all', async () => {
    const { findings, model } = await lintFixture('deploy-follow');
    const start = model.invocations.find((i) => i.id === 'deno.json#task:start')!;
    expect(start.context.kind).toBe('deployment');
    expect(start.context.calledBy?.map((o) => `${o.file}:${o.span.line}`)).toEqual(['Dockerfile:4', 'compose.yaml:4']);
    const allow = findings.filter((f) => f.ruleId === 'allow-all' && f.span.file === 'deno.json');
    expect(brief(allow)).toEqual(['allow-all deno.json:4:24 error', 'allow-all deno.json:5:30 warning']);
    expect(allow[0]!.message).toContain('run by Dockerfile:4 and compose.yaml:4');
    expect(allow[1]!.message).not.toContain('run by');
    // the container the task runs in: the Dockerfile's final stage has no USER
    const cp = findings.find((f) => f.ruleId === 'container-privileges' && f.span.file === 'deno.json')!;
    expect(brief([cp])).toEqual(['container-privileges deno.json:4:24 warning']);
    expect(cp.related?.map((r) => `${r.span.file}:${r.span.line}`)).toEqual(['Dockerfile:1', 'Dockerfile:4', 'compose.yaml:4']);
  });

  it('resolves workspace members, --cwd, working-directory, -w and script files', async () => {
    const { findings, model } = await lintFixture('deploy-follow');
    const serve = model.invocations.find((i) => i.id === 'packages/api/deno.json#task:serve')!;
    expect(serve.context.kind).toBe('deployment');
    expect(serve.context.calledBy?.map((o) => o.file).sort()).toEqual(['.github/workflows/ci.yml', 'k8s/job.yaml']);
    const build = model.invocations.find((i) => i.id === 'packages/api/package.json#script:build')!;
    expect(build.context.kind).toBe('ci');
    const sh = model.invocations.find((i) => i.origin.file === 'scripts/start.sh')!;
    expect(sh.context.kind).toBe('deployment');
    const b = brief(findings);
    // unfrozen runs under one workspace root are reported once there, each run a related location
    const runs = findings.filter((f) => f.ruleId === 'unfrozen-lockfile').flatMap((f) => [f.span, ...(f.related ?? []).map((r) => r.span)]);
    expect(runs.some((s) => s.file === 'scripts/start.sh' && s.line === 2 && s.column === 6)).toBe(true);
    expect(runs.some((s) => s.file === 'packages/api/package.json' && s.line === 1 && s.column === 41)).toBe(true);
    expect(b).toContain('unscoped-grant packages/api/deno.json:3:36 error');
    // package.json `deploy` runs `deno task start` but nothing deploys it: it stays development
    expect(model.invocations.find((i) => i.id === 'package.json#script:deploy')!.context.kind).toBe('development');
  });

  it('reports each invocation once, at the offending token', async () => {
    const { findings } = await lintFixture('deploy-follow');
    const keys = findings.map((f) => `${f.ruleId}|${f.span.file}|${f.span.line}|${f.span.column}`);
    expect(new Set(keys).size).toBe(keys.length);
    // the Dockerfile and compose lines that only run the task carry no finding of their own
    expect(brief(findings).filter((x) => x.includes(' Dockerfile:') || x.includes(' compose.yaml:'))).toEqual([]);
  });
});
