/**
 * The wording of what permlint could not read: parse problems (`parse-error`) and values not known
 * statically (`unresolved-value`). Sources emit a code and the data (src/model.ts `ProblemFacts`,
 * `UnresolvedFacts`); only rules, reporters and the scan's list of unread files word them, here.
 * Sources never import this module (test/unit/layers.test.ts).
 */
import type { ProblemFacts, UnreadPartFacts, UnresolvedFacts } from '../model.js';
import { dynamicText, reasonText } from './dynamic.js';

const RENDER = 'lint the rendered manifest (`helm template`)';

const LISTS: Record<Extract<ProblemFacts, { code: 'list-budget' }>['list'], string> = {
  stages: 'stages',
  'stage-env': 'ENV settings in one stage',
  'stage-sources': 'COPY and ADD sources in one stage',
};

const REMOTE_INCLUDES: Record<Extract<UnresolvedFacts, { code: 'remote-include' }>['kind'], string> = {
  project: 'a file of another GitLab project',
  remote: 'a file fetched from a URL',
  template: 'a GitLab CI template',
  component: 'a CI/CD component',
};

/** jsonc-parser's error code name in words (`PropertyNameExpected` → `property name expected`). */
function jsonWords(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function nesting(p: Extract<ProblemFacts, { code: 'nesting-budget' }>): string {
  const deep = `nested more than ${p.limit} levels deep`;
  switch (p.format) {
    case 'json':
      return `invalid JSON: ${deep}`;
    case 'yaml':
      return `invalid YAML: ${deep}; not read`;
    case 'healthcheck-json':
      return `invalid JSON in HEALTHCHECK: ${deep}; not read`;
    case 'toml':
      return p.name ? `cannot read ${p.name}: ${deep}; not read` : `invalid TOML: ${deep}; not read`;
  }
}

/** Why the TypeScript parser did not parse a text (oxc's error, whole, or the refusal). */
export function parseFailureText(p: Extract<ProblemFacts, { code: 'ts-syntax' | 'ts-size-budget' | 'ts-nesting-budget' | 'ts-parser-unavailable' }>): string {
  switch (p.code) {
    case 'ts-syntax':
      return p.detail;
    case 'ts-size-budget':
      return `larger than ${p.limit} MiB; not parsed`;
    case 'ts-nesting-budget':
      return `brackets nested more than ${p.limit} deep; not parsed`;
    case 'ts-parser-unavailable':
      return `the TypeScript parser cannot start (${p.detail})${p.permissionModel ? "; under Node's permission model the parser needs --allow-worker and --allow-addons" : ''}`;
  }
}

/** The message of a parse problem; `file` and `source` word the problems that name the file or its reader. */
export function problemMessage(p: ProblemFacts & { file?: string; source?: string }): string {
  switch (p.code) {
    case 'json-syntax':
      return `invalid JSON: ${jsonWords(p.detail)}`;
    case 'deno-json-not-object':
      return 'deno.json must hold an object';
    case 'nesting-budget':
      return nesting(p);
    case 'yaml-syntax':
      return `invalid YAML: ${p.detail}`;
    case 'yaml-exception':
      return `cannot parse the YAML: ${p.detail}`;
    case 'alias-bomb':
      return `YAML aliases expand this document to more than ${p.limit} nodes (an alias bomb); not read`;
    case 'expansion-budget':
      return p.format === 'yaml'
        ? `YAML aliases expand this document to more than ${p.limit} KiB of text (the expansion budget); not read`
        : `Makefile variables expand to more than ${p.limit} KiB in this file (the expansion budget); the rest are left unexpanded`;
    case 'toml-syntax':
      return p.name ? `cannot read ${p.name}: ${p.detail}` : `invalid TOML: ${p.detail}`;
    case 'list-budget':
      return `more than ${p.limit.toLocaleString('en-US')} ${LISTS[p.list]} (a Dockerfile budget); the rest of the file is not read`;
    case 'dockerfile-syntax':
      return `cannot parse the Dockerfile: ${p.detail}`;
    case 'command-budget':
      return `more than ${p.limit.toLocaleString('en-US')} commands in this file (the command budget); the rest is not read`;
    case 'shell-syntax':
      return `cannot parse the shell command${p.name ? ` of \`${p.name}\`` : ''}${p.nested ? ' given to `sh -c`' : ''}: ${shellRefusal(p)}`;
    case 'shebang-env-without-S':
      return 'this shebang passes several words to `env` without `-S`: the kernel hands them over as one word and the script fails to start; write `#!/usr/bin/env -S …`';
    case 'groovy-unclosed':
      return `cannot read the Jenkinsfile: ${p.quote ? `a ${p.quote} string` : 'a comment'} that is never closed`;
    case 'ts-syntax':
    case 'ts-size-budget':
    case 'ts-nesting-budget':
    case 'ts-parser-unavailable': {
      const why = parseFailureText(p).split('\n')[0];
      if (p.source === 'pm2') return `cannot parse ${p.file}: ${why}`;
      return `cannot parse ${p.file} as TypeScript: ${why}${p.code === 'ts-nesting-budget' && p.nestedLine !== undefined ? ` (from line ${p.nestedLine})` : ''}`;
    }
    case 'ts-too-deep':
      return `cannot analyse ${p.file}: nested too deeply (${p.detail})`;
    case 'file-unreadable':
      return `cannot read the file: ${p.detail}`;
    case 'binary-file':
      return 'binary file (contains NUL bytes); not scanned';
    case 'reader-failed':
      return `permlint could not read this file: ${p.detail}`;
    case 'not-scanned':
      return `not scanned: ${p.detail}`;
  }
}

