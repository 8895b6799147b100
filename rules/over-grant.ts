import type { Inference, InferredNeed, Invocation, PermKind, PermissionGrant } from '../src/model.js';
import { noPermissions } from '../src/model.js';
import type { Rule, RuleFinding } from '../src/rule-api.js';
import { describe, ownGrants } from '../src/rule-util.js';
import { satisfied } from '../src/infer/coverage.js';
import { flagName, leastPrivilege, limited, toFlags } from '../src/infer/least.js';

const MAX_RELATED = 10;
/** Kinds whose use the inference does not see whole (the inspector is opened by flags, not calls). */
const NOT_JUDGED = new Set<PermKind>(['inspector']);

function uses(needs: InferredNeed[], runtime: Invocation['runtime']) {
  return needs.slice(0, MAX_RELATED).map((n) => ({ span: n.span, message: `uses ${flagName(n.kind, runtime)}${n.value === undefined ? '' : `=${n.value}`}: \`${n.text}\`` }));
}

function narrower(inf: Inference, inv: Invocation, kind: PermKind): string {
  const g = leastPrivilege(inf, inv.runtime).grants.find((x) => x.kind === kind);
  if (!g) return 'remove it';
  return `use \`${toFlags({ grants: [g], unsure: [] }, inv.runtime).filter((f) => f !== '--permission').join(' ')}\``;
}

export function overGrants(inf: Inference, inv: Invocation): RuleFinding[] {
  const out: RuleFinding[] = [];
  const grants = ownGrants(inv).filter((g) => g.mode === 'allow' && g.via === 'flag');
  const byKind = new Map<PermKind, PermissionGrant[]>();
  for (const g of grants) byKind.set(g.kind, [...(byKind.get(g.kind) ?? []), g]);
  for (const [kind, gs] of byKind) {
    if (NOT_JUDGED.has(kind) || limited(inf, kind)) continue;
    const needs = inf.needs.filter((n) => n.kind === kind);
    if (needs.length === 0) {
      for (const g of gs)
        out.push({
          span: g.span,
          subject: inv,
          kind,
          message: `\`${g.text}\` of ${describe(inv)} is never used: no code reachable from \`${inf.entrypoint}\` (${inf.modules.length} module${inf.modules.length === 1 ? '' : 's'}) needs ${flagName(kind, inv.runtime)}; remove it`,
        });
      continue;
    }
    const open = needs.some((n) => n.value === undefined || n.unscoped);
    for (const g of gs) {
      if (g.scope === 'all') {
        if (open || (inv.runtime === 'node' && kind !== 'read' && kind !== 'write')) continue;
        out.push({ span: g.span, subject: inv, kind, message: `\`${g.text}\` is wider than the code needs: ${narrower(inf, inv, kind)}`, related: uses(needs, inv.runtime) });
        continue;
      }
      // a value-level claim needs every use of the kind to be known
      if (open) continue;
      for (const sv of g.scope) {
        const one = noPermissions();
        one[kind] = { allow: [sv.value], deny: [], ignore: [] };
        const used = needs.filter((n) => satisfied(inv, one, n) === true);
        if (used.length) continue;
        out.push({
          span: sv.span,
          subject: inv,
          kind,
          message: `\`${sv.value}\` in \`${g.text}\` is not used by any code reachable from \`${inf.entrypoint}\`; ${narrower(inf, inv, kind)}`,
          related: uses(needs, inv.runtime),
        });
      }
    }
  }
  return out;
}

export const overGrant: Rule = {
  meta: { id: 'over-grant', level: 'warning', severity: 5.0, category: 'other', confidence: 'low', maxConfidence: 'low', readsInferences: true, description: 'A granted permission that no code reachable from the entrypoint can use; the message gives the narrower grant' },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const inf of model.inferences ?? []) {
      const inv = model.invocations.find((i) => i.id === inf.subjectId);
      if (!inv || inv.implicitAll || !inv.takesPermissions) continue;
      out.push(...overGrants(inf, inv));
    }
    return out;
  },
};
