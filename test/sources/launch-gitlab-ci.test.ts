import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { FIXTURES, brief, lintFixture, runCli } from '../helpers.js';

describe('GitLab CI (fixtures/launch-gitlab-ci)', () => {
  it('reads job scripts through extends, anchors, !reference, default image, services and include: local, in the ci context', async () => {
    const { findings, model } = await lintFixture('launch-gitlab-ci');
    expect(brief(findings)).toEqual([
      // .setup's script, run by deploy through `!reference [.setup, script]`
      'unscoped-grant .gitlab-ci.yml:15:16 note',
      // .deno-base's script, run by `build` through `extends` (not by `lint`, which overrides script)
      'allow-all .gitlab-ci.yml:21:16 warning',
      // a block scalar continued over two lines: `--allow-run` on the second
      'subprocess-escalation .gitlab-ci.yml:43:9 warning',
      // services: command runs through the deno image's entrypoint
      'unscoped-grant .gitlab-ci.yml:47:25 note',
      // deno test: the test context
      'allow-all .gitlab-ci.yml:51:17 note',
      // include: local — the finding points into the included file
      'unscoped-grant ci/release.yml:4:16 warning',
    ]);
    expect(findings.filter((f) => f.span.file === '.gitlab-ci.yml' && f.span.line !== 51).every((f) => f.context === 'ci')).toBe(true);
    // `.unused` is a hidden job nothing extends; `echo "deno run -A …"` and a variable's text are not commands
    expect(findings.some((f) => f.span.line === 25 || f.span.line === 35 || f.span.line === 11)).toBe(false);
    // $PORT is a literal pipeline variable: --allow-net=0.0.0.0:8000 is scoped
    const deploy = model.invocations.find((i) => i.origin.name === 'deploy/script' && i.entrypoint?.value === 'main.ts')!;
    expect(deploy.effective.net.allow).toEqual(['0.0.0.0:8000']);
    // the default image pins the job's Deno
    expect(deploy.context.runtimeVersion?.value).toBe('denoland/deno:2.9.6');
  });

  it('lints .gitlab-ci.yml named explicitly (with its local includes when they are named too)', () => {
    const dir = resolve(FIXTURES, 'launch-gitlab-ci');
    const r = runCli(['--format', 'json', '--persona', 'auditor', '.gitlab-ci.yml', 'ci/release.yml', 'deno.json'], dir);
    expect(r.code).toBe(0); // the ci context lowers errors to warnings
    expect(runCli(['--format', 'json', '--persona', 'auditor', '--max-warnings', '0', '.gitlab-ci.yml', 'ci/release.yml', 'deno.json'], dir).code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string; file: string; line: number; column: number }) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'unscoped-grant .gitlab-ci.yml:15:16',
      'allow-all .gitlab-ci.yml:21:16',
      'subprocess-escalation .gitlab-ci.yml:43:9',
      'unscoped-grant .gitlab-ci.yml:47:25',
      'allow-all .gitlab-ci.yml:51:17',
      'unscoped-grant ci/release.yml:4:16',
    ]);
  });
});
