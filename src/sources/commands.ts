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
import { parseShell, type FlowFrame, type ShellAssign, type ShellCommand, type ShellOptions, type ShellParseResult } from '../shell/index.js';
import { MappedText } from '../text.js';
import type { ScanContext } from './types.js';

export interface ShellSite {
  origin: Origin;
  context: InvocationContext;
  /** Identity prefix for invocations found in this text (`deno.json#task:start`). */
  id: string;
  shell?: ShellOptions;
  inheritedEnv?: EnvSetting[];
  /** Variables the text around decided (see Command.envDecided): what runs it does not set them. */
  envDecided?: string[];
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
      ...(parsed.error.parser !== undefined ? { detail: parsed.error.parser } : {}),
      ...(parsed.error.tooDeep ? { tooDeep: parsed.error.tooDeep } : {}),
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
  runScript(parsed, site, (c, here, env) => {
    addArgv(c.argv, here, ctx, env, depth);
  }, (a) => assignSettings.get(a)!, (envs) => ctx.model.env.push(...envs));
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
    // `env -u NAME sh -c …` / `env -i sh -c …`: the script does not get what was set around it
    const gone = (name: string) => !!un.clearsEnv || !!un.unset?.includes(name);
    const inherited = [...(site.inheritedEnv ?? []), ...env, ...wrapperEnv].filter((e) => wrapperEnv.includes(e) || !gone(e.name));
    const decided = [...new Set([...(site.envDecided ?? []), ...(un.clearsEnv ? ['NODE_OPTIONS'] : []), ...(un.unset ?? [])])];
    const { inheritedEnv: _i, envDecided: _d, ...rest } = site;
    addShellText(
      tokenText(script),
      { ...rest, context: contextWithUser(site.context, un.user), ...(inherited.length ? { inheritedEnv: inherited } : {}), ...(decided.length ? { envDecided: decided } : {}) },
      ctx,
      depth + 1,
    );
    return;
  }
  const analyzed = analyzeCommand(argv, {
    origin: site.origin,
    context: site.context,
    env,
    ...(site.inheritedEnv ? { inheritedEnv: site.inheritedEnv } : {}),
    ...(site.envDecided ? { envDecided: site.envDecided } : {}),
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

/** A tracked variable as the shell holds it at one point of a script. */
interface VarState {
  /** Its value (absent: unset). */
  value?: EnvSetting;
  exported: boolean;
  /** Inherited from whatever runs the text, and not touched by the text since. */
  outside?: true;
  /** Its value or whether it is exported depends on a branch or loop not known statically (at this line). */
  unknown?: number;
}
type EnvState = Map<string, VarState>;
const UNSET: VarState = { exported: false };

function sameVar(a: VarState, b: VarState): boolean {
  // two assignments of the same text give the same environment
  const same = a.value === b.value || (!!a.value && !!b.value && a.value.value.value === b.value.value.value && !a.value.value.dynamic && !b.value.value.dynamic);
  return same && a.exported === b.exported && !!a.outside === !!b.outside && a.unknown === undefined && b.unknown === undefined;
}

/** The state after one of `states` happened (which one is not known): what they disagree on is unknown. */
function mergeStates(states: EnvState[], line: number): EnvState {
  const out: EnvState = new Map(states[0]);
  const names = new Set(states.flatMap((s) => [...s.keys()]));
  for (const name of names) {
    const vs = states.map((s) => s.get(name) ?? UNSET);
    const first = vs[0]!;
    if (vs.some((v) => v.unknown !== undefined)) out.set(name, { exported: false, unknown: vs.find((v) => v.unknown !== undefined)!.unknown! });
    else if (vs.every((v) => sameVar(v, first))) out.set(name, first);
    else out.set(name, { exported: false, unknown: line });
  }
  return out;
}

type ScriptEvent =
  | { kind: 'assign'; at: Span; flow?: FlowFrame[]; a: ShellAssign }
  | { kind: 'export'; at: Span; flow?: FlowFrame[]; name: string }
  | { kind: 'cmd'; at: Span; flow?: FlowFrame[]; c: ShellCommand };

/** The state key of `set -a` (allexport): `exported` says whether it is on. */
const ALLEXPORT = '\0allexport';

/** What `set …` does to allexport (`-a`, `-ea`, `-o allexport`; `+a`, `+o allexport`), or undefined. */
function allexportOf(args: string[]): boolean | undefined {
  let on: boolean | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '--' || w === '-' || !/^[-+]/.test(w)) break;
    if (!/^[-+][A-Za-z]+$/.test(w)) continue;
    if (w.slice(1).includes('a')) on = w[0] === '-';
    // `-o NAME` (also at the end of a cluster: `-eo allexport`)
    if (w.endsWith('o')) {
      if (args[i + 1] === 'allexport') on = w[0] === '-';
      i++;
    }
  }
  return on;
}

