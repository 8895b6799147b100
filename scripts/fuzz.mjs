#!/usr/bin/env node
/**
 * `npm run fuzz [-- --mutants 30000 --batch 250 --seed 1]`: mutation fuzzing of every file kind
 * permlint reads. Each fixture file is mutated (byte flips, insertions of syntax that parsers
 * trip on, deletions, duplications, deep nesting, long runs, splices from other fixtures, BOMs,
 * control characters) and a batch of mutants is linted in-process through an in-memory file
 * system, each mutant in its own folder under its original name (so that it keeps its kind).
 *
 * A crash is an exception out of `lint()` or a parser failure the scan had to catch ("permlint
 * could not read this file": a bug or a stack overflow, never an expected parse-error). A batch
 * that crashes, or that takes longer than --slow seconds, is bisected down to the single mutant
 * that does it, which is written to .fuzz/ with a note. Exit code 1 when anything was found.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const { values: opt } = parseArgs({
  options: {
    mutants: { type: 'string', default: '30000' },
    batch: { type: 'string', default: '250' },
    seed: { type: 'string', default: String(Date.now() % 1e9) },
    slow: { type: 'string', default: '20' },
    out: { type: 'string', default: '.fuzz' },
  },
});
const TOTAL = Number(opt.mutants);
const BATCH = Number(opt.batch);
const SLOW_MS = Number(opt.slow) * 1000;

const { lint } = await import(join(ROOT, 'dist/src/lint.js'));
const { memoryFs } = await import(join(ROOT, 'dist/src/fs.js'));

// ------------------------------------------------------------------ seeds: every fixture file
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile() && st.size < 256 * 1024) out.push(p);
  }
  return out;
}
const seeds = walk(join(ROOT, 'fixtures')).map((p) => ({ path: relative(join(ROOT, 'fixtures'), p).split('/').slice(1).join('/') || 'file', bytes: readFileSync(p) }));
const kinds = new Set(seeds.map((s) => s.path.split('/').pop().replace(/^.*\./, '.')));

// ------------------------------------------------------------------ deterministic random
let state = Number(opt.seed) >>> 0 || 1;
const rand = () => {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 0x100000000;
};
const int = (n) => Math.floor(rand() * n);
const pick = (a) => a[int(a.length)];

const TOKENS = [
  '${', '$(', '$((', '`', '"', "'", '\\', '{', '}', '[', ']', '(', ')', '&&', '||', ';', '|', '\n', '\r\n', '\r', '\t', '\0',
  '<<EOF\n', '<<-EOF\n', 'EOF\n', '*', '&a ', '*a', '<<: *a', '!!str ', '---\n', '...\n', ': ', '- ', '#', '//', '/*', '*/',
  '$$', '$(VAR)', '${VAR}', 'define X\n', 'endef\n', '\\\n', '\t@', 'ifeq (', 'endif\n', '-A ', '--allow-all ', '--allow-read=',
  '-P=', '--permission ', 'deno run ', 'node --permission ', 'npm run ', 'deno task ', '"tasks":', 'RUN ', 'CMD ["deno"', 'ENV ',
  'ARG ', 'FROM x AS y\n', 'ExecStart=', '[Service]\n', 'apiVersion: v1\nkind: Pod\n', 'jobs:\n', 'run: |\n', '\uFEFF', '\u2028',
  '\u202e', '\u001b[2J', '\uD800', '\uFFFF', '%0A', '::error::', '<img src=x>', '@user', 'export ', 'eval ', 'sudo ', 'xargs ', 'env -S ',
];
const bomb = () => {
  const n = 200 + int(5000);
  return pick([
    () => '['.repeat(n) + ']'.repeat(n),
    () => '{"a":'.repeat(n) + '1' + '}'.repeat(n),
    () => '$('.repeat(n) + ')'.repeat(n),
    () => '${'.repeat(n) + '}'.repeat(n),
    () => '$(A'.repeat(n),
    () => ' '.repeat(n) + '- '.repeat(n) + 'x',
    () => 'a: &a ' + 'x'.repeat(n) + '\nb: [' + '*a,'.repeat(n) + ']\n',
    () => 'X = ' + 'y'.repeat(n) + '\nZ = ' + '$(X)'.repeat(200) + '\nall:\n\techo $(Z)\n',
    () => 'deno run ' + '--allow-read=/x '.repeat(n) + 'main.ts',
    () => '\\\n'.repeat(n),
    () => '"'.repeat(n),
  ])();
};

