/**
 * Acceptance of issue 12: a file of any launcher kind named on the command line is linted — the
 * same findings in that file as a folder walk gives, whatever its name says.
 */
import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

/** [fixture, file, kind it is read as]: one file of every launcher kind, with findings of its own (turbo.json has none: its tasks' findings are in the scripts). */
const CASES: [string, string, string][] = [
  ['launch-app-engine', 'app.yaml', 'app-engine'],
  ['launch-azure-pipelines', 'azure-pipelines.yml', 'azure-pipelines'],
  ['launch-bitbucket', 'bitbucket-pipelines.yml', 'bitbucket'],
  ['launch-circleci', '.circleci/config.yml', 'circleci'],
  ['launch-devcontainer', '.devcontainer/devcontainer.json', 'devcontainer'],
  ['launch-dockerfile', 'ci/Dockerfile-deno', 'dockerfile'],
  ['launch-drone', '.drone.yml', 'drone'],
  ['launch-fly', 'fly.toml', 'fly'],
  ['launch-github-actions', '.github/workflows/ci.yml', 'github-actions'],
  ['launch-gitlab-ci', '.gitlab-ci.yml', 'gitlab-ci'],
  ['launch-helm', 'charts/api/templates/deployment.yaml', 'helm'],
  ['launch-jenkinsfile', 'Jenkinsfile', 'jenkinsfile'],
  ['launch-justfile', 'justfile', 'justfile'],
  ['launch-netlify', 'netlify.toml', 'netlify'],
  ['launch-nixpacks', 'nixpacks.toml', 'nixpacks'],
  ['launch-nx', 'apps/api/project.json', 'nx'],
  ['launch-openrc', 'etc/init.d/api', 'openrc'],
  ['launch-openrc', 'packaging/queue.initd', 'openrc'],
  ['launch-pm2', 'ecosystem.config.js', 'pm2'],
  ['launch-procfile', 'Procfile', 'procfile'],
  ['launch-railway', 'railway.toml', 'railway'],
  ['launch-render', 'render.yaml', 'render'],
  ['launch-runit', 'sv/worker/run', 'runit'],
  ['launch-serverless', 'serverless.yml', 'serverless'],
  ['launch-supervisord', 'supervisor/app.conf', 'supervisord'],
  ['launch-taskfile', 'Taskfile.yml', 'taskfile'],
  ['launch-turbo', 'turbo.json', 'turbo'],
  ['launch-vscode', '.vscode/launch.json', 'editor'],
  ['launch-vscode', '.zed/debug.json', 'editor'],
];

describe('every launcher kind is linted when its file is named explicitly', () => {
  it.each(CASES)('%s: %s', async (fixture, file, kind) => {
    const walked = await lintFixture(fixture);
    const named = await lintFixture(fixture, [file]);
    const inFile = (f: { span: { file: string } }) => f.span.file === file;
    const expected = brief(walked.findings.filter(inFile));
    if (kind !== 'turbo') expect(expected.length, `${fixture} ${file} has findings of its own`).toBeGreaterThan(0);
    expect(brief(named.findings.filter(inFile))).toEqual(expected);
    // nothing outside the named file is reported (the rest of the repository is only linked against)
    expect(named.findings.filter((f) => !inFile(f))).toEqual([]);
    const sources = new Set([...named.model.invocations, ...named.model.commands].filter((x) => x.origin.file === file).map((x) => x.origin.source));
    expect([...sources], `${file} is read as ${kind}`).toContain(kind);
  });
});
