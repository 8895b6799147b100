/**
 * Differential test of the Deno argv grammar + permission query model against the real
 * Deno 2.9.6 binary (installed by test/global-setup.ts). For every generated flag set, Deno runs a
 * local probe script that prints `Deno.permissions.querySync(...)` for a fixed list of
 * descriptors; the model answers the same list from `parseDeno` + `queryDeno`. Flag sets
 * Deno refuses at start-up must be refused by the model (a fatal diagnostic), and only then.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeno, isFatalDenoDiagnostic, type PermissionSetResolver } from '../../src/grammar/deno.js';
import { queryDeno, type DenoDescriptor } from '../../src/grammar/query.js';
import { parsePermissionSet, parseJsonc, props } from '../../src/sources/deno-json.js';
import { LineIndex } from '../../src/text.js';
import { AnswerCache, answerOf, keyOf } from './answers.js';
import { runtimes } from './runtimes.js';
import { pool, prng, probeFolder, run, tokens, which } from './util.js';
import { grammarMessage } from '../../src/messages/grammar.js';

const DENO_VERSION = '2.9.6';

// deterministic by default; PERMLINT_DIFF_SEED / PERMLINT_DIFF_SETS explore further when hunting bugs
const SETS = Number(process.env.PERMLINT_DIFF_SETS ?? 1000);
const SEED = Number(process.env.PERMLINT_DIFF_SEED ?? 0x5eed_d3);

let base = '';

interface FlagSet {
  argv: string[];
  /** Run from the subfolder `sub` (the deno.json and its sets stay in the parent). */
  sub?: boolean;
  /** `--` before the script. */
  dashDash?: boolean;
}

/** Program names the vocabulary and probes use; PATH resolves them where the answers were recorded. */
const RUN_NAMES = ['ls', 'git', 'sh', 'nonexistent-prog-x'];

// ---------------------------------------------------------------------------------------
// Vocabulary (paths are filled in once the temp dir exists)

function vocab(B: string) {
  return {
    paths: [`${B}/data`, `${B}/data/sub`, `${B}/other`, './data', 'data/sub', '/etc', '/etc/hosts', `${B}/data/sub/deep.txt`, B, '/', `${B}/data/../other`, 'other/'],
    badPaths: [''],
    hosts: [
      'example.com', 'example.com:443', '*.example.com', 'api.example.com', 'api.example.com:443', '*.api.example.com', 'EXAMPLE.COM',
      '127.0.0.1', '10.0.0.0/8', '10.1.2.3:22', '10.1.0.0/16', '[::1]', '[::1]:8080', ':8080', 'localhost', 'other.org', 'other.org:80',
      `unix:${B}/x.sock`, 'jsr.io', 'jsr.io:443', 'esm.sh:443', '*.org', '-dash.org', 'a_b.example.com', '[::ffff:10.1.2.3]',
    ],
    badHosts: ['', 'http://x.com', '::1', 'a..b', '*', 'example.com:99999', '*.*.com', 'bücher.de', 'unix:rel.sock', '10.0.0.1.'],
    envs: ['HOME', 'AWS_*', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'NODE_ENV', '*', 'DENO_*', 'PATH', 'AWS_RE*'],
    badEnvs: ['', 'A=B'],
    sys: ['hostname', 'username', 'userInfo', 'osRelease', 'cpus', 'uid', 'loadavg'],
    badSys: ['bogus', '', 'time'],
    runs: ['ls', 'git', 'sh', '/usr/bin/ls', '/bin/sh', 'nonexistent-prog-x', './data/tool', `${B}/data`],
    badRuns: [''],
    /** [kind, outer, inner]: `inner` lies inside `outer`. */
    nested: [
      ['read', `${B}/data`, `${B}/data/sub`], ['read', `${B}`, `${B}/other`], ['read', '/', `${B}/data/sub/deep.txt`], ['write', `${B}/data`, './data/sub'],
      ['ffi', `${B}`, `${B}/data`], ['env', 'AWS_*', 'AWS_REGION'], ['env', 'AWS_*', 'AWS_RE*'], ['env', '*', 'HOME'], ['net', '*.example.com', 'api.example.com'],
      ['net', 'example.com', 'example.com:443'], ['net', '*.example.com', '*.api.example.com'], ['net', '10.0.0.0/8', '10.1.2.3'], ['net', '10.0.0.0/8', '10.1.0.0/16'],
      ['net', '*.example.com', 'api.example.com:443'], ['import', 'jsr.io', 'jsr.io:443'], ['run', 'ls', '/usr/bin/ls'], ['run', 'sh', '/bin/sh'], ['sys', 'username', 'userInfo'],
    ] as [Kind, string, string][],
  };
}

