import type { Rule } from '../src/rule-api.js';
import { describe } from '../src/rule-util.js';
import { grantsAll, workerParents } from '../src/rule-util.js';

export const allowAll: Rule = {
  meta: {
    id: 'allow-all',
    level: 'error',
    severity: 9.0,
    category: 'grant', confidence: 'high',
    description: 'Every permission granted at once (-A / --allow-all, "all": true)',
    // one risk, one finding: every per-permission grant rule on the same invocation or declaration
    subsumes: [
      {
        rules: ['unscoped-grant', 'subprocess-escalation', 'ffi-grant', 'unrestricted-import', 'secret-exposure', 'self-modification', 'sensitive-network', 'wildcard-host'],
        scope: 'subject',
      },
    ],
  },
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
      if (d.declaration === 'worker' && d.worker?.mode === 'inherit') {
        for (const p of workerParents(model, d).filter(grantsAll)) {
          out.push({
            span: d.worker.span,
            subject: d,
            related: [{ span: p.command.span, message: `the parent ${describe(p)} has every permission` }],
            message: `Worker \`${d.name}\` inherits every permission of ${describe(p)}; give the worker only what it needs (\`deno: { permissions: { read: ["./data"] } }\`), or \`"none"\``,
          });
        }
      }
      if (!d.allowAll) continue;
      if (d.declaration === 'netscript-task') {
        out.push({
          span: d.allowAll.span,
          subject: d,
          message: `\`${d.allowAll.text}\` gives NetScript task \`${d.name}\` unscoped net, read, write, env and run access, and with run it can start \`deno run -A\`: as wide as \`--allow-all\`; pass only what it needs (for example \`.permissions({ net: ["api.example.com"], read: ["./data"] })\`)`,
        });
        continue;
      }
      out.push({
        span: d.allowAll.span,
        subject: d,
        message: `\`${d.allowAll.text}\` in ${describe(d)} grants every permission that the set does not list; list each permission the program needs instead`,
      });
    }
    return out;
  },
};
