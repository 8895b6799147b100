#!/usr/bin/env node
/**
 * Benchmark: a generated repository of 5,000 TypeScript files, of which 10 define NetScript
 * tasks and a few dozen more are other candidates (child_process, @deno/sandbox, Workers,
 * Deno.Command), plus the same tree with no candidate at all. Times the built CLI
 * (`node bin/permlint.js`) on each, several runs, and prints the median.
 *
 *   npm run build && npm run bench            # 7 runs each
 *   node scripts/bench.mjs --runs 15 --files 20000
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin/permlint.js');

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    files: { type: 'string', default: '5000' },
    tasks: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const FILES = Number(values.files);
const TASKS = Number(values.tasks);

if (!existsSync(join(ROOT, 'dist/src/cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const TASK = (i) => `import { defineTask, permissions } from '@netscript/plugin-workers-core';

export const task${i} = defineTask('task-${i}')
  .entrypoint('./workers/w${i}.ts')
  .permissions({ ...permissions.network, net: ['api${i}.example.com'] })
  .timeout(30_000)
  .retry(1)
  .build();
`;

/** Candidates the sniff selects that are not NetScript tasks (spawners, sandboxes, workers). */
const OTHER = [
  (i) => `import { spawn } from 'node:child_process';\nexport const run${i} = () => spawn('git', ['status']);\n`,
  (i) => `import { Sandbox } from '@deno/sandbox';\nexport const box${i} = () => Sandbox.create({ allowNet: ['api.example.com'] });\n`,
  (i) => `export const w${i} = new Worker(new URL('./w.ts', import.meta.url), { type: 'module', deno: { permissions: 'none' } });\n`,
  (i) => `export const c${i} = new Deno.Command('deno', { args: ['run', '--allow-read=./data', 'tool${i}.ts'] });\n`,
];

const PLAIN = (i) => `import { util${i % 7} } from '../util.ts';

/** Formats record ${i}. */
export interface Row${i} {
  id: number;
  name: string;
}

export function format${i}(row: Row${i}): string {
  const text = util${i % 7}(row.name);
  return \`\${row.id}: \${text.trim()}\`;
}
`;

function generate(dir, { tasks, others }) {
  const taskEvery = tasks ? Math.floor(FILES / tasks) : 0;
  const otherEvery = others ? Math.floor(FILES / others) : 0;
  for (let i = 0; i < FILES; i++) {
    const folder = join(dir, 'src', `pkg${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    let body = PLAIN(i);
    if (taskEvery && i % taskEvery === 0) body = TASK(i);
    else if (otherEvery && i % otherEvery === 3) body = OTHER[Math.floor(i / otherEvery) % OTHER.length](i);
    writeFileSync(join(folder, `mod${i}.ts`), body);
  }
  writeFileSync(join(dir, 'deno.json'), JSON.stringify({ lock: { frozen: true }, tasks: { start: 'deno run --allow-net=api.example.com src/pkg0/mod0.ts' } }, null, 2));
}

function time(dir) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status === 2 || r.status === null) throw new Error(`permlint failed (exit ${r.status}): ${r.stderr}`);
  return { ms, out: r.stdout };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const base = mkdtempSync(join(tmpdir(), 'permlint-bench-'));
try {
  const cases = [
    { name: `${FILES} files, ${TASKS} tasks + 40 other candidates`, tasks: TASKS, others: 40 },
    { name: `${FILES} files, no candidate (parser never loaded)`, tasks: 0, others: 0 },
  ];
  for (const c of cases) {
    const dir = join(base, c.tasks ? 'with' : 'none');
    generate(dir, c);
    time(dir); // warm the file-system cache
    const runs = [];
    let findings = 0;
    for (let i = 0; i < RUNS; i++) {
      const { ms, out } = time(dir);
      runs.push(ms);
      try {
        findings = JSON.parse(out).findings?.length ?? findings;
      } catch {
        /* not JSON: leave the count */
      }
    }
    console.log(`${c.name}: median ${median(runs).toFixed(0)} ms over ${RUNS} runs (min ${Math.min(...runs).toFixed(0)}, max ${Math.max(...runs).toFixed(0)}); ${findings} findings`);
  }
} finally {
  if (!values.keep) rmSync(base, { recursive: true, force: true });
  else console.log(`trees kept in ${base}`);
}
