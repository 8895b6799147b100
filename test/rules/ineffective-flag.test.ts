import { ruleTester } from '../rule-tester.js';

ruleTester('ineffective-flag', {
  valid: [
    {
      name: 'flags before the script, values after =, one bare flag',
      files: {
        'deno.json': `{
  "tasks": {
    "a": "deno run --allow-net=api.example.com main.ts",
    "b": "deno run --allow-read main.ts --verbose",
    "c": "deno test --allow-env=HOME"
  }
}
`,
      },
    },
    {
      name: 'Node: repeated fs flags instead of a comma list, boolean flags without a value',
      files: {
        'package.json': '{ "scripts": { "a": "node --permission --allow-fs-read=./a --allow-fs-read=./b --allow-child-process main.js" } }\n',
      },
    },
  ],
  invalid: [
    {
      name: 'Deno permission flags after the script, a value written with a space, a removed flag, and a bare flag narrowed by a list',
      files: {
        'deno.json': `{
  "tasks": {
    "a": "deno run main.ts --allow-net",
    "b": "deno run --allow-net api.example.com main.ts",
    "c": "deno run --allow-hrtime main.ts",
    "e": "deno run --allow-net --allow-net=a.com main.ts"
  }
}
`,
      },
      errors: [
        { file: 'deno.json', at: '--allow-net', level: 'error', context: 'development', message: 'comes after the script `main.ts`' },
        { file: 'deno.json', at: '--allow-net api.example.com', level: 'error', message: 'takes `api.example.com` as the script to run' },
        { file: 'deno.json', at: '--allow-hrtime', level: 'error', message: 'removed in Deno 2' },
        { file: 'deno.json', at: ['--allow-net', 3], level: 'error', message: 'does not grant everything' },
      ],
    },
    {
      name: 'Node: a boolean flag given a value, a comma list, a flag after the script',
      files: {
        'package.json': `{
  "scripts": {
    "a": "node --permission --allow-child-process=/usr/bin/git main.js",
    "b": "node --permission --allow-fs-read=./a,./b main.js",
    "c": "node --permission main.js --allow-fs-read=./x"
  }
}
`,
      },
      errors: [
        { file: 'package.json', at: '--allow-child-process=/usr/bin/git', level: 'error', message: 'is a boolean flag' },
        { file: 'package.json', at: './a,./b', level: 'error', message: 'as one path' },
        { file: 'package.json', at: '--allow-fs-read=./x', level: 'error', message: 'comes after the script `main.js`' },
      ],
    },
    {
      name: '--permission on a pinned Node that does not have it yet',
      files: { '.nvmrc': '22.12.0\n', 'package.json': '{ "scripts": { "a": "node --permission main.js" } }\n' },
      errors: [{ file: 'package.json', at: '--permission', level: 'error', message: 'does not exist before Node 22.13' }],
    },
  ],
});
