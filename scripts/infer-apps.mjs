// Real public Deno applications from the corpus (bench/corpus.json, snapshots under /work/.mirror)
// run under the real Deno with the permission broker, compared with `permlint infer`.
//
//   npm run build && node scripts/infer-apps.mjs      writes fixtures/infer-oracle/apps.json, prints the figures
//
// Each app is exported from its snapshot (git archive of the corpus commit) into a scratch folder and
// run offline: its module graph is local (workspace members, relative imports), DENO_DIR is empty,
// the HTTP(S) proxy is a closed local port, and the broker denies every net check that is not for a
// local address. CLIs run with their own arguments (`--help`); servers are started, sent one local
// request when the app serves files, and stopped once they listen. The same run writes the audit log
// with DENO_TRACE_PERMISSIONS=1 (call sites). Never -A. Nothing here runs in `npm test`: the
// snapshots are not part of a clone; the observations are committed and docs/inference.md has the figures.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { denoBinary, DENO_VERSION } from './runtimes.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MIRROR = process.env.PERMLINT_MIRROR ?? '/work/.mirror';
const OUT = join(ROOT, 'fixtures', 'infer-oracle', 'apps.json');
const corpus = JSON.parse(readFileSync(join(ROOT, 'bench', 'corpus.json'), 'utf8')).repositories;

/** name, repo, entrypoint (repo-relative), program arguments, run flags that are not permissions, env, server port, a file to request. */
const APPS = [
  { name: 'std file_server --help', repo: 'denoland/std', entry: 'http/file_server.ts', args: ['--help'] },
  { name: 'std file_server (serving)', repo: 'denoland/std', entry: 'http/file_server.ts', args: ['--port', '4611', '--host', '127.0.0.1', '--no-dotfiles', 'http/testdata'], server: { port: 4611, request: '/hello.html' } },
  { name: 'std check_export_names', repo: 'denoland/std', entry: '_tools/check_export_names.ts', args: [] },
  { name: 'denobyexample http-server-routing', repo: 'denoland/denobyexample', entry: 'data/http-server-routing.ts', args: [], server: { port: 8000, request: '/books/1' } },
  { name: 'docs file_locking', repo: 'denoland/docs', entry: 'examples/scripts/file_locking.ts', args: [], files: ['examples/scripts/file_locking.ts'] },
  { name: 'deployctl link-shortener', repo: 'denoland/deployctl', entry: 'examples/link-shortener/main.ts', args: [], flags: ['--unstable-kv'], server: { port: 8000 } },
  { name: 'examples with-grafana', repo: 'denoland/examples', entry: 'with-grafana/main.ts', args: [], env: { OPENAI_API_KEY: 'not-a-key' }, server: { port: 8000 } },
];

