import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { at, modelOf, positions } from '../semantics/where.js';
import { runRules } from '../../src/engine.js';
import { wildcardHost } from '../../rules/wildcard-host.js';

const FX = 'hosts-wildcard-host';
const RULE = 'wildcard-host';

describe('wildcard-host', () => {
  it('points at wildcards under shared hosting and on public suffixes, in net and import lists and permission sets', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, RULE)).toEqual([
      at(FX, 'deno.json', '"pages"', '*.github.io'),
      at(FX, 'deno.json', '"com"', '*.com'),
      at(FX, 'deno.json', '"couk"', '*.co.uk:443'),
      at(FX, 'deno.json', '"import"', '*.deno.dev'),
      at(FX, 'deno.json', '"amazon"', '*.amazonaws.com'),
      at(FX, 'deno.json', '"edge"', '*.vercel.app:443'),
    ]);
  });

  it('never fires on *.mycompany.com, an exact shared-hosting host, or a wildcard under your own subdomain', async () => {
    const { findings } = await lintFixture(FX);
    const okLine = Number(at(FX, 'deno.json', '"ok"', '"ok"').split(':')[1]);
    expect(findings.filter((f) => f.ruleId === RULE && f.span.line === okLine)).toEqual([]);
  });

  it('messages name who can register there and the exact host to use', async () => {
    const { findings } = await lintFixture(FX);
    const pages = findings.find((f) => f.ruleId === RULE && f.message.startsWith('`*.github.io`'))!;
    expect(pages.message).toContain('anyone can get a subdomain');
    expect(pages.message).toContain('`--allow-net=my-project.github.io:443`');
    const com = findings.find((f) => f.ruleId === RULE && f.message.startsWith('`*.com`'))!;
    expect(com.message).toContain('public suffix `.com`');
  });

  it('respects trusted hosts', () => {
    const text = 'deno run --allow-net=*.netlify.app,*.pages.dev main.ts';
    const col = (v: string) => text.indexOf(v) + 1;
    const model = modelOf([{ text, context: { kind: 'deployment', cwd: '' } }]);
    expect(runRules(model, [wildcardHost]).findings.map((f) => f.span.column)).toEqual([col('*.netlify.app'), col('*.pages.dev')]);
    const trusted = runRules(model, [wildcardHost], { trusted: { hosts: ['*.pages.dev'], paths: [], programs: [] } }).findings;
    expect(trusted.map((f) => f.span.column)).toEqual([col('*.netlify.app')]);
  });

  it('reads @deno/sandbox allowNet entries from TypeScript (deployment context), never the narrow sandbox', async () => {
    const SB = 'hosts-sandbox';
    const { findings } = await lintFixture(SB);
    expect(positions(findings, RULE)).toEqual([at(SB, 'agent.ts', '169.254.169.254', '*.vercel.app')]);
    const f = findings.find((x) => x.ruleId === RULE)!;
    expect(f.level).toBe('warning');
    expect(f.message).toContain('sandbox `metadata`');
    expect(f.message).toContain('allowNet: ["');
  });
});
