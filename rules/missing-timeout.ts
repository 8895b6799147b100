import type { PermKind } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';

const REACHING: PermKind[] = ['net', 'write', 'run'];

export const missingTimeout: Rule = {
  meta: {
    id: 'missing-timeout',
    level: 'note',
    severity: 2.0,
    category: 'other', confidence: 'high',
    description: 'A NetScript task granted run, write or net that leaves its timeout or retry count implicit',
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const d of model.declarations) {
      const ns = d.netscript;
      if (d.declaration !== 'netscript-task' || !ns) continue;
      const granted = REACHING.filter((k) => {
        const a = d.effective[k].allow;
        return a === 'all' || a.length > 0;
      });
      if (granted.length === 0) continue;
      const missing: string[] = [];
      if (!ns.timeout) missing.push('its timeout (default 300 000 ms)');
      if (!ns.retry) missing.push('its retry count (default 1 retry)');
      if (missing.length === 0) continue;
      const fix = [!ns.timeout ? '`.timeout(30_000)`' : undefined, !ns.retry ? '`.retry(0)`' : undefined].filter(Boolean).join(' and ');
      out.push({
        span: d.span,
        subject: d,
        message: `NetScript task \`${d.name}\` may use ${granted.join(', ')} access but leaves ${missing.join(' and ')} implicit, so a hung or failing run keeps that access for five minutes and runs again; set ${fix} to what the task needs`,
      });
    }
    return out;
  },
};
