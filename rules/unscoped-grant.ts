import type { PermKind } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { KIND_NOUN, SCOPED_EXAMPLE, describe, fullyDenied, ownGrants, subjects } from '../src/rule-util.js';

const SEVERITY: Partial<Record<PermKind, number>> = { read: 5.0, env: 5.5, net: 6.0, sys: 3.0, write: 7.5 };

export const unscopedGrant: Rule = {
  meta: {
    id: 'unscoped-grant',
    level: 'warning',
    severity: 6.0,
    category: 'grant', confidence: 'high',
    description: 'A permission that takes a list granted with no list (read, write, net, env, sys)',
    // bare -R is unscoped-grant, not also secret-exposure: the section B rules of the same permission
    subsumes: [{ rules: ['secret-exposure', 'self-modification', 'sensitive-network', 'wildcard-host'], scope: 'subject-kind' }],
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const s of subjects(model)) {
      for (const g of ownGrants(s)) {
        const sev = SEVERITY[g.kind];
        if (sev === undefined || g.mode !== 'allow' || g.scope !== 'all' || fullyDenied(s, g.kind)) continue;
        const example = s.runtime === 'node' ? `--allow-fs-${g.kind === 'read' ? 'read' : 'write'}=./data` : SCOPED_EXAMPLE[g.kind];
        out.push({
          span: g.span,
          subject: s,
          kind: g.kind,
          severity: sev,
          ...(g.kind === 'write' ? { level: 'error' as const } : {}),
          message: `\`${g.text}\` grants ${KIND_NOUN[g.kind]} with no list to ${describe(s)}; name what it needs (for example \`${example}\`)`,
        });
      }
    }
    return out;
  },
};
