import { fixtureFiles, ruleTester } from '../rule-tester.js';
import { where } from '../typescript/where.js';

/** Where a finding starts: `token` on the first line of the fixture file holding `lineHas`. */
const at = (fx: string, file: string, lineHas: string, token: string) => {
  const [, line, column] = where(fx, file, lineHas, token).split(':');
  return { file, line: Number(line), column: Number(column) };
};

ruleTester('sandbox-network-unrestricted', {
  valid: [
    {
      name: 'allowNet set (even empty), a secret host in allowNet (also by wildcard)',
      files: {
        'agent.ts':
          "import { Sandbox } from '@deno/sandbox';\nawait using a = await Sandbox.create({ allowNet: [] });\nawait using b = await Sandbox.create({\n  allowNet: ['*.stripe.com'],\n  secrets: { STRIPE_KEY: { hosts: ['api.stripe.com'], value: Deno.env.get('STRIPE_KEY') } },\n});\n",
      },
    },
  ],
  invalid: [
    {
      // none at `leaky`, STRIPE_KEY, PAGES_TOKEN, `good`, or more.js's sdk.Sandbox.create (allowNet unknown): exactly these two
      name: 'Sandbox.create without allowNet, at the call, as a deployment warning; a secret host outside allowNet',
      files: fixtureFiles('ts-sandbox'),
      errors: [
        { ...at('ts-sandbox', 'agent.ts', 'await using open', 'VM.create'), level: 'warning', context: 'deployment', message: 'allowNet' },
        { ...at('ts-sandbox', 'agent.ts', "HOOK_TOKEN: { hosts: ['", 'hooks.example.com'), level: 'warning', context: 'deployment', message: 'allowNet' },
      ],
    },
    {
      // not under a scoped parent, not under allow-all (that is allow-all): only this Worker
      name: 'a Worker that inherits unscoped network access from its parent task',
      files: fixtureFiles('ts-worker'),
      errors: [{ ...at('ts-worker', 'server.ts', "new Worker(new URL('./handler.ts'", 'permissions'), level: 'note', message: 'task `serve`', related: [{ file: 'deno.json' }] }],
    },
  ],
});
