import type { Inference, InferredNeed, Invocation, PermKind, Span } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe } from '../src/rule-util.js';
import { satisfied } from '../src/infer/coverage.js';
import { at, flagName } from '../src/infer/least.js';

const MAX_RELATED = 10;

function grantSpan(inv: Invocation, kind: PermKind): Span {
  return inv.permissions.find((g) => g.kind === kind && g.mode === 'allow' && !g.set)?.span ?? inv.entrypoint?.span ?? inv.command.span;
}

function wanted(n: InferredNeed, runtime: Invocation['runtime']): string {
  const flag = flagName(n.kind, runtime);
  if (n.unscoped) return `unscoped \`${flag}\` (${n.unscoped})`;
  if (n.value === undefined) return `\`${flag}\``;
  if (runtime === 'node' && n.kind !== 'read' && n.kind !== 'write') return `\`${flag}\``;
  return `\`${flag}=${n.value}\``;
}

export function underGrants(inf: Inference, inv: Invocation): RuleFinding[] {
  const out: RuleFinding[] = [];
  const groups = new Map<string, InferredNeed[]>();
  for (const n of inf.needs) {
    if (satisfied(inv, inv.effective, n) !== false) continue;
    const key = `${n.kind}\0${n.unscoped ? '*' : (n.value ?? '?')}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  for (const needs of groups.values()) {
    const n = needs[0]!;
    const guarded = needs.every((x) => x.guarded);
    const fails = inv.runtime === 'node' ? 'ERR_ACCESS_DENIED' : 'NotCapable (or a prompt on a terminal)';
    const uses = needs.map((x) => `\`${x.text}\` at ${at(x)}`);
    const message = guarded
      ? `${describe(inv)} does not grant ${wanted(n, inv.runtime)}, needed by ${uses[0]}${uses.length > 1 ? ` and ${uses.length - 1} more` : ''}; only a note: the code handles the denial (try/catch, a permissions query) or may not need it (an optional argument it cannot fold)`
      : `${describe(inv)} needs ${wanted(n, inv.runtime)} for ${uses[0]}${uses.length > 1 ? ` and ${uses.length - 1} more` : ''}, which it does not grant: that call fails with ${fails}`;
    out.push({
      span: grantSpan(inv, n.kind),
      subject: inv,
      kind: n.kind,
      message,
      ...(guarded ? { level: 'note' as const } : {}),
      related: needs.slice(0, MAX_RELATED).map((x) => ({ span: x.span, message: `needs ${wanted(x, inv.runtime)}${x.implicit ? ` (${x.implicit})` : ''}` })),
    });
  }
  return out;
}

export const underGrant: Rule = {
  meta: { id: 'under-grant', level: 'error', severity: 4.0, category: 'other', confidence: 'low', maxConfidence: 'low', readsInferences: true, description: 'Code reachable from the entrypoint needs a permission the invocation does not grant' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inf of model.inferences ?? []) {
      const inv = model.invocations.find((i) => i.id === inf.subjectId);
      if (!inv || inv.implicitAll || !inv.takesPermissions) continue;
      out.push(...underGrants(inf, inv));
    }
    return out;
  },
};