const LOCAL = /^(127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1?\]|::1?)(:\d+)?$/;
const NO_NETWORK = { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost' };

function exportRepo(repo, files) {
  const git = join(MIRROR, repo.replace('/', '+'), 'repo');
  const pinned = corpus.find((r) => r.repo === repo)?.commit;
  let commit = pinned;
  try {
    execFileSync('git', ['--git-dir', git, 'cat-file', '-e', `${pinned}^{commit}`], { stdio: 'ignore' });
  } catch {
    commit = execFileSync('git', ['--git-dir', git, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  }
  const dir = mkdtempSync(join(tmpdir(), `permlint-app-${repo.replace('/', '-')}-`));
  if (files) {
    // a snapshot may lack some large binary blobs (git archive then fails): export the app's own files
    for (const f of files) {
      mkdirSync(join(dir, dirname(f)), { recursive: true });
      writeFileSync(join(dir, f), execFileSync('git', ['--git-dir', git, 'show', `${commit}:${f}`]));
    }
  } else execFileSync('sh', ['-c', `git --git-dir "${git}" archive ${commit} | tar -x -C "${dir}"`]);
  return { dir, commit, pinned: commit === pinned };
}

function waitForPort(port, ms) {
  const until = Date.now() + ms;
  return new Promise((resolve) => {
    const tryOnce = () => {
      const s = createConnection({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => (Date.now() > until ? resolve(false) : setTimeout(tryOnce, 200)));
    };
    tryOnce();
  });
}

async function run(deno, app, dir) {
  const sock = join(dir, '.permlint-broker.sock');
  const auditFile = join(dir, '.permlint-audit.jsonl');
  const checks = [];
  const broker = createServer((c) => {
    let buf = '';
    c.on('data', (d) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const req = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        const deny = req.permission === 'net' && req.value !== null && !LOCAL.test(req.value);
        checks.push({ permission: req.permission, value: req.value ?? null, ...(deny ? { denied: true } : {}) });
        c.write(`${JSON.stringify({ id: req.id, result: deny ? 'deny' : 'allow' })}\n`);
      }
    });
    c.on('error', () => {});
  });
  await new Promise((r) => broker.listen(sock, r));
  const denoDir = mkdtempSync(join(tmpdir(), 'permlint-app-deno-dir-'));
  const p = spawn(deno, ['run', '--no-prompt', '--no-lock', ...(app.flags ?? []), app.entry, ...app.args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_DIR: denoDir, ...NO_NETWORK, ...(app.env ?? {}), DENO_PERMISSION_BROKER_PATH: sock, DENO_AUDIT_PERMISSIONS: auditFile, DENO_TRACE_PERMISSIONS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  p.stderr.on('data', (d) => (stderr += d));
  p.stdout.on('data', (d) => (stdout += d));
  const closed = new Promise((r) => p.on('close', (code, signal) => r({ code, signal })));
  let listened;
  if (app.server) {
    listened = await waitForPort(app.server.port, 60_000);
    if (listened && app.server.request) await fetch(`http://127.0.0.1:${app.server.port}${app.server.request}`).then((r) => r.text()).catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    p.kill('SIGTERM');
  }
  const killer = setTimeout(() => p.kill('SIGKILL'), 300_000);
  const end = await closed;
  clearTimeout(killer);
  await new Promise((r) => broker.close(r));
  rmSync(denoDir, { recursive: true, force: true });
  // a child Deno the app starts inherits the audit file: lines written at once may interleave (skipped)
  const parse = (l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  };
  const audit = existsSync(auditFile) ? readFileSync(auditFile, 'utf8').split('\n').filter(Boolean).flatMap(parse) : [];
  return { end, listened, checks, audit, stderr: stderr.slice(0, 1500), stdout: stdout.slice(0, 300) };
}

/** A runtime value relative to the app folder (./x), as permlint writes paths. */
function relValue(kind, v, dir) {
  if (typeof v !== 'string') return v;
  if ((kind === 'read' || kind === 'write') && (v === dir || v.startsWith(`${dir}/`))) return v === dir ? '.' : `.${v.slice(dir.length)}`;
  return v;
}
const normPath = (kind, v) => (kind === 'read' || kind === 'write' ? posix.normalize(v).replace(/^\.\//, '').replace(/\/$/, '') : v);

async function infer(dir, entry) {
  const { inferEntrypoint } = await import('../dist/src/infer/index.js');
  const { inferFs } = await import('../dist/src/infer/fs.js');
  const { leastPrivilege, toFlags } = await import('../dist/src/infer/least.js');
  const { nodeFs } = await import('../dist/src/fs.js');
  const inf = await inferEntrypoint(entry, inferFs(nodeFs, dir));
  return { inf, flags: inf ? toFlags(leastPrivilege(inf, 'deno'), 'deno') : [] };
}

const deno = denoBinary();
const results = [];
for (const app of APPS) {
  const { dir, commit, pinned } = exportRepo(app.repo, app.files);
  const obs = await run(deno, app, dir);
  const { inf, flags } = await infer(dir, app.entry);
  const checks = obs.checks.map((c) => ({ ...c, value: relValue(c.permission, c.value, dir) }));
  const seen = [...new Set(checks.map((c) => c.permission))];
  const have = new Set((inf?.needs ?? []).map((n) => n.kind));
  const missedKinds = seen.filter((k) => !have.has(k));
  let exact = 0;
  const wrong = [];
  let unfolded = 0;
  for (const c of checks) {
    if (c.value === null) continue;
    const same = (inf?.needs ?? []).filter((n) => n.kind === c.permission);
    const folded = same.filter((n) => n.value !== undefined && !n.unscoped);
    if (folded.some((n) => normPath(c.permission, n.value) === normPath(c.permission, c.value))) exact++;
    else if (same.some((n) => n.value === undefined || n.unscoped)) unfolded++;
    else if (folded.length) wrong.push(`${c.permission}:${c.value} (inferred ${[...new Set(folded.map((n) => n.value))].join(', ')})`);
    else wrong.push(`${c.permission}:${c.value} (no need of that kind)`);
  }
  const sites = obs.audit.filter((a) => (a.stack ?? []).some((f) => f.includes(`file://${dir}/`))).length;
  const r = {
    name: app.name,
    repo: app.repo,
    commit,
    ...(pinned ? {} : { note: 'the corpus commit is not in the snapshot: HEAD was used' }),
    command: ['deno run', ...(app.flags ?? []), app.entry, ...app.args].join(' '),
    exit: obs.end.code,
    signal: obs.end.signal,
    ...(app.server ? { listened: obs.listened } : {}),
    modules: inf?.modules.length ?? 0,
    runtime: { checks: checks.length, kinds: seen, deniedNet: checks.filter((c) => c.denied).length, auditWithCallSite: sites },
    permlint: { flags, kinds: [...have], limits: (inf?.limits ?? []).map((l) => l.reason).slice(0, 5) },
    recallOnKinds: `${seen.length - missedKinds.length}/${seen.length}`,
    missedKinds,
    values: { exact, wrong: wrong.length, notFolded: unfolded },
    wrongValues: [...new Set(wrong)].slice(0, 10),
    checks: [...new Map(checks.map((c) => [`${c.permission}:${c.value}`, c])).values()].slice(0, 60),
    stderr: obs.stderr.replaceAll(dir, '<app>'),
  };
  results.push(r);
  console.error(`${r.name}: exit ${r.exit}${r.signal ? ` (${r.signal})` : ''}${app.server ? ` listened=${r.listened}` : ''}, ${r.modules} modules; runtime kinds ${seen.join(',') || '-'}; recall ${r.recallOnKinds}; values exact ${exact}, wrong ${wrong.length}, not folded ${unfolded}; permlint: ${flags.join(' ')}`);
  rmSync(dir, { recursive: true, force: true });
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ deno: DENO_VERSION, apps: results }, null, 1)}\n`);
