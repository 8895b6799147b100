// Ground truth for the inference fixtures: what the real runtimes check.
//
//   node scripts/infer-truth.mjs            refresh fixtures/infer-oracle/broker-cache.json
//
// Deno (fixtures/infer-programs/*/main.ts): each entrypoint runs under Deno with the permission
// broker (DENO_PERMISSION_BROKER_PATH): Deno sends one JSON line per permission check to a Unix
// socket and waits for the answer; the broker records the check and answers "allow", so the
// program runs to the end and every check it makes is seen, `run` included. The same run writes
// the audit log (DENO_AUDIT_PERMISSIONS, one JSON line per check) with DENO_TRACE_PERMISSIONS=1,
// which adds the JS stack of each check: the call sites in the fixture's own modules. (Never -A
// with the audit log: under -A every file access is logged as read and write, and run checks are
// not logged.) A fixture with a `remote/` folder imports it over http from 127.0.0.1:4507, served
// here, with a fresh DENO_DIR so the module loader fetches (and checks --allow-import) each time.
// A second run grants only the flags permlint inferred, with --no-prompt, and records whether
// Deno denied anything.
//
// Node (fixtures/infer-node/*/main.{mjs,cjs,js}): each entrypoint runs under Node 24 with
// --permission-audit (24.20+: every check is allowed and published on the diagnostics channels
// node:permission-model:{fs,child,worker,wasi,addon}), a --require hook outside the fixture
// recording each event with its stack; a second run with --permission and the inferred flags
// records whether Node denied anything (ERR_ACCESS_DENIED).
//
// Programs never reach the network: HTTP(S)_PROXY point at a closed local port.
//
// The answers are cached keyed by the fixture's content hash and the runtime version, so
// `npm test` needs no runtime when nothing changed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_FILE = join(ROOT, 'fixtures', 'infer-oracle', 'broker-cache.json');
/** Longest a fixture may run before it is killed (a hung program, not a timing assertion). */
const KILL_AFTER_MS = 60_000;

/** One folder per program: fixtures/infer-programs/<name>/main.ts (+ deno.json, modules, data). */
export const PROGRAMS = join(ROOT, 'fixtures', 'infer-programs');
/** Node programs: fixtures/infer-node/<name>/main.{mjs,cjs,js} (+ package.json, node_modules, data). */
export const NODE_PROGRAMS = join(ROOT, 'fixtures', 'infer-node');
/** Where a `remote/` folder of a fixture is served (http://127.0.0.1:4507/…). */
export const REMOTE_PORT = 4507;
export const NO_NETWORK = { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost' };

export function fixtureNames() {
  return readdirSync(PROGRAMS)
    .filter((n) => existsSync(join(PROGRAMS, n, 'main.ts')))
    .sort();
}

function listFiles(dir, base = dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p)];
    });
}

/** sha256 over every file of the fixture (path and bytes). */
export function fixtureHash(name, base = PROGRAMS) {
  const dir = join(base, name);
  const h = createHash('sha256');
  for (const f of listFiles(dir)) h.update(`${f}\0`).update(readFileSync(join(dir, f))).update('\0');
  return h.digest('hex');
}

export function readCache() {
  try {
    return JSON.parse(readFileSync(CACHE_FILE, 'utf8'));
  } catch {
    return { deno: '', fixtures: {}, node: '', nodeFixtures: {} };
  }
}

