import { ruleTester } from '../rule-tester.js';

ruleTester('lifecycle-scripts', {
  valid: [
    {
      name: 'package lists on the flag and in deno.json',
      files: {
        'deno.json': '{\n  "allowScripts": ["npm:sharp"],\n  "tasks": { "i": "deno install --allow-scripts=npm:sharp,npm:esbuild" }\n}\n',
        'sub/deno.json': '{ "allowScripts": { "allow": ["npm:sharp"] } }\n',
      },
    },
    {
      name: '"allowScripts": false and a Node install',
      files: { 'deno.json': '{ "allowScripts": false }\n', 'package.json': '{ "scripts": { "i": "npm ci --ignore-scripts" } }\n' },
    },
  ],
  invalid: [
    {
      name: '--allow-scripts with no list, and "allowScripts": true',
      files: { 'deno.json': '{\n  "allowScripts": true,\n  "tasks": { "i": "deno install --allow-scripts" }\n}\n' },
      errors: [
        { file: 'deno.json', at: '"allowScripts": true', level: 'note', message: 'every npm package run its install scripts' },
        { file: 'deno.json', at: '--allow-scripts', level: 'note', message: '`--allow-scripts=npm:sharp`' },
      ],
    },
    {
      name: '"allowScripts": { "allow": true }',
      files: { 'deno.json': '{ "allowScripts": { "allow": true } }\n' },
      errors: [{ file: 'deno.json', at: '"allowScripts": { "allow": true }', level: 'note', message: 'list the packages that need them' }],
    },
    {
      name: 'a Dockerfile RUN install is an image build step: one step lower than the catalogue warning',
      files: { Dockerfile: 'FROM denoland/deno:2.9.6\nUSER deno\nRUN deno install --frozen --allow-scripts\n' },
      errors: [{ file: 'Dockerfile', at: '--allow-scripts', level: 'note', context: 'build', message: 'install scripts' }],
    },
  ],
});
