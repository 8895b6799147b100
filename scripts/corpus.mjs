#!/usr/bin/env node
/**
 * The real-world corpus: materialises every repository of bench/corpus.json at its recorded
 * commit (git archive from the local snapshot into .cache/corpus/<owner>+<name>) and scans each
 * with the built CLI (json output), printing findings per repository and per level, and time.
 *
 *   npm run build && node scripts/corpus.mjs                    # default persona
 *   node scripts/corpus.mjs --only denoland/deno,denoland/std   # some repositories
 *   node scripts/corpus.mjs --save .cache/corpus-results/regular.json -- --persona auditor
 *   node scripts/corpus.mjs --by-rule                           # also findings per rule
 *   node scripts/corpus.mjs --labels bench/labels.json          # precision against the hand labels
 *   node scripts/corpus.mjs --dump                              # each finding with its source line (for labelling)
 *
 * Arguments after `--` go to permlint unchanged. Snapshots come from $PERMLINT_MIRROR
 * (default /work/.mirror), one bare git dir per repository at <mirror>/<owner>+<name>/repo,
 * as the `fetch` tool brings them; a repository with no snapshot is listed as missing.
 * Nothing from the corpus is ever run: it is only read by permlint.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin/permlint.js');
const CACHE = join(ROOT, '.cache/corpus');
const STAMPS = join(ROOT, '.cache/corpus-stamps');
const MIRROR = process.env.PERMLINT_MIRROR ?? '/work/.mirror';

const dash = process.argv.indexOf('--');
const own = dash < 0 ? process.argv.slice(2) : process.argv.slice(2, dash);
const extra = dash < 0 ? [] : process.argv.slice(dash + 1);
const { values } = parseArgs({
  args: own,
  options: {
    only: { type: 'string' },
    save: { type: 'string' },
    'by-rule': { type: 'boolean', default: false },
    'materialise-only': { type: 'boolean', default: false },
    labels: { type: 'string' },
    dump: { type: 'boolean', default: false },
  },
});

if (!existsSync(join(ROOT, 'dist/src/cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const corpus = JSON.parse(readFileSync(join(ROOT, 'bench/corpus.json'), 'utf8')).repositories;
const only = values.only ? new Set(values.only.split(',')) : undefined;
const chosen = corpus.filter((r) => !only || only.has(r.repo));

const dirName = (repo) => repo.replace('/', '+');

/** The repository's tree at its commit under .cache/corpus; re-extracted only when the commit changed. */
function materialise({ repo, commit }) {
  const gitDir = join(MIRROR, dirName(repo), 'repo');
  const out = join(CACHE, dirName(repo));
  const stamp = join(STAMPS, dirName(repo));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === commit && existsSync(out)) return out;
  if (!existsSync(gitDir)) return undefined;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  mkdirSync(STAMPS, { recursive: true });
  const archive = spawnSync('git', ['--git-dir', gitDir, 'archive', '--format=tar', commit], { maxBuffer: 2 ** 31 - 1 });
  if (archive.status === 0) execFileSync('tar', ['-x', '-C', out], { input: archive.stdout, maxBuffer: 2 ** 30 });
  else {
    // snapshots lack files of 4 MiB and more: write the tree blob by blob and list what is absent
    const absent = extractBlobs(gitDir, commit, out);
    if (absent.length) console.error(`${repo}: ${absent.length} file(s) absent from the snapshot (too large): ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', …' : ''}`);
  }
  writeFileSync(stamp, commit);
  return out;
}

/** The commit's tree written file by file (`git cat-file --batch`); returns the paths whose blobs are missing. */
function extractBlobs(gitDir, commit, out) {
  const listing = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--full-tree', commit], { maxBuffer: 2 ** 30 }).toString('utf8');
  const entries = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = [line.slice(0, line.indexOf('\t')), line.slice(line.indexOf('\t') + 1)];
      const [mode, type, sha] = meta.split(' ');
      return { mode, type, sha, path };
    })
    .filter((e) => e.type === 'blob');
  const absent = [];
  for (let i = 0; i < entries.length; i += 2000) {
    const chunk = entries.slice(i, i + 2000);
    const res = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input: chunk.map((e) => e.sha).join('\n') + '\n', maxBuffer: 2 ** 31 - 1 });
    const buf = res.stdout;
    let at = 0;
    for (const e of chunk) {
      const nl = buf.indexOf(10, at);
      const header = buf.subarray(at, nl).toString('utf8');
      at = nl + 1;
      if (header.endsWith(' missing')) {
        absent.push(e.path);
        continue;
      }
      const size = Number(header.split(' ')[2]);
      const body = buf.subarray(at, at + size);
      at += size + 1;
      const dest = join(out, e.path);
      mkdirSync(dirname(dest), { recursive: true });
      if (e.mode === '120000') symlinkSync(body.toString('utf8'), dest);
      else writeFileSync(dest, body, { mode: e.mode === '100755' ? 0o755 : 0o644 });
    }
  }
  return absent;
}

