import type { Rule, RuleFinding } from '../src/rule-api.js';
import type { Invocation, Token } from '../src/model.js';
import { describe } from '../src/rule-util.js';
import { unresolvedMessage } from '../src/messages/problems.js';
import { dynamicText } from '../src/messages/dynamic.js';

/**
 * Whether an unknown word can change what is granted: a runtime flag, a permission value, the
 * runtime or the subcommand. It cannot when the program receives it (after the script, after
 * `--`, arguments passed on to a task), when the subcommand takes no permissions (`deno fmt`,
 * `check`, `doc`, `lint`: the words are files), or when the runtime grants everything anyway
 * (`deno eval` code, `deno jupyter`).
 */
function canChangeGrants(inv: Invocation, t: Token): boolean {
  if (inv.programArgs.includes(t)) return false;
  if (inv.implicitAll) return false;
  const i = inv.argv.indexOf(t);
  const entry = inv.entrypoint ? inv.argv.indexOf(inv.entrypoint) : -1;
  if (entry >= 0 && i > entry) return false;
  const dashDash = inv.argv.findIndex((a) => a.value === '--');
  if (dashDash >= 0 && i > dashDash) return false;
  if (inv.runtime === 'deno') {
    const sub = inv.subcommand ?? 'run';
    const subAt = inv.argv.findIndex((a) => a.value === sub);
    // `deno $SUB …`: the subcommand itself is unknown
    if (subAt < 0 && i === 0) return true;
    if (!inv.takesPermissions) return false;
    if (sub === 'task') {
      // `deno task build $ARGS`: arguments passed on to the task
      const name = inv.argv.findIndex((a, k) => k > subAt && !a.value.startsWith('-'));
      if (name >= 0 && i > name) return false;
    }
  }
  return true;
}

export const unresolvedValue: Rule = {
  meta: { id: 'unresolved-value', level: 'note', severity: 1.0, category: 'mistake', confidence: 'medium', description: 'A permission-relevant value that cannot be resolved statically' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inv of model.invocations) {
      for (const t of inv.unresolved) {
        if (!canChangeGrants(inv, t)) continue;
        out.push({
          span: t.span,
          subject: inv,
          message: `\`${t.value}\` in ${describe(inv)} is not known statically (${dynamicText(t.dynamic ?? [])}); permlint does not guess what it grants — review it, or write the flags out`,
        });
      }
    }
    for (const u of model.unresolved) out.push({ span: u.span, message: unresolvedMessage(u), ...(u.context ? { context: u.context } : {}) });
    return out;
  },
};
