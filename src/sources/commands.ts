/**
 * Shared by every source that holds shell text (deno.json tasks, package.json scripts, shell
 * scripts, and later Dockerfile RUN, workflow `run:` blocks, Makefile recipes): parse the text,
 * analyse each simple command, add commands, invocations and assignments to the model.
 */
import type { InvocationContext, Origin, EnvSetting } from '../model.js';
import { analyzeCommand } from '../grammar/command.js';
import { parseShell, type ShellOptions } from '../shell/index.js';
import type { MappedText } from '../text.js';
import type { ScanContext } from './types.js';

export interface ShellSite {
  origin: Origin;
  context: InvocationContext;
  /** Identity prefix for invocations found in this text (`deno.json#task:start`). */
  id: string;
  shell?: ShellOptions;
  inheritedEnv?: EnvSetting[];
}

/** Returns false when the text could not be parsed (a parse-error problem was recorded). */
export function addShellText(text: MappedText, site: ShellSite, ctx: ScanContext): boolean {
  const parsed = parseShell(text, site.shell ?? {});
  if (parsed.error) {
    ctx.model.problems.push({
      file: site.origin.file,
      span: parsed.error.span,
      message: `cannot parse the shell command${site.origin.name ? ` of \`${site.origin.name}\`` : ''}: ${parsed.error.message}`,
      source: site.origin.source,
    });
    return false;
  }
  for (const a of parsed.assignments) {
    ctx.model.env.push({ name: a.name, value: a.value, span: a.span, origin: site.origin, context: site.context });
  }
  let n = 0;
  for (const c of parsed.commands) {
    const env: EnvSetting[] = c.assigns.map((a) => ({ name: a.name, value: a.value, span: a.span, origin: site.origin, context: site.context }));
    ctx.model.env.push(...env);
    const id = parsed.commands.length === 1 ? site.id : `${site.id}#${++n}`;
    const analyzed = analyzeCommand(c.argv, {
      origin: site.origin,
      context: site.context,
      env,
      ...(site.inheritedEnv ? { inheritedEnv: site.inheritedEnv } : {}),
      id,
      resolveSet: ctx.resolverFor(site.context.cwd ?? ''),
    });
    if (!analyzed) continue;
    ctx.model.commands.push(analyzed.command);
    // assignments made by `env X=1` / `cross-env X=1` wrappers
    ctx.model.env.push(...analyzed.command.env.filter((e) => !env.includes(e)));
    if (analyzed.invocation) {
      if (analyzed.invocation.command.dynamic) continue;
      ctx.model.invocations.push(analyzed.invocation);
    } else if (analyzed.command.program.dynamic) {
      ctx.model.unresolved.push({
        span: analyzed.command.program.span,
        message: `the program \`${analyzed.command.program.value}\` is not known statically (${analyzed.command.program.dynamic})`,
        origin: site.origin,
      });
    }
  }
  return true;
}
