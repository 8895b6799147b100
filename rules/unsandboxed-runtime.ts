import type { Rule, RuleFinding } from '../src/rule-api.js';
import { basename } from '../src/text.js';

/** Programs that run code outside Deno's sandbox when a deno.json task starts them. */
const RUNTIMES = new Set(['node', 'nodejs', 'bun', 'python', 'python3', 'ruby', 'perl', 'php', 'npx', 'tsx', 'ts-node']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish']);
const DLX: Record<string, string> = { npm: 'exec', pnpm: 'dlx', yarn: 'dlx' };

export const unsandboxedRuntime: Rule = {
  meta: {
    id: 'unsandboxed-runtime',
    level: 'error',
    severity: 7.0,
    category: 'other', confidence: 'high',
    description: 'Permissions declared where no runtime enforces them (a deno.json task running node, python or a shell script)',
  },
  check({ model }) {
    const out: RuleFinding[] = [];
    for (const d of model.declarations) {
      const ns = d.netscript;
      if (d.declaration !== 'netscript-task' || !ns?.permissionsCall || ns.runtime === undefined || ns.runtime === 'deno') continue;
      out.push({
        span: ns.permissionsCall,
        subject: d,
        message: `NetScript task \`${d.name}\` runs with \`.runtime('${ns.runtime}')\`, which ignores \`.permissions(…)\`: only the \`deno\` runtime applies them, so the task runs with all the rights of the worker process; use \`.runtime('deno')\`, or restrict the process another way (container, OS user)`,
      });
    }
    const seen = new Set<string>();
    for (const c of model.commands) {
      if (c.origin.source !== 'deno.json') continue;
      const prog = basename(c.program.value);
      const first = c.args[0]?.value;
      let what: string | undefined;
      if (RUNTIMES.has(prog)) what = `\`${prog}\``;
      else if (SHELLS.has(prog) && first && !first.startsWith('-')) what = `\`${prog} ${first}\``;
      else if (DLX[prog] && first === DLX[prog]) what = `\`${prog} ${first}\``;
      if (!what) continue;
      // one finding per cause: `bun install && bun test` in one task is one task running bun
      const key = `${c.origin.file}\u0000${c.origin.name ?? c.origin.span.line}\u0000${what}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        span: c.program.span,
        context: c.context.kind,
        message: `task \`${c.origin.name ?? ''}\` in ${c.origin.file} runs ${what}, which runs outside Deno's permission sandbox with the full rights of the user; run the code with \`deno run\` and explicit permissions, or move the task to package.json`,
      });
    }
    return out;
  },
};
