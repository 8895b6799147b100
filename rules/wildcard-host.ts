import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, fullyDenied, ownGrants, subjects } from '../src/rule-util.js';
import { isPublicSuffix, isTrustedHost, parseHost, sharedHostingUnder, trustedHosts, wildcardName } from '../src/semantics/hosts.js';
import { grantExample } from '../src/semantics/paths.js';

export const wildcardHost: Rule = {
  meta: {
    id: 'wildcard-host',
    level: 'warning',
    severity: 6.0,
    category: 'grant', confidence: 'high',
    description: 'A host wildcard anyone can register under (*.github.io, *.vercel.app, …) or on a public suffix (*.com)',
  },
  check({ model, trusted }) {
    const out: RuleFinding[] = [];
    const trust = trustedHosts(trusted.hosts);
    for (const s of subjects(model)) {
      for (const g of ownGrants(s)) {
        if ((g.kind !== 'net' && g.kind !== 'import') || g.mode !== 'allow' || g.scope === 'all' || fullyDenied(s, g.kind)) continue;
        for (const v of g.scope) {
          for (const e of parseHost(v.value, { cli: g.via === 'flag' }) ?? []) {
            const name = wildcardName(e);
            if (name === undefined || isTrustedHost(e, trust)) continue;
            const what = g.kind === 'import' ? 'import code from' : 'connect to';
            const port = e.port !== undefined ? `:${e.port}` : ':443';
            if (isPublicSuffix(name)) {
              out.push({
                span: v.span,
                subject: s,
                kind: g.kind,
                message: `\`${v.value}\` in \`${g.text}\` lets ${describe(s)} ${what} every domain under the public suffix \`.${name}\`, which anyone can register; name the hosts (for example \`${grantExample(s, g, `api.example.${name}${port}`)}\`)`,
              });
              continue;
            }
            const shared = sharedHostingUnder(name);
            if (!shared) continue;
            const example = `my-project.${shared}`;
            out.push({
              span: v.span,
              subject: s,
              kind: g.kind,
              message: `\`${v.value}\` in \`${g.text}\` lets ${describe(s)} ${what} any site under \`${name}\`${shared !== name ? `, including \`${shared}\`` : ''}, where anyone can get a subdomain and host an endpoint; name your own host (for example \`${grantExample(s, g, `${example}${port}`)}\`)`,
            });
          }
        }
      }
    }
    return out;
  },
};
