/**
 * No false alarms on things that cannot grant anything (issue 11, item 3): one regression
 * fixture, fixtures/signal-false-alarms, holds every class; each test names the lines of its class.
 *
 * The classes of the issue, and where each is held:
 * - parse-error only for configuration; sniffed TS/JS that cannot be read is skipped (UTF-16 with a BOM decoded): code/
 * - workflow steps under pwsh / powershell / cmd or on Windows runners: .github/workflows/windows.yml
 * - unresolved-value only where a grant can change (program arguments, files for deno fmt/check/doc,
 *   deno eval code, task arguments, $(MAKE), $RUNTIME without flags), always with a context: ci.yml, Makefile
 * - deno --version / -V / help / upgrade / completions: no lockfile finding; arguments after `--`: ci.yml:12–17
 * - global installs (npm i -g, pnpm add --global, pnpm install --global); pnpm install in CI: ci.yml:18–23
 * - deno compile / deno install -g are deployment; a Dockerfile RUN is build, its CMD deployment: deno.json, Dockerfile
 * - found on the corpus: a local deno install --allow-import (Dockerfile:4), deno --unstable run (deno.json),
 *   deno eval of code that uses no permission (deploy/base.dockerfile), deno serve --cached-only
 *   (deploy/cached.Dockerfile); `deno i` and the --unstable readings: test/signal/deno-argv.test.ts;
 *   the build context in depth: test/signal/build-context.test.ts
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, runMain } from '../helpers.js';
import type { JsonFinding } from '../../src/report/json.js';

const DIR = join(FIXTURES, 'signal-false-alarms');
const r = await runMain(['--format', 'json', '--persona', 'auditor', '--verbose', '.'], DIR);
const doc = JSON.parse(r.stdout) as { findings: JsonFinding[]; skipped: { path: string; reason: string }[] };
const brief = doc.findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.level} ${f.context ?? '-'}`);
const inFile = (file: string) => brief.filter((b) => b.split(' ')[1]!.startsWith(file.endsWith('/') ? file : `${file}:`));

describe('no false alarms on things that cannot grant anything', () => {
  it('everything the fixture reports, and nothing else', () => {
    expect(brief).toEqual([
      'omitted-permissions .github/workflows/ci.yml:8 warning ci',
      'unresolved-value .github/workflows/ci.yml:11 note ci',
      'allow-all .github/workflows/windows.yml:11 warning ci',
      'vulnerable-runtime Dockerfile:1 error deployment',
      'allow-all Dockerfile:2 warning build',
      'unfrozen-lockfile Dockerfile:3 warning build',
      'unrestricted-import Dockerfile:4 note build',
      'allow-all Dockerfile:6 error deployment',
      'allow-all code/utf16-bom.ts:1 warning development',
      'unfrozen-lockfile deno.json:1 warning deployment',
      'allow-all deno.json:1 warning ci',
      'allow-all deno.json:1 error deployment',
      'allow-all deno.json:1 error deployment',
      'invalid-permission deno.json:1 error development',
      'container-privileges deploy/base.dockerfile:3 warning deployment',
      'omitted-permissions deploy/base.dockerfile:3 error deployment',
      'omitted-permissions deploy/base.dockerfile:4 note deployment',
    ]);
  });

  it('TypeScript it only sniffs: UTF-16 with a BOM is decoded; without one, or with syntax it does not know, it is skipped and listed with --verbose', async () => {
    expect(inFile('code/')).toEqual(['allow-all code/utf16-bom.ts:1 warning development']);
    expect(doc.skipped.map((s) => s.path).sort()).toEqual(['code/broken.ts', 'code/utf16-nobom.ts']);
    expect(r.stderr).toContain('permlint: 2 files skipped:\n');
    expect(r.stderr).toContain('code/broken.ts  not read: cannot parse code/broken.ts as TypeScript');
    expect((await runMain(['.'], DIR)).stderr).toBe(''); // listed only with --verbose
  });

  it('a sniffed TypeScript file too large to read is skipped; a configuration file too large is still a parse-error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'permlint-large-'));
    writeFileSync(join(dir, 'lib.ts'), `const c = new Deno.Command('deno', { args: ['run', 'x.ts'] });\n${'// padding\n'.repeat(200_000)}`);
    writeFileSync(join(dir, 'deno.json'), `{ "tasks": { "a": "deno run x.ts" }, "x": "${'y'.repeat(2_200_000)}" }`);
    const out = await runMain(['--format', 'json', '--persona', 'auditor', '--verbose', '.'], dir);
    const d = JSON.parse(out.stdout) as { findings: JsonFinding[]; skipped: { path: string; reason: string }[] };
    expect(d.findings.map((f) => `${f.rule} ${f.file}`)).toEqual(['parse-error deno.json']);
    expect(d.skipped).toEqual([{ path: 'lib.ts', reason: 'TypeScript/JavaScript file larger than the 2048 KiB limit; not read' }]);
  });

  it('workflow steps under pwsh or cmd, or on a Windows runner without `shell:`, are not read as POSIX shell; `shell: bash` on Windows is', () => {
    expect(inFile('.github/workflows/windows.yml')).toEqual(['allow-all .github/workflows/windows.yml:11 warning ci']);
  });

  it('unresolved-value only where the unknown part can change what is granted, and always with a context', () => {
    // program arguments ($@, $EXTRA), files for deno fmt / check / doc (ci.yml:7, 21, 22), deno eval code,
    // task arguments, $RUNTIME with no flags and $(MAKE) are not reported; `deno run $FLAGS main.ts` is
    expect(brief.filter((b) => b.startsWith('unresolved-value'))).toEqual(['unresolved-value .github/workflows/ci.yml:11 note ci']);
    expect(inFile('Makefile')).toEqual([]);
  });

  it('deno --version, -V, help, upgrade and completions resolve nothing: no lockfile finding; arguments after `--` are not ineffective-flag', () => {
    const root = doc.findings.find((f) => f.rule === 'unfrozen-lockfile' && f.file === 'deno.json')!;
    const lines = root.related!.filter((x) => x.file === '.github/workflows/ci.yml' && !x.message.startsWith('runs ')).map((x) => x.line);
    expect(lines).toEqual([6, 11, 12, 21]); // deno run … and deno check (it fetches what it checks); not lines 13–17
    expect(brief.some((b) => b.startsWith('ineffective-flag'))).toBe(false); // line 12: main.ts -- --allow-net
  });

  it('`deno eval` of code that uses no permission (a base image greeting) is a note, not an error; code that fetches stays an error', async () => {
    // deploy/base.dockerfile: CMD `deno eval console.log(…)` (line 4, ENTRYPOINT + CMD) vs HEALTHCHECK `deno eval await fetch(…)` (line 3)
    expect(inFile('deploy/base.dockerfile')).toEqual([
      'container-privileges deploy/base.dockerfile:3 warning deployment',
      'omitted-permissions deploy/base.dockerfile:3 error deployment',
      'omitted-permissions deploy/base.dockerfile:4 note deployment',
    ]);
    const greeting = doc.findings.find((f) => f.file === 'deploy/base.dockerfile' && f.line === 4)!;
    expect(greeting.message).toContain('uses none of them');
    expect((await runMain(['--format', 'json', 'deploy/base.dockerfile'], DIR)).stdout).not.toContain('"line": 4');
  });

  it('a run with --cached-only fetches nothing: no unfrozen-lockfile (the frozen install that filled the cache is where it would be)', () => {
    // deploy/cached.Dockerfile:5 `deno serve --cached-only`: not a member of the root's finding, and nothing else in that file
    const root = doc.findings.find((f) => f.rule === 'unfrozen-lockfile' && f.file === 'deno.json')!;
    expect(root.related!.map((x) => x.file)).not.toContain('deploy/cached.Dockerfile');
    expect(inFile('deploy/cached.Dockerfile')).toEqual([]);
  });

  it('global installs do not rewrite the project lockfile; pnpm install is frozen by default in CI (not in a Dockerfile build)', () => {
    // ci.yml:18–20, 23: npm i -g, pnpm add --global, pnpm install, pnpm install --global — nothing; Dockerfile:3 `pnpm install` is reported
    expect(inFile('.github/workflows/ci.yml').filter((b) => b.startsWith('unfrozen-lockfile'))).toEqual([]);
    const root = doc.findings.find((f) => f.rule === 'unfrozen-lockfile' && f.file === 'deno.json')!;
    // (line 21, `deno check`, fetches what it checks and is judged: the previous test)
    expect(root.related!.filter((x) => x.file === '.github/workflows/ci.yml' && x.line >= 18 && x.line !== 21)).toEqual([]);
    expect(inFile('Dockerfile').filter((b) => b.startsWith('unfrozen-lockfile'))).toEqual(['unfrozen-lockfile Dockerfile:3 warning build']);
  });

  it('`deno --unstable run` (a Deno 1.x global flag) is not a script named `run`; a local `deno install --allow-import` starts', () => {
    expect(brief.some((b) => b.startsWith('ineffective-flag'))).toBe(false);
    // Deno 2.9.6 stops with "unrecognized subcommand 'run'" (test/signal/deno-argv.test.ts): that refusal is the one finding
    const refused = doc.findings.filter((f) => f.rule === 'invalid-permission');
    expect(refused.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['deno.json:1:154']);
    expect(refused[0]!.message).toContain("unrecognized subcommand 'run'");
  });

  it('a Dockerfile RUN is an image build step (build context, one step lower), distinct from the CMD the container starts (deployment)', async () => {
    // Dockerfile:2 `RUN deno run -A --frozen build.ts` vs Dockerfile:6 `CMD ["deno", "run", "--frozen", "-A", "main.ts"]`
    expect(inFile('Dockerfile').filter((b) => b.startsWith('allow-all'))).toEqual(['allow-all Dockerfile:2 warning build', 'allow-all Dockerfile:6 error deployment']);
    // the default persona still shows the build step's -A (regular shows allow-all in build, as in CI)
    const regular = JSON.parse((await runMain(['--format', 'json', 'Dockerfile'], DIR)).stdout) as { findings: JsonFinding[] };
    expect(regular.findings.filter((f) => f.rule === 'allow-all').map((f) => `${f.line} ${f.level} ${f.context}`)).toEqual(['2 warning build', '6 error deployment']);
  });

  it('deno compile and deno install -g tasks are deployment context', () => {
    const tasks = doc.findings.filter((f) => f.file === 'deno.json' && f.rule === 'allow-all').map((f) => `${f.message.slice(0, f.message.indexOf(';'))} ${f.context}`);
    expect(tasks).toEqual([
      expect.stringMatching(/`deno run build\.ts` \(task `build`\), run by .* ci$/),
      expect.stringMatching(/`deno compile main\.ts` \(task `bin`\) deployment$/),
      expect.stringMatching(/`deno install jsr:@x\/tool@1\.0\.0` \(task `g`\) deployment$/),
    ]);
  });
});
