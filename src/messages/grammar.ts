/**
 * The wording of the argv grammars' diagnostics and of why an invocation runs with every permission:
 * the grammars (src/grammar/**, and the deno.json / node.config.json / NetScript readers that share
 * `diag`) emit a code plus `GrammarWording` data (src/model.ts); the rules (`deprecated-flag`,
 * `ineffective-flag`, `invalid-permission`, `omitted-permissions`, `container-privileges`) and the
 * audit (`startup.refusals[].message`, `implicit`: documented outputs) word them here.
 * Grammars never import this module (test/unit/layers.test.ts).
 */
import type { DenoValueRefusal, GrammarDiagnostic, GrammarWording, GrammarWordingData, ImplicitAllCause, PermKind } from '../model.js';

/** How a permission kind reads in a sentence (`grants file-system reads without restriction`). */
export function describeKind(kind: PermKind): string {
  return (
    {
      read: 'file-system reads',
      write: 'file-system writes',
      net: 'network access',
      env: 'environment access',
      sys: 'system information',
      run: 'subprocesses',
      ffi: 'native code (FFI / addons)',
      import: 'remote imports',
      worker: 'worker threads',
      wasi: 'WASI',
      inspector: 'the inspector',
    } as Record<PermKind, string>
  )[kind];
}

const VALUE_REFUSALS: Record<DenoValueRefusal, (value: string) => string> = {
  // Deno's own words (2.9.6)
  'empty-command': () => 'Empty command name not allowed in --allow-run=...',
  'empty-host': () => "invalid empty host: ''",
  'empty-env': () => 'Empty env not allowed',
  'empty-sys': () => 'Empty sys not allowed',
  'empty-path': () => 'Empty path is not allowed',
  url: (v) => `invalid value '${v}': URLs are not supported, only domains and IPs`,
  'unix-socket': (v) => `invalid unix socket path: '${v}'`,
  vsock: (v) => `invalid vsock address: '${v}'`,
  'ipv6-brackets': (v) => `ipv6 addresses must be enclosed in square brackets: '${v}'`,
  port: (v) => `invalid port: '${v}'`,
  host: (v) => `invalid host: '${v}'`,
  'sys-name': (v) => `unknown sys descriptor: '${v}'`,
  'env-name': (v) => `invalid env var name: '${v}'`,
};

type Wordings = { [W in keyof GrammarWordingData]: (d: GrammarWordingData[W]) => string };

