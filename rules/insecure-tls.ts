import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe } from '../src/rule-util.js';

export const insecureTls: Rule = {
  meta: { id: 'insecure-tls', level: 'error', severity: 7.5, category: 'mistake', confidence: 'high', description: 'TLS certificate checks switched off (--unsafely-ignore-certificate-errors, NODE_TLS_REJECT_UNAUTHORIZED=0)' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      for (const f of inv.flags) {
        if (f.name !== '--unsafely-ignore-certificate-errors') continue;
        out.push({
          span: f.span,
          subject: inv,
          message: `\`${f.text}\` turns off TLS certificate checks for ${f.value ? `\`${f.value}\`` : 'every host'} in ${describe(inv)}, so anyone on the path can read and change its traffic; trust the right CA with \`--cert\` or \`DENO_CERT\` instead`,
        });
      }
    }
    for (const e of model.env) {
      if (e.name !== 'NODE_TLS_REJECT_UNAUTHORIZED' || e.value.dynamic || e.value.value.trim() !== '0') continue;
      out.push({
        span: e.span,
        context: e.context.kind,
        message: '`NODE_TLS_REJECT_UNAUTHORIZED=0` turns off TLS certificate checks for every connection of the process; trust the right CA with `NODE_EXTRA_CA_CERTS` instead',
      });
    }
    return out;
  },
};
