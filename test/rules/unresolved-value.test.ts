import { ruleTester } from '../rule-tester.js';

/** The whole message, exactly: the wording lives in src/messages/problems.ts and must not drift. */
const exactly = (message: string) => new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const CHART = 'apiVersion: v2\nname: c\nversion: 1.0.0\n';
const RENDER = 'lint the rendered manifest (`helm template`)';

ruleTester('unresolved-value', {
  valid: [
    {
      name: 'variables that do not reach a runtime, and variables set to literals first',
      files: {
        'deno.json': '{ "tasks": { "a": "echo $FLAGS", "b": "deno run --allow-read=./data main.ts" } }\n',
        'scripts/a.sh': '#!/bin/sh\nDATA=./data\ndeno run --allow-read=$DATA main.ts\n',
      },
    },
  ],
  invalid: [
    {
      name: 'shell variables in a task: the whole word, and a flag value',
      files: { 'deno.json': '{\n  "tasks": {\n    "a": "deno run $FLAGS main.ts",\n    "b": "deno run --allow-read=$DATA main.ts"\n  }\n}\n' },
      errors: [
        { file: 'deno.json', at: '$FLAGS', level: 'note', message: 'is not known statically (shell variable $FLAGS)' },
        { file: 'deno.json', at: '--allow-read=$DATA', level: 'note', message: 'permlint does not guess what it grants' },
      ],
    },
    {
      name: 'a GitHub Actions expression keeps the note in CI',
      files: {
        '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: deno run --frozen ${{ inputs.flags }} main.ts\n',
      },
      errors: [{ file: '.github/workflows/ci.yml', at: '${{ inputs.flags }}', level: 'note', context: 'ci', message: 'GitHub Actions expression' }],
    },
    {
      name: 'Helm templates (unclosed-template-action, template-action-budget, helm-template-not-yaml, helm-template-value, helm-template-script)',
      files: {
        'a/Chart.yaml': CHART,
        'a/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name\nspec: {}\n',
        'b/Chart.yaml': CHART,
        'b/templates/pod.yaml': `apiVersion: v1\nkind: Pod\nmetadata:\n${'  # {{ x }}\n'.repeat(4100)}`,
        'c/Chart.yaml': CHART,
        'c/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{{ .Values.c }}\n',
        'd/Chart.yaml': CHART,
        'd/templates/pod.yaml':
          'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: denoland/deno:2.1.0\n      command: {{ .Values.command }}\n    - name: b\n      image: denoland/deno:2.1.0\n      command: ["sh", "-c", "deno run {{ .Values.flags }} main.ts"]\n',
      },
      errors: [
        { file: 'a/templates/pod.yaml', line: 4, column: 9, endColumn: 11, level: 'note', message: exactly(`a template action that is never closed (\`{{\` without \`}}\`): the rest of this Helm template is not read; ${RENDER}`) },
        { file: 'b/templates/pod.yaml', line: 4099, column: 5, level: 'note', message: exactly(`more than 4096 template actions: the rest of this Helm template is not read; ${RENDER}`) },
        {
          file: 'c/templates/pod.yaml',
          line: 5,
          column: 1,
          level: 'note',
          message: exactly(`this Helm template is not YAML once its \`{{ … }}\` actions are masked (invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]); the documents after this point are not read — ${RENDER}`),
        },
        { file: 'd/templates/pod.yaml', at: '{{ .Values.command }}', level: 'note', message: exactly(`\`command\` comes from the Helm template \`{{ .Values.command }}\`: what it runs and grants is decided when the chart is rendered, and permlint does not guess it — ${RENDER}`) },
        { file: 'd/templates/pod.yaml', at: 'deno run {{ .Values.flags }} main.ts', level: 'note', message: exactly(`the script given to \`sh -c\` holds Helm template {{ .Values.flags }}: its text is decided when the chart is rendered, so permlint does not read it — ${RENDER}`) },
      ],
    },
    {
      name: 'Kubernetes and commands (helm-manifest, args-without-command, dynamic-program-with-flags)',
      files: {
        'k8s/tpl.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n',
        'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: myorg/app:1\n      args: ["--allow-net", "main.ts"]\n',
        'deno.json': '{ "tasks": { "start": "$RUNTIME --allow-net main.ts" } }\n',
      },
      errors: [
        { file: 'deno.json', at: '$RUNTIME', level: 'note', message: exactly('the program `$RUNTIME` is not known statically (shell variable $RUNTIME), and it is given permission flags') },
        { file: 'k8s/pod.yaml', line: 7, column: 7, endColumn: 39, level: 'note', message: exactly('`args` without a command: the entrypoint of image `myorg/app:1` decides what runs these arguments, and permlint cannot see it; write the command out') },
        { file: 'k8s/tpl.yaml', at: '{{', level: 'note', message: exactly('a Helm (Go template) manifest: permlint reads rendered manifests only; render it (`helm template`) and lint the output') },
      ],
    },
    {
      name: 'GitLab includes (remote-include, dynamic-include): another project, a URL, a template, a path with a variable',
      files: {
        '.gitlab-ci.yml':
          'include:\n  - project: group/ci\n    file: /templates/deno.yml\n  - remote: https://example.com/ci.yml\n  - https://example.com/other.yml\n  - local: ci/$ENV.yml\n  - template: Auto-DevOps.gitlab-ci.yml\ntest:\n  script: deno test\n',
      },
      errors: [
        { file: '.gitlab-ci.yml', line: 2, column: 5, level: 'note', context: 'ci', message: exactly('`include:` of a file of another GitLab project (`project: group/ci, /templates/deno.yml`) is not in this repository: permlint reads local includes only, so the jobs and scripts it adds are not checked') },
        { file: '.gitlab-ci.yml', line: 4, column: 5, level: 'note', context: 'ci', message: exactly('`include:` of a file fetched from a URL (`remote: https://example.com/ci.yml`) is not in this repository: permlint reads local includes only, so the jobs and scripts it adds are not checked') },
        { file: '.gitlab-ci.yml', at: 'https://example.com/other.yml', level: 'note', context: 'ci', message: exactly('`include:` of a file fetched from a URL (`https://example.com/other.yml`) is not in this repository: permlint reads local includes only, so the jobs and scripts it adds are not checked') },
        { file: '.gitlab-ci.yml', line: 6, column: 5, level: 'note', context: 'ci', message: exactly('`include:` of `ci/$ENV.yml`: the path holds a CI/CD variable that is not known statically, so the file it names is not read') },
        { file: '.gitlab-ci.yml', line: 7, column: 5, level: 'note', context: 'ci', message: exactly('`include:` of a GitLab CI template (`template: Auto-DevOps.gitlab-ci.yml`) is not in this repository: permlint reads local includes only, so the jobs and scripts it adds are not checked') },
      ],
    },
    {
      name: 'Worker permissions (worker-permissions-dynamic, worker-permission-dynamic, worker-permissions-partial)',
      files: {
        'main.ts':
          "const perms = load();\nconst net = load();\nnew Worker(new URL('./a.ts', import.meta.url).href, { type: 'module', deno: { permissions: perms } });\nnew Worker(new URL('./b.ts', import.meta.url).href, { type: 'module', deno: { permissions: { net, read: true } } });\nnew Worker(new URL('./c.ts', import.meta.url).href, { type: 'module', deno: { permissions: { ...perms } } });\nnew Worker(new URL('./d.ts', import.meta.url).href, { type: 'module', deno: { permissions: 42 } });\ndeclare function load(): any;\n",
      },
      errors: [
        { file: 'main.ts', at: 'load()', level: 'note', message: exactly('the permissions of Worker `./a.ts` are not known statically (the result of a function call); permlint does not guess what they grant') },
        { file: 'main.ts', at: ['load()', 2], level: 'note', message: exactly('`net` in the permissions of Worker `./b.ts` is not known statically; permlint does not guess what it grants') },
        { file: 'main.ts', at: '...perms', level: 'note', message: exactly('`...perms` in the permissions of Worker `./c.ts` is not known statically (the result of a function call)') },
        { file: 'main.ts', at: '42', level: 'note', message: exactly('the permissions of Worker `./d.ts` are not known statically (expected "inherit", "none" or an object); permlint does not guess what they grant') },
      ],
    },
    {
      name: 'NetScript tasks (netscript-runtime-dynamic, netscript-permission-dynamic, netscript-permissions-dynamic, netscript-unbuilt, netscript-type-dynamic)',
      files: {
        'jobs.ts':
          "import * as ns from '@netscript/plugin-workers-core';\nconst rt = pick();\nconst flags = pick();\nexport const a = ns.defineTask('a').runtime(rt).entrypoint('./a.ts').timeout(1).retry(1).build();\nexport const b = ns.defineTask('b').entrypoint('./b.ts').permissions(flags).timeout(1).retry(1).build();\nexport const c = ns.defineTask('c').entrypoint('./c.ts').permissions({ net: flags }).timeout(1).retry(1).build();\nexport const d = ns.defineTask('d').entrypoint('./d.ts').permissions().timeout(1).retry(1);\nexport const e = ns.defineTask('e').entrypoint('./e.ts').timeout(1);\nexport const t = { id: 'etl', type: pick(), entrypoint: './etl.ts' } satisfies ns.TaskConfig;\ndeclare function pick(): any;\n",
      },
      errors: [
        { file: 'jobs.ts', at: ['pick()', 2], level: 'note', message: exactly('`pick()` in the permissions of NetScript task `b` is not known statically (the result of a function call that is not a NetScript preset helper); permlint does not guess what it grants') },
        { file: 'jobs.ts', line: 4, column: 45, endColumn: 47, level: 'note', message: exactly('the runtime of NetScript task `a` is not known statically (the result of a function call); permlint cannot tell whether its permissions are enforced') },
        { file: 'jobs.ts', at: 'net: flags', level: 'note', message: exactly('`net: flags` in the permissions of NetScript task `c` is not known statically (the result of a function call); permlint does not guess what it grants') },
        { file: 'jobs.ts', at: 'permissions()', level: 'note', message: exactly('the permissions of NetScript task `d` are not known statically; permlint does not guess what they grant') },
        { file: 'jobs.ts', at: "ns.defineTask('e')", level: 'note', message: exactly('the builder of NetScript task `e` is not finished with `.build()` in this chain, so permlint cannot tell whether `.permissions(…)` is called elsewhere') },
        { file: 'jobs.ts', at: 'type: pick()', level: 'note', message: exactly('the runtime (`type`) of NetScript task `etl` is not known statically; permlint cannot tell whether its permissions are enforced') },
      ],
    },
    {
      name: 'Sandbox.create (sandbox-options-dynamic, sandbox-allownet-dynamic, sandbox-options-partial, sandbox-secret-dynamic, sandbox-secret-hosts-dynamic, sandbox-secrets-dynamic)',
      files: {
        'agent.ts':
          "import { Sandbox } from 'jsr:@deno/sandbox@0.13.2';\nconst hosts = pick();\nconst opts = pick();\nconst extra = pick();\nawait using a = await Sandbox.create(opts);\nawait using b = await Sandbox.create({ allowNet: hosts });\nawait using c = await Sandbox.create({ ...extra });\nawait using d = await Sandbox.create({ allowNet: [], secrets: { K: pick(), L: { hosts, value: 'x' } } });\nawait using e = await Sandbox.create({ allowNet: [], secrets: hosts });\ndeclare function pick(): any;\n",
      },
      errors: [
        { file: 'agent.ts', at: 'pick()', level: 'note', message: exactly('`allowNet` of sandbox `b` is not known statically (the result of a function call); permlint does not guess which hosts it allows') },
        { file: 'agent.ts', at: 'pick()', level: 'note', message: exactly('`secrets` of sandbox `e` is not known statically; permlint does not guess which hosts receive them') },
        { file: 'agent.ts', at: 'pick()', level: 'note', message: exactly('the hosts of secret `L` of sandbox `d` are not known statically (the result of a function call)') },
        { file: 'agent.ts', at: ['pick()', 2], level: 'note', message: exactly('the options of `Sandbox.create` are not known statically (the result of a function call); permlint cannot tell what network the sandbox may reach') },
        { file: 'agent.ts', at: '...extra', level: 'note', message: exactly('`...extra` in the options of sandbox `c` is not known statically (the result of a function call); it may set `allowNet`') },
        { file: 'agent.ts', at: ['pick()', 4], level: 'note', message: exactly('secret `K` of sandbox `d` is not known statically; permlint does not guess its hosts') },
      ],
    },
    {
      name: 'a GitHub Actions expression as the program: the placeholder is put back into the data the message is worded from',
      files: { '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${{ matrix.rt }} --allow-net main.ts\n' },
      errors: [
        {
          file: '.github/workflows/ci.yml',
          line: 6,
          column: 14,
          endColumn: 30,
          level: 'note',
          context: 'ci',
          message: exactly('the program `${{ matrix.rt }}` is not known statically (GitHub Actions expression ${{ matrix.rt }}), and it is given permission flags'),
        },
      ],
    },
  ],
});
