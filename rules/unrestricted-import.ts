import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, ownGrants, subjects } from '../src/rule-util.js';

export const unrestrictedImport: Rule = {
  meta: { id: 'unrestricted-import', level: 'warning', severity: 5.0, category: 'grant', confidence: 'high', description: 'Remote imports allowed from every host (-I / --allow-import with no list, "import": true)' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const s of subjects(model)) {
      for (const g of ownGrants(s)) {
        if (g.kind !== 'import' || g.mode !== 'allow' || g.scope !== 'all') continue;
        out.push({
          span: g.span,
          subject: s,
          kind: 'import',
          message: `\`${g.text}\` lets ${describe(s)} import code from any host, not only the default registries; list the hosts (for example \`--allow-import=jsr.io:443,esm.sh:443\`)`,
        });
      }
    }
    return out;
  },
};