function runDeno(deno, args, cwd, env) {
  return new Promise((resolve) => {
    const p = spawn(deno, args, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...NO_NETWORK, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.stdout.resume();
    const timer = setTimeout(() => p.kill('SIGKILL'), KILL_AFTER_MS);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** Copy of a fixture in a temp folder, so runs that write files never touch the repository. */
function scratchCopy(name, base = PROGRAMS) {
  const src = join(base, name);
  const dst = mkdtempSync(join(tmpdir(), `permlint-${name}-`));
  for (const f of listFiles(src)) {
    const to = join(dst, f);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, readFileSync(join(src, f)));
  }
  return dst;
}

/** Serve a fixture's `remote/` folder on 127.0.0.1:REMOTE_PORT while `fn` runs. */
function withRemote(name, fn) {
  return serveRemote(join(PROGRAMS, name), fn);
}

/**
 * Serve `<programDir>/remote/` on http://127.0.0.1:REMOTE_PORT/ while `fn` runs, with a fresh
 * DENO_DIR so Deno fetches (and checks --allow-import) each time; `fn` gets that environment.
 */
export async function serveRemote(programDir, fn) {
  const dir = join(programDir, 'remote');
  if (!existsSync(dir)) return fn({});
  const server = createHttpServer((req, res) => {
    const file = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(dir) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/typescript' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(REMOTE_PORT, '127.0.0.1', r));
  const denoDir = mkdtempSync(join(tmpdir(), 'permlint-deno-dir-'));
  try {
    return await fn({ DENO_DIR: denoDir });
  } finally {
    await new Promise((r) => server.close(r));
    rmSync(denoDir, { recursive: true, force: true });
  }
}

/** `file:///…/dir/a.ts:3:7` frames of a stack that are in the fixture: `a.ts:3:7`. */
function userFrames(stack, dir) {
  const out = [];
  for (const f of stack ?? []) {
    const m = /(?:file:\/\/)?(\/[^\s()]+):(\d+):(\d+)\)?$/.exec(f);
    if (m && m[1].startsWith(`${dir}/`)) out.push(`${m[1].slice(dir.length + 1)}:${m[2]}:${m[3]}`);
  }
  return out;
}

/**
 * Every permission check Deno makes running the fixture's main.ts: the broker's [{ permission, value }],
 * and the audit log's [{ permission, value, sites }] (sites: the fixture's frames of the check's stack).
 */
export async function observe(deno, name) {
  const dir = scratchCopy(name);
  const sock = join(dir, '.broker.sock');
  const auditFile = join(dir, '.audit.jsonl');
  const checks = [];
  const server = createServer((c) => {
    let buf = '';
    c.on('data', (d) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const req = JSON.parse(line);
        checks.push({ permission: req.permission, value: req.value ?? null });
        c.write(`${JSON.stringify({ id: req.id, result: 'allow' })}\n`);
      }
    });
    c.on('error', () => {});
  });
  await new Promise((r) => server.listen(sock, r));
  const res = await withRemote(name, (env) =>
    runDeno(deno, ['run', '--no-prompt', '--no-lock', ...configFlag(dir), 'main.ts'], dir, { DENO_PERMISSION_BROKER_PATH: sock, DENO_AUDIT_PERMISSIONS: auditFile, DENO_TRACE_PERMISSIONS: '1', ...env }),
  );
  await new Promise((r) => server.close(r));
  const audit = existsSync(auditFile)
    ? readFileSync(auditFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  rmSync(dir, { recursive: true, force: true });
  // paths inside the copy are reported relative to the fixture
  const rel = (v) => (typeof v === 'string' && v.startsWith(dir) ? `.${v.slice(dir.length)}` : v);
  return {
    exit: res.code,
    checks: checks.map((c) => ({ permission: c.permission, value: rel(c.value) })),
    audit: audit.map((a) => ({ permission: a.permission, value: rel(a.value ?? null), sites: userFrames(a.stack, dir) })),
    stderr: res.stderr.slice(0, 2000),
  };
}

function configFlag(dir) {
  return existsSync(join(dir, 'deno.json')) ? ['--config', 'deno.json'] : [];
}

/** Run the fixture with exactly these permission flags and --no-prompt: was anything denied? */
export async function rerun(deno, name, flags) {
  const dir = scratchCopy(name);
  const res = await withRemote(name, (env) => runDeno(deno, ['run', '--no-prompt', '--no-lock', ...configFlag(dir), ...flags, 'main.ts'], dir, env));
  rmSync(dir, { recursive: true, force: true });
  return { exit: res.code, denied: /NotCapable|Requires \w+ access/.test(res.stderr), stderr: res.stderr.slice(0, 2000) };
}

/** Run the fixture's own `deno task start` (its own flags, no prompt on a pipe): was anything denied? */
export async function ownRun(deno, name) {
  const dir = scratchCopy(name);
  const res = existsSync(join(dir, 'deno.json')) ? await withRemote(name, (env) => runDeno(deno, ['task', '--quiet', 'start'], dir, env)) : undefined;
  rmSync(dir, { recursive: true, force: true });
  return res ? { exit: res.code, denied: /NotCapable|Requires \w+ access/.test(res.stderr) } : undefined;
}

/** The least-privilege flags permlint infers for a fixture (from the built dist/). */
export async function inferredFlags(name, runtime = 'deno') {
  const { inferEntrypoint } = await import('../dist/src/infer/index.js');
  const { inferFs } = await import('../dist/src/infer/fs.js');
  const { leastPrivilege, toFlags } = await import('../dist/src/infer/least.js');
  const { nodeFs } = await import('../dist/src/fs.js');
  const base = runtime === 'node' ? NODE_PROGRAMS : PROGRAMS;
  const inf = await inferEntrypoint(runtime === 'node' ? nodeEntry(name) : 'main.ts', inferFs(nodeFs, join(base, name)), runtime);
  return inf ? toFlags(leastPrivilege(inf, runtime), runtime) : [];
}

// ---------------------------------------------------------------------------------------------
// Node

export function nodeFixtureNames() {
  if (!existsSync(NODE_PROGRAMS)) return [];
  return readdirSync(NODE_PROGRAMS)
    .filter((n) => nodeEntry(n))
    .sort();
}

/** main.mjs, main.cjs or main.js. */
export function nodeEntry(name) {
  return ['main.mjs', 'main.cjs', 'main.js'].find((f) => existsSync(join(NODE_PROGRAMS, name, f)));
}

/** The --require hook of the audit run: each permission-model event with its stack, on stderr (an fs write would be audited itself). */
const AUDIT_HOOK = `const dc = require('node:diagnostics_channel');
for (const scope of ['fs', 'child', 'worker', 'wasi', 'addon']) dc.subscribe('node:permission-model:' + scope, (m) => {
  process._rawDebug('PERMLINT-AUDIT ' + JSON.stringify({ scope, permission: m.permission, resource: m.resource === undefined ? null : String(m.resource), stack: String(new Error().stack).split('\\n').slice(1).map((l) => l.trim()) }));
});
`;

function runNode(node, args, cwd) {
  return runDeno(node, args, cwd, { NODE_OPTIONS: '' });
}

/** Every check Node 24 makes running the fixture under --permission-audit: [{ scope, permission, value, sites }]. */
export async function observeNode(node, name) {
  const dir = scratchCopy(name, NODE_PROGRAMS);
  const hookDir = mkdtempSync(join(tmpdir(), 'permlint-audit-hook-'));
  writeFileSync(join(hookDir, 'hook.cjs'), AUDIT_HOOK);
  const res = await runNode(node, ['--permission-audit', '--require', join(hookDir, 'hook.cjs'), nodeEntry(name)], dir);
  rmSync(hookDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  const rel = (v) => (typeof v === 'string' && (v === dir || v.startsWith(`${dir}/`)) ? `.${v.slice(dir.length)}` : v);
  const checks = res.stderr
    .split('\n')
    .filter((l) => l.startsWith('PERMLINT-AUDIT '))
    .map((l) => JSON.parse(l.slice('PERMLINT-AUDIT '.length)))
    .map((e) => ({ scope: e.scope, permission: e.permission, value: rel(e.resource || null), sites: userFrames(e.stack, dir) }));
  return { exit: res.code, checks, stderr: res.stderr.replace(/^PERMLINT-AUDIT .*\n/gm, '').slice(0, 2000) };
}

/** Run the Node fixture with --permission and these flags: was anything denied? */
export async function rerunNode(node, name, flags) {
  const dir = scratchCopy(name, NODE_PROGRAMS);
  const res = await runNode(node, [...(flags.includes('--permission') ? flags : ['--permission', ...flags]), nodeEntry(name)], dir);
  rmSync(dir, { recursive: true, force: true });
  return { exit: res.code, denied: /ERR_ACCESS_DENIED/.test(res.stderr), stderr: res.stderr.slice(0, 2000) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { denoBinary, nodeBinary, DENO_VERSION, NODE_AUDIT_VERSION } = await import('./runtimes.mjs');
  const only = process.argv[2];
  const old = readCache();
  const cache = { deno: DENO_VERSION, fixtures: only === 'node' ? old.fixtures : {}, node: NODE_AUDIT_VERSION, nodeFixtures: only === 'deno' ? (old.nodeFixtures ?? {}) : {} };
  if (only !== 'node') {
    const deno = denoBinary();
    for (const name of fixtureNames()) {
      const obs = await observe(deno, name);
      const flags = await inferredFlags(name);
      const fix = await rerun(deno, name, flags);
      const own = await ownRun(deno, name);
      cache.fixtures[name] = { hash: fixtureHash(name), ...obs, fix: { flags, ...fix }, ...(own ? { own } : {}) };
      console.error(`${name}: exit ${obs.exit}, ${obs.checks.length} checks, ${obs.audit.length} audited; inferred ${flags.join(' ') || '(none)'}: exit ${fix.exit}${fix.denied ? ' DENIED' : ''}${own ? `; own flags: exit ${own.exit}${own.denied ? ' DENIED' : ''}` : ''}`);
    }
  }
  if (only !== 'deno') {
    const node = nodeBinary(NODE_AUDIT_VERSION);
    for (const name of nodeFixtureNames()) {
      const obs = await observeNode(node, name);
      const flags = await inferredFlags(name, 'node');
      const fix = await rerunNode(node, name, flags);
      cache.nodeFixtures[name] = { hash: fixtureHash(name, NODE_PROGRAMS), ...obs, fix: { flags, ...fix } };
      console.error(`node ${name}: exit ${obs.exit}, ${obs.checks.length} audited; inferred ${flags.join(' ')}: exit ${fix.exit}${fix.denied ? ' DENIED' : ''}`);
    }
  }
  writeFileSync(CACHE_FILE, `${JSON.stringify(cache, null, 1)}\n`);
}
