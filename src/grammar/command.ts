/**
 * From a simple command (argv words + assignments) to the model: takes wrappers off
 * (`sudo`/`doas`, `env` with assignments and `-S`, `exec`, `nohup`, `time`, `nice`, `ionice`,
 * `timeout`, `xargs`, `cross-env`, `npx`/`pnpx`/`bunx`/`pnpm dlx`/`yarn dlx`/`bun x` of a runtime,
 * runit's `chpst` and daemontools' `setuidgid`, which also say who the program runs as),
 * recognises the runtime and runs its grammar. One entry point for every source.
 * `sh -c '<script>'` is found by `shellCommandString`; src/sources/commands.ts parses the script.
 */
import type { Command, EnvSetting, Invocation, InvocationContext, Origin, Token } from '../model.js';
import { allPermissions } from '../model.js';
import { MappedText, basename } from '../text.js';
import { splitEnvString } from '../shell/index.js';
import { parseDeno, type PermissionSetResolver } from './deno.js';
import { parseNode } from './node.js';
import { parsePackageManager } from './package-manager.js';

export interface CommandSite {
  origin: Origin;
  context: InvocationContext;
  /** Assignments in front of the command (`FOO=1 deno run …`). */
  env: EnvSetting[];
  /** Environment known from the surroundings (Dockerfile ENV, compose environment), applied under `env`. */
  inheritedEnv?: EnvSetting[];
  /** Variables the surrounding text decided (see Command.envDecided). */
  envDecided?: string[];
  /** Identity of the command within its file (task name, script line ordinal, …). */
  id: string;
  resolveSet?: PermissionSetResolver;
}

export interface AnalyzedCommand {
  command: Command;
  invocation?: Invocation;
}

export { basename };

export function runtimeOf(word: string): 'deno' | 'node' | undefined {
  const b = basename(word);
  if (b === 'deno') return 'deno';
  if (b === 'node' || b === 'nodejs') return 'node';
  return undefined;
}

const SUDO_VALUE_OPTS = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir', '--prompt', '--host']);
/** xargs options that take a separate value (GNU, BSD and busybox). */
const XARGS_VALUE_OPTS = new Set(['-n', '-L', '-l', '-I', '-i', '-d', '-P', '-s', '-E', '-e', '-a', '-J', '-R', '-S', '--max-args', '--max-lines', '--replace', '--delimiter', '--max-procs', '--max-chars', '--eof', '--arg-file', '--process-slot-var']);
const SHELL_NAMES = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh']);

/**
 * `sh -c '<script>' [name args…]` (any POSIX shell, `-c` alone or among short options such as
 * `-ec`, `-lc`): the script word, or undefined when argv is not such a command.
 */
export function shellCommandString(argv: Token[]): Token | undefined {
  if (argv.length < 3 || !SHELL_NAMES.has(basename(argv[0]!.value))) return undefined;
  let c = false;
  for (let i = 1; i < argv.length; i++) {
    const v = argv[i]!.value;
    if (v === '-o' || v === '+o' || v === '-O' || v === '+O' || v === '--rcfile' || v === '--init-file') i++;
    else if (v === '--') continue;
    else if (v.startsWith('--')) continue;
    else if (/^[-+][a-zA-Z]+$/.test(v)) c ||= v.startsWith('-') && v.includes('c');
    else return c ? argv[i] : undefined;
  }
  return undefined;
}

/** runit's `chpst` options that take a value (`-u user[:group]`, `-U`, `-e dir`, `-/ root`, limits). */
const CHPST_VALUE_OPTS = new Set(['-u', '-U', '-b', '-e', '-/', '-n', '-l', '-L', '-m', '-d', '-o', '-p', '-f', '-c', '-r', '-t']);

/** Who a wrapper makes the program run as (`chpst -u app`, `setuidgid app`): the user word, where it is written. */
export interface WrapperUser {
  value: string;
  span: Token['span'];
  wrapper: string;
  dynamic?: Token['dynamic'];
}