type Vocab = ReturnType<typeof vocab>;
type Kind = 'read' | 'write' | 'net' | 'env' | 'sys' | 'run' | 'ffi' | 'import';
const SHORT: Partial<Record<Kind, string>> = { read: 'R', write: 'W', net: 'N', env: 'E', sys: 'S', import: 'I' };

function values(v: Vocab, kind: Kind, r: ReturnType<typeof prng>): string[] {
  const good = { read: v.paths, write: v.paths, ffi: v.paths, net: v.hosts, import: v.hosts, env: v.envs, sys: v.sys, run: v.runs }[kind];
  const bad = { read: v.badPaths, write: v.badPaths, ffi: v.badPaths, net: v.badHosts, import: v.badHosts, env: v.badEnvs, sys: v.badSys, run: v.badRuns }[kind];
  const out = r.some(good, 1, 3);
  if (r.chance(0.06)) out.splice(r.int(out.length + 1), 0, r.pick(bad));
  return out;
}

/** One permission flag, in one of its spellings. */
function flag(v: Vocab, r: ReturnType<typeof prng>): string {
  const kind = r.pick<Kind>(['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import', 'read', 'net', 'env']);
  const modes = kind === 'read' || kind === 'env' ? ['allow', 'allow', 'deny', 'ignore'] : ['allow', 'allow', 'deny'];
  const mode = r.pick(modes);
  const bare = r.chance(0.3);
  const list = bare ? '' : `=${values(v, kind, r).join(',')}`;
  const short = SHORT[kind];
  if (mode === 'allow' && short && r.chance(0.35)) return `-${short}${list}`;
  return `--${mode}-${kind}${list}`;
}

function generate(v: Vocab, setNames: string[]): FlagSet[] {
  const r = prng(SEED);
  const sets: FlagSet[] = [];
  for (let n = 0; n < SETS; n++) {
    const flags: string[] = [];
    const count = 1 + r.int(4);
    for (let i = 0; i < count; i++) flags.push(flag(v, r));
    // repeats of one kind: `--allow-net=a --allow-net=b`, `--allow-net --allow-net=a.com`
    if (r.chance(0.2)) {
      const kind = r.pick<Kind>(['net', 'read', 'env', 'run', 'sys', 'import']);
      const mode = r.chance(0.8) ? 'allow' : 'deny';
      flags.push(r.chance(0.4) ? `--${mode}-${kind}` : `--${mode}-${kind}=${values(v, kind, r).join(',')}`);
      flags.push(`--${mode}-${kind}=${values(v, kind, r).join(',')}`);
    }
    // allow and deny of the same kind with nested scopes (which one is more specific decides)
    if (r.chance(0.3)) {
      const [kind, outer, inner] = r.pick(v.nested);
      const [a, d] = r.chance(0.5) ? [inner, outer] : [outer, inner];
      const pair = [`--allow-${kind}=${a}`, `--${kind === 'read' || kind === 'env' ? r.pick(['deny', 'deny', 'ignore']) : 'deny'}-${kind}=${d}`];
      flags.splice(r.int(flags.length + 1), 0, ...(r.chance(0.5) ? pair : pair.reverse()));
    }
    // combined short flags: -RN, -RWN, -SE=… is not valid; -RN applies both bare
    if (r.chance(0.12)) flags.push(`-${r.some(['R', 'W', 'N', 'E', 'S', 'I'], 2, 4).join('')}`);
    // -A with denies (fine) or with allows (refused)
    if (r.chance(0.15)) {
      flags.unshift(r.pick(['-A', '--allow-all']));
      if (r.chance(0.5)) for (let i = flags.length - 1; i > 0; i--) if (/^(--allow-|-[RWNESI])/.test(flags[i]!)) flags.splice(i, 1);
    }
    corners(v, r, flags);
    // permission sets from the generated deno.json
    if (r.chance(0.2)) {
      const which = r.int(4);
      flags.splice(r.int(flags.length + 1), 0, which === 0 ? '-P' : which === 1 ? '--permission-set' : `${r.pick(['-P', '--permission-set'])}=${r.pick([...setNames, 'missing-set'])}`);
    }
    const set: FlagSet = { argv: flags };
    if (r.chance(0.15)) set.sub = true;
    if (r.chance(0.02)) set.dashDash = true;
    sets.push(set);
  }
  return sets;
}

