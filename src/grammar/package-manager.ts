/**
 * The package-manager grammar: what an `npm`, `yarn`, `pnpm` (or `deno install` / `deno add` /
 * `deno ci`) command line does — install from the lockfile or resolve anew, install globally,
 * run a script of package.json, or run a package (`exec`, `dlx`, `npx`-like). Following
 * (`npm run build` runs the `build` script) and `unfrozen-lockfile` both read these facts; neither
 * parses the words itself.
 */
import type { PackageManagerFacts, Token } from '../model.js';

function basename(word: string): string {
  const s = word.replace(/\\/g, '/');
  return s.slice(s.lastIndexOf('/') + 1).replace(/\.(exe|cmd)$/i, '');
}

const YARN_BUILTINS = new Set([
  'install', 'add', 'remove', 'upgrade', 'up', 'init', 'why', 'workspaces', 'dlx', 'exec', 'node', 'config', 'cache', 'info', 'pack', 'publish', 'set', 'plugin',
  'version', 'npm', 'bin', 'constraints', 'link', 'unlink', 'rebuild', 'patch', 'patch-commit', 'explain', 'global', 'login', 'logout', 'audit', 'outdated',
  'import', 'owner', 'team', 'licenses', 'generate-lock-entry', 'check', 'autoclean', 'create', 'tag', 'policies', 'dedupe', 'search', 'stage', 'unplug', 'list', 'help',
]);
const PNPM_BUILTINS = new Set([
  'install', 'i', 'add', 'remove', 'rm', 'uninstall', 'update', 'up', 'upgrade', 'exec', 'dlx', 'create', 'import', 'link', 'ln', 'unlink', 'prune', 'publish',
  'pack', 'store', 'outdated', 'audit', 'list', 'ls', 'll', 'why', 'root', 'bin', 'setup', 'env', 'deploy', 'fetch', 'rebuild', 'rb', 'patch', 'patch-commit',
  'config', 'c', 'init', 'licenses', 'server', 'doctor', 'approve-builds', 'install-test', 'it', 'dedupe', 'recursive', 'self-update', 'help', 'cat-file', 'cat-index', 'find-hash',
]);
const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add']);
const NPM_RUN = new Set(['run', 'run-script', 'rum', 'urn']);
const NPM_LIFECYCLE: Record<string, string> = { start: 'start', test: 'test', t: 'test', tst: 'test', stop: 'stop', restart: 'restart' };
/** Options of the managers that take the next word as their value. */
const VALUE_OPTIONS = new Set(['-w', '--workspace', '--filter', '-F', '--prefix', '-C', '--dir', '--cwd', '--registry', '--cache', '--userconfig', '--loglevel', '--tag', '--reporter']);

/** The package-manager command of a program and its arguments, or undefined when the program is none. */
export function parsePackageManager(program: Token, args: Token[]): PackageManagerFacts | undefined {
  const prog = basename(program.value);
  if (prog === 'deno') return parseDenoInstall(args);
  if (prog !== 'npm' && prog !== 'yarn' && prog !== 'pnpm') return undefined;
  const facts: PackageManagerFacts = { manager: prog, action: 'other', global: false, packages: [] };
  const pos: Token[] = [];
  const posAt: number[] = [];
  let dir: string | undefined;
  let flagsEnd = args.length;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!.value;
    if (w === '--') {
      flagsEnd = i;
      break;
    }
    const eq = w.indexOf('=');
    const name = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : w;
    const value = w.startsWith('--') && eq > 0 ? w.slice(eq + 1) : VALUE_OPTIONS.has(w) ? args[i + 1]?.value : undefined;
    if (VALUE_OPTIONS.has(w) && args[i + 1]) i++;
    if (name === '-w' || name === '--workspace' || name === '--filter' || name === '-F') facts.workspace = value;
    else if (name === '--prefix' || name === '-C' || name === '--dir' || name === '--cwd') dir = value;
    else if (name === '-g' || name === '--global' || (name === '--location' && value === 'global')) facts.global = true;
    else if (name === '--frozen-lockfile' || name === '--immutable') facts.frozen = { value: value !== 'false', span: args[i]!.span, text: w };
    else if (!w.startsWith('-')) {
      pos.push(args[i]!);
      posAt.push(i);
    }
  }
  if (dir !== undefined) facts.dir = dir;
  const [sub, second, third] = pos;
  if (!sub) {
    // `yarn` alone installs
    if (prog === 'yarn') facts.action = 'install';
    return facts;
  }
  facts.subcommand = sub;
  const script = (k: number, name: Token | undefined, workspace?: string) => {
    if (!name) return;
    facts.action = 'run';
    facts.script = { name: name.value, token: name, argIndex: posAt[k] ?? flagsEnd };
    if (workspace !== undefined) facts.workspace = workspace;
  };
  const w = sub.value;
  if (prog === 'npm') {
    if (w === 'ci' || w === 'clean-install' || w === 'install-clean' || w === 'isntall-clean' || w === 'ic') facts.action = 'ci';
    else if (NPM_INSTALL.has(w)) facts.action = 'install';
    else if (NPM_LIFECYCLE[w]) script(0, { ...sub, value: NPM_LIFECYCLE[w]! });
    else if (NPM_RUN.has(w)) script(1, second);
    else if (w === 'exec' || w === 'x') facts.action = 'exec';
  } else if (prog === 'yarn' && w === 'workspace' && second && third) {
    if (third.value === 'run') script(3, pos[3], second.value);
    else script(2, third, second.value);
  } else if (w === 'install' || w === 'i' || (prog === 'yarn' && w === 'global' && second?.value === 'add')) {
    facts.action = 'install';
    if (w === 'global') facts.global = true;
  } else if (w === 'add') facts.action = 'install';
  else if (w === 'run') script(1, second);
  else if (w === 'exec') facts.action = 'exec';
  else if (w === 'dlx') facts.action = 'dlx';
  else if (!(prog === 'yarn' ? YARN_BUILTINS : PNPM_BUILTINS).has(w)) script(0, sub);
  if (facts.action === 'install' || facts.action === 'ci') {
    const first = w === 'global' ? 2 : 1;
    facts.packages = pos.slice(first);
    // pnpm installs with --frozen-lockfile by default where CI is set (GitHub Actions, GitLab, …)
    if (prog === 'pnpm' && facts.packages.length === 0) facts.frozenInCI = true;
  }
  return facts;
}

/** `deno install` / `deno add` / `deno ci`: the Deno package-manager subcommands. */
function parseDenoInstall(args: Token[]): PackageManagerFacts | undefined {
  let i = 0;
  while (i < args.length && args[i]!.value.startsWith('-')) i++;
  const sub = args[i];
  if (!sub || !['install', 'i', 'add', 'ci'].includes(sub.value)) return undefined;
  const facts: PackageManagerFacts = { manager: 'deno', action: sub.value === 'ci' ? 'ci' : 'install', subcommand: sub, global: false, packages: [] };
  for (const a of args.slice(i + 1)) {
    const w = a.value;
    if (w === '-g' || w === '--global' || (/^-[A-Za-z]+$/.test(w) && w.includes('g') && !w.startsWith('--'))) facts.global = true;
    else if (w === '--frozen' || w.startsWith('--frozen=') || w === '--frozen-lockfile' || w.startsWith('--frozen-lockfile=')) {
      facts.frozen = { value: !w.endsWith('=false'), span: a.span, text: w };
    } else if (!w.startsWith('-')) facts.packages.push(a);
  }
  if (facts.action === 'ci') facts.frozen ??= { value: true, span: sub.span, text: sub.value };
  return facts;
}
