import type { Rule, RuleFinding } from '../src/rule-api.js';
import { allVersionsIn, nodeVersionsFor } from '../src/rule-util.js';
import { LACKS_PERMISSION } from './ineffective-flag.js';

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
        let msg = table[f.name];
        if (!msg) continue;
        if (f.name === '--experimental-permission') {
          const versions = nodeVersionsFor(model, inv);
          // the repository pins a Node that has no `--permission` yet: the old name is the only one
          if (allVersionsIn(versions, LACKS_PERMISSION)) continue;
          if (allVersionsIn(versions, '>=24.0.0')) msg = `\`--experimental-permission\` was removed in Node 24, which this repository pins (${versions.join(', ')}): Node refuses to start; write \`--permission\``;
        }
        out.push({ span: f.span, subject: inv, message: msg });
      }
    }
    return out;
  },
};
