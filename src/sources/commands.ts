/**
 * Shared by every source that holds commands: shell text (deno.json tasks, package.json
 * scripts, shell scripts, Dockerfile RUN, workflow `run:` blocks, Makefile recipes) through
 * `addShellText`, and argv lists (exec forms, container `command`/`args`, systemd `ExecStart`)
 * through `addArgv`. Each simple command is analysed (wrappers taken off, runtime grammar run)
 * and its command, invocation and assignments are added to the model. `sh -c '<script>'` and
 * `bash -c …` are seen through: the script is parsed as shell, with spans inside the string.
 */
import type { InvocationContext, Origin, EnvSetting, Model, Span, Token } from '../model.js';
import { analyzeCommand, contextWithUser, shellCommandString, unwrap } from '../grammar/command.js';
import { parseShell, type ShellOptions } from '../shell/index.js';
import { MappedText } from '../text.js';
import type { ScanContext } from './types.js';

export interface ShellSite {
  origin: Origin;
  context: InvocationContext;
  /** Identity prefix for invocations found in this text (`deno.json#task:start`). */
  id: string;
  shell?: ShellOptions;
  inheritedEnv?: EnvSetting[];
}

/** Variables whose export a script's later commands inherit, as far as the grammars read them. */
const ENV_TRACKED = new Set(['NODE_OPTIONS']);

/** How deep `sh -c "bash -c '…'"` is followed. */
const MAX_NESTING = 4;

/**
 * Simple commands and assignments read per file. Each costs about 0.5–1.5 KB of model (tokens
 * with spans, the command, its context), and a 2 MiB file can hold a million of them (`a;a;…`):
 * past this budget the rest of the file is not read and one `parse-error` says so (an error,
 * so a grant hidden behind a wall of commands still fails the run). Real files stay far below:
 * a long configure script has a few tens of thousands.
 */
export const MAX_COMMANDS_PER_FILE = 100_000;

const commandBudgets = new WeakMap<Model, Map<string, { left: number; reported: boolean }>>();
function budgetOf(ctx: ScanContext, file: string): { left: number; reported: boolean } {
  let perFile = commandBudgets.get(ctx.model);
  if (!perFile) commandBudgets.set(ctx.model, (perFile = new Map()));
  let b = perFile.get(file);
  if (!b) perFile.set(file, (b = { left: MAX_COMMANDS_PER_FILE, reported: false }));
  return b;
}

/**
 * The command budget of `origin.file` is spent: records the parse-error (once per file, at
 * `span`, where reading stops) and returns true, so a source can stop reading the file.
 */
export function commandBudgetSpent(ctx: ScanContext, origin: Origin, span: Span): boolean {
  const b = budgetOf(ctx, origin.file);
  if (b.left > 0) return false;
  b.left = 0;
  if (!b.reported) {
    b.reported = true;
    ctx.model.problems.push({
      file: origin.file,
      span,
      code: 'command-budget',
      limit: MAX_COMMANDS_PER_FILE,
      source: origin.source,
    });
  }
  return true;
}

/** Returns false when the text could not be parsed (a parse-error problem was recorded). */
export function addShellText(text: MappedText, site: ShellSite, ctx: ScanContext, depth = 0): boolean {
  if (commandBudgetSpent(ctx, site.origin, text.span(0, Math.min(1, text.text.length)))) return true;
  const budget = budgetOf(ctx, site.origin.file);
  const parsed = parseShell(text, { ...site.shell, maxCommands: budget.left });
  budget.left -= parsed.assignments.length;
  if (parsed.error) {
    ctx.model.problems.push({
      file: site.origin.file,
      span: parsed.error.span,
      code: 'shell-syntax',
      detail: parsed.error.message,
      ...(site.origin.name ? { name: site.origin.name } : {}),
      ...(depth ? { nested: true } : {}),
      source: site.origin.source,
    });
    return false;
  }
  const settingOf = (a: { name: string; value: Token; span: Span }): EnvSetting => ({ name: a.name, value: a.value, span: a.span, origin: site.origin, context: site.context });
  const assignSettings = new Map<object, EnvSetting>();
  for (const a of parsed.assignments) {
    const e = settingOf(a);
    assignSettings.set(a, e);
    ctx.model.env.push(e);
  }
  // The environment later commands inherit: `export X=…`, `X=…` then `export X`, a new value of an
  // exported variable, `unset X`, in the order they are written (the runtimes' grammars read
  // NODE_OPTIONS from it).
  const events = [
    ...parsed.assignments.map((a) => ({ at: a.span, run: () => assigned(a) })),
    ...parsed.exports.map((x) => ({ at: x.span, run: () => exportName(x.name) })),
  ].sort((x, y) => x.at.line - y.at.line || x.at.column - y.at.column);
  const exported = new Map<string, EnvSetting | undefined>();
  const shellValues = new Map<string, EnvSetting>();
  /** Names a statement of this text exported or unset: the value inherited from outside no longer applies. */
  const overridden = new Set<string>();
  for (const e of site.inheritedEnv ?? []) if (ENV_TRACKED.has(e.name)) exported.set(e.name, e);
  const assigned = (a: (typeof parsed.assignments)[number]) => {
    if (!ENV_TRACKED.has(a.name)) return;
    const e = assignSettings.get(a)!;
    shellValues.set(a.name, e);
    if (a.exported || exported.has(a.name)) {
      exported.set(a.name, e);
      overridden.add(a.name);
    }
  };
  const exportName = (name: string) => {
    if (!ENV_TRACKED.has(name)) return;
    exported.set(name, shellValues.get(name) ?? exported.get(name));
    overridden.add(name);
  };
  let next = 0;
  const upTo = (span: Span) => {
    while (next < events.length && (events[next]!.at.line < span.line || (events[next]!.at.line === span.line && events[next]!.at.column < span.column))) events[next++]!.run();
  };
  let n = 0;
  for (const c of parsed.commands) {
    upTo(c.span);
    const env: EnvSetting[] = c.assigns.map(settingOf);
    ctx.model.env.push(...env);
    const id = parsed.commands.length === 1 ? site.id : `${site.id}#${++n}`;
    let here: ShellSite = { ...site, id };
    if (overridden.size) {
      // what this text exported replaces what came from outside; a prefix assignment (`X=1 cmd`) replaces both
      const outer = (site.inheritedEnv ?? []).filter((e) => !overridden.has(e.name));
      const fromText = [...exported.entries()].filter(([name, e]) => overridden.has(name) && e && !env.some((x) => x.name === name)).map(([, e]) => e!);
      const inherited = [...outer, ...fromText];
      const { inheritedEnv: _drop, ...rest } = here;
      here = inherited.length ? { ...rest, inheritedEnv: inherited } : rest;
    }
    addArgv(c.argv, here, ctx, env, depth);
    if (c.argv[0]?.value === 'unset') {
      for (const w of c.argv.slice(1)) {
        if (w.value.startsWith('-') || !ENV_TRACKED.has(w.value)) continue;
        exported.delete(w.value);
        shellValues.delete(w.value);
        overridden.add(w.value);
      }
    }
  }
  if (parsed.truncated) {
    budget.left = 0;
    commandBudgetSpent(ctx, site.origin, parsed.truncated);
  }
  return true;
}

