// Generate data/node-api-permissions.json: which permission each Node API checks under the
// permission model, observed on the real Node binary (the Node source snapshot is 1.75 GB, more
// than can be fetched here, and its checks sit in C++ bindings; the binary is the ground truth).
//
//   node scripts/gen-node-table.mjs [--check]
//
// Each probe is a small ES module run twice in a scratch folder under Node NODE_AUDIT_VERSION
// (scripts/runtimes.mjs installs it):
// 1. with --permission-audit (24.20+): every check is allowed and published on the diagnostics
//    channels node:permission-model:{fs,child,worker,wasi,addon}; a --require hook outside the
//    folder records each event (scope, permission, resource). Which argument carries a checked path
//    is read from the resource: every probe passes distinct names (`./a.txt`, `./b.txt` …).
// 2. with --permission and no grant: the error the call fails with (ERR_ACCESS_DENIED and the
//    permission and resource it names, or ERR_DLOPEN_DISABLED for addons, which are not audited).
// test/infer/node-table.test.ts checks every row: the denial names the first audited check, and
// permlint's inference on the probe's own code gives the kinds and paths the binary checked.
// Programs never reach the network.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSync } from 'oxc-parser';
import { NODE_AUDIT_VERSION, nodeBinary } from './runtimes.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'data', 'node-api-permissions.json');

/** [api, code]: the code runs as main.mjs with `fs`, `fsp`, `cp`, `wt` imported. */
export const PROBES = [
  ['node:fs.readFileSync', "fs.readFileSync('./a.txt');"],
  ['node:fs.readFile', "await new Promise((r, j) => fs.readFile('./a.txt', (e) => (e ? j(e) : r())));"],
  ['node:fs/promises.readFile', "await fsp.readFile('./a.txt');"],
  ['node:fs.existsSync', "fs.existsSync('./a.txt');"],
  ['node:fs.statSync', "fs.statSync('./a.txt');"],
  ['node:fs.lstatSync', "fs.lstatSync('./a.txt');"],
  ['node:fs/promises.stat', "await fsp.stat('./a.txt');"],
  ['node:fs.accessSync', "fs.accessSync('./a.txt');"],
  ['node:fs.readdirSync', "fs.readdirSync('./d');"],
  ['node:fs/promises.readdir', "await fsp.readdir('./d');"],
  ['node:fs.opendirSync', "fs.opendirSync('./d').closeSync();"],
  ['node:fs.realpathSync', "fs.realpathSync('./a.txt');"],
  ['node:fs.readlinkSync', "fs.readlinkSync('./l.txt');"],
  ['node:fs.createReadStream', "await new Promise((r) => fs.createReadStream('./a.txt').on('close', r).resume());"],
  ['node:fs.openSync', "fs.closeSync(fs.openSync('./a.txt'));"],
  ['node:fs.watch', "fs.watch('./a.txt').close();"],
  ['node:fs.writeFileSync', "fs.writeFileSync('./b.txt', 'x');"],
  ['node:fs.writeFile', "await new Promise((r, j) => fs.writeFile('./b.txt', 'x', (e) => (e ? j(e) : r())));"],
  ['node:fs/promises.writeFile', "await fsp.writeFile('./b.txt', 'x');"],
  ['node:fs.appendFileSync', "fs.appendFileSync('./b.txt', 'x');"],
  ['node:fs/promises.appendFile', "await fsp.appendFile('./b.txt', 'x');"],
  ['node:fs.mkdirSync', "fs.mkdirSync('./n');"],
  ['node:fs/promises.mkdir', "await fsp.mkdir('./n');"],
  ['node:fs.mkdtempSync', "fs.mkdtempSync('./t-');"],
  ['node:fs.rmSync', "fs.rmSync('./e.txt');"],
  ['node:fs/promises.rm', "await fsp.rm('./e.txt');"],
  ['node:fs.unlinkSync', "fs.unlinkSync('./e.txt');"],
  ['node:fs.rmdirSync', "fs.rmdirSync('./ed');"],
  ['node:fs.truncateSync', "fs.truncateSync('./e.txt');"],
  ['node:fs.chmodSync', "fs.chmodSync('./e.txt', 0o644);"],
  ['node:fs.utimesSync', "fs.utimesSync('./e.txt', 1, 1);"],
  ['node:fs.createWriteStream', "await new Promise((r) => fs.createWriteStream('./b.txt').end('x', r));"],
  ['node:fs.renameSync', "fs.renameSync('./e.txt', './f.txt');"],
  ['node:fs/promises.rename', "await fsp.rename('./e.txt', './f.txt');"],
  ['node:fs.copyFileSync', "fs.copyFileSync('./a.txt', './f.txt');"],
  ['node:fs/promises.copyFile', "await fsp.copyFile('./a.txt', './f.txt');"],
  ['node:fs.cpSync', "fs.cpSync('./a.txt', './f.txt');"],
  ['node:fs.linkSync', "fs.linkSync('./a.txt', './f.txt');"],
  ['node:fs.symlinkSync', "fs.symlinkSync('./a.txt', './f.txt');"],
  ['node:child_process.execSync', "cp.execSync('true');"],
  ['node:child_process.execFileSync', "cp.execFileSync('true');"],
  ['node:child_process.spawnSync', "cp.spawnSync('true');"],
  ['node:child_process.spawn', "await new Promise((r) => cp.spawn('true').on('close', r));"],
  ['node:child_process.exec', "await new Promise((r, j) => cp.exec('true', (e) => (e ? j(e) : r())));"],
  ['node:child_process.execFile', "await new Promise((r, j) => cp.execFile('true', (e) => (e ? j(e) : r())));"],
  ['node:child_process.fork', "await new Promise((r) => cp.fork('./c.cjs').on('close', r));"],
  ['node:worker_threads.Worker', "await new Promise((r) => new wt.Worker('./w.cjs').on('exit', r));"],
  ['node:wasi.WASI', "new WASI({ version: 'preview1' });"],
  ['process.dlopen', "process.dlopen({ exports: {} }, './x.node');"],
  ['require(.node)', "createRequire(import.meta.url)('./x.node');"],
  ['import()', "await import('./m.mjs');"],
  ['require()', "createRequire(import.meta.url)('./m.cjs');"],
];

