import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { brief, FIXTURES, lintFixture, runMain } from '../helpers.js';
import type { JsonFinding } from '../../src/report/json.js';

const findingsOf = (stdout: string) => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

describe('Turborepo turbo.json (fixtures/launch-turbo)', () => {
  it('records each task as the package-manager run turbo executes in every package that has the script', async () => {
    const { findings, model } = await lintFixture('launch-turbo');
    // the scripts are read where they are written (development); turbo.json adds no finding of its own
    expect(brief(findings)).toEqual([
      'allow-all apps/api/package.json:5:25 warning',
      'allow-all apps/api/package.json:6:24 warning',
      'unscoped-grant apps/web/package.json:4:39 warning',
    ]);
    expect(model.commands.filter((c) => c.origin.source === 'turbo').map((c) => `${c.origin.span.line}:${c.origin.span.column} ${c.program.value} ${c.args.map((a) => a.value).join(' ')} in ${c.context.cwd || '.'} (${c.context.kind})`)).toEqual([
      // build: every workspace package with a build script (pnpm, from the root packageManager); not the root package
      '5:5 pnpm run build in apps/api (development)',
      '5:5 pnpm run build in apps/web (development)',
      // api#deploy: only the package named api
      '6:5 pnpm run deploy in apps/api (development)',
      // //#lint: the root package
      '7:5 pnpm run lint in . (development)',
      // typecheck: no package has the script, nothing runs
    ]);
  });

  it('the CLI: where turbo.json runs in CI (config `contexts`), the scripts its tasks run are judged there and name it', async () => {
    const dir = resolve(FIXTURES, 'launch-turbo');
    const r = await runMain(['--format', 'json', '--persona', 'pedantic', '--max-warnings', '0', '.'], dir);
    expect(r.code).toBe(1);
    expect(findingsOf(r.stdout).map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level} ${f.context} ${(f.related ?? []).map((x) => `${x.file}:${x.line}`).join(',')}`)).toEqual([
      'allow-all apps/api/package.json:5:25 warning ci turbo.json:6', // deploy, run by api#deploy
      'allow-all apps/api/package.json:6:24 warning development ', // start: no task runs it
      'unscoped-grant apps/web/package.json:4:39 warning ci turbo.json:5', // build, run by the build task
    ]);
    expect((await runMain(['--format', 'json', '.'], dir)).code).toBe(0); // warnings only
    // turbo.json named explicitly: linked against the packages, nothing reported in turbo.json itself
    const named = await runMain(['--format', 'json', '--persona', 'pedantic', 'turbo.json'], dir);
    expect(named.code).toBe(0);
    expect(findingsOf(named.stdout)).toEqual([]);
  });
});