/** The corners of permission-facts.md §1.2 and §1.16, mixed into generated sets. */
function corners(v: Vocab, r: ReturnType<typeof prng>, flags: string[]): void {
  const at = () => r.int(flags.length + 1);
  const kinds = ['R', 'W', 'N', 'E', 'S', 'I'] as const;
  const valueOf = { R: 'read', W: 'write', N: 'net', E: 'env', S: 'sys', I: 'import' } as const;
  // a value stuck on a short flag (-R/etc, -Nexample.com, -EHOME, -Rw), clusters (-RWN, -EAPP_ENV)
  if (r.chance(0.25)) {
    const k = r.pick(kinds);
    const value = r.chance(0.15) ? r.pick(['w', 'data', 'APP_ENV', 'hostname', 'ENV', 'Wx']) : values(v, valueOf[k], r)[0]!;
    flags.splice(at(), 0, `-${k}${value}`);
  }
  if (r.chance(0.06)) flags.splice(at(), 0, `-${r.some([...kinds, 'A', 'P'], 2, 3).join('')}${r.chance(0.5) ? r.pick(['', 'HOME', 'data', 'x']) : ''}`);
  // a bare deny next to a more specific allow (and the reverse)
  if (r.chance(0.15)) {
    const kind = r.pick<Kind>(['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import']);
    const pair = [`--deny-${kind}`, `--allow-${kind}=${values(v, kind, r).join(',')}`];
    flags.splice(at(), 0, ...(r.chance(0.5) ? pair : pair.reverse()));
  }
  // ignore mixes
  if (r.chance(0.12)) {
    const kind = r.pick<Kind>(['read', 'env']);
    flags.splice(at(), 0, r.chance(0.3) ? `--ignore-${kind}` : `--ignore-${kind}=${values(v, kind, r).join(',')}`);
  }
  // programs in --allow-run are write-protected
  if (r.chance(0.1)) flags.splice(at(), 0, `--allow-run=${r.pick(['./data/tool', 'ls', 'sh', '/bin/sh'])}`, r.chance(0.5) ? '--allow-write' : `--allow-write=${r.pick(['./data', '/usr/bin', '/bin'])}`);
  // denies matched by resolved path
  if (r.chance(0.08)) flags.splice(at(), 0, '--allow-ffi=data/,./data/lib.so,./data', '--deny-ffi=./data');
  // unknown permission-like flags stop Deno
  if (r.chance(0.03)) flags.splice(at(), 0, r.pick(['--ignore-write', '--ignore-net', '--ignore-sys', '--ignore-run', '--allow-plugin', '--allow-reed']));
  // `-P all` (space): `all` is the script
  if (r.chance(0.02)) flags.push('-P', 'all');
}

/** Permission sets for the generated deno.json (all valid: one bad set would break every run). */
function configSets(v: Vocab, r: ReturnType<typeof prng>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const good = (kind: Kind) => ({ read: v.paths.filter((p) => p !== ''), write: v.paths, ffi: v.paths, net: v.hosts.filter((h) => !h.startsWith(':')), import: v.hosts.filter((h) => !h.startsWith(':')), env: v.envs, sys: v.sys, run: v.runs }[kind]);
  for (let n = 0; n < 24; n++) {
    const set: Record<string, unknown> = {};
    if (r.chance(0.25)) set.all = true;
    for (const kind of r.some<Kind>(['read', 'write', 'net', 'env', 'sys', 'run', 'ffi', 'import'], 1, 4)) {
      const list = () => r.some(good(kind), 1, 3);
      const form = r.int(5);
      if (form === 0) set[kind] = true;
      else if (form === 1) set[kind] = r.chance(0.3) ? false : [];
      else if (form === 2) set[kind] = list();
      else if (form === 3 && r.chance(0.4)) set[kind] = { deny: list() };
      else {
        const o: Record<string, unknown> = { allow: r.chance(0.3) ? true : list() };
        if (r.chance(0.7)) o.deny = r.chance(0.2) ? true : list();
        if ((kind === 'read' || kind === 'env') && r.chance(0.4)) o.ignore = list();
        set[kind] = o;
      }
    }
    out[n === 0 ? 'default' : `set${n}`] = set;
  }
  return out;
}

