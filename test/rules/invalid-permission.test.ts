import { ruleTester } from '../rule-tester.js';

ruleTester('invalid-permission', {
  valid: [
    {
      name: 'well-formed sets, hosts, sys names and a set that exists',
      files: {
        'deno.json': `{
  "permissions": { "app": { "read": ["./data"], "net": ["api.example.com:443"], "sys": ["hostname"] } },
  "tasks": {
    "a": "deno run -P=app main.ts",
    "b": "deno run --allow-net=10.0.0.1,api.example.com --allow-sys=osRelease main.ts",
    "c": "deno fmt"
  }
}
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a set the runtime refuses: unknown key, a plain string where a list belongs',
      files: { 'deno.json': '{\n  "permissions": { "app": { "reed": ["./x"], "read": "./data" } }\n}\n' },
      errors: [
        { file: 'deno.json', at: '"reed"', level: 'error', message: 'unknown field `reed`' },
        { file: 'deno.json', at: '"./data"', level: 'error', message: 'a plain string is not a permission value' },
      ],
    },
    {
      name: 'flags the runtime refuses at start-up keep the error in development',
      files: {
        'deno.json': `{
  "tasks": {
    "a": "deno run -P=nope main.ts",
    "b": "deno run --allow-read= main.ts",
    "c": "deno run --allow-net=https://a.com main.ts",
    "d": "deno run --allow-sys=foo main.ts",
    "e": "deno fmt -A"
  }
}
`,
      },
      errors: [
        { file: 'deno.json', at: '-P=nope', level: 'error', context: 'development', message: "permission set 'nope'" },
        { file: 'deno.json', at: '--allow-read=', level: 'error', message: 'the runtime refuses to start' },
        { file: 'deno.json', at: 'https://a.com', level: 'error', message: 'URLs are not supported' },
        { file: 'deno.json', at: 'foo', level: 'error', message: "unknown sys descriptor: 'foo'" },
        { file: 'deno.json', at: '-A', level: 'error', message: '`deno fmt` takes no permission flags' },
      ],
    },
    {
      name: '-A together with another --allow-* flag',
      files: { 'scripts/a.sh': '#!/bin/sh\ndeno run -A --allow-read main.ts\n' },
      errors: [{ file: 'scripts/a.sh', at: '--allow-read', level: 'error', message: 'conflicts with' }],
    },
  ],
});

ruleTester('invalid-permission', {
  valid: [{ name: 'file-system grants with the model on', files: { 'package.json': '{ "scripts": { "a": "node --permission --allow-fs-read=./data main.js" } }\n' } }],
  invalid: [
    {
      name: 'a file-system grant without --permission stops Node 20/22/24 at start-up (ERR_MISSING_OPTION), not a grant that does nothing',
      files: { 'package.json': '{ "scripts": { "a": "node --allow-fs-read=./data main.js", "b": "node --allow-fs-write=/tmp main.js" } }\n' },
      errors: [
        { file: 'package.json', at: '--allow-fs-read=./data', level: 'error', message: 'ERR_MISSING_OPTION' },
        { file: 'package.json', at: '--allow-fs-write=/tmp', level: 'error', message: 'ERR_MISSING_OPTION' },
      ],
    },
    {
      name: 'under a Node 25 pin too (checked with 25.9.0)',
      files: { '.nvmrc': '25.2.0\n', 'package.json': '{ "scripts": { "a": "node --allow-fs-read=./data main.js" } }\n' },
      errors: [{ file: 'package.json', at: '--allow-fs-read=./data', level: 'error', message: 'ERR_MISSING_OPTION' }],
    },
    {
      name: 'under a Node 26 pin any --allow-* flag without the model stops Node (checked with 26.12.1)',
      files: { '.nvmrc': '26.12.1\n', 'package.json': '{ "scripts": { "a": "node --allow-net main.js" } }\n' },
      errors: [{ file: 'package.json', at: '--allow-net', level: 'error', message: 'Node 26 stops at start-up with ERR_MISSING_OPTION' }],
    },
  ],
});