const HEADER = "import fs from 'node:fs';\nimport fsp from 'node:fs/promises';\nimport cp from 'node:child_process';\nimport wt from 'node:worker_threads';\nimport { WASI } from 'node:wasi';\nimport { createRequire } from 'node:module';\n";

const HOOK = `const dc = require('node:diagnostics_channel');
for (const scope of ['fs', 'child', 'worker', 'wasi', 'addon']) dc.subscribe('node:permission-model:' + scope, (m) => {
  process._rawDebug('PERMLINT-AUDIT ' + JSON.stringify({ scope, permission: m.permission, resource: m.resource === undefined ? null : String(m.resource) }));
});
`;

function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'permlint-node-probe-'));
  writeFileSync(join(dir, 'a.txt'), 'a');
  writeFileSync(join(dir, 'e.txt'), 'e');
  mkdirSync(join(dir, 'd'));
  mkdirSync(join(dir, 'ed'));
  symlinkSync('./a.txt', join(dir, 'l.txt'));
  writeFileSync(join(dir, 'c.cjs'), '');
  writeFileSync(join(dir, 'w.cjs'), '');
  writeFileSync(join(dir, 'm.mjs'), 'export {};\n');
  writeFileSync(join(dir, 'm.cjs'), '');
  writeFileSync(join(dir, 'x.node'), '');
  return dir;
}

const ENV = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' };

