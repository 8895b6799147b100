#!/usr/bin/env node
/**
 * `npm run bench`: permlint beside the list-and-read floor, per corpus.
 *
 * For each corpus it alternates runs of the floor (a program that lists the tree and reads every
 * file, nothing else) and of the built CLI (`node bin/permlint.js --format json .`), in the same
 * process tree, and prints both medians, their ratio and permlint's peak RSS. Then start-up
 * (`--version`, `--help`, `explain`) and a pre-commit run on 5 files beside `node -e 0`.
 *
 * Corpora: generated trees (TypeScript files with a few candidates; 1k / 10k / 50k files for the
 * cost per file; shell inputs that were superlinear), and real repositories when their git
 * directories exist under /work/.mirror (or $PERMLINT_MIRROR): denoland/deno and denoland/std.
 * Those are materialised from git objects into .cache/corpus/ (never vendored; blobs missing
 * from a partial mirror are skipped and counted).
 *
 *   npm run build && npm run bench                 # 5 runs each
 *   node scripts/bench.mjs --runs 9 --only deno,std
 *   node scripts/bench.mjs --quick                 # 3 runs, no 50k trees
 *   node scripts/bench.mjs --only mix-1k,mix-10k,mix-50k   # cost per file, 1k to 50k real files
 *   node scripts/bench.mjs --only hostile --no-startup      # the hostile size cases, code cache or not
 *   node scripts/bench.mjs --only corpus --no-startup --runs 3   # each repository of bench/corpus.json (after scripts/corpus.mjs)
 *
 * Each child reports its peak RSS and its CPU time (user + system, all threads); the CPU time is
 * far less sensitive to other load on the machine than the wall time, so both are printed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { walk as walkTree } from './bench-bound.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin/permlint.js');
const BOUND = join(ROOT, 'scripts/bench-bound.mjs');
const CACHE = join(ROOT, '.cache/corpus');
const MIRROR = process.env.PERMLINT_MIRROR ?? '/work/.mirror';

/** What --only takes: generated trees, the two real repositories, the mixes, the corpus and the hostile cases. */
const ONLY_NAMES = ['ts-1k', 'ts-5k', 'ts-10k', 'ts-50k', 'sh-200k-lines', 'deno-json-1.8MB-task', 'sh-var-20k-paths', 'workflow-400k', 'deno', 'std', 'mix-1k', 'mix-10k', 'mix-50k', 'corpus', 'hostile'];
const USAGE = `usage: node scripts/bench.mjs [options]   (npm run bench -- [options])

  --runs N         alternating runs of each corpus and of its floor (default 5; 3 above 20,000 files)
  --quick          3 runs, no 50k trees
  --only A,B,...   only these: ${ONLY_NAMES.join(', ')}
  --no-startup     leave out the start-up and pre-commit rows
  --startup-only   only the start-up and pre-commit rows
  --bounds         also lower bounds no implementation can beat (scripts/bench-bound.mjs): each
                   corpus's parsers alone beside its floor; listing the tree, one lstat per folder
                   and the CLI on a file it does not read, beside node -e 0
  --help           this text

Build first (npm run build). The real repositories come from $PERMLINT_MIRROR (default /work/.mirror);
\`--only corpus\` needs node scripts/corpus.mjs first. Figures: docs/performance.md.`;

