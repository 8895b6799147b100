import { ruleTester } from '../rule-tester.js';

ruleTester('subprocess-escalation', {
  valid: [
    {
      name: 'a run list of ordinary tools',
      files: { 'deno.json': '{ "tasks": { "a": "deno run --allow-run=git,ffmpeg,whoami main.ts" } }\n' },
    },
    {
      name: 'a shell name that is not in the run list, and a denied run grant',
      files: {
        'scripts/a.sh': '#!/bin/sh\nbash -c "deno run --allow-read=./bash main.ts"\ndeno run --allow-run --deny-run main.ts\n',
      },
    },
    {
      name: 'a trusted program',
      files: { 'deno.json': '{ "tasks": { "a": "deno run --allow-run=deno main.ts" } }\n' },
      engine: { trusted: { hosts: [], paths: [], programs: ['deno'] } },
    },
  ],
  invalid: [
    {
      name: 'unscoped --allow-run; programs that re-grant everything in the run list (by base name)',
      files: { 'deno.json': '{\n  "tasks": {\n    "a": "deno run --allow-run main.ts",\n    "b": "deno run --allow-run=git,bash,/usr/bin/python3 main.ts"\n  }\n}\n' },
      errors: [
        { file: 'deno.json', at: '--allow-run', level: 'warning', message: 'run any program' },
        { file: 'deno.json', at: 'bash', level: 'warning', message: '`bash` in the run list' },
        { file: 'deno.json', at: '/usr/bin/python3', level: 'warning', message: 'as wide as `--allow-all`' },
      ],
    },
    {
      name: 'Node --allow-child-process and --allow-inspector (cannot be scoped), deployment level',
      files: { Dockerfile: 'FROM node:24.12.0\nUSER node\nCMD ["node", "--permission", "--allow-child-process", "--allow-inspector", "main.js"]\n' },
      errors: [
        { file: 'Dockerfile', at: '--allow-child-process', level: 'error', context: 'deployment', message: "outside Node's permission model" },
        { file: 'Dockerfile', at: '--allow-inspector', level: 'error', message: 'open the inspector' },
      ],
    },
    {
      name: 'NetScript run: true',
      files: {
        'workers/tasks.ts': `import { defineTask } from '@netscript/plugin-workers-core';
export const t = defineTask('t').entrypoint('./t.ts').permissions({ run: true, net: ['a.com'] }).timeout(1).retry(0).build();
`,
      },
      errors: [{ file: 'workers/tasks.ts', at: 'run: true', level: 'error', context: 'deployment', message: 'run any program' }],
    },
  ],
});
