import { ruleTester } from '../rule-tester.js';

ruleTester('unrestricted-import', {
  valid: [
    {
      name: 'an import list, the runtime defaults, and "import": false',
      files: {
        'deno.json': `{
  "permissions": { "p": { "import": ["jsr.io:443"] }, "q": { "import": false } },
  "tasks": {
    "a": "deno run --allow-import=jsr.io:443,esm.sh:443 main.ts",
    "b": "deno run main.ts"
  }
}
`,
      },
    },
    {
      name: '-I under -A is allow-all (one risk, one finding)',
      files: { 'deno.json': '{ "permissions": { "p": { "all": true, "import": true } } }\n' },
    },
  ],
  invalid: [
    {
      name: '-I and --allow-import with no list, and "import": true',
      files: {
        'deno.json': `{
  "permissions": { "p": { "import": true } },
  "tasks": {
    "a": "deno run -I main.ts",
    "b": "deno run --allow-import main.ts"
  }
}
`,
      },
      errors: [
        { file: 'deno.json', at: '"import": true', level: 'note', message: 'permission set `p` import code from any host' },
        { file: 'deno.json', at: '-I', level: 'note', message: 'not only the default registries' },
        { file: 'deno.json', at: '--allow-import', level: 'note', message: '--allow-import=jsr.io:443' },
      ],
    },
    {
      name: 'deployment keeps the warning',
      files: { Dockerfile: 'FROM denoland/deno:2.9.6\nUSER deno\nCMD ["deno", "run", "--frozen", "--allow-import", "main.ts"]\n' },
      errors: [{ file: 'Dockerfile', at: '--allow-import', level: 'warning', context: 'deployment', message: 'import code from any host' }],
    },
  ],
});
