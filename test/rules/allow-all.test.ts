import { ruleTester } from '../rule-tester.js';

ruleTester('allow-all', {
  valid: [
    {
      name: 'scoped grants, a command that takes no permissions, and -A inside an echo string',
      files: {
        'deno.json': `{
  "tasks": {
    "start": "deno run --allow-read=./data --allow-net=api.example.com main.ts",
    "fmt": "deno fmt",
    "say": "echo deno run -A main.ts"
  }
}
`,
      },
    },
    {
      name: '-A in a shell comment and a permission set that lists each kind',
      files: {
        'scripts/dev.sh': '#!/bin/sh\n# deno run -A main.ts would grant everything\ndeno run --allow-env=PORT main.ts\n',
        'deno.json': '{\n  "permissions": { "app": { "read": ["./data"], "all": false } },\n  "tasks": { "start": "deno run -P=app main.ts" }\n}\n',
      },
    },
    {
      name: 'deno eval is omitted-permissions, not allow-all',
      files: { 'deno.json': '{ "tasks": { "e": "deno eval -A \'console.log(1)\'" } }\n' },
    },
  ],
  invalid: [
    {
      name: '-A in a deno.json task is development: one step below error',
      files: { 'deno.json': '{\n  "tasks": {\n    "dev": "deno run -A main.ts"\n  }\n}\n' },
      errors: [{ file: 'deno.json', at: '-A', level: 'warning', context: 'development', message: '`-A` grants every permission to `deno run main.ts` (task `dev`)' }],
    },
    {
      name: '--allow-all in a Dockerfile CMD is deployment: error',
      files: { Dockerfile: 'FROM denoland/deno:2.9.6\nUSER deno\nCMD ["deno", "run", "--allow-all", "--frozen", "main.ts"]\n' },
      errors: [{ file: 'Dockerfile', at: '--allow-all', level: 'error', context: 'deployment', message: 'grants every permission' }],
    },
    {
      name: 'deno test -A is the test context: note',
      files: { 'deno.json': '{ "tasks": { "test": "deno test -A" } }\n' },
      errors: [{ file: 'deno.json', at: '-A', level: 'note', context: 'test', message: '`deno test`' }],
    },
    {
      name: 'a permission set with "all": true points at the key, once however many tasks load it',
      files: {
        'deno.json': `{
  "permissions": { "app": { "all": true } },
  "tasks": { "a": "deno run -P=app a.ts", "b": "deno run -P=app b.ts" }
}
`,
      },
      errors: [{ file: 'deno.json', at: '"all": true', level: 'warning', message: 'permission set `app` grants every permission that the set does not list' }],
    },
    {
      name: 'allow-all subsumes the per-permission rules of the same declaration (one risk, one finding)',
      files: { 'deno.json': '{ "permissions": { "ops": { "all": true, "write": true, "run": true } } }\n' },
      errors: [{ file: 'deno.json', at: '"all": true', level: 'warning', message: 'permission set `ops`' }],
    },
  ],
});
