import type { GrammarDiagnostic } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { diagnosticHolds, pinnedText, subjects } from '../src/rule-util.js';
import { grammarMessage } from '../src/messages/grammar.js';

/** Grammar diagnostics that mean the runtime refuses to start. */
const CODES = new Set<GrammarDiagnostic['code']>([
  'empty-value', 'invalid-host', 'invalid-sys', 'invalid-env', 'allow-all-conflict', 'unknown-permission-set', 'permissions-not-accepted', 'unknown-flag',
  'unknown-permission-flag', 'refused-at-start',
]);

export const invalidPermission: Rule = {
  meta: {
    id: 'invalid-permission',
    level: 'error',
    severity: 4.0,
    category: 'mistake', confidence: 'high',
    description: 'A permission configuration the runtime refuses at start-up',
    // a mistake outranks its consequence: no grant rule fires on the same flag
    subsumes: [{ category: 'grant', scope: 'span' }],
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const s of subjects(model)) {
      for (const d of s.diagnostics) {
        if (!CODES.has(d.code) || !diagnosticHolds(model, s, d)) continue;
        // an unknown non-permission flag of an invocation is not a permission problem
        if (d.code === 'unknown-flag' && s.type === 'invocation') continue;
        const pinned = d.versions ? pinnedText(model, s) : '';
        out.push({ span: d.span, subject: s, ...(d.kind ? { kind: d.kind } : {}), message: `${grammarMessage(d)}${pinned}; the runtime refuses to start` });
      }
    }
    return out;
  },
};
