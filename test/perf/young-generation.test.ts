/**
 * The CLI's V8 settings (src/heap.ts), after `tuneV8ForCli()`:
 * - the young generation stays at the size it has: a run that allocates and keeps tens of MB (as
 *   a scan does) does not grow the semi-spaces, where V8 alone doubles them up to 16 MiB each;
 * - TurboFan is asked to optimise a function only after about 16 times as much of its bytecode
 *   has run as V8's default budget allows.
 * A worker thread started afterwards sets V8's flags back, and the flags handed to it (as the
 * parser thread gets them) hold again. The library alone changes no flag. One `node` child per
 * case (no CLI), for a fresh heap.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdV8Flags, releaseV8Flags, v8TunedForCli } from '../../src/heap.js';

const HEAP = pathToFileURL(resolve(__dirname, '../../dist/src/heap.js')).href;

const CHILD = `
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
const { tuneV8ForCli, CLI_V8_FLAGS } = await import(${JSON.stringify(HEAP)});
const tuned = process.argv[1] === 'tuned';
const restart = () => {
  const w = new Worker("require('node:v8').setFlagsFromString(require('node:worker_threads').workerData.flags)", { eval: true, execArgv: [], workerData: { flags: CLI_V8_FLAGS } });
  return new Promise((r) => w.on('exit', r));
};
const out = {};
if (process.argv[2] === 'heap') {
  const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  // survives scavenges (the model of a scan) while garbage goes by
  const kept = [];
  const churn = () => { for (let i = 0; i < 600000; i++) { const o = { i, s: 'x' + i }; if (i % 4 === 0) kept.push(o); } };
  if (tuned) tuneV8ForCli();
  out.before = newSpace();
  churn();
  out.afterChurn = newSpace();
  if (tuned) {
    await restart();
    churn();
    out.afterWorker = newSpace();
  }
} else {
  // calls of a small function until TurboFan has optimised it (synchronously: the child runs
  // with --no-concurrent-recompilation), after a worker's start
  if (tuned) { tuneV8ForCli(); await restart(); }
  const hot = new Function('a', 'let s = 0; for (let i = 0; i < 8; i++) s += a[i % a.length]; return s;');
  const optimised = new Function('f', 'return (%GetOptimizationStatus(f) & 16) !== 0;');
  const arr = [1, 2, 3];
  let n = 0;
  for (; n < 2e6; n++) { hot(arr); if ((n & 15) === 0 && optimised(hot)) break; }
  out.calls = n;
}
process.stdout.write(JSON.stringify(out));
`;

const MIB = 1024 * 1024;
const run = (mode: 'free' | 'tuned', what: 'heap' | 'budget') =>
  JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', '--input-type=module', '-e', CHILD, mode, what], { encoding: 'utf8' })) as {
    before: number;
    afterChurn: number;
    afterWorker?: number;
    calls: number;
  };

describe("the CLI's V8 settings", () => {
  it('keep the young generation at its size, across a worker start', () => {
    // (new_space counts both semi-spaces once the second one is in use: 2 MiB for two of 1 MiB)
    const free = run('free', 'heap');
    expect(free.afterChurn).toBeGreaterThanOrEqual(8 * MIB);
    const kept = run('tuned', 'heap');
    expect(kept.afterChurn).toBeLessThanOrEqual(Math.max(kept.before, 4 * MIB));
    expect(kept.afterWorker ?? Infinity).toBeLessThanOrEqual(Math.max(kept.before, 4 * MIB));
  });

  it('raise the interrupt budget, across a worker start', () => {
    const free = run('free', 'budget').calls;
    const tuned = run('tuned', 'budget').calls;
    // V8's default optimises it within a few hundred calls; 16 times the budget takes ~16 times as many
    expect(free).toBeLessThan(2e6);
    expect(tuned).toBeLessThan(2e6);
    expect(tuned).toBeGreaterThanOrEqual(8 * free);
  });

  it('are left alone by the library', () => {
    expect(v8TunedForCli()).toBe(false);
  });

  it("wait for a starting thread's hold, released once, and take a lock a terminated thread left held", () => {
    // (in this process the CLI's own hold is never released: no flag changes here)
    const hold = holdV8Flags();
    const held = hold.gate[0]!;
    expect(held).toBeGreaterThanOrEqual(2);
    releaseV8Flags(hold);
    releaseV8Flags(hold);
    expect(hold.gate[0]).toBe(held - 1);
    const again = holdV8Flags();
    Atomics.store(again.gate, 1, 1);
    releaseV8Flags(again);
    expect(again.gate[0]).toBe(held - 1);
    expect(again.gate[1]).toBe(0);
  });
});
