import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { FIXTURES, lintFixture, runMain } from '../helpers.js';
import type { Finding } from '../../src/model.js';

const line = (f: Finding) => `${f.ruleId} ${f.span.file}:${f.span.line}:${f.span.column} ${f.level}`;

describe('container files (fixtures/launch-dockerfile)', () => {
  it('reads every container file name, ENTRYPOINT [] resets, HEALTHCHECK, ONBUILD, SHELL, and follows a COPYed script the image runs', async () => {
    const { findings } = await lintFixture('launch-dockerfile');
    expect(findings.map(line)).toEqual([
      // ENTRYPOINT [] drops the base entrypoint: CMD is the whole command
      'allow-all Dockerfile.reset:7:22 error',
      // HEALTHCHECK CMD deno eval: always every permission
      'omitted-permissions Dockerfile.reset:8:32 error',
      // SHELL ["/bin/bash", "-o", "pipefail", "-c"] still runs RUN through a shell (an image build step: one step lower)
      'unscoped-grant app.Dockerfile:3:23 note',
      // ONBUILD RUN runs in the build of every image built from this one (build context)
      'allow-all app.Dockerfile:4:22 warning',
      // Dockerfile-deno: `deno install -g` as root
      'subprocess-escalation ci/Dockerfile-deno:2:21 error',
      'unscoped-grant ci/Dockerfile-deno:2:33 error',
      // COPY docker/start.sh /usr/local/bin/ + ENTRYPOINT ["start.sh"]: the script runs in the container (deployment)
      'unscoped-grant docker/start.sh:2:15 warning',
      'unscoped-grant docker/start.sh:2:27 warning',
    ]);
    const start = findings.find((f) => f.span.file === 'docker/start.sh')!;
    expect(start.context).toBe('deployment');
    expect(start.related?.map((r) => `${r.span.file}:${r.span.line}`)).toContain('app.Dockerfile:9');
    // look-alikes: HEALTHCHECK curl, HEALTHCHECK NONE, a COPYed script nothing runs, a scoped frozen CMD
    expect(findings.filter((f) => f.span.file === 'Containerfile.healthy' || f.span.file === 'docker/quiet.sh')).toEqual([]);
    expect(findings.filter((f) => f.span.file === 'app.Dockerfile' && f.span.line === 5)).toEqual([]);
  });

  it('lints a container file of any name when it is named explicitly; a folder walk leaves it alone', async () => {
    const dir = resolve(FIXTURES, 'launch-dockerfile');
    const named = await runMain(['--format', 'json', 'build/deno.img'], dir);
    expect(named.code).toBe(1);
    // the root deno.json (lock frozen) is read as a link-only input: no unfrozen-lockfile, as in a full scan
    expect(JSON.parse(named.stdout).findings.map((f: { rule: string; file: string; line: number; column: number; level: string }) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level}`)).toEqual([
      'allow-all build/deno.img:3:22 error',
    ]);
    const walked = await runMain(['--format', 'json', '.'], dir);
    expect(JSON.parse(walked.stdout).findings.some((f: { file: string }) => f.file === 'build/deno.img')).toBe(false);
    const ci = await runMain(['--format', 'json', 'ci/Dockerfile-deno'], dir);
    // named alone, it still links against the repository's deno.json, which freezes the lock
    expect(JSON.parse(ci.stdout).findings.map((f: { rule: string; line: number }) => `${f.rule}:${f.line}`)).toEqual(['subprocess-escalation:2', 'unscoped-grant:2']);
  });
});
