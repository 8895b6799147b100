import { ruleTester } from '../rule-tester.js';

ruleTester('ffi-grant', {
  valid: [
    {
      name: 'a deny of ffi, an empty ffi list, and a Node process without addons',
      files: {
        'deno.json': '{\n  "permissions": { "p": { "ffi": [] } },\n  "tasks": { "a": "deno run --deny-ffi main.ts" }\n}\n',
        'package.json': '{ "scripts": { "start": "node --permission --allow-fs-read=./data main.js" } }\n',
      },
    },
    {
      name: '--allow-ffi written after the script goes to the program (ineffective-flag, not a grant)',
      files: { 'scripts/a.sh': '#!/bin/sh\ndeno run main.ts --allow-ffi\n' },
    },
  ],
  invalid: [
    {
      name: '--allow-ffi in any form and "ffi" in a permission set',
      files: {
        'deno.json': `{
  "permissions": { "p": { "ffi": ["./lib.so"] } },
  "tasks": {
    "a": "deno run --allow-ffi main.ts",
    "b": "deno run --allow-ffi=./libfoo.so main.ts"
  }
}
`,
      },
      errors: [
        { file: 'deno.json', at: '"ffi": ["./lib.so"]', level: 'warning', message: 'permission set `p` load native code' },
        { file: 'deno.json', at: '--allow-ffi', level: 'warning', message: 'outside the permission sandbox' },
        { file: 'deno.json', at: '--allow-ffi=./libfoo.so', level: 'warning', message: 'load native code' },
      ],
    },
    {
      name: 'Node --allow-addons in a deployment file is an error',
      files: { Dockerfile: 'FROM node:24.12.0\nUSER node\nCMD ["node", "--permission", "--allow-addons", "main.js"]\n' },
      errors: [{ file: 'Dockerfile', at: '--allow-addons', level: 'error', context: 'deployment', message: 'load native code' }],
    },
    {
      name: 'NetScript ffi: true',
      files: {
        'workers/tasks.ts': `import { defineTask } from '@netscript/plugin-workers-core';
export const t = defineTask('t').entrypoint('./t.ts').permissions({ ffi: true }).timeout(1).retry(0).build();
`,
      },
      errors: [{ file: 'workers/tasks.ts', at: 'ffi: true', level: 'error', message: 'NetScript' }],
    },
  ],
});
