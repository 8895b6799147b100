import { describe, expect, it } from 'vitest';
import { fixtureFiles, ruleTester } from '../rule-tester.js';
import { at, modelOf } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { wildcardHost } from '../../rules/wildcard-host.js';

const FX = 'hosts-wildcard-host';
const RULE = 'wildcard-host';

const loc = (fx: string, file: string, lineHas: string, token: string) => {
  const [, line, column] = at(fx, file, lineHas, token).split(':');
  return { file, line: Number(line), column: Number(column) };
};
const SB = 'hosts-sandbox';

ruleTester(RULE, {
  valid: [
    {
      name: '*.mycompany.com, an exact shared-hosting host, a wildcard under your own subdomain',
      files: { 'deno.json': JSON.stringify({ tasks: { ok: 'deno run --allow-net=*.mycompany.com,my-project.github.io,*.my-project.vercel.app main.ts' } }) },
    },
  ],
  invalid: [
    {
      // none on the fixture's "ok" task: exactly these six; the messages name who can register there and the exact host to use
      name: 'wildcards under shared hosting and on public suffixes, in net and import lists and permission sets',
      files: fixtureFiles(FX),
      errors: [
        { ...loc(FX, 'deno.json', '"pages"', '*.github.io'), level: 'note', message: /^`\*\.github\.io`(?=.*anyone can get a subdomain)(?=.*`--allow-net=my-project\.github\.io:443`)/s },
        { ...loc(FX, 'deno.json', '"com"', '*.com'), level: 'note', message: /^`\*\.com`.*public suffix `\.com`/s },
        { ...loc(FX, 'deno.json', '"couk"', '*.co.uk:443'), level: 'note', message: '*.co.uk' },
        { ...loc(FX, 'deno.json', '"import"', '*.deno.dev'), level: 'note', message: '*.deno.dev' },
        { ...loc(FX, 'deno.json', '"amazon"', '*.amazonaws.com'), level: 'note', message: '*.amazonaws.com' },
        { ...loc(FX, 'deno.json', '"edge"', '*.vercel.app:443'), level: 'note', message: '*.vercel.app' },
      ],
    },
    {
      // never the narrow sandbox of the fixture
      name: '@deno/sandbox allowNet entries read from TypeScript (deployment context)',
      files: fixtureFiles(SB),
      errors: [{ ...loc(SB, 'agent.ts', '169.254.169.254', '*.vercel.app'), level: 'warning', context: 'deployment', message: /^(?=.*sandbox `metadata`)(?=.*allowNet: \[")/s }],
    },
  ],
});

describe('wildcard-host', () => {
  it('respects trusted hosts', () => {
    const text = 'deno run --allow-net=*.netlify.app,*.pages.dev main.ts';
    const col = (v: string) => text.indexOf(v) + 1;
    const model = modelOf([{ text, context: { kind: 'deployment', cwd: '' } }]);
    expect(runRules(model, [wildcardHost]).findings.map((f) => f.span.column)).toEqual([col('*.netlify.app'), col('*.pages.dev')]);
    const trusted = runRules(model, [wildcardHost], { trusted: { hosts: ['*.pages.dev'], paths: [], programs: [] } }).findings;
    expect(trusted.map((f) => f.span.column)).toEqual([col('*.netlify.app')]);
  });

});
