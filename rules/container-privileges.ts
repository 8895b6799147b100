import type { Rule, RuleFinding } from '../src/rule-api.js';
import type { ContainerContext, Invocation, Span } from '../src/model.js';
import { describe, fullyDenied } from '../src/rule-util.js';
import { capabilityName, classifyContainer, type Privilege, type RootCause } from '../src/semantics/container.js';
import { implicitAllReason } from '../src/messages/grammar.js';

/** Whose capabilities a privileged container gets, by what declares it. */
function hostWord(c: ContainerContext): string {
  return c.platform === 'kubernetes' ? 'node' : c.platform === 'github-actions' ? 'runner' : 'host';
}

const NAMESPACE_WORD = { network: 'network', pid: 'process table', ipc: 'IPC namespace' } as const;

/** Why the container runs as root, in words. */
function rootReason(r: RootCause, c: ContainerContext): string {
  const what = c.platform === 'systemd' || c.platform === 'supervisord' || c.platform === 'openrc' || c.platform === 'runit' ? 'the service' : 'the container';
  switch (r.cause) {
    case 'root-user':
      return `\`${r.user.text}\` runs ${what} as root`;
    case 'root-allowed':
      return `\`${r.setting.text}\` lets ${what} run as root`;
    case 'image-default':
      return `the final stage of ${r.file} sets no \`USER\`, so the container runs as the image's default user, root`;
  }
}

/** What a privilege gives, in words. */
function privilegeReason(p: Privilege, c: ContainerContext): string {
  const s = p.setting;
  switch (p.gives) {
    case 'every-capability':
      return `\`${s.text}\` gives the container every capability of the ${hostWord(c)}`;
    case 'escalation':
      return `\`${s.text}\` lets processes gain more privileges than their parent`;
    case 'capability':
      return s.fact === 'capability' ? `the added capability \`${capabilityName(s.name)}\` (\`${s.text}\`)` : `\`${s.text}\``;
    case 'runtime-socket':
      return `\`${s.text}\` mounts the ${s.fact === 'host-mount' && s.path.endsWith('docker.sock') ? 'Docker' : 'container runtime'} socket (root on the ${hostWord(c)})`;
    case 'host-folder':
      return `\`${s.text}\` mounts the ${hostWord(c)}'s \`${s.fact === 'host-mount' ? s.path : s.text}\``;
    case 'host-namespace':
      return `\`${s.text}\` shares the ${hostWord(c)}'s ${s.fact === 'host-namespace' ? NAMESPACE_WORD[s.namespace] : 'namespaces'}`;
    case 'unconfined':
      return `\`${s.text}\` turns off ${s.fact === 'unconfined' && s.profile === 'apparmor' ? 'AppArmor confinement' : 'system-call filtering'}`;
  }
}

/** Root and privilege evidence of a container, worded, one per setting. */
function evidenceOf(c: ContainerContext): { root: boolean; privileged: boolean; items: { reason: string; span: Span }[] } {
  const k = classifyContainer(c);
  const items: { reason: string; span: Span }[] = [];
  if (k.root) items.push({ reason: rootReason(k.root, c), span: k.root.span });
  const seen = new Set<string>();
  for (const p of k.privileges) {
    // several capabilities of one line (`AmbientCapabilities=A B`) are one piece of evidence
    const key = `${p.span.file}:${p.span.line}:${p.span.column}:${p.span.endColumn}`;
    if (seen.has(key)) continue;
    seen.add(key);
    items.push({ reason: privilegeReason(p, c), span: p.span });
  }
  return { root: !!k.root, privileged: k.privileges.length > 0, items };
}

const BROAD_KINDS = ['write', 'run', 'ffi'] as const;

/** The broad grant of an invocation: allow-all, permissions left out, unscoped write/run/ffi, Node without the permission model. */
function broadGrant(inv: Invocation, sets: Map<string, { span: Span; text: string }>): { span: Span; what: string } | undefined {
  if (inv.implicitAll) {
    // `deno eval` of code that uses no permission: the grant reaches nothing (src/eval-code.ts)
    if (inv.implicitAll.codeNeedsNothing) return undefined;
    if (inv.runtime === 'node') return { span: inv.command.span, what: 'Node without the permission model (`--permission`) grants everything' };
    return { span: inv.command.span, what: `${describe(inv)} runs with every permission (${implicitAllReason(inv.implicitAll)})` };
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
      const ev = evidenceOf(c);
      if (!ev.items.length) continue;
      const grant = broadGrant(inv, sets);
      if (!grant) continue;
      const layer = ev.items.map((e) => e.reason).join('; ');
      const fixUser = ev.root ? 'run as a non-root user (`USER 1000`, `runAsNonRoot: true`)' : 'drop the privileges and host mounts';
      out.push({
        span: grant.span,
        subject: inv,
        message: `${grant.what} to ${describe(inv)}, and its container is not a second line of defence: ${layer}. A compromise of the program owns the container${ev.privileged ? ' and reaches the host' : ' as root'}; narrow the grant and ${fixUser}`,
        related: ev.items.map((e) => ({ span: e.span, message: e.reason })),
      });
    }
    return out;
  },
};
