// Generate data/deno-api-permissions.json: which permission each Deno API checks, read from the
// Deno source, joined with what the real 2.9.6 binary was seen to ask for.
//
//   node scripts/gen-api-table.mjs [--deno-src <git dir>] [--ref <git ref>] [--oracle <tsv>] [--check]
//
// --deno-src  a git directory of denoland/deno (the `fetch` tool puts one under /work/.mirror);
//             read with `git show <ref>:<path>`, nothing is checked out or built.
// --ref       the source version read (default v2.9.5: see REF below for why not v2.9.6).
// --oracle    reference/deno-2.9.6-api-permissions.tsv: every API run under Deno 2.9.6 with the
//             permission broker (one row per API: the checks the broker saw, in order).
// --check     do not write; exit 1 when the generated file differs from the committed one.
//
// How the source is read: each extension's JS/TS file is parsed with oxc-parser; the function,
// class constructor or method, or object-literal property behind an API (`Deno.readFile` →
// `readFile`, `Deno.Command.outputSync` → class `Command` method `outputSync`, `Deno.env.get` →
// `env.get` → `getEnv`, `node:os.hostname` → os.ts `hostname` → `Deno.hostname`) gives the ops it
// calls, also through the functions it calls (up to FOLLOW_DEPTH), and the names of its parameters
// (which argument carries the path). Each op's Rust body gives the permission checks it makes
// (`check_open(…, OpenAccessKind::ReadNoFollow, …)`, `check_sys("hostname", …)`, `check_env(key)`,
// `check_write_all(…)` …), following three levels of local helper functions (the Rust side is
// read by brace matching: no Rust parser is a dependency). APIs the reading cannot trace (the
// module loader's import checks, node: fs/child_process polyfills, process.env …) take their kinds
// from the oracle only and say so (`source: null`). Each row records whether the two agree; the
// test test/infer/api-table.test.ts fails on any disagreement that is not explained.
import { execFileSync } from 'node:child_process';
import { parseSync } from 'oxc-parser';
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
// The source read. The Deno 2.9.6 binary names its commit (e518fbd66dda5debcbdefc0beb0b3756b37b64fa,
// `strings deno | grep Deno/2.9.6+`), which the denoland/deno snapshot does not hold (no v2.9.6 tag:
// its newest release tag is v2.9.5, its main ends at 98f9507 of 2026-08-21 with cli/Cargo.toml still
// at 2.9.5). The default is therefore the v2.9.5 release tag, the last released source; the table
// records the ref and commit it was generated from, and the test checks every row against 2.9.6.
const REF = opt('--ref', 'v2.9.5');