const fail = (message) => {
  console.error(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
};
let values;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      startup: { type: 'boolean', default: true },
      'no-startup': { type: 'boolean', default: false },
      // only the start-up and pre-commit rows (the corpora are still prepared: pre-commit runs in them)
      'startup-only': { type: 'boolean', default: false },
      bounds: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  fail(e.message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!/^[1-9]\d*$/.test(values.runs)) fail(`--runs takes a whole number of runs, 1 or more (got ${JSON.stringify(values.runs)})`);
const RUNS = values.quick ? 3 : Number(values.runs);
const ONLY = values.only ? new Set(values.only.split(',')) : undefined;
const unknown = [...(ONLY ?? [])].filter((n) => !ONLY_NAMES.includes(n));
if (unknown.length) fail(`--only: no such corpus ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);

if (!existsSync(join(ROOT, 'dist/src/cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Children: each run is a child process that reports its own peak RSS on exit. On Linux that is
// VmHWM (the high-water mark of the process's own memory): rusage's maxRSS keeps the RSS of the
// image before exec, which for a child forked by this script is this script's own (a child of a
// bench that had just materialised the corpora read 145 MB where its own peak was 84–92 MB).

const CHILD = `
const mode = process.argv[1];
const peakKb = (u) => { try { const m = /^VmHWM:\\s*(\\d+)/m.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8')); if (m) return Number(m[1]); } catch {} return u.maxRSS; };
process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nBENCH_MAXRSS=' + peakKb(u) + ' BENCH_CPU=' + (u.userCPUTime + u.systemCPUTime) + ' BENCH_FAULTS=' + u.minorPageFault + '\\n'); });
if (mode === 'floor') {
  const { readdirSync, readFileSync } = require('node:fs');
  const { join } = require('node:path');
  let n = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) { readFileSync(p); n++; }
    }
  };
  walk('.');
} else if (mode === 'node') {
  // node -e 0
} else {
  // process.argv[1] is the CLI's path, as when node runs it: bin/permlint.js reads argv.slice(2)
  import(mode);
}
`;

function run(kind, cwd, args = [], env = undefined) {
  const argv = kind === 'floor' ? ['-e', CHILD, 'floor'] : kind === 'node' ? ['-e', CHILD, 'node'] : ['-e', CHILD, kind === 'bound' ? BOUND : BIN, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...(env ? { env: { ...process.env, ...env } } : {}) });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status === null || (kind === 'permlint' && r.status === 2) || (kind === 'bound' && r.status !== 0)) throw new Error(`${kind} failed in ${cwd} (exit ${r.status}): ${r.stderr.slice(0, 2000)}`);
  const m = /BENCH_MAXRSS=(\d+) BENCH_CPU=(\d+) BENCH_FAULTS=(\d+)/.exec(r.stderr);
  return { ms, rssMb: m ? Number(m[1]) / 1024 : NaN, cpuMs: m ? Number(m[2]) / 1000 : NaN, faults: m ? Number(m[3]) : NaN, stdout: r.stdout };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Alternating runs of `a` and `b` (after one warm-up each): medians (wall, CPU, minor page faults)
 * and b's peak RSS (highest, and median: it varies with when V8 collects). Page faults are counted
 * because each first touch of a page is expensive on some machines (~12.5 µs on the project's
 * VM, docs/performance.md "This session (eleventh): page faults") and, unlike time, the count
 * does not move with the machine's load.
 */
function alternate(a, b, runs = RUNS) {
  a();
  b();
  const ta = [];
  const tb = [];
  const ca = [];
  const cb = [];
  const fa = [];
  const fb = [];
  let rss = 0;
  const rssAll = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const ra = a();
    ta.push(ra.ms);
    ca.push(ra.cpuMs);
    fa.push(ra.faults);
    last = b();
    tb.push(last.ms);
    cb.push(last.cpuMs);
    fb.push(last.faults);
    rss = Math.max(rss, last.rssMb);
    rssAll.push(last.rssMb);
  }
  return { a: median(ta), b: median(tb), cpuA: median(ca), cpuB: median(cb), faultsA: median(fa), faultsB: median(fb), rss, rssMedian: median(rssAll), last };
}

// ---------------------------------------------------------------------------------------------
// Corpora

/** The files the floor reads under `dir`. */
function countFiles(dir) {
  let n = 0;
  walkTree(dir, () => n++);
  return n;
}

const TASK = (i) => `import { defineTask, permissions } from '@netscript/plugin-workers-core';

export const task${i} = defineTask('task-${i}')
  .entrypoint('./workers/w${i}.ts')
  .permissions({ ...permissions.network, net: ['api${i}.example.com'] })
  .timeout(30_000)
  .retry(1)
  .build();
`;
const OTHER = [
  (i) => `import { spawn } from 'node:child_process';\nexport const run${i} = () => spawn('git', ['status']);\n`,
  (i) => `import { Sandbox } from '@deno/sandbox';\nexport const box${i} = () => Sandbox.create({ allowNet: ['api.example.com'] });\n`,
  (i) => `export const w${i} = new Worker(new URL('./w.ts', import.meta.url), { type: 'module', deno: { permissions: 'none' } });\n`,
  (i) => `export const c${i} = new Deno.Command('deno', { args: ['run', '--allow-read=./data', 'tool${i}.ts'] });\n`,
];
const PLAIN = (i) => `import { util${i % 7} } from '../util.ts';

/** Formats record ${i}: a worker may spawn a task here (words only, no candidate). */
export interface Row${i} {
  id: number;
  name: string;
}

export function format${i}(row: Row${i}): string {
  const text = util${i % 7}(row.name);
  return \`\${row.id}: \${text.trim()}\`;
}
`;

/** A TypeScript tree of `files` files with `tasks` NetScript tasks and `others` other candidates. */
function genTs(dir, files, tasks, others) {
  const taskEvery = tasks ? Math.floor(files / tasks) : 0;
  const otherEvery = others ? Math.floor(files / others) : 0;
  for (let i = 0; i < files; i++) {
    const folder = join(dir, 'src', `pkg${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    let body = PLAIN(i);
    if (taskEvery && i % taskEvery === 0) body = TASK(i);
    else if (otherEvery && i % otherEvery === 3) body = OTHER[Math.floor(i / otherEvery) % OTHER.length](i);
    writeFileSync(join(folder, `mod${i}.ts`), body);
  }
  writeFileSync(join(dir, 'deno.json'), JSON.stringify({ lock: { frozen: true }, tasks: { start: 'deno run --allow-net=api.example.com src/pkg0/mod0.ts' } }, null, 2));
}

/** Materialises HEAD of a git directory into `out` from git objects (missing blobs are skipped). */
function materialise(gitDir, out) {
  const stamp = join(out, '.permlint-bench-commit');
  const head = execFileSync('git', ['--git-dir', gitDir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === head) return JSON.parse(readFileSync(`${stamp}.json`, 'utf8'));
  rmSync(out, { recursive: true, force: true });
  const tree = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', 'HEAD'], { maxBuffer: 1 << 30 }).toString('utf8').split('\0').filter(Boolean);
  const blobs = [];
  for (const e of tree) {
    const tab = e.indexOf('\t');
    const [mode, type, oid] = e.slice(0, tab).split(' ');
    if (type === 'blob' && mode !== '120000') blobs.push({ oid, path: e.slice(tab + 1) });
  }
  const r = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input: blobs.map((b) => b.oid).join('\n') + '\n', maxBuffer: 2 ** 31 - 1 });
  const buf = r.stdout;
  let pos = 0;
  let written = 0;
  let missing = 0;
  for (const b of blobs) {
    const nl = buf.indexOf(10, pos);
    const header = buf.subarray(pos, nl).toString();
    pos = nl + 1;
    if (header.endsWith(' missing')) {
      missing++;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    const p = join(out, b.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, buf.subarray(pos, pos + size));
    pos += size + 1;
    written++;
  }
  const info = { head, written, missing };
  writeFileSync(`${stamp}.json`, JSON.stringify(info));
  writeFileSync(stamp, head);
  return info;
}

const corpora = [];
const gen = (name, make) => {
  // (a corpus --only cannot name would be measured only in full runs)
  if (!ONLY_NAMES.includes(name)) throw new Error(`bench: ${name} is not in ONLY_NAMES`);
  if (ONLY && !ONLY.has(name)) return;
  const dir = join(CACHE, `gen-${name}`);
  if (!existsSync(join(dir, '.done'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    make(dir);
    writeFileSync(join(dir, '.done'), '');
  }
  corpora.push({ name, dir, note: 'generated' });
};

gen('ts-5k', (d) => genTs(d, 5000, 10, 40));
gen('ts-1k', (d) => genTs(d, 1000, 2, 8));
gen('ts-10k', (d) => genTs(d, 10000, 20, 80));
if (!values.quick) gen('ts-50k', (d) => genTs(d, 50000, 100, 400));
gen('sh-200k-lines', (d) => writeFileSync(join(d, 'run.sh'), `#!/bin/sh\n${'echo a\n'.repeat(200_000)}`));
gen('deno-json-1.8MB-task', (d) => writeFileSync(join(d, 'deno.json'), JSON.stringify({ tasks: { big: `${Array.from({ length: 180_000 }, () => 'echo a').join(' && ')} && deno run -A main.ts` } })));
gen('sh-var-20k-paths', (d) => {
  const p = Array.from({ length: 20_000 }, (_, i) => `/d${i}`).join(':');
  writeFileSync(join(d, 'run.sh'), `#!/bin/sh\nP=${p}\n${'deno run --allow-read=$P m.ts\n'.repeat(2000)}`);
});
// one long workflow in a tree of its own (~570 KB, 2,000 steps; named for denoland/deno's generated 424 KB one):
// a walk too short to overlap the parser thread's start, where the read-ahead must not cost
// (src/scan-ahead.ts takes back a job the thread has not begun)
gen('workflow-400k', (d) => {
  mkdirSync(join(d, '.github/workflows'), { recursive: true });
  // (as there, most steps run other tools: every 100th runs deno)
  const run = (i) => (i % 100 === 0 ? `deno run --frozen --allow-read=./data --allow-net=api.example.com:443 tools/step_${i}.ts` : `cargo test --locked -p crate_${i % 80} -- --test-threads=2`);
  const step = (i) => `      - name: step ${i}\n        if: matrix.os == 'ubuntu-latest' && github.event_name == 'push'\n        env:\n          CARGO_TARGET_DIR: /tmp/target-${i}\n        run: |-\n          ${run(i)}\n          echo "step ${i} done" >> "$GITHUB_STEP_SUMMARY"\n`;
  const jobs = Array.from({ length: 20 }, (_, j) => `  job_${j}:\n    runs-on: \${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, macos-latest]\n    steps:\n      - uses: actions/checkout@v4\n${Array.from({ length: 100 }, (_, k) => step(j * 100 + k)).join('')}`);
  writeFileSync(join(d, '.github/workflows/ci.yml'), `name: ci\non: [push, pull_request]\njobs:\n${jobs.join('')}`);
});
const MIX = values.quick ? [1, 10] : [1, 10, 50];
const wantMix = MIX.some((k) => !ONLY || ONLY.has(`mix-${k}k`));
for (const [name, repo] of [
  ['deno', 'denoland+deno'],
  ['std', 'denoland+std'],
]) {
  if (ONLY && !ONLY.has(name) && !(name === 'deno' && wantMix)) continue;
  const gitDir = join(MIRROR, repo, 'repo');
  if (!existsSync(gitDir)) {
    console.log(`(${name}: no mirror at ${gitDir}; fetch denoland/${name} to include it)`);
    continue;
  }
  const info = materialise(gitDir, join(CACHE, name));
  if (ONLY && !ONLY.has(name)) continue;
  corpora.push({ name, dir: join(CACHE, name), note: `denoland/${name}@${info.head.slice(0, 10)}${info.missing ? `, ${info.missing} blobs missing from the mirror` : ''}` });
}

// the real-world corpus (bench/corpus.json), each repository as scripts/corpus.mjs materialised it
// under .cache/corpus/<owner>+<name>: only with --only corpus (33 repositories). A repository's
// time beside its own floor shows a cost deno and std never meet (a module loaded for one
// construct, a large graph behind one finding); docs/performance.md, "This session (fourteenth)".
if (ONLY?.has('corpus')) {
  const { repositories } = JSON.parse(readFileSync(join(ROOT, 'bench/corpus.json'), 'utf8'));
  const absent = [];
  for (const { repo, commit } of repositories) {
    const dir = join(CACHE, repo.replace('/', '+'));
    if (existsSync(dir)) corpora.push({ name: repo, dir, note: `corpus@${commit.slice(0, 10)}` });
    else absent.push(repo);
  }
  if (absent.length) console.log(`(corpus: ${absent.length} repositories not materialised; run node scripts/corpus.mjs first: ${absent.join(', ')})`);
}

/** Every file under `dir` (relative paths, sorted), as the floor lists them. */
function listFiles(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules' || e.name.startsWith('.permlint-bench')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

// Cost per file from 1k to 50k files: k copies (c0/, c1/, …) of one mix of 1,000 real files of
// denoland/deno (every n-th file in path order: TypeScript, Rust, JSON, workflows, scripts, …
// in the repository's proportions), so that every size holds the same mix.
const denoDir = join(CACHE, 'deno');
if (wantMix && existsSync(join(denoDir, '.permlint-bench-commit'))) {
  const all = listFiles(denoDir);
  const stride = all.length / 1000;
  const mix = Array.from({ length: 1000 }, (_, i) => all[Math.floor(i * stride)]);
  for (const k of MIX) {
    const name = `mix-${k}k`;
    if (ONLY && !ONLY.has(name)) continue;
    gen(name, (d) => {
      for (let c = 0; c < k; c++) {
        for (const f of mix) {
          const to = join(d, `c${c}`, f);
          mkdirSync(dirname(to), { recursive: true });
          copyFileSync(join(denoDir, f), to);
        }
      }
    });
    corpora[corpora.length - 1].note = `${k} × the same 1,000 files of denoland/deno`;
  }
}

// ---------------------------------------------------------------------------------------------

const rows = [];
for (const c of values['startup-only'] ? [] : corpora) {
  const files = countFiles(c.dir);
  const load0 = loadavg()[0];
  const r = alternate(
    () => run('floor', c.dir),
    () => run('permlint', c.dir, ['--format', 'json', '.']),
    files > 20_000 ? Math.min(RUNS, 3) : RUNS,
  );
  let findings = '?';
  try {
    findings = JSON.parse(r.last.stdout).findings.length;
  } catch {
    /* leave it */
  }
  const load = (load0 + loadavg()[0]) / 2;
  const row = {
    corpus: c.name, files, floor: r.a, permlint: r.b, ratio: r.b / r.a, perFile: (r.b / files) * 1000,
    floorCpu: r.cpuA, cpu: r.cpuB, cpuRatio: r.cpuB / r.cpuA, cpuPerFile: (r.cpuB / files) * 1000, rss: r.rss, rssMedian: r.rssMedian, findings, note: c.note, load,
    floorFaults: r.faultsA, faults: r.faultsB,
  };
  rows.push(row);
  console.error(`${c.name}: ${row.permlint.toFixed(0)} ms vs floor ${row.floor.toFixed(0)} ms (${row.ratio.toFixed(1)}x); CPU ${row.cpu.toFixed(0)} vs ${row.floorCpu.toFixed(0)} ms; ${row.rssMedian.toFixed(0)} MB (max ${row.rss.toFixed(0)}); load ${load.toFixed(1)}`);
}

// which CLI the runs load: the build's bundle with its code cache (src/cli-loader.ts), or the ES modules
const { trustedBundle } = await import(pathToFileURL(join(ROOT, 'dist/src/cli-loader.js')).href);
const bundle = process.env.PERMLINT_BUNDLE === '0' ? undefined : trustedBundle(join(ROOT, 'dist'));
const cliLoaded = bundle ? `the bundle${bundle.cache ? ' with its code cache' : ', no code cache'}` : 'the ES modules (no current bundle, or PERMLINT_BUNDLE=0)';
console.log(`\n${RUNS} alternating runs each (3 above 20,000 files), medians; node ${process.version}, ${new Date().toISOString()}; load average (1 min) ${loadavg().map((x) => x.toFixed(1)).join(' / ')} at the end; CLI: ${cliLoaded}\n`);
if (rows.length) {
  console.log('| corpus | files | floor (list+read) | permlint | ratio | CPU floor | CPU permlint | CPU ratio | CPU µs per file | peak RSS (median / max) | page faults floor / permlint | findings | load |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
}
for (const r of rows) {
  console.log(
    `| ${r.corpus} (${r.note}) | ${r.files} | ${r.floor.toFixed(0)} ms | ${r.permlint.toFixed(0)} ms | ${r.ratio.toFixed(2)}× | ${r.floorCpu.toFixed(0)} ms | ${r.cpu.toFixed(0)} ms | ${r.cpuRatio.toFixed(2)}× | ${r.cpuPerFile.toFixed(0)} | ${r.rssMedian.toFixed(0)} / ${r.rss.toFixed(0)} MB | ${r.floorFaults} / ${r.faults} | ${r.findings} | ${r.load.toFixed(1)} |`,
  );
}

// Lower bounds (--bounds, scripts/bench-bound.mjs): each corpus's floor beside a program that
// lists it, reads the files permlint reads and runs only the parsers on the files permlint parses
// (the lists from permlint's own discovery, made here before the runs). Its ratio to the floor is
// one no implementation with those parsers can beat on this machine; permlint's ratio over it is
// what the rest of the work (trees, analysis, model, link, rules, report) costs on top.
if (values.bounds && rows.length) {
  const { discover } = await import(pathToFileURL(join(ROOT, 'dist/src/discover.js')).href);
  const listFile = join(tmpdir(), `permlint-bench-bound-${process.pid}.json`);
  console.log('\n| corpus | floor (list+read) | the parsers alone | their ratio | permlint\'s ratio over theirs | CPU floor | CPU parsers | files read / TypeScript / YAML / JSON parsed | load |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const dir = corpora.find((c) => c.name === r.corpus).dir;
    const list = { read: [], ts: [], yaml: [], json: [] };
    for (const f of discover(['.'], {}, dir).files) {
      list.read.push(f.path);
      if (f.text === undefined) continue;
      if (f.kind === 'typescript') {
        if (f.mayHoldFacts !== false) list.ts.push(f.path);
      } else if (/\.ya?ml$/i.test(f.path)) list.yaml.push(f.path);
      else if (/\.jsonc?$/i.test(f.path)) list.json.push(f.path);
    }
    writeFileSync(listFile, JSON.stringify(list));
    const b = alternate(
      () => run('floor', dir),
      () => run('bound', dir, ['parse', listFile]),
      r.files > 20_000 ? Math.min(RUNS, 3) : RUNS,
    );
    rmSync(listFile, { force: true });
    const ratio = b.b / b.a;
    console.log(`| ${r.corpus} | ${b.a.toFixed(0)} ms | ${b.b.toFixed(0)} ms | ${ratio.toFixed(2)}× | ${(r.ratio / ratio).toFixed(2)}× | ${b.cpuA.toFixed(0)} ms | ${b.cpuB.toFixed(0)} ms | ${list.read.length} / ${list.ts.length} / ${list.yaml.length} / ${list.json.length} | ${loadavg()[0].toFixed(1)} |`);
  }
}

// memory per file: the peak RSS each added file costs between the mix trees (copies of the same files)
const mixes = rows.filter((r) => /^mix-/.test(r.corpus)).sort((a, b) => a.files - b.files);
if (mixes.length > 1) {
  console.log('\n| memory per file | files | peak RSS (median) | KB per file, whole run | KB per added file |');
  console.log('|---|---:|---:|---:|---:|');
  mixes.forEach((r, i) => {
    const prev = mixes[i - 1];
    const added = prev ? `${(((r.rssMedian - prev.rssMedian) * 1024) / (r.files - prev.files)).toFixed(1)} (from ${prev.corpus})` : '—';
    console.log(`| ${r.corpus} | ${r.files} | ${r.rssMedian.toFixed(0)} MB | ${((r.rssMedian * 1024) / r.files).toFixed(1)} | ${added} |`);
  });
}

// The hostile size cases (test/hostile/size-cases.mjs), each with the CLI bundle's code cache and
// without it (PERMLINT_CODE_CACHE=0): V8's optimised code for functions that came from the cache
// once ran a search on every call that the same code compiled as it ran did once (a 1.8 MB
// deno.json task: 12.7 s against 2.1 s; docs/performance.md, "This session (twelfth)"). No
// test can see that (the output is the same); a ratio far above 1 here is worth a profile.
if (ONLY?.has('hostile')) {
  const { CASES } = await import(pathToFileURL(join(ROOT, 'test/hostile/size-cases.mjs')).href);
  const base = join(tmpdir(), `permlint-bench-hostile-${process.pid}`);
  console.log('\n| hostile case | with the code cache | without | ratio | CPU with / without | load |');
  console.log('|---|---:|---:|---:|---:|---:|');
  CASES.forEach(([name, files], i) => {
    const dir = join(base, String(i));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const args = ['--format', 'json', '.'];
    const r = alternate(
      () => run('permlint', dir, args),
      () => run('permlint', dir, args, { PERMLINT_CODE_CACHE: '0' }),
      Math.min(RUNS, 3),
    );
    const ratio = r.a / r.b;
    console.log(`| ${name} | ${(r.a / 1000).toFixed(2)} s | ${(r.b / 1000).toFixed(2)} s | ${ratio.toFixed(2)}×${ratio > 1.5 ? ' (slower with the cache)' : ''} | ${(r.cpuA / 1000).toFixed(2)} / ${(r.cpuB / 1000).toFixed(2)} s | ${loadavg()[0].toFixed(1)} |`);
    rmSync(dir, { recursive: true, force: true });
  });
  rmSync(base, { recursive: true, force: true });
}

if (values.startup && !values['no-startup']) {
  console.log('\n| start-up | node -e 0 | permlint | ratio | CPU node -e 0 | CPU permlint | CPU ratio | page faults node -e 0 / permlint | load |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const cases = [
    ['--version', ['--version']],
    ['--help', ['--help']],
    ['explain allow-all', ['explain', 'allow-all']],
  ];
  // pre-commit: 5 files of a large repository, with its deployment context (what can link to them) read to link
  const large = join(CACHE, 'precommit-10k');
  if (!existsSync(join(large, '.done'))) {
    rmSync(large, { recursive: true, force: true });
    mkdirSync(large, { recursive: true });
    genTs(large, 10000, 20, 80);
    writeFileSync(join(large, 'Dockerfile'), 'FROM denoland/deno:2.9.6\nUSER deno\nCOPY . .\nCMD ["deno", "task", "start"]\n');
    mkdirSync(join(large, '.github/workflows'), { recursive: true });
    writeFileSync(join(large, '.github/workflows/ci.yml'), 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: deno test --frozen --allow-read=. src/\n');
    writeFileSync(join(large, '.done'), '');
  }
  cases.push(['pre-commit on 5 files of a generated 10k-file repository (deno.json + 4 TypeScript; Dockerfile and workflow linked)', ['--format', 'json', 'deno.json', 'src/pkg0/mod0.ts', 'src/pkg1/mod101.ts', 'src/pkg50/mod5050.ts', 'src/pkg99/mod9999.ts'], large]);
  const deno = corpora.find((c) => c.name === 'deno');
  if (deno) {
    const five = ['cli/main.rs', 'tests/unit/process_test.ts', 'tools/release/01_bump_crate_versions.ts', 'runtime/js/99_main.js', '.devcontainer/Dockerfile'].filter((f) => existsSync(join(deno.dir, f)));
    cases.push([`pre-commit on ${five.length} files of denoland/deno (${five.join(', ')})`, ['--format', 'json', ...five], deno.dir]);
    // the same with the link-only walk's cache (--cache): the first run writes it, the others list only changed folders
    const cacheFile = join(tmpdir(), `permlint-bench-${process.pid}`, 'link-walk.json');
    rmSync(dirname(cacheFile), { recursive: true, force: true });
    cases.push([`the same with --cache (folder listings kept between runs)`, ['--cache', '--cache-location', cacheFile, '--format', 'json', ...five], deno.dir]);
    if (values.bounds) {
      // lower bounds of a pre-commit run (scripts/bench-bound.mjs): the walk any link needs without
      // a cache, the validation --cache needs, and the CLI's own cost on a file it does not read
      const folders = [];
      walkTree(deno.dir, undefined, (rel) => folders.push(rel));
      const foldersFile = join(dirname(cacheFile), 'folders.json');
      mkdirSync(dirname(foldersFile), { recursive: true });
      writeFileSync(foldersFile, JSON.stringify(folders));
      const empty = join(dirname(cacheFile), 'empty');
      mkdirSync(empty, { recursive: true });
      writeFileSync(join(empty, 'main.rs'), 'fn main() {}\n');
      cases.push([`bound: listing every folder of denoland/deno, nothing read`, ['list'], deno.dir, 'bound']);
      cases.push([`bound: one lstat per folder of denoland/deno (${folders.length}), the folders given`, ['stat', foldersFile], deno.dir, 'bound']);
      cases.push([`bound: permlint on one file it does not read, in a folder of its own`, ['--format', 'json', 'main.rs'], empty]);
    }
  }
  for (const [name, args, cwd, kind = 'permlint'] of cases) {
    const r = alternate(
      () => run('node', cwd ?? ROOT),
      () => run(kind, cwd ?? ROOT, args),
    );
    console.log(`| ${name} | ${r.a.toFixed(0)} ms | ${r.b.toFixed(0)} ms | ${(r.b / r.a).toFixed(2)}× | ${r.cpuA.toFixed(0)} ms | ${r.cpuB.toFixed(0)} ms | ${(r.cpuB / r.cpuA).toFixed(2)}× | ${r.faultsA} / ${r.faultsB} | ${loadavg()[0].toFixed(1)} |`);
  }
  rmSync(join(tmpdir(), `permlint-bench-${process.pid}`), { recursive: true, force: true });
}
