import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';
import { shellCommandString, unwrap } from '../../src/grammar/command.js';
import type { Token } from '../../src/model.js';

const words = (...vs: string[]): Token[] => vs.map((value, i) => ({ value, span: { file: 'x', line: 1, column: i + 1, endLine: 1, endColumn: i + 2 } }));

describe('seeing through wrappers (fixtures/launch-wrappers)', () => {
  it('finds the runtime behind xargs, env -S, sudo, nice/timeout, bash -c, sh -ec, pnpm dlx, ionice, with exact spans inside -c strings', async () => {
    const { findings } = await lintFixture('launch-wrappers');
    // the RUN steps are image build steps: the build context, one step below the catalogue level
    expect(brief(findings)).toEqual([
      'allow-all Dockerfile:4:44 warning', // ls … | xargs -n 1 -P 4 deno run -A
      'unscoped-grant Dockerfile:5:22 warning', // env -S 'deno run --allow-write'
      'subprocess-escalation Dockerfile:6:26 warning', // sudo -u app deno run --allow-run
      'allow-all Dockerfile:7:37 warning', // nice -n 10 timeout 30s deno run -A
      'unscoped-grant Dockerfile:8:23 note', // bash -c "deno run --allow-read …": the column inside the string
      'allow-all Dockerfile:9:34 warning', // sh -ec 'cd tools && deno run --allow-all check.ts'
      'ffi-grant Dockerfile:10:23 warning', // pnpm dlx deno run --allow-ffi
      'unscoped-grant Dockerfile:11:26 note', // ionice -c 3 deno run --allow-sys
      // CMD sh ./scripts/serve.sh "$PORT" --verbose: an unknown argument does not stop the follow;
      // serve.sh runs `deno task start "$@"`, whose task runs in the deployment context
      'unscoped-grant deno.json:4:24 warning',
      'unscoped-grant deno.json:4:36 warning',
      'allow-all k8s/job.yaml:14:43 error', // command: ["sh", "-c", "deno run --allow-all migrate.ts"]
    ]);
    const task = findings.find((f) => f.span.file === 'deno.json')!;
    expect(task.context).toBe('deployment');
    expect(task.related?.map((r) => `${r.span.file}:${r.span.line}`)).toEqual(['scripts/serve.sh:1']);
    // look-alikes: echo "deno run -A", bash -c 'echo deno run -A', xargs echo deno run -A, a container that echoes
    expect(findings.filter((f) => f.span.file === 'Dockerfile' && f.span.line >= 12)).toEqual([]);
    expect(findings.filter((f) => f.span.file === 'k8s/job.yaml' && f.span.line !== 14)).toEqual([]);
  });

  it('finds the script of sh -c among shell options, and nothing else', () => {
    expect(shellCommandString(words('bash', '-o', 'pipefail', '-lc', 'deno run a.ts'))?.value).toBe('deno run a.ts');
    expect(shellCommandString(words('sh', '-c', 'x', 'name', 'arg'))?.value).toBe('x');
    expect(shellCommandString(words('sh', 'script.sh', '-c', 'x'))).toBeUndefined();
    expect(shellCommandString(words('sh', '-e', 'script.sh'))).toBeUndefined();
    expect(shellCommandString(words('python', '-c', 'print(1)'))).toBeUndefined();
  });

  it('takes wrappers off in any order', () => {
    const v = (argv: Token[]) => unwrap(argv).argv.map((t) => t.value).join(' ');
    expect(v(words('env', '-S', 'nice -n 5 deno run -A', 'main.ts'))).toBe('deno run -A main.ts');
    expect(v(words('sudo', '-E', '-u', 'app', 'env', 'A=1', 'deno', 'task', 'x'))).toBe('deno task x');
    expect(v(words('xargs', '-0', '-I', '{}', 'deno', 'cache', '{}'))).toBe('deno cache {}');
    expect(v(words('doas', '-u', 'app', 'timeout', '-k', '5', '60', 'node', 'a.js'))).toBe('node a.js');
    expect(v(words('yarn', 'dlx', 'deno', 'run', 'a.ts'))).toBe('deno run a.ts');
    expect(v(words('bun', 'x', 'deno@2', 'run', 'a.ts'))).toBe('deno run a.ts');
    expect(v(words('npx', 'eslint', '.'))).toBe('npx eslint .');
  });
});
