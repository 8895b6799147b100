import type { Rule } from '../src/rule-api.js';
import { describe } from '../src/rule-util.js';

export const allowAll: Rule = {
  meta: { id: 'allow-all', level: 'error', severity: 9.0, category: 'grant', description: 'Every permission granted at once (-A / --allow-all, "all": true)' },
  check({ model }) {
    const out = [];
    for (const inv of model.invocations) {
      if (inv.runtime !== 'deno' || !inv.takesPermissions || inv.implicitAll) continue;
      const flag = inv.flags.find((f) => f.name === '--allow-all');
      if (!flag) continue;
      out.push({
        span: flag.span,
        subject: inv,
        message: `\`${flag.text}\` grants every permission to ${describe(inv)}; grant only what it needs (for example \`--allow-read=./data --allow-net=api.example.com\`), or load a reviewed permission set with \`-P\``,
      });
    }
    for (const d of model.declarations) {
      if (!d.allowAll) continue;
      out.push({
        span: d.allowAll.span,
        subject: d,
        message: `\`${d.allowAll.text}\` in ${describe(d)} grants every permission that the set does not list; list each permission the program needs instead`,
      });
    }
    return out;
  },
};
