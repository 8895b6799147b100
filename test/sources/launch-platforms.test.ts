import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

const cases: [string, string[], string[]][] = [
  // fixture, findings, contexts
  ['launch-fly', ['unscoped-grant fly.toml:5:31 warning', 'allow-all fly.toml:8:19 error'], ['deployment']],
  ['launch-nixpacks', ['unscoped-grant nixpacks.toml:2:41 error', 'allow-all nixpacks.toml:5:17 error'], ['deployment']],
  ['launch-railway', ['subprocess-escalation railway.json:3:45 error', 'allow-all railway.toml:5:26 error'], ['deployment']],
  ['launch-netlify', ['allow-all netlify.toml:2:23 warning', 'unscoped-grant netlify.toml:6:23 note'], ['ci', 'development']],
  ['launch-render', ['allow-all render.yaml:5:29 error', 'unscoped-grant render.yaml:10:37 warning'], ['deployment']],
];

describe('hosting platforms: fly.toml, nixpacks.toml, railway.toml/json, netlify.toml, render.yaml', () => {
  it.each(cases)('%s', async (fixture, expected, contexts) => {
    const { findings } = await lintFixture(fixture);
    expect(brief(findings)).toEqual(expected);
    expect([...new Set(findings.map((f) => f.context))]).toEqual(contexts);
  });

  it('reads the scoped look-alikes too, and they stay silent', async () => {
    const fly = await lintFixture('launch-fly');
    expect(fly.model.invocations.map((i) => i.origin.name)).toEqual(['deploy.release_command', 'processes.app', 'processes.worker']);
    const railway = await lintFixture('launch-railway');
    expect(railway.model.invocations.map((i) => i.origin.name)).toEqual(['deploy.preDeployCommand', 'build.buildCommand', 'deploy.startCommand']);
    const nix = await lintFixture('launch-nixpacks');
    expect(nix.model.invocations.map((i) => `${i.origin.name} ${i.subcommand}`)).toEqual(['phases.build.cmds.0 cache', 'phases.build.cmds.1 run', 'start.cmd run']);
    const render = await lintFixture('launch-render');
    expect(render.model.commands.map((c) => c.program.value)).toEqual(['deno', 'node', 'npm']);
  });
});
