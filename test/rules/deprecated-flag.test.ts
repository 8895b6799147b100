import { ruleTester } from '../rule-tester.js';

ruleTester('deprecated-flag', {
  valid: [
    {
      name: 'per-feature --unstable-* flags and --permission',
      files: {
        'deno.json': '{ "tasks": { "a": "deno run --unstable-kv --unstable-cron main.ts" } }\n',
        'package.json': '{ "scripts": { "a": "node --permission --allow-fs-read=./d main.js" } }\n',
      },
    },
    {
      name: '--experimental-permission where the pinned Node has no --permission yet (the old name is the only one)',
      files: { '.nvmrc': '20.19.0\n', 'package.json': '{ "scripts": { "a": "node --experimental-permission --allow-fs-read=./d main.js" } }\n' },
    },
  ],
  invalid: [
    {
      name: 'bare --unstable and --lock-write (Deno); a warning in any context',
      files: { 'deno.json': '{\n  "tasks": {\n    "a": "deno run --unstable main.ts",\n    "b": "deno cache --lock-write main.ts"\n  }\n}\n' },
      errors: [
        { file: 'deno.json', at: '--unstable', level: 'warning', message: 'bare `--unstable` is deprecated' },
        { file: 'deno.json', at: '--lock-write', level: 'warning', message: 'removed in Deno 2' },
      ],
    },
    {
      name: 'Node --experimental-permission with no pin, and removed policy flags',
      files: {
        'package.json': `{
  "scripts": {
    "a": "node --experimental-permission --allow-fs-read=./d main.js",
    "b": "node --experimental-policy=p.json main.js"
  }
}
`,
      },
      errors: [
        { file: 'package.json', at: '--experimental-permission', level: 'warning', message: 'write `--permission`' },
        { file: 'package.json', at: '--experimental-policy=p.json', level: 'warning', message: 'removed in Node 22.2' },
      ],
    },
  ],
});
