import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { brief, FIXTURES, lintFixture, runMain } from '../helpers.js';
import { kindByName } from '../../src/sources/registry.js';

const cliLines = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { rule: string; file: string; line: number; column: number; level: string }[] }).findings.map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level}`);

const EXPECTED = [
  // `api` sets no DENO_PERMISSIONS: the deno-lambda layer's bootstrap runs `deno run -A`; the finding points at the layer
  'allow-all serverless.yml:8:7 error',
  // DENO_PERMISSIONS split like the bootstrap's unquoted $DENO_PERMISSIONS
  'unscoped-grant serverless.yml:23:25 warning',
  // a Serverless variable is resolved at deploy time: unknown, never guessed
  'unresolved-value serverless.yml:23:38 note',
  // a container image's entryPoint
  'unscoped-grant serverless.yml:31:36 error',
  // serverless-plugin-scripts named command
  'allow-all serverless.yml:40:22 error',
];

describe('Serverless Framework (fixtures/launch-serverless)', () => {
  it('reads deno-lambda functions (DENO_PERMISSIONS, -A when unset), image entry points and plugin script commands, in the deployment context', async () => {
    const { findings, model } = await lintFixture('launch-serverless');
    expect(brief(findings)).toEqual(EXPECTED);
    expect(findings.every((f) => f.context === 'deployment')).toBe(true);
    const byName = (n: string) => model.invocations.find((i) => i.origin.name === n)!;
    expect(byName('api').entrypoint?.value).toBe('src/api.ts');
    expect(byName('worker').effective.net.allow).toEqual(['queue.example.com']);
    // look-alikes: a scoped function, Node's own runtime (no layer), a scoped hook, an echo
    expect(model.invocations.map((i) => i.origin.name)).toEqual(['api', 'worker', 'reports', 'thumbs', 'hooks/package:initialize', 'commands/seed']);
    expect(findings.some((f) => [17, 18, 19, 27, 28, 37, 38].includes(f.span.line))).toBe(false);
    // the provider's environment reaches every function
    expect(model.env.filter((e) => e.name === 'LOG_LEVEL').length).toBe(5);
  });

  it('claims serverless.yml and its stage variants by name', () => {
    for (const p of ['serverless.yml', 'api/serverless.yaml', 'serverless.prod.yml']) expect(kindByName(p), p).toBe('serverless');
    expect(kindByName('serverless-notes.yml')).toBe('kubernetes');
  });

  it('the CLI: exit code 1, and serverless.yml named explicitly', async () => {
    const dir = resolve(FIXTURES, 'launch-serverless');
    const all = await runMain(['--format', 'json', '--persona', 'pedantic', '.'], dir);
    expect(all.code).toBe(1);
    expect(cliLines(all.stdout)).toEqual(EXPECTED);
    const named = await runMain(['--format', 'json', '--persona', 'pedantic', 'serverless.yml'], dir);
    expect(named.code).toBe(1);
    expect(cliLines(named.stdout)).toEqual(EXPECTED);
  });
});
