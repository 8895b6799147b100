/**
 * The wording of every grammar diagnostic and implicit-grant cause (src/messages/grammar.ts), pinned
 * word for word: the grammars emit a code plus data, and these sentences are what the rules
 * (`deprecated-flag`, `ineffective-flag`, `invalid-permission`, `omitted-permissions`,
 * `container-privileges`) and the audit (`startup.refusals[].message`, `implicit`) print. The table
 * is keyed by every wording id, so a new one without a pinned sentence does not typecheck.
 */
import { describe, expect, it } from 'vitest';
import type { DenoValueRefusal, GrammarWording, GrammarWordingData, ImplicitAllCause } from '../../src/model.js';
import { grammarMessage, grammarWording, implicitAllReason } from '../../src/messages/grammar.js';
import { parseDeno } from '../../src/grammar/deno.js';
import { parseNode } from '../../src/grammar/node.js';
import { validateDenoValue } from '../../src/grammar/permissions.js';
import type { Token } from '../../src/model.js';

type Cases = { [W in keyof GrammarWordingData]: [GrammarWordingData[W], string][] };

const CASES: Cases = {
  'flag-after-script': [
    [{ runtime: 'node', flag: '--allow-fs-read=/data', script: 'app.js' }, '`--allow-fs-read=/data` comes after the script `app.js`, so it is passed to the program and Node never sees it'],
    [{ runtime: 'node', flag: '--permission' }, '`--permission` comes after the script, so it is passed to the program and Node never sees it'],
    [{ runtime: 'deno', flag: '--allow-net', script: 'main.ts' }, '`--allow-net` comes after the script `main.ts`, so it is passed to the program and Deno never sees it'],
  ],
  'node-experimental-permission-renamed': [[{}, '`--experimental-permission` is the old name of `--permission` (stable since Node 22.13 / 23.5, and removed in Node 24)']],
  'node-experimental-permission-removed': [[{}, '`--experimental-permission` was removed in Node 24: Node stops with `bad option`']],
  'node-permission-too-new': [[{}, '`--permission` does not exist before Node 22.13 / 23.5: Node stops with `bad option`']],
  'node-flag-too-new': [
    [{ flag: '--permission-audit', since: '25.9.0' }, '`--permission-audit` does not exist before Node 25.9.0: Node stops with `bad option`'],
    [
      { flag: '--allow-net', since: '25.0.0', netUngated: true },
      '`--allow-net` does not exist before Node 25.0.0: Node stops with `bad option` (and before Node 25 the permission model does not restrict the network at all)',
    ],
  ],
  'node-policy-removed': [
    [{ flag: '--experimental-policy' }, 'policies (`--experimental-policy`) were removed in Node 22.2; use the permission model (`--permission`)'],
    [{ flag: '--policy-integrity' }, '`--policy-integrity` was removed with policies in Node 22.2'],
  ],
  'node-needs-path': [[{ flag: '--allow-fs-read' }, '`--allow-fs-read` needs a path (or `*`)']],
  'node-fs-comma-list': [
    [{ flag: '--allow-fs-read', value: 'a,b' }, 'Node reads `a,b` as one path: comma-separated lists are no longer valid since Node 20.7; repeat `--allow-fs-read` for each path'],
  ],
  'node-boolean-with-value': [
    [{ flag: '--allow-child-process', value: 'git', kind: 'run' }, '`--allow-child-process` is a boolean flag: Node ignores `=git` and grants subprocesses without restriction'],
    [{ flag: '--allow-addons', value: 'x', kind: 'ffi' }, '`--allow-addons` is a boolean flag: Node ignores `=x` and grants native code (FFI / addons) without restriction'],
  ],
  'node-value-with-space': [
    [{ flag: '--allow-fs-read', value: 'app.js' }, '`--allow-fs-read app.js`: Node takes `app.js` as the path to grant, so no script runs; write `--allow-fs-read=<path> app.js`'],
  ],
  'node-fs-grant-without-model': [
    [
      { grant: '--allow-fs-read=/data' },
      '`--allow-fs-read=/data` without `--permission`: Node stops at start-up with ERR_MISSING_OPTION (the file-system grants need the permission model on)',
    ],
  ],
  'node-grant-without-model-26': [
    [{ grant: '--allow-net' }, '`--allow-net` without `--permission`: Node 26 stops at start-up with ERR_MISSING_OPTION (earlier releases ignore the grant)'],
  ],
  'node-fs-overlap': [
    [{ kind: 'read' }, 'Node 20 aborts at start-up when two `--allow-fs-read` paths overlap (the same path twice, `X/` next to `X`, a folder next to a `*` pattern in it)'],
  ],
  'node-entry-needs-read': [
    [
      { entry: 'app.js' },
      'Node reads its entry file `app.js` only with a read grant that covers it (before 22.17 / 24.2): it stops with ERR_ACCESS_DENIED; add `--allow-fs-read=app.js`',
    ],
  ],
  'node-config-unknown-permission-key': [[{ key: 'allow-foo' }, 'Node rejects `allow-foo` in the `permission` namespace']],
  'deno1-global-unstable': [
    [
      { word: '--unstable', flag: '--unstable', subcommand: 'run' },
      '`--unstable` before the subcommand is a Deno 1.x global flag: Deno 2 stops with "unrecognized subcommand \'run\'"; write `deno run --unstable-<feature>`',
    ],
    [
      { word: '--unstable-kv', flag: '--unstable-kv', subcommand: 'test' },
      '`--unstable-kv` before the subcommand is a Deno 1.x global flag: Deno 2 stops with "unexpected argument \'--unstable-kv\' found"; write `deno test --unstable-kv`',
    ],
  ],
  'deno-unstable-deprecated': [
    [{}, 'bare `--unstable` is deprecated; enable the features you use with `--unstable-<feature>` or `"unstable": [...]` in deno.json'],
    [{ since140: true }, 'bare `--unstable` is deprecated since Deno 1.40; enable the features you use with `--unstable-<feature>` or `"unstable": [...]` in deno.json'],
  ],
  'deno-dash-dash-no-script': [[{ subcommand: 'run' }, '`--` ends Deno\'s options, and `deno run` then has no script: it stops with "Please specify a [SCRIPT_ARG]"']],
  'deno-unknown-flag': [
    [{ subcommand: 'run', flag: '--foo' }, '`deno run` has no flag `--foo`'],
    [{ subcommand: 'fmt', flag: '-Z' }, '`deno fmt` has no flag `-Z`'],
    [{ subcommand: 'run', flag: '--ignore-write', permissionLike: true }, '`deno run` has no flag `--ignore-write`: it stops with "unexpected argument"'],
  ],
  'deno-short-prints': [[{ letter: 'h', word: '-Ah', flag: '--help' }, '`-h` in `-Ah` is `--help`: Deno prints it and runs nothing']],
  'deno-flag-cluster': [
    [
      { word: '-Scpus', at: 2, flag: '--config', next: 'main.ts' },
      '`-Scpus` reads as `-S -c pus`: `-c` is `--config`, which takes `pus` as its value; write the value with `=` (`-S=cpus`)',
    ],
    [
      { word: '-Ac', at: 2, flag: '--config', next: 'deno.json' },
      '`-Ac` reads as `-A -c deno.json`: `-c` is `--config`, which takes the next word as its value; write the value with `=` (`-A=c`)',
    ],
  ],
  'deno-install-local-permissions': [[{}, 'Permission flags can only be used with `deno install -g`']],
  'deno-value-with-space': [
    [
      { flag: '--allow-read', script: 'data', grant: true },
      '`--allow-read data`: Deno takes `data` as the script to run, and `--allow-read` grants everything of its kind; write `--allow-read=data`',
    ],
    [{ flag: '--permission-set', script: 'ci', grant: false }, '`--permission-set ci`: Deno takes `ci` as the script to run; write `--permission-set=ci`'],
  ],
  'deno-lock-swallows-script': [
    [{ flag: '--lock main.ts', value: 'main.ts' }, '`--lock main.ts`: `--lock` takes `main.ts` as the lock file, so there is no script to run; write `--lock=deno.lock main.ts`'],
  ],
  'deno-import-flag-too-new': [
    [{ flag: '--allow-import', deny: false }, '`--allow-import` does not exist before Deno 2.0 (Deno 1.x does not gate imports): Deno stops with `unexpected argument`'],
    [{ flag: '--deny-import', deny: true }, '`--deny-import` does not exist before Deno 2.4: Deno stops with `unexpected argument`'],
  ],
  'deno-takes-no-permissions': [[{ subcommand: 'fmt' }, '`deno fmt` takes no permission flags']],
  'deno-value-refused': [
    [{ refusal: 'empty-command', value: '' }, 'Empty command name not allowed in --allow-run=...'],
    [{ refusal: 'port', value: '99999' }, "invalid port: '99999'"],
  ],
  'deno-hrtime-removed': [[{ flag: '--allow-hrtime' }, '`--allow-hrtime` was removed in Deno 2 (high-resolution time is always allowed); the flag does nothing']],
  'deno-lock-write-removed': [[{}, '`--lock-write` was removed in Deno 2; use `deno install` or `--frozen=false` once to update the lockfile']],
  'deno-narrowed-by-repeat': [
    [{ bare: '--allow-read', listed: '--allow-read=/tmp' }, '`--allow-read` next to `--allow-read=/tmp` does not grant everything: Deno 2.9.6 merges them into the list only'],
  ],
  'deno1-repeated-flag': [
    [{ first: '-R', second: '--allow-read' }, '`--allow-read` repeats `-R`: Deno 1.x refuses a permission flag given twice (`cannot be used multiple times`)'],
  ],
  'deno1-allow-all-twice': [[{}, '`--allow-all` given twice: Deno 1.x refuses it (`cannot be used multiple times`)']],
  'deno-allow-all-conflict': [[{ grant: '--allow-net' }, '`--allow-all` conflicts with `--allow-net`']],
  'deno-unknown-permission-set': [[{ name: 'ci' }, "Could not find permission set 'ci' in deno.json"]],
  'deno-set-not-object': [[{}, 'a permission set must be an object']],
  'deno-set-unknown-field': [[{ field: 'foo', expected: ['all', 'read'] }, 'unknown field `foo` in a permission set; expected one of `all`, `read`']],
  'deno-set-all-not-boolean': [[{}, '`all` must be true or false']],
  'deno-set-entry-not-string': [[{ key: 'read' }, 'entries of `read` must be strings']],
  'deno-set-plain-string': [
    [
      { key: 'read', text: '"./data"', value: './data' },
      '`"read": "./data"` is refused by Deno: a plain string is not a permission value; use `true`, `false` or a list (`["./data"]`)',
    ],
  ],
  'deno-set-bad-value': [[{ key: 'net' }, '`net` must be true, false, a list, or { allow, deny, ignore }']],
  'deno-set-unknown-mode': [[{ key: 'net', mode: 'allwo' }, 'unknown field `allwo` in `net`; expected `allow`, `deny` or `ignore`']],
  'deno-set-ignore-kind': [[{ key: 'net' }, '`ignore` is only accepted for `read` and `env`, not `net`']],
};

