/**
 * Differential test of NODE_OPTIONS in shell scripts against real Node releases (20, 22, 24, 25, 26) run
 * by POSIX sh (`/bin/sh`): `export NODE_OPTIONS=…` on one line and `node` on a later one, `export
 * …; node`, `NODE_OPTIONS=… node`, an assignment that is not exported, `export NAME` after the
 * assignment, `unset`, a new value of an exported variable, `$NODE_OPTIONS` appended to, an
 * `if` block; and control flow: subshells, pipeline elements, background jobs, command
 * substitutions, `{ …; }` groups, `&&` / `||`, `if` / `case` / loops, functions defined before an
 * export and called after, `X=… f`, `env -u`, `env X=…`, `sh -c` children. Where the outcome
 * depends on what is not known statically (UNKNOWN_SHAPES), the model must say NODE_OPTIONS is
 * unknown. The model is the whole pipeline — the shell source reads the script, the link phase
 * runs, and `queryNode` answers for the last `node` line — compared with what the probe it starts
 * prints (`process.permission.has`, or that the model is off). Answers are cached per version in
 * test/differential/answers/node-script-<version>.json (`npm run differential:refresh`).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeEffectiveFor } from '../../src/grammar/node.js';
import { queryNode } from '../../src/grammar/query.js';
import { lint } from '../../src/lint.js';
import { memoryFs } from '../../src/fs.js';
import { AnswerCache, answerOf, keyOf } from './answers.js';
import { runtimes } from './runtimes.js';
import { isDirectory, NODE_FATAL, pool, prng, probeFolder, run } from './util.js';
import { dynamicText } from '../../src/messages/dynamic.js';
import { grammarMessage } from '../../src/messages/grammar.js';

/** The releases compared (scripts/runtimes.mjs NODE_VERSIONS). */
const VERSIONS = (await runtimes()).NODE_VERSIONS;
/** From 25 on, the values also carry the corners those releases add (a PRNG of their own keeps the older cases as they were). */
const NEWER = '>=25.0.0';
const CASES = Number(process.env.PERMLINT_DIFF_SCRIPT_CASES ?? 160);
const SEED = Number(process.env.PERMLINT_DIFF_SEED ?? 0x5c41);
const FATAL = NODE_FATAL;

let base = '';

