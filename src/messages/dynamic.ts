/**
 * The wording of why a value is not known statically (`Token.dynamic`, the TypeScript evaluator's
 * `why`): sources, the shell reader and the grammars emit `DynamicReason` facts (src/model.ts); the
 * rules (`unresolved-value`), the audit (`unresolved[].why`, a documented output) and infer word
 * them here. Sources never import this module (test/unit/layers.test.ts).
 */
import type { DynamicReason, TemplateOf, TsUnknown, VariableOf } from '../model.js';

const TEMPLATES: Record<TemplateOf, string> = {
  'github-actions': 'GitHub Actions expression',
  serverless: 'Serverless variable',
  groovy: 'Groovy interpolation',
  just: 'just interpolation',
  makefile: 'Makefile expansion',
  task: 'Task template',
  'ci-template': 'template expression',
  helm: 'Helm template',
  vscode: 'VS Code variable',
  zed: 'Zed variable',
  dax: 'the dax template value',
};

const TS: Record<TsUnknown, string> = {
  'nested-too-deeply': 'nested too deeply',
  'unexpected-literal': 'a literal of an unexpected type',
  template: 'a template string with expressions',
  'spread-not-list': 'a spread that is not a known list',
  'spread-not-object': 'a spread of a value that is not an object',
  'spread-argument': 'a spread argument',
  'computed-key': 'a computed key',
  'computed-property': 'a computed property',
  pattern: 'a pattern',
  'property-of-non-object': 'a property of a value that is not an object',
  'call-result': 'the result of a function call',
  'call-not-preset-helper': 'the result of a function call that is not a NetScript preset helper',
  expression: 'an expression',
  'not-object': 'not an object',
  'list-entry-not-string': 'a list entry that is not a string',
  'not-bool-or-list': 'not `true`, `false` or a list',
  'not-host-list': 'not a list of hosts',
  'host-not-string': 'a host that is not a string',
};

function variable(of: VariableOf, name: string): string {
  switch (of) {
    case 'shell':
      return `shell variable $${name}`;
    case 'plain':
      return `variable $${name}`;
    case 'dockerfile-arg':
      return `variable $${name} (not set by a literal ARG or ENV)`;
    case 'dockerfile':
      return `Dockerfile variable $${name}`;
    case 'gitlab-ci':
      return `GitLab CI variable $${name}`;
    case 'kubernetes':
      return `Kubernetes variable $(${name})`;
    case 'compose':
      return `compose variable \${${name}}`;
    case 'systemd':
      return `systemd variable $${name}`;
    case 'systemd-specifier':
      return `systemd specifier %${name}`;
    case 'cmd':
      return `cmd variable ${name}`;
  }
}

/** One reason in words. */
export function reasonText(r: DynamicReason): string {
  switch (r.kind) {
    case 'variable':
      return variable(r.of, r.name);
    case 'template':
      return r.of === 'dax' ? `${TEMPLATES.dax} \`${r.exprs.join(', ')}\`` : `${TEMPLATES[r.of]} ${r.exprs.join(', ')}`;
    case 'serverless-variable-in':
      return `Serverless variable in ${r.text}`;
    case 'expansion-budget':
      return `${reasonText(r.of)} not expanded: the expansion budget of ${r.kib} KiB for this file is spent`;
    case 'command-substitution':
      return 'command substitution';
    case 'arithmetic-expansion':
      return 'arithmetic expansion';
    case 'shell-expansion':
      return `${r.node} expansion`;
    case 'k8s-value-from':
      return `\`valueFrom\` of ${r.name}`;
    case 'supervisor-expansion':
      return 'supervisor expansion %(…)s';
    case 'pm2-computed':
      return 'not a literal: PM2 computes it when it loads the ecosystem file';
    case 'gitlab-variable-refs':
      return `GitLab CI variable ${r.name} refers to other variables`;
    case 'script-branch':
      return `${r.name} depends on a branch or loop of the script (line ${r.line}) whose outcome is not known statically`;
    case 'ts':
      return TS[r.what];
    case 'ts-not-const':
      return `\`${r.name}\` is not a \`const\` with a value known in this file`;
    case 'ts-not-known-const':
      return `\`${r.name}\` is not a \`const\` known in this file`;
    case 'ts-not-preset':
      return `\`${r.name}\` is not a NetScript permission preset`;
    case 'ts-not-permissions':
      return `\`${r.name}\` is not a permissions object`;
    case 'ts-undefined':
      return `\`${r.name}\` is not defined in this file`;
    case 'ts-may-come-from':
      return `\`${r.key}\` may come from ${r.text}`;
    case 'ts-options':
      return `the options \`${r.text}\` are not known statically`;
    case 'ts-not-string':
      return `\`${r.text}\` is not a string`;
  }
}

/** What is unknown about a word (`Token.dynamic`), as the findings and the audit say it. */
export function dynamicText(reasons: readonly DynamicReason[]): string {
  return reasons.map(reasonText).join(', ');
}

/**
 * The parts of a word's written text that the reasons name (`$DATA` or `${DATA}`, `$(NAME)`,
 * `${{ inputs.x }}`, `{{ .Values.x }}`): the audit marks a grant value inside the word as
 * unresolved when it holds one of them (or when the reasons name none: `$(…)`, a branch, …).
 */
export function dynamicParts(reasons: readonly DynamicReason[]): string[] {
  const out: string[] = [];
  for (const r of reasons) {
    if (r.kind === 'expansion-budget') out.push(...dynamicParts([r.of]));
    else if (r.kind === 'template' && r.of !== 'dax') out.push(...r.exprs);
    else if (r.kind === 'variable') {
      if (r.of === 'kubernetes') out.push(`$(${r.name})`);
      else if (r.of === 'cmd') {
        if (r.name.startsWith('$')) out.push(r.name);
      } else if (r.of !== 'systemd-specifier') out.push(`$${r.name}`, `\${${r.name}}`);
    }
  }
  return out;
}
