import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { FIXTURES, brief, lintFixture, runMain } from '../helpers.js';

describe('GitLab CI (fixtures/launch-gitlab-ci)', () => {
  it('reads job scripts through extends, anchors, !reference, default image, services and include: local, in the ci context', async () => {
    const { findings, model } = await lintFixture('launch-gitlab-ci');
    expect(brief(findings)).toEqual([
      // include: project / remote / template cannot be read offline: a note each, never silence
      'unresolved-value .gitlab-ci.yml:3:5 note',
      'unresolved-value .gitlab-ci.yml:6:5 note',
      'unresolved-value .gitlab-ci.yml:7:5 note',
      // .setup's script, run by deploy through `!reference [.setup, script]`
      'unscoped-grant .gitlab-ci.yml:18:16 note',
      // .deno-base's script, run by `build` through `extends` (not by `lint`, which overrides script)
      'allow-all .gitlab-ci.yml:24:16 warning',
      // a block scalar continued over two lines: `--allow-run` on the second
      'subprocess-escalation .gitlab-ci.yml:46:9 warning',
      // services: command runs through the deno image's entrypoint
      'unscoped-grant .gitlab-ci.yml:50:25 note',
      // deno test: the test context
      'allow-all .gitlab-ci.yml:54:17 note',
      // include: local — the finding points into the included file
      // include: '/ci/jobs/*.yml' — a glob over the repository's files (not ci/jobs/nested/, not ci/drafts/)
      'allow-all ci/jobs/deploy.yml:4:16 warning',
      'unscoped-grant ci/release.yml:4:16 warning',
    ]);
    expect(findings.slice(0, 3).map((f) => f.message.split(' is not in')[0])).toEqual([
      '`include:` of a file of another GitLab project (`project: group/templates, /deno.yml`)',
      '`include:` of a file fetched from a URL (`remote: https://example.com/pipelines/deno.yml`)',
      '`include:` of a GitLab CI template (`template: Jobs/SAST.gitlab-ci.yml`)',
    ]);
    expect(model.invocations.filter((i) => i.origin.file.startsWith('ci/jobs/')).map((i) => `${i.origin.file} ${i.origin.name}`)).toEqual([
      'ci/jobs/check.yml check/script',
      'ci/jobs/deploy.yml deploy-edge/script',
    ]);
    expect(findings.filter((f) => f.span.file === '.gitlab-ci.yml' && f.span.line !== 54).every((f) => f.context === 'ci')).toBe(true);
    // `.unused` is a hidden job nothing extends; `echo "deno run -A …"` and a variable's text are not commands
    expect(findings.some((f) => f.span.line === 28 || f.span.line === 38 || f.span.line === 14)).toBe(false);
    // $PORT is a literal pipeline variable: --allow-net=0.0.0.0:8000 is scoped
    const deploy = model.invocations.find((i) => i.origin.name === 'deploy/script' && i.entrypoint?.value === 'main.ts')!;
    expect(deploy.effective.net.allow).toEqual(['0.0.0.0:8000']);
    // the default image pins the job's Deno
    expect(deploy.context.runtimeVersion?.value).toBe('denoland/deno:2.9.6');
  });

  it('lints .gitlab-ci.yml named explicitly (with its local includes when they are named too)', async () => {
    const dir = resolve(FIXTURES, 'launch-gitlab-ci');
    const r = await runMain(['--format', 'json', '--persona', 'auditor', '.gitlab-ci.yml', 'ci/release.yml', 'deno.json'], dir);
    expect(r.code).toBe(0); // the ci context lowers errors to warnings
    expect((await runMain(['--format', 'json', '--persona', 'auditor', '--max-warnings', '0', '.gitlab-ci.yml', 'ci/release.yml', 'deno.json'], dir)).code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string; file: string; line: number; column: number }) => `${f.rule} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'unresolved-value .gitlab-ci.yml:3:5',
      'unresolved-value .gitlab-ci.yml:6:5',
      'unresolved-value .gitlab-ci.yml:7:5',
      'unscoped-grant .gitlab-ci.yml:18:16',
      'allow-all .gitlab-ci.yml:24:16',
      'subprocess-escalation .gitlab-ci.yml:46:9',
      'unscoped-grant .gitlab-ci.yml:50:25',
      'allow-all .gitlab-ci.yml:54:17',
      'unscoped-grant ci/release.yml:4:16',
    ]);
  });

  it('the CLI follows a glob include and reports the job it adds (exit code 1 with --max-warnings 0)', async () => {
    const dir = resolve(FIXTURES, 'launch-gitlab-ci');
    const r = await runMain(['--format', 'json', '--max-warnings', '0', '.'], dir);
    expect(r.code).toBe(1);
    const lines = JSON.parse(r.stdout).findings.map((f: { rule: string; file: string; line: number; column: number; level: string }) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level}`);
    expect(lines).toContain('allow-all ci/jobs/deploy.yml:4:16 warning');
    expect(lines.filter((l: string) => l.includes('ci/jobs/nested') || l.includes('ci/drafts'))).toEqual([]);
  });
});
