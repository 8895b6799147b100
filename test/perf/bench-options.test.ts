/**
 * `npm run bench`'s options (scripts/bench.mjs): `--help` prints the usage, and a mistyped option,
 * corpus name or run count stops with exit 2 and says which, before anything is built or
 * measured (a typo in `--only` used to measure nothing and print an empty table).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BENCH = fileURLToPath(new URL('../../scripts/bench.mjs', import.meta.url));
const bench = (...args: string[]) => spawnSync(process.execPath, [BENCH, ...args], { encoding: 'utf8' });

describe('npm run bench options', () => {
  it('prints its usage with --help and exits 0', () => {
    const r = bench('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: node scripts\/bench\.mjs \[options\]/);
    expect(r.stdout).toContain('--only A,B,...   only these: ts-1k, ts-5k, ts-10k, ts-50k, sh-200k-lines, deno-json-1.8MB-task, sh-var-20k-paths, workflow-400k, deno, std, mix-1k, mix-10k, mix-50k, corpus, hostile\n');
    expect(r.stdout).toContain('\n  --bounds         also lower bounds no implementation can beat (scripts/bench-bound.mjs): each\n');
    expect(r.stderr).toBe('');
  });

  it.each([
    [['--only', 'deno,stdd'], 'bench: --only: no such corpus "stdd"'],
    [['--runs', '0'], 'bench: --runs takes a whole number of runs, 1 or more (got "0")'],
    [['--runs', 'five'], 'bench: --runs takes a whole number of runs, 1 or more (got "five")'],
    [['--rnus', '3'], "bench: Unknown option '--rnus'"],
  ])('stops on %j with exit 2, saying why, before measuring anything', (args, message) => {
    const r = bench(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).toContain('usage: node scripts/bench.mjs');
    expect(r.stdout).toBe('');
  });
});
