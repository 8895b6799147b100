import { ruleTester } from '../rule-tester.js';

ruleTester('permission-model-disabled', {
  valid: [
    {
      name: 'the model switched on by --permission or --experimental-permission, and node with no grants',
      files: {
        'package.json': `{
  "scripts": {
    "a": "node --permission --allow-fs-read=./data main.js",
    "b": "node --experimental-permission --allow-fs-read=./data main.js",
    "c": "node main.js"
  }
}
`,
      },
    },
    {
      name: 'NODE_OPTIONS that carries --permission together with the grants',
      files: { Dockerfile: 'FROM node:24.12.0\nUSER node\nENV NODE_OPTIONS="--permission --allow-fs-read=/app"\nCMD ["node", "main.js"]\n' },
    },
    {
      name: 'grants Node refuses at start-up without the model are invalid-permission\'s: a file-system grant under a Node 25 pin (25.9.0 stops too)',
      files: { '.nvmrc': '25.2.0\n', 'package.json': '{ "scripts": { "a": "node --allow-fs-read=./data main.js" } }\n' },
    },
    {
      name: 'and any --allow-* flag under a Node 26 pin (26.12.1 stops with ERR_MISSING_OPTION)',
      files: { '.nvmrc': '26.12.1\n', 'package.json': '{ "scripts": { "a": "node --allow-net main.js" } }\n' },
    },
    {
      name: 'Deno --allow-* flags (Deno always enforces its permissions)',
      files: { 'deno.json': '{ "tasks": { "a": "deno run --allow-read=./data main.ts" } }\n' },
    },
  ],
  invalid: [
    {
      name: 'grants without the model do nothing; a mistake keeps its level in development',
      files: {
        'package.json': `{
  "scripts": {
    "a": "node --allow-worker main.js",
    "c": "node --permission-audit --allow-child-process main.js"
  }
}
`,
      },
      errors: [
        { file: 'package.json', at: '--allow-worker', level: 'error', context: 'development', message: "does not enable Node's permission model" },
        { file: 'package.json', at: '--allow-child-process', level: 'error', message: '`--permission-audit` only warns' },
      ],
    },
    {
      name: 'NODE_OPTIONS grants read by the node a Dockerfile runs',
      files: { Dockerfile: 'FROM node:24.12.0\nUSER node\nENV NODE_OPTIONS="--allow-addons"\nCMD ["node", "main.js"]\n' },
      errors: [{ file: 'Dockerfile', at: '--allow-addons', level: 'error', context: 'deployment', message: 'add `--permission`' }],
    },
    {
      name: 'a boolean grant under a Node 25 pin: 25.9.0 ignores it without the model (26.12.1 would stop: invalid-permission)',
      files: { '.nvmrc': '25.2.0\n', 'package.json': '{ "scripts": { "a": "node --allow-net main.js" } }\n' },
      errors: [{ file: 'package.json', at: '--allow-net', level: 'error', message: 'add `--permission`' }],
    },
  ],
});
