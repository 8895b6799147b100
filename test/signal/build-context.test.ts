/**
 * Dockerfile build steps (issue 11 item 3): a `RUN` runs while the image is built — the `build`
 * context, one step below the catalogue level like CI — while `CMD` / `ENTRYPOINT` /
 * `HEALTHCHECK` run in the deployed container (`deployment`). What a `RUN` bakes into the image
 * (`deno compile`, `deno install -g`) is deployment; a task a `RUN` runs is followed into the
 * build context; the config's `contexts` still place the whole file.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lint } from '../../src/lint.js';
import { lintDir } from '../helpers.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-build-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const DOCKERFILE = [
  'FROM denoland/deno:2.9.6',
  'WORKDIR /app',
  'COPY . .',
  'RUN deno run -A --frozen gen.ts',
  'RUN deno task build',
  'RUN deno compile -A --frozen -o app main.ts',
  'USER deno',
  'HEALTHCHECK CMD deno run -A --frozen health.ts',
  'CMD ["deno", "run", "-A", "--frozen", "main.ts"]',
  '',
].join('\n');
const DENO_JSON = '{ "tasks": { "build": "deno run -A --frozen build.ts" } }\n';

describe('a Dockerfile RUN is an image build step', () => {
  it('RUN is build (one step lower); HEALTHCHECK and CMD are deployment; RUN deno compile bakes the grant in: deployment', async () => {
    const { findings, model } = await lintDir(repo({ Dockerfile: DOCKERFILE, 'deno.json': DENO_JSON }));
    const allAll = findings.filter((f) => f.ruleId === 'allow-all').map((f) => `${f.span.file}:${f.span.line} ${f.level} ${f.context}`);
    expect(allAll).toEqual([
      'Dockerfile:4 warning build',
      'Dockerfile:6 error deployment',
      'Dockerfile:8 error deployment',
      'Dockerfile:9 error deployment',
      'deno.json:1 warning build', // the task `RUN deno task build` runs, followed into the build context
    ]);
    const task = model.invocations.find((i) => i.origin.file === 'deno.json')!;
    expect(task.context.kind).toBe('build');
    expect(task.context.calledBy?.map((o) => `${o.file}:${o.span.line}`)).toEqual(['Dockerfile:5']);
  });

  it('a task run by both a RUN step and the CMD takes the stronger context, deployment', async () => {
    const dir = repo({ Dockerfile: 'FROM denoland/deno:2.9.6\nRUN deno task start --check\nUSER deno\nCMD ["deno", "task", "start"]\n', 'deno.json': '{ "tasks": { "start": "deno run -A --frozen main.ts" } }\n' });
    const { findings } = await lintDir(dir);
    expect(findings.filter((f) => f.ruleId === 'allow-all').map((f) => `${f.span.file}:${f.span.line} ${f.level} ${f.context}`)).toEqual(['deno.json:1 error deployment']);
  });

  it('unfrozen-lockfile still fires in a build step (the lockfile matters most where dependencies are fetched); pnpm install there is not frozen by CI', async () => {
    const dir = repo({ Dockerfile: 'FROM node:22\nRUN pnpm install\nRUN deno install\nUSER node\nCMD ["node", "main.js"]\n', 'deno.json': '{}\n' });
    const { findings } = await lintDir(dir);
    expect(findings.filter((f) => f.ruleId === 'unfrozen-lockfile').map((f) => `${f.span.file}:${f.span.line} ${f.level} ${f.context}`)).toEqual(['Dockerfile:2 warning build', 'Dockerfile:3 warning build']);
  });

  it('the config can place a Dockerfile in a context: its RUN steps go with it', async () => {
    const dir = repo({ 'Dockerfile.ci': DOCKERFILE, 'deno.json': DENO_JSON });
    const { findings } = await lint(['.'], { cwd: dir, contextOverride: (f) => (f === 'Dockerfile.ci' ? 'ci' : undefined) });
    expect(findings.filter((f) => f.ruleId === 'allow-all' && f.span.file === 'Dockerfile.ci' && f.span.line === 4).map((f) => `${f.level} ${f.context}`)).toEqual(['warning ci']);
  });
});
