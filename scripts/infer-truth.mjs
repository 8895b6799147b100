// Ground truth for the inference fixtures (fixtures/infer-programs/*): what the real Deno checks.
//
//   node scripts/infer-truth.mjs            refresh fixtures/infer-oracle/broker-cache.json
//
// Each fixture's entrypoint runs under Deno with the permission broker
// (DENO_PERMISSION_BROKER_PATH): Deno sends one JSON line per permission check to a Unix socket
// and waits for the answer; the broker records the check and answers "allow", so the program
// runs to the end and every check it makes is seen, `run` included. (Not -A with the audit log:
// under -A every file access is logged as read and write, and run checks are not logged.)
// A second run grants only the flags permlint inferred, with --no-prompt, and records whether
// Deno denied anything.
//
// The answers are cached keyed by the fixture's content hash and the Deno version, so `npm test`
// needs no Deno when nothing changed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE_FILE = join(ROOT, 'fixtures', 'infer-oracle', 'broker-cache.json');
/** Longest a fixture may run before it is killed (a hung program, not a timing assertion). */
const KILL_AFTER_MS = 60_000;

/** One folder per program: fixtures/infer-programs/<name>/main.ts (+ deno.json, modules, data). */
export const PROGRAMS = join(ROOT, 'fixtures', 'infer-programs');

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
export function fixtureHash(name) {
  const dir = join(PROGRAMS, name);
  const h = createHash('sha256');
  for (const f of listFiles(dir)) h.update(`${f}\0`).update(readFileSync(join(dir, f))).update('\0');
  return h.digest('hex');
}

export function readCache() {
  try {
    return JSON.parse(readFileSync(CACHE_FILE, 'utf8'));
  } catch {
    return { deno: '', fixtures: {} };
  }
}

function runDeno(deno, args, cwd, env) {
  return new Promise((resolve) => {
    const p = spawn(deno, args, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
function scratchCopy(name) {
  const src = join(PROGRAMS, name);
  const dst = mkdtempSync(join(tmpdir(), `permlint-${name}-`));
  for (const f of listFiles(src)) {
    const to = join(dst, f);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, readFileSync(join(src, f)));
  }
  return dst;
}

/** Every permission check Deno makes running the fixture's main.ts: [{ permission, value }]. */
export async function observe(deno, name) {
  const dir = scratchCopy(name);
  const sock = join(dir, '.broker.sock');
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
  const res = await runDeno(deno, ['run', '--no-prompt', '--no-lock', ...configFlag(dir), 'main.ts'], dir, { DENO_PERMISSION_BROKER_PATH: sock });
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
  // paths inside the copy are reported relative to the fixture
  const rel = (v) => (typeof v === 'string' && v.startsWith(dir) ? `.${v.slice(dir.length)}` : v);
  return { exit: res.code, checks: checks.map((c) => ({ permission: c.permission, value: rel(c.value) })), stderr: res.stderr.slice(0, 2000) };
}

function configFlag(dir) {
  return existsSync(join(dir, 'deno.json')) ? ['--config', 'deno.json'] : [];
}

/** Run the fixture with exactly these permission flags and --no-prompt: was anything denied? */
export async function rerun(deno, name, flags) {
  const dir = scratchCopy(name);
  const res = await runDeno(deno, ['run', '--no-prompt', '--no-lock', ...configFlag(dir), ...flags, 'main.ts'], dir, {});
  rmSync(dir, { recursive: true, force: true });
  return { exit: res.code, denied: /NotCapable|Requires \w+ access/.test(res.stderr), stderr: res.stderr.slice(0, 2000) };
}

/** The least-privilege flags permlint infers for a fixture (from the built dist/). */
export async function inferredFlags(name) {
  const { inferEntrypoint } = await import('../dist/src/infer/index.js');
  const { inferFs } = await import('../dist/src/infer/fs.js');
  const { leastPrivilege, toFlags } = await import('../dist/src/infer/least.js');
  const { nodeFs } = await import('../dist/src/fs.js');
  const inf = await inferEntrypoint('main.ts', inferFs(nodeFs, join(PROGRAMS, name)));
  return inf ? toFlags(leastPrivilege(inf, 'deno'), 'deno') : [];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { denoBinary, DENO_VERSION } = await import('./runtimes.mjs');
  const deno = denoBinary();
  const cache = { deno: DENO_VERSION, fixtures: {} };
  for (const name of fixtureNames()) {
    const obs = await observe(deno, name);
    const flags = await inferredFlags(name);
    const fix = await rerun(deno, name, flags);
    cache.fixtures[name] = { hash: fixtureHash(name), ...obs, fix: { flags, ...fix } };
    console.error(`${name}: exit ${obs.exit}, ${obs.checks.length} checks; inferred ${flags.join(' ') || '(none)'}: exit ${fix.exit}${fix.denied ? ' DENIED' : ''}`);
  }
  writeFileSync(CACHE_FILE, `${JSON.stringify(cache, null, 1)}\n`);
}
