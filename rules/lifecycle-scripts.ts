import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe } from '../src/rule-util.js';

export const lifecycleScripts: Rule = {
  meta: { id: 'lifecycle-scripts', level: 'warning', severity: 6.5, category: 'grant', confidence: 'high', description: 'npm lifecycle scripts allowed for every package (--allow-scripts with no list, "allowScripts": true)' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      if (inv.runtime !== 'deno') continue;
      for (const f of inv.flags) {
        if (f.name !== '--allow-scripts' || f.value !== undefined) continue;
        out.push({
          span: f.span,
          subject: inv,
          message: `\`${f.text}\` lets every npm package in ${describe(inv)} run its install scripts with full access to the machine; list the packages that need them (\`--allow-scripts=npm:sharp\`)`,
        });
      }
    }
    for (const c of model.denoConfigs) {
      if (!c.allowScripts?.all) continue;
      out.push({
        span: c.allowScripts.span,
        context: 'development',
        message: `\`${c.allowScripts.text}\` lets every npm package run its install scripts with full access to the machine; list the packages that need them (\`"allowScripts": ["npm:sharp"]\`)`,
      });
    }
    return out;
  },
};
