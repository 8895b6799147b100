import type { Rule, RuleFinding } from '../src/rule-api.js';
import { implicitAllReason } from '../src/messages/grammar.js';

const NPM_BIN = /(^|\/)node_modules\/\.bin\//;

export const omittedPermissions: Rule = {
  meta: {
    id: 'omitted-permissions',
    level: 'error',
    severity: 8.5,
    category: 'grant', confidence: 'high',
    description: 'Permissions left out where the runtime then grants everything (deno eval, deno jupyter, npm binaries run by deno task)',
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      if (inv.runtime !== 'deno' || !inv.implicitAll) continue;
      if (inv.implicitAll.codeNeedsNothing) {
        // the code is written out in full and uses no permission: nothing is exposed today (a note, for the inventory)
        out.push({
          span: inv.command.span,
          subject: inv,
          level: 'note',
          confidence: 'medium',
          message: `${implicitAllReason(inv.implicitAll)}, but the code it runs here uses none of them (no Deno API that needs a permission, no fetch, no import), so the grant reaches nothing; if the code grows, run it with \`deno run\` and the permissions it needs`,
        });
        continue;
      }
      out.push({
        span: inv.command.span,
        subject: inv,
        message: `${implicitAllReason(inv.implicitAll)}, whatever flags it is given; run the code with \`deno run\` and the permissions it needs instead`,
      });
    }
    for (const d of model.declarations) {
      const ns = d.netscript;
      if (d.declaration !== 'netscript-task' || !ns || ns.runtime !== 'deno' || ns.permissionsCall || ns.inProcess || !ns.complete) continue;
      out.push({
        span: d.span,
        subject: d,
        message: `NetScript task \`${d.name}\` sets no permissions, so NetScript runs it with \`deno run --allow-all\`; give it only what it needs (for example \`.permissions({ net: ["api.example.com"], read: ["./data"] })\`)`,
      });
    }
    for (const c of model.commands) {
      if (c.origin.source !== 'deno.json' || !NPM_BIN.test(c.program.value)) continue;
      out.push({
        span: c.program.span,
        context: c.context.kind,
        message: `\`deno task\` runs \`${c.program.value}\` (an npm binary) with all permissions; run it through \`deno run\` with explicit permissions (\`deno run --allow-read=. npm:<package>\`)`,
      });
    }
    return out;
  },
};
