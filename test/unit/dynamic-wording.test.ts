/**
 * The wording of every DynamicReason, pinned to the text the sources, the shell reader and the
 * TypeScript evaluator wrote themselves before they emitted facts (unresolved-value messages and
 * the audit's `unresolved[].why` are documented outputs and must not change).
 */
import { describe, expect, it } from 'vitest';
import type { DynamicReason } from '../../src/model.js';
import { uniqueReasons } from '../../src/model.js';
import { dynamicParts, dynamicText, reasonText } from '../../src/messages/dynamic.js';

const CASES: [DynamicReason, string][] = [
  [{ kind: 'variable', of: 'shell', name: 'DATA' }, 'shell variable $DATA'],
  [{ kind: 'variable', of: 'plain', name: 'X' }, 'variable $X'],
  [{ kind: 'variable', of: 'dockerfile-arg', name: 'V' }, 'variable $V (not set by a literal ARG or ENV)'],
  [{ kind: 'variable', of: 'dockerfile', name: 'TAG' }, 'Dockerfile variable $TAG'],
  [{ kind: 'variable', of: 'gitlab-ci', name: 'CI_X' }, 'GitLab CI variable $CI_X'],
  [{ kind: 'variable', of: 'kubernetes', name: 'PORT' }, 'Kubernetes variable $(PORT)'],
  [{ kind: 'variable', of: 'compose', name: 'PORT' }, 'compose variable ${PORT}'],
  [{ kind: 'variable', of: 'systemd', name: 'OPTS' }, 'systemd variable $OPTS'],
  [{ kind: 'variable', of: 'systemd-specifier', name: 'h' }, 'systemd specifier %h'],
  [{ kind: 'variable', of: 'cmd', name: '%~dp0' }, 'cmd variable %~dp0'],
  [{ kind: 'template', of: 'github-actions', exprs: ['${{ inputs.a }}', '${{ env.B }}'] }, 'GitHub Actions expression ${{ inputs.a }}, ${{ env.B }}'],
  [{ kind: 'template', of: 'serverless', exprs: ['${self:custom.x}'] }, 'Serverless variable ${self:custom.x}'],
  [{ kind: 'template', of: 'groovy', exprs: ['${params.X}'] }, 'Groovy interpolation ${params.X}'],
  [{ kind: 'template', of: 'just', exprs: ['{{port}}'] }, 'just interpolation {{port}}'],
  [{ kind: 'template', of: 'makefile', exprs: ['$(FLAGS)'] }, 'Makefile expansion $(FLAGS)'],
  [{ kind: 'template', of: 'task', exprs: ['{{.CLI_ARGS}}'] }, 'Task template {{.CLI_ARGS}}'],
  [{ kind: 'template', of: 'ci-template', exprs: ['{{ x }}'] }, 'template expression {{ x }}'],
  [{ kind: 'template', of: 'helm', exprs: ['{{ .Values.a }}', '{{ .Values.b }}'] }, 'Helm template {{ .Values.a }}, {{ .Values.b }}'],
  [{ kind: 'template', of: 'vscode', exprs: ['${file}'] }, 'VS Code variable ${file}'],
  [{ kind: 'template', of: 'zed', exprs: ['$ZED_FILE'] }, 'Zed variable $ZED_FILE'],
  [{ kind: 'template', of: 'dax', exprs: ['dir'] }, 'the dax template value `dir`'],
  [{ kind: 'serverless-variable-in', text: 'src/${opt:stage}/h.main' }, 'Serverless variable in src/${opt:stage}/h.main'],
  [{ kind: 'expansion-budget', of: { kind: 'variable', of: 'shell', name: 'P' }, kib: 256 }, 'shell variable $P not expanded: the expansion budget of 256 KiB for this file is spent'],
  [{ kind: 'command-substitution' }, 'command substitution'],
  [{ kind: 'arithmetic-expansion' }, 'arithmetic expansion'],
  [{ kind: 'shell-expansion', node: 'ProcSubst' }, 'ProcSubst expansion'],
  [{ kind: 'k8s-value-from', name: 'TOKEN' }, '`valueFrom` of TOKEN'],
  [{ kind: 'supervisor-expansion' }, 'supervisor expansion %(…)s'],
  [{ kind: 'pm2-computed' }, 'not a literal: PM2 computes it when it loads the ecosystem file'],
  [{ kind: 'gitlab-variable-refs', name: 'FLAGS' }, 'GitLab CI variable FLAGS refers to other variables'],
  [{ kind: 'script-branch', name: 'NODE_OPTIONS', line: 3 }, 'NODE_OPTIONS depends on a branch or loop of the script (line 3) whose outcome is not known statically'],
  [{ kind: 'ts', what: 'template' }, 'a template string with expressions'],
  [{ kind: 'ts', what: 'computed-key' }, 'a computed key'],
  [{ kind: 'ts', what: 'spread-argument' }, 'a spread argument'],
  [{ kind: 'ts', what: 'not-bool-or-list' }, 'not `true`, `false` or a list'],
  [{ kind: 'ts', what: 'call-not-preset-helper' }, 'the result of a function call that is not a NetScript preset helper'],
  [{ kind: 'ts-not-const', name: 'flags' }, '`flags` is not a `const` with a value known in this file'],
  [{ kind: 'ts-not-known-const', name: 'perms' }, '`perms` is not a `const` known in this file'],
  [{ kind: 'ts-undefined', name: 'x' }, '`x` is not defined in this file'],
  [{ kind: 'ts-not-preset', name: 'wide' }, '`wide` is not a NetScript permission preset'],
  [{ kind: 'ts-not-permissions', name: 'api' }, '`api` is not a permissions object'],
  [{ kind: 'ts-may-come-from', key: 'args', text: '...base' }, '`args` may come from ...base'],
  [{ kind: 'ts-options', text: 'opts' }, 'the options `opts` are not known statically'],
  [{ kind: 'ts-not-string', text: '42' }, '`42` is not a string'],
];

describe('dynamic reasons in words', () => {
  it.each(CASES)('%j', (r, text) => {
    expect(reasonText(r)).toBe(text);
  });

  it('joins several reasons with ", " as the words said them', () => {
    expect(dynamicText([{ kind: 'variable', of: 'shell', name: 'A' }, { kind: 'command-substitution' }])).toBe('shell variable $A, command substitution');
    expect(dynamicText([{ kind: 'template', of: 'vscode', exprs: ['${file}'] }, { kind: 'template', of: 'zed', exprs: ['$ZED_ROW'] }])).toBe('VS Code variable ${file}, Zed variable $ZED_ROW');
  });

  it('keeps the first of equal reasons, in order', () => {
    const a: DynamicReason = { kind: 'variable', of: 'shell', name: 'A' };
    expect(uniqueReasons([a, { kind: 'command-substitution' }, { ...a }])).toEqual([a, { kind: 'command-substitution' }]);
  });

  it('names the written parts the audit looks for in a grant value', () => {
    expect(dynamicParts([{ kind: 'variable', of: 'shell', name: 'DATA' }])).toEqual(['$DATA', '${DATA}']);
    expect(dynamicParts([{ kind: 'variable', of: 'kubernetes', name: 'P' }, { kind: 'template', of: 'github-actions', exprs: ['${{ inputs.x }}'] }])).toEqual(['$(P)', '${{ inputs.x }}']);
    expect(dynamicParts([{ kind: 'command-substitution' }, { kind: 'script-branch', name: 'X', line: 2 }])).toEqual([]);
  });
});