function probeDescriptors(B: string): DenoDescriptor[] {
  const paths = [B, `${B}/data`, `${B}/data/sub`, `${B}/data/sub/deep.txt`, `${B}/data2`, `${B}/other`, `${B}/other/x`, '/etc/hosts', '/etc', '/', `${B}/data/tool`];
  return [
    ...paths.map((path): DenoDescriptor => ({ name: 'read', path })),
    { name: 'read' },
    ...[`${B}/data`, `${B}/data/sub/x`, `${B}/other`, '/usr/bin/sh', '/usr/bin/ls', `${B}/data2`, '/etc/hosts'].map((path): DenoDescriptor => ({ name: 'write', path })),
    { name: 'write' },
    { name: 'ffi', path: `${B}/data/lib.so` },
    { name: 'ffi', path: `${B}/other/lib.so` },
    ...[
      'example.com', 'example.com:443', 'example.com:80', 'api.example.com', 'api.example.com:443', 'a.api.example.com', 'EXAMPLE.com', 'other.org',
      'other.org:80', '127.0.0.1', '127.0.0.1:8080', 'localhost:8080', 'localhost', '0.0.0.0:8080', '10.1.2.3', '10.1.2.3:22', '192.168.1.5', '[::1]',
      '[::1]:8080', `unix:${B}/x.sock`, 'dash.org', '-dash.org', 'a_b.example.com', 'x.org',
    ].map((host): DenoDescriptor => ({ name: 'net', host })),
    { name: 'net' },
    ...['jsr.io:443', 'jsr.io', 'deno.land:443', 'esm.sh:443', 'example.com:443', 'cdn.example.com:443', '127.0.0.1:8080'].map((host): DenoDescriptor => ({ name: 'import', host })),
    ...['HOME', 'PATH', 'AWS_REGION', 'AWS_SECRET_ACCESS_KEY', 'AWSX', 'AWS_', 'NODE_ENV', 'DENO_X', 'AWS_*'].map((variable): DenoDescriptor => ({ name: 'env', variable })),
    { name: 'env' },
    ...['hostname', 'username', 'userInfo', 'osRelease', 'cpus', 'uid', 'gid'].map((kind): DenoDescriptor => ({ name: 'sys', kind })),
    ...['ls', 'git', 'sh', '/usr/bin/ls', '/bin/sh', '/bin/ls', `${B}/data/tool`, './data/tool', 'nonexistent-prog-x'].map((command): DenoDescriptor => ({ name: 'run', command })),
    { name: 'run' },
  ];
}

function resolverFor(configPath: string, setBase: string): PermissionSetResolver {
  const text = readFileSync(configPath, 'utf8');
  const file = { path: 'deno.json', text, index: new LineIndex('deno.json', text) };
  const { root } = parseJsonc(file);
  const perms = props(root).find(([k]) => k === 'permissions')?.[2];
  const sets = new Map(props(perms).map(([name, , node]) => [name, parsePermissionSet(file, node)]));
  return (name) => {
    const set = sets.get(name ?? 'default');
    if (!set) return name === undefined ? { found: true, grants: [], allowAll: false } : { found: false, grants: [], allowAll: false };
    const res = { found: true, declarationId: `deno.json#${name ?? 'default'}`, grants: set.grants, allowAll: !!set.allowAll };
    return setBase ? { ...res, base: setBase } : res;
  };
}

