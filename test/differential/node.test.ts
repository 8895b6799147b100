/**
 * Differential test of the Node argv grammar + `queryNode` against this machine's Node
 * (`process.execPath`, the 20.x permission model behind `--experimental-permission`).
 * Each generated flag set runs a local probe that prints `process.permission.has(...)` for a
 * fixed list of scopes and references; the model answers the same list from `parseNode`.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNode } from '../../src/grammar/node.js';
import { nodeFsGrantsAbort, queryNode } from '../../src/grammar/query.js';
import { pool, prng, run, tokens } from './util.js';

const SETS = Number(process.env.PERMLINT_DIFF_SETS ?? 60);
const SEED = Number(process.env.PERMLINT_DIFF_SEED ?? 0x0de20);
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Node fatal diagnostics: the runtime refuses to start. */
const FATAL = new Set(['empty-value']);

let base = '';

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function generate(B: string): string[][] {
  const r = prng(SEED);
  const paths = [
    `${B}/data`, `${B}/data/`, `${B}/data/sub`, `${B}/data/file.txt`, `${B}/other`, `${B}/missing`, './data', 'data/sub', 'other', '*', `${B}/da*`,
    `${B}/data/*.txt`, `${B}/*/sub`, '/etc/hosts', '/tmp', `${B}/data,${B}/other`, `*,${B}/x`, `${B}/data/../other`,
  ];
  const booleans = ['--allow-child-process', '--allow-worker', '--allow-addons', '--allow-wasi'];
  const sets: string[][] = [];
  for (let n = 0; n < SETS; n++) {
    const flags: string[] = [];
    const used = { read: new Set<string>([resolve(B, 'probe.cjs')]), write: new Set<string>() };
    const fsFlag = (kind: 'read' | 'write') => {
      // the same resolved path twice always aborts Node 20 (see nodeFsGrantsAbort): mostly avoid it
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
    if (r.chance(0.05)) flags.push(`--allow-fs-${r.pick(['read', 'write'])}=`);
    sets.push(flags);
  }
  return sets;
}

type Probe = [string, string?];

function probes(B: string): Probe[] {
  const refs = [B, `${B}/data`, `${B}/data/`, `${B}/data/file.txt`, `${B}/data/sub/x`, `${B}/database`, `${B}/other`, `${B}/other/y`, `${B}/missing`, `${B}/missing/z`, '/etc/hosts', '/tmp/zz', 'data/file.txt', 'other'];
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
  ];
}

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'permlint-node-diff-')));
  mkdirSync(join(base, 'data/sub'), { recursive: true });
  mkdirSync(join(base, 'other'), { recursive: true });
  writeFileSync(join(base, 'data/file.txt'), 'x');
});

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe(`differential: Node argv grammar vs node ${process.versions.node}`, () => {
  it('agrees with process.permission.has on every generated flag set', async () => {
    expect(NODE_MAJOR).toBeGreaterThanOrEqual(20);
    const list = probes(base);
    const probe = join(base, 'probe.cjs');
    writeFileSync(
      probe,
      `const qs = ${JSON.stringify(list)};\n` +
        `console.log(JSON.stringify(qs.map(([s, r]) => { try { return r === undefined ? process.permission.has(s) : process.permission.has(s, r); } catch (e) { return 'error: ' + e.code; } })));\n`,
    );
    // Node 20 reads the entry point under the permission model too
    const enable = NODE_MAJOR >= 22 ? '--permission' : '--experimental-permission';
    const sets = generate(base).map((flags) => [enable, `--allow-fs-read=${probe}`, ...flags]);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_OPTIONS: '' };
    const results = await pool(sets, 2, (argv) => run(process.execPath, [...argv, probe], base, env));

    const failures: string[] = [];
    let agreed = 0;
    sets.forEach((argv, i) => {
      const res = results[i]!;
      let real: unknown[] | undefined;
      if (res.code === 0) {
        try {
          real = JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as unknown[];
        } catch {
          real = undefined;
        }
      }
      const parse = parseNode(tokens([...argv, probe]));
      const fatal = parse.diagnostics.filter((d) => FATAL.has(d.code)).map((d) => d.message);
      const aborts = nodeFsGrantsAbort(parse.permissions, { cwd: base, isDirectory, version: process.versions.node });
      if (aborts.length > 0) fatal.push(`Node aborts on overlapping --allow-fs-${aborts.join('/')} paths`);
      const shown = `node ${argv.join(' ')} probe.cjs`;
      if (!real) {
        if (fatal.length > 0) agreed++;
        else failures.push(`${shown}\n    node refused: ${res.stderr.trim().split('\n')[0]}\n    model accepted`);
        return;
      }
      if (fatal.length > 0) {
        failures.push(`${shown}\n    node accepted\n    model refused: ${fatal.join('; ')}`);
        return;
      }
      const model = list.map(([scope, ref]) => queryNode(parse.effective, scope, ref, { cwd: base, isDirectory, version: process.versions.node }));
      const diffs = list.flatMap((q, j) => (model[j] === real[j] ? [] : [`has(${q.map((x) => JSON.stringify(x)).join(', ')}): node ${String(real[j])}, model ${String(model[j])}`]));
      if (diffs.length === 0) agreed++;
      else failures.push(`${shown}\n    ${diffs.slice(0, 6).join('\n    ')}`);
    });

    console.log(`${agreed}/${sets.length} flag sets agreed with node ${process.versions.node}`);
    expect(failures.slice(0, 15).join('\n\n').replaceAll(base, '$B'), `${failures.length} disagreements`).toBe('');
    expect(agreed).toBe(sets.length);
  });
});
