import { ruleTester } from '../rule-tester.js';

const NETSCRIPT = `import { defineTask } from '@netscript/plugin-workers-core';

export const charge = defineTask('charge')
  .runtime('deno')
  .entrypoint('./workers/charge.ts')
  .build();

export const report = defineTask('report')
  .entrypoint('./workers/report.ts')
  .permissions({ net: ['api.example.com'] })
  .build();

export const inline = defineTask('inline').handler(() => 'ok').build();
`;

ruleTester('omitted-permissions', {
  valid: [
    {
      name: 'deno run with no permission flags grants nothing, which is safe',
      files: { 'deno.json': '{ "tasks": { "start": "deno run main.ts", "fmt": "deno fmt" } }\n' },
    },
    {
      name: 'npm binaries run by package.json scripts, and npm: specifiers run by deno run',
      files: {
        'package.json': '{ "scripts": { "build": "node_modules/.bin/vite build" } }\n',
        'deno.json': '{ "tasks": { "lint": "deno run --allow-read=. npm:eslint@9.1.0 ." } }\n',
      },
    },
    {
      name: 'NetScript tasks with permissions or an in-process handler',
      files: {
        'workers/tasks.ts': `import { defineTask } from '@netscript/plugin-workers-core';
export const report = defineTask('report').entrypoint('./r.ts').permissions({ read: ['./data'] }).build();
export const inline = defineTask('inline').handler(() => 'ok').build();
`,
      },
    },
  ],
  invalid: [
    {
      name: 'deno eval and deno jupyter always run with every permission; the finding points at the command word',
      files: { 'deno.json': '{\n  "tasks": {\n    "e": "deno eval \'console.log(Deno.hostname())\'",\n    "j": "deno jupyter --install"\n  }\n}\n' },
      errors: [
        { file: 'deno.json', at: 'deno', level: 'warning', context: 'development', message: '`deno eval` always runs with all permissions' },
        { file: 'deno.json', at: ['deno', 2], level: 'warning', message: '`deno jupyter` always runs with all permissions' },
      ],
    },
    {
      name: 'deno eval started by a Dockerfile is deployment: error; in a RUN step it is an image build step: warning',
      files: { Dockerfile: 'FROM denoland/deno:2.9.6\nUSER deno\nRUN deno eval "console.log(Deno.hostname())"\nCMD deno eval "console.log(Deno.hostname())"\n' },
      errors: [
        { file: 'Dockerfile', line: 3, column: 5, endColumn: 9, level: 'warning', context: 'build', message: 'whatever flags it is given' },
        { file: 'Dockerfile', line: 4, column: 5, endColumn: 9, level: 'error', context: 'deployment', message: 'whatever flags it is given' },
      ],
    },
    {
      name: 'deno eval of code that uses no permission (a base image greeting): a note, not an error',
      files: { Dockerfile: 'FROM denoland/deno:2.9.6\nUSER deno\nCMD ["deno", "eval", "console.log(\'Welcome to Deno!\')"]\n' },
      errors: [{ file: 'Dockerfile', line: 3, column: 7, endColumn: 11, level: 'note', context: 'deployment', message: 'uses none of them' }],
    },
    {
      name: 'a NetScript deno task without .permissions() compiles to --allow-all (at defineTask)',
      files: { 'workers/tasks.ts': NETSCRIPT },
      errors: [{ file: 'workers/tasks.ts', at: "defineTask('charge')", level: 'error', context: 'deployment', message: 'NetScript runs it with `deno run --allow-all`' }],
    },
    {
      name: 'a deno.json task running an npm binary from node_modules/.bin',
      files: { 'deno.json': '{\n  "tasks": {\n    "build": "./node_modules/.bin/vite build"\n  }\n}\n' },
      errors: [{ file: 'deno.json', at: './node_modules/.bin/vite', level: 'warning', message: 'an npm binary' }],
    },
  ],
});