beforeAll(() => {
  base = probeFolder('permlint-deno-diff-', ['data/sub', 'other', 'data2', '.deno_dir', 'sub'], { 'data/sub/deep.txt': 'x' });
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe(`differential: Deno argv grammar vs deno ${DENO_VERSION}`, () => {
  it('agrees with the real runtime on every generated flag set', { timeout: 0 }, async () => {
    const v = vocab(base);
    const config = configSets(v, prng(SEED ^ 0xc0ffee));
    writeFileSync(join(base, 'deno.json'), JSON.stringify({ permissions: config }, null, 2));
    const descriptors = probeDescriptors(base);
    writeFileSync(
      join(base, 'probe.ts'),
      `const ds = ${JSON.stringify(descriptors)};\n` +
        `console.log(JSON.stringify(ds.map((d) => { try { return Deno.permissions.querySync(d).state; } catch (e) { return 'error: ' + e.message; } })));\n`,
    );
    const sets = generate(v, Object.keys(config));
    const here = Object.fromEntries(RUN_NAMES.map((n) => [n, which(n) ?? null]));
    const cache = new AnswerCache('deno', DENO_VERSION, JSON.parse(JSON.stringify({ descriptors, config }).replaceAll(base, '$B')), here);
    const recorded = cache.which;
    const whichRecorded = (name: string) => (name in recorded ? recorded[name] ?? undefined : which(name));

    const invocation = (s: FlagSet) => {
      const cwd = s.sub ? join(base, 'sub') : base;
      const script = s.sub ? '../probe.ts' : 'probe.ts';
      return { cwd, script, args: ['run', '--no-prompt', ...s.argv, ...(s.dashDash ? ['--'] : []), script] };
    };
    const keys = sets.map((s) => {
      const { cwd, args } = invocation(s);
      return keyOf(base, { argv: args, cwd });
    });
    const missing = sets.flatMap((s, i) => (cache.get(keys[i]!) ? [] : [i]));
    if (missing.length > 0) {
      if (RUN_NAMES.some((n) => (recorded[n] ?? null) !== (here[n] ?? null))) {
        throw new Error(`PATH resolves ${RUN_NAMES.join(', ')} differently here than where ${cache.file} was recorded: run \`npm run differential:refresh\``);
      }
      const exe = (await runtimes()).denoBinary();
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(base, '.deno_dir'), NO_COLOR: '1', DENO_NO_PROMPT: '1' };
      await pool(missing, 2, async (i) => {
        const { cwd, args } = invocation(sets[i]!);
        const res = await run(exe, args, cwd, env);
        cache.set(keys[i]!, answerOf(res, base, (l) => l.startsWith('error')));
      });
    }
    cache.keepOnly(new Set(keys));
    cache.save();

    const failures: string[] = [];
    let agreed = 0;
    let refusedByBoth = 0;
    sets.forEach((s, i) => {
      const real = cache.get(keys[i]!)!;
      const { cwd, script, args } = invocation(s);
      const parse = parseDeno(tokens(args), resolverFor(join(base, 'deno.json'), relative(cwd, base)));
      const fatal = parse.diagnostics.filter(isFatalDenoDiagnostic).map((d) => grammarMessage(d));
      if (parse.entrypoint?.value !== script) fatal.push(`the script is \`${parse.entrypoint?.value ?? '(none)'}\``);
      // a config file that is not there (`-Scpus` is `-S -c pus`) is a fact of this folder, not of the flags
      for (const f of parse.flags) if (f.name === '--config' && f.value && !existsSync(join(cwd, f.value))) fatal.push(`no config file \`${f.value}\``);
      const shown = `${s.sub ? '(in sub/) ' : ''}deno ${args.map((a) => (/[\s*]/.test(a) || a === '' ? `'${a}'` : a)).join(' ')}`;
      if (!real.ok) {
        if (fatal.length > 0) {
          agreed++;
          refusedByBoth++;
        } else failures.push(`${shown}\n    deno refused: ${real.error}\n    model accepted`);
        return;
      }
      if (fatal.length > 0) {
        failures.push(`${shown}\n    deno accepted\n    model refused: ${fatal.join('; ')}`);
        return;
      }
      const model = descriptors.map((d) => queryDeno(parse.effective, d, cwd, { which: whichRecorded }));
      const diffs = descriptors.flatMap((d, j) => (model[j] === real.states[j] ? [] : [`${JSON.stringify(d).replaceAll(base, '$B')}: deno ${String(real.states[j])}, model ${model[j]}`]));
      if (diffs.length === 0) agreed++;
      else failures.push(`${shown}\n    ${diffs.slice(0, 6).join('\n    ')}`);
    });

    console.log(
      `${agreed}/${sets.length} flag sets agreed with deno ${DENO_VERSION} (${refusedByBoth} refused by both, ${descriptors.length} probes each; ${sets.length - missing.length} answered from ${cache.file.replace(/.*test\//, 'test/')}, ${missing.length} asked of the runtime)`,
    );
    expect(failures.slice(0, 15).map((f) => f.replaceAll(base, '$B')).join('\n\n'), `${failures.length} disagreements`).toBe('');
    expect(agreed).toBe(sets.length);
  });
});
