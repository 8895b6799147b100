import type { Rule, RuleFinding } from '../src/rule-api.js';
import { basename } from '../src/text.js';
import { describe, fullyDenied, ownGrants, subjects } from '../src/rule-util.js';

/** Programs that can re-grant every permission or run arbitrary code. */
export const ESCALATING_PROGRAMS = new Set([
  'deno', 'node', 'bun', 'sh', 'bash', 'zsh', 'dash', 'fish', 'env', 'sudo', 'su', 'doas', 'python', 'python3', 'perl', 'ruby',
  'php', 'npx', 'npm', 'pnpm', 'yarn', 'docker', 'podman', 'kubectl', 'ssh', 'xargs', 'busybox', 'pwsh', 'powershell', 'cmd',
]);

export const subprocessEscalation: Rule = {
  meta: { id: 'subprocess-escalation', level: 'error', severity: 8.8, category: 'grant', confidence: 'high', description: 'Subprocess access that can re-grant everything (unscoped --allow-run, a shell or runtime in the run list, Node --allow-child-process)' },
  check({ model, trusted }) {
    const out: RuleFinding[] = [];
    for (const s of subjects(model)) {
      for (const g of ownGrants(s)) {
        if (g.mode !== 'allow') continue;
        if (g.kind === 'inspector' && s.runtime === 'node') {
          out.push({ span: g.span, subject: s, kind: 'run', message: `\`${g.text}\` lets ${describe(s)} open the inspector, which can run any code outside the permission model; remove it` });
          continue;
        }
        if (g.kind !== 'run' || fullyDenied(s, 'run')) continue;
        if (g.scope === 'all') {
          const msg =
            s.runtime === 'node'
              ? `\`${g.text}\` lets ${describe(s)} start any program, outside Node's permission model (it cannot be scoped); remove it or move the subprocess work out of this process`
              : `\`${g.text}\` lets ${describe(s)} run any program, which escapes every other permission; list the programs it needs (for example \`--allow-run=git\`)`;
          out.push({ span: g.span, subject: s, kind: 'run', message: msg });
          continue;
        }
        for (const v of g.scope) {
          const prog = basename(v.value);
          if (!ESCALATING_PROGRAMS.has(prog) || trusted.programs.includes(v.value)) continue;
          out.push({
            span: v.span,
            subject: s,
            kind: 'run',
            message: `\`${v.value}\` in the run list of ${describe(s)} can run arbitrary code with full access, so this grant is as wide as \`--allow-all\`; allow the specific tools instead`,
          });
        }
      }
    }
    return out;
  },
};
