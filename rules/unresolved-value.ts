import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe } from '../src/rule-util.js';

export const unresolvedValue: Rule = {
  meta: { id: 'unresolved-value', level: 'note', severity: 1.0, category: 'mistake', confidence: 'medium', description: 'A permission-relevant value that cannot be resolved statically' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      for (const t of inv.unresolved) {
        out.push({
          span: t.span,
          subject: inv,
          message: `\`${t.value}\` in ${describe(inv)} is not known statically (${t.dynamic}); permlint does not guess what it grants — review it, or write the flags out`,
        });
      }
    }
    for (const u of model.unresolved) out.push({ span: u.span, message: u.message });
    return out;
  },
};
