/**
 * The permission model: plain data that sources emit and rules read.
 *
 * Positions are 1-based; `endColumn` is exclusive (the column after the last character),
 * as in SARIF regions. Offsets are 0-based UTF-16 indexes into the file's text.
 */

export interface Span {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type SourceKind =
  | 'deno.json'
  | 'package.json'
  | 'shell'
  | 'shebang'
  | 'dockerfile'
  | 'kubernetes'
  | 'compose'
  | 'github-actions'
  | 'makefile'
  | 'systemd'
  | 'typescript'
  | 'node-config'
  | 'version-pin'
  | 'gitlab-ci'
  | 'procfile'
  | 'pm2'
  | 'editor'
  | 'devcontainer'
  | 'jenkinsfile'
  | 'circleci'
  | 'bitbucket'
  | 'azure-pipelines'
  | 'drone'
  | 'fly'
  | 'nixpacks'
  | 'railway'
  | 'netlify'
  | 'render'
  | 'supervisord'
  | 'app-engine'
  | 'taskfile'
  | 'justfile'
  | 'nx'
  | 'helm'
  | 'runit'
  | 'openrc'
  | 'serverless'
  | 'turbo';

/** Where an invocation runs (README "Contexts and levels"); `build` = an image build step (Dockerfile `RUN`). */
export type ContextKind = 'deployment' | 'build' | 'ci' | 'development' | 'test';
/** What a file is for (rules.md "Code roles"): decides how its findings rank (src/roles.ts). */
export type CodeRole = 'production' | 'development' | 'test' | 'fixture' | 'example' | 'generated' | 'vendored';
/** How sure a finding is: high = the runtime will do exactly this; medium = it depends on something static analysis assumed; low = a guess. */
export type Confidence = 'high' | 'medium' | 'low';
export type Level = 'error' | 'warning' | 'note';
export type Runtime = 'deno' | 'node';

/** Permission kinds. Node's map onto Deno's where they mean the same (fs-read → read, child-process → run, addons → ffi). */
export type PermKind = 'read' | 'write' | 'net' | 'env' | 'sys' | 'run' | 'ffi' | 'import' | 'worker' | 'wasi' | 'inspector';
export const DENO_KINDS = ['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import'] as const satisfies readonly PermKind[];
export const ALL_KINDS: readonly PermKind[] = [...DENO_KINDS, 'worker', 'wasi', 'inspector'];

/** One word of a command line, with where it was written. */
export interface Token {
  value: string;
  span: Span;
  /** Set when part of the word could not be resolved statically (`$FLAGS`, `${{ inputs.x }}`): what is unknown, never empty (src/messages/dynamic.ts words it). */
  dynamic?: DynamicReason[];
}

/** Who writes a variable that is not known statically (`$X` of a shell, `${X}` of compose, `%X%` of cmd, …). */
export type VariableOf = 'shell' | 'plain' | 'dockerfile-arg' | 'dockerfile' | 'gitlab-ci' | 'kubernetes' | 'compose' | 'systemd' | 'systemd-specifier' | 'cmd';
/** Which template language writes an expression filled in before the command runs. */
export type TemplateOf = 'github-actions' | 'serverless' | 'groovy' | 'just' | 'makefile' | 'task' | 'ci-template' | 'helm' | 'vscode' | 'zed' | 'dax';
/** What the TypeScript evaluator met where it needed a value (src/sources/typescript/values.ts). */
export type TsUnknown =
  | 'nested-too-deeply'
  | 'unexpected-literal'
  | 'template'
  | 'spread-not-list'
  | 'spread-not-object'
  | 'spread-argument'
  | 'computed-key'
  | 'computed-property'
  | 'pattern'
  | 'property-of-non-object'
  | 'call-result'
  | 'call-not-preset-helper'
  | 'expression'
  | 'not-object'
  | 'list-entry-not-string'
  | 'not-bool-or-list'
  | 'not-host-list'
  | 'host-not-string';

/** Why (part of) a value is not known statically: facts only, worded by src/messages/dynamic.ts. */
export type DynamicReason =
  /** A variable (`name` as written after its sigil: `X` of `$X`, `%1` of cmd) with no value known here. */
  | { kind: 'variable'; of: VariableOf; name: string }
  /** Template expressions (`exprs`, as written) of `of`. */
  | { kind: 'template'; of: TemplateOf; exprs: string[] }
  /** A Serverless variable somewhere in `text` (a handler path). */
  | { kind: 'serverless-variable-in'; text: string }
  /** `of` would be known, but expanding it would spend more than the file's `kib` KiB budget. */
  | { kind: 'expansion-budget'; of: DynamicReason; kib: number }
  /** `$(…)` / backquotes. */
  | { kind: 'command-substitution' }
  /** `$((…))`. */
  | { kind: 'arithmetic-expansion' }
  /** Another shell expansion, `node` the shell parser's node type (`ProcSubst`, …). */
  | { kind: 'shell-expansion'; node: string }
  /** A Kubernetes env value `name` set by `valueFrom`. */
  | { kind: 'k8s-value-from'; name: string }
  /** supervisord's `%(name)s`. */
  | { kind: 'supervisor-expansion' }
  /** A PM2 ecosystem value that is not a literal. */
  | { kind: 'pm2-computed' }
  /** GitLab CI variable `name` whose value refers to other variables. */
  | { kind: 'gitlab-variable-refs'; name: string }
  /** Variable `name` set in a branch or loop of a script (at `line`) whose outcome is not known statically. */
  | { kind: 'script-branch'; name: string; line: number }
  /** The TypeScript evaluator's reasons. */
  | { kind: 'ts'; what: TsUnknown }
  /** `name` is declared in the file, but not as a `const` with a value known there. */
  | { kind: 'ts-not-const'; name: string }
  /** `name` is declared in the file, but not as a `const` known there (NetScript permissions). */
  | { kind: 'ts-not-known-const'; name: string }
  /** `name` is not a NetScript permission preset. */
  | { kind: 'ts-not-preset'; name: string }
  /** `name` is a NetScript API reference that is not a permissions object. */
  | { kind: 'ts-not-permissions'; name: string }
  /** `name` is not defined in the file. */
  | { kind: 'ts-undefined'; name: string }
  /** Property `key` may come from the spread `text`. */
  | { kind: 'ts-may-come-from'; key: string; text: string }
  /** The options argument `text` of a spawn call is not known. */
  | { kind: 'ts-options'; text: string }
  /** `text` is a value known not to be a string. */
  | { kind: 'ts-not-string'; text: string };

/** `reasons` without repeats (the first of equal reasons stays), in order. */
export function uniqueReasons(reasons: DynamicReason[]): DynamicReason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface ScopedValue {
  value: string;
  span: Span;
}

export type GrantMode = 'allow' | 'deny' | 'ignore';

/** One permission flag or config key as written. */
export interface PermissionGrant {
  kind: PermKind;
  mode: GrantMode;
  /** `'all'` for a bare flag or `true`; otherwise the listed scopes (possibly empty: `[]` / `false`). */
  scope: 'all' | ScopedValue[];
  /** The flag or key. */
  span: Span;
  /** The text as written, e.g. `--allow-read=/tmp`, `-R`, `"net": true`. */
  text: string;
  /** Where the grant came from. */
  via: 'flag' | 'config' | 'implicit';
  /** For grants that come from a permission set loaded with -P: the set's name. */
  set?: string;
}

/** What a runtime grants for one permission kind after every flag, set and deny is applied. */
export interface KindState {
  allow: 'all' | readonly string[];
  deny: 'all' | readonly string[];
  ignore: 'all' | readonly string[];
  /** Node: the `process.permission.has` scopes a granted kind covers when narrower than the kind (`ffi`: `addon` from `--allow-addons`, `ffi` from `--allow-ffi`); absent = all of them. */
  nodeScopes?: string[];
}
export type EffectivePermissions = Record<PermKind, KindState>;

/** A runtime flag that is not a permission flag (lockfile, config, TLS, …). */
export interface RuntimeFlag {
  name: string;
  value?: string;
  /** The whole flag token (or tokens when the value is a separate argument). */
  span: Span;
  text: string;
}

export interface Origin {
  file: string;
  /** Where the command or declaration starts (the task's value, the script line, …). */
  span: Span;
  source: SourceKind;
  /** Task, script, service or container name; stable across edits that move lines. */
  name?: string;
}

/** What a Dockerfile of the repository builds: who its final stage runs as. */
export interface DockerImageFacts {
  file: string;
  /** The final stage's `USER`, as written; undefined when it sets none (the base image's default user runs). */
  user?: ContainerUser;
  /** The final stage's `FROM`. */
  from: Span;
}

/** A user setting as written (`USER app`, `runAsUser: 0`, `user: "0:0"`, `--user root`, `User=`). */
export interface ContainerUser {
  /** The user (name or id, with `:group` when written). */
  value: string;
  /** The whole setting. */
  span: Span;
  /** The setting as written, for messages (`USER root`, `runAsUser: 0`). */
  text: string;
}

/**
 * One container or service setting that bears on the privileges of the process inside, as
 * written. Sources only record these; src/semantics/container.ts decides what they mean and the
 * container rules word it.
 */
export type ContainerSetting = { span: Span; text: string } & (
  | { fact: 'privileged' }
  /** `allowPrivilegeEscalation: true`, `no-new-privileges:false`. */
  | { fact: 'privilege-escalation' }
  /** An added capability, as written (`SYS_ADMIN`, `CAP_NET_ADMIN`). */
  | { fact: 'capability'; name: string }
  /** A host path mounted into the container (`hostPath`, a bind volume, `-v /x:/y`); `volume` names a Kubernetes volume. */
  | { fact: 'host-mount'; path: string; volume?: string }
  /** A namespace shared with the host (`hostNetwork: true`, `pid: host`, `--network host`). */
  | { fact: 'host-namespace'; namespace: 'network' | 'pid' | 'ipc' }
  /** A confinement turned off (`seccompProfile: Unconfined`, `apparmor:unconfined`). */
  | { fact: 'unconfined'; profile: 'seccomp' | 'apparmor' }
  /** `runAsNonRoot` as written. */
  | { fact: 'run-as-non-root'; value: boolean }
);

export interface ContainerContext {
  /** What declares the container or service (the wording "every capability of the node / host / runner" follows it). */
  platform?: 'docker' | 'kubernetes' | 'compose' | 'github-actions' | 'systemd' | 'supervisord' | 'openrc' | 'runit';
  /** The repository Dockerfile that builds this container (compose `build:`); its final stage decides the user when none is set here. */
  dockerfile?: string;
  user?: ContainerUser;
  /** No user is set and the image's default user runs: a Dockerfile final stage without `USER` (`span`: its FROM). */
  imageDefaultUser?: { span: Span; file: string };
  /** Settings that bear on the privileges of the process inside, as written. */
  settings?: ContainerSetting[];
  /** The container's working directory as written (`WORKDIR /app`, `workingDir:`), when set. */
  workdir?: string;
  /** Container paths that hold repository files (Dockerfile `COPY start.sh /usr/local/bin/`): what a script path the container runs is. */
  files?: { path: string; repo: string }[];
}

export interface InvocationContext {
  kind: ContextKind;
  /** Absolute-looking working directory (repo-relative path, posix separators, '' = root) when known. */
  cwd?: string;
  container?: ContainerContext;
  /** Runtime version pinned by the repository, when known. */
  runtimeVersion?: { value: string; span: Span };
  /** The version file that decides the runtime version (`node-version-file: .nvmrc`), repo-relative. */
  runtimeVersionFile?: string;
  /**
   * The deno.json Deno finds for this run (the nearest one up from `cwd`) and the workspace root
   * whose `lock` applies; set by the link phase (src/link/configs.ts), never by a source.
   */
  denoConfig?: { file: string; workspaceRoot: string };
  /** Deployment or CI files that run this invocation (deno task, npm run, script path). */
  calledBy?: Origin[];
  /** The code role of the file it is written in (src/roles.ts), when not production. */
  role?: CodeRole;
}

export interface NodeModel {
  /** `--permission` / `--experimental-permission` (command line or NODE_OPTIONS), or a config file that enables it. */
  enabled?: { flag: string; span: Span };
  /** `--test`: Node's test runner (the invocation runs tests). */
  testRunner?: Span;
}

export interface Invocation {
  type: 'invocation';
  /** Stable identity: file + name or ordinal, never a line number. */
  id: string;
  runtime: Runtime;
  /** Deno subcommand (`run`, `serve`, `test`, …); for Node, undefined. */
  subcommand?: string;
  /** The runtime's command word (`deno`, `node`, `/usr/bin/node`). */
  command: Token;
  /** Every word after the command word, as parsed. */
  argv: Token[];
  /** Runtime flags (before the entrypoint). */
  flags: RuntimeFlag[];
  permissions: PermissionGrant[];
  effective: EffectivePermissions;
  /** Whether this subcommand accepts permission flags at all. */
  takesPermissions: boolean;
  /**
   * Why the runtime grants everything whatever the flags say (`deno eval`, `deno jupyter`, Node without the permission model).
   * `codeNeedsNothing`: the code `deno eval` runs is written out in full and uses no permission (src/eval-code.ts).
   */
  implicitAll?: ImplicitAllCause & { codeNeedsNothing?: boolean };
  entrypoint?: Token;
  /** Arguments after the entrypoint: they go to the program, not to the runtime. */
  programArgs: Token[];
  /** `deno install` of a global command (`-g`, or any `deno install` under a Deno 1.x pin): no project lockfile is involved. */
  installsGlobally?: boolean;
  /** `-P` / `--permission-set`. */
  permissionSet?: { name?: string; span: Span; found: boolean; declarationId?: string };
  /** Deno `--allow-all` given more than zero times, with its span (kept apart for precise positions). */
  node?: NodeModel;
  /** Words whose value is not statically known. */
  unresolved: Token[];
  /** Environment assignments that apply to this run (`FOO=1 deno run`, `env FOO=1 …`). */
  env?: EnvSetting[];
  /** Mistakes the grammar saw while reading argv (the runtime would refuse or misread). */
  diagnostics: GrammarDiagnostic[];
  origin: Origin;
  context: InvocationContext;
}

export type GrammarDiagnosticCode =
  | 'flag-after-script'
  | 'value-with-space'
  | 'boolean-with-value'
  | 'fs-comma-list'
  | 'narrowed-by-repeat'
  | 'removed-flag'
  | 'empty-value'
  | 'invalid-host'
  | 'invalid-sys'
  | 'invalid-env'
  | 'allow-all-conflict'
  | 'unknown-permission-set'
  | 'permissions-not-accepted'
  | 'deprecated'
  | 'unknown-flag'
  /** A permission-like flag the runtime does not have (`--ignore-write`, `--allow-plugin`): it stops at start-up. */
  | 'unknown-permission-flag'
  /** The runtime refuses to start (`deno run -- main.ts`, `--experimental-permission` on Node 24, Node 20 overlapping read grants, …). */
  | 'refused-at-start'
  /** The flag does not exist in some runtime versions (`versions` says which). */
  | 'flag-not-in-version'
  /** `-Scpus` is `-S -c pus`: a short flag that takes a value hides inside a cluster. */
  | 'flag-cluster'
  /** `deno run --lock main.ts`: `--lock` takes the script as its file. */
  | 'lock-swallows-script';

/** Why a Deno permission value is refused (`validateDenoValue`); `value` in the wording data is the part it quotes. */
export type DenoValueRefusal =
  | 'empty-command'
  | 'empty-host'
  | 'empty-env'
  | 'empty-sys'
  | 'empty-path'
  | 'url'
  | 'unix-socket'
  | 'vsock'
  | 'ipv6-brackets'
  | 'port'
  | 'host'
  | 'sys-name'
  | 'env-name';

/**
 * The facts each grammar diagnostic is worded from (src/messages/grammar.ts words them): flag names,
 * values, subcommands and versions as written, never English. `w` names the wording.
 */
export interface GrammarWordingData {
  'flag-after-script': { runtime: 'deno' | 'node'; flag: string; script?: string };
  'node-experimental-permission-renamed': object;
  'node-experimental-permission-removed': object;
  'node-permission-too-new': object;
  'node-flag-too-new': { flag: string; since: string; netUngated?: boolean };
  'node-policy-removed': { flag: '--experimental-policy' | '--policy-integrity' };
  'node-needs-path': { flag: string };
  'node-fs-comma-list': { flag: string; value: string };
  'node-boolean-with-value': { flag: string; value: string; kind: PermKind };
  'node-value-with-space': { flag: string; value: string };
  'node-fs-grant-without-model': { grant: string };
  'node-grant-without-model-26': { grant: string };
  'node-fs-overlap': { kind: PermKind };
  'node-entry-needs-read': { entry: string };
  'node-config-unknown-permission-key': { key: string };
  'deno1-global-unstable': { word: string; flag: string; subcommand: string };
  'deno-unstable-deprecated': { since140?: boolean };
  'deno-dash-dash-no-script': { subcommand: string };
  'deno-unknown-flag': { subcommand: string; flag: string; permissionLike?: boolean };
  'deno-short-prints': { letter: string; word: string; flag: string };
  'deno-flag-cluster': { word: string; at: number; flag: string; next: string };
  'deno-install-local-permissions': object;
  'deno-value-with-space': { flag: string; script: string; grant: boolean };
  'deno-lock-swallows-script': { flag: string; value: string };
  'deno-import-flag-too-new': { flag: string; deny: boolean };
  'deno-takes-no-permissions': { subcommand: string };
  'deno-value-refused': { refusal: DenoValueRefusal; value: string };
  'deno-hrtime-removed': { flag: string };
  'deno-lock-write-removed': object;
  'deno-narrowed-by-repeat': { bare: string; listed: string };
  'deno1-repeated-flag': { first: string; second: string };
  'deno1-allow-all-twice': object;
  'deno-allow-all-conflict': { grant: string };
  'deno-unknown-permission-set': { name: string };
  'deno-set-not-object': object;
  'deno-set-unknown-field': { field: string; expected: string[] };
  'deno-set-all-not-boolean': object;
  'deno-set-entry-not-string': { key: string };
  'deno-set-plain-string': { key: string; text: string; value: string };
  'deno-set-bad-value': { key: string };
  'deno-set-unknown-mode': { key: string; mode: string };
  'deno-set-ignore-kind': { key: string };
}
export type GrammarWording = { [W in keyof GrammarWordingData]: { w: W } & GrammarWordingData[W] }[keyof GrammarWordingData];

/** Why an invocation runs with every permission whatever its flags say (worded by src/messages/grammar.ts). */
export type ImplicitAllCause =
  | { cause: 'deno-subcommand'; subcommand: string }
  | { cause: 'node-audit-only' }
  | { cause: 'node-model-off' };

export interface GrammarDiagnostic {
  code: GrammarDiagnosticCode;
  /** What the wording needs (src/messages/grammar.ts `grammarMessage`). */
  data: GrammarWording;
  span: Span;
  /** The permission kind the mistake concerns, when there is one. */
  kind?: PermKind;
  /**
   * Runtime versions the diagnostic holds for (a node-semver range), when it depends on the version:
   * a rule reports it when the pinned versions all lie in `range`, or, with no pin, when `ifUnknown`.
   */
  versions?: { range: string; ifUnknown: boolean };
}

export type DeclarationType =
  | 'permission-set'
  | 'test-permissions'
  | 'bench-permissions'
  | 'compile-permissions'
  | 'netscript-task'
  | 'sandbox'
  | 'worker'
  | 'node-config';

/** A NetScript `defineTask(…)` builder chain (`netscript-task` declarations). */
export interface NetScriptTaskFacts {
  /** `.runtime(…)` as written, `'deno'` when the chain leaves it out; undefined when not known statically. */
  runtime?: string;
  runtimeSpan?: Span;
  /** The `.permissions(…)` call, when the chain has one. */
  permissionsCall?: Span;
  /** Grants written for a runtime that does not enforce them (non-Deno runtimes); not in `permissions`. */
  ignoredPermissions?: PermissionGrant[];
  /** `.timeout(ms)` / `.retry(n)` calls; undefined = left to the defaults (300 000 ms, 1 retry). */
  timeout?: Span;
  retry?: Span;
  /** The chain sets an in-process `.handler(…)` and no `.entrypoint(…)`: no subprocess is started. */
  inProcess?: boolean;
  /** False when the chain does not end in `.build()` here (the builder continues elsewhere). */
  complete: boolean;
}

/** `@deno/sandbox` `Sandbox.create({ … })` options (`sandbox` declarations). */
export interface SandboxFacts {
  /** `allowNet` when written; undefined = no network restriction. `resolved: false` = not known statically. */
  allowNet?: { span: Span; hosts: ScopedValue[]; resolved: boolean };
  secrets: { name: string; span: Span; hosts: ScopedValue[] }[];
  env: { name: string; span: Span; value: SandboxEnvValue }[];
  volumes: { mount: string; span: Span }[];
}

/** How a sandbox `env` value is written: read from the host environment, a literal, or something else. */
export type SandboxEnvValue =
  | { kind: 'env-read'; variable?: string; span: Span; text: string }
  | { kind: 'literal'; value: string; span: Span; text: string }
  | { kind: 'other'; span: Span; text: string };

/** Deno `new Worker(…, { deno: { permissions } })` (`worker` declarations). */
export interface WorkerFacts {
  /** `"inherit"`, `"none"`, or an object of per-kind values. */
  mode: 'inherit' | 'none' | 'object';
  /** Kinds given `"inherit"` inside the object form. */
  inheritKinds: PermKind[];
  /** The `permissions` property. */
  span: Span;
}

export interface Declaration {
  type: 'declaration';
  id: string;
  declaration: DeclarationType;
  name: string;
  runtime: Runtime;
  /** The key or call that declares it. */
  span: Span;
  permissions: PermissionGrant[];
  effective: EffectivePermissions;
  /** `"all": true`, NetScript `allAccess`, … */
  allowAll?: { span: Span; text: string };
  /** Keys the runtime rejects, values of the wrong type, … */
  diagnostics: GrammarDiagnostic[];
  origin: Origin;
  context: InvocationContext;
  netscript?: NetScriptTaskFacts;
  sandbox?: SandboxFacts;
  worker?: WorkerFacts;
  /** node.config.json: its `permission` namespace switches Node's permission model on. */
  enablesModel?: boolean;
}

/** What a package-manager command line does (grammar/package-manager.ts). */
export interface PackageManagerFacts {
  manager: 'npm' | 'yarn' | 'pnpm' | 'deno';
  /** `install`: resolve and write the lockfile (npm install, yarn, pnpm add, deno install); `ci`: install from the lockfile as it is; `run`: a package.json script; `exec`/`dlx`: run a package. */
  action: 'install' | 'ci' | 'run' | 'exec' | 'dlx' | 'other';
  /** The subcommand word as written (`install`, `i`, `run`, a yarn/pnpm script name). */
  subcommand?: Token;
  /** The script a `run` (or `npm start`, `yarn <name>`) runs; `argIndex` is its index among the arguments. */
  script?: { name: string; token: Token; argIndex: number };
  /** `--workspace`, `--filter`, `yarn workspace <pkg>`. */
  workspace?: string;
  /** `--prefix`, `-C`, `--dir`, `--cwd`: the folder it runs in, relative to the command's. */
  dir?: string;
  /** `-g` / `--global`: installs outside the project (no project lockfile). */
  global: boolean;
  /** `--frozen-lockfile`, `--immutable`, `--frozen[=bool]` as written (`deno ci` is frozen). */
  frozen?: { value: boolean; span: Span; text: string };
  /** pnpm: `pnpm install` is frozen by default where the CI environment variable is set. */
  frozenInCI?: boolean;
  /** Package names an install adds (`npm install left-pad`). */
  packages: Token[];
}

/** A simple command found anywhere (not only runtimes): what rules about tasks and scripts look at. */
export interface Command {
  /** The program word after wrappers (`sudo`, `env`, `exec`) are taken off. */
  program: Token;
  args: Token[];
  /** Environment assignments that apply to this command (`FOO=1 cmd`, `env FOO=1 cmd`). */
  env: EnvSetting[];
  origin: Origin;
  context: InvocationContext;
  /** The invocation this command is, when it runs a runtime. */
  invocationId?: string;
  /** What it does when it is a package-manager command (npm, yarn, pnpm, deno install). */
  packageManager?: PackageManagerFacts;
  /** Environment the command inherits from its surroundings (Dockerfile ENV, compose environment, workflow env). */
  inheritedEnv?: EnvSetting[];
  /**
   * Variables whose value here the text around the command decided (exported, unset, made
   * unknown by a branch) or a wrapper removed (`env -u X`, `env -i`): a value set around whatever
   * runs the text (Dockerfile ENV, compose environment) does not reach the command.
   */
  envDecided?: string[];
}

/** An environment variable set in a file (`ENV`, `environment:`, `export X=`, `X=1 cmd`). */
export interface EnvSetting {
  name: string;
  value: Token;
  span: Span;
  origin: Origin;
  context: InvocationContext;
}

/** deno.json settings that are not permissions but decide what code runs. */
export interface DenoConfigFacts {
  file: string;
  /** Folder of the config file (repo-relative, posix, '' = root). */
  dir: string;
  isWorkspaceRoot: boolean;
  workspaceRoot?: string;
  lock?: { value: 'true' | 'false' | 'path' | 'object'; frozen?: boolean; span: Span; text: string };
  allowScripts?: { all: boolean; span: Span; text: string };
  tasks: string[];
  permissionSets: string[];
}

/** A package.json: what `npm run`, `yarn` and `pnpm` can find there (the link phase follows into it). */
export interface PackageFacts {
  file: string;
  /** Folder of the file (repo-relative, '' = root). */
  dir: string;
  /** `name`, for workspace selection (`npm -w <name>`). */
  name?: string;
  scripts: string[];
}

/**
 * Why a file (or the rest of it) could not be read, as a code plus the data that words it. Sources
 * emit these facts; the wording is the rules' (src/messages/problems.ts). `detail` is always the
 * parser's own text (its error message or error code), never permlint's.
 */
export type ProblemFacts =
  /** jsonc-parser's error: `detail` is its error code name (`PropertyNameExpected`). */
  | { code: 'json-syntax'; detail: string }
  /** A deno.json whose top level is not an object. */
  | { code: 'deno-json-not-object' }
  /** Brackets nested beyond what is read; `format` says which reader refused. */
  | { code: 'nesting-budget'; format: 'json' | 'yaml' | 'toml' | 'healthcheck-json'; limit: number; name?: string }
  /** The `yaml` package's first error (position suffix removed). */
  | { code: 'yaml-syntax'; detail: string }
  /** The `yaml` package threw. */
  | { code: 'yaml-exception'; detail: string }
  /** YAML aliases expand a document beyond `limit` nodes. */
  | { code: 'alias-bomb'; limit: number }
  /** Expanded text beyond `limit` KiB: YAML aliases, Makefile variables. */
  | { code: 'expansion-budget'; format: 'yaml' | 'makefile'; limit: number }
  /** toml-eslint-parser's error; `name` is the file a tool reads it as (`mise.toml`), when worded so. */
  | { code: 'toml-syntax'; detail: string; name?: string }
  /** More than `limit` entries of one kind in a Dockerfile. */
  | { code: 'list-budget'; list: 'stages' | 'stage-env' | 'stage-sources'; limit: number }
  /** dockerfile-ast threw. */
  | { code: 'dockerfile-syntax'; detail: string }
  /** More than `limit` commands in one file. */
  | { code: 'command-budget'; limit: number }
  /**
   * A shell text that is not read, for the command of `name` (a task, a script, a step), `nested`
   * inside `sh -c`: `detail` is the shell parser's error; `tooDeep` the reader's nesting budget
   * (`limit`, or none when the parser ran out of stack).
   */
  | { code: 'shell-syntax'; detail?: string; tooDeep?: { limit?: number }; name?: string; nested?: boolean }
  /** `#!/usr/bin/env deno run -A`: several words handed to `env` without `-S`. */
  | { code: 'shebang-env-without-S' }
  /** A Jenkinsfile comment (`quote` undefined) or string (opened with `quote`) that never closes. */
  | { code: 'groovy-unclosed'; quote?: string }
  /** oxc-parser's error (the first line is worded). */
  | { code: 'ts-syntax'; detail: string }
  /** A TypeScript/JavaScript text larger than `limit` MiB: not parsed. */
  | { code: 'ts-size-budget'; limit: number }
  /** Brackets nested more than `limit` deep (crossing it on `nestedLine`): not parsed. */
  | { code: 'ts-nesting-budget'; limit: number; nestedLine?: number }
  /** The parser thread cannot start (`detail`), `permissionModel` when Node's permission model runs permlint. */
  | { code: 'ts-parser-unavailable'; detail: string; permissionModel?: boolean }
  /** The analysis of a parsed module ran out of stack; `detail` is the runtime's error. */
  | { code: 'ts-too-deep'; detail: string }
  /** The file could not be opened or read; `detail` says why. */
  | { code: 'file-unreadable'; detail: string }
  /** The file holds NUL bytes. */
  | { code: 'binary-file' }
  /** A reader failed on the file; `detail` is the error. */
  | { code: 'reader-failed'; detail: string }
  /** Discovery skipped the file; `detail` is its reason. */
  | { code: 'not-scanned'; detail: string };

export type ProblemCode = ProblemFacts['code'];

export type ParseProblem = ProblemFacts & {
  file: string;
  span: Span;
  source?: SourceKind;
};

/**
 * A permission-relevant value permlint cannot know statically, as a code plus the data that words
 * it (src/messages/problems.ts). `why` is the evaluator's description of what is not known.
 */
export type UnresolvedFacts =
  /** A Helm template action `{{` never closed. */
  | { code: 'unclosed-template-action' }
  /** More than `limit` template actions in one Helm template. */
  | { code: 'template-action-budget'; limit: number }
  /** A Helm template that is not YAML once its actions are masked: what the YAML reader said. */
  | { code: 'helm-template-not-yaml'; problem: ProblemFacts }
  /** `key` (command, args, …) whose value is the template action `template`. */
  | { code: 'helm-template-value'; key: string; template: string }
  /** `program -c` given a script that holds a template (`dynamic` says which). */
  | { code: 'helm-template-script'; program: string; dynamic: DynamicReason[] }
  /** A Kubernetes manifest that is a Helm template, outside a chart. */
  | { code: 'helm-manifest' }
  /** `args` (named `argsName`) without a command: the image's entrypoint decides. */
  | { code: 'args-without-command'; argsName: string; image?: string }
  /** A program not known statically (`dynamic`) that is handed permission flags. */
  | { code: 'dynamic-program-with-flags'; program: string; dynamic: DynamicReason[] }
  /** A GitLab `include:` of something outside the repository. */
  | { code: 'remote-include'; kind: 'project' | 'remote' | 'template' | 'component'; key?: string; values: string[] }
  /** A GitLab `include:` path holding a CI/CD variable. */
  | { code: 'dynamic-include'; path: string }
  /** A Worker permission value (`text`) not known statically. */
  | { code: 'worker-permission-dynamic'; worker: string; text: string }
  /** A part (`text`, a spread or computed key) of a Worker's permissions not known statically. */
  | { code: 'worker-permissions-partial'; worker: string; text: string; why: DynamicReason }
  /** The permissions of a Worker not known statically (`why` undefined: not "inherit", "none" or an object). */
  | { code: 'worker-permissions-dynamic'; worker: string; why?: DynamicReason }
  /** The runtime of a NetScript task not known statically (`why` undefined: no value). */
  | { code: 'netscript-runtime-dynamic'; task?: string; why?: DynamicReason }
  /** The `type` (runtime) of a NetScript task not known statically. */
  | { code: 'netscript-type-dynamic'; task?: string }
  /** A NetScript task builder not finished with `.build()` in the chain. */
  | { code: 'netscript-unbuilt'; task?: string }
  /** The permissions of a NetScript task not known statically. */
  | { code: 'netscript-permissions-dynamic'; task?: string }
  /** A value (`text`) in the permissions of a NetScript task not known statically. */
  | { code: 'netscript-permission-dynamic'; task?: string; text: string; why: DynamicReason }
  /** The options of `Sandbox.create` not known statically (`why` undefined: not an object). */
  | { code: 'sandbox-options-dynamic'; why?: DynamicReason }
  /** A part (`text`) of a sandbox's options not known statically: it may set `allowNet`. */
  | { code: 'sandbox-options-partial'; sandbox: string; text: string; why: DynamicReason }
  /** `allowNet` of a sandbox not known statically. */
  | { code: 'sandbox-allownet-dynamic'; sandbox: string; why: DynamicReason }
  /** `secrets` of a sandbox not known statically. */
  | { code: 'sandbox-secrets-dynamic'; sandbox: string }
  /** One secret of a sandbox not known statically. */
  | { code: 'sandbox-secret-dynamic'; sandbox: string; secret: string }
  /** The hosts of one secret of a sandbox not known statically. */
  | { code: 'sandbox-secret-hosts-dynamic'; sandbox: string; secret: string; why: DynamicReason };

export type UnresolvedCode = UnresolvedFacts['code'];

/** A part of a file a source does not read on purpose (listed with --verbose, never a finding). */
export type UnreadPartFacts =
  /** A Jenkinsfile `powershell` / `pwsh` step (`step`) at `line`:`column`: PowerShell, not POSIX shell. */
  | { code: 'powershell-step'; step: string; line: number; column: number }
  /** A cmd `if` / `for` block of a Jenkinsfile `bat` step at `line`. */
  | { code: 'bat-control-block'; line: number };

export type UnresolvedValue = UnresolvedFacts & {
  span: Span;
  origin: Origin;
  /** The context of the command it is part of, when known. */
  context?: ContextKind;
};

/** A runtime version the repository pins (image tag, .nvmrc, setup-node input, exact engines, …). */
export interface RuntimePin {
  runtime: Runtime;
  /** The pin as written (`node:20.3.0-alpine`, `v20.3.0`, `1.40.x`). */
  text: string;
  /** The version or range it stands for, in node-semver syntax (`20.3.0`, `20.3`, `1.x`). */
  version: string;
  /** True when the pin names one release; false for a floating tag or range (`node:22`, `lts` never becomes a pin). */
  exact: boolean;
  span: Span;
  source: SourceKind;
  context: ContextKind;
}

export interface Model {
  invocations: Invocation[];
  declarations: Declaration[];
  commands: Command[];
  env: EnvSetting[];
  denoConfigs: DenoConfigFacts[];
  /** package.json files that parse (strict JSON, as npm reads them). */
  packages?: PackageFacts[];
  problems: ParseProblem[];
  unresolved: UnresolvedValue[];
  /** Images the repository's Dockerfiles build. */
  dockerImages?: DockerImageFacts[];
  /** Runtime versions pinned in the repository (filled by the deployment sources and version-pin files). */
  pins?: RuntimePin[];
  /** What the code reachable from each invocation's entrypoint needs (section G rules; filled by src/infer). */
  inferences?: Inference[];
  /** Repo-relative paths of dotenv files (`.env`, `.env.production`) seen while scanning, when a source reports them (secret-exposure: "a directory holding one"). */
  secretFiles?: string[];
  /** TypeScript/JavaScript files the scan only sniffs and could not read (UTF-16 without BOM, NUL bytes, syntax it does not know): listed with --verbose, never a parse-error. */
  unscanned?: { path: string; reason: string }[];
  /** Parts of files a source leaves unread on purpose, as codes plus data; the scan words them into `unscanned`. */
  unreadParts?: ({ path: string } & UnreadPartFacts)[];
  /** The code role of every file read that is not production code, with why (src/roles.ts). */
  roles?: Record<string, FileRole>;
}

/** Why a file has its code role; `generator` is the file a generated one says it comes from. */
export interface FileRole {
  role: CodeRole;
  reason: string;
  generator?: string;
}

/** One permission the code needs, at one call site (section G: inferred from the code). */
export interface InferredNeed {
  kind: PermKind;
  /** The resource as the runtime checks it (path relative to the invocation's working directory, `host:port`, variable, sys name, program); undefined when it cannot be folded statically. */
  value?: string;
  /** Only an unscoped grant satisfies this need; says why. */
  unscoped?: string;
  api: string;
  /** The call as written, shortened (`Deno.readTextFile(p)`). */
  text: string;
  span: Span;
  /** The call is inside a try/catch or its module queries the permission: a denial is handled. */
  guarded?: boolean;
  /** Why the need exists without being written (`Deno.serve()` listens on 0.0.0.0:8000 by default). */
  implicit?: string;
}

/** What stops value- or kind-level claims: an opaque dependency, the Deno object escaping, a module that could not be read. */
export interface InferenceLimit {
  kinds: PermKind[] | 'all';
  reason: string;
  span: Span;
}

export interface Inference {
  /** The invocation or declaration whose entrypoint was read. */
  subjectId: string;
  /** Repo-relative path of the entrypoint module. */
  entrypoint: string;
  /** Modules of the repository read from the entrypoint. */
  modules: string[];
  needs: InferredNeed[];
  limits: InferenceLimit[];
}

export function emptyModel(): Model {
  return { invocations: [], declarations: [], commands: [], env: [], denoConfigs: [], problems: [], unresolved: [] };
}

/**
 * The empty list of every kind state `noPermissions` and `allPermissions` make (frozen: lists are
 * replaced, never changed in place). A model holds one effective set per invocation, declaration
 * and construct: 11 kinds with 2–3 empty lists each were ~17,000 arrays of a deno scan's model.
 */
const NONE: readonly string[] = Object.freeze([]);

export function noPermissions(): EffectivePermissions {
  const out = {} as EffectivePermissions;
  for (const k of ALL_KINDS) out[k] = { allow: NONE, deny: NONE, ignore: NONE };
  return out;
}

export function allPermissions(): EffectivePermissions {
  const out = {} as EffectivePermissions;
  for (const k of ALL_KINDS) out[k] = { allow: 'all', deny: NONE, ignore: NONE };
  return out;
}

export interface Finding {
  ruleId: string;
  level: Level;
  message: string;
  span: Span;
  /** Related locations (the caller of a task, the container user, …). */
  related?: { span: Span; message: string }[];
  /** The invocation or declaration the finding concerns. */
  subject?: { id: string; source: SourceKind; name?: string };
  context?: ContextKind;
  /** Security severity of this finding (the rule's, or a per-kind one). */
  securitySeverity?: number;
  /** Edits that fix it (`--fix` applies the safe ones, `--fix=all` every one); in the JSON and SARIF reports. */
  fixes?: FindingFix[];
  /** The permission kind the finding concerns, when there is one. */
  kind?: PermKind;
  /** How sure the finding is (src/persona.ts); high when unset. */
  confidence?: Confidence;
  /** The code role of the file the finding is in, when not production. */
  role?: CodeRole;
  /** The least persona that shows it (src/persona.ts). */
  persona?: Persona;
  /** Set by a rule when the finding shares its cause with others (src/persona.ts reports them once, at the cause). */
  cause?: FindingCause;
  /** The long form behind a short message (every advisory of a pin): help text and SARIF properties. */
  details?: string[];
}

export interface FindingFix {
  description: string;
  safety: 'safe' | 'unsafe';
  /** Text replacing each region (an empty region inserts; empty text deletes). */
  replacements: { file: string; line: number; column: number; endLine: number; endColumn: number; text: string }[];
}

/** Where many findings come from: `key` groups them, `span` is where the one finding points, `message` says what to change there. */
export interface FindingCause {
  key: string;
  span: Span;
  message: string;
}

/** Who is reading: `regular` shows what a maintainer should act on, `pedantic` adds the rest of the catalogue, `auditor` everything. */
export type Persona = 'regular' | 'pedantic' | 'auditor';