/** Deno's own refusal of a value (2.9.6), for each refusal `validateDenoValue` gives. */
const REFUSALS: Record<DenoValueRefusal, [kind: Parameters<typeof validateDenoValue>[0], value: string, message: string]> = {
  'empty-command': ['run', '', 'Empty command name not allowed in --allow-run=...'],
  'empty-host': ['net', '', "invalid empty host: ''"],
  'empty-env': ['env', '', 'Empty env not allowed'],
  'empty-sys': ['sys', '', 'Empty sys not allowed'],
  'empty-path': ['read', '', 'Empty path is not allowed'],
  url: ['net', 'https://example.com', "invalid value 'https://example.com': URLs are not supported, only domains and IPs"],
  'unix-socket': ['net', 'unix:', "invalid unix socket path: 'unix:'"],
  vsock: ['net', 'vsock:x', "invalid vsock address: 'vsock:x'"],
  'ipv6-brackets': ['net', 'a:b:80', "ipv6 addresses must be enclosed in square brackets: 'a:b:80'"],
  port: ['net', 'example.com:99999', "invalid port: '99999'"],
  host: ['net', 'exa mple.com', "invalid host: 'exa mple.com'"],
  'sys-name': ['sys', 'cpu', "unknown sys descriptor: 'cpu'"],
  'env-name': ['env', 'A=B', "invalid env var name: 'A=B'"],
};

