/**
 * The wording of the problem codes no rule-tester case reaches with a small input (a parser that
 * throws, a file that cannot be opened, a budget of megabytes): each exactly as the sources wrote
 * it before they emitted codes. The others are pinned by test/rules/parse-error.test.ts and
 * unresolved-value.test.ts through the whole pipeline.
 */
import { describe, expect, it } from 'vitest';
import { parseFailureText, problemMessage, unreadPartReason } from '../../src/messages/problems.js';

describe('problem wording', () => {
  it('words the parse problems of parsers that throw, files that cannot be read and large budgets', () => {
    expect(problemMessage({ code: 'yaml-exception', detail: 'Maximum call stack size exceeded' })).toBe('cannot parse the YAML: Maximum call stack size exceeded');
    expect(problemMessage({ code: 'expansion-budget', format: 'yaml', limit: 4096 })).toBe('YAML aliases expand this document to more than 4096 KiB of text (the expansion budget); not read');
    expect(problemMessage({ code: 'dockerfile-syntax', detail: 'boom' })).toBe('cannot parse the Dockerfile: boom');
    expect(problemMessage({ code: 'list-budget', list: 'stage-env', limit: 1000 })).toBe('more than 1,000 ENV settings in one stage (a Dockerfile budget); the rest of the file is not read');
    expect(problemMessage({ code: 'list-budget', list: 'stage-sources', limit: 1000 })).toBe('more than 1,000 COPY and ADD sources in one stage (a Dockerfile budget); the rest of the file is not read');
    expect(problemMessage({ code: 'shell-syntax', detail: 'unexpected `)`' })).toBe('cannot parse the shell command: unexpected `)`');
    expect(problemMessage({ code: 'shell-syntax', tooDeep: { limit: 256 }, name: 'build', nested: true })).toBe('cannot parse the shell command of `build` given to `sh -c`: nested more than 256 levels deep (command substitutions, subshells, groups); not read');
    expect(problemMessage({ code: 'shell-syntax', tooDeep: {} })).toBe('cannot parse the shell command: nested too deeply to read');
    expect(problemMessage({ code: 'file-unreadable', detail: 'EACCES' })).toBe('cannot read the file: EACCES');
    expect(problemMessage({ code: 'reader-failed', detail: 'x is undefined' })).toBe('permlint could not read this file: x is undefined');
    expect(problemMessage({ code: 'not-scanned', detail: 'larger than 2048 KiB' })).toBe('not scanned: larger than 2048 KiB');
    expect(problemMessage({ code: 'ts-too-deep', detail: 'Maximum call stack size exceeded', file: 'a.ts' })).toBe('cannot analyse a.ts: nested too deeply (Maximum call stack size exceeded)');
  });

  it('words why the TypeScript parser did not read a text, as analysis and pm2 reported it', () => {
    expect(problemMessage({ code: 'ts-syntax', detail: 'Unexpected token\n  ╭─[a.ts:1:1]', file: 'a.ts', source: 'typescript' })).toBe('cannot parse a.ts as TypeScript: Unexpected token');
    expect(problemMessage({ code: 'ts-size-budget', limit: 2, file: 'a.ts', source: 'typescript' })).toBe('cannot parse a.ts as TypeScript: larger than 2 MiB; not parsed');
    expect(problemMessage({ code: 'ts-nesting-budget', limit: 1000, nestedLine: 2, file: 'a.ts', source: 'typescript' })).toBe('cannot parse a.ts as TypeScript: brackets nested more than 1000 deep; not parsed (from line 2)');
    expect(problemMessage({ code: 'ts-nesting-budget', limit: 1000, file: 'ecosystem.config.js', source: 'pm2' })).toBe('cannot parse ecosystem.config.js: brackets nested more than 1000 deep; not parsed');
    expect(problemMessage({ code: 'ts-parser-unavailable', detail: 'no addon', permissionModel: true, file: 'a.ts', source: 'typescript' })).toBe(
      "cannot parse a.ts as TypeScript: the TypeScript parser cannot start (no addon); under Node's permission model the parser needs --allow-worker and --allow-addons",
    );
    expect(parseFailureText({ code: 'ts-parser-unavailable', detail: 'no addon' })).toBe('the TypeScript parser cannot start (no addon)');
  });

  it('words the parts of a Jenkinsfile that are not read', () => {
    expect(unreadPartReason({ code: 'powershell-step', step: 'pwsh', line: 49, column: 3 })).toBe('the `pwsh` step at line 49, column 3 is not read: PowerShell syntax, not a POSIX shell');
    expect(unreadPartReason({ code: 'bat-control-block', line: 46 })).toBe('the cmd `if` / `for` block of the `bat` step at line 46 is not read');
  });
});