/** Take wrappers off argv; returns where the real program starts, assignments made by `env`/`cross-env`, and the user `chpst -u` / `setuidgid` switch to. */
export function unwrap(argv: Token[]): { argv: Token[]; env: { name: string; value: Token; span: Token['span'] }[]; user?: WrapperUser; unset?: string[]; clearsEnv?: true } {
  let words = argv;
  const env: { name: string; value: Token; span: Token['span'] }[] = [];
  /** `env -u NAME` / `env -i`: what the program does not inherit. */
  const unset: string[] = [];
  let clearsEnv = false;
  let user: WrapperUser | undefined;
  for (let guard = 0; guard < 16 && words.length > 0; guard++) {
    const w = basename(words[0]!.value);
    let i = 1;
    if (w === 'chpst') {
      // runit: `chpst -u user[:group] [-e dir] … prog`; options may be glued (`-uapp`)
      while (i < words.length && words[i]!.value.startsWith('-') && words[i]!.value.length > 1) {
        const v = words[i]!.value;
        const opt = v.slice(0, 2);
        const glued = v.length > 2 && CHPST_VALUE_OPTS.has(opt);
        if (opt === '-u') {
          const tok = glued ? { ...words[i]!, value: v.slice(2) } : words[i + 1];
          if (tok) user = { value: tok.value, span: tok.span, wrapper: 'chpst -u', ...(tok.dynamic ? { dynamic: tok.dynamic } : {}) };
        }
        i += CHPST_VALUE_OPTS.has(opt) && !glued ? 2 : 1;
      }
    } else if ((w === 'setuidgid' || w === 's6-setuidgid' || w === 'envuidgid') && words.length > 2) {
      if (w !== 'envuidgid') user = { value: words[1]!.value, span: words[1]!.span, wrapper: w, ...(words[1]!.dynamic ? { dynamic: words[1]!.dynamic } : {}) };
      i = 2;
    } else if (w === 'sudo' || w === 'doas') {
      while (i < words.length && words[i]!.value.startsWith('-')) {
        if (words[i]!.value === '--') {
          i++;
          break;
        }
        if (SUDO_VALUE_OPTS.has(words[i]!.value)) i++;
        i++;
      }
    } else if (w === 'env') {
      while (i < words.length) {
        const v = words[i]!.value;
        if (v === '-S' || v === '--split-string' || v.startsWith('-S') || v.startsWith('--split-string=')) {
          // env -S 'deno run -A' main.ts: the string is split into words
          const str = v === '-S' || v === '--split-string' ? words[i + 1] : { ...words[i]!, value: v.replace(/^(-S|--split-string=)/, '') };
          if (!str) break;
          const skip = v === '-S' || v === '--split-string' ? 2 : 1;
          const offset = skip === 1 ? v.length - str.value.length : 0;
          const pieces = splitEnvString(MappedText.ofWord(str, offset));
          words = [...pieces, ...words.slice(i + skip)];
          i = 0;
          break;
        }
        if (v === '-u' || v === '--unset') {
          if (words[i + 1]) unset.push(words[i + 1]!.value);
          i += 2;
        } else if (v === '-C' || v === '--chdir') i += 2;
        else if (v === '-i' || v === '--ignore-environment' || v === '-') {
          clearsEnv = true;
          i++;
        } else if (v.startsWith('--unset=') || (v.startsWith('-u') && !v.startsWith('--'))) {
          unset.push(v.slice(v.startsWith('--') ? 8 : 2));
          i++;
        } else if (v.startsWith('-')) i++;
        else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) {
          env.push(assignment(words[i]!));
          i++;
        } else break;
      }
    } else if (w === 'cross-env' || w === 'cross-env-shell') {
      while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.value)) {
        env.push(assignment(words[i]!));
        i++;
      }
    } else if (w === 'exec') {
      while (i < words.length && words[i]!.value.startsWith('-')) i += words[i]!.value === '-a' ? 2 : 1;
    } else if (w === 'nohup' || w === 'time' || w === 'command' || w === 'builtin' || w === 'stdbuf' || w === 'setsid' || w === 'tini' || w === 'dumb-init') {
      while (i < words.length && words[i]!.value.startsWith('-')) i++;
      if (w === 'tini' && words[i]?.value === '--') i++;
    } else if (w === 'nice') {
      while (i < words.length && words[i]!.value.startsWith('-')) i += words[i]!.value === '-n' ? 2 : 1;
    } else if (w === 'ionice') {
      while (i < words.length && words[i]!.value.startsWith('-')) i += ['-c', '-n', '-p', '-P', '-u', '--class', '--classdata'].includes(words[i]!.value) ? 2 : 1;
    } else if (w === 'xargs') {
      // `… | xargs [options] deno cache`: the command runs with words from stdin appended
      while (i < words.length && words[i]!.value.startsWith('-') && words[i]!.value !== '--') i += XARGS_VALUE_OPTS.has(words[i]!.value) ? 2 : 1;
      if (words[i]?.value === '--') i++;
    } else if (w === 'timeout') {
      while (i < words.length && words[i]!.value.startsWith('-')) i += words[i]!.value === '-s' || words[i]!.value === '-k' ? 2 : 1;
      i++; // the duration
    } else if ((w === 'npx' || w === 'pnpx' || w === 'bunx' || ((w === 'pnpm' || w === 'yarn') && words[1]?.value === 'dlx') || (w === 'bun' && words[1]?.value === 'x')) && words.length > 1) {
      if (w === 'pnpm' || w === 'yarn' || w === 'bun') i = 2;
      while (i < words.length && words[i]!.value.startsWith('-')) i += ['-p', '--package'].includes(words[i]!.value) ? 2 : 1;
      const pkg = words[i]?.value;
      if (pkg !== 'deno' && !pkg?.startsWith('deno@')) break;
      words = [{ ...words[i]!, value: 'deno' }, ...words.slice(i + 1)];
      continue;
    } else break;
    if (i >= words.length) break;
    words = words.slice(i);
  }
  return { argv: words, env, ...(user ? { user } : {}), ...(unset.length ? { unset } : {}), ...(clearsEnv ? { clearsEnv: true as const } : {}) };
}

