import type { Rule, RuleFinding } from '../src/rule-api.js';
import type { Level } from '../src/model.js';
import { advisoriesFor, firstFixed, severityOf } from '../src/advisories.js';
import * as semver from '../src/semver.js';

const RANK: Level[] = ['note', 'warning', 'error'];
const NAME = { deno: 'Deno', node: 'Node.js' } as const;

export const vulnerableRuntime: Rule = {
  meta: {
    id: 'vulnerable-runtime',
    level: 'warning',
    severity: 5.0,
    category: 'mistake', confidence: 'medium',
    description: 'A pinned Deno or Node.js version that advisories of the permission or sandbox model affect',
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    const memo = new Map<string, ReturnType<typeof advisoriesFor>>();
    for (const pin of model.pins ?? []) {
      const key = `${pin.runtime}|${pin.version}|${pin.exact}`;
      let found = memo.get(key);
      if (!found) memo.set(key, (found = advisoriesFor(pin.runtime, pin.version, pin.exact)));
      if (!found.length) continue;
      let level: Level = 'note';
      let score = 0;
      let upgrade: string | undefined;
      let worst: { id: string; score: number } | undefined;
      const items = found.map((a) => {
        const s = severityOf(a);
        if (RANK.indexOf(s.level) > RANK.indexOf(level)) level = s.level;
        score = Math.max(score, s.score);
        if (!worst || s.score > worst.score) worst = { id: a.id, score: s.score };
        const fixed = firstFixed(a, pin.version);
        if (fixed && (!upgrade || semver.gt(fixed, upgrade))) upgrade = fixed;
        return `${a.id}${a.condition ? ` (${a.condition})` : ''}${fixed ? `, fixed in ${fixed}` : ''}`;
      });
      const what = pin.exact ? `${NAME[pin.runtime]} ${pin.version}` : `${NAME[pin.runtime]} ${pin.version}.x (every release it can resolve to)`;
      out.push({
        span: pin.span,
        level,
        severity: score,
        context: pin.context,
        // one finding per pin with a short message; the whole list goes to the details (SARIF properties)
        message:
          found.length === 1
            ? `\`${pin.text}\` pins ${what}, which an advisory of the permission or sandbox model affects: ${items[0]}${upgrade ? `; pin ${upgrade} or later` : '; pin a fixed release'}`
            : `\`${pin.text}\` pins ${what}: ${upgrade ? `fixed in ${upgrade}` : 'no fixed release yet'}; ${found.length} advisories of the permission or sandbox model, the worst ${worst!.id} (${worst!.score.toFixed(1)})${upgrade ? `; pin ${upgrade} or later` : ''}`,
        details: items,
      });
    }
    return out;
  },
};