/** How deep function calls are followed (a function calling itself is not followed again). */
const MAX_CALL_DEPTH = 8;

/**
 * Runs a parsed script as sh would for the variables in ENV_TRACKED (checked with dash as
 * /bin/sh and the real Node 20/22/24): `export`, assignments, `unset`, in order; what a subshell,
 * a pipeline element, a background job or a command substitution changes stays inside it; `{ …; }`
 * groups, `&&` / `||` and `if` change the script's own environment, and a function body runs where
 * the function is called (with `X=… f` exported for the call only). Where the value depends on a
 * branch or loop whose outcome is not known statically, the commands after it get a value marked
 * as not known (never a guess). `emit` is called for each command with the site it runs in;
 * function calls are followed instead of emitted, and a function never called is read once with
 * the environment where it is defined.
 */
function runScript(
  parsed: ShellParseResult,
  site: ShellSite,
  emit: (c: ShellCommand, here: ShellSite, env: EnvSetting[]) => void,
  settingOfAssign: (a: ShellAssign) => EnvSetting,
  recordEnv: (env: EnvSetting[]) => void,
): void {
  const events: ScriptEvent[] = [
    ...parsed.assignments.map((a): ScriptEvent => ({ kind: 'assign', at: a.span, ...(a.flow ? { flow: a.flow } : {}), a })),
    ...parsed.exports.map((x): ScriptEvent => ({ kind: 'export', at: x.span, ...(x.flow ? { flow: x.flow } : {}), name: x.name })),
    ...parsed.commands.map((c): ScriptEvent => ({ kind: 'cmd', at: c.span, ...(c.flow ? { flow: c.flow } : {}), c })),
  ].sort((x, y) => x.at.line - y.at.line || x.at.column - y.at.column);

  // names each loop changes (a later round sees them changed); a call of a function may change any
  const functionNames = new Set(events.flatMap((e) => (e.flow ?? []).flatMap((f) => (f.kind === 'function' ? [f.name] : []))));
  const loopChanges = new Map<string, Set<string>>();
  for (const e of events) {
    const loops = (e.flow ?? []).filter((f) => f.kind === 'loop');
    if (!loops.length) continue;
    const program = e.kind === 'cmd' ? (e.c.argv[0]?.value ?? '') : '';
    const names =
      e.kind === 'assign'
        ? [e.a.name]
        : e.kind === 'export'
          ? [e.name]
          : program === 'unset'
            ? e.c.argv.slice(1).map((w) => w.value)
            : program === 'set'
              ? [ALLEXPORT]
              : functionNames.has(program)
                ? [...ENV_TRACKED, ALLEXPORT]
                : [];
    for (const l of loops) {
      let set = loopChanges.get(l.id);
      if (!set) loopChanges.set(l.id, (set = new Set()));
      for (const n of names) if (ENV_TRACKED.has(n) || n === ALLEXPORT) set.add(n);
    }
  }

  // what is not decided yet is whatever runs the text gives it (the link phase may know: a Dockerfile ENV)
  const initial: EnvState = new Map([...ENV_TRACKED].map((name) => [name, { exported: false, outside: true }]));
  for (const name of site.envDecided ?? []) if (ENV_TRACKED.has(name)) initial.set(name, UNSET);
  for (const e of site.inheritedEnv ?? []) {
    if (!ENV_TRACKED.has(e.name)) continue;
    initial.set(e.name, site.envDecided?.includes(e.name) ? { value: e, exported: true } : { value: e, exported: true, outside: true });
  }

  const funcs = new Map<string, { id: string; events: ScriptEvent[]; depth: number; defined: EnvState; called: boolean }>();
  const single = parsed.commands.length === 1 && !events.some((e) => e.flow?.some((f) => f.kind === 'function'));
  let n = 0;
  const recorded = new Set<ShellCommand>();
  const prefixSettings = new Map<ShellAssign, EnvSetting>();
  const prefixOf = (a: ShellAssign) => {
    let e = prefixSettings.get(a);
    if (!e) prefixSettings.set(a, (e = { name: a.name, value: a.value, span: a.span, origin: site.origin, context: site.context }));
    return e;
  };
  /** Commands already emitted from a function body, by the environment they were emitted with. */
  const emitted = new Map<ShellCommand, Set<string>>();
  const settingIds = new WeakMap<EnvSetting, number>();
  let nextId = 0;
  const idOf = (e: EnvSetting) => {
    let id = settingIds.get(e);
    if (id === undefined) settingIds.set(e, (id = nextId++));
    return id;
  };

  // what every command of the text starts from (once per text, not per command)
  const untracked = (site.inheritedEnv ?? []).filter((e) => !ENV_TRACKED.has(e.name));
  const { inheritedEnv: _i, envDecided: _d, ...rest } = site;
  const runCommand = (c: ShellCommand, st: EnvState, inFunction: boolean) => {
    const env = c.assigns.map(prefixOf);
    if (!recorded.has(c)) {
      recorded.add(c);
      recordEnv(env);
    }
    const inherited = untracked.slice();
    const decided: string[] = [];
    const unknownKey: string[] = [];
    for (const [name, v] of st) {
      if (name === ALLEXPORT) continue;
      if (env.some((x) => x.name === name)) continue; // `X=… cmd`: the command's own value
      if (v.outside) {
        if (v.value) inherited.push(v.value);
        continue;
      }
      decided.push(name);
      if (v.unknown !== undefined) {
        const at = c.argv[0]?.span ?? c.span;
        inherited.push({
          name,
          value: { value: `$${name}`, span: at, dynamic: [{ kind: 'script-branch', name, line: v.unknown }] },
          span: at,
          origin: site.origin,
          context: site.context,
        });
        unknownKey.push(`${name}?${v.unknown}`);
      } else if (v.exported && v.value) inherited.push(v.value);
    }
    if (inFunction) {
      const key = [...inherited.filter((e) => !e.value.dynamic || !unknownKey.length).map(idOf), ...unknownKey].join(',');
      let seen = emitted.get(c);
      if (!seen) emitted.set(c, (seen = new Set()));
      if (seen.has(key)) return;
      seen.add(key);
    }
    const id = single ? site.id : `${site.id}#${++n}`;
    const here: ShellSite = { ...rest, id, ...(inherited.length ? { inheritedEnv: inherited } : {}), ...(decided.length ? { envDecided: decided } : {}) };
    emit(c, here, env);
  };

  const exec = (list: ScriptEvent[], base: number, start: EnvState, calls: string[]): EnvState => {
    let st = start;
    const clone = () => new Map(st);
    type Group = { base: EnvState; results: EnvState[]; seen: Set<number>; arms: number; exhaustive: boolean; line: number };
    const stack: { f: FlowFrame; save?: EnvState; group?: Group; line: number }[] = [];
    let pending: { id: string; depth: number; group: Group } | undefined;
    const finalize = () => {
      if (!pending) return;
      const g = pending.group;
      pending = undefined;
      const states = [...g.results];
      if (!g.exhaustive || g.seen.size < g.arms) states.push(g.base);
      st = mergeStates(states, g.line);
    };
    const pop = () => {
      if (pending && pending.depth >= stack.length) finalize();
      const top = stack.pop()!;
      if (top.f.kind === 'subshell' || top.f.kind === 'never') st = top.save!;
      else if (top.f.kind === 'loop') st = mergeStates([top.save!, st], top.line);
      else if (top.f.kind === 'arm') {
        top.group!.results.push(st);
        pending = { id: top.f.id, depth: stack.length, group: top.group! };
      }
    };
    const push = (f: FlowFrame, line: number) => {
      if (f.kind === 'arm' && pending && pending.id === f.id && pending.depth === stack.length) {
        const g = pending.group;
        pending = undefined;
        st = new Map(g.base);
        g.seen.add(f.arm);
        stack.push({ f, group: g, line });
        return;
      }
      finalize();
      if (f.kind === 'arm') {
        const g: Group = { base: clone(), results: [], seen: new Set([f.arm]), arms: f.arms, exhaustive: f.exhaustive, line };
        stack.push({ f, group: g, line });
      } else if (f.kind === 'loop') {
        const save = clone();
        for (const name of loopChanges.get(f.id) ?? []) st.set(name, { exported: false, unknown: line });
        stack.push({ f, save, line });
      } else stack.push({ f, save: clone(), line });
    };
    const same = (a: FlowFrame, b: FlowFrame) => a.id === b.id && (a.kind !== 'arm' || (b.kind === 'arm' && a.arm === b.arm));
    const sync = (path: FlowFrame[], line: number) => {
      let k = 0;
      while (k < stack.length && k < path.length && same(stack[k]!.f, path[k]!)) k++;
      while (stack.length > k) pop();
      for (let i = k; i < path.length; i++) push(path[i]!, line);
      if (path.length === k) finalize();
    };

    for (const e of list) {
      const path = (e.flow ?? []).slice(base);
      const fi = path.findIndex((f) => f.kind === 'function');
      if (fi >= 0) {
        // a function's body: it runs where the function is called
        sync(path.slice(0, fi), e.at.line);
        const f = path[fi] as Extract<FlowFrame, { kind: 'function' }>;
        const known = funcs.get(f.name);
        if (known?.id === f.id) known.events.push(e);
        else funcs.set(f.name, { id: f.id, events: [e], depth: base + fi + 1, defined: clone(), called: false });
        continue;
      }
      sync(path, e.at.line);
      if (e.kind === 'assign') {
        if (!ENV_TRACKED.has(e.a.name)) continue;
        const cur = st.get(e.a.name) ?? UNSET;
        const value = settingOfAssign(e.a);
        // `set -a`: every assignment is exported
        const all = st.get(ALLEXPORT);
        if (e.a.exported || (cur.unknown === undefined && cur.exported) || (all?.unknown === undefined && all?.exported)) st.set(e.a.name, { value, exported: true });
        else if (cur.unknown !== undefined) st.set(e.a.name, { exported: false, unknown: cur.unknown });
        else if (all?.unknown !== undefined) st.set(e.a.name, { exported: false, unknown: all.unknown });
        else st.set(e.a.name, { value, exported: false });
      } else if (e.kind === 'export') {
        if (!ENV_TRACKED.has(e.name)) continue;
        const cur = st.get(e.name) ?? UNSET;
        // a variable from the environment is exported already: `export NAME` changes nothing
        if (cur.unknown === undefined && !cur.outside) st.set(e.name, cur.value ? { value: cur.value, exported: true } : { exported: true });
      } else {
        const c = e.c;
        const name = c.argv[0]?.value ?? '';
        const fn = c.argv[0]?.dynamic ? undefined : funcs.get(name);
        if (fn && !calls.includes(name) && calls.length < MAX_CALL_DEPTH) {
          // `f`: the body runs here, in this shell; `X=… f` exports X for the call only
          fn.called = true;
          const env = c.assigns.map(prefixOf);
          if (!recorded.has(c)) {
            recorded.add(c);
            recordEnv(env);
          }
          const saved = new Map<string, VarState | undefined>();
          for (const a of env) {
            if (!ENV_TRACKED.has(a.name)) continue;
            if (!saved.has(a.name)) saved.set(a.name, st.get(a.name));
            st.set(a.name, { value: a, exported: true });
          }
          st = exec(fn.events, fn.depth, st, [...calls, name]);
          for (const [k, v] of saved) {
            if (v) st.set(k, v);
            else st.delete(k);
          }
          continue;
        }
        runCommand(c, st, calls.length > 0);
        if (name === 'set') {
          const on = allexportOf(c.argv.slice(1).map((w) => w.value));
          if (on !== undefined) st.set(ALLEXPORT, { exported: on });
        }
        if (name === 'unset' && !c.argv.some((w) => w.value === '-f')) {
          for (const w of c.argv.slice(1)) if (ENV_TRACKED.has(w.value)) st.set(w.value, UNSET);
        }
      }
    }
    while (stack.length) pop();
    finalize();
    return st;
  };

  exec(events, 0, initial, []);
  // a function nobody calls: its commands as they would run where it is defined
  for (const [name, f] of funcs) if (!f.called) exec(f.events, f.depth, new Map(f.defined), [name]);
}
