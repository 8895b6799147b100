import type { Rule, RuleFinding } from '../src/rule-api.js';
import { diagnosticHolds, pinnedText } from '../src/rule-util.js';

export const deprecatedFlag: Rule = {
  meta: { id: 'deprecated-flag', level: 'warning', severity: 3.0, category: 'mistake', confidence: 'high', description: 'A deprecated or removed runtime flag' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      for (const d of inv.diagnostics) {
        if (d.code !== 'deprecated' || !diagnosticHolds(model, inv, d)) continue;
        const fix = d.message.startsWith('`--experimental-permission`') ? '; write `--permission`' : '';
        out.push({ span: d.span, subject: inv, message: `${d.message}${d.versions ? pinnedText(model, inv) : ''}${fix}` });
      }
    }
    return out;
  },
};