/** One argv (a simple command or an exec-form list): its command, invocation and wrapper assignments. */
export function addArgv(argv: Token[], site: ShellSite, ctx: ScanContext, env: EnvSetting[] = [], depth = 0): void {
  if (argv[0] && commandBudgetSpent(ctx, site.origin, argv[0].span)) return;
  budgetOf(ctx, site.origin.file).left--;
  const script = depth < MAX_NESTING ? shellCommandString(unwrap(argv).argv) : undefined;
  if (script && !script.dynamic) {
    // `sh -c 'deno run -A main.ts'`: the string is a script of its own; assignments in front and
    // made by wrappers (`env X=1 sh -c …`) reach what it runs
    const un = unwrap(argv);
    const wrapperEnv: EnvSetting[] = un.env.map((e) => ({ name: e.name, value: e.value, span: e.span, origin: site.origin, context: site.context }));
    ctx.model.env.push(...wrapperEnv);
    const inherited = [...(site.inheritedEnv ?? []), ...env, ...wrapperEnv];
    addShellText(tokenText(script), { ...site, context: contextWithUser(site.context, un.user), ...(inherited.length ? { inheritedEnv: inherited } : {}) }, ctx, depth + 1);
    return;
  }
  const analyzed = analyzeCommand(argv, {
    origin: site.origin,
    context: site.context,
    env,
    ...(site.inheritedEnv ? { inheritedEnv: site.inheritedEnv } : {}),
    id: site.id,
    resolveSet: ctx.resolverFor(site.context.cwd ?? ''),
  });
  if (!analyzed) return;
  ctx.model.commands.push(analyzed.command);
  // assignments made by `env X=1` / `cross-env X=1` wrappers
  ctx.model.env.push(...analyzed.command.env.filter((e) => !env.includes(e)));
  if (analyzed.invocation) {
    if (analyzed.invocation.command.dynamic) return;
    ctx.model.invocations.push(analyzed.invocation);
  } else if (analyzed.command.program.dynamic && analyzed.command.args.some((a) => PERMISSION_LIKE.test(a.value))) {
    // an unknown program matters only when it is handed permission flags (`$RUNTIME --allow-net x.ts`);
    // `$(MAKE) -C sub` or `$RUNTIME main.ts` grant nothing permlint could read either way
    ctx.model.unresolved.push({
      span: analyzed.command.program.span,
      code: 'dynamic-program-with-flags',
      program: analyzed.command.program.value,
      dynamic: analyzed.command.program.dynamic,
      origin: site.origin,
      context: site.context.kind,
    });
  }
}

/** A word that grants or scopes permissions for Deno or Node. */
const PERMISSION_LIKE = /^(?:--(?:allow|deny|ignore)-[a-z-]+(?:=.*)?|-[ARWNESI](?:=.*)?|-P(?:=.*)?|--permission(?:-set)?(?:=.*)?|--experimental-permission|--unsafely-ignore-certificate-errors(?:=.*)?)$/;

/**
 * The text of a word with positions in the file: exact when the word is written on one line as
 * its value, or as its value in one pair of quotes (`"deno run -A main.ts"`, `'…'`); otherwise
 * every position falls inside the word.
 */
export function tokenText(tok: Token): MappedText {
  return MappedText.ofWord(tok);
}
