import { ruleTester } from '../rule-tester.js';

ruleTester('unsandboxed-runtime', {
  valid: [
    {
      name: 'ordinary tools and inline shell commands in deno.json tasks',
      files: { 'deno.json': '{\n  "tasks": {\n    "st": "git status && echo ok",\n    "c": "bash -c \'echo hi\'",\n    "rm": "rm -rf dist"\n  }\n}\n' },
    },
    {
      name: 'node and python in package.json scripts (no Deno sandbox is promised there)',
      files: { 'package.json': '{ "scripts": { "start": "node server.js", "py": "python3 x.py" } }\n' },
    },
    {
      name: 'a NetScript task on the deno runtime, and a python task that declares no permissions',
      files: {
        'workers/tasks.ts': `import { defineTask } from '@netscript/plugin-workers-core';
export const a = defineTask('a').runtime('deno').entrypoint('./a.ts').permissions({ net: ['a.com'] }).build();
export const b = defineTask('b').runtime('python').entrypoint('./b.py').build();
`,
      },
    },
  ],
  invalid: [
    {
      name: 'deno.json tasks that run other runtimes, a shell script and npx-like launchers',
      files: {
        'deno.json': `{
  "tasks": {
    "a": "node server.js",
    "b": "bash scripts/build.sh",
    "c": "npm exec vite",
    "d": "pnpm dlx cowsay",
    "e": "python3 x.py"
  }
}
`,
      },
      errors: [
        { file: 'deno.json', at: 'node', level: 'error', message: 'task `a` in deno.json runs `node`' },
        { file: 'deno.json', at: 'bash', level: 'error', message: 'runs `bash scripts/build.sh`' },
        { file: 'deno.json', at: 'npm', level: 'error', message: 'runs `npm exec`' },
        { file: 'deno.json', at: 'pnpm', level: 'error', message: 'runs `pnpm dlx`' },
        { file: 'deno.json', at: 'python3', level: 'error', message: "outside Deno's permission sandbox" },
      ],
    },
    {
      name: 'a NetScript task whose runtime ignores its permissions (at the .permissions call)',
      files: {
        'workers/tasks.ts': `import { defineTask } from '@netscript/plugin-workers-core';
export const py = defineTask('py').runtime('python').entrypoint('./x.py').permissions({ net: ['a.com'] }).build();
`,
      },
      errors: [{ file: 'workers/tasks.ts', at: "permissions({ net: ['a.com'] })", level: 'error', message: "`.runtime('python')`, which ignores `.permissions(…)`" }],
    },
  ],
});