/** The shapes of script the cases are built from; `X` and `Y` are NODE_OPTIONS values, `A` words on the node line. */
/** `P` is the probe, written absolute: a relative entry under absolute grants depends on the folder the script runs from, which a linter does not know. */
const SHAPES: ((x: string, y: string, a: string) => string)[] = [
  (x, _y, a) => `export NODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  (x, _y, a) => `export NODE_OPTIONS="${x}"; node ${a}$P\n`,
  (x, _y, a) => `NODE_OPTIONS="${x}" node ${a}$P\n`,
  (x, _y, a) => `NODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  (x, _y, a) => `NODE_OPTIONS="${x}"\nexport NODE_OPTIONS\nnode ${a}$P\n`,
  (x, _y, a) => `export NODE_OPTIONS="${x}"\nunset NODE_OPTIONS\nnode ${a}$P\n`,
  (x, y, a) => `export NODE_OPTIONS="${x}"\nNODE_OPTIONS="${y}"\nnode ${a}$P\n`,
  (x, y, a) => `export NODE_OPTIONS="${x}"\nexport NODE_OPTIONS="$NODE_OPTIONS ${y}"\nnode ${a}$P\n`,
  (x, y, a) => `export NODE_OPTIONS="${x}"\nNODE_OPTIONS="${y}" node ${a}$P\n`,
  (x, _y, a) => `if true; then export NODE_OPTIONS="${x}"; fi\nnode ${a}$P\n`,
  (x, _y, a) => `export NODE_OPTIONS="${x}"\necho ready >/dev/null\nnode ${a}$P\n`,
  (x, y, a) => `NODE_OPTIONS="${y}"\nexport NODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  // control flow: what stays in a subshell, what reaches the script, functions run where they are called
  (x, _y, a) => `( export NODE_OPTIONS="${x}" )\nnode ${a}$P\n`,
  (x, y, a) => `export NODE_OPTIONS="${y}"\n( export NODE_OPTIONS="${x}"; node ${a}$P )\n`,
  (x, _y, a) => `export NODE_OPTIONS="${x}" | cat\nnode ${a}$P\n`,
  (x, _y, a) => `true | export NODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  (x, _y, a) => `export NODE_OPTIONS="${x}" &\nwait\nnode ${a}$P\n`,
  (x, _y, a) => `v=$(export NODE_OPTIONS="${x}")\nnode ${a}$P\n`,
  (x, _y, a) => `{ export NODE_OPTIONS="${x}"; }\nnode ${a}$P\n`,
  (x, _y, a) => `true && export NODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  (x, _y, a) => `false || export NODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  (x, y, a) => `export NODE_OPTIONS="${y}"\nfalse && unset NODE_OPTIONS\nnode ${a}$P\n`,
  (x, y, a) => `if false; then export NODE_OPTIONS="${y}"; else export NODE_OPTIONS="${x}"; fi\nnode ${a}$P\n`,
  (x, _y, a) => `f() { node ${a}$P; }\nexport NODE_OPTIONS="${x}"\nf\n`,
  (x, y, a) => `export NODE_OPTIONS="${y}"\nf() { node ${a}$P; }\nNODE_OPTIONS="${x}" f\n`,
  (x, y, a) => `NODE_OPTIONS="${y}"\nf() { node ${a}$P; }\nNODE_OPTIONS="${x}" f\n`,
  (x, _y, a) => `f() { export NODE_OPTIONS="${x}"; }\nf\nnode ${a}$P\n`,
  (x, _y, a) => `f() ( export NODE_OPTIONS="${x}" )\nf\nnode ${a}$P\n`,
  (x, y, a) => `export NODE_OPTIONS="${x}"\ng() { unset NODE_OPTIONS; }\nf() { g; node ${a}$P; }\nf\n`,
  (x, _y, a) => `export NODE_OPTIONS="${x}"\nenv -u NODE_OPTIONS node ${a}$P\n`,
  (x, y, a) => `export NODE_OPTIONS="${y}"\nenv NODE_OPTIONS="${x}" node ${a}$P\n`,
  (x, _y, a) => `NODE_OPTIONS="${x}"\nsh -c 'node ${a}$P'\n`,
  (x, _y, a) => `NODE_OPTIONS="${x}"\nexport NODE_OPTIONS\nsh -c 'node ${a}$P'\n`,
  (x, y, a) => `export NODE_OPTIONS="${x}"\nsh -c 'export NODE_OPTIONS="${y}"'\nnode ${a}$P\n`,
  (x, y, a) => `if true; then :; else export NODE_OPTIONS="${y}"; fi\nexport NODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  // set -a (allexport) exports later assignments; set +a stops it; a subshell keeps it to itself
  (x, _y, a) => `set -a\nNODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  (x, y, a) => `set -eo allexport\nNODE_OPTIONS="${x}"\nset +a\nNODE_OPTIONS="${y}"\nnode ${a}$P\n`,
  (x, _y, a) => `( set -a )\nNODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  (x, _y, a) => `export NODE_OPTIONS="${x}"\nfor i in 1 2; do node ${a}$P; done\n`,
  // a variable the value is built from: a subshell's assignment is undone after it
  (x, y, a) => `EXTRA=""\n( EXTRA="${y}" )\nexport NODE_OPTIONS="${x} $EXTRA"\nnode ${a}$P\n`,
];

/**
 * Shapes whose outcome depends on something the script cannot know statically (an unset
 * variable here): the model must mark NODE_OPTIONS as unknown rather than pick one way.
 */
const UNKNOWN_SHAPES: ((x: string, y: string, a: string) => string)[] = [
  (x, _y, a) => `if [ -n "$NO_SUCH_VAR" ]; then export NODE_OPTIONS="${x}"; fi\nnode ${a}$P\n`,
  (x, _y, a) => `[ -n "$NO_SUCH_VAR" ] && export NODE_OPTIONS="${x}"\nnode ${a}$P\n`,
  (x, _y, a) => `case "$NO_SUCH_VAR" in "") export NODE_OPTIONS="${x}";; *) unset NODE_OPTIONS;; esac\nnode ${a}$P\n`,
  (x, _y, a) => `for f in $NO_SUCH_VAR; do export NODE_OPTIONS="${x}"; done\nnode ${a}$P\n`,
  // a loop is read as running any number of times, even over literal words (a known limit)
  (x, _y, a) => `for i in 1 2; do export NODE_OPTIONS="${x}"; done\nnode ${a}$P\n`,
  // a variable set on one branch only, then used in the value
  (x, y, a) => `if [ -n "$NO_SUCH_VAR" ]; then EXTRA="${y}"; fi\nexport NODE_OPTIONS="${x} $EXTRA"\nnode ${a}$P\n`,
];

interface Case {
  script: string;
  /** The model must say NODE_OPTIONS is not known here (UNKNOWN_SHAPES). */
  unknown?: true;
}

function generate(B: string, version: string): Case[] {
  const r = prng(SEED);
  // 25/26: the network gated (`--allow-net`, a boolean that ignores a value), `--allow-ffi` (26.1),
  // `--allow-fs-vfs` (26.9), `--permission-audit` instead of `--permission` (grants audited, nothing denied)
  const newer = semver.satisfies(version, NEWER) ? prng(SEED ^ 0x2526) : undefined;
  const newerGrants = ['--allow-net', '--allow-net=example.com', '--allow-ffi', '--allow-fs-vfs', '--allow-addons'];
  const grants = [`--allow-fs-read=${B}/data`, `--allow-fs-read=${B}/probe.cjs`, `--allow-fs-write=${B}/other`, '--allow-child-process', '--allow-worker', `--allow-fs-read=${B}`, '--allow-addons'];
  const options = () => {
    const words = [r.pick(['--permission', '--experimental-permission'])];
    if (r.chance(0.8)) words.push(`--allow-fs-read=${B}/probe.cjs`);
    words.push(...r.some(grants, 0, 2));
    if (r.chance(0.15)) words.shift(); // grants without the model: nothing is restricted
    if (newer) {
      if (words[0] === '--experimental-permission' && newer.chance(0.8)) words[0] = '--permission';
      if (words[0]?.endsWith('permission') && newer.chance(0.15)) words[0] = '--permission-audit';
      words.push(...newer.some(newerGrants, 0, 2));
    }
    return [...new Set(words)].join(' ');
  };
  const out: Case[] = [];
  const all = [...SHAPES.map((shape) => ({ shape, unknown: false })), ...UNKNOWN_SHAPES.map((shape) => ({ shape, unknown: true }))];
  for (let n = 0; n < CASES; n++) {
    const { shape, unknown } = all[n % all.length]!;
    const a = r.chance(0.25) ? `${r.pick(grants)} ` : '';
    const script = `#!/bin/sh\n${shape(options(), options(), a)}`.replaceAll('$P', `${B}/probe.cjs`);
    out.push(unknown ? { script, unknown } : { script });
  }
  return out;
}

