import { describe, expect, it } from 'vitest';
import { lintFixture } from '../helpers.js';
import { positions, where } from '../typescript/where.js';

const RULE = 'sandbox-network-unrestricted';

describe(RULE, () => {
  it('fires on Sandbox.create without allowNet, at the call, as a deployment warning', async () => {
    const { findings } = await lintFixture('ts-sandbox');
    const fx = 'ts-sandbox';
    expect(positions(findings, RULE)).toEqual([
      where(fx, 'agent.ts', 'await using open', 'VM.create'),
      where(fx, 'agent.ts', "HOOK_TOKEN: { hosts: ['", 'hooks.example.com'),
    ]);
    const first = findings.find((f) => f.ruleId === RULE)!;
    expect(first.level).toBe('warning');
    expect(first.context).toBe('deployment');
    expect(first.message).toContain('allowNet');
  });

  it('does not fire when allowNet is set (even empty), when a secret host is in allowNet (also by wildcard), or when allowNet is unknown', async () => {
    const { findings } = await lintFixture('ts-sandbox');
    const lines = new Set(findings.filter((f) => f.ruleId === RULE).map((f) => `${f.span.file}:${f.span.line}`));
    for (const [file, text] of [
      ['agent.ts', 'await using leaky'],
      ['agent.ts', "STRIPE_KEY: { hosts: ['api.stripe.com']"],
      ['agent.ts', "PAGES_TOKEN: { hosts: ['*.github.io']"],
      ['agent.ts', 'await using good'],
      ['more.js', 'sdk.Sandbox.create'],
    ] as const) {
      expect(lines.has(where('ts-sandbox', file, text, '').split(':').slice(0, 2).join(':')), text).toBe(false);
    }
  });

  it('fires on a Worker that inherits unscoped network access from its parent task; not under a scoped parent, not under allow-all (that is allow-all)', async () => {
    const { findings } = await lintFixture('ts-worker');
    expect(positions(findings, RULE)).toEqual([where('ts-worker', 'server.ts', "new Worker(new URL('./handler.ts'", 'permissions')]);
    const f = findings.find((x) => x.ruleId === RULE)!;
    expect(f.related?.[0]?.span.file).toBe('deno.json');
    expect(f.message).toContain('task `serve`');
  });
});
