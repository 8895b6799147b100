/**
 * The CLI's V8 settings (src/heap.ts), after `tuneV8ForCli()`:
 * - the young generation stays at the size it has: a run that allocates and keeps tens of MB (as
 *   a scan does) does not grow the semi-spaces, where V8 alone doubles them up to 16 MiB each;
 * - TurboFan is asked to optimise a function only after about 16 times as much of its bytecode
 *   has run as V8's default budget allows;
 * - a regular expression's bytecode is not put through Irregexp's peephole optimizer (it runs once
 *   before V8 compiles the expression to native code);
 * - each scavenge runs as one task, on the thread whose heap it collects (V8 splits it into tasks
 *   for its worker threads otherwise, which on two cores take the other JavaScript thread's).
 * A worker thread started afterwards sets V8's flags back, and the flags handed to it (as the
 * parser thread gets them) hold again. The library alone changes no flag. One `node` child per
 * case (no CLI), for a fresh heap.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
} else if (process.argv[2] === 'scavenge') {
  // (the child runs with --trace-parallel-scavenge --trace-gc --expose-gc: V8 prints a line per
  // task of each scavenge, then the scavenge's own line; the full collection below, "testing",
  // marks where the tuned settings hold, after a worker's start)
  if (tuned) { tuneV8ForCli(); await restart(); }
  gc();
  const kept = [];
  for (let i = 0; i < 600000; i++) { const o = { i, s: 'x' + i }; if (i % 4 === 0) kept.push(o); }
  out.kept = kept.length;
} else if (process.argv[2] === 'regexp') {
  // (the child runs with --trace-regexp-peephole-optimization: V8 prints the pattern of each
  // bytecode it optimises, before and after, on standard output)
  if (tuned) { tuneV8ForCli(); await restart(); }
  out.matched = new RegExp('permlintProbe(a|b)*c[0-9]+x').exec('zz permlintProbeabac12x')?.[0];
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

/**
 * What V8 printed in a child run with `flags` (its traces: V8 prints through C's stdio, which loses
 * what it cannot write at once to a pipe Node made non-blocking, so the child's standard output is a
 * file).
 */
function traced(flags: string[], mode: 'free' | 'tuned', what: 'regexp' | 'scavenge'): string {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-trace-'));
  try {
    const out = join(dir, 'out.txt');
    const fd = openSync(out, 'w');
    try {
      execFileSync(process.execPath, [...flags, '--input-type=module', '-e', CHILD, mode, what], { stdio: ['ignore', fd, 'pipe'] });
    } finally {
      closeSync(fd);
    }
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many bytecode listings of the probe expression V8's peephole trace printed: 2 (before and after) when it optimised it. */
function peepholeListings(mode: 'free' | 'tuned'): number {
  const text = traced(['--trace-regexp-peephole-optimization'], mode, 'regexp');
  expect(text).toContain('{"matched":"permlintProbeabac12x"}');
  return text.split("regexp pattern: 'permlintProbe").length - 1;
}

/**
 * The number of tasks of each scavenge of the main isolate after the child's full collection
 * (`gc()`, traced as "testing"), from V8's traces.
 */
function scavengeTasks(mode: 'free' | 'tuned'): number[] {
  const lines = traced(['--trace-parallel-scavenge', '--trace-gc', '--expose-gc'], mode, 'scavenge').split('\n');
  const main = /^\[\d+:(0x[0-9a-f]+)\]/.exec(lines.find((l) => l.includes('testing')) ?? '')?.[1];
  expect(main).toBeDefined();
  const tasks: number[] = [];
  let n = 0;
  let after = false;
  for (const l of lines) {
    if (!l.startsWith('[') || !l.includes(`:${main!}]`)) continue;
    if (l.includes('testing')) {
      after = true;
      n = 0;
    } else if (l.includes(' scavenge[')) n++;
    else if (l.includes(' Scavenge ')) {
      if (after) tasks.push(n);
      n = 0;
    }
  }
  return tasks;
}

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

  it("leave a regular expression's bytecode unoptimised, across a worker start", () => {
    expect(peepholeListings('free')).toBe(2);
    expect(peepholeListings('tuned')).toBe(0);
  });

  it('run each scavenge as one task, across a worker start', () => {
    const free = scavengeTasks('free');
    const tuned = scavengeTasks('tuned');
    expect(free.length).toBeGreaterThan(3);
    expect(tuned.length).toBeGreaterThan(3);
    // V8 alone gives a scavenge of two 1 MiB semi-spaces two tasks (one per MiB, and one more)
    expect(Math.max(...free)).toBeGreaterThanOrEqual(2);
    // (one task each; the last scavenge's task line is sometimes not in the file when the child exits)
    expect(Math.max(...tuned)).toBe(1);
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