type Probe = [string, string?];
function probes(B: string, version: string): Probe[] {
  const refs = [`${B}/data`, `${B}/data/file.txt`, `${B}/other`, `${B}/probe.cjs`, '/etc/hosts'];
  const newer: Probe[] = semver.satisfies(version, NEWER) ? [['net'], ['ffi']] : [];
  return [...refs.map((ref): Probe => ['fs.read', ref]), ...refs.slice(0, 3).map((ref): Probe => ['fs.write', ref]), ['child'], ['worker'], ['addon'], ...newer];
}

beforeAll(() => {
  base = probeFolder('permlint-node-script-', ['data', 'other'], { 'data/file.txt': 'x' });
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe.each(VERSIONS)('differential: NODE_OPTIONS in shell scripts vs sh + node %s', (version) => {
  it('the shell source and link phase agree with what the last `node` line gets, for every case', { timeout: 0 }, async () => {
    const list = probes(base, version);
    writeFileSync(
      join(base, 'probe.cjs'),
      `const qs = ${JSON.stringify(list)};\n` +
        `if (!process.permission) console.log(JSON.stringify('off'));\n` +
        `else console.log(JSON.stringify(qs.map(([s, r]) => (r === undefined ? process.permission.has(s) : process.permission.has(s, r)))));\n`,
    );
    const cases = generate(base, version);
    const cache = new AnswerCache('node-script', version, JSON.parse(JSON.stringify(list).replaceAll(base, '$B')), {});
    const keys = cases.map((c) => keyOf(base, { argv: ['sh', 'run.sh'], env: { SCRIPT: c.script }, cwd: base }));
    const missing = cases.flatMap((c, i) => (cache.get(keys[i]!) ? [] : [i]));
    if (missing.length > 0) {
      const exe = (await runtimes()).nodeBinary(version);
      await pool(missing, 2, async (i) => {
        const file = join(base, `run-${i}.sh`);
        writeFileSync(file, cases[i]!.script);
        const res = await run('/bin/sh', [file], base, { PATH: `${dirname(exe)}:${process.env.PATH ?? '/usr/bin:/bin'}` });
        cache.set(keys[i]!, answerOf(res, base, (l) => /error|bad option|Assertion|ERR_/i.test(l), { firstLine: false, states: (v) => (v === 'off' ? ['off'] : (v as unknown[])) }));
      });
    }
    cache.keepOnly(new Set(keys));
    cache.save();

    const failures: string[] = [];
    let agreed = 0;
    let refusedByBoth = 0;
    let off = 0;
    let unknown = 0;
    let audit = 0;
    const pin = { '.nvmrc': `${version}\n` };
    for (const [i, c] of cases.entries()) {
      const real = cache.get(keys[i]!)!;
      const { model } = await lint(memoryFs({ 'run.sh': c.script, ...pin }));
      const inv = model.invocations.filter((x) => x.runtime === 'node' && x.origin.file === 'run.sh').pop();
      const shown = c.script.replaceAll(base, '$B');
      if (!inv) {
        failures.push(`${shown}\n    no node invocation in the model`);
        continue;
      }
      const unknownHere = inv.unresolved.some((t) => !inv.argv.includes(t));
      if (c.unknown || unknownHere) {
        // the real run took one way; the model must not pick one
        if (c.unknown && unknownHere) {
          agreed++;
          unknown++;
        } else failures.push(`${shown}\n    ${c.unknown ? 'the outcome depends on a branch not known statically, but the model read NODE_OPTIONS as known' : `the model marked NODE_OPTIONS unknown: ${inv.unresolved.map((t) => dynamicText(t.dynamic ?? [])).join('; ')}`}`);
        continue;
      }
      const fatal = inv.diagnostics.filter((d) => FATAL.has(d.code) && (!d.versions || semver.satisfies(version, d.versions.range))).map((d) => `${d.code}: ${grammarMessage(d)}`);
      if (!real.ok) {
        if (fatal.length > 0) {
          agreed++;
          refusedByBoth++;
        } else failures.push(`${shown}\n    node refused: ${real.error}\n    model accepted`);
        continue;
      }
      if (fatal.length > 0) {
        failures.push(`${shown}\n    node accepted\n    model refused: ${fatal.join('; ')}`);
        continue;
      }
      // `--permission-audit` without `--permission`: nothing is denied (implicitAll), but `has()` answers for the grants
      const audited = !!inv.implicitAll && inv.flags.some((f) => f.name === '--permission-audit');
      if (audited) audit++;
      if (real.states[0] === 'off' || (inv.implicitAll && !audited)) {
        if (real.states[0] === 'off' && inv.implicitAll) {
          agreed++;
          off++;
        } else failures.push(`${shown}\n    node: ${real.states[0] === 'off' ? 'model off' : 'model on'}; permlint: ${inv.implicitAll ? 'model off' : 'model on'}`);
        continue;
      }
      const opts = { cwd: base, isDirectory, version };
      const answering = audited ? nodeEffectiveFor(inv.permissions, inv.entrypoint, version) : inv.effective;
      const got = list.map(([scope, ref]) => queryNode(answering, scope, ref, opts));
      const diffs = list.flatMap((q, j) => (got[j] === real.states[j] ? [] : [`has(${q.map((x) => JSON.stringify(x)).join(', ')}): node ${String(real.states[j])}, model ${String(got[j])}`]));
      if (diffs.length === 0) agreed++;
      else failures.push(`${shown}\n    ${diffs.slice(0, 6).join('\n    ')}`);
    }
    console.log(
      `${agreed}/${cases.length} scripts agreed with sh + node ${version} (${refusedByBoth} refused by both, ${off} without the permission model, ${audit} audit only, ${unknown} marked unknown where the script branches on what is not known statically; ${cases.length - missing.length} answered from ${cache.file.replace(/.*test\//, 'test/')}, ${missing.length} asked of the runtime)`,
    );
    expect(failures.slice(0, 10).join('\n\n').replaceAll(base, '$B'), `${failures.length} disagreements`).toBe('');
    expect(agreed).toBe(cases.length);
  });
});