/** The message of a value permlint cannot know statically. */
export function unresolvedMessage(u: UnresolvedFacts): string {
  switch (u.code) {
    case 'unclosed-template-action':
      return `a template action that is never closed (\`{{\` without \`}}\`): the rest of this Helm template is not read; ${RENDER}`;
    case 'template-action-budget':
      return `more than ${u.limit} template actions: the rest of this Helm template is not read; ${RENDER}`;
    case 'helm-template-not-yaml':
      return `this Helm template is not YAML once its \`{{ … }}\` actions are masked (${problemMessage(u.problem)}); the documents after this point are not read — ${RENDER}`;
    case 'helm-template-value':
      return `\`${u.key}\` comes from the Helm template \`${u.template}\`: what it runs and grants is decided when the chart is rendered, and permlint does not guess it — ${RENDER}`;
    case 'helm-template-script':
      return `the script given to \`${u.program} -c\` holds ${dynamicText(u.dynamic)}: its text is decided when the chart is rendered, so permlint does not read it — ${RENDER}`;
    case 'helm-manifest':
      return 'a Helm (Go template) manifest: permlint reads rendered manifests only; render it (`helm template`) and lint the output';
    case 'args-without-command':
      return `\`${u.argsName}\` without a command: the entrypoint of ${u.image !== undefined ? `image \`${u.image}\`` : 'the image'} decides what runs these arguments, and permlint cannot see it; write the command out`;
    case 'dynamic-program-with-flags':
      return `the program \`${u.program}\` is not known statically (${dynamicText(u.dynamic)}), and it is given permission flags`;
    case 'remote-include': {
      const values = u.values.join(', ');
      const what = u.key !== undefined ? `\`${u.key}: ${values || '…'}\`` : `\`${values}\``;
      return `\`include:\` of ${REMOTE_INCLUDES[u.kind]} (${what}) is not in this repository: permlint reads local includes only, so the jobs and scripts it adds are not checked`;
    }
    case 'dynamic-include':
      return `\`include:\` of \`${u.path}\`: the path holds a CI/CD variable that is not known statically, so the file it names is not read`;
    case 'worker-permission-dynamic':
      return `\`${u.text}\` in the permissions of Worker \`${u.worker}\` is not known statically; permlint does not guess what it grants`;
    case 'worker-permissions-partial':
      return `\`${u.text}\` in the permissions of Worker \`${u.worker}\` is not known statically (${reasonText(u.why)})`;
    case 'worker-permissions-dynamic':
      return `the permissions of Worker \`${u.worker}\` are not known statically (${u.why ? reasonText(u.why) : 'expected "inherit", "none" or an object'}); permlint does not guess what they grant`;
    case 'netscript-runtime-dynamic':
      return `the runtime of NetScript task \`${u.task ?? '?'}\` is not known statically (${u.why ? reasonText(u.why) : 'no value'}); permlint cannot tell whether its permissions are enforced`;
    case 'netscript-type-dynamic':
      return `the runtime (\`type\`) of NetScript task \`${u.task ?? '?'}\` is not known statically; permlint cannot tell whether its permissions are enforced`;
    case 'netscript-unbuilt':
      return `the builder of NetScript task \`${u.task ?? '?'}\` is not finished with \`.build()\` in this chain, so permlint cannot tell whether \`.permissions(…)\` is called elsewhere`;
    case 'netscript-permissions-dynamic':
      return `the permissions of NetScript task \`${u.task ?? '?'}\` are not known statically; permlint does not guess what they grant`;
    case 'netscript-permission-dynamic':
      return `\`${u.text}\` in the permissions of NetScript task \`${u.task ?? '?'}\` is not known statically (${reasonText(u.why)}); permlint does not guess what it grants`;
    case 'sandbox-options-dynamic':
      return `the options of \`Sandbox.create\` are not known statically (${u.why ? reasonText(u.why) : 'not an object'}); permlint cannot tell what network the sandbox may reach`;
    case 'sandbox-options-partial':
      return `\`${u.text}\` in the options of sandbox \`${u.sandbox}\` is not known statically (${reasonText(u.why)}); it may set \`allowNet\``;
    case 'sandbox-allownet-dynamic':
      return `\`allowNet\` of sandbox \`${u.sandbox}\` is not known statically (${reasonText(u.why)}); permlint does not guess which hosts it allows`;
    case 'sandbox-secrets-dynamic':
      return `\`secrets\` of sandbox \`${u.sandbox}\` is not known statically; permlint does not guess which hosts receive them`;
    case 'sandbox-secret-dynamic':
      return `secret \`${u.secret}\` of sandbox \`${u.sandbox}\` is not known statically; permlint does not guess its hosts`;
    case 'sandbox-secret-hosts-dynamic':
      return `the hosts of secret \`${u.secret}\` of sandbox \`${u.sandbox}\` are not known statically (${reasonText(u.why)})`;
  }
}

/** Why a part of a file is not read (the `--verbose` list of skipped files). */
export function unreadPartReason(u: UnreadPartFacts): string {
  switch (u.code) {
    case 'powershell-step':
      return `the \`${u.step}\` step at line ${u.line}, column ${u.column} is not read: PowerShell syntax, not a POSIX shell`;
    case 'bat-control-block':
      return `the cmd \`if\` / \`for\` block of the \`bat\` step at line ${u.line} is not read`;
  }
}

/** Why a shell text is not read: the parser's own error, or the reader's nesting budget. */
function shellRefusal(p: { detail?: string; tooDeep?: { limit?: number } }): string {
  if (p.detail !== undefined) return p.detail;
  if (p.tooDeep?.limit !== undefined) return `nested more than ${p.tooDeep.limit} levels deep (command substitutions, subshells, groups); not read`;
  return 'nested too deeply to read';
}