const show = (path) => {
  try {
    return execFileSync('git', ['--git-dir', SRC, 'show', `${REF}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch {
    return '';
  }
};
const listFiles = (dir, ext) =>
  execFileSync('git', ['--git-dir', SRC, 'ls-tree', '-r', '--name-only', REF, dir], { encoding: 'utf8' })
    .split('\n')
    .filter((p) => p.endsWith(ext));

const denoVersion = /^version\s*=\s*"([^"]+)"/m.exec(show('cli/Cargo.toml'))?.[1] ?? 'unknown';
const commit = execFileSync('git', ['--git-dir', SRC, 'rev-parse', `${REF}^{commit}`], { encoding: 'utf8' }).trim();

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
        const acc = /OpenAccessKind::([A-Za-z]+)|(\.access_kind\(\)|open_options_to_access_kind\()/.exec(rest);
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
    // three levels of local helpers (check_symlink_permissions, check_env_with_maybe_exit, create_command → check_run_permission …)
    const helper = m[2];
    if (depth < 3 && helper && !helper.startsWith('op_') && fns.has(helper) && helper !== 'new') {
      // an access kind the caller passes down (`check_unix_socket_path(…, OpenAccessKind::ReadWriteNoFollow, …)`)
      const passed = /^[^;]*?OpenAccessKind::([A-Za-z]+)/.exec(fn.body.slice(m.index, m.index + 400))?.[1];
      for (const h of fns.get(helper)) found.push(...checksIn(h, fns, depth + 1, passed));
    }
  }
  return found;
}

const rustOps = new Map();
for (const dir of ['ext/fs', 'ext/os', 'ext/net', 'ext/fetch', 'ext/process', 'ext/ffi', 'ext/kv', 'runtime/ops', 'ext/websocket', 'ext/http', 'ext/node/ops/os']) {
  const files = listFiles(dir, '.rs');
  const all = new Map();
  for (const f of files) for (const [name, list] of rustFunctions(f, show(f))) all.set(name, [...(all.get(name) ?? []), ...list]);
  for (const [name, list] of all) if (name.startsWith('op_')) rustOps.set(name, list.map((fn) => checksIn(fn, all)));
}

// ---------------------------------------------------------------------------------------------
// JS: API name → the ops its function calls and the names of its parameters
//
// Each extension's JS/TS file is parsed with oxc-parser: every top-level function, class
// constructor and method (`Command.outputSync`), and method of a top-level object literal
// (`env.get`, also `get: getEnv`) becomes a unit with its parameters, the ops it calls, and the
// other units it reaches (a local function, `new LocalClass`, `Deno.hostname()` from a node:
// polyfill, a function imported from another extension). An API's ops are those of its unit and
// of the units it reaches, up to FOLLOW_DEPTH calls away.

const JS_FILES = [
  'ext/fs/30_fs.js',
  'ext/os/30_os.js',
  'ext/net/01_net.js',
  'ext/net/02_tls.js',
  'ext/process/40_process.js',
  'ext/ffi/00_ffi.js',
  'runtime/js/40_fs_events.js',
  'ext/fetch/26_fetch.js',
  'ext/websocket/01_websocket.js',
  'ext/http/00_serve.ts',
  'ext/kv/01_db.ts',
  'runtime/js/11_workers.js',
  'ext/node/polyfills/os.ts',
  'runtime/js/40_tty.js',
  'runtime/js/90_deno_ns.js',
  'runtime/js/99_main.js',
  'runtime/js/98_global_scope_window.js',
];
const FOLLOW_DEPTH = 4;

/** key (`fetch`, `Command.outputSync`, `env.get`) → { file, line, params, ops, calls } */
const units = new Map();
function jsUnits(file) {
  const text = show(file);
  if (!text) return;
  const { program } = parseSync(file, text, { sourceType: 'module' });
  const lineOf = (pos) => text.slice(0, pos).split('\n').length;
  const paramNames = (fn) => (fn.params ?? []).map((p) => (p.type === 'AssignmentPattern' ? p.left : p.type === 'RestElement' ? p.argument : p)).map((p) => (p?.type === 'Identifier' ? p.name : '?'));
  const add = (key, fn, at) => {
    if (units.has(key)) return;
    const ops = new Set();
    const calls = new Set();
    visit(fn.body, (n) => {
      if (n.type === 'CallExpression' || n.type === 'NewExpression') {
        const c = n.callee;
        if (c.type === 'Identifier') (c.name.startsWith('op_') ? ops : calls).add(c.name);
        else if (c.type === 'MemberExpression' && !c.computed && c.object.type === 'Identifier' && c.object.name === 'Deno') calls.add(c.property.name);
        else if (c.type === 'MemberExpression' && !c.computed && c.object.type === 'ThisExpression' && c.property.type === 'PrivateIdentifier') calls.add(`#${c.property.name}`);
      }
      // ops passed as values (`core.opAsync(op_x)`, `{ 0: op_x }`)
      if (n.type === 'Identifier' && n.name.startsWith('op_')) ops.add(n.name);
    });
    units.set(key, { file, line: lineOf(at), params: paramNames(fn), ops: [...ops], calls: [...calls] });
  };
  // the extension files are one `(function () { … })();` each (lazy-loaded scripts): read its body
  let body = program.body;
  const iife = body.length === 1 && body[0].type === 'ExpressionStatement' ? body[0].expression : undefined;
  const callee = iife?.type === 'CallExpression' ? (iife.callee.type === 'ParenthesizedExpression' ? iife.callee.expression : iife.callee) : undefined;
  if (callee && (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression')) body = callee.body.body;
  // properties of any object literal at statement level (`denoNs = { memoryUsage: () => … }`,
  // `ObjectDefineProperties(finalDenoNs, { pid: core.propGetterOnly(opPid) })`): `~.name` units,
  // looked up when no function or class has the API's name
  for (const st of body)
    visit(st, (n) => {
      if (n.type !== 'ObjectExpression') return;
      for (const p of n.properties) {
        if (p.type !== 'Property' || p.computed || units.has(`~.${p.key.name ?? p.key.value}`)) continue;
        const key = `~.${p.key.name ?? p.key.value}`;
        if (p.value.type === 'MemberExpression' && !p.value.computed && p.value.property.type === 'Identifier') units.set(key, { alias: p.value.property.name });
        else if (p.value.type === 'Identifier' && !p.value.name.startsWith('op_')) units.set(key, { alias: p.value.name });
        else add(key, { params: p.value.params ?? [], body: p.value }, p.start);
      }
    });
  for (let st of body) {
    if ((st.type === 'ExportNamedDeclaration' || st.type === 'ExportDefaultDeclaration') && st.declaration) st = st.declaration;
    if (st.type === 'FunctionDeclaration' && st.id) add(st.id.name, st, st.start);
    else if (st.type === 'ClassDeclaration' && st.id) {
      for (const m of st.body.body) {
        if (m.type !== 'MethodDefinition' || !m.value?.body) continue;
        const name = m.key.type === 'PrivateIdentifier' ? `#${m.key.name}` : m.key.name;
        if (m.kind === 'constructor') add(st.id.name, m.value, m.start);
        else add(`${st.id.name}.${name}`, m.value, m.start);
      }
      if (!units.has(st.id.name)) units.set(st.id.name, { file, line: lineOf(st.start), params: [], ops: [], calls: [] });
    } else if (st.type === 'VariableDeclaration') {
      for (const d of st.declarations) {
        if (d.id.type !== 'Identifier' || !d.init) continue;
        if (d.init.type === 'ArrowFunctionExpression' || d.init.type === 'FunctionExpression') add(d.id.name, d.init, d.start);
        else if (d.init.type === 'ObjectExpression') {
          for (const p of d.init.properties) {
            if (p.type !== 'Property' || p.computed) continue;
            const pname = p.key.name ?? p.key.value;
            if (p.value.type === 'FunctionExpression' || p.value.type === 'ArrowFunctionExpression') add(`${d.id.name}.${pname}`, p.value, p.start);
            else if (p.value.type === 'Identifier') units.set(`${d.id.name}.${pname}`, { alias: p.value.name });
          }
        }
      }
    }
  }
}

function visit(node, fn) {
  const stack = [node];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n.type !== 'string') continue;
    fn(n);
    for (const k in n) {
      const v = n[k];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c === 'object') stack.push(c);
      }
      else if (v && typeof v === 'object' && k !== 'parent') stack.push(v);
    }
  }
}