/** The context a program runs in once a wrapper switched its user: the user setting as written (the container semantics say what it means). */
export function contextWithUser(context: InvocationContext, user: WrapperUser | undefined): InvocationContext {
  if (!user || user.dynamic) return context;
  return { ...context, container: { ...(context.container ?? {}), user: { value: user.value, span: user.span, text: `${user.wrapper} ${user.value}` } } };
}

function assignment(tok: Token): { name: string; value: Token; span: Token['span'] } {
  const eq = tok.value.indexOf('=');
  return { name: tok.value.slice(0, eq), value: { ...tok, value: tok.value.slice(eq + 1) }, span: tok.span };
}

/** Analyse one simple command: the Command record, and an Invocation when it runs deno or node. */
export function analyzeCommand(argv: Token[], site: CommandSite): AnalyzedCommand | undefined {
  const un = unwrap(argv);
  if (un.argv.length === 0) return undefined;
  if (un.unset || un.clearsEnv) {
    // `env -u NODE_OPTIONS node …`, `env -i …`: what the surroundings set does not reach the program
    const gone = (name: string) => !!un.clearsEnv || un.unset!.includes(name);
    const kept = (site.inheritedEnv ?? []).filter((e) => !gone(e.name));
    const decided = [...new Set([...(site.envDecided ?? []), ...(un.clearsEnv ? ['NODE_OPTIONS'] : []), ...(un.unset ?? [])])];
    const { inheritedEnv: _drop, ...rest } = site;
    site = { ...rest, ...(kept.length ? { inheritedEnv: kept } : {}), envDecided: decided, env: site.env.filter((e) => !gone(e.name)) };
  }
  const envHere: EnvSetting[] = [
    ...site.env,
    ...un.env.map((e) => ({ name: e.name, value: e.value, span: e.span, origin: site.origin, context: site.context })),
  ];
  const [program, ...args] = un.argv as [Token, ...Token[]];
  if (un.user) site = { ...site, context: contextWithUser(site.context, un.user) };
  const command: Command = { program, args, env: envHere, origin: site.origin, context: site.context };
  const pm = program.dynamic ? undefined : parsePackageManager(program, args);
  if (pm) command.packageManager = pm;
  if (site.inheritedEnv?.length) command.inheritedEnv = site.inheritedEnv;
  if (site.envDecided?.length) command.envDecided = site.envDecided;
  const runtime = runtimeOf(program.value);
  if (!runtime || program.dynamic) return { command };

  const base: Omit<Invocation, 'runtime' | 'flags' | 'permissions' | 'effective' | 'takesPermissions' | 'programArgs' | 'unresolved' | 'diagnostics'> = {
    type: 'invocation',
    id: site.id,
    command: program,
    argv: args,
    origin: site.origin,
    context: site.context,
  };
  let invocation: Invocation;
  if (runtime === 'deno') {
    const p = parseDeno(args, site.resolveSet);
    invocation = {
      ...base,
      runtime,
      subcommand: p.subcommand,
      flags: p.flags,
      permissions: p.permissions,
      effective: p.effective,
      takesPermissions: p.takesPermissions,
      programArgs: p.programArgs,
      unresolved: p.unresolved,
      diagnostics: p.diagnostics,
    };
    if (p.implicitAll) invocation.implicitAll = p.implicitAll;
    if (p.entrypoint) invocation.entrypoint = p.entrypoint;
    else if (p.subcommand === 'task' && p.positionals[0]) invocation.entrypoint = p.positionals[0];
    if (p.permissionSet) invocation.permissionSet = p.permissionSet;
    if (p.installsGlobally) invocation.installsGlobally = true;
    if (p.subcommand === 'test' || p.subcommand === 'bench') invocation.context = { ...site.context, kind: 'test' };
  } else {
    invocation = { ...base, runtime, flags: [], permissions: [], effective: allPermissions(), takesPermissions: true, programArgs: [], unresolved: [], diagnostics: [] };
    applyNodeGrammar(invocation, [...(site.inheritedEnv ?? []), ...envHere]);
    if (invocation.node?.testRunner) invocation.context = { ...site.context, kind: 'test' };
  }
  if (envHere.length) invocation.env = envHere;
  command.invocationId = invocation.id;
  return { command, invocation };
}

