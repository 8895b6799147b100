import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, diagnosticHolds } from '../src/rule-util.js';

export const permissionModelDisabled: Rule = {
  meta: {
    id: 'permission-model-disabled',
    level: 'error',
    severity: 7.0,
    category: 'mistake', confidence: 'high',
    description: 'Node --allow-* flags without --permission: the flags do nothing',
    // a mistake outranks its consequence: no grant rule fires on the same flag
    subsumes: [{ category: 'grant', scope: 'span' }],
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      if (inv.runtime !== 'node' || inv.node?.enabled || inv.permissions.length === 0) continue;
      const audit = inv.flags.some((f) => f.name === '--permission-audit');
      for (const g of inv.permissions) {
        // `--allow-fs-read` / `--allow-fs-write` without the model stop Node at start-up: invalid-permission says so
        if (inv.diagnostics.some((d) => d.code === 'refused-at-start' && d.span === g.span && diagnosticHolds(model, inv, d))) continue;
        out.push({
          span: g.span,
          subject: inv,
          kind: g.kind,
          message: `\`${g.text}\` does nothing: ${describe(inv)} does not enable Node's permission model${audit ? ' (`--permission-audit` only warns)' : ''}, so it runs with every permission; add \`--permission\``,
        });
      }
    }
    return out;
  },
};
