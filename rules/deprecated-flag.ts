import type { Rule, RuleFinding } from '../src/rule-api.js';
import { diagnosticHolds, pinnedText } from '../src/rule-util.js';
import { grammarMessage } from '../src/messages/grammar.js';

export const deprecatedFlag: Rule = {
  meta: { id: 'deprecated-flag', level: 'warning', severity: 3.0, category: 'mistake', confidence: 'high', description: 'A deprecated or removed runtime flag' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      for (const d of inv.diagnostics) {
        if (d.code !== 'deprecated' || !diagnosticHolds(model, inv, d)) continue;
        const fix = d.data.w === 'node-experimental-permission-renamed' ? '; write `--permission`' : '';
        out.push({ span: d.span, subject: inv, message: `${grammarMessage(d)}${d.versions ? pinnedText(model, inv) : ''}${fix}` });
      }
    }
    return out;
  },
};
