// Generate data/deno-api-permissions.json: which permission each Deno API checks, read from the
// Deno source, joined with what the real 2.9.6 binary was seen to ask for.
//
//   node scripts/gen-api-table.mjs [--deno-src <git dir>] [--oracle <tsv>] [--check]
//
// --deno-src  a git directory of denoland/deno (the `fetch` tool puts one under /work/.mirror);
//             its HEAD is read with `git show`, nothing is checked out or built.
// --oracle    reference/deno-2.9.6-api-permissions.tsv: every API run under Deno 2.9.6 with the
//             permission broker (one row per API: the checks the broker saw, in order).
// --check     do not write; exit 1 when the generated file differs from the committed one.
//
// How the source is read: for each `Deno.<name>` API the JS function `<name>` in the extension's
// JS file gives the ops it calls (`op_fs_read_file_text_async`) and the names of its parameters
// (which argument carries the path, host or name); each op's Rust body gives the permission
// checks it makes (`check_open(…, OpenAccessKind::ReadNoFollow, …)`, `check_sys("hostname", …)`,
// `check_env(key)`, `check_write_all(…)` …), following one level of local helper functions.
// APIs the source reading cannot trace (fetch, WebSocket, node: polyfills, Deno.Command, …) take
// their kinds from the oracle only and say so (`source: null`). Each row records whether the two
// agree; the test test/infer/api-table.test.ts fails on any disagreement.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const SRC = opt('--deno-src', '/work/.mirror/denoland+deno/repo');
const ORACLE = opt('--oracle', join(ROOT, 'fixtures', 'infer-oracle', 'deno-2.9.6-api-permissions.tsv'));
const OUT = join(ROOT, 'data', 'deno-api-permissions.json');

