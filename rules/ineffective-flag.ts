import type { GrammarDiagnostic } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, diagnosticHolds, pinnedText } from '../src/rule-util.js';
import { grammarMessage } from '../src/messages/grammar.js';


/** Grammar diagnostics this rule reports, and what it adds to the grammar's explanation. */
const ADVICE: Partial<Record<GrammarDiagnostic['code'], (d: GrammarDiagnostic) => string>> = {
  'boolean-with-value': () => '',
  'fs-comma-list': () => '',
  'narrowed-by-repeat': () => '',
  'removed-flag': () => '',
  'value-with-space': () => '',
  'lock-swallows-script': () => '',
  'flag-cluster': () => '',
  'flag-after-script': () => '; move it before the script (or, if the program itself should receive it, write `--` before it)',
  'flag-not-in-version': (d) => (d.data.w === 'node-permission-too-new' ? '; write `--experimental-permission` there, or upgrade Node' : '; upgrade Node or remove the flag'),
};

export const ineffectiveFlag: Rule = {
  meta: {
    id: 'ineffective-flag',
    level: 'error',
    severity: 7.0,
    category: 'mistake', confidence: 'high',
    description: 'A flag the runtime ignores or reads differently from what it looks like',
    // a mistake outranks its consequence: no grant rule fires on the same flag
    subsumes: [{ category: 'grant', scope: 'span' }],
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      for (const d of inv.diagnostics) {
        const advice = ADVICE[d.code];
        if (!advice || !diagnosticHolds(model, inv, d)) continue;
        const where = d.code === 'flag-after-script' ? ` in ${describe(inv)}` : '';
        const pinned = d.versions ? pinnedText(model, inv) : '';
        out.push({ span: d.span, subject: inv, ...(d.kind ? { kind: d.kind } : {}), message: `${grammarMessage(d)}${pinned}${where}${advice(d)}` });
      }
    }
    return out;
  },
};
