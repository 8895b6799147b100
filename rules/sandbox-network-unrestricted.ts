import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, grantsAll, workerParents } from '../src/rule-util.js';
import { parseHost } from '../src/semantics/hosts.js';
import { netCovers } from '../src/grammar/query.js';

export const sandboxNetworkUnrestricted: Rule = {
  meta: {
    id: 'sandbox-network-unrestricted',
    level: 'warning',
    severity: 6.5,
    category: 'grant', confidence: 'high',
    description: '@deno/sandbox without allowNet (no network restriction), secrets for hosts outside allowNet, a Worker inheriting unscoped network access',
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const d of model.declarations) {
      const sb = d.sandbox;
      if (d.declaration === 'sandbox' && sb) {
        if (!sb.allowNet) {
          out.push({
            span: d.span,
            subject: d,
            kind: 'net',
            message: `sandbox \`${d.name}\` is created without \`allowNet\`, so code in it may connect to any host; list the hosts it needs (\`allowNet: ["api.example.com"]\`), or \`allowNet: []\` to block the network`,
          });
          continue;
        }
        if (!sb.allowNet.resolved) continue;
        const allowed = sb.allowNet.hosts.flatMap((h) => parseHost(h.value) ?? []);
        for (const s of sb.secrets) {
          for (const h of s.hosts) {
            const entries = parseHost(h.value);
            if (!entries || entries.every((e) => allowed.some((a) => netCovers(a, e, { anyPort: true })))) continue;
            out.push({
              span: h.span,
              subject: d,
              kind: 'net',
              message: `secret \`${s.name}\` of sandbox \`${d.name}\` is meant for \`${h.value}\`, which \`allowNet\` does not allow: requests carrying it fail, or \`allowNet\` is missing a host; add \`${h.value}\` to \`allowNet\` or drop it from the secret's hosts`,
            });
          }
        }
        continue;
      }
      const w = d.worker;
      if (d.declaration !== 'worker' || !w || !(w.mode === 'inherit' || w.inheritKinds.includes('net'))) continue;
      for (const p of workerParents(model, d)) {
        if (grantsAll(p) || p.effective.net.allow !== 'all' || p.effective.net.deny === 'all') continue;
        out.push({
          span: w.span,
          subject: d,
          kind: 'net',
          related: [{ span: p.command.span, message: `the parent ${describe(p)} has unscoped network access` }],
          message: `Worker \`${d.name}\` inherits unscoped network access from ${describe(p)}; give the worker only the hosts it needs (\`deno: { permissions: { net: ["api.example.com"] } }\`)`,
        });
      }
    }
    return out;
  },
};