const show = (path) => {
  try {
    return execFileSync('git', ['--git-dir', SRC, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch {
    return '';
  }
};
const listFiles = (dir, ext) =>
  execFileSync('git', ['--git-dir', SRC, 'ls-tree', '-r', '--name-only', 'HEAD', dir], { encoding: 'utf8' })
    .split('\n')
    .filter((p) => p.endsWith(ext));

const denoVersion = /^version\s*=\s*"([^"]+)"/m.exec(show('cli/Cargo.toml'))?.[1] ?? 'unknown';
const commit = execFileSync('git', ['--git-dir', SRC, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

// ---------------------------------------------------------------------------------------------
// Rust: op name → permission checks (kind, file:line, unscoped, sys name)

/** Split a Rust file into top-level-ish `fn name(` bodies by brace matching (strings and comments skipped). */
function rustFunctions(file, text) {
  const out = new Map();
  const re = /\bfn\s+([a-z_][a-z0-9_]*)\s*(?:<[^{;]*?>)?\s*\(/g;
  let m;
  while ((m = re.exec(text))) {
    const open = text.indexOf('{', m.index);
    const semi = text.indexOf(';', m.index);
    if (open < 0 || (semi >= 0 && semi < open && !text.slice(m.index, semi).includes('('))) continue;
    let depth = 0;
    let i = open;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i);
      else if (c === '"') {
        for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      } else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
      if (i < 0) break;
    }
    const line = text.slice(0, m.index).split('\n').length;
    const list = out.get(m[1]) ?? [];
    list.push({ file, line, start: m.index, body: text.slice(open, i + 1) });
    out.set(m[1], list);
    re.lastIndex = open + 1;
  }
  return out;
}

const ACCESS = {
  Read: ['read'],
  ReadNoFollow: ['read'],
  Write: ['write'],
  WriteNoFollow: ['write'],
  ReadWrite: ['read', 'write'],
  ReadWriteNoFollow: ['read', 'write'],
};

/** The checks one Rust body makes, in source order. */
function checksIn(fn, fns, depth = 0, callerAccess = undefined) {
  const found = [];
  const re = /\.(check_[a-z_]+)\s*\(|\b([a-z_][a-z0-9_]*)\s*\(/g;
  let m;
  while ((m = re.exec(fn.body))) {
    const line = fn.line + fn.body.slice(0, m.index).split('\n').length - 1;
    const at = `${fn.file}:${line}`;
    const call = m[1];
    if (call) {
      const rest = fn.body.slice(m.index, m.index + 400);
      if (call === 'check_open' || call === 'check_open_blind') {
        const acc = /OpenAccessKind::([A-Za-z]+)|(\.access_kind\(\))/.exec(rest);
        if (acc?.[1]) for (const k of ACCESS[acc[1]] ?? []) found.push({ kind: k, at });
        else if (!acc && callerAccess) for (const k of ACCESS[callerAccess] ?? []) found.push({ kind: k, at });
        else if (acc?.[2]) {
          // the access follows the open options: read by default (`OpenOptions::read()`), write when they say so
          if (/OpenOptions::read\(\)/.test(fn.body)) found.push({ kind: 'read', at, byOptions: 'default' });
          found.push({ kind: 'read', at, byOptions: 'read' }, { kind: 'write', at, byOptions: 'write' });
        }
      } else if (/^check_(read|write)(_partial)?$/.test(call)) found.push({ kind: call.includes('read') ? 'read' : 'write', at });
      else if (call === 'check_read_all' || call === 'check_write_all') found.push({ kind: call.slice(6, -4), unscoped: true, at });
      else if (call === 'check_sys') found.push({ kind: 'sys', name: /check_sys\s*\(\s*"([^"]+)"/.exec(rest)?.[1], at });
      else if (call === 'check_sys_all') found.push({ kind: 'sys', unscoped: true, at });
      else if (call === 'check_env') found.push({ kind: 'env', at });
      else if (call === 'check_env_all') found.push({ kind: 'env', unscoped: true, at });
      else if (/^check_net/.test(call)) found.push({ kind: 'net', at });
      else if (call === 'check_run') found.push({ kind: 'run', at });
      else if (call === 'check_run_all') found.push({ kind: 'run', unscoped: true, at });
      else if (/^check_ffi/.test(call)) found.push({ kind: 'ffi', at });
      continue;
    }
    // one level of local helpers (check_symlink_permissions, check_env_with_maybe_exit, …)
    const helper = m[2];
    if (depth === 0 && helper && !helper.startsWith('op_') && fns.has(helper) && helper !== 'new') {
      // an access kind the caller passes down (`check_unix_socket_path(…, OpenAccessKind::ReadWriteNoFollow, …)`)
      const passed = /^[^;]*?OpenAccessKind::([A-Za-z]+)/.exec(fn.body.slice(m.index, m.index + 400))?.[1];
      for (const h of fns.get(helper)) found.push(...checksIn(h, fns, 1, passed));
    }
  }
  return found;
}

const rustOps = new Map();
for (const dir of ['ext/fs', 'ext/os', 'ext/net', 'ext/fetch', 'ext/process', 'ext/ffi', 'ext/kv', 'runtime/ops']) {
  const files = listFiles(dir, '.rs');
  const all = new Map();
  for (const f of files) for (const [name, list] of rustFunctions(f, show(f))) all.set(name, [...(all.get(name) ?? []), ...list]);
  for (const [name, list] of all) if (name.startsWith('op_')) rustOps.set(name, list.map((fn) => checksIn(fn, all)));
}

// ---------------------------------------------------------------------------------------------
// JS: API name → the ops its function calls and the names of its parameters

const jsFunctions = new Map();
for (const f of ['ext/fs/30_fs.js', 'ext/os/30_os.js', 'ext/net/01_net.js', 'ext/net/02_tls.js', 'ext/process/40_process.js', 'ext/ffi/00_ffi.js', 'runtime/js/40_fs_events.js']) {
  const text = show(f);
  const re = /^(?:async\s+)?function\s*\*?\s*([A-Za-z0-9_]+)\s*\(([^)]*)\)/gm;
  const starts = [];
  let m;
  while ((m = re.exec(text))) starts.push({ name: m[1], params: m[2], index: m.index });
  starts.forEach((s, i) => {
    const body = text.slice(s.index, starts[i + 1]?.index ?? text.length);
    const params = s.params
      .split(',')
      .map((p) => p.trim().replace(/\s*=.*$/s, ''))
      .filter(Boolean);
    const ops = [...new Set(body.match(/\bop_[a-z0-9_]+/g) ?? [])];
    const line = text.slice(0, s.index).split('\n').length;
    if (!jsFunctions.has(s.name)) jsFunctions.set(s.name, { file: f, line, params, ops });
  });
}

// ---------------------------------------------------------------------------------------------
// the oracle, and the join

const VALUE_PARAMS = { path: 'path', oldpath: 'path', newpath: 'path', directory: 'path', from: 'path', to: 'path', fromPath: 'path', toPath: 'path', filename: 'path' };

// Disagreements that are explained by how the oracle row was observed, not by the source.
const EXPLAINED = {
  'Deno.connectTls': 'the read check is for the caCerts/certFile option; the observed call passed none',
  'Deno.listenTls': 'the observed call passed no cert/key and failed before the permission check; the source checks net',
};

const rows = [];
const oracle = readFileSync(ORACLE, 'utf8').split('\n').slice(1).filter(Boolean);
for (const line of oracle) {
  const [label, broker, denial] = line.split('\t');
  const observed = broker === '(none)' ? [] : [...new Set(broker.split(', ').map((c) => c.slice(0, c.indexOf(':'))))];
  const m = /^([A-Za-z_$][\w$.:/]*)(?:\((.*)\))?$/.exec(label);
  const api = m ? m[1] : label;
  const variant = m?.[2];
  const row = { label, api, ...(variant ? { variant } : {}), observed, observedChecks: broker === '(none)' ? [] : broker.split(', '), denial, source: null };
  const short = api.startsWith('Deno.') ? api.slice(5) : undefined;
  const js = short && !short.includes('.') ? jsFunctions.get(short) : undefined;
  if (js && js.ops.length) {
    // ops of the unix transport run only when the options say `transport: "unix"`
    const checks = js.ops.flatMap((op) => (rustOps.get(op) ?? []).flat().map((c) => (/_unix/.test(op) && !c.byOptions ? { ...c, byOptions: 'unix' } : c)));
    const kinds = [...new Set(checks.map((c) => c.kind))];
    // what the call checks with no options: every check that does not depend on them, and the default access
    const plain = [...new Set(checks.filter((c) => !c.byOptions || c.byOptions === 'default').map((c) => c.kind))];
    const args = js.params.map((p, i) => (VALUE_PARAMS[p] ? i : -1)).filter((i) => i >= 0);
    row.source = {
      function: `${js.file}:${js.line}`,
      params: js.params,
      ops: js.ops.filter((op) => rustOps.has(op)),
      checks: checks.map((c) => ({ kind: c.kind, at: c.at, ...(c.unscoped ? { unscoped: true } : {}), ...(c.name ? { sys: c.name } : {}), ...(c.byOptions ? { byOptions: c.byOptions } : {}) })),
      kinds,
      plain,
      ...(args.length ? { pathArgs: args } : {}),
    };
    // a path API whose variant sets options (open(write), makeTempDir({dir})) checks what the
    // options decide; the source gives every kind the op can check, the oracle the one the variant did
    row.agrees = variant ? observed.every((k) => kinds.includes(k)) : sameSet(plain, observed) || (observed.every((k) => kinds.includes(k)) && plain.every((k) => observed.includes(k)));
  }
  if (row.agrees === false && EXPLAINED[label]) row.explained = EXPLAINED[label];
  rows.push(row);
}

function sameSet(a, b) {
  return a.length === b.length && a.every((x) => b.includes(x));
}

const out = {
  $comment: 'Generated by scripts/gen-api-table.mjs from the Deno source and the 2.9.6 broker observations; do not edit by hand.',
  denoSource: { version: denoVersion, commit },
  observedWith: 'deno 2.9.6 (DENO_PERMISSION_BROKER_PATH)',
  apis: rows,
};
const text = `${JSON.stringify(out, null, 1)}\n`;
if (args.includes('--check')) {
  const have = readFileSync(OUT, 'utf8');
  if (have !== text) {
    console.error('data/deno-api-permissions.json is out of date: run node scripts/gen-api-table.mjs');
    process.exit(1);
  }
} else writeFileSync(OUT, text);
const traced = rows.filter((r) => r.source);
console.error(`${rows.length} APIs, ${traced.length} traced to Rust checks, ${traced.filter((r) => !r.agrees && !r.explained).length} disagree with the binary unexplained (Deno source ${denoVersion})`);
for (const r of traced.filter((x) => !x.agrees && !x.explained)) console.error(`  ${r.api}${r.variant ? `(${r.variant})` : ''}: source ${r.source.kinds.join('+') || '-'} vs binary ${r.observed.join('+') || '-'}`);
