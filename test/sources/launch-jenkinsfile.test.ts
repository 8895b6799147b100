import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { brief, FIXTURES, lintFixture, runMain } from '../helpers.js';
import { readCmd, tokenizeGroovy } from '../../src/sources/jenkinsfile.js';
import { LineIndex, MappedText } from '../../src/text.js';

describe('Jenkinsfile (fixtures/launch-jenkinsfile)', () => {
  it('reads sh steps in single, double and triple quotes and sh(script: …), with positions inside the strings', async () => {
    const { findings, model } = await lintFixture('launch-jenkinsfile');
    expect(brief(findings)).toEqual([
      'allow-all Jenkinsfile:8:31 warning', // sh '…'
      'unresolved-value Jenkinsfile:9:31 note', // sh "…${env.API_HOST}…": Groovy fills it in at run time
      'unscoped-grant Jenkinsfile:12:29 warning', // sh '''…''' over a continued line
      'subprocess-escalation Jenkinsfile:15:39 warning', // sh(script: '…', returnStdout: true)
      'allow-all Jenkinsfile:27:28 note', // sh """deno test -A""": test context
      'unscoped-grant Jenkinsfile:32:29 note', // inside dir('services/api') { dir(path: 'tools') { … } }
      // bat steps, read by cmd's rules: a one-liner, `call … && … > log.txt 2>&1`, and %VAR% as an unknown word
      'allow-all Jenkinsfile:39:17 warning',
      'unscoped-grant Jenkinsfile:43:55 warning',
      'unresolved-value Jenkinsfile:45:14 note',
      // `npm run serve` inside dir('services/api') is followed to that folder's package.json, in the ci context
      'unscoped-grant services/api/package.json:4:33 note',
    ]);
    expect(findings.find((f) => f.span.file === 'services/api/package.json')!.related?.map((r) => `${r.span.file}:${r.span.line}`)).toEqual(['Jenkinsfile:30']);
    expect(findings.filter((f) => f.ruleId !== 'allow-all' || f.span.line !== 27).every((f) => f.context === 'ci')).toBe(true);
    // comments, an echo of a string that mentions sh, and a scoped step give nothing
    expect(model.invocations.filter((i) => i.origin.source === 'jenkinsfile').map((i) => `${i.origin.name} ${i.context.cwd}`)).toEqual([
      'sh #1 ', 'sh #2 ', 'sh #3 ', 'sh #3 ', 'sh #4 ', 'sh #5 ', 'sh #6 ',
      'sh #8 services/api/tools',
      'sh #9 undefined', // dir("${env.WORKSPACE}/other"): a folder not known statically
      'bat #11 ', 'bat #12 ', 'bat #12 ', 'bat #12 ', // not `rem`, not `echo`, not inside `if ( … )`
    ]);
    // Windows steps are never parsed as POSIX shell: no parse-error; what is not read is listed with --verbose
    expect(findings.some((f) => f.ruleId === 'parse-error')).toBe(false);
    expect(model.unscanned?.map((u) => u.reason)).toEqual([
      'the cmd `if` / `for` block of the `bat` step at line 46 is not read',
      'the `powershell` step at line 48, column 3 is not read: PowerShell syntax, not a POSIX shell',
      'the `pwsh` step at line 49, column 3 is not read: PowerShell syntax, not a POSIX shell',
    ]);
    expect(model.invocations.find((i) => i.origin.name === 'sh #5')!.effective.read.allow).toEqual(['./data']);
  });

  it('tokenizes Groovy strings with nested interpolation and reports one that never closes', () => {
    const { tokens } = tokenizeGroovy('sh "a ${x ?: "b}"} c" // "not a string"\n');
    expect(tokens.map((t) => t.kind)).toEqual(['ident', 'string']);
    expect(tokenizeGroovy("sh '''never closed").error).toEqual({ at: 3, code: 'groovy-unclosed', quote: "'''" });
  });

  it('the CLI: findings with positions and exit code, PowerShell steps listed with --verbose', async () => {
    const dir = resolve(FIXTURES, 'launch-jenkinsfile');
    const r = await runMain(['--format', 'json', '--verbose', '--max-warnings', '0', 'Jenkinsfile'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string; file: string; line: number; column: number; level: string }) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.level}`)).toEqual([
      'allow-all Jenkinsfile:8:31 warning',
      'unscoped-grant Jenkinsfile:12:29 warning',
      'subprocess-escalation Jenkinsfile:15:39 warning',
      'allow-all Jenkinsfile:39:17 warning',
      'unscoped-grant Jenkinsfile:43:55 warning',
    ]);
    expect(r.stderr).toContain('Jenkinsfile  the `powershell` step at line 48, column 3 is not read: PowerShell syntax, not a POSIX shell');
    expect((await runMain(['--format', 'json', 'Jenkinsfile'], dir)).code).toBe(0); // ci: warnings only
  });

  it('reads cmd scripts by cmd rules: ^ escapes and continuations, quotes, separators, redirections', () => {
    const bat = '@deno run ^\n  --allow-net="a b" main.ts & echo x>y.txt || call node --permission %~dp0\\s.js';
    const text = MappedText.verbatim(new LineIndex('x.bat', bat), 0, bat.length);
    const { commands } = readCmd(text, () => undefined);
    expect(commands.map((c) => c.map((w) => `${w.value}${w.dynamic ? '?' : ''}`).join(' '))).toEqual(['deno run --allow-net=a b main.ts', 'echo x', 'node --permission %~dp0\\s.js?']);
    expect(commands[0]![2]!.span).toMatchObject({ line: 2, column: 3, endColumn: 20 });
  });
});
