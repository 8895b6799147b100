import { ruleTester } from '../rule-tester.js';
import { MAX_COMMANDS_PER_FILE } from '../../src/sources/commands.js';

/** The whole message, exactly: the wording lives in src/messages/problems.ts and must not drift. */
const exactly = (message: string) => new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
/** `n` brackets opened and closed. */
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

ruleTester('parse-error', {
  valid: [
    {
      name: 'deno.jsonc with comments and trailing commas, a BOM, CRLF line ends',
      files: {
        'deno.jsonc': '\ufeff// tasks\r\n{\r\n  "tasks": { "a": "deno run main.ts", },\r\n}\r\n',
        'k8s/app.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec:\n  containers: []\n',
      },
    },
    {
      name: 'files permlint does not read are never parsed',
      files: { 'notes.txt': '{ not json', 'data/x.csv': 'a,"b' },
    },
  ],
  invalid: [
    {
      name: 'malformed JSON: package.json is strict (npm refuses trailing commas), deno.json is cut short',
      files: {
        'package.json': '{"scripts":{"a":"node x.js",}}',
        'deno.json': '{\n  "tasks": {\n    "a": "deno run main.ts",\n',
      },
      errors: [
        { file: 'deno.json', line: 4, column: 1, level: 'error', message: 'invalid JSON' },
        { file: 'package.json', at: '}', level: 'error', message: 'property name expected' },
      ],
    },
    {
      name: 'malformed YAML manifest and a shell script with an open quote',
      files: {
        'k8s/app.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\nspec: [\n',
        'scripts/x.sh': '#!/bin/sh\necho "unterminated\n',
      },
      errors: [
        { file: 'k8s/app.yaml', line: 4, column: 1, level: 'error', message: 'invalid YAML' },
        { file: 'scripts/x.sh', at: '"', level: 'error', message: 'closing quote' },
      ],
    },
    {
      name: 'JSON (json-syntax, deno-json-not-object, nesting-budget): the parser\'s error code in words, a top level that is not an object, nesting past 200',
      files: {
        'a/deno.json': '[1, 2]\n',
        'b/deno.json': `{ "a": ${deep(201)} }\n`,
        'c/package.json': '{"scripts":{"a":"node x.js",}}',
      },
      errors: [
        { file: 'a/deno.json', line: 1, column: 1, endColumn: 7, level: 'error', message: exactly('deno.json must hold an object') },
        { file: 'b/deno.json', line: 1, column: 207, level: 'error', message: exactly('invalid JSON: nested more than 200 levels deep') },
        { file: 'c/package.json', at: '}', level: 'error', message: exactly('invalid JSON: property name expected') },
      ],
    },
    {
      name: 'YAML (yaml-syntax, nesting-budget, alias-bomb): the parser\'s message without its position, nesting past 256, aliases that expand a document',
      files: {
        'k8s/bad.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: a\n',
        'k8s/deep.yaml': `apiVersion: v1\nkind: Pod\nspec: ${deep(300)}\n`,
        // (the tokens reach yaml's parser as they are checked: the document before is composed, then dropped)
        'k8s/deep-second.yaml': `apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Pod\nspec: ${deep(300)}\n`,
        'k8s/bomb.yaml': `apiVersion: v1\nkind: Pod\na: &a [x, x, x, x, x, x, x, x, x, x]\n${['b', 'c', 'd', 'e', 'f'].map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcde'[i]}`).join(', ')}]\n`).join('')}`,
      },
      errors: [
        { file: 'k8s/bad.yaml', line: 4, column: 1, level: 'error', message: exactly('invalid YAML: Flow map in block collection must be sufficiently indented and end with a }') },
        { file: 'k8s/bomb.yaml', line: 4, column: 8, level: 'error', message: exactly('YAML aliases expand this document to more than 10270 nodes (an alias bomb); not read') },
        { file: 'k8s/deep-second.yaml', line: 6, column: 261, level: 'error', message: exactly('invalid YAML: nested more than 256 levels deep; not read') },
        { file: 'k8s/deep.yaml', line: 3, column: 261, level: 'error', message: exactly('invalid YAML: nested more than 256 levels deep; not read') },
      ],
    },
    {
      name: 'TOML (toml-syntax, nesting-budget): fly.toml worded as TOML, mise.toml by the file that reads it',
      files: {
        'fly.toml': 'app = "x"\n[processes\n',
        'a/fly.toml': `a = ${deep(300)}\n`,
        'mise.toml': '[tools]\nnode = "20\n',
        'b/mise.toml': `[tools]\nnode = ${deep(300)}\n`,
      },
      errors: [
        { file: 'a/fly.toml', line: 1, column: 261, level: 'error', message: exactly('invalid TOML: nested more than 256 levels deep; not read') },
        { file: 'b/mise.toml', line: 2, column: 264, level: 'error', message: exactly('cannot read mise.toml: nested more than 256 levels deep; not read') },
        { file: 'fly.toml', line: 3, column: 1, level: 'error', message: exactly('invalid TOML: Unterminated table-key') },
        { file: 'mise.toml', line: 2, column: 11, level: 'error', message: exactly('cannot read mise.toml: Unterminated string constant') },
      ],
    },
    {
      name: 'Dockerfile (nesting-budget, list-budget): a HEALTHCHECK nested past 256, more than 1,000 stages',
      files: {
        'a/Dockerfile': `FROM denoland/deno:2.1.0\nHEALTHCHECK CMD ${deep(300)}\n`,
        'b/Dockerfile': Array.from({ length: 1002 }, (_, i) => `FROM alpine AS s${i}\n`).join(''),
      },
      errors: [
        { file: 'a/Dockerfile', line: 2, column: 273, level: 'error', message: exactly('invalid JSON in HEALTHCHECK: nested more than 256 levels deep; not read') },
        { file: 'b/Dockerfile', at: 'FROM alpine AS s1000', level: 'error', message: exactly('more than 1,000 stages (a Dockerfile budget); the rest of the file is not read') },
      ],
    },
    {
      name: 'budgets (expansion-budget, command-budget): Makefile variables that expand past 1 MiB, a script past the command budget',
      files: {
        Makefile: `A0 = ${'x'.repeat(64)}\n${[1, 2, 3, 4].map((i) => `A${i} = ${`$(A${i - 1})`.repeat(32)}\n`).join('')}run:\n\tdeno run $(A4) main.ts\n`,
        'scripts/many.sh': `#!/bin/sh\n${'true\n'.repeat(MAX_COMMANDS_PER_FILE + 1)}`,
      },
      errors: [
        { file: 'Makefile', line: 1, column: 1, endColumn: 1, level: 'error', message: exactly('Makefile variables expand to more than 1024 KiB in this file (the expansion budget); the rest are left unexpanded') },
        { file: 'scripts/many.sh', line: MAX_COMMANDS_PER_FILE + 2, column: 1, level: 'error', message: exactly('more than 100,000 commands in this file (the command budget); the rest is not read') },
      ],
    },
    {
      name: 'shell (shell-syntax, shebang-env-without-S): the shell parser\'s error inside `sh -c` of a task, a shebang that hands env several words',
      files: {
        'deno.json': '{ "tasks": { "start": "sh -c \'echo \\"open\'" } }\n',
        'bin/tool': '#!/usr/bin/env deno run -A\nconsole.log(1);\n',
      },
      errors: [
        { file: 'bin/tool', line: 1, column: 1, endColumn: 27, level: 'error', message: exactly('this shebang passes several words to `env` without `-S`: the kernel hands them over as one word and the script fails to start; write `#!/usr/bin/env -S …`') },
        { file: 'deno.json', line: 1, column: 35, level: 'error', message: exactly('cannot parse the shell command of `start` given to `sh -c`: reached EOF without closing quote "') },
      ],
    },
    {
      name: 'Jenkinsfile (groovy-unclosed): a comment and a triple-quoted string that never close',
      files: { Jenkinsfile: 'pipeline {\n  /* never closed\n', 'ci/Jenkinsfile': "node {\n  sh '''deno run -A\n" },
      errors: [
        { file: 'Jenkinsfile', line: 2, column: 3, level: 'error', message: exactly('cannot read the Jenkinsfile: a comment that is never closed') },
        { file: 'ci/Jenkinsfile', line: 2, column: 6, level: 'error', message: exactly("cannot read the Jenkinsfile: a ''' string that is never closed") },
      ],
    },
    {
      name: 'pm2 JavaScript (ts-syntax, ts-nesting-budget): the parser\'s error, brackets nested past 1,000',
      files: {
        'ecosystem.config.js': 'module.exports = { apps: [ { name: "a", script: "x.js" ',
        'b/ecosystem.config.js': `module.exports = { apps: ${deep(1001)} };\n`,
      },
      errors: [
        { file: 'b/ecosystem.config.js', line: 1, column: 1, level: 'error', message: exactly('cannot parse b/ecosystem.config.js: brackets nested more than 1000 deep; not parsed') },
        { file: 'ecosystem.config.js', line: 1, column: 56, level: 'error', message: exactly('cannot parse ecosystem.config.js: Expected `}` but found `EOF`') },
      ],
    },
    {
      name: 'files (binary-file): a configuration file holding NUL bytes',
      files: { 'deno.json': '{ "tasks": {} }\0\n' },
      errors: [{ file: 'deno.json', line: 1, column: 1, endColumn: 1, level: 'error', message: exactly('binary file (contains NUL bytes); not scanned') }],
    },
  ],
});
