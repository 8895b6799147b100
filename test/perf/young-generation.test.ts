/**
 * The CLI keeps V8's young generation at the size it has (src/heap.ts): after
 * `keepYoungGenerationSmall()` a run that allocates and keeps tens of MB (as a scan does) does not
 * grow the semi-spaces, where V8 alone doubles them up to 16 MiB each; a worker thread started
 * afterwards sets V8's flags back, and the flag handed to it (as the parser thread gets it)
 * holds again. The library alone changes no flag. One `node` child (no CLI), for a fresh heap.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { youngGenerationKeptSmall } from '../../src/heap.js';

const HEAP = pathToFileURL(resolve(__dirname, '../../dist/src/heap.js')).href;

const CHILD = `
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
const { keepYoungGenerationSmall, YOUNG_GENERATION_FLAG } = await import(${JSON.stringify(HEAP)});
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
// survives scavenges (the model of a scan) while garbage goes by
const kept = [];
const churn = () => { for (let i = 0; i < 600000; i++) { const o = { i, s: 'x' + i }; if (i % 4 === 0) kept.push(o); } };
const out = {};
if (process.argv[1] === 'kept') keepYoungGenerationSmall();
out.before = newSpace();
churn();
out.afterChurn = newSpace();
if (process.argv[1] === 'kept') {
  const w = new Worker("require('node:v8').setFlagsFromString(require('node:worker_threads').workerData.flag)", { eval: true, execArgv: [], workerData: { flag: YOUNG_GENERATION_FLAG } });
  await new Promise((r) => w.on('exit', r));
  churn();
  out.afterWorker = newSpace();
}
process.stdout.write(JSON.stringify(out));
`;

const MIB = 1024 * 1024;
const run = (mode: string) => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, mode], { encoding: 'utf8' })) as { before: number; afterChurn: number; afterWorker?: number };

describe('young generation', () => {
  it('grows on its own, and stays at its size once kept small, across a worker start', () => {
    // (new_space counts both semi-spaces once the second one is in use: 2 MiB for two of 1 MiB)
    const free = run('free');
    expect(free.afterChurn).toBeGreaterThanOrEqual(8 * MIB);
    const kept = run('kept');
    expect(kept.afterChurn).toBeLessThanOrEqual(Math.max(kept.before, 4 * MIB));
    expect(kept.afterWorker ?? Infinity).toBeLessThanOrEqual(Math.max(kept.before, 4 * MIB));
  });

  it('is left alone by the library', () => {
    expect(youngGenerationKeptSmall()).toBe(false);
  });
});
