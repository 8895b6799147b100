import { fixtureFiles, ruleTester } from '../rule-tester.js';
import { where } from '../typescript/where.js';

const FX = 'ts-sandbox';
/** Where a finding starts: `token` on the first line of the fixture file holding `lineHas`. */
const at = (file: string, lineHas: string, token: string) => {
  const [, line, column] = where(FX, file, lineHas, token).split(':');
  return { file, line: Number(line), column: Number(column) };
};

ruleTester('sandbox-secret-exposed', {
  valid: [
    {
      name: 'non-credential env values, credentials passed through secrets, exact secret hosts',
      files: {
        'agent.ts':
          "import { Sandbox } from '@deno/sandbox';\nawait using sb = await Sandbox.create({\n  allowNet: ['api.stripe.com'],\n  env: { LOG_LEVEL: Deno.env.get('LOG_LEVEL'), MODE: 'production' },\n  secrets: { STRIPE_KEY: { hosts: ['api.stripe.com'], value: Deno.env.get('STRIPE_KEY') } },\n});\n",
      },
    },
  ],
  invalid: [
    {
      // and none on the fixture's LOG_LEVEL, MODE, STRIPE_KEY, HOOK_TOKEN, `secrets: { OPENAI_API_KEY` or `env: { LOG_LEVEL: 'debug' }` lines: exactly these four
      name: 'credentials handed over as plain env values and secrets for hosts anyone can register: errors, in the deployment context',
      files: fixtureFiles(FX),
      errors: [
        { ...at('agent.ts', 'OPENAI_API_KEY: Deno.env.get', 'Deno.env.get'), level: 'error', context: 'deployment', message: 'secrets: { OPENAI_API_KEY' },
        { ...at('agent.ts', 'GITHUB_TOKEN:', 'ghp_'), level: 'error', context: 'deployment', message: 'GITHUB_TOKEN' },
        { ...at('agent.ts', "PAGES_TOKEN: { hosts: ['", '*.github.io'), level: 'error', context: 'deployment', message: '*.github.io' },
        { ...at('more.js', 'process.env', 'process.env'), level: 'error', context: 'deployment', message: 'process.env' },
      ],
    },
  ],
});
