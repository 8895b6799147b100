import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, ownGrants, subjects } from '../src/rule-util.js';

export const ffiGrant: Rule = {
  meta: { id: 'ffi-grant', level: 'error', severity: 9.0, category: 'grant', confidence: 'high', description: 'Native code allowed (--allow-ffi, "ffi", Node --allow-addons / --allow-ffi): it runs outside the sandbox' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const s of subjects(model)) {
      for (const g of ownGrants(s)) {
        if (g.kind !== 'ffi' || g.mode !== 'allow' || (g.scope !== 'all' && g.scope.length === 0)) continue;
        out.push({
          span: g.span,
          subject: s,
          kind: 'ffi',
          message: `\`${g.text}\` lets ${describe(s)} load native code, which runs outside the permission sandbox with the full rights of the process; remove it, or isolate the native part in its own process`,
        });
      }
    }
    return out;
  },
};