function run(node, dir, args) {
  const r = spawnSync(node, args, { cwd: dir, env: ENV, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stderr: r.stderr ?? '' };
}

const rel = (dir) => (v) => (typeof v === 'string' && v.startsWith(`${dir}/`) ? `.${v.slice(dir.length)}` : v);

/** The string arguments of the probe's call (the first call or `new` whose callee is the API's function). */
function callArgs(api, code) {
  const fn = api.slice(api.lastIndexOf('.') + 1);
  const { program } = parseSync('probe.mjs', code, { sourceType: 'module' });
  let found;
  const stack = [program];
  while (stack.length && !found) {
    const n = stack.pop();
    if (!n || typeof n.type !== 'string') continue;
    if ((n.type === 'CallExpression' || n.type === 'NewExpression') && (n.callee.property?.name === fn || n.callee.name === fn || n.callee.type === 'CallExpression')) found = n;
    for (const k of Object.keys(n).reverse()) {
      const v = n[k];
      if (Array.isArray(v)) stack.push(...[...v].reverse().filter((c) => c && typeof c === 'object'));
      else if (v && typeof v === 'object') stack.push(v);
    }
  }
  return (found?.arguments ?? []).map((a) => (a.type === 'Literal' && typeof a.value === 'string' ? a.value : null));
}

/** Which argument a checked resource is (`./t-XXXXXX` is made from the prefix `./t-`), or null. */
function argOf(args, resource) {
  if (resource === null) return null;
  const i = args.findIndex((a) => a !== null && (a === resource || (resource.startsWith(a) && /X{6}$/.test(resource))));
  return i < 0 ? null : i;
}

const KIND = { FileSystemRead: 'read', FileSystemWrite: 'write', ChildProcess: 'run', WorkerThreads: 'worker', WASI: 'wasi', Addon: 'ffi' };

export function probe(node, api, code) {
  const hookDir = mkdtempSync(join(tmpdir(), 'permlint-node-hook-'));
  writeFileSync(join(hookDir, 'hook.cjs'), HOOK);
  let dir = scratch();
  writeFileSync(join(dir, 'main.mjs'), `${HEADER}${code}\n`);
  const audited = run(node, dir, ['--permission-audit', '--require', join(hookDir, 'hook.cjs'), 'main.mjs']);
  const checks = audited.stderr
    .split('\n')
    .filter((l) => l.startsWith('PERMLINT-AUDIT '))
    .map((l) => JSON.parse(l.slice(15)))
    .map((e) => ({ ...e, resource: rel(dir)(e.resource) || null }));
  rmSync(dir, { recursive: true, force: true });
  dir = scratch();
  writeFileSync(join(dir, 'main.mjs'), `${HEADER}${code}\n`);
  const denied = run(node, dir, ['--permission', 'main.mjs']);
  rmSync(dir, { recursive: true, force: true });
  rmSync(hookDir, { recursive: true, force: true });
  const errCode = /code: '([A-Z_]+)'/.exec(denied.stderr)?.[1] ?? null;
  const permission = /permission: '([A-Za-z]+)'/.exec(denied.stderr)?.[1] ?? null;
  const resource = /resource: '([^']*)'/.exec(denied.stderr)?.[1] ?? null;
  const args = callArgs(api, code);
  const deniedRow = { exit: denied.code, code: errCode, permission, resource: rel(dir)(resource) };
  // the kinds the call needs: every audited check, and the denial (lstat and realpath are checked but not audited; addons are disabled, not audited)
  const needs = checks.map((c) => ({ kind: KIND[c.permission] ?? c.permission, arg: argOf(args, c.resource) }));
  if (permission && !needs.some((n) => n.kind === KIND[permission] && (resource === null || n.arg === argOf(args, deniedRow.resource)))) needs.push({ kind: KIND[permission] ?? permission, arg: argOf(args, deniedRow.resource) });
  // addons are disabled under the model unless --allow-addons: audited or not, the load fails
  const auditCode = /code: '([A-Z_]+)'/.exec(audited.stderr)?.[1] ?? null;
  if (errCode === 'ERR_DLOPEN_DISABLED' || auditCode === 'ERR_DLOPEN_DISABLED') needs.push({ kind: 'ffi', arg: null });
  const unique = [...new Map(needs.map((n) => [`${n.kind}:${n.arg}`, n])).values()];
  return { api, code, args, checks, ...(auditCode ? { auditError: auditCode } : {}), denied: deniedRow, needs: unique };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const node = nodeBinary(NODE_AUDIT_VERSION);
  const rows = PROBES.map(([api, code]) => probe(node, api, code));
  const out = {
    $comment: 'Generated by scripts/gen-node-table.mjs from the real Node binary (--permission-audit and --permission); do not edit by hand.',
    node: NODE_AUDIT_VERSION,
    apis: rows,
  };
  const text = `${JSON.stringify(out, null, 1)}\n`;
  if (process.argv.includes('--check')) {
    if (readFileSync(OUT, 'utf8') !== text) {
      console.error('data/node-api-permissions.json is out of date: run node scripts/gen-node-table.mjs');
      process.exit(1);
    }
  } else writeFileSync(OUT, text);
  for (const r of rows) console.error(`${r.api.padEnd(32)} ${r.checks.map((c) => `${c.permission}:${c.resource ?? ''}`).join(', ') || '(none)'}  | --permission: ${r.denied.code ?? `exit ${r.denied.exit}`} ${r.denied.permission ?? ''} ${r.denied.resource ?? ''} => ${r.needs.map((n) => `${n.kind}@${n.arg}`).join(' ')}`);
}