/** What a runtime grammar read of an invocation's argv, written onto it (a re-read replaces the first reading). */
export function setGrammarReading(inv: Invocation, p: Pick<Invocation, 'flags' | 'permissions' | 'effective' | 'programArgs' | 'unresolved' | 'diagnostics'>): void {
  inv.flags = p.flags;
  inv.permissions = p.permissions;
  inv.effective = p.effective;
  inv.programArgs = p.programArgs;
  inv.unresolved = p.unresolved;
  inv.diagnostics = p.diagnostics;
}

/**
 * The words of a NODE_OPTIONS value. When the value is not known statically (`"$EXTRA"`, a value
 * that depends on a branch of the script), the words holding the unknown part say so: the Node
 * grammar lists them as unresolved instead of reading `$EXTRA` as a literal word.
 */
function nodeOptionWords(value: Token): Token[] {
  const words = splitEnvString(MappedText.ofWord(value));
  const reason = value.dynamic;
  if (!reason) return words;
  const unknown = words.filter((w) => /[$`…]/.test(w.value));
  const marked = new Set(unknown.length ? unknown : words);
  return words.map((w) => (marked.has(w) ? { ...w, dynamic: reason } : w));
}

/**
 * (Re)read a Node invocation's argv with the NODE_OPTIONS of `env` (the environment it runs in):
 * at analysis time, and again when a deployment file that sets NODE_OPTIONS turns out to run it.
 */
export function applyNodeGrammar(inv: Invocation, env: EnvSetting[]): void {
  // the last setting is the one the process gets (`env NODE_OPTIONS=… node` over an exported value)
  const setting = env.filter((e) => e.name === 'NODE_OPTIONS').pop();
  const nodeOptions = setting ? nodeOptionWords(setting.value) : [];
  const version = inv.context.runtimeVersion?.value;
  const p = parseNode(inv.argv, nodeOptions, version ? { version } : {});
  setGrammarReading(inv, p);
  inv.node = p.enabled ? { enabled: p.enabled } : {};
  if (p.testRunner) inv.node.testRunner = p.testRunner;
  if (p.implicitAll) inv.implicitAll = p.implicitAll;
  else delete inv.implicitAll;
  if (p.entrypoint) inv.entrypoint = p.entrypoint;
}
