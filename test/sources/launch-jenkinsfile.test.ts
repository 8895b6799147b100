import { describe, expect, it } from 'vitest';
import { brief, lintFixture } from '../helpers.js';
import { tokenizeGroovy } from '../../src/sources/jenkinsfile.js';

describe('Jenkinsfile (fixtures/launch-jenkinsfile)', () => {
  it('reads sh steps in single, double and triple quotes and sh(script: …), with positions inside the strings', async () => {
    const { findings, model } = await lintFixture('launch-jenkinsfile');
    expect(brief(findings)).toEqual([
      'allow-all Jenkinsfile:8:31 warning', // sh '…'
      'unresolved-value Jenkinsfile:9:31 note', // sh "…${env.API_HOST}…": Groovy fills it in at run time
      'unscoped-grant Jenkinsfile:12:29 warning', // sh '''…''' over a continued line
      'subprocess-escalation Jenkinsfile:15:39 warning', // sh(script: '…', returnStdout: true)
      'allow-all Jenkinsfile:27:28 note', // sh """deno test -A""": test context
    ]);
    expect(findings.filter((f) => f.ruleId !== 'allow-all' || f.span.line !== 27).every((f) => f.context === 'ci')).toBe(true);
    // comments, an echo of a string that mentions sh, and a scoped step give nothing
    expect(model.invocations.map((i) => i.origin.name)).toEqual(['sh #1', 'sh #2', 'sh #3', 'sh #3', 'sh #4', 'sh #5', 'sh #6']);
    expect(model.invocations.find((i) => i.origin.name === 'sh #5')!.effective.read.allow).toEqual(['./data']);
  });

  it('tokenizes Groovy strings with nested interpolation and reports one that never closes', () => {
    const { tokens } = tokenizeGroovy('sh "a ${x ?: "b}"} c" // "not a string"\n');
    expect(tokens.map((t) => t.kind)).toEqual(['ident', 'string']);
    expect(tokenizeGroovy("sh '''never closed").error?.message).toBe("a ''' string that is never closed");
  });
});
