import type { Rule, RuleFinding } from '../src/rule-api.js';
import type { Invocation, Span } from '../src/model.js';
import { describe, fullyDenied } from '../src/rule-util.js';

const BROAD_KINDS = ['write', 'run', 'ffi'] as const;

/** The broad grant of an invocation: allow-all, permissions left out, unscoped write/run/ffi, Node without the permission model. */
function broadGrant(inv: Invocation, sets: Map<string, { span: Span; text: string }>): { span: Span; what: string } | undefined {
  if (inv.implicitAll) {
    if (inv.runtime === 'node') return { span: inv.command.span, what: 'Node without the permission model (`--permission`) grants everything' };
    return { span: inv.command.span, what: `${describe(inv)} runs with every permission (${inv.implicitAll.reason})` };
  }
  if (!inv.takesPermissions) return undefined;
  const all = inv.flags.find((f) => f.name === '--allow-all');
  if (all) return { span: all.span, what: `\`${all.text}\` grants every permission` };
  const set = inv.permissionSet?.declarationId ? sets.get(inv.permissionSet.declarationId) : undefined;
  if (set && inv.permissionSet) return { span: inv.permissionSet.span, what: `the permission set it loads grants every permission (\`${set.text}\`)` };
  for (const kind of BROAD_KINDS) {
    const g = inv.permissions.find((p) => p.kind === kind && p.mode === 'allow' && p.scope === 'all' && !p.set);
    if (g && !fullyDenied(inv, kind)) return { span: g.span, what: `\`${g.text}\` grants ${kind === 'write' ? 'write access to every file' : kind === 'run' ? 'every subprocess' : 'every native library'}` };
  }
  return undefined;
}

export const containerPrivileges: Rule = {
  meta: {
    id: 'container-privileges',
    level: 'warning',
    severity: 6.5,
    category: 'grant', confidence: 'medium',
    description: 'A broad grant inside a container that also runs as root, privileged, or with host mounts',
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    const sets = new Map<string, { span: Span; text: string }>();
    for (const d of model.declarations) if (d.allowAll) sets.set(d.id, d.allowAll);
    for (const inv of model.invocations) {
      const c = inv.context.container;
      if (!c) continue;
      const evidence = [...(c.root ? [c.root] : []), ...(c.privileged ?? [])];
      if (!evidence.length) continue;
      const grant = broadGrant(inv, sets);
      if (!grant) continue;
      const layer = evidence.map((e) => e.reason).join('; ');
      const fixUser = c.root ? 'run as a non-root user (`USER 1000`, `runAsNonRoot: true`)' : 'drop the privileges and host mounts';
      out.push({
        span: grant.span,
        subject: inv,
        message: `${grant.what} to ${describe(inv)}, and its container is not a second line of defence: ${layer}. A compromise of the program owns the container${c.privileged?.length ? ' and reaches the host' : ' as root'}; narrow the grant and ${fixUser}`,
        related: evidence.map((e) => ({ span: e.span, message: e.reason })),
      });
    }
    return out;
  },
};
