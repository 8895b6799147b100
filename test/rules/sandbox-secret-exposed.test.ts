import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { positions, where } from '../typescript/where.js';

const RULE = 'sandbox-secret-exposed';
const FX = 'ts-sandbox';

describe(RULE, () => {
  it('fires on credentials handed over as plain env values and on secrets for hosts anyone can register', async () => {
    const { findings } = await lintFixture(FX);
    expect(positions(findings, RULE)).toEqual([
      where(FX, 'agent.ts', 'OPENAI_API_KEY: Deno.env.get', 'Deno.env.get'),
      where(FX, 'agent.ts', 'GITHUB_TOKEN:', 'ghp_'),
      where(FX, 'agent.ts', "PAGES_TOKEN: { hosts: ['", '*.github.io'),
      where(FX, 'more.js', 'process.env', 'process.env'),
    ]);
    for (const f of findings.filter((x) => x.ruleId === RULE)) {
      expect(f.level).toBe('error');
      expect(f.context).toBe('deployment');
    }
    expect(findings.find((f) => f.ruleId === RULE)!.message).toContain('secrets: { OPENAI_API_KEY');
  });

  it('does not fire on non-credential env values, on credentials passed through secrets, or on exact secret hosts', async () => {
    const { findings } = await lintFixture(FX);
    const lines = new Set(findings.filter((f) => f.ruleId === RULE).map((f) => `${f.span.file}:${f.span.line}`));
    for (const text of ["LOG_LEVEL: Deno.env.get('LOG_LEVEL')", "MODE: 'production'", "STRIPE_KEY: { hosts: ['api.stripe.com']", "HOOK_TOKEN: { hosts: ['hooks", "secrets: { OPENAI_API_KEY", "env: { LOG_LEVEL: 'debug' }"]) {
      expect(lines.has(where(FX, 'agent.ts', text, '').split(':').slice(0, 2).join(':')), text).toBe(false);
    }
  });
});
