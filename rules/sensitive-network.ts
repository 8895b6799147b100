import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, fullyDenied, ownGrants, subjects, type Subject } from '../src/rule-util.js';
import { isTrustedHost, parseHost, sensitiveReach, showHost, trustedHosts, type HostEntry, type SensitiveTarget } from '../src/semantics/hosts.js';
import { grantExample } from '../src/semantics/paths.js';

/** Denied hosts of a subject (own flags and set keys alike); `'all'` for a bare deny alone. */
function deniedHosts(s: Subject): HostEntry[] | 'all' {
  const gs = s.permissions.filter((g) => g.kind === 'net' && g.mode === 'deny');
  const listed = gs.flatMap((g) => (g.scope === 'all' ? [] : g.scope.flatMap((v) => parseHost(v.value, { cli: g.via === 'flag' }) ?? [])));
  return listed.length === 0 && gs.some((g) => g.scope === 'all') ? 'all' : listed;
}

function fix(group: SensitiveTarget['group'], example: (v: string) => string, value: string): string {
  switch (group) {
    case 'socket':
      return 'remove it: a program that needs containers should go through a narrowly scoped API, not the daemon socket';
    case 'loopback':
      return `name the port of the local service it needs (for example \`${example(`${value.replace(/:\d+$/, '')}:8080`)}\`)`;
    case 'private-range':
      return `name the hosts it talks to (for example \`${example('db.internal:5432')}\`)`;
    default:
      return `name the hosts it calls (for example \`${example('api.example.com:443')}\`)`;
  }
}

export const sensitiveNetwork: Rule = {
  meta: {
    id: 'sensitive-network',
    level: 'error',
    severity: 8.0,
    category: 'grant', confidence: 'medium',
    description: 'Network access that reaches cloud metadata, the Docker socket, every address, whole private ranges or every local port',
  },
  check({ model, trusted }) {
    const out: RuleFinding[] = [];
    const trust = trustedHosts(trusted.hosts);
    for (const s of subjects(model)) {
      if (fullyDenied(s, 'net')) continue;
      let denied: HostEntry[] | 'all' | undefined;
      for (const g of ownGrants(s)) {
        if (g.kind !== 'net' || g.mode !== 'allow' || g.scope === 'all') continue;
        for (const v of g.scope) {
          const entries = parseHost(v.value, { cli: g.via === 'flag' });
          if (!entries) continue; // invalid-permission reports it
          denied ??= deniedHosts(s);
          const reached: SensitiveTarget[] = [];
          for (const e of entries) {
            if (isTrustedHost(e, trust)) continue;
            for (const t of sensitiveReach(e, denied)) {
              if (isTrustedHost(t.entry, trust)) continue;
              if (!reached.some((r) => r.text === t.text)) reached.push(t);
            }
          }
          if (reached.length === 0) continue;
          const order: SensitiveTarget['group'][] = ['everything', 'metadata', 'socket', 'private-range', 'loopback'];
          reached.sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
          const first = reached[0]!;
          const written = entries.length === 1 ? showHost(entries[0]!) : v.value;
          const reach =
            first.group === 'everything'
              ? `${first.why}, including the cloud metadata service (\`169.254.169.254\`) and every private network`
              : first.text === written || first.group === 'loopback'
                ? first.group === 'loopback'
                  ? `every port of \`${first.text}\`: ${first.why}`
                  : first.why
                : `\`${first.text}\`, ${first.why}`;
          const others = reached.filter((r) => r.group !== first.group && first.group !== 'everything' && r.text !== written && r.text !== v.value).map((r) => `\`${r.text}\``);
          out.push({
            span: v.span,
            subject: s,
            kind: 'net',
            message: `\`${v.value}\` in \`${g.text}\` lets ${describe(s)} reach ${reach}${others.length ? ` (also ${others.join(', ')})` : ''}; ${fix(first.group, (x) => grantExample(s, g, x), v.value)}`,
          });
        }
      }
    }
    return out;
  },
};
