import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';

type Findings = Awaited<ReturnType<typeof lintFixture>>['findings'];
/** Each unfrozen run: a finding, or a member of a finding reported once at its cause (the workspace root). */
const only = (findings: Findings): Findings =>
  findings
    .filter((f) => f.ruleId === 'unfrozen-lockfile')
    .flatMap((f) => (f.cause && / — \d+ runs: /.test(f.message) && f.related?.length ? f.related.filter((r) => !r.message.startsWith('runs ')).map((r) => ({ ...f, span: r.span, message: r.message })) : [f]))
    .sort((a, b) => a.span.file.localeCompare(b.span.file) || a.span.line - b.span.line || a.span.column - b.span.column);

describe('unfrozen-lockfile in deployment and CI files', () => {
  it('flags Deno runs without --frozen and Node installs at the command word', async () => {
    const { findings } = await lintFixture('deploy-dockerfile');
    expect(brief(only(findings))).toEqual([
      'unfrozen-lockfile Dockerfile:9:5 warning',
      'unfrozen-lockfile Dockerfile:11:1 warning',
      'unfrozen-lockfile Dockerfile:13:5 warning',
      'unfrozen-lockfile Dockerfile:20:7 warning',
      'unfrozen-lockfile Dockerfile:22:14 warning',
    ]);
  });

  it('flags CI steps, composite actions and folded `npm install`, not a frozen step', async () => {
    const { findings } = await lintFixture('deploy-actions');
    expect(brief(only(findings))).toEqual([
      'unfrozen-lockfile .github/actions/setup/action.yml:6:12 warning',
      'unfrozen-lockfile .github/workflows/ci.yml:20:11 warning',
      'unfrozen-lockfile .github/workflows/ci.yml:29:11 warning',
      'unfrozen-lockfile web/package.json:1:22 warning',
    ]);
  });

  it('points at the followed task and names the files that run it', async () => {
    const { findings } = await lintFixture('deploy-follow');
    const f = only(findings).find((x) => x.span.file === 'deno.json')!;
    expect(brief([f])).toEqual(['unfrozen-lockfile deno.json:4:15 warning']);
    expect(f.message).toContain('run by Dockerfile:4 and compose.yaml:4');
    // reported once at the workspace root with the other runs: the callers follow the task's entry
    const group = findings.find((x) => x.ruleId === 'unfrozen-lockfile' && x.related?.some((r) => r.span.file === 'deno.json' && r.span.line === 4))!;
    const at = group.related!.map((r) => `${r.span.file}:${r.span.line}`);
    expect(at.slice(at.indexOf('deno.json:4'), at.indexOf('deno.json:4') + 3)).toEqual(['deno.json:4', 'Dockerfile:4', 'compose.yaml:4']);
  });

  it('stays quiet in development files and for frozen runs', async () => {
    const mk = await lintFixture('deploy-makefile');
    expect(only(mk.findings)).toEqual([]);
    const safe = await lintFixture('deploy-dockerfile-safe');
    expect(only(safe.findings)).toEqual([]);
  });
});

describe('unfrozen-lockfile for NetScript tasks', () => {
  it('a Deno task runs `deno run` without --frozen: flagged at defineTask unless the root deno.json freezes the lock', async () => {
    const { findings } = await lintFixture('ts-netscript-unfrozen');
    // `report` only: `inline` runs in-process, `etl` is not a Deno run
    expect(brief(only(findings))).toEqual(['unfrozen-lockfile workers/tasks.ts:3:23 warning']);
    const frozen = await lintFixture('ts-netscript');
    expect(only(frozen.findings)).toEqual([]);
  });
});