for (const f of JS_FILES) jsUnits(f);

/** The unit of a key, through `get: getEnv` aliases. */
function unit(key) {
  let u = units.get(key);
  for (let i = 0; u?.alias && i < 4; i++) u = units.get(u.alias);
  return u?.alias ? undefined : u;
}

/**
 * The ops a unit reaches: its own, and those of the units it calls, up to FOLLOW_DEPTH calls away
 * (`create` → `open`, `env.has` → `getEnv`, node:os `hostname` → `Deno.hostname`, `dlopen` →
 * `new DynamicLibrary`, `serve` → `serveInner` → `listen`). An op reached through a call is marked
 * `via`: its caller passes its own options (writeFile's stream case opens the file for writing),
 * so what the op checks "by default" is not what the API checks by default.
 */
function reachOps(key, u) {
  const seen = new Set([key]);
  const ops = new Map(u.ops.map((op) => [op, false]));
  let frontier = [[key, u]];
  for (let d = 0; d < FOLLOW_DEPTH && frontier.length; d++) {
    const next = [];
    for (const [k, x] of frontier)
      for (const c of x.calls) {
        const cls = k.includes('.') ? k.slice(0, k.indexOf('.')) : k;
        const target = c.startsWith('#') ? `${cls}.${c}` : c;
        const t = unit(target);
        if (!t || seen.has(target)) continue;
        seen.add(target);
        for (const op of t.ops) if (!ops.has(op)) ops.set(op, true);
        next.push([target, t]);
      }
    frontier = next;
  }
  return [...ops].map(([op, via]) => ({ op, via }));
}

/** The JS unit behind an API label's name: `Deno.readFile` → readFile, `Deno.env.get` → env.get, `node:os.hostname` → hostname, `fetch` → fetch. */
function apiUnit(api) {
  const name = api.startsWith('Deno.') ? api.slice(5) : api.startsWith('node:os.') ? api.slice(8) : api.startsWith('navigator.') ? api.slice(10) : api;
  if (/[:/]/.test(name)) return undefined;
  const u = unit(name) ?? unit(`~.${name}`);
  return u ? { key: name, ...u, reached: reachOps(name, u) } : undefined;
}

// ---------------------------------------------------------------------------------------------
// the oracle, and the join

const VALUE_PARAMS = { path: 'path', oldpath: 'path', newpath: 'path', directory: 'path', from: 'path', to: 'path', fromPath: 'path', toPath: 'path', filename: 'path' };

// Disagreements that are explained by how the oracle row was observed, not by the source.
const EXPLAINED = {
  'Deno.openKv()': 'op_kv_database_open dispatches on the path: none opens the default database with no check, an https: URL goes to remote.rs (env + net), a file to sqlite.rs (read + write); the reading gives the union',
  Worker: 'the worker module is read by the module loader (cli), not by op_create_worker; the env check is the worker code reading HOME',
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
  const js = apiUnit(api);
  if (js && js.reached.some((r) => rustOps.has(r.op))) {
    // ops of the unix transport run only when the options say `transport: "unix"`; an op reached
    // through a call checks what its caller's options say, not its own default
    const checks = js.reached.flatMap(({ op, via }) =>
      (rustOps.get(op) ?? []).flat().map((c) => (/_unix/.test(op) && !c.byOptions ? { ...c, byOptions: 'unix' } : via && c.byOptions === 'default' ? { ...c, byOptions: 'caller' } : c)),
    );
    const kinds = [...new Set(checks.map((c) => c.kind))];
    // what the call checks with no options: every check that does not depend on them, and the default access
    const plain = [...new Set(checks.filter((c) => !c.byOptions || c.byOptions === 'default').map((c) => c.kind))];
    const args = js.params.map((p, i) => (VALUE_PARAMS[p] ? i : -1)).filter((i) => i >= 0);
    row.source = {
      function: `${js.file}:${js.line}`,
      params: js.params,
      ops: js.reached.filter((r) => rustOps.has(r.op)).map((r) => r.op),
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
  denoSource: { ref: REF, version: denoVersion, commit, binaryCommit: 'e518fbd66dda5debcbdefc0beb0b3756b37b64fa (not in the snapshot)' },
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