function mutate(bytes) {
  let s = Buffer.from(bytes).toString('latin1');
  const ops = 1 + int(4);
  for (let k = 0; k < ops; k++) {
    const at = int(s.length + 1);
    switch (int(10)) {
      case 0: {
        // flip a byte
        if (!s.length) break;
        const c = String.fromCharCode(s.charCodeAt(at % s.length) ^ (1 << int(8)));
        s = s.slice(0, at % s.length) + c + s.slice((at % s.length) + 1);
        break;
      }
      case 1:
      case 2:
        s = s.slice(0, at) + Buffer.from(pick(TOKENS), 'utf8').toString('latin1') + s.slice(at);
        break;
      case 3:
        s = s.slice(0, at) + s.slice(at + 1 + int(64));
        break;
      case 4: {
        const len = 1 + int(200);
        s = s.slice(0, at) + s.slice(at, at + len).repeat(1 + int(50)) + s.slice(at + len);
        break;
      }
      case 5:
        s = s.slice(0, at) + bomb() + s.slice(at);
        break;
      case 6: {
        const other = Buffer.from(pick(seeds).bytes).toString('latin1');
        const from = int(other.length + 1);
        s = s.slice(0, at) + other.slice(from, from + int(400)) + s.slice(at);
        break;
      }
      case 7:
        s = pick(['\uFEFF', '\xEF\xBB\xBF', '\xFF\xFE', '\xFE\xFF', '']) + s;
        break;
      case 8: {
        const lines = s.split('\n');
        const i = int(lines.length);
        lines.splice(i, 0, ...lines.slice(i, i + 1 + int(10)).map((l) => pick(['\t', '  ', '', '#', '- ']) + l));
        s = lines.join('\n');
        break;
      }
      default:
        s = s.slice(0, at) + String.fromCharCode(int(32)) + s.slice(at);
    }
  }
  if (s.length > 512 * 1024) s = s.slice(0, 512 * 1024);
  return Buffer.from(s, 'latin1');
}

// ------------------------------------------------------------------ running
/** Lint the mutants; the crash and the time, if any. */
async function run(mutants) {
  const files = {};
  mutants.forEach((m, i) => (files[`/m${i}/${m.path}`] = m.bytes));
  const fs = memoryFs(files);
  const started = performance.now();
  try {
    const r = await lint({ fs, paths: ['.'] }, { cwd: '/' });
    const ms = performance.now() - started;
    const bad = r.model.problems.find((p) => p.message.startsWith('permlint could not read this file'));
    return { ms, crash: bad ? `${bad.file}: ${bad.message}` : undefined };
  } catch (e) {
    return { ms: performance.now() - started, crash: `lint() threw: ${e?.stack ?? e}` };
  }
}

/** Narrow a failing batch down to one mutant (halves until one is left). */
async function bisect(mutants, fails) {
  let cur = mutants;
  while (cur.length > 1) {
    const half = cur.slice(0, Math.ceil(cur.length / 2));
    const rest = cur.slice(half.length);
    if (await fails(half)) cur = half;
    else if (await fails(rest)) cur = rest;
    else break; // only fails together: keep the pair
  }
  return cur;
}

const found = [];
const outDir = resolve(ROOT, opt.out);
let done = 0;
let slowest = 0;
const t0 = performance.now();
console.log(`fuzz: ${seeds.length} fixture files (${kinds.size} name endings), ${TOTAL} mutants in batches of ${BATCH}, seed ${opt.seed}`);
while (done < TOTAL) {
  const n = Math.min(BATCH, TOTAL - done);
  const batch = Array.from({ length: n }, () => {
    const seed = pick(seeds);
    return { path: seed.path, from: seed.path, bytes: mutate(seed.bytes) };
  });
  const r = await run(batch);
  slowest = Math.max(slowest, r.ms);
  if (r.crash || r.ms > SLOW_MS) {
    const why = r.crash ? 'crash' : 'slow';
    const fails = async (ms) => {
      const x = await run(ms);
      return why === 'crash' ? !!x.crash : x.ms > SLOW_MS;
    };
    // the crash names its mutant's folder (m<i>/…): try that one alone first
    const named = /^m(\d+)\//.exec(r.crash ?? '');
    const alone = named ? batch[Number(named[1])] : undefined;
    const culprits = alone && (await fails([alone])) ? [alone] : await bisect(batch, fails);
    const detail = r.crash ?? `${Math.round(r.ms)} ms for the batch`;
    mkdirSync(outDir, { recursive: true });
    culprits.forEach((c, i) => {
      const name = `${why}-${found.length}-${i}-${c.path.replace(/\//g, '_')}`;
      writeFileSync(join(outDir, name), c.bytes);
    });
    found.push({ why, detail, files: culprits.map((c) => c.path) });
    console.log(`  ${why}: ${culprits.map((c) => c.path).join(', ')} — ${detail.split('\n')[0]} (written to ${relative(ROOT, outDir)}/)`);
  }
  done += n;
  if ((done / BATCH) % 20 === 0 || done === TOTAL) console.log(`  ${done} mutants, ${Math.round((performance.now() - t0) / 1000)} s, slowest batch ${Math.round(slowest)} ms, ${found.length} found`);
}
console.log(`fuzz: ${done} mutants in ${Math.round((performance.now() - t0) / 1000)} s; ${found.filter((f) => f.why === 'crash').length} crashes, ${found.filter((f) => f.why === 'slow').length} slow`);
process.exitCode = found.length ? 1 : 0;