const IMPLICIT: [ImplicitAllCause, string][] = [
  [{ cause: 'deno-subcommand', subcommand: 'eval' }, '`deno eval` always runs with all permissions'],
  [{ cause: 'deno-subcommand', subcommand: 'jupyter' }, '`deno jupyter` always runs with all permissions'],
  [{ cause: 'node-audit-only' }, '`--permission-audit` without `--permission` only reports accesses the grants would deny; nothing is restricted'],
  [{ cause: 'node-model-off' }, 'the Node permission model is not enabled (no `--permission`)'],
];

function tokens(words: string[]): Token[] {
  return words.map((value, i) => ({ value, span: { file: 'x', line: 1, column: i + 1, endLine: 1, endColumn: i + 1 + value.length } }));
}

describe('grammar wording', () => {
  for (const [w, cases] of Object.entries(CASES)) {
    it(`words ${w}`, () => {
      for (const [data, text] of cases) expect(grammarWording({ w, ...data } as GrammarWording)).toBe(text);
    });
  }

  it("words each value refusal in Deno's words, from the refusal validateDenoValue gives", () => {
    for (const [refusal, [kind, value, text]] of Object.entries(REFUSALS)) {
      const r = validateDenoValue(kind, value, true);
      expect(r?.refusal, `${kind} ${value}`).toBe(refusal);
      expect(grammarWording(r!)).toBe(text);
    }
    expect(validateDenoValue('run', '', true, 'deny')).toBeUndefined();
  });

  it('words each reason an invocation runs with every permission', () => {
    for (const [cause, text] of IMPLICIT) expect(implicitAllReason(cause)).toBe(text);
  });

  it('words what the grammars emit, with the facts they record', () => {
    const deno = parseDeno(tokens(['run', '--allow-all', '--allow-net', 'main.ts', '--allow-read']));
    expect(deno.diagnostics.map((d) => [d.code, grammarMessage(d)])).toEqual([
      ['flag-after-script', '`--allow-read` comes after the script `main.ts`, so it is passed to the program and Deno never sees it'],
      ['allow-all-conflict', '`--allow-all` conflicts with `--allow-net`'],
    ]);
    expect(parseDeno(tokens(['eval', '1'])).implicitAll).toEqual({ cause: 'deno-subcommand', subcommand: 'eval' });
    const node = parseNode(tokens(['--allow-fs-read=/data', 'app.js']));
    expect(node.implicitAll).toEqual({ cause: 'node-model-off' });
    expect(node.diagnostics.map((d) => [d.code, d.data])).toEqual([['refused-at-start', { w: 'node-fs-grant-without-model', grant: '--allow-fs-read=/data' }]]);
  });
});
