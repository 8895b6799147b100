import type { Rule, RuleFinding } from '../src/rule-api.js';

const DENO: Record<string, string> = {
  '--unstable': 'bare `--unstable` is deprecated; enable the features you use with `--unstable-<feature>` or `"unstable": [...]` in deno.json',
  '--lock-write': '`--lock-write` was removed in Deno 2; use `deno install` or `--frozen=false` once to update the lockfile',
};
const NODE: Record<string, string> = {
  '--experimental-permission': '`--experimental-permission` is the old name of `--permission` (stable since Node 22.13 / 23.5, and removed in Node 24); write `--permission`',
  '--experimental-policy': 'policies (`--experimental-policy`) were removed in Node 22.2; use the permission model (`--permission`)',
  '--policy-integrity': '`--policy-integrity` was removed with policies in Node 22.2',
};

export const deprecatedFlag: Rule = {
  meta: { id: 'deprecated-flag', level: 'warning', severity: 3.0, category: 'mistake', description: 'A deprecated or removed runtime flag' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      const table = inv.runtime === 'deno' ? DENO : NODE;
      for (const f of inv.flags) {
        const msg = table[f.name];
        if (msg) out.push({ span: f.span, subject: inv, message: msg });
      }
    }
    return out;
  },
};
