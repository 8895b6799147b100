import { ruleTester } from '../rule-tester.js';

ruleTester('unscoped-grant', {
  valid: [
    {
      name: 'scoped lists, and run, ffi and import (their own rules)',
      files: {
        'deno.json': `{
  "tasks": {
    "start": "deno run --allow-read=./data --allow-net=api.example.com --allow-env=PORT main.ts",
    "tools": "deno run --allow-run --allow-ffi -I main.ts"
  }
}
`,
      },
    },
    {
      name: 'a deny of the same kind cancels the grant',
      files: { 'scripts/run.sh': '#!/bin/sh\ndeno run --allow-read --deny-read main.ts\n' },
    },
    {
      name: 'Node scoped fs grants, and a scoped permission set',
      files: {
        'package.json': '{ "scripts": { "start": "node --permission --allow-fs-read=./data --allow-fs-write=./out main.js" } }\n',
        'deno.json': '{ "permissions": { "app": { "net": ["api.example.com"], "read": ["./data"] } } }\n',
      },
    },
  ],
  invalid: [
    {
      name: 'bare -R, -N, -E, -S are warnings lowered to notes in development; write is an error lowered to warning',
      files: { 'deno.json': '{\n  "tasks": {\n    "r": "deno run -R main.ts",\n    "w": "deno run --allow-write main.ts",\n    "n": "deno run -N -E -S main.ts"\n  }\n}\n' },
      errors: [
        { file: 'deno.json', at: '-R', level: 'note', message: '`-R` grants file-system read access with no list' },
        { file: 'deno.json', at: '--allow-write', level: 'warning', message: 'file-system write access' },
        { file: 'deno.json', at: '-N', level: 'note', message: 'network access' },
        { file: 'deno.json', at: '-E', level: 'note', message: 'environment access' },
        { file: 'deno.json', at: '-S', level: 'note', message: 'system-information access' },
      ],
    },
    {
      name: 'deployment keeps the catalogue level: write is an error',
      files: { Dockerfile: 'FROM denoland/deno:2.9.6\nUSER deno\nCMD ["deno", "run", "--frozen", "--allow-write", "--allow-net", "main.ts"]\n' },
      errors: [
        { file: 'Dockerfile', at: '--allow-write', level: 'error', context: 'deployment', message: 'file-system write access with no list' },
        { file: 'Dockerfile', at: '--allow-net', level: 'warning', context: 'deployment', message: 'network access with no list' },
      ],
    },
    {
      name: 'Node --allow-fs-read=* and "net": true in a permission set',
      files: {
        'package.json': '{ "scripts": { "start": "node --permission --allow-fs-read=* main.js" } }\n',
        'deno.json': '{ "permissions": { "app": { "net": true } } }\n',
      },
      errors: [
        { file: 'deno.json', at: '"net": true', level: 'note', message: 'permission set `app`' },
        { file: 'package.json', at: '--allow-fs-read=*', level: 'note', message: '--allow-fs-read=./data' },
      ],
    },
  ],
});