const WORDINGS: Wordings = {
  'flag-after-script': (d) =>
    `\`${d.flag}\` comes after the script${d.script !== undefined ? ` \`${d.script}\`` : ''}, so it is passed to the program and ${d.runtime === 'deno' ? 'Deno' : 'Node'} never sees it`,
  'node-experimental-permission-renamed': () => '`--experimental-permission` is the old name of `--permission` (stable since Node 22.13 / 23.5, and removed in Node 24)',
  'node-experimental-permission-removed': () => '`--experimental-permission` was removed in Node 24: Node stops with `bad option`',
  'node-permission-too-new': () => '`--permission` does not exist before Node 22.13 / 23.5: Node stops with `bad option`',
  'node-flag-too-new': (d) =>
    `\`${d.flag}\` does not exist before Node ${d.since}: Node stops with \`bad option\`${d.netUngated ? ' (and before Node 25 the permission model does not restrict the network at all)' : ''}`,
  'node-policy-removed': (d) =>
    d.flag === '--experimental-policy' ? 'policies (`--experimental-policy`) were removed in Node 22.2; use the permission model (`--permission`)' : '`--policy-integrity` was removed with policies in Node 22.2',
  'node-needs-path': (d) => `\`${d.flag}\` needs a path (or \`*\`)`,
  'node-fs-comma-list': (d) => `Node reads \`${d.value}\` as one path: comma-separated lists are no longer valid since Node 20.7; repeat \`${d.flag}\` for each path`,
  'node-boolean-with-value': (d) => `\`${d.flag}\` is a boolean flag: Node ignores \`=${d.value}\` and grants ${describeKind(d.kind)} without restriction`,
  'node-value-with-space': (d) => `\`${d.flag} ${d.value}\`: Node takes \`${d.value}\` as the path to grant, so no script runs; write \`${d.flag}=<path> ${d.value}\``,
  'node-fs-grant-without-model': (d) =>
    `\`${d.grant}\` without \`--permission\`: Node stops at start-up with ERR_MISSING_OPTION (the file-system grants need the permission model on)`,
  'node-grant-without-model-26': (d) => `\`${d.grant}\` without \`--permission\`: Node 26 stops at start-up with ERR_MISSING_OPTION (earlier releases ignore the grant)`,
  'node-fs-overlap': (d) =>
    `Node 20 aborts at start-up when two \`--allow-fs-${d.kind}\` paths overlap (the same path twice, \`X/\` next to \`X\`, a folder next to a \`*\` pattern in it)`,
  'node-entry-needs-read': (d) =>
    `Node reads its entry file \`${d.entry}\` only with a read grant that covers it (before 22.17 / 24.2): it stops with ERR_ACCESS_DENIED; add \`--allow-fs-read=${d.entry}\``,
  'node-config-unknown-permission-key': (d) => `Node rejects \`${d.key}\` in the \`permission\` namespace`,
  'deno1-global-unstable': (d) => {
    // Deno 2 (2.9.6) refuses both before the subcommand: "unrecognized subcommand 'run'" after
    // bare --unstable, "unexpected argument '--unstable-kv' found" for a feature flag
    const bare = d.flag === '--unstable';
    const refusal = bare ? `unrecognized subcommand '${d.subcommand}'` : `unexpected argument '${d.flag}' found`;
    const fix = bare ? `\`deno ${d.subcommand} --unstable-<feature>\`` : `\`deno ${d.subcommand} ${d.word}\``;
    return `\`${d.word}\` before the subcommand is a Deno 1.x global flag: Deno 2 stops with "${refusal}"; write ${fix}`;
  },
  'deno-unstable-deprecated': (d) =>
    `bare \`--unstable\` is deprecated${d.since140 ? ' since Deno 1.40' : ''}; enable the features you use with \`--unstable-<feature>\` or \`"unstable": [...]\` in deno.json`,
  'deno-dash-dash-no-script': (d) => `\`--\` ends Deno's options, and \`deno ${d.subcommand}\` then has no script: it stops with "Please specify a [SCRIPT_ARG]"`,
  'deno-unknown-flag': (d) => `\`deno ${d.subcommand}\` has no flag \`${d.flag}\`${d.permissionLike ? ': it stops with "unexpected argument"' : ''}`,
  'deno-short-prints': (d) => `\`-${d.letter}\` in \`${d.word}\` is \`${d.flag}\`: Deno prints it and runs nothing`,
  'deno-flag-cluster': (d) => {
    const v = d.word;
    const j = d.at;
    const letter = v[j]!;
    const rest = v.slice(j + 1);
    return `\`${v}\` reads as \`${v.slice(0, j)} -${letter} ${rest || d.next}\`: \`-${letter}\` is \`${d.flag}\`, which takes ${rest ? `\`${rest}\`` : 'the next word'} as its value; write the value with \`=\` (\`${v.slice(0, j)}=${v.slice(j)}\`)`;
  },
  'deno-install-local-permissions': () => 'Permission flags can only be used with `deno install -g`',
  'deno-value-with-space': (d) =>
    `\`${d.flag} ${d.script}\`: Deno takes \`${d.script}\` as the script to run${d.grant ? `, and \`${d.flag}\` grants everything of its kind` : ''}; write \`${d.flag}=${d.script}\``,
  'deno-lock-swallows-script': (d) => `\`${d.flag}\`: \`--lock\` takes \`${d.value}\` as the lock file, so there is no script to run; write \`--lock=deno.lock ${d.value}\``,
  'deno-import-flag-too-new': (d) =>
    `\`${d.flag}\` does not exist before Deno ${d.deny ? '2.4' : '2.0'}${d.deny ? '' : ' (Deno 1.x does not gate imports)'}: Deno stops with \`unexpected argument\``,
  'deno-takes-no-permissions': (d) => `\`deno ${d.subcommand}\` takes no permission flags`,
  'deno-value-refused': (d) => VALUE_REFUSALS[d.refusal](d.value),
  'deno-hrtime-removed': (d) => `\`${d.flag}\` was removed in Deno 2 (high-resolution time is always allowed); the flag does nothing`,
  'deno-lock-write-removed': () => '`--lock-write` was removed in Deno 2; use `deno install` or `--frozen=false` once to update the lockfile',
  'deno-narrowed-by-repeat': (d) => `\`${d.bare}\` next to \`${d.listed}\` does not grant everything: Deno 2.9.6 merges them into the list only`,
  'deno1-repeated-flag': (d) => `\`${d.second}\` repeats \`${d.first}\`: Deno 1.x refuses a permission flag given twice (\`cannot be used multiple times\`)`,
  'deno1-allow-all-twice': () => '`--allow-all` given twice: Deno 1.x refuses it (`cannot be used multiple times`)',
  'deno-allow-all-conflict': (d) => `\`--allow-all\` conflicts with \`${d.grant}\``,
  'deno-unknown-permission-set': (d) => `Could not find permission set '${d.name}' in deno.json`,
  'deno-set-not-object': () => 'a permission set must be an object',
  'deno-set-unknown-field': (d) => `unknown field \`${d.field}\` in a permission set; expected one of ${d.expected.map((s) => `\`${s}\``).join(', ')}`,
  'deno-set-all-not-boolean': () => '`all` must be true or false',
  'deno-set-entry-not-string': (d) => `entries of \`${d.key}\` must be strings`,
  'deno-set-plain-string': (d) =>
    `\`"${d.key}": ${d.text}\` is refused by Deno: a plain string is not a permission value; use \`true\`, \`false\` or a list (\`["${d.value}"]\`)`,
  'deno-set-bad-value': (d) => `\`${d.key}\` must be true, false, a list, or { allow, deny, ignore }`,
  'deno-set-unknown-mode': (d) => `unknown field \`${d.mode}\` in \`${d.key}\`; expected \`allow\`, \`deny\` or \`ignore\``,
  'deno-set-ignore-kind': (d) => `\`ignore\` is only accepted for \`read\` and \`env\`, not \`${d.key}\``,
};

/** The words of one wording. */
export function grammarWording(data: GrammarWording): string {
  return (WORDINGS[data.w] as (d: GrammarWording) => string)(data);
}

/** The message of a grammar diagnostic (without what a rule adds: pinned versions, advice). */
export function grammarMessage(d: Pick<GrammarDiagnostic, 'data'>): string {
  return grammarWording(d.data);
}

/** Why an invocation runs with every permission (`implicit` in the audit JSON, a documented output). */
export function implicitAllReason(c: ImplicitAllCause): string {
  switch (c.cause) {
    case 'deno-subcommand':
      return `\`deno ${c.subcommand}\` always runs with all permissions`;
    case 'node-audit-only':
      return '`--permission-audit` without `--permission` only reports accesses the grants would deny; nothing is restricted';
    case 'node-model-off':
      return 'the Node permission model is not enabled (no `--permission`)';
  }
}
