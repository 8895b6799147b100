import { ruleTester } from '../rule-tester.js';

ruleTester('insecure-tls', {
  valid: [
    {
      name: 'a trusted CA, TLS checks left on, and the variable only mentioned',
      files: {
        'deno.json': '{ "tasks": { "a": "deno run --cert=./ca.pem --allow-net=api.example.com main.ts" } }\n',
        'scripts/a.sh': '#!/bin/sh\nexport NODE_TLS_REJECT_UNAUTHORIZED=1\necho NODE_TLS_REJECT_UNAUTHORIZED=0\n',
        Dockerfile: 'FROM node:24.12.0\nUSER node\nENV NODE_TLS_REJECT_UNAUTHORIZED_EXTRA=0\nCMD ["node", "main.js"]\n',
      },
    },
  ],
  invalid: [
    {
      name: '--unsafely-ignore-certificate-errors for every host or a list; an error even in development',
      files: {
        'deno.json': `{
  "tasks": {
    "a": "deno run --unsafely-ignore-certificate-errors main.ts",
    "b": "deno run --unsafely-ignore-certificate-errors=localhost main.ts"
  }
}
`,
      },
      errors: [
        { file: 'deno.json', at: '--unsafely-ignore-certificate-errors', level: 'error', context: 'development', message: 'for every host' },
        { file: 'deno.json', at: '--unsafely-ignore-certificate-errors=localhost', level: 'error', message: 'for `localhost`' },
      ],
    },
    {
      name: 'NODE_TLS_REJECT_UNAUTHORIZED=0 in a Dockerfile and before a command in a script',
      files: {
        Dockerfile: 'FROM node:24.12.0\nUSER node\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nCMD ["node", "main.js"]\n',
        'scripts/a.sh': '#!/bin/sh\nNODE_TLS_REJECT_UNAUTHORIZED=0 node main.js\n',
      },
      errors: [
        { file: 'Dockerfile', at: 'NODE_TLS_REJECT_UNAUTHORIZED=0', level: 'error', context: 'deployment', message: 'NODE_EXTRA_CA_CERTS' },
        { file: 'scripts/a.sh', at: 'NODE_TLS_REJECT_UNAUTHORIZED=0', level: 'error', message: 'turns off TLS certificate checks' },
      ],
    },
  ],
});