const rows = [];
const saved = {};
const byRule = {};
for (const entry of chosen) {
  const dir = materialise(entry);
  if (!dir) {
    rows.push({ repo: entry.repo, missing: true });
    continue;
  }
  if (values['materialise-only']) continue;
  const t0 = process.hrtime.bigint();
  const res = spawnSync(process.execPath, [BIN, '.', '--format', 'json', '--no-config', '--fail-on', 'never', ...extra], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 2 ** 30,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 0) {
    console.error(`${entry.repo}: permlint exited ${res.status}\n${res.stderr}`);
    rows.push({ repo: entry.repo, failed: res.status, ms });
    continue;
  }
  const doc = JSON.parse(res.stdout);
  const row = { repo: entry.repo, files: doc.summary.files, errors: doc.summary.errors, warnings: doc.summary.warnings, notes: doc.summary.notes, ms };
  row.total = row.errors + row.warnings + row.notes;
  rows.push(row);
  for (const f of doc.findings) {
    const k = f.rule;
    byRule[k] ??= { error: 0, warning: 0, note: 0 };
    byRule[k][f.level]++;
  }
  saved[entry.repo] = { commit: entry.commit, summary: doc.summary, findings: doc.findings, skipped: doc.skipped };
}
if (values['materialise-only']) process.exit(0);

const pad = (s, n) => String(s).padEnd(n);
const num = (s, n) => String(s).padStart(n);
console.log(`${pad('repository', 36)}${num('files', 7)}${num('error', 7)}${num('warn', 7)}${num('note', 7)}${num('total', 7)}${num('ms', 8)}`);
const sum = { files: 0, errors: 0, warnings: 0, notes: 0, total: 0, ms: 0 };
for (const r of rows) {
  if (r.missing) {
    console.log(`${pad(r.repo, 36)}  (no snapshot under ${MIRROR})`);
    continue;
  }
  if (r.failed !== undefined) {
    console.log(`${pad(r.repo, 36)}  (permlint exited ${r.failed})`);
    continue;
  }
  console.log(`${pad(r.repo, 36)}${num(r.files, 7)}${num(r.errors, 7)}${num(r.warnings, 7)}${num(r.notes, 7)}${num(r.total, 7)}${num(r.ms.toFixed(0), 8)}`);
  for (const k of Object.keys(sum)) sum[k] += r[k];
}
console.log(`${pad(`all ${rows.filter((r) => r.total !== undefined).length} repositories`, 36)}${num(sum.files, 7)}${num(sum.errors, 7)}${num(sum.warnings, 7)}${num(sum.notes, 7)}${num(sum.total, 7)}${num(sum.ms.toFixed(0), 8)}`);
if (extra.length) console.log(`permlint arguments: ${extra.join(' ')}`);
if (values['by-rule']) {
  console.log(`\n${pad('rule', 32)}${num('error', 7)}${num('warn', 7)}${num('note', 7)}`);
  for (const [k, v] of Object.entries(byRule).sort((a, b) => a[0].localeCompare(b[0]))) console.log(`${pad(k, 32)}${num(v.error, 7)}${num(v.warning, 7)}${num(v.note, 7)}`);
}
if (values.dump) {
  for (const [repo, r] of Object.entries(saved)) {
    const dir = join(CACHE, dirName(repo));
    for (const f of r.findings) {
      let line = '';
      try {
        line = readFileSync(join(dir, f.file), 'utf8').split(/\r?\n/)[f.line - 1]?.trim().slice(0, 160) ?? '';
      } catch {
        line = '(unreadable)';
      }
      console.log(`${repo}\t${f.file}:${f.line}\t${f.rule}\t${f.level}\t${f.persona ?? ''}\t${f.context ?? '-'}\t${f.message.slice(0, 140)}\t| ${line}`);
    }
  }
}
if (values.labels) {
  // labels are keyed by repo, file, line and rule; a finding matches its label on all four
  const labels = JSON.parse(readFileSync(resolve(values.labels), 'utf8')).labels;
  const byKey = new Map(labels.map((l) => [`${l.repo}|${l.file}|${l.line}|${l.rule}`, l]));
  let tp = 0, fp = 0, unlabelled = 0, falseErrors = 0;
  const fps = [];
  for (const [repo, r] of Object.entries(saved)) {
    for (const f of r.findings) {
      const l = byKey.get(`${repo}|${f.file}|${f.line}|${f.rule}`);
      if (!l) unlabelled++;
      else if (l.label) tp++;
      else {
        fp++;
        if (f.level === 'error') falseErrors++;
        fps.push(`${repo} ${f.file}:${f.line} ${f.rule} ${f.level}: ${l.reason}`);
      }
    }
  }
  const n = tp + fp;
  console.log(`\nlabelled ${n} of the ${n + unlabelled} findings shown: ${tp} true, ${fp} false (${falseErrors} at error) — precision ${n ? ((100 * tp) / n).toFixed(1) : '–'} %`);
  for (const x of fps) console.log(`  false: ${x}`);
  console.log(`labels on file: ${labels.length} (${labels.filter((l) => l.label).length} true, ${labels.filter((l) => !l.label).length} false)`);
}
if (values.save) {
  const out = resolve(values.save);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ args: extra, repositories: saved }, null, 1)}\n`);
  console.log(`\nsaved the findings to ${values.save}`);
}
if (rows.some((r) => r.missing || r.failed !== undefined)) process.exitCode = 1;
