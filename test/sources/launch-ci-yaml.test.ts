import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

describe('YAML CI systems', () => {
  it('CircleCI (fixtures/launch-circleci): run steps of jobs and reusable commands', async () => {
    const { findings, model } = await lintFixture('launch-circleci');
    expect(brief(findings)).toEqual(['unscoped-grant .circleci/config.yml:5:23 warning', 'allow-all .circleci/config.yml:13:23 warning']);
    expect(findings.every((f) => f.context === 'ci')).toBe(true);
    // the scoped block-scalar command is read (line 17) and silent; echo is no invocation
    expect(model.invocations.map((i) => `${i.origin.name}:${i.command.span.line}`)).toEqual(['build/run 3:13', 'build/scoped:17', 'gen/run 1:5']);
    expect(model.invocations[0]!.context.runtimeVersion?.value).toBe('denoland/deno:2.9.6');
  });

  it('Bitbucket Pipelines (fixtures/launch-bitbucket): steps under pipelines, parallel, anchors from definitions, after-script', async () => {
    const { findings, model } = await lintFixture('launch-bitbucket');
    expect(brief(findings)).toEqual([
      'subprocess-escalation bitbucket-pipelines.yml:7:22 warning', // definitions step used through an anchor
      'allow-all bitbucket-pipelines.yml:15:26 warning', // inside parallel
      'unscoped-grant bitbucket-pipelines.yml:26:24 note', // after-script
    ]);
    // pipe: and echo are not invocations
    expect(model.invocations).toHaveLength(3);
  });

  it('Azure Pipelines (fixtures/launch-azure-pipelines): script, bash and CmdLine@2 steps; pwsh is not shell text; ${{ }} is unknown', async () => {
    const { findings, model } = await lintFixture('launch-azure-pipelines');
    expect(brief(findings)).toEqual([
      'allow-all azure-pipelines.yml:7:30 warning',
      'unresolved-value azure-pipelines.yml:10:24 note',
      'unscoped-grant azure-pipelines.yml:13:32 warning',
    ]);
    expect(model.invocations.map((i) => i.command.span.line)).toEqual([7, 10, 13, 15]);
    expect(model.invocations[3]!.context.cwd).toBe('app');
  });

  it('Drone and Woodpecker (fixtures/launch-drone): commands of every step, every document', async () => {
    const { findings, model } = await lintFixture('launch-drone');
    expect(brief(findings)).toEqual(['allow-all .drone.yml:7:18 warning', 'unscoped-grant .woodpecker/release.yml:5:18 note']);
    expect(model.invocations.map((i) => i.origin.name)).toEqual(['default/build', 'docs/scoped', 'pipeline 1/release']);
  });
});
